-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Ideas typed or dictated at a workshop's tables (WORKSHOP records whose action is an idea,
-- decision 0031), one row per record identity, written by the ingest in the transaction that
-- commits the record, so that staff moderate their texts like kiosk ideas (moderation kind
-- 'workshop', decision 0034). Portable Derby/PostgreSQL. A text holds at most 280 characters
-- (WorkshopAction.MAX_IDEA_CHARS), counted here in UTF-16 units for Derby (x2).
CREATE TABLE workshop_ideas (
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  phase_id VARCHAR(40) NOT NULL,
  table_no INTEGER NOT NULL,
  language VARCHAR(8) NOT NULL,
  idea_text VARCHAR(560) NOT NULL,
  device_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  CONSTRAINT workshop_ideas_pk PRIMARY KEY (device_id, seq)
);
CREATE INDEX workshop_ideas_event ON workshop_ideas (event_id, device_time);
