-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The backlog drain (issue 14, decision 0027): one row per pin with two B-tree indexes cost the
-- ingest more than the records themselves. Pins are only ever read all together (the map of a
-- question), never one by one and never moderated: they are now packed, one row per event,
-- question, device and batch (at most 1,000 pins a row), 4 bytes a pin (x then y, per mille, two
-- bytes each, big-endian). Pins stored before this migration stay in free_answers and are read
-- from there as well. Portable Derby/PostgreSQL.
CREATE TABLE map_pins (
  event_id VARCHAR(64) NOT NULL,
  question_id VARCHAR(64) NOT NULL,
  device_id VARCHAR(64) NOT NULL,
  first_seq BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  pins INTEGER NOT NULL,
  packed ${binary} NOT NULL,
  CONSTRAINT map_pins_pk PRIMARY KEY (event_id, question_id, device_id, first_seq)
);

-- free_answers now receives the free texts only. One B-tree instead of two: the primary key
-- leads with the event and the question (what the results read), and still holds each answer
-- once; the moderation finds a text's event through the record's own primary key.
DROP INDEX free_answers_by_question;
ALTER TABLE free_answers DROP CONSTRAINT free_answers_pk;
ALTER TABLE free_answers ADD CONSTRAINT free_answers_pk
  PRIMARY KEY (event_id, question_id, device_id, seq);
