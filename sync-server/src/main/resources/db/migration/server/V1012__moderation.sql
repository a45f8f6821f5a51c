-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Moderation of what residents typed (ideas and free-text answers) before it is public.
-- One row per item once staff decided; no row means pending (not public). A later decision
-- replaces the row (unpublish is a reject). Portable Derby/PostgreSQL.
-- kind: 'idea' (question_id is '') or 'text' (question_id of the free_answers row).
CREATE TABLE moderation (
  kind VARCHAR(8) NOT NULL,
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  question_id VARCHAR(64) NOT NULL,
  decision VARCHAR(8) NOT NULL,
  decided_by VARCHAR(200) NOT NULL,
  decided_at BIGINT NOT NULL,
  CONSTRAINT moderation_pk PRIMARY KEY (kind, device_id, seq, question_id),
  CONSTRAINT moderation_decision CHECK (decision IN ('publish', 'reject'))
);
