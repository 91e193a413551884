//! Finding secrets in free text before it is stored.
//!
//! Support cases (and any other area that keeps text a person typed) must never hold
//! activation materials, credentials, payment data or identity documents. [`scan`] runs one
//! table of detectors ([`DETECTORS`]) over a text and names the first kind of secret it finds;
//! [`refuse_secrets`] turns findings in request fields into a 422 that names each field and
//! the kind, and never the text itself (the text is neither stored, logged nor echoed).
//!
//! Each detector is tuned to refuse real secrets and let ordinary support text through: an
//! order id, an ICCID (`89…`, 19–20 digits) or a phone number is not a card number, a date
//! next to the word "passport" is not a passport number. Every detector has its own unit tests
//! with positives and near-miss negatives.
//!
//! Ground layer: this module uses only `error` and `std`/`regex`.

use std::sync::OnceLock;

use regex::Regex;

use crate::error::{ApiError, FieldError};

/// What kind of secret a text holds. `code()` is stable and appears in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// An LPA activation code, `LPA:1$<SM-DP+ address>$<matching id>`.
    LpaActivationCode,
    /// An eSIM matching id (the secret part of an activation code).
    MatchingId,
    /// An eSIM confirmation code (digits next to the words "confirmation code").
    ConfirmationCode,
    /// An Onyx credential secret (`onyx_sk_…`), invitation or operator token.
    OnyxSecret,
    /// A webhook signing secret (`whsec_…`).
    WebhookSecret,
    /// A JSON Web Token (such as an access token).
    Jwt,
    /// A bearer token or an `Authorization` header value.
    BearerToken,
    /// A payment card number (13–19 digits passing the Luhn check).
    CardNumber,
    /// An IBAN (passing its mod-97 check).
    Iban,
    /// A passport, identity card, driving licence or similar document number.
    IdentityDocument,
}

impl SecretKind {
    /// Every kind, in detector order.
    pub const ALL: [SecretKind; 10] = [
        SecretKind::LpaActivationCode,
        SecretKind::MatchingId,
        SecretKind::ConfirmationCode,
        SecretKind::OnyxSecret,
        SecretKind::WebhookSecret,
        SecretKind::Jwt,
        SecretKind::BearerToken,
        SecretKind::Iban,
        SecretKind::CardNumber,
        SecretKind::IdentityDocument,
    ];

    /// The stable name of the kind.
    pub fn code(self) -> &'static str {
        match self {
            SecretKind::LpaActivationCode => "lpa_activation_code",
            SecretKind::MatchingId => "matching_id",
            SecretKind::ConfirmationCode => "confirmation_code",
            SecretKind::OnyxSecret => "onyx_secret",
            SecretKind::WebhookSecret => "webhook_secret",
            SecretKind::Jwt => "jwt",
            SecretKind::BearerToken => "bearer_token",
            SecretKind::CardNumber => "card_number",
            SecretKind::Iban => "iban",
            SecretKind::IdentityDocument => "identity_document",
        }
    }

    /// The kind in words, for people.
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::LpaActivationCode => "an eSIM activation code",
            SecretKind::MatchingId => "an eSIM matching id",
            SecretKind::ConfirmationCode => "an eSIM confirmation code",
            SecretKind::OnyxSecret => "an Onyx credential secret or token",
            SecretKind::WebhookSecret => "a webhook signing secret",
            SecretKind::Jwt => "an access token (JWT)",
            SecretKind::BearerToken => "a bearer token or authorization header",
            SecretKind::CardNumber => "a payment card number",
            SecretKind::Iban => "a bank account number (IBAN)",
            SecretKind::IdentityDocument => "an identity document number",
        }
    }
}

/// One row of the detector table.
pub struct Detector {
    pub kind: SecretKind,
    pub finds: fn(&str) -> bool,
}

