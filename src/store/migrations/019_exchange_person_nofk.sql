-- exchange_person without its foreign key to exchange. A month's 国保連 給付実績 file names
-- ~200,000 persons; PostgreSQL checked the key once per row (a share lock on the same exchange
-- row each time): 1.1 s of a 1,000,000-record import. The rows are written only by
-- linkage/exchange_store and the KY-04 import, in the transaction that inserts their exchange, and
-- exchanges are never deleted, so the key guarded nothing the code does not already ensure.
CREATE TABLE exchange_person_new (
  exchange_id  BIGINT NOT NULL,
  person_id    TEXT NOT NULL,
  PRIMARY KEY (exchange_id, person_id)
);
INSERT INTO exchange_person_new (exchange_id, person_id) SELECT exchange_id, person_id FROM exchange_person;
DROP TABLE exchange_person;
ALTER TABLE exchange_person_new RENAME TO exchange_person;
-- A person's case lists the exchanges about them.
CREATE INDEX exchange_person_person ON exchange_person(person_id, exchange_id);
