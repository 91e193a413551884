-- An in-flight idempotency key holds a short lease that its request renews while it runs:
-- a key whose request died (the process was killed) is free again once the lease lapses,
-- instead of answering 409 for five minutes. Keys in flight when this runs get a lease that
-- has already lapsed. Expired keys are pruned by their expiry time (indexed now).
ALTER TABLE idempotency_keys ADD COLUMN lease_until TIMESTAMP;
UPDATE idempotency_keys SET lease_until = created_at WHERE state = 'in_flight';
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
