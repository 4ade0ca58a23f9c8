-- Large payloads (over 1 MiB: a month's 国保連 files) are kept zstd-compressed, as base64, in
-- payload_packed; their payload column is ''. src/linkage/payload_pack.hpp. The text is already
-- compressed: PostgreSQL stores it out of line without trying to compress it again.
ALTER TABLE exchange ADD COLUMN payload_packed TEXT;

-- pg: ALTER TABLE exchange ALTER COLUMN payload_packed SET STORAGE EXTERNAL;
