-- The monthly 高額 run at city scale (docs/benefit-high-cost.md "Measured"): the income category
-- read (src/benefit/income.cpp) takes its subjects — the persons with current benefit records of
-- the month — a chunk at a time in person_id order after a cursor. With person_id in the index
-- that is an index-only range read of the next chunk on SQLite and PostgreSQL, instead of every
-- record of the month (benefit_record_month) once per chunk.
CREATE INDEX benefit_record_month_person ON benefit_record(service_month, status, person_id);
