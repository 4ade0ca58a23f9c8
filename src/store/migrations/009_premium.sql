-- 賦課 (category-1 premium assessment), docs/premium-assessment.md.
--
-- One row per assessment of one person for one fiscal year. The first is revision 0 (当初賦課,
-- usually from the yearly run 本算定); every later change (更正: income, household, 生活保護,
-- eligibility, staff) adds revision n+1 and marks the previous row superseded — rows are never
-- rewritten otherwise, so the history of what was charged and why stays whole.
CREATE TABLE premium_assessment (
  assessment_id        {{id}},
  person_id            TEXT NOT NULL REFERENCES person(person_id),
  fiscal_year          INTEGER NOT NULL,
  revision             INTEGER NOT NULL,          -- 0 当初, 1.. 更正
  is_current           INTEGER NOT NULL,          -- 1 for the latest revision of (person, year)
  insured_no           TEXT NOT NULL,
  base_date            TEXT NOT NULL,             -- 賦課基準日: 1 April or the acquisition date
  stage                INTEGER NOT NULL,          -- 0 when no month is chargeable (amount 0)
  stage_label          TEXT NOT NULL,
  ratio                TEXT NOT NULL,             -- exact fraction applied, "57/200"
  reduced              INTEGER NOT NULL,          -- 1: the 公費軽減 ratio was applied
  annual_amount        BIGINT NOT NULL,           -- 年額 before 月割
  months               INTEGER NOT NULL,          -- chargeable months (0..12)
  amount               BIGINT NOT NULL,           -- 確定保険料 for the year
  previous_amount      BIGINT NOT NULL,           -- amount of the revision it replaces (0 for revision 0)
  table_name           TEXT NOT NULL,
  table_sha256         TEXT NOT NULL,             -- the rule file's hash: which table computed it
  table_effective_from TEXT NOT NULL,
  inputs               TEXT NOT NULL,             -- JSON: every input with its source (table, row id, exchange)
  explanation          TEXT NOT NULL,             -- JSON: [{"label","text"}] in reading order
  cause                TEXT NOT NULL,             -- annual, eligibility, income, household, welfare, staff
  batch_run_id         BIGINT,
  assessed_at          TEXT NOT NULL,
  assessed_by          TEXT NOT NULL,
  UNIQUE (person_id, fiscal_year, revision)
);
CREATE INDEX premium_assessment_year ON premium_assessment(fiscal_year, is_current, person_id);

-- Persons whose assessment must be redone (異動賦課), filled by the consumers of the register's
-- events and of new income/household/welfare facts; the monthly revision run drains it.
CREATE TABLE premium_recalc_queue (
  person_id    TEXT NOT NULL,
  fiscal_year  INTEGER NOT NULL,
  cause        TEXT NOT NULL,                     -- eligibility, income, household, welfare
  queued_at    TEXT NOT NULL,
  PRIMARY KEY (person_id, fiscal_year)
);
-- The cursor of the income/household/welfare facts already queued (tax_income_id etc.).
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('premium_tax_income', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('premium_public_assistance', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('premium_pension', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('premium_person_history', 0);

-- The household on the base date is read by household_id (all members, any chunk).
CREATE INDEX person_history_household ON person_history(household_id, valid_from);

-- How many persons a run will walk (set when it opens), for progress on screen.
ALTER TABLE batch_run ADD COLUMN total_count BIGINT;
