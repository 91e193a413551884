//! The console's pages, one module per area of the Partner Portal.

pub mod catalogue;
pub mod developers;
pub mod money;
pub mod orders;
pub mod overview;
pub mod readiness;
pub mod services;
pub mod support;
pub mod team;

use crate::error::ApiError;
use crate::pagination::{PageQuery, PageRequest};

/// The page request of a console list (the API's `limit` and `cursor`).
pub(crate) fn page_of(req: &actix_web::HttpRequest) -> Result<PageRequest, ApiError> {
    super::ui::query::<PageQuery>(req)?.parse()
}

/// A first page of `limit` items.
pub(crate) fn first(limit: i64) -> PageRequest {
    PageRequest { limit, after: None }
}
