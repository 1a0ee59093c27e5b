-- A cash desk's payment names the cashier who took it (SPEC §10, the settlement message's
-- `cashier`); kiosks send none.
ALTER TABLE transactions ADD COLUMN cashier text;
