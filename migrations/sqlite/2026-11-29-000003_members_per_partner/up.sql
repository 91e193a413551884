-- Membership is per partner: one email may be a member of several partners' teams, and is
-- unique only within one team. SQLite cannot drop the column's UNIQUE constraint, so the
-- table is rebuilt (nothing references members by a foreign key). The unique index on
-- (email, partner_id) also serves sign-in, which looks memberships up by email.
CREATE TABLE members_per_partner (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    last_login_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO members_per_partner
    (id, partner_id, email, name, role, password_hash, last_login_at, created_at, updated_at)
SELECT id, partner_id, email, name, role, password_hash, last_login_at, created_at, updated_at
FROM members;
DROP TABLE members;
ALTER TABLE members_per_partner RENAME TO members;
CREATE INDEX members_partner ON members (partner_id, created_at, id);
CREATE UNIQUE INDEX members_email_partner ON members (email, partner_id);
