-- KY-03: the persons whose recipient record is owed to the 国保連. A build moves the three event
-- cursors ('recipient', 'KY-03:certification', 'KY-03:recipient') past what it read and records
-- the persons touched here in the same transaction; a person leaves this table only when the file
-- carrying an ok record for them is sent (held records and discarded drafts keep them), so a crash
-- between build and send, a discard or a held record loses nothing.
CREATE TABLE recipient_pending (
  person_id    TEXT PRIMARY KEY,
  change_date  TEXT NOT NULL,        -- the earliest effective date of the changes not sent yet
  touched_at   TEXT NOT NULL         -- when first recorded
);
