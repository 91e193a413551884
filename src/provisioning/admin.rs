//! Operators report provisioning state for an order (live orders without an upstream, or
//! corrections), and mark failed orders retryable.

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Operator;
use crate::error::{ApiError, FieldError, Problem};
use crate::http::Json;
use crate::orders::{self, Order, Progress};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportedState {
    Preparing,
    Delayed,
    /// Provisioned: the order completes.
    Ready,
    Failed,
    Unavailable,
    /// For a failed order: Onyx allows one more retry.
    Retryable,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisioningReport {
    pub state: ReportedState,
    /// For `failed`: a stable code, e.g. `network_rejected`.
    #[schema(example = "network_rejected")]
    pub failure_code: Option<String>,
    /// For `failed` and `unavailable`: what partners show their customer.
    pub failure_message: Option<String>,
    /// For `failed`: whether the partner may retry.
    #[serde(default)]
    pub retryable: bool,
}

/// Report an order's provisioning state; the order, its money and its service follow.
#[utoipa::path(
    tag = "operator",
    params(("order_id" = String, Path, description = "Order id (`ord_…`).")),
    request_body = ProvisioningReport,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Applied; the order as it is now.", body = Order),
        (status = 404, description = "No such order.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is closed (`order_closed`) or the report does not fit its state.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{order_id}/provisioning")]
pub async fn report(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<ProvisioningReport>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let r = body.into_inner();
    let text = |v: &Option<String>, max: usize| {
        v.as_ref()
            .is_some_and(|s| s.is_empty() || s.chars().count() > max)
    };
    let mut errors = Vec::new();
    if text(&r.failure_code, 64) {
        errors.push(FieldError::new(
            "failure_code",
            "length",
            "must be 1 to 64 characters long",
        ));
    }
    if text(&r.failure_message, 500) {
        errors.push(FieldError::new(
            "failure_message",
            "length",
            "must be 1 to 500 characters long",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let now = state.now();
    let st = state.clone();
    let order = state
        .db
        .write(move |c| {
            let progress = match r.state {
                ReportedState::Retryable => {
                    orders::mark_retryable(c, &id, now)?;
                    None
                }
                ReportedState::Preparing => Some(Progress::Preparing),
                ReportedState::Delayed => Some(Progress::Delayed),
                ReportedState::Ready => Some(Progress::Done),
                ReportedState::Failed => Some(Progress::Failed {
                    code: r.failure_code.unwrap_or_else(|| "provisioning_failed".into()),
                    message: r.failure_message.unwrap_or_else(|| "Onyx could not provision the order.".into()),
                    retryable: r.retryable,
                }),
                ReportedState::Unavailable => Some(Progress::Unavailable {
                    message: r.failure_message.unwrap_or_else(|| "The network cannot provide this service right now.".into()),
                }),
            };
            if let Some(progress) = progress {
                if !orders::apply_progress(c, &st.vault, &id, progress, now)? {
                    return Err(ApiError::Conflict {
                        code: "order_closed",
                        detail: "The order is no longer open; only `retryable` can be reported for a failed order.".into(),
                    });
                }
            }
            let row = orders::row_by_id(c, &id)?;
            orders::get(c, &row.tenant()?, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(order))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(report);
}
