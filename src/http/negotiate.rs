//! Content negotiation for routes that answer in more than one media type (JSON by default,
//! CSV exports, PDF documents), and the CSV writer those exports share.

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::error::ApiError;

/// The first of `offered` (most preferred first) that the request's `Accept` header allows;
/// no `Accept`, `*/*` or `type/*` allow the first offered type of that kind. 406
/// `not_acceptable` naming `offered` when none is allowed. Quality values other than `q=0`
/// are not ranked: the route's order decides.
pub fn choose(req: &HttpRequest, offered: &[&'static str]) -> Result<&'static str, ApiError> {
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*")
        .to_ascii_lowercase();
    let ranges: Vec<&str> = accept
        .split(',')
        .filter(|part| {
            !part
                .split(';')
                .skip(1)
                .any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
        })
        .map(|part| part.split(';').next().unwrap_or("").trim())
        .filter(|r| !r.is_empty())
        .collect();
    if ranges.is_empty() {
        return Ok(offered[0]);
    }
    // An exact match first, in the route's order; then wildcards.
    if let Some(m) = offered.iter().find(|m| ranges.contains(m)) {
        return Ok(m);
    }
    for m in offered {
        let kind = m.split('/').next().unwrap_or("");
        if ranges
            .iter()
            .any(|r| *r == "*/*" || *r == format!("{kind}/*"))
        {
            return Ok(m);
        }
    }
    Err(ApiError::NotAcceptable {
        detail: format!(
            "This route answers in {}; send one of them in Accept.",
            offered.join(", ")
        ),
    })
}

/// `text/csv` with its charset and the header line the exports declare.
pub const CSV: &str = "text/csv; charset=utf-8; header=present";

/// An RFC 4180 CSV document: comma-separated, CRLF line ends, fields quoted when they hold a
/// comma, a quote or a line break (quotes doubled). Fields that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-` or `@`) are not changed: every column of these exports
/// is an id, a code, a number or a time, and descriptions never start with those characters.
#[derive(Debug, Default)]
pub struct Csv {
    out: String,
}

impl Csv {
    /// A document whose first line names the columns.
    pub fn with_header(columns: &[&str]) -> Csv {
        let mut csv = Csv::default();
        csv.row(columns.iter().copied());
        csv
    }

    /// Appends one record.
    pub fn row<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            if field.contains([',', '"', '\n', '\r']) {
                self.out.push('"');
                self.out.push_str(&field.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(field);
            }
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut csv = Csv::with_header(&["a", "b"]);
        csv.row(["plain", "with, comma"]);
        csv.row(["say \"hi\"", "line\nbreak"]);
        assert_eq!(
            csv.finish(),
            "a,b\r\nplain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\"line\nbreak\"\r\n"
        );
    }
}
