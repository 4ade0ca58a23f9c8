-- 住民基本台帳 linkage (counterpart juki): SK-16 registry files taken in, their movements, the
-- full loads staged before they are applied in chunks, and the lines quarantined for staff.
-- See docs/juki-layout.md (layouts, bad-input policy) and src/eligibility/juki_service.hpp.

-- One row per registry file (an inbound SK-16 exchange): a full load (one row per person of the
-- registry) or a difference file (one row per movement). A file that does not parse is recorded
-- here as 'rejected' after the inbox has quarantined its exchange.
CREATE TABLE juki_load (
  load_id        {{id}},
  exchange_id    BIGINT NOT NULL UNIQUE,      -- the inbound exchange that brought the file
  kind           TEXT NOT NULL CHECK (kind IN ('full', 'diff')),
  file_name      TEXT NOT NULL,
  received_at    TEXT NOT NULL,
  lines          BIGINT NOT NULL,             -- data lines (header excluded)
  applied        BIGINT NOT NULL DEFAULT 0,   -- diff: movements applied; full: persons added or changed
  unchanged      BIGINT NOT NULL DEFAULT 0,   -- full: persons already as the registry lists them
  duplicates     BIGINT NOT NULL DEFAULT 0,   -- diff: movements seen before (skipped)
  out_of_order   BIGINT NOT NULL DEFAULT 0,   -- diff: movements older than the person's last one (applied by date)
  quarantined    BIGINT NOT NULL DEFAULT 0,   -- lines (or persons) left for staff in juki_quarantine
  status         TEXT NOT NULL CHECK (status IN ('staged', 'applying', 'applied', 'rejected')),
  reason         TEXT,                        -- why rejected; no personal data
  cursor         TEXT NOT NULL DEFAULT '',    -- full: the last person_id applied (resumable after a crash)
  finished_at    TEXT
);
CREATE INDEX juki_load_status ON juki_load(status, load_id);

-- Every movement applied, keyed by the registry's own movement id: a movement received again (in
-- the same file or another) finds its row here and is skipped as a duplicate.
CREATE TABLE juki_movement (
  movement_id    TEXT PRIMARY KEY,            -- 異動番号 given by the registry
  person_id      TEXT NOT NULL,
  kind           TEXT NOT NULL,               -- move_in, move_out, relocation, death, birth, emigration,
                                              -- name_change, household_change, correction
  movement_date  TEXT NOT NULL,
  load_id        BIGINT NOT NULL,
  line_no        BIGINT NOT NULL,
  applied_at     TEXT NOT NULL
);
CREATE INDEX juki_movement_person ON juki_movement(person_id, movement_date);

-- The rows of a full load, staged (bulk) inside the inbox transaction and applied chunk by chunk.
-- Removed when the load has been applied.
CREATE TABLE juki_staging (
  load_id          BIGINT NOT NULL,
  person_id        TEXT NOT NULL,
  line_no          BIGINT NOT NULL,
  household_id     TEXT NOT NULL,
  name_kanji       TEXT NOT NULL,
  name_kana        TEXT NOT NULL,
  birth_date       TEXT NOT NULL,
  sex              TEXT NOT NULL,
  relation         TEXT NOT NULL,
  postal_code      TEXT NOT NULL,
  address          TEXT NOT NULL,
  ward_code        TEXT NOT NULL,
  registry_status  TEXT NOT NULL,             -- resident, moved_out, deceased
  status_date      TEXT NOT NULL,             -- 住民となった日 / 転出日 / 死亡日
  PRIMARY KEY (load_id, person_id)
);

-- Lines of a registry file that staff must look at: a whole file that did not parse (one row per
-- error, naming line and field), an unknown person, a movement the register refused, a person
-- the full load no longer lists. Resolved by staff with a note; never deleted.
CREATE TABLE juki_quarantine (
  quarantine_id  {{id}},
  load_id        BIGINT NOT NULL,
  line_no        BIGINT NOT NULL,             -- 0: not a line of the file (a person missing from a full load)
  field          TEXT NOT NULL,
  message        TEXT NOT NULL,               -- no personal data beyond the person_id column
  person_id      TEXT,
  movement_id    TEXT,
  status         TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  created_at     TEXT NOT NULL,
  resolved_by    TEXT,
  resolved_at    TEXT,
  resolution     TEXT
);
CREATE INDEX juki_quarantine_status ON juki_quarantine(status, quarantine_id);
CREATE INDEX juki_quarantine_load ON juki_quarantine(load_id, line_no);
