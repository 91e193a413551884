//! Every error code the API can answer with, in one place: the top-level `code` of each
//! `application/problem+json` body with its HTTP status, the field-level codes inside the
//! `errors` list of a 422 `validation_failed`, and the `error` values of the OAuth token
//! endpoint (RFC 6749 §5.2 shape).
//!
//! `docs/errors.md` is rendered from these tables (`onyx error-codes`). The API test
//! `problem_codes` reads `src/**/*.rs` and fails when the source can produce a code (or a
//! code with a status) missing here, or when an entry here can no longer be produced, so
//! this list and the code cannot drift apart. A code that two error variants carry is
//! listed once per status.
//!
//! Ground layer: this module uses nothing but `std`.

use std::fmt::Write as _;

/// A top-level problem `code` and the status it is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemCode {
    /// The value of `code` (and the end of `type`: `urn:onyx:problem:<code>`).
    pub code: &'static str,
    /// The HTTP status (also `status` in the body).
    pub status: u16,
    /// The area of the API the code belongs to; entries of one area stay together.
    pub area: &'static str,
    /// One sentence a partner engineer can act on.
    pub meaning: &'static str,
}

/// A field-level code: `errors[].code` of a 422 `validation_failed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldCode {
    pub code: &'static str,
    pub meaning: &'static str,
}

/// An `error` of `POST /v1/oauth/token` (RFC 6749 §5.2: `{error, error_description}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuthErrorCode {
    pub error: &'static str,
    pub status: u16,
    pub meaning: &'static str,
}

const REQUESTS: &str = "Requests in general";
const AUTH: &str = "Authentication and access";
const TEAM: &str = "Team and invitations";
const CREDENTIALS: &str = "Credentials";
const PARTNERS: &str = "Partners (operator routes)";
const CATALOGUE: &str = "Catalogue (operator routes)";
const ORDERS: &str = "Orders";
const SERVICES: &str = "Services, activation and usage";
const WEBHOOKS: &str = "Webhooks";
const SUPPORT: &str = "Support cases";
const READINESS: &str = "Readiness and live access";
const MONEY: &str = "Wallet, refunds and invoices";
const SERVER: &str = "Server side";

const fn p(
    area: &'static str,
    code: &'static str,
    status: u16,
    meaning: &'static str,
) -> ProblemCode {
    ProblemCode {
        code,
        status,
        area,
        meaning,
    }
}

