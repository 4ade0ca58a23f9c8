-- 資格 counter work (docs/movement-cases.md): a 住民異動届 handed in at the counter is a case
-- (SK-01) with a checklist (config/codes/movement_checklists.tsv), the 住登外 question and answer
-- (SK-06/07), the 番号連携 inquiries it needs (SK-04…15) and what their answers applied. Completing
-- the case writes the movement to the insured register (migration 005) in the same transaction as
-- the status change; a completed or cancelled case never changes again.

CREATE TABLE movement_case (
  case_id              {{id}},
  person_id            TEXT REFERENCES person(person_id),  -- NULL: a newcomer not yet in the registry copy
  movement_kind        TEXT NOT NULL,        -- eligibility::MovementKind code (move_in, move_out, …)
  movement_date        TEXT NOT NULL,        -- 異動日 (転入日, 転出日 / 転出予定日, 死亡日 …)
  new_address_on       TEXT,                 -- move_out: the new city's 転入日, when known (法11条ただし書)
  notified_on          TEXT NOT NULL,        -- 届出日: the day the notice was handed in
  notifier             TEXT NOT NULL CHECK (notifier IN ('本人', '世帯員', '代理人')),
  note                 TEXT NOT NULL,
  status               TEXT NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
  outcome_revision_id  BIGINT,              -- the eligibility_revision the completion wrote, if any
  outcome_summary      TEXT,                -- what completing did (or why it changed nothing in eligibility)
  created_at           TEXT NOT NULL,
  created_by           TEXT NOT NULL,
  completed_at         TEXT,
  completed_by         TEXT,
  cancelled_at         TEXT,
  cancelled_by         TEXT,
  cancel_reason        TEXT
);
CREATE INDEX movement_case_status ON movement_case(status, case_id);
CREATE INDEX movement_case_person ON movement_case(person_id, case_id);

-- The case's checklist, copied from the checklist table when the case is opened (so a later edit
-- of the table does not change a case in progress).
CREATE TABLE movement_case_check (
  case_id       BIGINT NOT NULL REFERENCES movement_case(case_id),
  item          TEXT NOT NULL,        -- the item code of movement_checklists.tsv
  position      INTEGER NOT NULL,     -- order on the screen
  label         TEXT NOT NULL,
  satisfied_by  TEXT NOT NULL,        -- an inquiry kind, 'non_registered' (SK-07), or '' (ticked by staff)
  done          INTEGER NOT NULL,     -- 0 / 1
  done_by       TEXT,
  done_at       TEXT,
  PRIMARY KEY (case_id, item)
);

-- The 番号連携 inquiries sent for the case (the inquiry itself is the gateway's, migration 004),
-- and when its answer was applied. An answer is applied at most once (applied_at set).
CREATE TABLE movement_case_inquiry (
  case_id        BIGINT NOT NULL REFERENCES movement_case(case_id),
  inquiry_id     BIGINT NOT NULL UNIQUE,
  applied_at     TEXT,
  applied_by     TEXT,
  apply_summary  TEXT,                -- what the answer changed, without personal data
  PRIMARY KEY (case_id, inquiry_id)
);

-- 住登外 (SK-06/07): the question put to the person (e.g. where they actually live) and their answer.
CREATE TABLE non_registered_contact (
  case_id      BIGINT PRIMARY KEY REFERENCES movement_case(case_id),
  question     TEXT NOT NULL,
  asked_on     TEXT NOT NULL,
  asked_by     TEXT NOT NULL,
  answer       TEXT,
  answered_on  TEXT,
  answered_by  TEXT
);

-- 受給資格証明書 (介護保険法36条) of the former city, as its SK-09 answer carried it. carries_over is
-- eligibility::certificate_carries_over(acquired_on here, applied_on): an application within 14
-- days of acquisition is certified on the certificate's terms. The certification business reads it.
CREATE TABLE certificate_of_entitlement (
  certificate_id   {{id}},
  person_id        TEXT NOT NULL REFERENCES person(person_id),
  case_id          BIGINT NOT NULL REFERENCES movement_case(case_id),
  inquiry_id       BIGINT NOT NULL UNIQUE,   -- the SK-08 inquiry whose answer this is
  insurer_no       TEXT NOT NULL,            -- the issuing (former) insurer, 6 digits
  former_insured_no TEXT,                    -- the 被保険者番号 there, when the answer carries it
  care_level       TEXT NOT NULL,            -- support_1, support_2, care_1 … care_5
  certified_from   TEXT NOT NULL,
  certified_to     TEXT NOT NULL,
  certified_on     TEXT NOT NULL,
  acquired_on      TEXT NOT NULL,            -- 資格取得日 here the deadline counts from
  applied_on       TEXT NOT NULL,            -- the application with the certificate (the case's 届出日)
  carries_over     INTEGER NOT NULL,         -- 0 / 1
  recorded_at      TEXT NOT NULL,
  recorded_by      TEXT NOT NULL
);
CREATE INDEX certificate_of_entitlement_person ON certificate_of_entitlement(person_id, certificate_id);
