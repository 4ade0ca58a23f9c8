-- KY-06 / KY-07: the benefit side asks the city's tax system (counterpart zeimu) for the income
-- facts a co-payment rate or a 高額 category misses (docs/benefit-income.md). The files are the
-- FK-01 / FK-02 layouts; zeimu_file records them under their own flow IDs, with the request kind
-- 'benefit_request'. A CHECK cannot be altered in SQLite, so zeimu_file is rebuilt with the wider
-- checks (the table holds one row per file: small), its rows copied, its index recreated.
CREATE TABLE zeimu_file_018 (
  exchange_id     BIGINT PRIMARY KEY,            -- the FK-01 / FK-02 / KY-06 / KY-07 exchange
  flow_id         TEXT NOT NULL CHECK (flow_id IN ('FK-01', 'FK-02', 'KY-06', 'KY-07')),
  kind            TEXT NOT NULL CHECK (kind IN ('yearly_request', 'person_request', 'benefit_request', 'answer', 'revision')),
  file_name       TEXT NOT NULL,
  tax_year        INTEGER,
  fiscal_year     INTEGER,
  request_exchange_id BIGINT,
  lines           BIGINT NOT NULL,
  applied         BIGINT NOT NULL DEFAULT 0,
  unchanged       BIGINT NOT NULL DEFAULT 0,
  undeclared      BIGINT NOT NULL DEFAULT 0,
  queued          BIGINT NOT NULL DEFAULT 0,
  status          TEXT NOT NULL CHECK (status IN ('sent', 'applied', 'rejected')),
  reason          TEXT,
  recorded_at     TEXT NOT NULL,
  recorded_by     TEXT NOT NULL
);
INSERT INTO zeimu_file_018 (exchange_id, flow_id, kind, file_name, tax_year, fiscal_year, request_exchange_id, lines,
  applied, unchanged, undeclared, queued, status, reason, recorded_at, recorded_by)
SELECT exchange_id, flow_id, kind, file_name, tax_year, fiscal_year, request_exchange_id, lines,
  applied, unchanged, undeclared, queued, status, reason, recorded_at, recorded_by FROM zeimu_file;
DROP TABLE zeimu_file;
ALTER TABLE zeimu_file_018 RENAME TO zeimu_file;
CREATE INDEX zeimu_file_kind ON zeimu_file(kind, exchange_id);
