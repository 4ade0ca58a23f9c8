-- 賦課の入力 from other institutions over the 番号連携 gateway (FK-03 … FK-10),
-- docs/premium-inputs.md. The inquiry itself is the gateway's (migration 004); these tables say
-- why the premium asked it, what its answer did, and hold the one fact that has no other home:
-- the 住民税 status of household members as another municipality answered it (FK-06).

-- A yearly run of the premium's inquiries (one gateway bulk per inquiry kind).
CREATE TABLE premium_inquiry_run (
  run_id       {{id}},
  fiscal_year  INTEGER NOT NULL,
  counts       TEXT NOT NULL,              -- JSON per kind: selected, already_asked, asked, submitted, refused, queued, bulk_id
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL
);

-- One row per inquiry the premium sent, and what applying its answer did. outcome NULL: the
-- answer has not been applied yet (the inquiry is open, or answered and waiting for the apply
-- job). An answer is applied at most once: outcome is set by a compare-and-set on NULL in the
-- same transaction as the facts it writes.
CREATE TABLE premium_inquiry (
  inquiry_id         BIGINT PRIMARY KEY,      -- inquiry.inquiry_id (004)
  person_id          TEXT NOT NULL REFERENCES person(person_id),
  fiscal_year        INTEGER NOT NULL,
  kind               TEXT NOT NULL,           -- city_local_tax | city_household | nenkin_old_age_welfare | pref_public_assistance
  reason             TEXT NOT NULL,           -- why the person was asked about (premium_inputs.hpp TargetReason)
  municipality_code  TEXT,                    -- the municipality asked about / where the welfare is run (6 digits)
  base_date          TEXT NOT NULL,           -- 賦課基準日 of the person in the fiscal year when asked
  run_id             BIGINT,                  -- premium_inquiry_run, for the yearly run
  created_at         TEXT NOT NULL,
  created_by         TEXT NOT NULL,
  outcome            TEXT CHECK (outcome IN ('applied', 'unchanged', 'not_found', 'failed', 'rejected')),
  summary            TEXT,                    -- what the answer changed, in words, without personal data
  reject_reason      TEXT,                    -- rejected: the field at fault and why (no values)
  answer_exchange_id BIGINT,                  -- the inbound exchange (FK-04/06/08/10) that brought the answer
  recalc_queued      INTEGER NOT NULL DEFAULT 0,  -- 1: a premium_recalc_queue row was made for it
  applied_at         TEXT,
  applied_by         TEXT
);
CREATE INDEX premium_inquiry_person ON premium_inquiry(person_id, fiscal_year, kind);
CREATE INDEX premium_inquiry_waiting ON premium_inquiry(outcome, inquiry_id);

-- 世帯員の住民税課税状況 as another municipality answered it (FK-06), for the household of one
-- insured person on the base date of one fiscal year. A member living elsewhere is not in kaigo's
-- person table (member_person_id NULL; member_key 'ext:' + the answering city's member number);
-- a member who is (moved in together) has member_person_id, because kaigo holds no tax row of
-- their own for the income year (the tax was levied by the municipality of 1 January, 地方税法
-- 39条・318条). An answer that changes the set adds a new set of rows (its inquiry_id); the set in
-- effect is the one of the latest applied inquiry of (person_id, fiscal_year). Never updated.
CREATE TABLE household_member_tax_status (
  member_status_id   {{id}},
  person_id          TEXT NOT NULL REFERENCES person(person_id),
  fiscal_year        INTEGER NOT NULL,
  base_date          TEXT NOT NULL,
  tax_year           INTEGER NOT NULL,        -- the income year (fiscal_year − 1)
  member_key         TEXT NOT NULL,
  member_person_id   TEXT,
  relation           TEXT,
  resident_tax_taxed INTEGER,                 -- 1 課税, 0 非課税, NULL 保有なし (the city does not hold it)
  inquiry_id         BIGINT NOT NULL,
  source             TEXT NOT NULL,           -- 'exchange'
  source_exchange_id BIGINT,
  recorded_at        TEXT NOT NULL,
  recorded_by        TEXT NOT NULL,
  UNIQUE (inquiry_id, member_key)
);
CREATE INDEX household_member_tax_status_person ON household_member_tax_status(person_id, fiscal_year, inquiry_id);