/// The detectors, most specific first (an IBAN's digits may also pass the card check; the
/// IBAN is the better name for it).
pub const DETECTORS: &[Detector] = &[
    Detector {
        kind: SecretKind::LpaActivationCode,
        finds: lpa_activation_code,
    },
    Detector {
        kind: SecretKind::MatchingId,
        finds: matching_id,
    },
    Detector {
        kind: SecretKind::ConfirmationCode,
        finds: confirmation_code,
    },
    Detector {
        kind: SecretKind::OnyxSecret,
        finds: onyx_secret,
    },
    Detector {
        kind: SecretKind::WebhookSecret,
        finds: webhook_secret,
    },
    Detector {
        kind: SecretKind::Jwt,
        finds: jwt,
    },
    Detector {
        kind: SecretKind::BearerToken,
        finds: bearer_token,
    },
    Detector {
        kind: SecretKind::Iban,
        finds: iban,
    },
    Detector {
        kind: SecretKind::CardNumber,
        finds: card_number,
    },
    Detector {
        kind: SecretKind::IdentityDocument,
        finds: identity_document,
    },
];

/// The first kind of secret `text` holds, if any.
pub fn scan(text: &str) -> Option<SecretKind> {
    DETECTORS.iter().find(|d| (d.finds)(text)).map(|d| d.kind)
}

/// The field code of a refusal by [`refuse_secrets`].
pub const FIELD_CODE: &str = "secret_in_text";

