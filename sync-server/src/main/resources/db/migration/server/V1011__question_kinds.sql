-- Sync server results for the question kinds ranking, map and text (issue 3).
-- Numbered 1010 to leave room for other features' migrations in between.
-- Portable between Derby and PostgreSQL.

-- The sum of the ranks an option got (1 for first) over the answers that ranked it: with n, it
-- gives its average rank (rank_sum / n) and its Borda points (n * (max + 1) - rank_sum).
ALTER TABLE tallies ADD COLUMN rank_sum BIGINT DEFAULT 0 NOT NULL;

-- What option counts cannot hold: a pin on a map (per mille of the map's width and height) and a
-- free text. One row per answer, written with the record in the same transaction.
CREATE TABLE free_answers (
  event_id VARCHAR(64) NOT NULL,
  question_id VARCHAR(64) NOT NULL,
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  device_time BIGINT NOT NULL,
  pin_x INTEGER,
  pin_y INTEGER,
  answer_text VARCHAR(2000),
  CONSTRAINT free_answers_pk PRIMARY KEY (device_id, seq, question_id)
);

CREATE INDEX free_answers_by_question ON free_answers (event_id, question_id, device_time);
