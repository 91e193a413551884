//! HTTP plumbing shared by every resource area: request ids, the JSON extractor, fallback
//! routing and error normalisation.

pub mod caching;
pub mod fallback;
pub mod json;
pub mod negotiate;
pub mod nul;
pub mod request_id;
pub mod span;

pub use json::Json;
