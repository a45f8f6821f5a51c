-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The backlog drain (issue 14, decision 0044): keeping profile_tallies by UPDATE cost the ingest a
-- statement per (cell, question, option) and batch, hundreds to thousands per batch of 5,000
-- records, a quarter of its time. The counts of a batch are now inserted, never updated: one row
-- per event, (age band, neighbourhood) cell and batch, holding the number of responses of that
-- cell and the counts of its options packed (ProfileCounts: per question, each option and its
-- count, as varints), split in parts of at most 4,000 bytes. A row is named after the first record
-- it counts (device_id, seq): each record is stored once, so two server instances never write the
-- same row. Representativeness sums the rows at read time (a few thousand per 100,000 responses).
-- The counts kept before this migration stay in profile_cells and profile_tallies, which are no
-- longer written, and are read and summed with these. Portable Derby/PostgreSQL.
CREATE TABLE profile_counts (
  event_id VARCHAR(64) NOT NULL,
  age_band VARCHAR(64) NOT NULL,
  area VARCHAR(64) NOT NULL,
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  part INTEGER NOT NULL,
  responses BIGINT NOT NULL,
  packed ${binary} NOT NULL,
  CONSTRAINT profile_counts_pk PRIMARY KEY (event_id, age_band, area, device_id, seq, part)
);
