-- 給付 (benefits), flows KY-01 … KY-24 (docs/benefit.md). Money is integer yen; months are
-- 'YYYY-MM'; dates ISO. Every table that a counterpart's message fills names the exchange that
-- brought it. Rows that record a decision are never updated in place except for their status
-- (a later decision supersedes them), so every amount keeps the explanation it was decided with.

-- ---- KY-01/02 居宅サービス計画作成依頼届出 -----------------------------------------------
-- One notification of who makes the person's care plan, from a day. A new notification ends the
-- previous one the day before (status ended); a withdrawn one is cancelled.
CREATE TABLE care_plan (
  care_plan_id   {{id}},
  person_id      TEXT NOT NULL REFERENCES person(person_id),
  plan_kind      TEXT NOT NULL CHECK (plan_kind IN ('home_care', 'prevention', 'self')),
                                             -- 居宅介護支援 / 介護予防支援 (地域包括支援センター) / 自己作成
  office_no      TEXT,                       -- 10-digit 事業所番号 (config/codes/care_offices.tsv); NULL for self
  notified_on    TEXT NOT NULL,              -- 届出日
  valid_from     TEXT NOT NULL,              -- 適用開始日
  valid_to       TEXT,                       -- NULL: open
  status         TEXT NOT NULL CHECK (status IN ('current', 'ended', 'cancelled')),
  recorded_at    TEXT NOT NULL,
  recorded_by    TEXT NOT NULL
);
CREATE INDEX care_plan_person ON care_plan(person_id, valid_from);

-- 給付制限 (介護保険法 66条 支払方法の変更, 67条 保険給付の一時差止, 69条 給付額の減額), decided by
-- staff for premium arrears; carried in the recipient record (KY-03).
CREATE TABLE benefit_restriction (
  restriction_id {{id}},
  person_id      TEXT NOT NULL REFERENCES person(person_id),
  kind           TEXT NOT NULL CHECK (kind IN ('reimbursement_only', 'payment_suspended', 'benefit_reduced')),
  valid_from     TEXT NOT NULL,
  valid_to       TEXT,
  decided_on     TEXT NOT NULL,
  reason         TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('current', 'ended', 'cancelled')),
  recorded_at    TEXT NOT NULL,
  recorded_by    TEXT NOT NULL
);
CREATE INDEX benefit_restriction_person ON benefit_restriction(person_id, valid_from);

-- 利用者負担割合 (法49条の2, 59条の2; 施行令22条の2): one row per decided period (normally 1 August
-- – 31 July). A redetermination (mid-year change of income or household, correction) supersedes
-- the row from its day. explanation: JSON of the inputs and the thresholds that decided it.
CREATE TABLE copayment_rate (
  rate_id        {{id}},
  person_id      TEXT NOT NULL REFERENCES person(person_id),
  rate_year      INTEGER NOT NULL,           -- the year whose 1 August starts the period
  valid_from     TEXT NOT NULL,
  valid_to       TEXT NOT NULL,
  rate           INTEGER NOT NULL CHECK (rate IN (1, 2, 3)),  -- 1割 / 2割 / 3割
  tax_year       INTEGER NOT NULL,           -- the income year used (rate_year − 1 from 1 August)
  reason         TEXT NOT NULL CHECK (reason IN ('yearly', 'mid_year', 'new_recipient', 'correction')),
  explanation    TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('current', 'superseded')),
  batch_run_id   BIGINT,
  decided_at     TEXT NOT NULL,
  decided_by     TEXT NOT NULL
);
CREATE INDEX copayment_rate_person ON copayment_rate(person_id, valid_from);
CREATE INDEX copayment_rate_year ON copayment_rate(rate_year, status);

