DROP INDEX idempotency_keys_expires;
ALTER TABLE idempotency_keys DROP COLUMN lease_until;
