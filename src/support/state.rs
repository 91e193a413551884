//! The support case state machine: `open → awaiting_onyx | awaiting_partner → resolved →
//! closed`, with reopening by a partner comment within [`REOPEN_WINDOW_DAYS`] of resolution.

use chrono::{DateTime, Duration, Utc};

use crate::error::ApiError;

crate::stored_enum! {
    /// Where a support case stands.
    pub enum CaseStatus {
        /// Opened by the partner; Onyx has not answered yet.
        Open = "open",
        /// Onyx is working on it (the partner answered, or Onyx took it up).
        AwaitingOnyx = "awaiting_onyx",
        /// Onyx asked the partner something; comment to answer.
        AwaitingPartner = "awaiting_partner",
        /// Onyx resolved it; a comment within the reopen window reopens it.
        Resolved = "resolved",
        /// Finished; open a new case (mentioning this one) if the problem comes back.
        Closed = "closed",
    }
}

/// How long after resolution a partner comment reopens a case.
pub const REOPEN_WINDOW_DAYS: i64 = 14;

/// Until when a case resolved at `resolved_at` can be reopened.
pub fn reopen_until(resolved_at: DateTime<Utc>) -> DateTime<Utc> {
    resolved_at + Duration::days(REOPEN_WINDOW_DAYS)
}

fn closed() -> ApiError {
    ApiError::Conflict {
        code: "case_closed",
        detail: "The support case is closed; open a new case and mention this one's id.".into(),
    }
}

/// The status a case moves to when the partner comments on it at `now`.
pub fn after_partner_comment(
    status: CaseStatus,
    resolved_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<CaseStatus, ApiError> {
    use CaseStatus::*;
    match status {
        Open => Ok(Open),
        AwaitingOnyx | AwaitingPartner => Ok(AwaitingOnyx),
        Resolved if resolved_at.is_some_and(|r| now < reopen_until(r)) => Ok(AwaitingOnyx),
        Resolved => Err(ApiError::Conflict {
            code: "case_not_reopenable",
            detail: format!(
                "The support case was resolved more than {REOPEN_WINDOW_DAYS} days ago and can no longer be reopened; open a new case and mention this one's id."
            ),
        }),
        Closed => Err(closed()),
    }
}

/// Whether an operator may move a case from `from` to `to`.
pub fn operator_may_move(from: CaseStatus, to: CaseStatus) -> bool {
    use CaseStatus::*;
    matches!(
        (from, to),
        (Open, AwaitingOnyx | AwaitingPartner | Resolved)
            | (AwaitingOnyx, AwaitingPartner | Resolved)
            | (AwaitingPartner, AwaitingOnyx | Resolved)
            | (Resolved, Closed | AwaitingOnyx)
    )
}

/// Checks an operator's move; the same status or a move the machine does not have is 409.
pub fn check_operator_move(from: CaseStatus, to: CaseStatus) -> Result<(), ApiError> {
    if from == CaseStatus::Closed {
        return Err(closed());
    }
    if operator_may_move(from, to) {
        return Ok(());
    }
    Err(ApiError::Conflict {
        code: "invalid_case_state",
        detail: format!(
            "A support case cannot move from {} to {}; read the case and choose a status its current one allows.",
            from.as_str(),
            to.as_str()
        ),
    })
}

/// The status an operator reply moves a case to when the operator names none: a case Onyx
/// was to answer now waits for the partner; other cases keep their status.
pub fn after_operator_reply(status: CaseStatus) -> CaseStatus {
    match status {
        CaseStatus::Open | CaseStatus::AwaitingOnyx => CaseStatus::AwaitingPartner,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use CaseStatus::*;

    #[test]
    fn partner_comments_reopen_only_within_the_window() {
        let t = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        assert_eq!(after_partner_comment(Open, None, t).unwrap(), Open);
        assert_eq!(
            after_partner_comment(AwaitingPartner, None, t).unwrap(),
            AwaitingOnyx
        );
        let soon = t + Duration::days(REOPEN_WINDOW_DAYS) - Duration::seconds(1);
        assert_eq!(
            after_partner_comment(Resolved, Some(t), soon).unwrap(),
            AwaitingOnyx
        );
        let late = t + Duration::days(REOPEN_WINDOW_DAYS);
        assert_eq!(
            after_partner_comment(Resolved, Some(t), late)
                .unwrap_err()
                .code(),
            "case_not_reopenable"
        );
        assert_eq!(
            after_partner_comment(Closed, Some(t), t)
                .unwrap_err()
                .code(),
            "case_closed"
        );
    }

    #[test]
    fn operator_moves_follow_the_flow() {
        assert!(operator_may_move(Open, AwaitingPartner));
        assert!(operator_may_move(AwaitingPartner, Resolved));
        assert!(operator_may_move(Resolved, Closed));
        assert!(!operator_may_move(Open, Closed));
        assert!(!operator_may_move(Open, Open));
        assert!(!operator_may_move(Closed, AwaitingOnyx));
        assert_eq!(
            check_operator_move(Closed, Resolved).unwrap_err().code(),
            "case_closed"
        );
        assert_eq!(
            check_operator_move(Open, Closed).unwrap_err().code(),
            "invalid_case_state"
        );
    }
}
