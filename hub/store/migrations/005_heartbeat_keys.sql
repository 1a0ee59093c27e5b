-- Each device's heartbeat keys of the last day (SPEC §9: the same key with another body is 422, the
-- same key with the same body answers as the first time). Only the last key was kept, so an older key
-- came through again as a new heartbeat. A day bounds the table (one key a minute per device); a
-- device's older keys are deleted as it sends new ones.
CREATE TABLE heartbeat_keys (
  office text NOT NULL,
  device text NOT NULL,
  key text NOT NULL,
  body_sha256 text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (office, device, key)
);
CREATE INDEX heartbeat_keys_age ON heartbeat_keys (office, device, received_at);
INSERT INTO heartbeat_keys (office, device, key, body_sha256)
  SELECT office, device, heartbeat_key, heartbeat_sha256 FROM fleet;
