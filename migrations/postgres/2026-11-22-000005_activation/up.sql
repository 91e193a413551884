-- Activation materials (secret parts encrypted with an AEAD; only the ciphertext is stored),
-- usage snapshots with history, and the usage thresholds already announced.
CREATE TABLE activation_materials (
    id TEXT PRIMARY KEY NOT NULL,
    service_id TEXT NOT NULL REFERENCES services (id),
    partner_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    status TEXT NOT NULL,
    iccid TEXT NOT NULL,
    smdp_address TEXT NOT NULL,
    confirmation_required BOOLEAN NOT NULL,
    nonce BYTEA NOT NULL,
    ciphertext BYTEA NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    retrieved_at TIMESTAMP,
    installed_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX activation_materials_service ON activation_materials (service_id, created_at, id);

CREATE TABLE usage_snapshots (
    id TEXT PRIMARY KEY NOT NULL,
    service_id TEXT NOT NULL REFERENCES services (id),
    partner_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    bytes_used BIGINT NOT NULL,
    bytes_remaining BIGINT,
    minutes_used INTEGER,
    as_of TIMESTAMP NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX usage_snapshots_service ON usage_snapshots (service_id, created_at, id);

CREATE TABLE usage_thresholds (
    service_id TEXT NOT NULL REFERENCES services (id),
    allowance_bytes BIGINT NOT NULL,
    threshold INTEGER NOT NULL,
    reached_at TIMESTAMP NOT NULL,
    PRIMARY KEY (service_id, allowance_bytes, threshold)
);
