-- KY-04: this migration set lz4 TOAST compression on exchange.payload for the ~140 MB 給付実績
-- file. It required a PostgreSQL built with lz4; kaigo now compresses large payloads itself
-- (019_exchange_payload_packed), so the statement is gone. Databases that ran it keep lz4 on the
-- column, which is harmless: only payloads up to 1 MiB are stored there now.
SELECT 1;
