-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Representativeness (issue 11, decision 0036): raking weights each respondent by their age band
-- and neighbourhood, so the server must know the answers of each (age band, neighbourhood) cell,
-- not only the totals per option. Rather than one row per participation, the ingest keeps counts
-- per event and cell, in the batch's transaction like the tallies (UPDATE then INSERT, no MERGE):
-- a few hundred rows per event, whatever the number of participations. Only responses that gave
-- at least an age band or a neighbourhood are counted here; '' stands for "did not say".
-- Portable Derby/PostgreSQL.
CREATE TABLE profile_cells (
  event_id VARCHAR(64) NOT NULL,
  age_band VARCHAR(64) NOT NULL,
  area VARCHAR(64) NOT NULL,
  responses BIGINT NOT NULL,
  CONSTRAINT profile_cells_pk PRIMARY KEY (event_id, age_band, area)
);

CREATE TABLE profile_tallies (
  event_id VARCHAR(64) NOT NULL,
  age_band VARCHAR(64) NOT NULL,
  area VARCHAR(64) NOT NULL,
  question_id VARCHAR(64) NOT NULL,
  option_id VARCHAR(64) NOT NULL,
  n BIGINT NOT NULL,
  CONSTRAINT profile_tallies_pk PRIMARY KEY (event_id, age_band, area, question_id, option_id)
);
