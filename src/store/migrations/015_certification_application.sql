-- 認定 applications (NT-01 … NT-05): what 014 needs beside it for the clock and the category-2
-- checks. docs/api-certification.md "Applications and the clock".

-- The first day the list warns (certification::warn_from of the rules in force on applied_on),
-- stored with deadline_on at intake so the list filters and orders in SQL (no date arithmetic per
-- dialect, no per-row rule lookup).
ALTER TABLE certification_application ADD COLUMN warn_on TEXT;

-- Every 番号連携 inquiry made for a category-2 check (NT-02 医療保険資格 → NT-03, NT-04 保険料等滞納
-- → NT-05) and what its answer did. The application's insurance_inquiry_id / arrears_inquiry_id
-- name the latest one; an inquiry that ended without an answer (failed) or whose answer was
-- refused (rejected: another person or kind than asked) leaves the check pending and is asked
-- again, at most a few times (certification::kMaxCheckAttempts).
CREATE TABLE certification_check (
  inquiry_id        BIGINT PRIMARY KEY,        -- gateway inquiry (table inquiry)
  application_id    BIGINT NOT NULL REFERENCES certification_application(application_id),
  check_kind        TEXT NOT NULL CHECK (check_kind IN ('insurance', 'arrears')),
  outcome           TEXT CHECK (outcome IN ('insured', 'not_insured', 'none', 'in_arrears', 'failed', 'rejected')),
  summary           TEXT,                      -- for staff, Japanese, no values of the answer
  reject_reason     TEXT,                      -- rejected: "field: why" (no personal data)
  answer_exchange_id BIGINT,                   -- the inbound exchange of the answer (NT-03 / NT-05)
  created_at        TEXT NOT NULL,
  created_by        TEXT NOT NULL,
  applied_at        TEXT,
  applied_by        TEXT
);
CREATE INDEX certification_check_application ON certification_check(application_id, inquiry_id);
CREATE INDEX certification_check_unapplied ON certification_check(outcome, inquiry_id);
