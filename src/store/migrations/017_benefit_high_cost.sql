-- 高額介護サービス費 (KY-05 … KY-17, docs/benefit.md §高額): what 016 leaves to the high-cost side.

-- The repayment (返還金, 法22条) decided with a decision that lowered a month already paid
-- (reason overpaid_high_cost): what was paid for the person and month, net, is the sum of the
-- high_cost payment rows of its decisions minus the principals of these repayments (not cancelled).
ALTER TABLE high_cost_decision ADD COLUMN repayment_id BIGINT;

-- The run reads the month's current decisions and a person's held ones.
CREATE INDEX high_cost_decision_held ON high_cost_decision(person_id, status, application_id);
