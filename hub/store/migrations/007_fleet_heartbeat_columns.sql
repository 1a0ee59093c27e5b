-- fleet.heartbeat_key and heartbeat_sha256 held each device's last heartbeat key. Since 005 the keys
-- are kept in heartbeat_keys (a day of them, which 005 seeded from these columns) and the hub reads
-- nothing else: the two columns were written and never read. Dropped.
ALTER TABLE fleet DROP COLUMN heartbeat_key;
ALTER TABLE fleet DROP COLUMN heartbeat_sha256;
