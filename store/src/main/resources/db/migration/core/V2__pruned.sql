-- Retention (decision 0024): how many acknowledged records of each (device, event, kind) a hub or
-- kiosk has pruned, so that counts read back (tickets issued against a cap, responses held) stay
-- what they were before the prune. The frontier's upto/forwarded are never touched by a prune.

CREATE TABLE pruned (
  device_id VARCHAR(64) NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  kind SMALLINT NOT NULL,
  records BIGINT NOT NULL,
  CONSTRAINT pruned_pk PRIMARY KEY (device_id, event_id, kind)
);
