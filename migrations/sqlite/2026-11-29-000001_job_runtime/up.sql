-- The job runtime: a claim records its owner next to its lease, so that only the owner can
-- extend the lease or write the job's result; provisioning tasks count their errors and end
-- in a terminal (dead) state; endpoints carry a circuit breaker.
ALTER TABLE provisioning_tasks ADD COLUMN lease_owner TEXT;
ALTER TABLE provisioning_tasks ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE provisioning_tasks ADD COLUMN last_error TEXT;
ALTER TABLE provisioning_tasks ADD COLUMN dead_at TIMESTAMP;

ALTER TABLE webhook_deliveries ADD COLUMN lease_owner TEXT;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, status, next_attempt_at);
CREATE INDEX webhook_deliveries_in_flight ON webhook_deliveries (endpoint_id) WHERE lease_owner IS NOT NULL AND status = 'pending';

ALTER TABLE webhook_endpoints ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_endpoints ADD COLUMN circuit_open_until TIMESTAMP;
