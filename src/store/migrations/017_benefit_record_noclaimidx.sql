-- KY-04: the row a 修正/取消 ends points at its replacement found through the person index
-- (same person, same claim, this file), so the claim index 017_benefit_record_claim is no longer
-- read; keeping it cost an index entry for each of a month's ~1,000,000 records.
DROP INDEX benefit_record_claim;
