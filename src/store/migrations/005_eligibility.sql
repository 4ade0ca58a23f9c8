-- 資格 (eligibility): the insured register. See docs/insured-register.md.
--
-- The periods are DERIVED (src/eligibility/periods.hpp) from a person's birth date and facts:
--   eligibility_fact       address facts (転入, 転出, 国外転出, 死亡) from the registry, the counter or 職権
--   medical_insurance      (migration 002) category-2 medical insurance gain and loss
--   exemption              適用除外施設 stays
--   former_address_rule    住所地特例 ledgers, both directions
-- Every re-derivation that changes a person's periods writes one eligibility_revision (what
-- changed, when, by whom, from which exchange or case) and one eligibility_event that the other
-- businesses (premium, recipients) and the outbound flows (SK-18, SK-20) consume by cursor.

-- Address facts. A correction cancels a row (cancelled_*) and adds a new one; rows are never deleted.
CREATE TABLE eligibility_fact (
  fact_id            {{id}},
  person_id          TEXT NOT NULL REFERENCES person(person_id),
  kind               TEXT NOT NULL CHECK (kind IN ('move_in', 'move_out', 'emigration', 'death')),
  on_date            TEXT NOT NULL,        -- 転入日 / 転出日 (住所を有しなくなった日) / 出国日 / 死亡日
  new_address_on     TEXT,                 -- move_out: the new city's 転入日, when known (法11条ただし書)
  source             TEXT NOT NULL,        -- juki, counter_case, staff, synthetic_city, fukushi, inquiry
  source_exchange_id BIGINT,
  case_id            BIGINT,
  registry_movement_id TEXT,               -- the registry's own id of the movement (SK-16), if any
  recorded_at        TEXT NOT NULL,
  recorded_by        TEXT NOT NULL,
  cancelled_at       TEXT,
  cancelled_by       TEXT,
  cancel_reason      TEXT
);
CREATE INDEX eligibility_fact_person ON eligibility_fact(person_id, on_date);

-- 適用除外 (介護保険法施行法11条, 施行規則170条): stays in an exempt facility.
CREATE TABLE exemption (
  exemption_id       {{id}},
  person_id          TEXT NOT NULL REFERENCES person(person_id),
  facility_kind      TEXT NOT NULL,        -- config/codes/exempt_facility_kinds.tsv
  facility_name      TEXT NOT NULL,
  entered_on         TEXT NOT NULL,
  left_on            TEXT,                 -- 退所日; NULL: still there
  source             TEXT NOT NULL,
  source_exchange_id BIGINT,
  case_id            BIGINT,
  recorded_at        TEXT NOT NULL,
  recorded_by        TEXT NOT NULL,
  ended_recorded_at  TEXT,
  ended_recorded_by  TEXT
);
CREATE INDEX exemption_person ON exemption(person_id, entered_on);
CREATE INDEX exemption_open ON exemption(left_on, entered_on);

-- 住所地特例 (介護保険法13条), the two ledgers in one table:
--   ours_living_elsewhere  this city's insured living in a facility in another city (住所地特例者 他市在住)
--   theirs_living_here     another city's insured living in a facility here (他市町村の住所地特例者)
CREATE TABLE former_address_rule (
  rule_id                   {{id}},
  person_id                 TEXT NOT NULL REFERENCES person(person_id),
  direction                 TEXT NOT NULL CHECK (direction IN ('ours_living_elsewhere', 'theirs_living_here')),
  facility_kind             TEXT NOT NULL,    -- eligibility::FacilityKind code
  facility_name             TEXT NOT NULL,
  facility_municipality_code TEXT NOT NULL,   -- 6-digit code of the city where the facility is
  other_insurer_no          TEXT NOT NULL,    -- the other city's 保険者番号 (6 digits)
  started_on                TEXT NOT NULL,    -- the first day the rule applies (入所に伴う転入日)
  ended_on                  TEXT,             -- the first day it no longer applies
  source                    TEXT NOT NULL,
  source_exchange_id        BIGINT,
  case_id                   BIGINT,
  recorded_at               TEXT NOT NULL,
  recorded_by               TEXT NOT NULL,
  ended_recorded_at         TEXT,
  ended_recorded_by         TEXT
);
CREATE INDEX former_address_rule_person ON former_address_rule(person_id, started_on);
CREATE INDEX former_address_rule_ledger ON former_address_rule(direction, ended_on);

