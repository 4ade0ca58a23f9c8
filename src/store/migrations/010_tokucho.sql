-- 特別徴収 (pension deduction) through the 国保連 — FK-14 target lists in, FK-15 requests out,
-- FK-16 results in — and the collection plan of every person and fiscal year (特別徴収 and 普通徴収
-- instalments). docs/tokucho-layout.md (files, matching), docs/premium-collection.md (the plan),
-- src/premium/tokucho_service.hpp.

-- One row per 特別徴収 file: received (FK-14, FK-16) or sent (FK-15). A received file that was
-- refused is recorded as 'rejected' after the inbox quarantined its exchange (the inbox transaction
-- rolled back), with one tokucho_file_error row per error.
CREATE TABLE tokucho_file (
  exchange_id     BIGINT PRIMARY KEY,            -- the exchange that brought or carried the file
  flow_id         TEXT NOT NULL CHECK (flow_id IN ('FK-14', 'FK-15', 'FK-16')),
  kind            TEXT NOT NULL,                 -- target_list, request, request_result, collection_result; unknown
  layout_version  INTEGER,
  file_name       TEXT NOT NULL,
  file_ref        TEXT,                          -- ファイル通番 of the management area (FK-16 依頼処理結果 quotes the FK-15's)
  sha256          TEXT NOT NULL,                 -- of the file's CP932 bytes
  bytes           BIGINT NOT NULL,
  records         BIGINT NOT NULL,               -- data records
  fiscal_year     INTEGER,
  applied         BIGINT NOT NULL DEFAULT 0,     -- data records applied (received) or persons requested (sent)
  status          TEXT NOT NULL CHECK (status IN ('sent', 'applied', 'rejected')),
  reason          TEXT,                          -- why refused: the first error; no personal data
  recorded_at     TEXT NOT NULL,
  recorded_by     TEXT NOT NULL
);
CREATE INDEX tokucho_file_kind ON tokucho_file(kind, exchange_id);
-- The same bytes applied twice change nothing: a second copy is recognised by its hash.
CREATE INDEX tokucho_file_sha ON tokucho_file(sha256);

-- The errors of a refused file: record 0 = the management area (or the file as a whole), else the
-- 1-based 500-byte record; the field's Japanese name. Messages quote no value.
CREATE TABLE tokucho_file_error (
  exchange_id  BIGINT NOT NULL,
  error_no     INTEGER NOT NULL,
  record_no    BIGINT NOT NULL,
  field        TEXT NOT NULL,
  message      TEXT NOT NULL,
  PRIMARY KEY (exchange_id, error_no)
);

-- 基礎年金番号 → person, learnt the first time a target is matched (by birth date, sex and kana
-- name; docs/tokucho-layout.md "Matching"); later files match on the number.
CREATE TABLE tokucho_pension_link (
  basic_pension_no  TEXT PRIMARY KEY,
  person_id         TEXT NOT NULL REFERENCES person(person_id),
  matched_by        TEXT NOT NULL,               -- identity, identity_address
  first_exchange_id BIGINT NOT NULL,
  linked_at         TEXT NOT NULL
);
CREATE INDEX tokucho_pension_link_person ON tokucho_pension_link(person_id);

-- FK-14: one row per target of a target list (特別徴収対象者情報).
CREATE TABLE tokucho_target (
  target_id             {{id}},
  exchange_id           BIGINT NOT NULL,         -- the FK-14 file
  record_no             BIGINT NOT NULL,
  person_id             TEXT NOT NULL,
  fiscal_year           INTEGER NOT NULL,        -- 対象年度 of the file's header
  pension_insurer_code  TEXT NOT NULL,
  basic_pension_no      TEXT NOT NULL,
  pension_code          TEXT NOT NULL,
  pension_kind          TEXT NOT NULL,           -- old_age, disability, survivors, old_age_welfare
  annual_pension_amount BIGINT NOT NULL,
  capture_month         TEXT NOT NULL,           -- YYYY-MM
  start_month           TEXT NOT NULL,           -- YYYY-MM: capture + 6 months
  received_at           TEXT NOT NULL
);
CREATE INDEX tokucho_target_person ON tokucho_target(person_id, target_id);

-- FK-15: one row per person and fiscal year in a request file (特別徴収依頼情報); the FK-16 依頼処理結果
-- answers it.
CREATE TABLE tokucho_request (
  request_id            {{id}},
  exchange_id           BIGINT NOT NULL,         -- the FK-15 file
  person_id             TEXT NOT NULL,
  fiscal_year           INTEGER NOT NULL,
  target_id             BIGINT NOT NULL,
  pension_insurer_code  TEXT NOT NULL,
  basic_pension_no      TEXT NOT NULL,
  pension_code          TEXT NOT NULL,
  request_kind          TEXT NOT NULL CHECK (request_kind IN ('continuing', 'new')),
  start_month           TEXT NOT NULL,           -- YYYY-MM
  amounts               TEXT NOT NULL,           -- JSON {"2026-04": 12000, …}: the six months requested
  status                TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'not_accepted')),
  reason_code           TEXT,                    -- not_accepted: config/codes/tokucho_reasons.tsv
  result_exchange_id    BIGINT,                  -- the FK-16 依頼処理結果
  requested_at          TEXT NOT NULL,
  answered_at           TEXT
);
CREATE INDEX tokucho_request_person ON tokucho_request(person_id, fiscal_year);
CREATE INDEX tokucho_request_pension ON tokucho_request(basic_pension_no, fiscal_year);

