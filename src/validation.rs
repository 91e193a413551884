//! Turns `validator` errors into field errors of the one error type, and holds the small
//! parsers shared by request types (emails, names, passwords).

use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};

/// Validates `value`, answering 422 with one entry per broken rule.
pub fn check<T: Validate>(value: &T) -> Result<(), ApiError> {
    value
        .validate()
        .map_err(|e| ApiError::validation(flatten("", &e)))
}

fn flatten(prefix: &str, errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut fields: Vec<_> = errors.errors().iter().collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    for (field, kind) in fields {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| describe(&e.code, &e.params));
                    out.push(FieldError::new(path.clone(), e.code.to_string(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => out.extend(flatten(&path, inner)),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    out.extend(flatten(&format!("{path}[{i}]"), inner));
                }
            }
        }
    }
    out
}

fn describe(
    code: &str,
    params: &std::collections::HashMap<std::borrow::Cow<'static, str>, serde_json::Value>,
) -> String {
    let p = |k: &str| params.get(k).map(|v| v.to_string());
    match code {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be {min} to {max} characters long"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            _ => "has the wrong length".into(),
        },
        "email" => "must be an email address such as ops@example.com".into(),
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            _ => "is out of range".into(),
        },
        other => format!("breaks the rule `{other}`"),
    }
}

/// Trims and lower-cases an email address.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// `s` cut to at most `max` bytes at a character boundary (for stored error texts and
/// response excerpts).
pub fn truncate(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Validate)]
    struct R {
        #[validate(length(min = 1, max = 3))]
        name: String,
        #[validate(email)]
        email: String,
    }

    #[test]
    fn every_broken_rule_is_listed_by_field() {
        let err = check(&R {
            name: "long".into(),
            email: "nope".into(),
        })
        .unwrap_err();
        let p = err.problem();
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.errors[0].field, "email");
        assert_eq!(p.errors[0].code, "email");
        assert_eq!(p.errors[1].field, "name");
        assert_eq!(p.errors[1].message, "must be 1 to 3 characters long");
    }
}
