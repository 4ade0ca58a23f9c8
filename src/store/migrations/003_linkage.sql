-- Linkage: every exchange with a counterpart (transactional outbox and inbox), the persons it
-- concerns, and the exchange log of record (情報提供等記録). See docs/linkage.md.
-- Timestamps are ISO text with +09:00 (from the injected Clock); next_attempt_at is unix seconds.

CREATE TABLE exchange (
  exchange_id      {{id}},
  flow_id          TEXT NOT NULL,              -- config/flows/catalog.tsv, e.g. SK-02
  counterpart      TEXT NOT NULL,              -- config/flows/counterparts.tsv code
  direction        TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  -- 処理通番: given by this system to every exchange, KG<YYYYMMDD>-<exchange_id, 10 digits>.
  -- Set by the same transaction that inserts the row (it is derived from the new id).
  correlation_id   TEXT,
  -- For an inbound answer: the 処理通番 of our request that the counterpart quoted.
  in_reply_to      TEXT,
  idempotency_key  TEXT NOT NULL UNIQUE,      -- out:… / in:<counterpart>:msg:<id> / in:<counterpart>:sha256:<hash>
  payload          TEXT NOT NULL,
  payload_sha256   TEXT NOT NULL,
  content_type     TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'answered', 'applied', 'rejected')),
  reason           TEXT,                       -- why rejected, or the last send error
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  BIGINT,                     -- outbound: when the dispatcher may (re)send it
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,              -- staff user_id, batch job or channel
  purpose          TEXT NOT NULL,
  UNIQUE (counterpart, correlation_id)
);
-- The dispatcher polls queued outbound exchanges that are due.
CREATE INDEX exchange_due ON exchange(status, next_attempt_at);
CREATE INDEX exchange_flow ON exchange(flow_id, created_at);
CREATE INDEX exchange_reply ON exchange(counterpart, in_reply_to);

CREATE TABLE exchange_person (
  exchange_id  BIGINT NOT NULL REFERENCES exchange(exchange_id),
  person_id    TEXT NOT NULL,
  PRIMARY KEY (exchange_id, person_id)
);
-- A person's case lists the exchanges about them.
CREATE INDEX exchange_person_person ON exchange_person(person_id, exchange_id);

-- 情報提供等記録: one row per event of an exchange. Append-only, hash-chained (audit::append);
-- its chain head is the log_chain row 'exchange_log' of 001.
CREATE TABLE exchange_log (
  seq             BIGINT PRIMARY KEY,
  at              TEXT NOT NULL,
  exchange_id     BIGINT NOT NULL,
  flow_id         TEXT NOT NULL,
  counterpart     TEXT NOT NULL,
  direction       TEXT NOT NULL,
  event           TEXT NOT NULL,              -- queued, send_failed, sent, received, answered, applied, rejected
  actor           TEXT NOT NULL,
  payload_sha256  TEXT NOT NULL,
  detail          TEXT NOT NULL,              -- purpose and persons on creation; reason on failure
  prev_hash       TEXT NOT NULL,
  row_hash        TEXT NOT NULL
);
CREATE INDEX exchange_log_exchange ON exchange_log(exchange_id, seq);