-- Published changes of the benefit side for KY-02 (care plans to welfare / committee support)
-- and KY-03 (recipient records). Writers hold number_sequence 'recipient_event_lock' until they
-- commit, as eligibility_event and certification_event writers do.
CREATE TABLE recipient_event (
  event_id       {{id}},
  person_id      TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('care_plan', 'copayment_rate', 'benefit_restriction')),
  ref_id         BIGINT NOT NULL,            -- care_plan_id / rate_id / restriction_id
  created_at     TEXT NOT NULL
);
INSERT INTO number_sequence (name, next_value) VALUES ('recipient_event_lock', 0);
-- KY-03 reads three streams: eligibility_event ('recipient', already in 005), certification_event
-- ('KY-03:certification') and recipient_event ('KY-03:recipient'); KY-02 reads recipient_event.
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('KY-03:certification', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('KY-03:recipient', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('KY-02', 0);

-- ---- KY-03 受給者異動連絡票情報 ------------------------------------------------------------
-- A file is built as a draft (records checked against the 国保連's rejection causes), shown to
-- staff, then sent; held records (a check failed) stay out of the file and are rebuilt next time.
CREATE TABLE recipient_file (
  file_id        {{id}},
  kind           TEXT NOT NULL CHECK (kind IN ('regular', 'correction')),
  status         TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'discarded')),
  layout_version TEXT NOT NULL,
  record_count   INTEGER NOT NULL,           -- records in the file (ok ones)
  held_count     INTEGER NOT NULL,
  exchange_id    BIGINT,                     -- the outbound exchange once sent
  built_at       TEXT NOT NULL,
  built_by       TEXT NOT NULL,
  sent_at        TEXT,
  sent_by        TEXT
);
CREATE TABLE recipient_record (
  record_id      {{id}},
  file_id        BIGINT NOT NULL REFERENCES recipient_file(file_id),
  person_id      TEXT NOT NULL,
  insured_no     TEXT NOT NULL,
  change_kind    TEXT NOT NULL CHECK (change_kind IN ('new', 'change', 'end')),       -- 異動区分 1/2/3
  correction     TEXT NOT NULL CHECK (correction IN ('none', 'correct', 'delete')),  -- 訂正区分
  corrects_record_id BIGINT,                 -- the sent record a 訂正 replaces
  change_date    TEXT NOT NULL,              -- 異動年月日
  fields         TEXT NOT NULL,              -- JSON {layout key: value} exactly as written
  check_status   TEXT NOT NULL CHECK (check_status IN ('ok', 'held')),
  check_causes   TEXT NOT NULL DEFAULT '[]'  -- JSON [{"cause","field","message"}], no personal data
);
CREATE INDEX recipient_record_person ON recipient_record(person_id, record_id);
CREATE INDEX recipient_record_file ON recipient_record(file_id, record_id);

-- ---- inbound files of the benefit side (KY-04 国保連, KY-19 bank, KY-21/23 国保) ----------------
-- One row per file received, applied or rejected. The same bytes twice are recognised by
-- (flow_id, sha256) and change nothing; a rejected file is kept in quarantine_path with its errors.
CREATE TABLE benefit_inbound_file (
  file_id        {{id}},
  flow_id        TEXT NOT NULL CHECK (flow_id IN ('KY-04', 'KY-19', 'KY-21', 'KY-23')),
  exchange_id    BIGINT,
  sha256         TEXT NOT NULL,
  layout_version TEXT,
  status         TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
  record_count   BIGINT NOT NULL,
  summary        TEXT NOT NULL,              -- JSON counts (new/corrected/cancelled, cleared …)
  quarantine_path TEXT,
  received_at    TEXT NOT NULL,
  UNIQUE (flow_id, sha256)
);
CREATE TABLE benefit_inbound_error (
  error_id       {{id}},
  file_id        BIGINT NOT NULL REFERENCES benefit_inbound_file(file_id),
  line_no        BIGINT NOT NULL,            -- 1-based line of the file (0: the file as a whole)
  field          TEXT NOT NULL,              -- the layout's field name (日本語) or ''
  message        TEXT NOT NULL               -- no personal data
);
CREATE INDEX benefit_inbound_error_file ON benefit_inbound_error(file_id, line_no);

-- ---- KY-04 給付実績 --------------------------------------------------------------------------
-- One row per claim version. claim_no is the 国保連's number of the claim, the same on its 新規,
-- 修正 and 取消: a 修正 supersedes the current row, a 取消 cancels it. At most one current row
-- per claim_no.
CREATE TABLE benefit_record (
  record_id      {{id}},
  claim_no       TEXT NOT NULL,
  person_id      TEXT NOT NULL,
  insured_no     TEXT NOT NULL,
  service_month  TEXT NOT NULL,              -- サービス提供年月 'YYYY-MM'
  review_month   TEXT NOT NULL,              -- 審査年月 'YYYY-MM'
  office_no      TEXT NOT NULL,              -- 事業所番号
  service_kind   TEXT NOT NULL,              -- サービス種類コード (config/codes/service_kinds.tsv)
  payment_kind   TEXT NOT NULL CHECK (payment_kind IN ('in_kind', 'reimbursement')),  -- 現物 / 償還
  days           INTEGER NOT NULL,
  units          BIGINT NOT NULL,            -- 単位数
  unit_price_hundredths INTEGER NOT NULL,    -- 単位数単価 × 100 (10.72 円 → 1072)
  total_cost     BIGINT NOT NULL,            -- 費用額 (yen)
  insurance_paid BIGINT NOT NULL,            -- 保険給付額
  copayment      BIGINT NOT NULL,            -- 利用者負担額
  public_paid    BIGINT NOT NULL,            -- 公費負担額
  status         TEXT NOT NULL CHECK (status IN ('current', 'superseded', 'cancelled')),
  file_id        BIGINT NOT NULL,            -- benefit_inbound_file
  line_no        BIGINT NOT NULL,
  replaced_by    BIGINT,                     -- the record_id of the 修正 / 取消 that ended it
  recorded_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX benefit_record_current_claim ON benefit_record(claim_no) WHERE status = 'current';
CREATE INDEX benefit_record_person ON benefit_record(person_id, service_month);
CREATE INDEX benefit_record_month ON benefit_record(service_month, status);

-- ---- KY-05 … KY-17 高額介護サービス費 -------------------------------------------------------
-- The one-time application: registers the account; later months are paid automatically
-- (施行規則83条の9 ff.; the city's 要綱).
CREATE TABLE high_cost_application (
  application_id {{id}},
  person_id      TEXT NOT NULL REFERENCES person(person_id),
  received_on    TEXT NOT NULL,
  first_month    TEXT NOT NULL,              -- the first service month it covers 'YYYY-MM'
  bank_code      TEXT NOT NULL,              -- 4 digits
  branch_code    TEXT NOT NULL,              -- 3 digits
  account_kind   TEXT NOT NULL CHECK (account_kind IN ('ordinary', 'current')),  -- 普通 / 当座
  account_no     TEXT NOT NULL,              -- 7 digits
  account_holder_kana TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
  recorded_at    TEXT NOT NULL,
  recorded_by    TEXT NOT NULL
);
CREATE INDEX high_cost_application_person ON high_cost_application(person_id, status);

-- Why the benefit side asked the 番号連携 gateway (KY-08 … KY-15) and what applying the answer
-- did (the answers are written into tax_income / household_member_tax_status / pension /
-- public_assistance like the premium's, migration 012). outcome NULL: not applied yet.
CREATE TABLE benefit_inquiry (
  inquiry_id     BIGINT PRIMARY KEY,         -- inquiry.inquiry_id (004)
  person_id      TEXT NOT NULL REFERENCES person(person_id),
  purpose        TEXT NOT NULL CHECK (purpose IN ('high_cost', 'copayment_rate')),
  kind           TEXT NOT NULL,              -- config/codes/inquiry_kinds.tsv
  base_date      TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  outcome        TEXT CHECK (outcome IN ('applied', 'unchanged', 'not_found', 'failed', 'rejected')),
  summary        TEXT,
  reject_reason  TEXT,
  answer_exchange_id BIGINT,
  applied_at     TEXT,
  applied_by     TEXT
);
CREATE INDEX benefit_inquiry_person ON benefit_inquiry(person_id, purpose, kind);
CREATE INDEX benefit_inquiry_waiting ON benefit_inquiry(outcome, inquiry_id);

-- One decision per person and service month (a recomputation after a 修正/取消 supersedes it; the
-- difference is paid, or becomes a repayment). explanation: JSON of every input and step
-- (household members and their co-payments, category and why, cap, the split and its rounding).
CREATE TABLE high_cost_decision (
  decision_id    {{id}},
  person_id      TEXT NOT NULL REFERENCES person(person_id),
  service_month  TEXT NOT NULL,
  household_key  TEXT NOT NULL,              -- 世帯番号 on the last day of the month
  category       TEXT NOT NULL,              -- benefit rules IncomeCategory name
  household_copayment BIGINT NOT NULL,       -- the household's co-payments that count
  own_copayment  BIGINT NOT NULL,
  cap            BIGINT NOT NULL,            -- 上限額 applied
  amount         BIGINT NOT NULL,            -- 支給額 of this decision (0: none)
  paid_before    BIGINT NOT NULL,            -- what earlier decisions of the month paid
  application_id BIGINT,                     -- the account; NULL: no application yet (held)
  status         TEXT NOT NULL CHECK (status IN ('current', 'superseded')),
  explanation    TEXT NOT NULL,
  batch_run_id   BIGINT,
  decided_at     TEXT NOT NULL
);
CREATE INDEX high_cost_decision_person ON high_cost_decision(person_id, service_month);
CREATE INDEX high_cost_decision_month ON high_cost_decision(service_month, status);

-- ---- KY-21 … KY-23 高額医療合算介護サービス費 -------------------------------------------------
CREATE TABLE combined_application (
  combined_id    {{id}},
  person_id      TEXT NOT NULL REFERENCES person(person_id),
  kokuho_ref     TEXT NOT NULL UNIQUE,       -- the 国保 system's application number
  period_from    TEXT NOT NULL,              -- 1 August
  period_to      TEXT NOT NULL,              -- 31 July (基準日)
  medical_insurer_no TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('received', 'certified', 'decided', 'not_payable')),
  care_copayment BIGINT,                     -- KY-22: the care co-payment total of the period
  medical_copayment BIGINT,                  -- KY-23: the medical side's total
  excess_total   BIGINT,                     -- KY-23: the household's excess over the annual limit
  care_share     BIGINT,                     -- KY-23: the care side's share (paid when > 500 yen)
  explanation    TEXT,
  received_file_id BIGINT,
  certificate_exchange_id BIGINT,            -- KY-22
  result_file_id BIGINT,                     -- KY-23
  recorded_at    TEXT NOT NULL
);
CREATE INDEX combined_application_person ON combined_application(person_id, period_from);

-- ---- KY-17 / KY-20 payment data to accounting -------------------------------------------------
-- One row per amount owed to or by someone, sent to accounting once (exchange_id set).
-- basis_key makes it once: "high_cost:<decision_id>", "combined:<combined_id>",
-- "repayment:<repayment_id>", "receipt:<receipt_id>", "refund:<receipt_id>".
CREATE TABLE benefit_payment (
  payment_id     {{id}},
  flow_id        TEXT NOT NULL CHECK (flow_id IN ('KY-17', 'KY-20')),
  kind           TEXT NOT NULL CHECK (kind IN ('high_cost', 'combined', 'repayment_charge', 'repayment_receipt', 'repayment_refund')),
  basis_key      TEXT NOT NULL UNIQUE,
  person_id      TEXT,
  payee_name     TEXT NOT NULL,
  amount         BIGINT NOT NULL,
  bank_code      TEXT,
  branch_code    TEXT,
  account_kind   TEXT,
  account_no     TEXT,
  account_holder_kana TEXT,
  exchange_id    BIGINT,
  created_at     TEXT NOT NULL
);
CREATE INDEX benefit_payment_unsent ON benefit_payment(flow_id, exchange_id, payment_id);

-- ---- KY-18 … KY-20 返還金 ---------------------------------------------------------------------
-- A repayment decision (徴収金, 法22条): principal, and for a provider's fraud the 加算金 of up to
-- 40% (法22条3項). slip_no is printed on the 納付書 and matches the bank's 納入済通知.
CREATE TABLE repayment (
  repayment_id   {{id}},
  debtor_kind    TEXT NOT NULL CHECK (debtor_kind IN ('insured', 'provider')),
  person_id      TEXT,                       -- insured: the person; provider: the person whose benefit it was, if one
  office_no      TEXT,                       -- provider
  debtor_name    TEXT NOT NULL,
  reason_kind    TEXT NOT NULL,              -- benefit rules RepaymentReason
  reason         TEXT NOT NULL,
  principal      BIGINT NOT NULL,
  surcharge      BIGINT NOT NULL,
  total          BIGINT NOT NULL,
  paid_total     BIGINT NOT NULL DEFAULT 0,
  slip_no        TEXT NOT NULL UNIQUE,
  decided_on     TEXT NOT NULL,
  due_on         TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('open', 'partially_paid', 'paid', 'overpaid', 'cancelled')),
  explanation    TEXT NOT NULL,
  decided_by     TEXT NOT NULL,
  recorded_at    TEXT NOT NULL
);
CREATE INDEX repayment_person ON repayment(person_id, repayment_id);
CREATE TABLE repayment_receipt (
  receipt_id     {{id}},
  repayment_id   BIGINT NOT NULL REFERENCES repayment(repayment_id),
  file_id        BIGINT NOT NULL,            -- benefit_inbound_file (KY-19)
  line_no        BIGINT NOT NULL,
  paid_on        TEXT NOT NULL,
  amount         BIGINT NOT NULL,
  recorded_at    TEXT NOT NULL,
  UNIQUE (file_id, line_no)
);

-- ---- documents issued to the person ---------------------------------------------------------
-- 負担割合証, 高額 支給決定通知書 (KY-16), 返還金 決定通知書・納付書 (KY-18), 合算 支給決定通知書
-- (KY-23), 給付費通知 (KY-24). once_key: what is issued once ("copayment_card:<rate_id>",
-- "high_cost_notice:<decision_id>", "repayment_notice:<repayment_id>",
-- "combined_notice:<combined_id>", "statement:<period>:<person_id>"); NULL for a reprint.
CREATE TABLE benefit_document (
  document_id    {{id}},
  person_id      TEXT,
  kind           TEXT NOT NULL CHECK (kind IN ('copayment_card', 'high_cost_notice', 'repayment_notice',
                                               'combined_notice', 'benefit_statement')),
  ref_id         BIGINT,
  issued_on      TEXT NOT NULL,
  issued_by      TEXT NOT NULL,
  batch_run_id   BIGINT,
  once_key       TEXT UNIQUE
);
CREATE INDEX benefit_document_person ON benefit_document(person_id, document_id);
