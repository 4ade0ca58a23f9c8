-- Who ended or cancelled a care-plan notification, a 給付制限 or a repayment, and when. Before,
-- ending a care plan or a restriction overwrote recorded_by (losing who recorded it) and a
-- repayment's cancellation named nobody. recorded_by stays the person who recorded the row.
ALTER TABLE care_plan ADD COLUMN changed_by TEXT;
ALTER TABLE care_plan ADD COLUMN changed_at TEXT;
ALTER TABLE benefit_restriction ADD COLUMN changed_by TEXT;
ALTER TABLE benefit_restriction ADD COLUMN changed_at TEXT;
ALTER TABLE repayment ADD COLUMN changed_by TEXT;
ALTER TABLE repayment ADD COLUMN changed_at TEXT;
