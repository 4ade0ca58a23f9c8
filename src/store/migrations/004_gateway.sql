-- 番号連携 gateway (docs/gateway.md): inquiries (情報照会) through the 中間サーバー, bulk batches,
-- and the backlog of 副本 (copies the city provides to others). Every inquiry is also an exchange
-- (migration 003): exchange_id names the outbound request, so the exchange log of record has it.
-- Timestamps are ISO text with +09:00; next_poll_at and deadline_at are unix seconds.

CREATE TABLE inquiry_bulk (
  bulk_id     {{id}},
  kind        TEXT NOT NULL,
  count       BIGINT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE inquiry (
  inquiry_id       {{id}},
  request_key      TEXT NOT NULL UNIQUE,     -- the protocol's idempotency key (INQ-…)
  kind             TEXT NOT NULL,            -- config/codes/inquiry_kinds.tsv
  flow_id          TEXT NOT NULL,            -- the request flow of the kind used (e.g. FK-03)
  person_id        TEXT NOT NULL,            -- 統合宛名番号; never the My Number
  jimu_code        TEXT NOT NULL,
  procedure_code   TEXT NOT NULL,
  item_code        TEXT NOT NULL,
  institution_code TEXT NOT NULL,
  period_from      TEXT NOT NULL,
  period_to        TEXT NOT NULL,
  processing_no    TEXT,                     -- 処理通番 given by the 中間サーバー
  status           TEXT NOT NULL CHECK (status IN ('queued', 'submitted', 'pending', 'manual_pending', 'provided',
                                                   'not_found', 'error', 'timed_out', 'cancelled')),
  answer           TEXT,                     -- JSON {"items":{…},"null_reasons":{…}}
  error_code       TEXT,
  error_message    TEXT,
  cancel_reason    TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_poll_at     BIGINT,                   -- when run_due may send (queued) or poll it; a claim moves it
  deadline_at      BIGINT,                   -- past it, an open inquiry is timed_out
  bulk_id          BIGINT,
  exchange_id      BIGINT NOT NULL,          -- the outbound exchange (003) that carried the request
  created_by       TEXT NOT NULL,
  purpose          TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  answered_at      TEXT
);
-- run_due claims due rows by status and time.
CREATE INDEX inquiry_due ON inquiry(status, next_poll_at);
CREATE INDEX inquiry_person ON inquiry(person_id, inquiry_id);
CREATE INDEX inquiry_processing ON inquiry(processing_no);

-- 副本: a versioned copy of a data set about one person, waiting to be registered.
CREATE TABLE provision_copy (
  copy_id        {{id}},
  data_set       TEXT NOT NULL CHECK (data_set IN ('eligibility', 'former_address_rule', 'recipient',
                                                   'copayment_rate', 'benefits')),
  person_id      TEXT NOT NULL,
  version        TEXT NOT NULL,
  items          TEXT NOT NULL,              -- JSON object
  null_reasons   TEXT NOT NULL,              -- JSON object: item → why it has no value
  status         TEXT NOT NULL CHECK (status IN ('pending', 'registered')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  staged_at      TEXT NOT NULL,
  registered_at  TEXT,
  UNIQUE (data_set, person_id, version)
);
CREATE INDEX provision_copy_pending ON provision_copy(status, copy_id);
CREATE INDEX provision_copy_person ON provision_copy(person_id, copy_id);
