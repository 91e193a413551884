-- Back to one membership per email. Fails (and changes nothing) while an email belongs to
-- several partners' teams: remove the extra memberships first.
CREATE TABLE members_global_email (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    last_login_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO members_global_email
    (id, partner_id, email, name, role, password_hash, last_login_at, created_at, updated_at)
SELECT id, partner_id, email, name, role, password_hash, last_login_at, created_at, updated_at
FROM members;
DROP TABLE members;
ALTER TABLE members_global_email RENAME TO members;
CREATE INDEX members_partner ON members (partner_id, created_at, id);
