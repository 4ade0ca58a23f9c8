-- 返還金 and 高額医療合算 (KY-18 … KY-23, docs/benefit.md): what 016 leaves to the payments side.

-- 納付書番号 sequence (repayment.slip_no = year + this + check digit).
INSERT INTO number_sequence (name, next_value) VALUES ('repayment_slip', 0);

-- KY-21 carries what KY-23's decision needs: the annual limit's keys (施行令22条の3: age band and
-- the medical insurer's income class) and the account the care share is paid to (KY-17).
ALTER TABLE combined_application ADD COLUMN age_band TEXT;
ALTER TABLE combined_application ADD COLUMN income_class TEXT;
ALTER TABLE combined_application ADD COLUMN applied_on TEXT;
ALTER TABLE combined_application ADD COLUMN bank_code TEXT;
ALTER TABLE combined_application ADD COLUMN branch_code TEXT;
ALTER TABLE combined_application ADD COLUMN account_kind TEXT;
ALTER TABLE combined_application ADD COLUMN account_no TEXT;
ALTER TABLE combined_application ADD COLUMN account_holder_kana TEXT;
-- The care share actually decided (0 when not payable) and why, in Japanese for the notice.
ALTER TABLE combined_application ADD COLUMN decided_amount BIGINT;
ALTER TABLE combined_application ADD COLUMN decided_on TEXT;
-- The 自己負担額 by month, as the 証明書 (KY-22) gave it: JSON [{"month","copayment","high_cost","counted"}].
ALTER TABLE combined_application ADD COLUMN monthly TEXT;
CREATE INDEX combined_application_status ON combined_application(status, combined_id);
CREATE INDEX repayment_status ON repayment(status, repayment_id);
