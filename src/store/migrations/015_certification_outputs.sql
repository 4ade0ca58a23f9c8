-- 認定 outputs (docs/certification.md): the consumer of the register's events that issues the
-- 受給資格証明書 (NT-06) when a certified person moves out, starting after the events already
-- published (no certification exists before migration 014, so no earlier move-out needs one).
INSERT INTO event_cursor (consumer, last_event_id) SELECT 'NT-06', COALESCE(MAX(event_id), 0) FROM eligibility_event;

-- The documents of an application (the NT-13 notice and its reprints, 延期通知書) and the
-- documents of a print run, without a scan.
CREATE INDEX certification_document_application ON certification_document(application_id, document_id);
CREATE INDEX certification_document_batch ON certification_document(batch_run_id, document_id);
