-- A transactionId is the sending device's own payment id (SPEC §6 makes it stable per message, not
-- unique across devices the hub does not coordinate): two kiosks, or a desk and a kiosk of another
-- office, may both send `T-1`. The ledger's key becomes (office, device, id); splits and reversals
-- reference a transaction by all three. Every existing row keeps its values: ids were unique across
-- the whole hub until now, so they stay unique per device.

-- Splits name their transaction's office and device (copied from it).
ALTER TABLE splits ADD COLUMN office text;
ALTER TABLE splits ADD COLUMN device text;
UPDATE splits s SET office = t.office, device = t.device FROM transactions t WHERE t.id = s.transaction_id;
ALTER TABLE splits ALTER COLUMN office SET NOT NULL;
ALTER TABLE splits ALTER COLUMN device SET NOT NULL;

-- A reversal's office and device were always the booking device's (only it may reverse); made so
-- from the transaction anyway, so the new reference holds for every row.
UPDATE reversals r SET office = t.office, device = t.device FROM transactions t
 WHERE t.id = r.transaction_id AND (r.office <> t.office OR r.device <> t.device);

ALTER TABLE splits DROP CONSTRAINT splits_transaction_id_fkey;
ALTER TABLE reversals DROP CONSTRAINT reversals_transaction_id_fkey;
ALTER TABLE splits DROP CONSTRAINT splits_pkey;
ALTER TABLE reversals DROP CONSTRAINT reversals_pkey;
ALTER TABLE transactions DROP CONSTRAINT transactions_pkey;

ALTER TABLE transactions ADD CONSTRAINT transactions_pkey PRIMARY KEY (office, device, id);
ALTER TABLE splits ADD CONSTRAINT splits_pkey PRIMARY KEY (office, device, transaction_id, n);
ALTER TABLE reversals ADD CONSTRAINT reversals_pkey PRIMARY KEY (office, device, transaction_id);
ALTER TABLE splits ADD CONSTRAINT splits_transaction_fkey
  FOREIGN KEY (office, device, transaction_id) REFERENCES transactions (office, device, id);
ALTER TABLE reversals ADD CONSTRAINT reversals_transaction_fkey
  FOREIGN KEY (office, device, transaction_id) REFERENCES transactions (office, device, id);

-- Ledger order is business day, paid at, id, then device (two devices' equal ids at one instant).
DROP INDEX transactions_office_day;
CREATE INDEX transactions_office_day ON transactions (office, business_day, paid_at, id, device);
