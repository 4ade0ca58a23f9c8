-- 認定 (care-need certification, NT-01 … NT-17): applications and their 30-day clock, the home
-- assessment and the physician's opinion, committee sessions, decisions, the certifications they
-- grant, the notices and the fees owed. docs/certification.md.
--
-- Dates are ISO text; timestamps ISO text with +09:00; money integer yen; the 要介護認定等基準時間
-- is integer tenths of a minute (the national software prints one decimal: 45.3 → 453).
-- Care levels: none (非該当), support_1, support_2, care_1 … care_5 (certification::CareLevel).

-- 要介護認定等申請 (NT-01). application_no is the number staff and the counterparts use
-- ("A" + fiscal year + 6 digits, from number_sequence 'certification_application').
CREATE TABLE certification_application (
  application_id        {{id}},
  application_no        TEXT NOT NULL UNIQUE,
  person_id             TEXT NOT NULL REFERENCES person(person_id),
  insured_no            TEXT NOT NULL,
  kind                  TEXT NOT NULL CHECK (kind IN ('new', 'renewal', 'change', 'ex_officio', 'transfer')),
  category              TEXT NOT NULL CHECK (category IN ('1', '2')),  -- on applied_on
  applied_on            TEXT NOT NULL,          -- 申請日: day 0 of the clock
  deadline_on           TEXT NOT NULL,          -- applied_on + the rule's deadline days (法27条11項)
  specified_disease     TEXT,                   -- category 2: config/codes/specified_diseases.tsv
  previous_certification_id BIGINT,             -- renewal / change: the certification it follows
  certificate_id        BIGINT,                 -- transfer: certificate_of_entitlement (SK-09)
  place                 TEXT NOT NULL CHECK (place IN ('home', 'facility')),  -- where the person lives (fees)
  applicant_relation    TEXT NOT NULL,          -- 本人, 家族, 地域包括支援センター, 居宅介護支援事業者, 施設, 職権
  reason                TEXT NOT NULL DEFAULT '', -- change / ex_officio: why
  status                TEXT NOT NULL CHECK (status IN ('received', 'investigating', 'ready', 'scheduled',
                                                         'decided', 'notified', 'withdrawn')),
  -- The clock: the day each stage ended (NULL: not yet).
  assessment_requested_on TEXT,
  assessment_received_on  TEXT,
  opinion_requested_on    TEXT,
  opinion_received_on     TEXT,
  ready_on                TEXT,                 -- both in, first stage computed
  scheduled_on            TEXT,                 -- put before a session (NT-11 sent)
  decided_on              TEXT,                 -- NT-12 applied (or transfer decided)
  notified_on             TEXT,                 -- NT-13 issued
  withdrawn_on            TEXT,
  withdraw_reason         TEXT,
  -- Category 2 (NT-02 … NT-05): 'pending' until the answer is applied, then the outcome.
  insurance_check       TEXT NOT NULL DEFAULT 'not_needed' CHECK (insurance_check IN ('not_needed', 'pending', 'insured', 'not_insured')),
  arrears_check         TEXT NOT NULL DEFAULT 'not_needed' CHECK (arrears_check IN ('not_needed', 'pending', 'none', 'in_arrears')),
  insurance_inquiry_id  BIGINT,                 -- gateway inquiry of NT-02
  arrears_inquiry_id    BIGINT,                 -- gateway inquiry of NT-04
  arrears_months        INTEGER,
  handed_exchange_id    BIGINT,                 -- NT-01 to shinsa
  created_at            TEXT NOT NULL,
  created_by            TEXT NOT NULL,
  updated_at            TEXT NOT NULL
);
CREATE INDEX certification_application_person ON certification_application(person_id, applied_on);
CREATE INDEX certification_application_status ON certification_application(status, deadline_on);
INSERT INTO number_sequence (name, next_value) VALUES ('certification_application', 1);

-- 延期通知 (法27条11項ただし書): the reason and the expected date, one row per notice (a later
-- notice extends an earlier one).
CREATE TABLE certification_postponement (
  postponement_id   {{id}},
  application_id    BIGINT NOT NULL REFERENCES certification_application(application_id),
  reason            TEXT NOT NULL,
  expected_on       TEXT NOT NULL,            -- 処理見込期日
  issued_on         TEXT NOT NULL,
  issued_by         TEXT NOT NULL
);
CREATE INDEX certification_postponement_application ON certification_postponement(application_id, postponement_id);