/// Scans each `(field, text)`; when any holds a secret, a 422 `validation_failed` whose
/// `errors` name every such field with code `secret_in_text` and the kind. The texts
/// themselves never appear in the answer.
pub fn refuse_secrets<'a>(
    fields: impl IntoIterator<Item = (String, &'a str)>,
) -> Result<(), ApiError> {
    let errors: Vec<FieldError> = fields
        .into_iter()
        .filter_map(|(field, text)| {
            scan(text).map(|kind| {
                FieldError::new(
                    field,
                    "secret_in_text",
                    format!(
                        "looks like it contains {} (`{}`); remove it: support texts must never hold secrets, activation materials, payment data or identity documents",
                        kind.describe(),
                        kind.code()
                    ),
                )
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("secret pattern"))
}

/// `LPA:1$<address>$<matching id>` (any case, spaces around the separators tolerated). The
/// address alone (`LPA:1$smdp.example$`) is not a secret.
fn lpa_activation_code(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(
        &RE,
        r"(?i)LPA\s*:\s*1\s*\$\s*[A-Za-z0-9.\-]+\s*\$\s*[A-Za-z0-9][^\s$]*",
    )
    .is_match(text)
}

/// The matching ids Onyx issues (four groups of five characters of its alphabet, no I, O, 0
/// or 1), or any code of six or more characters with a digit right after the words
/// "matching id".
fn matching_id(text: &str) -> bool {
    static SHAPE: OnceLock<Regex> = OnceLock::new();
    static KEYWORD: OnceLock<Regex> = OnceLock::new();
    let shape = regex(
        &SHAPE,
        r"(?i)\b[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}\b",
    );
    if shape.is_match(text) {
        return true;
    }
    let keyword = regex(&KEYWORD, r"(?i)\bmatching[\s_-]*id\b");
    keyword.find_iter(text).any(|m| {
        tokens_after(text, m.end(), 3)
            .any(|t| t.len() >= 6 && t.chars().any(|c| c.is_ascii_digit()) && !t.contains('_'))
    })
}

/// Four to sixteen digits right after the words "confirmation code".
fn confirmation_code(text: &str) -> bool {
    static KEYWORD: OnceLock<Regex> = OnceLock::new();
    let keyword = regex(&KEYWORD, r"(?i)\bconfirmation[\s_-]*code\b");
    keyword.find_iter(text).any(|m| {
        tokens_after(text, m.end(), 3)
            .any(|t| (4..=16).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit()))
    })
}

/// `onyx_sk_test_…` / `onyx_sk_live_…` credential secrets, `onyx_inv_…` invitation tokens and
/// `onyx_adm_…` operator tokens (a bare prefix is not a secret; client ids `onyx_ci_…` are
/// not secret).
fn onyx_secret(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(
        &RE,
        r"(?i)\bonyx_(?:sk_(?:test|live)|inv|adm)_[A-Za-z0-9]{8,}",
    )
    .is_match(text)
}

/// `whsec_` followed by the base64 secret.
fn webhook_secret(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, r"\bwhsec_[A-Za-z0-9+/=_\-]{12,}").is_match(text)
}

/// Three base64url segments whose first two are JSON objects (`eyJ` is `{"`).
fn jwt(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(
        &RE,
        r"\beyJ[A-Za-z0-9_\-]{4,}\.eyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*",
    )
    .is_match(text)
}

/// `Bearer <token>` with a token of 16 or more token characters, or an `Authorization:`
/// header with a scheme and a credential.
fn bearer_token(text: &str) -> bool {
    static BEARER: OnceLock<Regex> = OnceLock::new();
    static HEADER: OnceLock<Regex> = OnceLock::new();
    regex(
        &BEARER,
        r"(?i)\bbearer\s+[A-Za-z0-9\-._~+/]*[0-9][A-Za-z0-9\-._~+/]*=*",
    )
    .find_iter(text)
    .any(|m| {
        let token = m.as_str().split_whitespace().nth(1).unwrap_or("");
        token.len() >= 16
    }) || regex(
        &HEADER,
        r"(?i)\bauthorization\s*:\s*[A-Za-z]+\s+[A-Za-z0-9\-._~+/]{8,}=*",
    )
    .is_match(text)
}

/// Card numbers: 13 to 19 digits, written together or in groups separated by one space or
/// dash, passing the Luhn check, starting with a payment-card major industry digit (1 to 6:
/// ICCIDs start with 89, so they never count) and not stuck to letters, `_` or a `+` (order
/// ids and phone numbers do not count). Any run of whole groups inside a longer number is
/// checked too ("call 555 0100, card 4111 1111 1111 1111").
fn card_number(text: &str) -> bool {
    digit_runs(text).iter().any(|groups| {
        (0..groups.len()).any(|start| {
            let mut digits = String::new();
            for group in &groups[start..] {
                digits.push_str(group);
                if digits.len() > 19 {
                    break;
                }
                if digits.len() >= 13 && is_card(&digits) {
                    return true;
                }
            }
            false
        })
    })
}

fn is_card(digits: &str) -> bool {
    matches!(digits.as_bytes().first(), Some(b'1'..=b'6')) && luhn_valid(digits)
}

/// Whether a string of ASCII digits passes the Luhn check.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Runs of digit groups: digits joined by single spaces or dashes, bounded by anything but a
/// letter, digit, `_` or `+` (a run touching one of those is left out).
fn digit_runs(text: &str) -> Vec<Vec<&str>> {
    let b = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let glued_before =
            i > 0 && (b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'_' | b'+'));
        let mut groups = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            groups.push(&text[start..j]);
            if j + 1 < b.len() && matches!(b[j], b' ' | b'-') && b[j + 1].is_ascii_digit() {
                j += 1;
                continue;
            }
            break;
        }
        let glued_after = j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_');
        if !glued_before && !glued_after {
            runs.push(groups);
        }
        // Skip to the end of this run (and any letters glued to it).
        i = j.max(i + 1);
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
    }
    runs
}

/// IBAN lengths by country (ISO 13616 registry).
#[rustfmt::skip]
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16),
    ("BG", 22), ("BH", 22), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22), ("CY", 28),
    ("CZ", 24), ("DE", 22), ("DK", 18), ("DO", 28), ("EE", 20), ("EG", 29), ("ES", 24),
    ("FI", 18), ("FO", 18), ("FR", 27), ("GB", 22), ("GE", 22), ("GI", 23), ("GL", 18),
    ("GR", 27), ("GT", 28), ("HR", 21), ("HU", 28), ("IE", 22), ("IL", 23), ("IQ", 23),
    ("IS", 26), ("IT", 27), ("JO", 30), ("KW", 30), ("KZ", 20), ("LB", 28), ("LC", 32),
    ("LI", 21), ("LT", 20), ("LU", 20), ("LV", 21), ("LY", 25), ("MC", 27), ("MD", 24),
    ("ME", 22), ("MK", 19), ("MR", 27), ("MT", 31), ("MU", 30), ("NL", 18), ("NO", 15),
    ("PK", 24), ("PL", 28), ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22),
    ("SA", 24), ("SC", 31), ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27),
    ("ST", 25), ("SV", 28), ("TL", 23), ("TN", 24), ("TR", 26), ("UA", 29), ("VA", 22),
    ("VG", 24), ("XK", 20),
];