-- FK-16 徴収結果: one row per person and pension payment month.
CREATE TABLE tokucho_result (
  result_id             {{id}},
  exchange_id           BIGINT NOT NULL,
  record_no             BIGINT NOT NULL,
  person_id             TEXT NOT NULL,
  fiscal_year           INTEGER NOT NULL,
  deduction_month       TEXT NOT NULL,           -- YYYY-MM
  collected             INTEGER NOT NULL,        -- 1 徴収済, 0 未徴収
  reason_code           TEXT NOT NULL,           -- 00 when collected
  amount                BIGINT NOT NULL,         -- yen deducted (0 when not)
  received_at           TEXT NOT NULL,
  UNIQUE (person_id, deduction_month)
);

-- The collection plan (徴収計画): every instalment of a person's premium for a fiscal year, by
-- pension deduction (special: slots 1–6 = April, June, August 仮徴収; October, December, February
-- 本徴収) or by slip (ordinary: 期 = position of the month in the city's list). Rows are never
-- deleted: a revision marks the rows it replaces 'cancelled' (or 'stopped' for a deduction it
-- stops) and adds new ones; live rows (planned, requested, accepted, collected) minus refunds add
-- up to the current assessment's amount.
CREATE TABLE premium_instalment (
  instalment_id     {{id}},
  person_id         TEXT NOT NULL REFERENCES person(person_id),
  fiscal_year       INTEGER NOT NULL,
  method            TEXT NOT NULL CHECK (method IN ('special', 'ordinary')),
  instalment_no     INTEGER NOT NULL,
  due_month         TEXT NOT NULL,               -- YYYY-MM
  amount            BIGINT NOT NULL,             -- yen planned (refund: yen to pay back)
  status            TEXT NOT NULL CHECK (status IN ('planned', 'requested', 'accepted', 'collected', 'not_accepted',
                                                    'not_collected', 'stopped', 'cancelled', 'refund')),
  plan_revision     INTEGER NOT NULL,            -- the premium_collection_plan that added the row
  request_id        BIGINT,                      -- special: the FK-15 request
  collected_amount  BIGINT,                      -- special: what FK-16 reported deducted
  reason_code       TEXT,                        -- not_accepted / not_collected
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX premium_instalment_person ON premium_instalment(person_id, fiscal_year, instalment_id);
CREATE INDEX premium_instalment_year ON premium_instalment(fiscal_year, method, status, person_id);

-- One row per plan (or re-plan) of a person's year: which assessment it was made for, why, and how
-- it was computed (the explanation staff read).
CREATE TABLE premium_collection_plan (
  person_id       TEXT NOT NULL,
  fiscal_year     INTEGER NOT NULL,
  plan_revision   INTEGER NOT NULL,              -- 1, 2, …
  assessment_id   BIGINT NOT NULL,
  amount          BIGINT NOT NULL,               -- the premium planned
  cause           TEXT NOT NULL,                 -- plan, revision, not_accepted, not_collected
  explanation     TEXT NOT NULL,                 -- JSON array of lines
  batch_run_id    BIGINT,
  planned_at      TEXT NOT NULL,
  planned_by      TEXT NOT NULL,
  PRIMARY KEY (person_id, fiscal_year, plan_revision)
);