/// Every top-level problem code, grouped by area.
pub const PROBLEM_CODES: &[ProblemCode] = &[
    // Requests in general
    p(REQUESTS, "malformed_json", 400, "The body is not valid JSON or is empty; send one JSON object (the detail gives line and column)."),
    p(REQUESTS, "unreadable_body", 400, "The body could not be read to the end (for example the connection broke); send the request again."),
    p(REQUESTS, "invalid_query", 400, "A query parameter has an unknown name or a wrong type; check it against the OpenAPI document."),
    p(REQUESTS, "invalid_cursor", 400, "The `cursor` was not issued by this API; pass `next_cursor` from the previous page unchanged."),
    p(REQUESTS, "invalid_idempotency_key", 400, "The `Idempotency-Key` header must be 1 to 255 visible ASCII characters, for example a UUID."),
    p(REQUESTS, "bad_request", 400, "The request could not be understood at all; check the method, path, query and headers against the OpenAPI document."),
    p(REQUESTS, "not_found", 404, "No object with this id exists for your account and environment (another tenant's object answers the same)."),
    p(REQUESTS, "route_not_found", 404, "No route matches the path (or the id in it), or a sandbox helper was called with live credentials; check the path against the OpenAPI document."),
    p(REQUESTS, "method_not_allowed", 405, "The route exists but not for this method; use one of the methods in the `Allow` header."),
    p(REQUESTS, "not_acceptable", 406, "The `Accept` header asks for a media type this route cannot produce; the detail names the ones it can."),
    p(REQUESTS, "concurrent_change", 409, "Another request changed the same data at the same moment; read the current state and retry."),
    p(REQUESTS, "idempotency_key_in_use", 409, "A request with this `Idempotency-Key` is still running; wait, then retry to receive its response."),
    p(REQUESTS, "payload_too_large", 413, "The body is larger than the configured limit (64 KiB by default); send a smaller body."),
    p(REQUESTS, "unsupported_media_type", 415, "The route takes a JSON body; send `Content-Type: application/json`."),
    p(REQUESTS, "validation_failed", 422, "The body was read but fields break rules; `errors` lists every field with its field code."),
    p(REQUESTS, "idempotency_key_reused", 422, "This `Idempotency-Key` was already used for a different request; use a new key for a new request."),
    p(REQUESTS, "rate_limited", 429, "Too many requests (per credential or member, or failed sign-ins per email or client id); wait the seconds in `Retry-After`."),
    // Authentication and access
    p(AUTH, "unauthenticated", 401, "No bearer token was sent (or the operator token is wrong); send `Authorization: Bearer <token>`."),
    p(AUTH, "invalid_token", 401, "The access token is malformed, forged or names an unknown partner; request a new one."),
    p(AUTH, "token_expired", 401, "The access token has expired; request a new one from the token or login endpoint."),
    p(AUTH, "invalid_login", 401, "The email or the password is wrong (the answer never says which); check both and sign in again."),
    p(AUTH, "credential_expired", 401, "The credential was rotated and its grace period has ended; use its replacement."),
    p(AUTH, "credential_revoked", 401, "The credential behind the token was revoked or no longer exists; create a new credential."),
    p(AUTH, "member_removed", 401, "The team member behind the token was removed from the organisation; ask an owner or admin for a new invitation."),
    p(AUTH, "operator_access_disabled", 401, "Operator routes are off because the service has no operator token configured (`ONYX_ADMIN_TOKEN`)."),
    p(AUTH, "forbidden", 403, "Your role (or a machine credential) may not do this; ask an owner or admin of your organisation."),
    p(AUTH, "partner_suspended", 403, "Onyx suspended your partner account; contact Onyx support to have it reinstated."),
    p(AUTH, "live_access_not_enabled", 403, "Live access is not enabled for your account yet; keep using sandbox until Onyx approves your production readiness."),
    p(AUTH, "partner_choice_required", 409, "This email and password sign in to the teams of several partners; `partners` lists them: send the login again with `partner_id` set to one."),
    // Team and invitations
    p(TEAM, "owner_required", 403, "Only an owner may invite an owner, grant the owner role or change an owner."),
    p(TEAM, "invitation_not_found", 404, "No invitation matches this token; ask an owner or admin of your organisation for a new invitation."),
    p(TEAM, "email_taken", 409, "A member of your team already has this email (members of other partners' teams never count); change that member's role instead."),
    p(TEAM, "invitation_already_accepted", 409, "The invitation was already accepted; sign in with `POST /v1/auth/login` instead."),
    p(TEAM, "last_owner", 409, "The last owner cannot be demoted or removed; make another member an owner first."),
    p(TEAM, "invitation_expired", 422, "The invitation has expired; ask an owner or admin of your organisation to invite you again."),
    // Credentials
    p(CREDENTIALS, "invalid_credential_state", 409, "Only an active credential can be rotated (it was rotated or revoked meanwhile); list credentials and use the current one."),
    p(CREDENTIALS, "credential_already_revoked", 409, "The credential is already revoked; nothing more to do."),
    // Partners (operator routes)
    p(PARTNERS, "invalid_partner_state", 409, "The partner's status does not allow this change (approve a pending one, suspend or reinstate, live access only when approved); read the partner and act on its status."),
    // Catalogue (operator routes)
    p(CATALOGUE, "approval_not_found", 404, "The package is not approved for this partner, so there is no approval to withdraw."),
    p(CATALOGUE, "package_exists", 409, "A package with this id already exists; choose another id or update that package."),
    // Orders
    p(ORDERS, "partner_not_approved", 403, "Your partner account is not approved by Onyx yet, so orders cannot be created; prepare your integration in the meantime."),
    p(ORDERS, "service_busy", 409, "The subscription already has an open order; wait until it completes, fails or is cancelled."),
    p(ORDERS, "invalid_order_state", 409, "The order's state does not allow this change (or it changed meanwhile); read the order again."),
    p(ORDERS, "order_not_cancellable", 409, "Only pending or processing orders can be cancelled; to end a subscription create a `cancel_subscription` order."),
    p(ORDERS, "order_not_failed", 409, "Only a failed order can be retried or marked retryable; read the order's state."),
    p(ORDERS, "retry_not_allowed", 409, "The failed order may not be retried: nothing changed since it failed and Onyx has not marked it retryable; show the customer the failure reason and next step."),
    p(ORDERS, "order_closed", 409, "The order is no longer open, so only `retryable` can be reported for it (operator provisioning reports)."),
    p(ORDERS, "dead_task_not_found", 404, "No dead provisioning task exists for this order (operator route); list them with `GET /v1/admin/provisioning/dead-tasks`."),
    p(ORDERS, "package_not_found", 422, "An item (or an operator's package approval) names a package that does not exist; use a `package_id` from `GET /v1/packages`."),
    p(ORDERS, "plan_required", 422, "An activation needs exactly one package of kind `plan` in `items`."),
    p(ORDERS, "items_required", 422, "A top-up needs at least one package, a plan or add-ons."),
    p(ORDERS, "too_many_plans", 422, "An order may hold one plan; remove the others."),
    p(ORDERS, "too_many_data_addons", 422, "The order holds more data add-ons than allowed; split it or remove some."),
    p(ORDERS, "duplicate_voice_type", 422, "An order may hold one voice add-on of each voice type; remove the duplicate."),
    p(ORDERS, "package_unavailable", 422, "A package is not available for ordering now; choose an available package."),
    p(ORDERS, "package_not_approved", 422, "A package is not approved for your account; order only packages listed by `GET /v1/packages`."),
    p(ORDERS, "market_not_eligible", 422, "A package covers countries outside your eligible markets; choose another package or ask Onyx to extend your markets."),
    p(ORDERS, "compliance_requirements_not_met", 422, "A package requires identity verification; verify the customer and send `compliance.identity_verified = true`."),
    p(ORDERS, "service_not_found", 422, "The `service_id` names no subscription in this environment; use one from `GET /v1/services`."),
    p(ORDERS, "service_not_active", 422, "A top-up needs an active subscription (or an expired one, which it renews); this one is in another state."),
    p(ORDERS, "service_not_cancellable", 422, "The subscription is already cancelled."),
    p(ORDERS, "service_not_swappable", 422, "A SIM swap needs a subscription that is active or ready to install."),
    p(ORDERS, "mixed_currencies", 422, "All packages of one order must share a currency; split the order by currency."),
    p(ORDERS, "insufficient_funds", 422, "The wallet in the order's currency cannot cover the order (or its new attempt); top up the wallet or order less, then retry."),
    // Services, activation and usage
    p(SERVICES, "invalid_service_state", 409, "The subscription's state does not allow this change (or it changed meanwhile); read it again."),
    p(SERVICES, "service_not_ready", 409, "The service is not ready to install yet (install guidance and the sandbox install need `ready_to_install`); wait for `service.ready_to_install`."),
    p(SERVICES, "service_not_active", 409, "Usage is recorded only for an active service; this one is in another state."),
    p(SERVICES, "activation_not_ready", 409, "No activation materials exist until the service is ready to install; wait for the `service.ready_to_install` event."),
    p(SERVICES, "activation_materials_revoked", 409, "The activation materials were revoked because the service was cancelled; they can no longer be installed."),
    p(SERVICES, "clock_not_forward", 422, "The sandbox clock only moves forward; send a `to` after the current test time (GET /v1/sandbox/clock) or a positive `by`."),
    p(SERVICES, "clock_jump_too_large", 422, "One move may take the sandbox clock at most 400 days forward; move it in several steps."),
    // Webhooks
    p(WEBHOOKS, "event_not_replayable", 409, "Events can be replayed for 30 days; this one is older."),
    p(WEBHOOKS, "endpoint_limit_reached", 409, "The environment already has the most webhook endpoints allowed (10 by default); delete one you no longer use, or subscribe an existing one to more event types."),
    p(WEBHOOKS, "endpoint_disabled", 409, "The endpoint is disabled; enable it (`PATCH` with `enabled: true`) before replaying to it or sending it a test event."),
    p(WEBHOOKS, "no_endpoint_to_replay", 409, "No enabled endpoint subscribes to this event's type; create or enable one first."),
    // Support cases
    p(SUPPORT, "case_closed", 409, "The support case is closed; open a new case and mention the old case's id."),
    p(SUPPORT, "case_not_reopenable", 409, "The support case was resolved more than 14 days ago, so a comment can no longer reopen it; open a new case and mention the old case's id."),
    p(SUPPORT, "invalid_case_state", 409, "The support case's status does not allow this move (operator routes); read the case and choose a status its current one allows."),
    p(SUPPORT, "reference_mismatch", 422, "`service_id` is not the service of `order_id`; send one of them, or the order's own service."),
    // Readiness and live access
    p(READINESS, "live_access_already_enabled", 409, "Live access is already enabled for your account; sign in or create credentials with environment live."),
    p(READINESS, "live_request_pending", 409, "A live-access request is already waiting for Onyx; wait for live_access.approved or live_access.declined."),
    p(READINESS, "live_request_not_pending", 409, "The live-access request was already approved or declined (operator routes); list the partner's requests to see the current one."),
    p(READINESS, "readiness_incomplete", 422, "Live access can be requested once every readiness item is done; `missing` lists the open items and GET /v1/readiness says how to complete each."),
    // Wallet, refunds and invoices
    p(MONEY, "order_not_refundable", 409, "Only a completed order with captured funds left to refund can be refunded; an open order is cancelled instead."),
    p(MONEY, "refund_already_open", 409, "The order already has a pending refund request; wait for its decision before asking again."),
    p(MONEY, "refund_not_pending", 409, "The refund request was decided already (operator route); read it again."),
    p(MONEY, "invalid_invoice_state", 409, "The invoice's status does not allow this change (issue a draft, mark an issued invoice paid, void a draft or issued one); read it again."),
    p(MONEY, "nothing_to_invoice", 409, "There is nothing left to invoice for this partner, environment, currency and period (operator route); list the invoices to find the one made."),
    p(MONEY, "order_not_found", 422, "The refund's `order_id` names no order in this environment; use an id from `GET /v1/orders`."),
    p(MONEY, "period_not_started", 422, "An invoice on demand names a month that has not started (operator route); invoice the current month or an earlier one."),
    p(MONEY, "refund_exceeds_captured", 422, "The refund is larger than what the order captured less earlier refunds; ask for less."),
    p(MONEY, "debit_exceeds_available", 422, "The operator debit is larger than the wallet's available balance (or there is no such wallet); debit less or credit first."),
    p(MONEY, "export_too_large", 422, "The CSV export would hold more than 100000 rows; narrow it with `created_from` and `created_to`."),
    // Server side
    p(SERVER, "internal_error", 500, "Something failed on Onyx's side; retry later and quote the `request_id` to Onyx support if it persists."),
    p(SERVER, "database_unavailable", 503, "The service cannot reach its database right now; retry in a few seconds."),
    p(SERVER, "activation_materials_unreadable", 503, "The service's stored activation materials cannot be decrypted with its current key; Onyx support can re-issue them with a SIM swap."),
];