/// IBANs: a registered country code, two check digits and the country's length of letters
/// and digits (together or in groups separated by single spaces), passing the mod-97 check.
fn iban(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(3)).any(|i| {
        let starts_word = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if !starts_word
            || !b[i].is_ascii_alphabetic()
            || !b[i + 1].is_ascii_alphabetic()
            || !b[i + 2].is_ascii_digit()
            || !b[i + 3].is_ascii_digit()
        {
            return false;
        }
        let country = text[i..i + 2].to_ascii_uppercase();
        let Some(&(_, len)) = IBAN_LENGTHS.iter().find(|(c, _)| *c == country) else {
            return false;
        };
        let mut chars = String::new();
        let mut j = i;
        while j < b.len() && chars.len() < len {
            if b[j].is_ascii_alphanumeric() {
                chars.push(b[j].to_ascii_uppercase() as char);
                j += 1;
            } else if b[j] == b' ' && j + 1 < b.len() && b[j + 1].is_ascii_alphanumeric() {
                j += 1;
            } else {
                break;
            }
        }
        let ends_word = j >= b.len() || !b[j].is_ascii_alphanumeric();
        chars.len() == len && ends_word && iban_checksum_valid(&chars)
    })
}

/// The ISO 7064 mod-97 check of an IBAN (upper case, no spaces).
pub fn iban_checksum_valid(iban: &str) -> bool {
    if iban.len() < 5 || !iban.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let rearranged = iban[4..].bytes().chain(iban[..4].bytes());
    let mut rem: u32 = 0;
    for c in rearranged {
        let value = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c.to_ascii_uppercase() - b'A') + 10
        };
        rem = if value >= 10 {
            (rem * 100 + value) % 97
        } else {
            (rem * 10 + value) % 97
        };
    }
    rem == 1
}

/// A document number next to the name of an identity document: within the three words after
/// "passport", "ID card", "identity card/document/number", "national ID", "driving licence",
/// "residence permit", "social security", "SSN", "tax ID", "DNI"/"NIE" (and a few of their
/// names in other languages), a code of 6 to 20 letters, digits and dashes with at least four
/// digits, that is not a date.
fn identity_document(text: &str) -> bool {
    static KEYWORD: OnceLock<Regex> = OnceLock::new();
    static DATE: OnceLock<Regex> = OnceLock::new();
    let keyword = regex(
        &KEYWORD,
        r"(?i)\b(?:passports?|passeport|reisepass|pasaporte|id[\s-]?card|identity[\s-]?(?:card|document|number)|national[\s-]?id(?:entity)?(?:[\s-]?(?:card|number))?|personalausweis|carte[\s-]d'identit[eé]|driv(?:er'?s|ing)[\s-]?licen[cs]e|residence[\s-]?permit|social[\s-]?security(?:[\s-]?number)?|ssn|tax[\s-]?id|dni|nie)\b",
    );
    let date = regex(
        &DATE,
        r"^(?:\d{4}-\d{1,2}(?:-\d{1,2})?|\d{1,2}-\d{1,2}-\d{2,4})$",
    );
    keyword.find_iter(text).any(|m| {
        tokens_after(text, m.end(), 4).any(|t| {
            let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
            (6..=20).contains(&t.len()) && digits >= 4 && !t.contains('_') && !date.is_match(t)
        })
    })
}

