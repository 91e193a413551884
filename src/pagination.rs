//! Cursor pagination for every list: newest first, ordered by (created_at, id), with an
//! opaque cursor naming the last item seen. Rows inserted while a client pages never shift
//! the pages it has not read yet, so there are no duplicates or gaps.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page, unchanged; omit for the first page. A cursor this
    /// API did not issue is refused (400 `invalid_cursor`).
    #[param(format = "cursor")]
    pub cursor: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<(NaiveDateTime, String)>,
}

impl PageQuery {
    pub fn parse(&self) -> Result<PageRequest, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::validation(vec![crate::error::FieldError::new(
                "limit",
                "out_of_range",
                format!("must be between 1 and {MAX_LIMIT}"),
            )]));
        }
        let after = match &self.cursor {
            None => None,
            Some(c) => Some(decode(c).ok_or_else(|| ApiError::BadRequest {
                code: "invalid_cursor",
                detail: "The cursor is not one this API returned; pass `next_cursor` from the previous page unchanged.".into(),
            })?),
        };
        Ok(PageRequest { limit, after })
    }
}

pub fn encode_cursor(created_at: NaiveDateTime, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{id}", created_at.and_utc().timestamp_micros()))
}

fn decode(cursor: &str) -> Option<(NaiveDateTime, String)> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    let (micros, id) = raw.split_once('|')?;
    let ts = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?.naive_utc();
    let sane_id = !id.is_empty() && id.len() <= 200 && !id.contains('\0');
    (sane_id && crate::time::accepted(ts)).then(|| (ts, id.to_string()))
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub data: Vec<T>,
    /// True when more items follow; fetch them with `cursor=next_cursor`.
    pub has_more: bool,
    /// Cursor for the next page, null on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in list order.
    pub fn from_rows<R>(
        rows: Vec<R>,
        req: &PageRequest,
        key: impl Fn(&R) -> (NaiveDateTime, String),
        map: impl FnMut(R) -> T,
    ) -> Page<T> {
        let mut map = map;
        match Self::try_from_rows(rows, req, key, |r| {
            Ok::<T, std::convert::Infallible>(map(r))
        }) {
            Ok(page) => page,
            Err(never) => match never {},
        }
    }

    /// Like `from_rows`, for a mapping that can fail (one that reads more rows).
    pub fn try_from_rows<R, E>(
        mut rows: Vec<R>,
        req: &PageRequest,
        key: impl Fn(&R) -> (NaiveDateTime, String),
        mut map: impl FnMut(R) -> Result<T, E>,
    ) -> Result<Page<T>, E> {
        let has_more = rows.len() as i64 > req.limit;
        rows.truncate(req.limit as usize);
        let next_cursor = if has_more {
            rows.last().map(|r| {
                let (ts, id) = key(r);
                encode_cursor(ts, &id)
            })
        } else {
            None
        };
        let data = rows
            .into_iter()
            .map(&mut map)
            .collect::<Result<Vec<T>, E>>()?;
        Ok(Page {
            data,
            has_more,
            next_cursor,
        })
    }
}

/// Applies "after this cursor, newest first" to a diesel query over a table with
/// `created_at` and `id` columns.
#[macro_export]
macro_rules! paginate {
    ($query:expr, $table:ident, $page:expr) => {{
        let mut q = $query
            .order(($table::created_at.desc(), $table::id.desc()))
            .limit($page.limit + 1)
            .into_boxed();
        if let Some((ts, id)) = &$page.after {
            q = q.filter(
                $table::created_at
                    .lt(*ts)
                    .or($table::created_at.eq(*ts).and($table::id.lt(id.clone()))),
            );
        }
        q
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let ts = chrono::DateTime::from_timestamp_micros(1_790_000_000_123_456)
            .unwrap()
            .naive_utc();
        let c = encode_cursor(ts, "ptr_abc");
        assert_eq!(decode(&c), Some((ts, "ptr_abc".to_string())));
        assert_eq!(decode("not-a-cursor"), None);
        let q = PageQuery {
            limit: Some(0),
            cursor: None,
        };
        assert_eq!(q.parse().unwrap_err().code(), "validation_failed");
    }
}
