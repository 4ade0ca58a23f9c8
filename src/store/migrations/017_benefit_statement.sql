-- KY-24 給付費通知: a run's print file is rendered from its benefit_document rows, and its readers
-- are logged from them (src/benefit/statement_print.cpp, src/server/benefit_statement_routes.cpp).
CREATE INDEX benefit_document_run ON benefit_document(batch_run_id, person_id);
