-- Console sign-ins (the web console at /console). The cookie carries a random token; only its
-- SHA-256 is stored, so a copy of this table opens no session. Every console request reads its
-- session joined with the member, so sign-out, removal and role changes apply at once.
CREATE TABLE console_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    csrf_token TEXT NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    member_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX console_sessions_member ON console_sessions (member_id);