-- The derived periods in force (replaced per person on each re-derivation; the revisions keep
-- what they were before).
CREATE TABLE eligibility_period (
  person_id           TEXT NOT NULL REFERENCES person(person_id),
  period_no           INTEGER NOT NULL,       -- 1.. in date order
  acquired_on         TEXT NOT NULL,
  lost_on             TEXT,                   -- 資格喪失日: the first day not insured
  category            TEXT NOT NULL,          -- '1' / '2'
  acquisition_reason  TEXT NOT NULL,
  loss_reason         TEXT,
  revision_id         BIGINT NOT NULL,        -- the revision that produced this row
  PRIMARY KEY (person_id, period_no)
);
CREATE INDEX eligibility_period_acquired ON eligibility_period(acquired_on);
CREATE INDEX eligibility_period_lost ON eligibility_period(lost_on);

-- One row per re-derivation that changed something: the visible history of the register.
CREATE TABLE eligibility_revision (
  revision_id         {{id}},
  person_id           TEXT NOT NULL REFERENCES person(person_id),
  revised_at          TEXT NOT NULL,
  revised_by          TEXT NOT NULL,          -- staff user_id or job ("juki:full-load")
  source              TEXT NOT NULL,
  source_exchange_id  BIGINT,
  case_id             BIGINT,
  cause               TEXT NOT NULL,          -- e.g. "住基異動 転入 2026-04-01 (SK-16)"
  earliest_change_on  TEXT NOT NULL,          -- the earliest date whose eligibility changed
  changes             TEXT NOT NULL           -- JSON: [{"kind","before","after"}] (eligibility::PeriodChange)
);
CREATE INDEX eligibility_revision_person ON eligibility_revision(person_id, revision_id);

-- Published changes for the other businesses and the outbound flows. Each consumer keeps a
-- cursor (the last event_id it has handled), moved in the same transaction as its own work.
CREATE TABLE eligibility_event (
  event_id            {{id}},
  person_id           TEXT NOT NULL,
  revision_id         BIGINT NOT NULL,
  effective_from      TEXT NOT NULL,          -- = the revision's earliest_change_on
  created_at          TEXT NOT NULL
);
CREATE TABLE event_cursor (
  consumer       TEXT PRIMARY KEY,            -- 'SK-18', 'SK-20', 'premium', 'recipient'
  last_event_id  BIGINT NOT NULL
);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('SK-18', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('SK-20', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('premium', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('recipient', 0);

-- Number sequences. 被保険者番号 issued by kaigo start at 1000000001 so that they never meet the
-- numbers a city migrates in (its former system's range, the synthetic city's 01…).
CREATE TABLE number_sequence (
  name        TEXT PRIMARY KEY,
  next_value  BIGINT NOT NULL
);
INSERT INTO number_sequence (name, next_value) VALUES ('insured_no', 1000000001);
-- Not a sequence but a lock: writers of eligibility_event hold this row until they commit, so
-- events become visible in event_id order and a consumer's cursor never skips a late commit.
INSERT INTO number_sequence (name, next_value) VALUES ('eligibility_event_lock', 0);

-- 被保険者証 issued (SK-17): one row per card handed out or printed in a batch.
CREATE TABLE insurance_card_issue (
  card_issue_id   {{id}},
  person_id       TEXT NOT NULL REFERENCES person(person_id),
  insured_no      TEXT NOT NULL,
  issued_on       TEXT NOT NULL,
  reason          TEXT NOT NULL,             -- new, turning_65, reissue_lost, reissue_damaged, reissue_change, …
  batch_run_id    BIGINT,
  issued_by       TEXT NOT NULL
);
CREATE INDEX insurance_card_issue_person ON insurance_card_issue(person_id, card_issue_id);

-- Resumable batch runs (the monthly 65歳到達 card run, registry full loads): each chunk commits
-- with the cursor, so a killed run resumes where it stopped.
CREATE TABLE batch_run (
  batch_run_id   {{id}},
  job            TEXT NOT NULL,              -- e.g. 'insurance_cards_turning_65'
  run_key        TEXT NOT NULL,              -- e.g. the month '2026-12'
  status         TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  cursor         TEXT NOT NULL,              -- the last person_id handled
  done_count     BIGINT NOT NULL,
  output_path    TEXT,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  started_by     TEXT NOT NULL,
  UNIQUE (job, run_key)
);
