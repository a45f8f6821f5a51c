-- Terrain core store: the records a node holds, and how far each device's records are
-- committed here (upto) and acknowledged by the next hop (forwarded).
-- Kept portable between Derby and PostgreSQL; ${binary} is the one type that differs.

CREATE TABLE settings (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  setting_value VARCHAR(1024) NOT NULL
);

CREATE TABLE records (
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  device_time BIGINT NOT NULL,
  hub_time BIGINT NOT NULL,
  received_time BIGINT NOT NULL,
  content_hash BIGINT NOT NULL,
  body ${binary} NOT NULL,
  CONSTRAINT records_pk PRIMARY KEY (device_id, seq)
);


CREATE TABLE frontier (
  device_id VARCHAR(64) NOT NULL PRIMARY KEY,
  upto BIGINT NOT NULL,
  forwarded BIGINT NOT NULL,
  last_seen BIGINT NOT NULL
);

CREATE TABLE conflicts (
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  device_time BIGINT NOT NULL,
  hub_time BIGINT NOT NULL,
  received_time BIGINT NOT NULL,
  content_hash BIGINT NOT NULL,
  kept_hash BIGINT NOT NULL,
  body ${binary} NOT NULL,
  CONSTRAINT conflicts_pk PRIMARY KEY (device_id, seq, content_hash)
);