/// The first `n` words after byte offset `from`: runs of letters, digits, `-` and `_` (other
/// characters such as `:`, `#` and spaces separate them).
fn tokens_after(text: &str, from: usize, n: usize) -> impl Iterator<Item = &str> {
    text[from..]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|t| !t.is_empty())
        .map(|t| t.trim_matches('-'))
        .take(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each detector finds every positive and none of the near misses; `scan` names the kind.
    fn check(kind: SecretKind, positives: &[&str], near_misses: &[&str]) {
        let detector = DETECTORS
            .iter()
            .find(|d| d.kind == kind)
            .expect("detector in the table");
        for text in positives {
            assert!(
                (detector.finds)(text),
                "{kind:?} should find a secret in {text:?}"
            );
            assert!(scan(text).is_some(), "scan should refuse {text:?}");
        }
        for text in near_misses {
            assert!(
                !(detector.finds)(text),
                "{kind:?} should not fire on {text:?}"
            );
        }
    }

    #[test]
    fn lpa_activation_codes() {
        check(
            SecretKind::LpaActivationCode,
            &[
                "code: LPA:1$smdp.onyx.example$K2F4A-7XQ9B-3MNP8-RT6WZ",
                "lpa:1$rsp.example.com$ABC123",
                "please check LPA:1$smdp.onyx.example$K2F4A$$1 again",
                "LPA : 1 $ smdp.example $ 0123-ABCD",
            ],
            &[
                "The LPA string could not be scanned by the customer",
                "LPA:1$smdp.onyx.example$",
                "LPA:2 profile",
                "cost $15 for 1$ top-up",
            ],
        );
        assert_eq!(
            scan("LPA:1$smdp.onyx.example$K2F4A-7XQ9B-3MNP8-RT6WZ"),
            Some(SecretKind::LpaActivationCode)
        );
    }

    #[test]
    fn matching_ids() {
        check(
            SecretKind::MatchingId,
            &[
                "the matching id K2F4A-7XQ9B-3MNP8-RT6WZ was refused",
                "k2f4a-7xq9b-3mnp8-rt6wz",
                "Matching ID: 4N4F5ZQK2LP7",
                "matching_id=AB12CD34EF",
            ],
            &[
                "the matching id was not accepted by the phone",
                "order ord_0mhx2k9q1002a7f3kq9zt0bw failed",
                "uuid 550e8400-e29b-41d4-a716-446655440000",
                "K2F4A-7XQ9B-3MNP8",
                "IIIII-OOOOO-11111-00000",
            ],
        );
    }

    #[test]
    fn confirmation_codes() {
        check(
            SecretKind::ConfirmationCode,
            &["confirmation code 48151623", "Confirmation-Code: 1234"],
            &[
                "the confirmation code was asked twice",
                "confirmation code is 12",
                "no code needed, confirmation of install at 12:30",
            ],
        );
    }

    #[test]
    fn onyx_secrets() {
        check(
            SecretKind::OnyxSecret,
            &[
                "our secret is onyx_sk_test_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKiWq2R",
                "ONYX_SK_LIVE_abcdefgh12345678",
                "invite onyx_inv_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKi",
                "onyx_adm_0123456789abcdef",
            ],
            &[
                "keys start with onyx_sk_test_ in sandbox",
                "client onyx_ci_test_8sLw0Zx5Tc7Vb1Mk3Jd9",
                "onyx_sk_test_abc",
            ],
        );
    }

    #[test]
    fn webhook_secrets() {
        check(
            SecretKind::WebhookSecret,
            &[
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "secret=whsec_c2VjcmV0c2VjcmV0c2VjcmV0",
            ],
            &[
                "the whsec_ prefix is documented",
                "whsec_short",
                "mywhsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ],
        );
    }

    #[test]
    fn jwts() {
        check(
            SecretKind::Jwt,
            &[
                "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl",
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
            ],
            &[
                "version 1.2.3 of the app",
                "eyJhbGciOiJIUzI1NiJ9 alone",
                "abc.def.ghi",
            ],
        );
    }

    #[test]
    fn bearer_tokens() {
        check(
            SecretKind::BearerToken,
            &[
                "Authorization: Bearer 8f2a9c0d7e6b5a4f3e2d1c0b",
                "we sent bearer abcdEFGH1234ijklMNOP",
                "authorization: Basic dXNlcjpwYXNzd29yZA==",
            ],
            &[
                "the Bearer token expired",
                "bearer of the device",
                "Bearer 12345",
                "authorization failed",
            ],
        );
    }

    #[test]
    fn card_numbers() {
        check(
            SecretKind::CardNumber,
            &[
                "card 4111111111111111",
                "paid with 4111 1111 1111 1111 yesterday",
                "5555-5555-5555-4444",
                "amex 378282246310005",
                "call 555 0100, card 4111 1111 1111 1111",
                "6011 0009 9013 9424 exp 12/27",
            ],
            &[
                // An ICCID (19 digits, Luhn check digit) is not a card number.
                "ICCID 8988247000012345675",
                "iccid 89882470000123456788",
                // Fails the Luhn check.
                "4111 1111 1111 1112",
                // Order ids and service ids are not card numbers.
                "order ord_4111111111111111",
                "svc_0mhx2k9q1002a7f3kq9zt0bw",
                // Too short, and a phone number.
                "4111 1111 1111",
                "call +4915123456789",
                "reference 4111111111111111abc",
            ],
        );
        assert!(luhn_valid("8988247000012345675"));
        assert!(luhn_valid("89882470000123456788"));
    }

    #[test]
    fn ibans() {
        check(
            SecretKind::Iban,
            &[
                "refund to DE89 3704 0044 0532 0130 00 please",
                "GB29NWBK60161331926819",
                "iban: fr1420041010050500013m02606",
                "NL91ABNA0417164300.",
            ],
            &[
                "DE89 3704 0044 0532 0130 01",
                "GB29NWBK6016133192681",
                "XX89370400440532013000",
                "the eu-10gb-30d package for DE customers",
            ],
        );
        assert!(iban_checksum_valid("GB29NWBK60161331926819"));
    }

    #[test]
    fn identity_documents() {
        check(
            SecretKind::IdentityDocument,
            &[
                "passport number C01X00T47",
                "Passport no: 123456789",
                "customer's ID card # X1234567-89",
                "driving licence MORGA753116SM9IJ",
                "SSN 078-05-1120",
                "Personalausweis L01X00T471",
            ],
            &[
                "the customer's passport photo was blurry",
                "passport expires 2027-05-01",
                "identity verified with a passport at the desk, order ord_0mhx2k9q1002a7f3kq9zt0bw",
                "order id 12345678 failed",
                "passport valid for 10 years",
            ],
        );
    }

    #[test]
    fn ordinary_support_text_passes() {
        for text in [
            "Customer in Lisbon cannot get data after installing the eSIM; roaming is on.",
            "ord_0mhx2k9q1002a7f3kq9zt0bw / svc_Lw0Zx5Tc7Vb1Mk3Jd9rQ2n8s, ICCID 8988247000012345675",
            "booking-48151623",
            "Package eu-10gb-30d, 10 GB, paid 24.00 EUR on 2026-11-01.",
            "Phone +44 20 7946 0958, iPhone 15, iOS 18.1",
        ] {
            assert_eq!(scan(text), None, "{text}");
        }
    }

    #[test]
    fn refusals_name_field_and_kind_but_not_the_text() {
        let secret = "4111 1111 1111 1111";
        let err = refuse_secrets([
            ("issue".to_string(), secret),
            ("subject".to_string(), "all fine"),
        ])
        .unwrap_err();
        let p = err.problem();
        assert_eq!(p.code, "validation_failed");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].field, "issue");
        assert_eq!(p.errors[0].code, FIELD_CODE);
        assert!(p.errors[0].message.contains("card_number"));
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("4111"), "{json}");
    }
}
