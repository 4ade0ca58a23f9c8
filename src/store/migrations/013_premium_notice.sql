-- 介護保険料額決定通知書 / 変更通知書 (FK-11): one row per assessment noticed, so every revision is
-- noticed once and a run resumed after a stop prints nobody twice. docs/premium-assessment.md.
CREATE TABLE premium_notice (
  notice_id        {{id}},
  assessment_id    BIGINT NOT NULL UNIQUE REFERENCES premium_assessment(assessment_id),
  person_id        TEXT NOT NULL,
  fiscal_year      INTEGER NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('decision', 'revision')),
  noticed_before   BIGINT NOT NULL,          -- the amount the person was last told (0 for a decision)
  batch_run_id     BIGINT,                   -- the print run, NULL when printed at the counter
  file_no          INTEGER,                  -- the run's print file it is in (0..)
  issued_on        TEXT NOT NULL,
  issued_by        TEXT NOT NULL
);
CREATE INDEX premium_notice_person ON premium_notice(person_id, fiscal_year);
CREATE INDEX premium_notice_run ON premium_notice(batch_run_id, file_no, notice_id);
