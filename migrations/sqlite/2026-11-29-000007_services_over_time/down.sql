ALTER TABLE events DROP COLUMN test_clock_time;
ALTER TABLE invitations DROP COLUMN environment;
DROP INDEX services_expiry;
DROP TABLE service_alerts;
DROP TABLE alert_settings;
DROP TABLE sandbox_clocks;
