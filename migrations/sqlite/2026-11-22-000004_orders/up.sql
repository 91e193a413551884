-- Wallets with an append-only ledger, orders with their items, services (subscriptions),
-- provisioning tasks for the background worker, and idempotency keys.
CREATE TABLE wallets (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    environment TEXT NOT NULL,
    currency TEXT NOT NULL,
    available BIGINT NOT NULL,
    reserved BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (partner_id, environment, currency)
);

CREATE TABLE ledger_entries (
    id TEXT PRIMARY KEY NOT NULL,
    wallet_id TEXT NOT NULL REFERENCES wallets (id),
    partner_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    currency TEXT NOT NULL,
    entry_type TEXT NOT NULL,
    amount BIGINT NOT NULL,
    order_id TEXT,
    order_attempt INTEGER,
    invoice_id TEXT,
    available_after BIGINT NOT NULL,
    reserved_after BIGINT NOT NULL,
    description TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- Exactly once: one reserve, one capture, one release per order attempt.
    UNIQUE (order_id, order_attempt, entry_type)
);
CREATE INDEX ledger_entries_wallet ON ledger_entries (wallet_id, created_at, id);
CREATE INDEX ledger_entries_partner ON ledger_entries (partner_id, environment, created_at, id);

CREATE TABLE services (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    environment TEXT NOT NULL,
    customer_reference TEXT NOT NULL,
    package_id TEXT NOT NULL,
    state TEXT NOT NULL,
    install_state TEXT NOT NULL,
    next_step TEXT NOT NULL,
    iccid TEXT,
    data_allowance_bytes BIGINT,
    data_unlimited BOOLEAN NOT NULL DEFAULT FALSE,
    validity_days INTEGER NOT NULL,
    activated_at TIMESTAMP,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX services_partner ON services (partner_id, environment, created_at, id);

CREATE TABLE orders (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    environment TEXT NOT NULL,
    order_type TEXT NOT NULL,
    state TEXT NOT NULL,
    customer_reference TEXT NOT NULL,
    metadata TEXT NOT NULL,
    service_id TEXT REFERENCES services (id),
    currency TEXT,
    total_minor BIGINT NOT NULL,
    sandbox_scenario TEXT,
    identity_verified BOOLEAN NOT NULL DEFAULT FALSE,
    attempt INTEGER NOT NULL,
    failure_code TEXT,
    failure_message TEXT,
    retryable BOOLEAN NOT NULL DEFAULT FALSE,
    retry_allowed BOOLEAN NOT NULL DEFAULT FALSE,
    next_step TEXT NOT NULL,
    completed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX orders_partner ON orders (partner_id, environment, created_at, id);
CREATE INDEX orders_service ON orders (service_id);

CREATE TABLE order_items (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position INTEGER NOT NULL,
    package_id TEXT NOT NULL REFERENCES packages (id),
    kind TEXT NOT NULL,
    voice_type TEXT,
    price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE provisioning_tasks (
    order_id TEXT PRIMARY KEY NOT NULL REFERENCES orders (id),
    step INTEGER NOT NULL,
    due_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX provisioning_tasks_due ON provisioning_tasks (due_at);

CREATE TABLE idempotency_keys (
    partner_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (partner_id, environment, key)
);

-- Events name the object they are about, so an order can list its events.
ALTER TABLE events ADD COLUMN subject_id TEXT;
CREATE INDEX events_subject ON events (subject_id);
