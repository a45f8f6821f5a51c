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

-- The same for the breakdowns' counts per device and option (decision 0035): an UPDATE per
-- (device, question, option) and batch becomes one row per event, site, device and batch, named
-- after the device's first record in it, with every option's n, rank sum and first places packed
-- (Breakdowns.DevicePack: per question, its id, then each option id and its three counts as
-- varints; parts of at most 4,000 bytes). Breakdowns.read sums them with the rows kept in
-- device_tallies before this migration, which is no longer written.
CREATE TABLE device_counts (
  event_id VARCHAR(64) NOT NULL,
  site_id VARCHAR(64) NOT NULL,
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  part INTEGER NOT NULL,
  packed ${binary} NOT NULL,
  CONSTRAINT device_counts_pk PRIMARY KEY (event_id, site_id, device_id, seq, part)
);
