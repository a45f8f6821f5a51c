-- Sync server results: running tallies of the RESPONSE records, maintained by the ingest in the
-- same transaction that commits the records, so that a summary is one indexed read.
-- Portable between Derby and PostgreSQL. Rows are created by UPDATE-then-INSERT; a concurrent
-- instance that inserted the same row first makes the INSERT fail with SQLState 23505, and the
-- record store retries the whole transaction.

CREATE TABLE event_totals (
  event_id VARCHAR(64) NOT NULL,
  responses BIGINT NOT NULL,
  CONSTRAINT event_totals_pk PRIMARY KEY (event_id)
);

CREATE TABLE tallies (
  event_id VARCHAR(64) NOT NULL,
  question_id VARCHAR(64) NOT NULL,
  option_id VARCHAR(64) NOT NULL,
  n BIGINT NOT NULL,
  CONSTRAINT tallies_pk PRIMARY KEY (event_id, question_id, option_id)
);
