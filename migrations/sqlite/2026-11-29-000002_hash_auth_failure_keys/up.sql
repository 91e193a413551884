-- Guessing counters were keyed by the identifier as typed; they are keyed by a hash now.
-- The old rows (at most 15 minutes of counts) are dropped rather than kept readable.
DELETE FROM auth_failures;
