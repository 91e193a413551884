//! The whole HTTP test suite in one binary (one build). It runs on SQLite by default and on
//! PostgreSQL when `TEST_DATABASE_URL` is set.

mod access;
mod activation;
mod architecture;
mod catalogue;
mod console;
mod contract;
mod errors;
mod hardening;
mod hardening_contract;
mod hardening_data;
mod hardening_identity;
mod hardening_webhooks;
mod helpers;
mod identity;
mod jobs;
mod migrations;
mod money;
mod order_retry;
mod orders;
mod performance;
mod platform;
mod problem_codes;
mod readiness;
mod stored_values;
mod support;
mod time_travel;
mod webhooks;
