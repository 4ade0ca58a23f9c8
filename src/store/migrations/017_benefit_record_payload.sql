-- KY-04: a month's 給付実績 file is ~140 MB of CSV stored once on its inbound exchange. PostgreSQL's
-- default TOAST compression (pglz) took ~1.1 s of server CPU per 28 MB; lz4 ~0.2 s at a like
-- ratio (measured on PostgreSQL 15, docs/kokuhoren-csv.md "KY-04 import: measured"). New values
-- only; lz4 is built into the PostgreSQL packages of Debian/Ubuntu and the official images (14+).
-- SQLite stores the payload uncompressed and skips this line.

-- pg: ALTER TABLE exchange ALTER COLUMN payload SET COMPRESSION lz4;
