-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Ideas left on kiosks (IDEA records), one row per record identity, written by the ingest in the
-- transaction that commits the record. Portable Derby/PostgreSQL. Lengths: a title holds at most
-- 80 characters and a text 600 (IdeaBody), counted here in UTF-16 units for Derby (x2).
CREATE TABLE ideas (
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  poll_id VARCHAR(64) NOT NULL,
  theme_id VARCHAR(64) NOT NULL,
  language VARCHAR(8) NOT NULL,
  title VARCHAR(160) NOT NULL,
  idea_text VARCHAR(1200) NOT NULL,
  device_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  CONSTRAINT ideas_pk PRIMARY KEY (device_id, seq)
);
CREATE INDEX ideas_event_time ON ideas (event_id, device_time);
