-- Records this node could not store (decision 0016): they failed the record rules
-- (terrain.core.rules.RecordRules) or the database refused them. Each one is replaced in
-- `records` by a QUARANTINED notice (so the device's frontier moves on and the sender gets its
-- ack) and kept here with its reason. `hop` is the node that quarantined it: this one, with the
-- record's body, or an earlier hop whose notice arrived (body empty, it stayed there).
-- A core migration: the hub and the server quarantine through the shared record store.

CREATE TABLE rejected_records (
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  device_time BIGINT NOT NULL,
  received_time BIGINT NOT NULL,
  hop VARCHAR(64) NOT NULL,
  reason VARCHAR(400) NOT NULL,
  body ${binary} NOT NULL,
  CONSTRAINT rejected_records_pk PRIMARY KEY (device_id, seq)
);

CREATE INDEX rejected_records_by_time ON rejected_records (received_time);
