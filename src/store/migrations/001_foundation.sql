-- Foundation: staff, sessions, the person register, the My Number vault, the logs of record.
-- Dialect tokens: {{id}} is an auto-numbered primary key on both databases; {{bytewise}} makes a
-- text column compare byte by byte (so kana prefix searches are index range scans on both).
-- Dates are ISO text (YYYY-MM-DD); timestamps are ISO text with +09:00; money is integer yen.

CREATE TABLE staff_user (
  user_id       TEXT PRIMARY KEY,          -- login name
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,             -- argon2id encoded string
  roles         TEXT NOT NULL,             -- comma-separated role names (see server/roles.hpp)
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL
);

-- Sessions live in the database so any instance serves any user. The cookie carries a random
-- token; only its SHA-256 is stored.
CREATE TABLE staff_session (
  token_hash   TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES staff_user(user_id),
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   BIGINT NOT NULL,            -- unix seconds
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX staff_session_user ON staff_session(user_id);

-- Login throttling per login name and per client address, shared by all instances.
CREATE TABLE login_throttle (
  throttle_key  TEXT PRIMARY KEY,          -- "user:NAME" or "ip:ADDR"
  failures      INTEGER NOT NULL,
  window_start  BIGINT NOT NULL,
  locked_until  BIGINT NOT NULL
);

-- 宛名: the current state of each person (for search), and its effective-dated history.
CREATE TABLE person (
  person_id        TEXT PRIMARY KEY,       -- 宛名番号 (統合宛名番号); never the My Number
  name_kanji       TEXT {{bytewise}} NOT NULL,
  name_kana        TEXT {{bytewise}} NOT NULL, -- full-width katakana, family and given separated by a space
  birth_date       TEXT NOT NULL,
  sex              TEXT NOT NULL,          -- '1' male, '2' female (住基 code)
  postal_code      TEXT NOT NULL,
  address          TEXT NOT NULL,
  ward_code        TEXT NOT NULL,
  household_id     TEXT NOT NULL,
  relation         TEXT NOT NULL,          -- 続柄: 世帯主, 妻, 夫, 子, 父, 母, …
  registry_status  TEXT NOT NULL,          -- resident, moved_out, deceased, non_registered
  status_date      TEXT,                   -- date of the last movement that set registry_status
  updated_at       TEXT NOT NULL
);
CREATE INDEX person_kana ON person(name_kana);
CREATE INDEX person_kanji ON person(name_kanji);
CREATE INDEX person_birth ON person(birth_date);
CREATE INDEX person_household ON person(household_id);

CREATE TABLE person_history (
  history_id         {{id}},
  person_id          TEXT NOT NULL REFERENCES person(person_id),
  valid_from         TEXT NOT NULL,
  valid_to           TEXT,                 -- NULL: still in effect
  name_kanji         TEXT NOT NULL,
  name_kana          TEXT NOT NULL,
  birth_date         TEXT NOT NULL,
  sex                TEXT NOT NULL,
  postal_code        TEXT NOT NULL,
  address            TEXT NOT NULL,
  ward_code          TEXT NOT NULL,
  household_id       TEXT NOT NULL,
  relation           TEXT NOT NULL,
  registry_status    TEXT NOT NULL,
  reason             TEXT NOT NULL,        -- movement kind or correction reason
  recorded_at        TEXT NOT NULL,
  recorded_by        TEXT NOT NULL,        -- staff user_id or "exchange:<id>"
  source_exchange_id BIGINT                -- the exchange that brought the fact, if any
);
CREATE INDEX person_history_person ON person_history(person_id, valid_from);

-- The My Number, AES-256-GCM encrypted (nonce ‖ ciphertext ‖ tag, hex), in its own table.
CREATE TABLE my_number (
  person_id   TEXT PRIMARY KEY REFERENCES person(person_id),
  ciphertext  TEXT NOT NULL,
  key_id      TEXT NOT NULL,               -- which key encrypted it (for rotation)
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
);

-- 被保険者番号: 10 digits, unique, never reused (a row is never deleted).
CREATE TABLE insured_number (
  insured_no  TEXT PRIMARY KEY,
  person_id   TEXT NOT NULL UNIQUE REFERENCES person(person_id),
  assigned_on TEXT NOT NULL
);

-- Heads of the hash chains of the logs of record: appends lock this row, so the chain is
-- strictly ordered even with several server instances.
CREATE TABLE log_chain (
  log_name  TEXT PRIMARY KEY,
  last_seq  BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO log_chain (log_name, last_seq, last_hash) VALUES ('access_log', 0, '');
INSERT INTO log_chain (log_name, last_seq, last_hash) VALUES ('exchange_log', 0, '');

-- アクセス記録: every read or write of a person's data by staff. Append-only, hash-chained.
CREATE TABLE access_log (
  seq              BIGINT PRIMARY KEY,
  at               TEXT NOT NULL,
  user_id          TEXT NOT NULL,
  person_id        TEXT NOT NULL,
  action           TEXT NOT NULL,          -- read, write
  resource         TEXT NOT NULL,          -- API route or batch job
  my_number_shown  INTEGER NOT NULL,
  prev_hash        TEXT NOT NULL,
  row_hash         TEXT NOT NULL
);
CREATE INDEX access_log_person ON access_log(person_id, seq);