const fn f(code: &'static str, meaning: &'static str) -> FieldCode {
    FieldCode { code, meaning }
}

/// Every field-level code (`errors[].code` of a 422 `validation_failed`), sorted by code.
/// `errors[].field` names the field (a JSON path such as `items[0].package_id`, empty for the
/// whole body) and `errors[].message` says what is wrong.
pub const FIELD_CODES: &[FieldCode] = &[
    f("credentials_in_url", "The URL contains a user name or password; remove them and authenticate receivers by the webhook signature."),
    f("duplicate", "The list holds this value twice; list each value once."),
    f("email", "The value is not an email address such as ops@example.com."),
    f("forbidden_address", "The URL points at a loopback, private, link-local or other non-public address; use a public receiver."),
    f("in_future", "The timestamp lies in the future; send a time that has passed."),
    f("insecure_url", "The URL uses http; use https (http is accepted only for loopback receivers in sandbox)."),
    f("invalid_character", "The value (or key) holds the NUL character (U+0000), which no field accepts; remove it."),
    f("invalid_country", "The value is not an ISO 3166-1 alpha-2 country code in upper case, such as FR."),
    f("invalid_currency", "The value is not an ISO 4217 currency code in upper case, such as EUR."),
    f("invalid_duration", "The value is not an ISO-8601 duration of weeks, days, hours, minutes and seconds such as P3D, PT12H or P1DT6H (years and months are not accepted)."),
    f("invalid_format", "The value does not have the required format; the message lists the allowed characters and length."),
    f("invalid_key", "A metadata key is empty or longer than 40 characters."),
    f("invalid_type", "The value has the wrong JSON type (or the body is not a JSON object); the message names the expected type."),
    f("invalid_url", "The value is not an absolute http(s) URL with a host."),
    f("invalid_value", "The value is not one of the accepted values (for example an unknown enum value); the message lists what is expected."),
    f("length", "The text is shorter or longer than allowed; the message gives the bounds."),
    f("local_single_country", "A package with local coverage lists exactly one country."),
    f("not_allowed", "The field must be left out in this combination (the message says why), for example `service_id` on an activation."),
    f("one_of", "Send exactly one of the fields the message names."),
    f("out_of_range", "The number is outside the allowed range; the message gives the bounds."),
    f("range", "The number is outside the allowed range; the message gives the bounds."),
    f("required", "The field is missing or empty but required here."),
    f("sandbox_scenario_not_allowed", "`sandbox_scenario` exists only in sandbox; leave it out of live orders."),
    f("secret_in_text", "The text looks like it holds a secret (activation code or matching id, credential secret or token, webhook secret, card number, IBAN or identity document number), named by kind in the message; remove it, since nothing of the refused text was stored."),
    f("too_long", "The text is longer than allowed; the message gives the maximum."),
    f("too_many", "The list holds more entries than allowed; the message gives the maximum."),
    f("too_many_keys", "The metadata object holds more than 20 keys."),
    f("unknown_event_type", "The event type is not one this API sends; use the event types listed in the OpenAPI document."),
    f("unknown_field", "The body holds a field this request does not have; remove it (the message lists the expected fields)."),
];

