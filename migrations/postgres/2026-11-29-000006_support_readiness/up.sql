-- Support cases with their comments, and live-access requests. Support texts are scanned for
-- secrets before they are written (src/secrets.rs); nothing refused is ever stored.
CREATE TABLE support_cases (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    environment TEXT NOT NULL,
    subject TEXT NOT NULL,
    issue TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    order_id TEXT,
    service_id TEXT,
    package_id TEXT,
    customer_reference TEXT,
    state_at_open TEXT NOT NULL,
    opened_by_type TEXT NOT NULL,
    opened_by_id TEXT,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX support_cases_partner ON support_cases (partner_id, environment, created_at, id);
CREATE INDEX support_cases_status ON support_cases (status, created_at, id);

CREATE TABLE support_comments (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES support_cases (id),
    author_type TEXT NOT NULL,
    author_id TEXT,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX support_comments_case ON support_comments (case_id, created_at, id);

CREATE TABLE live_requests (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    status TEXT NOT NULL,
    requested_by_type TEXT NOT NULL,
    requested_by_id TEXT,
    checklist TEXT NOT NULL,
    decision_reason TEXT,
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX live_requests_created ON live_requests (created_at, id);
CREATE INDEX live_requests_partner ON live_requests (partner_id, created_at, id);
-- At most one undecided request per partner, also when two arrive at once.
CREATE UNIQUE INDEX live_requests_one_pending ON live_requests (partner_id) WHERE status = 'pending';

-- The audit log's new filters (actor, action, time) stay within one partner's rows.
CREATE INDEX audit_log_partner_action ON audit_log (partner_id, action, created_at, id);
