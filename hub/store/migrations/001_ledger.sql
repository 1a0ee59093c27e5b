-- The ledger: one row per card payment, its splits per recipient account, reversals and each
-- device's closed days. Money is bigint grosze. Business days are Europe/Warsaw calendar days,
-- computed by the hub when it books a row (never by the sender).
CREATE TABLE transactions (
  id text PRIMARY KEY,
  office text NOT NULL,
  device text NOT NULL,
  paid_at timestamptz NOT NULL,
  business_day date NOT NULL,
  total bigint NOT NULL CHECK (total > 0),
  currency text NOT NULL DEFAULT 'PLN',
  slip text,
  case_ref text,
  slips jsonb NOT NULL DEFAULT '[]',
  card_brand text,
  masked_pan text,
  auth_code text,
  terminal_id text,
  trace_number text,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX transactions_office_day ON transactions (office, business_day, paid_at, id);

CREATE TABLE splits (
  transaction_id text NOT NULL REFERENCES transactions (id),
  n smallint NOT NULL,
  recipient text NOT NULL,
  nrb text NOT NULL,
  component text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  slip text,
  PRIMARY KEY (transaction_id, n)
);

CREATE TABLE reversals (
  transaction_id text PRIMARY KEY REFERENCES transactions (id),
  office text NOT NULL,
  device text NOT NULL,
  reversed_at timestamptz NOT NULL,
  reason text NOT NULL,
  terminal_trace text,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE device_days (
  seq bigserial PRIMARY KEY,
  office text NOT NULL,
  device text NOT NULL,
  day date NOT NULL,
  count bigint NOT NULL,
  total bigint NOT NULL,
  terminal_count bigint NOT NULL,
  terminal_total bigint NOT NULL,
  terminal_totals jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX device_days_office_day ON device_days (office, day, device);

-- An office's business day: closed once every device that transacted sent its day message.
CREATE TABLE office_days (
  office text NOT NULL,
  day date NOT NULL,
  closed_at timestamptz,
  PRIMARY KEY (office, day)
);

-- Idempotency-Key of every accepted ingest request: the same key answers the same again.
CREATE TABLE ingest_keys (
  office text NOT NULL,
  device text NOT NULL,
  key text NOT NULL,
  body_sha256 text NOT NULL,
  status smallint NOT NULL,
  response text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (office, device, key)
);

CREATE TABLE fleet (
  office text NOT NULL,
  device text NOT NULL,
  last_seen timestamptz NOT NULL,
  heartbeat jsonb NOT NULL,
  heartbeat_key text NOT NULL,
  heartbeat_sha256 text NOT NULL,
  PRIMARY KEY (office, device)
);

CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor text NOT NULL,
  action text NOT NULL,
  office text,
  detail jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE staff_sessions (
  token_sha256 text PRIMARY KEY,
  login text NOT NULL,
  csrf text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  expires_at timestamptz NOT NULL
);
