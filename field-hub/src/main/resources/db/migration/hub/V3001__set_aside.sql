-- Field hub: records of revoked devices that arrived anyway. They are kept here, never forwarded
-- to the server and never counted; ops can look at them after the event.

CREATE TABLE set_aside (
  device_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  kind SMALLINT NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  device_time BIGINT NOT NULL,
  received_time BIGINT NOT NULL,
  reason VARCHAR(200) NOT NULL,
  body ${binary} NOT NULL,
  CONSTRAINT set_aside_pk PRIMARY KEY (device_id, seq)
);
