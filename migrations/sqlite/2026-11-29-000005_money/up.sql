-- Money (issue 13): billing profiles, invoices with their lines, refunds, the claims of the
-- period-close job, and low-balance alerts on wallets.

-- A partner-set threshold per wallet; `low_balance_alerted` is true from a downward crossing
-- (when `wallet.low_balance` fired) until the balance is back at or above the threshold.
ALTER TABLE wallets ADD COLUMN low_balance_threshold BIGINT;
ALTER TABLE wallets ADD COLUMN low_balance_alerted BOOLEAN NOT NULL DEFAULT FALSE;

-- One billing profile per partner (operator routes): the monthly commitment, the billing
-- contact and the payment terms.
CREATE TABLE billing_profiles (
    partner_id TEXT PRIMARY KEY NOT NULL REFERENCES partners (id),
    commitment_minor BIGINT NOT NULL,
    commitment_currency TEXT NOT NULL,
    contact_email TEXT,
    contact_name TEXT,
    payment_terms_days INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- An invoice covers [period_start, period_end) of one calendar month (`period`, YYYY-MM) for
-- one partner, environment and currency. Exactly once: one invoice per window start.
CREATE TABLE invoices (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    environment TEXT NOT NULL,
    currency TEXT NOT NULL,
    period TEXT NOT NULL,
    period_start TIMESTAMP NOT NULL,
    period_end TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    commitment_minor BIGINT NOT NULL,
    usage_minor BIGINT NOT NULL,
    true_up_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    payment_terms_days INTEGER NOT NULL,
    origin TEXT NOT NULL,
    due_at TIMESTAMP,
    issued_at TIMESTAMP,
    paid_at TIMESTAMP,
    voided_at TIMESTAMP,
    void_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (partner_id, environment, currency, period_start)
);
CREATE INDEX invoices_partner ON invoices (partner_id, environment, created_at, id);
CREATE INDEX invoices_period ON invoices (partner_id, environment, currency, period);

-- One line per ledger entry; a ledger entry is on at most one invoice. No foreign key to the
-- ledger: the reconciliation view reports a line whose entry is missing.
CREATE TABLE invoice_lines (
    id TEXT PRIMARY KEY NOT NULL,
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    position INTEGER NOT NULL,
    ledger_entry_id TEXT NOT NULL UNIQUE,
    entry_type TEXT NOT NULL,
    order_id TEXT,
    description TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    entry_created_at TIMESTAMP NOT NULL,
    UNIQUE (invoice_id, position)
);

-- Refund requests: one open (pending) request per order.
CREATE TABLE refunds (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    environment TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders (id),
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL,
    decided_by TEXT,
    decision_reason TEXT,
    ledger_entry_id TEXT,
    requested_by TEXT NOT NULL,
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX refunds_one_open_per_order ON refunds (order_id) WHERE status = 'pending';
CREATE INDEX refunds_partner ON refunds (partner_id, environment, created_at, id);
CREATE INDEX refunds_status ON refunds (status, created_at, id);

-- The period-close job: one row per closed (or closing) period, claimed with an owner and a
-- lease like every job of the runtime.
CREATE TABLE period_closes (
    period TEXT PRIMARY KEY NOT NULL,
    lease_owner TEXT,
    lease_until TIMESTAMP,
    invoices INTEGER NOT NULL,
    done_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
