-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The backlog drain (issue 14, decision 0048): one free_answers row per free text, each in its
-- heap and its primary key B-tree, was a fifth of the server's ingest. Free texts are now packed
-- like pins (V1027): one row per event, question, device and batch, at most 1,000 texts and
-- 16,000 bytes a row; packed holds (seq, device time, UTF-8 text) entries in increasing seq
-- (the versioned encoding is documented in terrain.server.results.TextPacks). A text is still
-- moderated by its identity (moderation rows keyed by kind, device, seq and question, unchanged);
-- first_seq and last_seq bound the seqs of a row, so that the row of a text is found by range.
-- Texts stored before this migration stay in free_answers and are read from there as well
-- (nothing is moved, nothing lost). Portable Derby/PostgreSQL.
CREATE TABLE text_packs (
  event_id VARCHAR(64) NOT NULL,
  question_id VARCHAR(64) NOT NULL,
  device_id VARCHAR(64) NOT NULL,
  first_seq BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  texts INTEGER NOT NULL,
  packed ${binary} NOT NULL,
  CONSTRAINT text_packs_pk PRIMARY KEY (event_id, question_id, device_id, first_seq)
);
