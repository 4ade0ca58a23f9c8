-- KY-04: the versions of one claim (新規, 修正, 取消) found by claim_no, and the row a file wrote for
-- a claim (a 修正/取消 points the row it ends at the new one: replaced_by, set-based by claim and file).
CREATE INDEX benefit_record_claim ON benefit_record(claim_no, file_id);
