-- The city's tax system linkage (counterpart zeimu): FK-01 requests for income and tax status,
-- FK-02 answers and revisions (更正), the files refused for staff, and the cursors of the
-- assessment files sent to welfare (FK-12) and tax (FK-13). See docs/zeimu-layout.md and
-- src/premium/zeimu_service.hpp. The figures themselves are tax_income rows (migration 002,
-- source 'tax_office', source_exchange_id = the FK-02 exchange).

-- One row per tax file: a request sent (FK-01) or a file received (FK-02: an answer to a request
-- or a revision file the tax system sends on its own). A received file that was refused is
-- recorded here as 'rejected' after the inbox quarantined its exchange (the inbox transaction
-- rolled back), with one zeimu_file_error row per error.
CREATE TABLE zeimu_file (
  exchange_id     BIGINT PRIMARY KEY,            -- the FK-01 / FK-02 exchange
  flow_id         TEXT NOT NULL CHECK (flow_id IN ('FK-01', 'FK-02')),
  kind            TEXT NOT NULL CHECK (kind IN ('yearly_request', 'person_request', 'answer', 'revision')),
  file_name       TEXT NOT NULL,
  tax_year        INTEGER,                       -- 所得年 (requests and answers; NULL for a refused file that named none)
  fiscal_year     INTEGER,                       -- yearly_request: the fiscal year asked for (tax_year + 1)
  request_exchange_id BIGINT,                    -- answer: the FK-01 exchange it answers
  lines           BIGINT NOT NULL,               -- data lines (header excluded)
  applied         BIGINT NOT NULL DEFAULT 0,     -- tax_income rows appended
  unchanged       BIGINT NOT NULL DEFAULT 0,     -- rows equal to the person's latest row of the year (nothing written)
  undeclared      BIGINT NOT NULL DEFAULT 0,     -- 未申告 rows (the tax office holds nothing on the person)
  queued          BIGINT NOT NULL DEFAULT 0,     -- persons put in premium_recalc_queue
  status          TEXT NOT NULL CHECK (status IN ('sent', 'applied', 'rejected')),
  reason          TEXT,                          -- why refused; no personal data
  recorded_at     TEXT NOT NULL,
  recorded_by     TEXT NOT NULL
);
CREATE INDEX zeimu_file_kind ON zeimu_file(kind, exchange_id);

-- The errors of a refused file, each naming its line (1 = the header; 0 = not a line of the file,
-- e.g. a requested person the answer left out) and its column. Messages quote no value.
CREATE TABLE zeimu_file_error (
  exchange_id  BIGINT NOT NULL,
  error_no     INTEGER NOT NULL,
  line_no      BIGINT NOT NULL,
  field        TEXT NOT NULL,
  message      TEXT NOT NULL,
  person_id    TEXT,                             -- when the line names a person known here
  PRIMARY KEY (exchange_id, error_no)
);

-- 未申告: persons the tax office answered it holds nothing on for an income year. The assessment
-- treats them as income_known = false (premium/rules.hpp); a later 当初/更正 row supersedes it.
CREATE TABLE tax_undeclared (
  person_id          TEXT NOT NULL,
  tax_year           INTEGER NOT NULL,
  source_exchange_id BIGINT NOT NULL,            -- the first FK-02 that said so
  recorded_at        TEXT NOT NULL,
  PRIMARY KEY (person_id, tax_year)
);

-- The rows an FK-02 exchange appended (which persons to queue for re-assessment, what a file did).
CREATE INDEX tax_income_exchange ON tax_income(source_exchange_id);

-- FK-12 (welfare) and FK-13 (tax): the last premium_assessment.assessment_id sent, moved in the
-- same transaction as the outbound exchange.
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('FK-12', 0);
INSERT INTO event_cursor (consumer, last_event_id) VALUES ('FK-13', 0);
