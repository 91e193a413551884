-- Webhook endpoints (signing secrets sealed like activation materials), deliveries (one per
-- event and endpoint, plus replays) and every delivery attempt.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    environment TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT,
    event_types TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    disabled_reason TEXT,
    secret_nonce BLOB NOT NULL,
    secret_sealed BLOB NOT NULL,
    previous_secret_nonce BLOB,
    previous_secret_sealed BLOB,
    previous_secret_expires_at TIMESTAMP,
    last_success_at TIMESTAMP,
    deleted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_partner ON webhook_endpoints (partner_id, environment, created_at, id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
    event_id TEXT NOT NULL REFERENCES events (id),
    partner_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    status TEXT NOT NULL,
    replay BOOLEAN NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP,
    lease_until TIMESTAMP,
    last_status_code INTEGER,
    last_error TEXT,
    completed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_partner ON webhook_deliveries (partner_id, environment, created_at, id);

CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    attempt INTEGER NOT NULL,
    status_code INTEGER,
    latency_ms INTEGER NOT NULL,
    error TEXT,
    response_excerpt TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (delivery_id, attempt)
);
