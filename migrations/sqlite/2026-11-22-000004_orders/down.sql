DROP INDEX events_subject;
ALTER TABLE events DROP COLUMN subject_id;
DROP TABLE idempotency_keys;
DROP TABLE provisioning_tasks;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE services;
DROP TABLE ledger_entries;
DROP TABLE wallets;
