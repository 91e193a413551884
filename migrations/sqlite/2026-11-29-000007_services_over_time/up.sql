-- Services over time: per-partner sandbox clocks, per-tenant alert settings, the alerts a
-- service has had (one row per service, alert and basis: exactly once with several
-- instances), the environment whose clock an invitation's expiry follows, and the test time
-- of events emitted while a sandbox clock is moved.
CREATE TABLE sandbox_clocks (
    partner_id TEXT PRIMARY KEY NOT NULL REFERENCES partners (id),
    offset_seconds BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE alert_settings (
    partner_id TEXT NOT NULL REFERENCES partners (id),
    environment TEXT NOT NULL,
    usage_thresholds TEXT NOT NULL,
    expiry_lead_seconds TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (partner_id, environment)
);

CREATE TABLE service_alerts (
    service_id TEXT NOT NULL REFERENCES services (id),
    alert TEXT NOT NULL,
    basis TEXT NOT NULL,
    event_id TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (service_id, alert, basis)
);

CREATE INDEX services_expiry ON services (state, expires_at);

ALTER TABLE invitations ADD COLUMN environment TEXT;
ALTER TABLE events ADD COLUMN test_clock_time TIMESTAMP;
