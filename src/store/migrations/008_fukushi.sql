-- Welfare linkage (counterpart fukushi): the SK-19 notices applied, keyed by the welfare
-- system's own 通知番号, so a notice received again (in the same file or another) is skipped.
-- See docs/fukushi-layout.md and src/eligibility/fukushi_service.hpp.
CREATE TABLE fukushi_notice (
  notice_no      TEXT PRIMARY KEY,            -- 通知番号 given by the welfare system
  exchange_id    BIGINT NOT NULL,             -- the inbound SK-19 exchange that brought it
  line_no        BIGINT NOT NULL,
  person_id      TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('welfare', 'repatriate')),
  change_kind    TEXT NOT NULL CHECK (change_kind IN ('start', 'end')),
  on_date        TEXT NOT NULL,               -- 開始日 / 廃止日 (the first day no longer on assistance)
  case_no        TEXT NOT NULL,               -- ケース番号 of the welfare office
  outcome        TEXT NOT NULL CHECK (outcome IN ('applied', 'already_recorded')),
  applied_at     TEXT NOT NULL
);
CREATE INDEX fukushi_notice_person ON fukushi_notice(person_id, on_date);
