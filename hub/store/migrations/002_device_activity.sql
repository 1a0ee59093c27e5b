-- Each device's last contact of any kind and its last payment, kept as it happens so the fleet
-- view reads one row per device instead of scanning the ledger.
CREATE TABLE device_activity (
  office text NOT NULL,
  device text NOT NULL,
  last_contact timestamptz NOT NULL,
  last_payment_at timestamptz,
  PRIMARY KEY (office, device)
);