-- 認定調査 (NT-07 request, NT-08 result). assessor_kind contractor: a 委託事業者 of
-- config/codes/assessment_contractors.tsv (fee owed, NT-16); city: the city's own 調査員 (no fee).
CREATE TABLE home_assessment (
  assessment_id     {{id}},
  application_id    BIGINT NOT NULL REFERENCES certification_application(application_id),
  request_no        TEXT NOT NULL UNIQUE,     -- "C" + application_no digits + "-" + n
  assessor_kind     TEXT NOT NULL CHECK (assessor_kind IN ('contractor', 'city')),
  contractor_code   TEXT,                     -- contractor: its code
  assessor_name     TEXT NOT NULL DEFAULT '',
  requested_on      TEXT NOT NULL,
  due_on            TEXT NOT NULL,
  request_exchange_id BIGINT,
  status            TEXT NOT NULL CHECK (status IN ('requested', 'received', 'cancelled')),
  -- The result (NT-08), as the national software returned it.
  assessed_on       TEXT,
  items             TEXT,                     -- JSON {"1-1-1":"1", …}: the 74 基本調査 items (config/codes/assessment_items.tsv)
  special_notes     TEXT,                     -- 特記事項
  standard_tenths   INTEGER,                  -- 要介護認定等基準時間 in tenths of a minute
  cognitive_decline INTEGER,                  -- 0/1: 認知機能の低下 (national software's estimate)
  unstable_condition INTEGER,                 -- 0/1: 状態の不安定性
  dementia_independence TEXT,                 -- 認知症高齢者の日常生活自立度: 自立, I, IIa, IIb, IIIa, IIIb, IV, M
  bedridden_independence TEXT,                -- 障害高齢者の日常生活自立度: 自立, J1 … C2
  result_exchange_id BIGINT,
  received_on       TEXT,
  created_by        TEXT NOT NULL
);
CREATE INDEX home_assessment_application ON home_assessment(application_id, assessment_id);

-- 主治医意見書 (NT-09 request, NT-10 opinion). institution_code: config/codes/medical_institutions.tsv.
CREATE TABLE physician_opinion (
  opinion_id        {{id}},
  application_id    BIGINT NOT NULL REFERENCES certification_application(application_id),
  request_no        TEXT NOT NULL UNIQUE,     -- "D" + application_no digits + "-" + n
  institution_code  TEXT NOT NULL,
  doctor_name       TEXT NOT NULL,
  first_visit       INTEGER NOT NULL,         -- 0/1: 初回 (新規) or 継続 — the fee differs
  requested_on      TEXT NOT NULL,
  due_on            TEXT NOT NULL,
  request_exchange_id BIGINT,
  status            TEXT NOT NULL CHECK (status IN ('requested', 'received', 'cancelled')),
  written_on        TEXT,
  content           TEXT,                     -- JSON: diagnoses, specified_disease, independence levels, remarks
  specified_disease TEXT,                     -- the 特定疾病 the doctor names (category 2)
  result_exchange_id BIGINT,
  received_on       TEXT,
  created_by        TEXT NOT NULL
);
CREATE INDEX physician_opinion_application ON physician_opinion(application_id, opinion_id);

-- 一次判定: computed by certification::first_stage from the assessment result.
CREATE TABLE first_stage_result (
  application_id    BIGINT PRIMARY KEY REFERENCES certification_application(application_id),
  assessment_id     BIGINT NOT NULL REFERENCES home_assessment(assessment_id),
  care_level        TEXT NOT NULL,
  standard_tenths   INTEGER NOT NULL,
  explanation       TEXT NOT NULL,            -- Japanese: the interval that matched and the flags
  computed_at       TEXT NOT NULL
);

-- 介護認定審査会: members and sessions (合議体 per sitting).
CREATE TABLE committee_member (
  member_code       TEXT PRIMARY KEY,
  name              TEXT NOT NULL,
  profession        TEXT NOT NULL,            -- 医師, 歯科医師, 薬剤師, 保健師, 看護師, 介護福祉士, 社会福祉士, …
  payee_code        TEXT NOT NULL,            -- the accounting system's 債権者コード (NT-15)
  active            INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE committee_session (
  session_id        {{id}},
  session_no        TEXT NOT NULL UNIQUE,     -- "S" + date + "-" + panel
  panel             TEXT NOT NULL,            -- 合議体 name, e.g. 第1合議体
  held_on           TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('planned', 'requested', 'decided', 'cancelled')),
  request_exchange_id BIGINT,                 -- NT-11
  decision_exchange_id BIGINT,                -- NT-12
  created_at        TEXT NOT NULL,
  created_by        TEXT NOT NULL
);
CREATE INDEX committee_session_held ON committee_session(held_on);
CREATE TABLE committee_session_member (
  session_id        BIGINT NOT NULL REFERENCES committee_session(session_id),
  member_code       TEXT NOT NULL REFERENCES committee_member(member_code),
  role              TEXT NOT NULL CHECK (role IN ('chair', 'member')),
  attended          INTEGER,                  -- NULL until the decision reports it
  PRIMARY KEY (session_id, member_code)
);
-- A case before a session: one application per session; an application postponed by the
-- committee (再審査) goes to a later session as a new row.
CREATE TABLE committee_case (
  session_id        BIGINT NOT NULL REFERENCES committee_session(session_id),
  application_id    BIGINT NOT NULL REFERENCES certification_application(application_id),
  case_order        INTEGER NOT NULL,
  outcome           TEXT CHECK (outcome IN ('decided', 'deferred')),  -- NULL until NT-12
  PRIMARY KEY (session_id, application_id)
);
CREATE INDEX committee_case_application ON committee_case(application_id);

-- 二次判定 (NT-12, or the certificate's terms for a transfer): at most one per application.
CREATE TABLE certification_decision (
  decision_id       {{id}},
  application_id    BIGINT NOT NULL UNIQUE REFERENCES certification_application(application_id),
  session_id        BIGINT,                   -- NULL for a transfer
  care_level        TEXT NOT NULL,
  first_stage_level TEXT,                     -- what the first stage said (NULL for a transfer)
  validity_months   INTEGER,                  -- NULL for none (非該当) and for a transfer
  valid_from        TEXT,                     -- NULL for none
  valid_to          TEXT,
  remarks           TEXT NOT NULL DEFAULT '', -- 審査会の意見 (and サービスの種類の指定)
  change_reason     TEXT NOT NULL DEFAULT '', -- why the level differs from the first stage
  decided_on        TEXT NOT NULL,
  source_exchange_id BIGINT,
  recorded_at       TEXT NOT NULL,
  recorded_by       TEXT NOT NULL
);

-- The certifications in force and past (what the card, the notices and the benefits read). A
-- decision of a level grants one; a renewal or change ends the previous one the day before
-- (status superseded, valid_to moved when a change starts earlier).
CREATE TABLE care_certification (
  certification_id  {{id}},
  person_id         TEXT NOT NULL REFERENCES person(person_id),
  application_id    BIGINT NOT NULL UNIQUE REFERENCES certification_application(application_id),
  care_level        TEXT NOT NULL,
  valid_from        TEXT NOT NULL,
  valid_to          TEXT NOT NULL,
  certified_on      TEXT NOT NULL,            -- 認定日 (the decision day)
  monthly_cap_units INTEGER NOT NULL,         -- 区分支給限度基準額 of the level on valid_from
  status            TEXT NOT NULL CHECK (status IN ('current', 'superseded', 'cancelled')),
  remarks           TEXT NOT NULL DEFAULT '',
  recorded_at       TEXT NOT NULL
);
CREATE INDEX care_certification_person ON care_certification(person_id, valid_from);
CREATE INDEX care_certification_valid_to ON care_certification(status, valid_to);

-- Published changes of certifications for the outbound flows (NT-14) and, later, the recipient
-- records (KY-03): consumers keep an event_cursor row (writers hold number_sequence
-- 'certification_event_lock' until commit, as eligibility_event does).
CREATE TABLE certification_event (
  event_id          {{id}},
  person_id         TEXT NOT NULL,
  certification_id  BIGINT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('granted', 'superseded', 'cancelled')),
  created_at        TEXT NOT NULL
);
INSERT INTO number_sequence (name, next_value) VALUES ('certification_event_lock', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('NT-14', 0);

-- Documents issued to the person: 認定結果通知書 (NT-13, with the card), 延期通知書, 受給資格証明書
-- (NT-06), 更新申請のお知らせ. One row each, so a batch prints nobody twice.
CREATE TABLE certification_document (
  document_id       {{id}},
  person_id         TEXT NOT NULL,
  application_id    BIGINT,
  certification_id  BIGINT,
  kind              TEXT NOT NULL CHECK (kind IN ('result_notice', 'postponement_notice', 'entitlement_certificate', 'renewal_reminder')),
  issued_on         TEXT NOT NULL,
  issued_by         TEXT NOT NULL,
  exchange_id       BIGINT,                   -- NT-06: the exchange to the medical insurer
  batch_run_id      BIGINT,
  once_key          TEXT UNIQUE               -- "result_notice:<application_id>", "renewal_reminder:<certification_id>":
                                              -- what is issued once; NULL for a reprint at the counter
);
CREATE INDEX certification_document_person ON certification_document(person_id, document_id);

-- Fees owed (NT-15 committee members, NT-16 assessment contractors, NT-17 medical institutions),
-- accrued when the work is done, sent to accounting in a payment file once (exchange_id set).
CREATE TABLE certification_fee (
  fee_id            {{id}},
  flow_id           TEXT NOT NULL CHECK (flow_id IN ('NT-15', 'NT-16', 'NT-17')),
  basis_key         TEXT NOT NULL UNIQUE,     -- "NT-16:assessment:<id>", "NT-15:session:<id>:<member>" — one fee per piece of work
  payee_code        TEXT NOT NULL,
  payee_name        TEXT NOT NULL,
  fee_kind          TEXT NOT NULL,            -- the fee table's key, e.g. assessment_new_home
  amount            BIGINT NOT NULL,          -- yen
  work_on           TEXT NOT NULL,            -- the day the work was done
  application_id    BIGINT,
  session_id        BIGINT,
  exchange_id       BIGINT,                   -- the payment file it went in; NULL: not sent yet
  created_at        TEXT NOT NULL
);
CREATE INDEX certification_fee_unsent ON certification_fee(flow_id, exchange_id, fee_id);
