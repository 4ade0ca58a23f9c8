-- 利用者負担割合 (co-payment rate, docs/benefit-income.md): what 016 leaves to the income side.

-- The new-recipient job reads certification_event (a certification granted mid-year gets a rate
-- from its first day, reason new_recipient) with its own cursor.
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('copayment:certification', 0);

-- The yearly run and the redetermination find a person's rows of a rate year.
CREATE INDEX copayment_rate_person_year ON copayment_rate(person_id, rate_year, status);
