-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Published events and what the server checks on a ticket (issue 8). Portable Derby/PostgreSQL.
-- Numbered 1014: 1013 is left to device enrolment, written at the same time.

-- Every version of every event file published through POST /api/admin/events. The text is kept
-- as UTF-8 bytes (at most 32,000: an event file is a few kilobytes). version counts from 1 per
-- event; published_at is in epoch seconds.
CREATE TABLE published_events (
  event_id VARCHAR(64) NOT NULL,
  version INTEGER NOT NULL,
  yaml ${binary} NOT NULL,
  sha256 VARCHAR(64) NOT NULL,
  published_at BIGINT NOT NULL,
  CONSTRAINT published_events_pk PRIMARY KEY (event_id, version)
);

-- What the server can trust about a ticket comes from its TICKET record, not from the ticket:
-- when the record was first received here (epoch milliseconds) and by the hub it passed through
-- (hub_time, epoch milliseconds, NULL without a hub), and the golden draw proof. NULL until the
-- record arrives (a ticket claimed by its QR code before its kiosk synced).
ALTER TABLE tickets ADD COLUMN record_received_at BIGINT;
ALTER TABLE tickets ADD COLUMN record_hub_time BIGINT;
ALTER TABLE tickets ADD COLUMN golden_proof ${binary};

-- The per-device cap counts a device's tickets of an event.
CREATE INDEX tickets_device_event ON tickets (device_id, event_id, serial);
