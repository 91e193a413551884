DROP TABLE auth_failures;
DROP TABLE events;
DROP TABLE audit_log;
DROP TABLE credentials;
DROP TABLE invitations;
DROP TABLE members;
DROP TABLE partners;
