//! The request id of the request being handled on this task. The request-id middleware
//! (`http::request_id`) sets it; error bodies and log lines read it. It sits at the bottom of
//! the module graph so that the error type can name it without reaching into HTTP plumbing.

use std::future::Future;

tokio::task_local! {
    static CURRENT: String;
}

/// The request id of the request being handled on this task, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(|id| id.clone()).ok()
}

/// Runs `fut` with `id` as the current request id.
pub async fn scope<F: Future>(id: String, fut: F) -> F::Output {
    CURRENT.scope(id, fut).await
}
