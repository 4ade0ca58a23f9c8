-- The city's inputs that the business issues read: previous-year tax data, pensions, 生活保護,
-- medical insurance of 40–64 year-olds, and where movers came from.
-- Every row says where the fact came from (source: 'synthetic_city', 'tax_office', 'pension_insurer',
-- 'welfare_office', 'staff', 'exchange'; source_exchange_id when an exchange brought it) and when
-- and by whom it was recorded. Facts that change over time are effective-dated
-- (valid_from, valid_to; valid_to NULL = still in effect). Corrections add rows, never overwrite.
-- Dates are ISO text; money is integer yen.

-- 住民税 課税情報 for one person and one income year (所得年 = the calendar year of the income;
-- the fiscal year that uses it is tax_year + 1). A correction (更正) adds a row with a later
-- recorded_at; the row in effect is the latest recorded one for (person_id, tax_year).
CREATE TABLE tax_income (
  tax_income_id               {{id}},
  person_id                   TEXT NOT NULL REFERENCES person(person_id),
  tax_year                    INTEGER NOT NULL,   -- calendar year of the income
  total_income                BIGINT NOT NULL,    -- 合計所得金額 (before the land-sale special deductions)
  public_pension_income       BIGINT NOT NULL,    -- 公的年金等収入金額 (taxable pensions only)
  taxable_pension_income      BIGINT NOT NULL,    -- 課税年金収入額 (no 障害/遺族/老齢福祉年金)
  pension_misc_income         BIGINT NOT NULL,    -- 公的年金等に係る雑所得
  salary_income               BIGINT NOT NULL,    -- 給与所得 (after 給与所得控除)
  land_sale_special_deduction BIGINT NOT NULL,    -- 長期・短期譲渡所得の特別控除
  resident_tax_taxed          INTEGER NOT NULL,   -- 市町村民税 1 課税 / 0 非課税
  taxable_income              BIGINT NOT NULL,    -- 課税所得 (課税標準額)
  source                      TEXT NOT NULL,
  source_exchange_id          BIGINT,
  recorded_at                 TEXT NOT NULL,
  recorded_by                 TEXT NOT NULL
);
CREATE INDEX tax_income_person ON tax_income(person_id, tax_year, recorded_at);

-- 年金: one row per pension a person receives from one pension insurer (年金保険者).
-- pension_kind: old_age (老齢), disability (障害), survivors (遺族), old_age_welfare (老齢福祉年金).
CREATE TABLE pension (
  pension_id           {{id}},
  person_id            TEXT NOT NULL REFERENCES person(person_id),
  pension_kind         TEXT NOT NULL,
  annual_amount        BIGINT NOT NULL,
  pension_insurer_code TEXT NOT NULL,             -- 3-digit 年金保険者コード
  valid_from           TEXT NOT NULL,
  valid_to             TEXT,
  source               TEXT NOT NULL,
  source_exchange_id   BIGINT,
  recorded_at          TEXT NOT NULL,
  recorded_by          TEXT NOT NULL
);
CREATE INDEX pension_person ON pension(person_id, valid_from);

-- 生活保護 (kind 'welfare') and 中国残留邦人等支援給付 (kind 'repatriate'), per person.
CREATE TABLE public_assistance (
  public_assistance_id {{id}},
  person_id            TEXT NOT NULL REFERENCES person(person_id),
  kind                 TEXT NOT NULL,
  valid_from           TEXT NOT NULL,
  valid_to             TEXT,
  source               TEXT NOT NULL,
  source_exchange_id   BIGINT,
  recorded_at          TEXT NOT NULL,
  recorded_by          TEXT NOT NULL
);
CREATE INDEX public_assistance_person ON public_assistance(person_id, valid_from);

-- 医療保険 of a person (what decides category 2 for 40–64 year-olds).
-- insurer_kind: kokuho (国民健康保険), kyokai_kenpo (協会けんぽ), kumiai (健康保険組合),
-- kyosai (共済組合), koki (後期高齢者医療).
CREATE TABLE medical_insurance (
  medical_insurance_id {{id}},
  person_id            TEXT NOT NULL REFERENCES person(person_id),
  insurer_kind         TEXT NOT NULL,
  insurer_no           TEXT NOT NULL,             -- 6 digits (国保, 後期) or 8 digits (被用者保険)
  valid_from           TEXT NOT NULL,
  valid_to             TEXT,
  source               TEXT NOT NULL,
  source_exchange_id   BIGINT,
  recorded_at          TEXT NOT NULL,
  recorded_by          TEXT NOT NULL
);
CREATE INDEX medical_insurance_person ON medical_insurance(person_id, valid_from);

-- 転入: where a person came from (one row per move into the city).
CREATE TABLE person_origin (
  person_origin_id          {{id}},
  person_id                 TEXT NOT NULL REFERENCES person(person_id),
  former_municipality_code  TEXT NOT NULL,        -- 6-digit 全国地方公共団体コード
  former_municipality_name  TEXT NOT NULL,        -- e.g. 神奈川県横浜市
  moved_in_on               TEXT NOT NULL,
  source                    TEXT NOT NULL,
  source_exchange_id        BIGINT,
  recorded_at               TEXT NOT NULL,
  recorded_by               TEXT NOT NULL
);
CREATE INDEX person_origin_person ON person_origin(person_id, moved_in_on);