/// Every error of `POST /v1/oauth/token`. Its 429 (too many failed attempts) is a problem
/// body with code `rate_limited`.
pub const OAUTH_ERRORS: &[OAuthErrorCode] = &[
    OAuthErrorCode {
        error: "invalid_request",
        status: 400,
        meaning: "The request is malformed: not form-encoded or JSON, `grant_type` missing, or no `client_id` and `client_secret` (in the body or as HTTP Basic).",
    },
    OAuthErrorCode {
        error: "unsupported_grant_type",
        status: 400,
        meaning: "Only the `client_credentials` grant is supported.",
    },
    OAuthErrorCode {
        error: "unauthorized_client",
        status: 400,
        meaning: "The credential is valid but its partner may not get tokens now (suspended, or live access not enabled); the description says which.",
    },
    OAuthErrorCode {
        error: "invalid_client",
        status: 401,
        meaning: "Client authentication failed; the answer never says whether the id or the secret was wrong.",
    },
];

/// The entry for a top-level `code` answered with `status`.
pub fn problem_code(code: &str, status: u16) -> Option<&'static ProblemCode> {
    PROBLEM_CODES
        .iter()
        .find(|c| c.code == code && c.status == status)
}

/// The entry for a field-level code.
pub fn field_code(code: &str) -> Option<&'static FieldCode> {
    FIELD_CODES.iter().find(|c| c.code == code)
}

