ALTER TABLE webhook_endpoints DROP COLUMN circuit_open_until;
ALTER TABLE webhook_endpoints DROP COLUMN consecutive_failures;
DROP INDEX webhook_deliveries_in_flight;
DROP INDEX webhook_deliveries_endpoint;
ALTER TABLE webhook_deliveries DROP COLUMN lease_owner;
ALTER TABLE provisioning_tasks DROP COLUMN dead_at;
ALTER TABLE provisioning_tasks DROP COLUMN last_error;
ALTER TABLE provisioning_tasks DROP COLUMN errors;
ALTER TABLE provisioning_tasks DROP COLUMN lease_owner;
