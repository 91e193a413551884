-- Membership is per partner: one email may be a member of several partners' teams, and is
-- unique only within one team. The unique index on (email, partner_id) also serves sign-in,
-- which looks memberships up by email.
ALTER TABLE members DROP CONSTRAINT members_email_key;
CREATE UNIQUE INDEX members_email_partner ON members (email, partner_id);