const EXAMPLE: &str = r#"{
  "type": "urn:onyx:problem:validation_failed",
  "title": "Unprocessable Entity",
  "status": 422,
  "detail": "Field `customer_reference` is invalid: must be 1 to 64 characters of letters, digits and . _ : @ -.",
  "code": "validation_failed",
  "request_id": "req_9f2c1d0b7a6e4c3f",
  "errors": [
    {
      "field": "customer_reference",
      "code": "invalid_format",
      "message": "must be 1 to 64 characters of letters, digits and . _ : @ -"
    }
  ]
}"#;

/// `docs/errors.md`: the tables as Markdown.
pub fn render_markdown() -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Error codes");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "<!-- Generated from src/problem_codes.rs by `cargo run -q -- error-codes > docs/errors.md`; do not edit by hand. A test fails when this page and the code disagree. -->"
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Every error of the Onyx Partner API is an RFC 9457 `application/problem+json` body \
         (the OAuth token endpoint is the one exception, below):"
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "```json\n{EXAMPLE}\n```");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Branch on `code`, which is stable; `detail` is a sentence for people and may change. \
         `type` is `urn:onyx:problem:<code>`, `status` repeats the HTTP status, and \
         `request_id` (also the `x-request-id` header) is what to quote to Onyx support. \
         `errors` is present only for 422 `validation_failed`: one entry per broken rule, \
         with the field's JSON path, a field code from the second table and a message."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "## Problem codes");
    let mut area = "";
    for c in PROBLEM_CODES {
        if c.area != area {
            area = c.area;
            let _ = writeln!(w);
            let _ = writeln!(w, "### {area}");
            let _ = writeln!(w);
            let _ = writeln!(w, "| code | status | meaning |");
            let _ = writeln!(w, "|---|---|---|");
        }
        let _ = writeln!(w, "| `{}` | {} | {} |", c.code, c.status, c.meaning);
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "## Field codes");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "The `code` of each entry in `errors` of a 422 `validation_failed`."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "| code | meaning |");
    let _ = writeln!(w, "|---|---|");
    for c in FIELD_CODES {
        let _ = writeln!(w, "| `{}` | {} |", c.code, c.meaning);
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "## Token endpoint errors");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "`POST /v1/oauth/token` answers errors in the OAuth 2.0 shape (RFC 6749 §5.2), \
         `{{\"error\", \"error_description\", \"request_id\"}}` as `application/json`, except \
         429 `rate_limited`, which is a problem body."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "| error | status | meaning |");
    let _ = writeln!(w, "|---|---|---|");
    for c in OAUTH_ERRORS {
        let _ = writeln!(w, "| `{}` | {} | {} |", c.error, c.status, c.meaning);
    }
    out
}
