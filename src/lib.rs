//! Onyx Partner API: the service partners' backends call to sell Onyx eSIM connectivity.
//!
//! Layout: `app` wires routes and middleware; `http` holds request plumbing; `error` is the
//! one error type; `db` the pool, migrations and schema; one module per resource area.

pub mod activation;
pub mod app;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod console;
pub mod credentials;
pub mod db;
pub mod demo_keys;
pub mod error;
pub mod event_catalogue;
pub mod events;
pub mod http;
pub mod idempotency;
pub mod ids;
pub mod jobs;
pub mod memo;
pub mod memory;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod orders;
pub mod outbox;
pub mod pagination;
pub mod partners;
pub mod problem_codes;
pub mod provisioning;
pub mod readiness;
pub mod reconciliation;
pub mod refunds;
pub mod request_context;
pub mod sandbox_clock;
pub mod secrets;
pub mod seed;
pub mod services;
pub mod sessions;
pub mod state;
pub mod support;
pub mod team;
pub mod telemetry;
pub mod time;
pub mod validation;
pub mod vault;
pub mod wallet;
pub mod webhooks;
pub mod workers;
