-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Records kept aside (issue 8): a revoked device's records that a trusted hop (its hub, else this
-- server) received after the revocation, e.g. forwarded by a hub that was offline when ops revoked
-- the device. They are acknowledged (they are also in records, so the frontier moves over them)
-- but not counted: no tallies, tickets, ideas or keys come from them. Portable Derby/PostgreSQL:
-- times are set by the application, the body uses the ${binary} placeholder.
--
-- received_at: the trusted receive time (epoch milliseconds): the hub's when it stamped one, else
-- the server's. revoked_after: the device's revocation when the record arrived (epoch seconds).
-- reason: why it is kept aside ('revoked').
CREATE TABLE set_aside (
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  device_time BIGINT NOT NULL,
  hub_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  revoked_after BIGINT NOT NULL,
  reason VARCHAR(32) NOT NULL,
  body ${binary} NOT NULL,
  CONSTRAINT set_aside_pk PRIMARY KEY (device_id, seq)
);
CREATE INDEX set_aside_received ON set_aside (received_at);
