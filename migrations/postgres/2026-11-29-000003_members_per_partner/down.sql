-- Back to one membership per email. Fails (and changes nothing) while an email belongs to
-- several partners' teams: remove the extra memberships first.
DROP INDEX members_email_partner;
ALTER TABLE members ADD CONSTRAINT members_email_key UNIQUE (email);
