-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Enrolled devices (issue 8): kiosks, tablets and hubs that ops staff enrol before an event.
-- Numbered 1020 to leave room for other features' migrations in between. Portable
-- Derby/PostgreSQL: timestamps are epoch seconds set by the application, binary keys use the
-- ${binary} placeholder. The current Ed25519 key of an enrolled device is also in device_keys
-- (which verifies tickets); the keys it had before a roll are in device_earlier_keys.
--
-- state: 'waiting' (enrolment token not used yet), 'enrolled', 'revoked'; a waiting device whose
-- token expired is shown as expired. The token is never stored: token_hash is its hex SHA-256.
-- public_key is base64url of the raw 32 bytes; mqtt_secret_hash the hex SHA-256 of the device's
-- MQTT secret; pin_hash the staff PIN's PBKDF2 hash (PinHash).
CREATE TABLE enrolled_devices (
  id VARCHAR(64) NOT NULL,
  kind VARCHAR(8) NOT NULL,
  name VARCHAR(200) NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  hub_address VARCHAR(300),
  token_hash VARCHAR(64) NOT NULL,
  token_expires_at BIGINT NOT NULL,
  token_used_at BIGINT,
  state VARCHAR(8) NOT NULL,
  enrolled_at BIGINT,
  public_key VARCHAR(64),
  mqtt_secret_hash VARCHAR(64),
  pin_hash VARCHAR(200),
  client_version VARCHAR(40),
  revoked_after BIGINT,
  replaces VARCHAR(64),
  replaced_by VARCHAR(64),
  created_at BIGINT NOT NULL,
  CONSTRAINT enrolled_devices_pk PRIMARY KEY (id),
  CONSTRAINT enrolled_devices_kind CHECK (kind IN ('kiosk', 'tablet', 'hub')),
  CONSTRAINT enrolled_devices_state CHECK (state IN ('waiting', 'enrolled', 'revoked'))
);
CREATE INDEX enrolled_devices_event ON enrolled_devices (event_id);

-- The keys a device had before it rolled: tickets signed with them stay valid.
CREATE TABLE device_earlier_keys (
  device_id VARCHAR(64) NOT NULL,
  public_key ${binary} NOT NULL,
  replaced_at BIGINT NOT NULL
);
CREATE INDEX device_earlier_keys_device ON device_earlier_keys (device_id);

-- Monotonic counters kept by the server: 'bundle' numbers every signed bundle, so that a hub or a
-- device keeps the newest one it received.
CREATE TABLE trust_counters (
  name VARCHAR(32) NOT NULL,
  counter_value BIGINT NOT NULL,
  CONSTRAINT trust_counters_pk PRIMARY KEY (name)
);
INSERT INTO trust_counters (name, counter_value) VALUES ('bundle', 0);
