-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Results broken down by site, device, channel, day and hour (issue 11, decision 0035). The
-- tallies count the whole event; these two tables keep the same counts one level finer, written
-- by the ingest in the transaction that commits the records, aggregated per batch (one batched
-- UPDATE and one batched INSERT each, as the tallies). Rows grow with devices x hours and devices
-- x options, never with responses. Portable Derby/PostgreSQL.
--
-- site_id: the hub whose batch brought the record ('' when a device sent it to the server
-- directly). channel is read at query time from the device's enrolment (kiosk, tablet); workshop
-- attendance is kind 'attend'.
-- hour_start: the device's clock in whole hours since the epoch (device_time / 3,600,000).
-- kind: 'response' (a completed participation), 'idea', 'attend' (a workshop arrival).
CREATE TABLE participation_hours (
  event_id VARCHAR(64) NOT NULL,
  site_id VARCHAR(64) NOT NULL,
  device_id VARCHAR(64) NOT NULL,
  hour_start BIGINT NOT NULL,
  kind VARCHAR(8) NOT NULL,
  n BIGINT NOT NULL,
  CONSTRAINT participation_hours_pk PRIMARY KEY (event_id, site_id, device_id, hour_start, kind)
);

-- The tallies per site and device: what every option got there, the sum of its ranks, and how
-- often it came first in an answer (a ranking's first choices; summed over a question's options,
-- how many answered it).
CREATE TABLE device_tallies (
  event_id VARCHAR(64) NOT NULL,
  site_id VARCHAR(64) NOT NULL,
  device_id VARCHAR(64) NOT NULL,
  question_id VARCHAR(64) NOT NULL,
  option_id VARCHAR(64) NOT NULL,
  n BIGINT NOT NULL,
  rank_sum BIGINT NOT NULL,
  firsts BIGINT NOT NULL,
  CONSTRAINT device_tallies_pk PRIMARY KEY (event_id, site_id, device_id, question_id, option_id)
);
