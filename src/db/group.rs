//! Group commit for SQLite's one writer.
//!
//! SQLite lets one transaction write at a time. Instead of each write taking the writer's
//! turn, opening, committing and handing the turn to the next thread (a commit writes every
//! page it changed to the log again, and each hand-over is a thread wake-up), writes that
//! queue up while a write runs are run together: the thread whose turn it is (the *leader*)
//! takes every waiting write (up to [`MAX_BATCH`]) and runs each in its own savepoint inside
//! one transaction, then commits once. Pages the writes share (the wallet row, the tails of
//! the tables and their indexes) reach the log once per batch instead of once per write.
//!
//! What each write sees and does is what it would alone, in queue order:
//! - a write that fails (returns `Err` or panics) is rolled back to its savepoint and gets its
//!   error; the others are not affected;
//! - an answer is handed out only after the batch committed; when the commit fails, every
//!   write of the batch gets that failure (none of them was written);
//! - after a server fault (a 5xx error: the transaction itself may be gone), the leader runs
//!   no further write in that transaction: it commits what came before and puts the writes it
//!   did not run back at the head of the queue for the next turn.
//!
//! Writes from the blocking pool ([`super::Db::write`]) can run on the leader's thread, so
//! they carry their tracing span; a blocking write whose closure cannot move between threads
//! ([`super::Db::write_blocking`]) waits for its own turn and leads a batch itself.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use diesel::connection::{Connection, TransactionManager};

use super::DbConnection;
use crate::error::ApiError;

/// The most writes committed together: bounds how long the last of a batch waits.
pub const MAX_BATCH: usize = 32;

/// A queued write, type-erased: runs the caller's closure in a savepoint and keeps its result
/// for the caller; says whether the transaction may go on.
type Run = Box<dyn FnOnce(&mut DbConnection) -> Result<Step, ApiError> + Send>;

/// What became of one write inside the batch.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Written (or refused by the caller's own rules): the batch goes on.
    Continue,
    /// A server fault: commit what came before, run nothing more in this transaction.
    Stop,
}

struct Queued {
    run: Run,
    /// The caller's share: set once its batch has committed or failed.
    ticket: Arc<Ticket>,
}

/// Where a queued write's outcome waits for its caller.
struct Ticket {
    /// `Some(Ok)`: committed (the result slot holds the answer); `Some(Err)`: the batch did
    /// not commit, for this reason. Read and written under the group's lock.
    done: Mutex<Option<Result<(), ApiError>>>,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Queued>,
    /// A leader is running a batch.
    leading: bool,
}

/// The SQLite writer's queue and turn.
#[derive(Default)]
pub(crate) struct WriteGroup {
    state: Mutex<State>,
    turn_over: Condvar,
}

/// One batch's transaction, run by the leader: `own` first (the leader's own closure, when it
/// has one), then the queued writes. Returns `own`'s result (None without one) and whether
/// the batch committed; after it the caller settles the tickets.
pub(crate) trait Committer {
    /// Runs `body` in one transaction and reports the commit.
    fn transaction(
        &self,
        body: &mut dyn FnMut(&mut DbConnection) -> Result<(), ApiError>,
    ) -> Result<(), ApiError>;
}

impl WriteGroup {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` (which may move to the leader's thread) as part of a batch; returns its result
    /// once the batch committed.
    pub(crate) fn write<T, F>(&self, committer: &dyn Committer, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        let slot: Arc<Mutex<Option<Caught<T>>>> = Arc::new(Mutex::new(None));
        let ticket = Arc::new(Ticket {
            done: Mutex::new(None),
        });
        let span = tracing::Span::current();
        let run: Run = {
            let slot = Arc::clone(&slot);
            Box::new(move |conn| {
                let (result, go_on) = span.in_scope(|| in_savepoint(conn, f));
                let step = step_after(&result);
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                go_on.map(|()| step)
            })
        };
        let mut state = self.lock();
        state.queue.push_back(Queued {
            run,
            ticket: Arc::clone(&ticket),
        });
        loop {
            if ticket
                .done
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some()
            {
                break;
            }
            if !state.leading {
                state.leading = true;
                drop(state);
                self.lead(
                    committer,
                    None::<fn(&mut DbConnection) -> Result<(), ApiError>>,
                );
                state = self.lock();
                continue;
            }
            state = self
                .turn_over
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
        drop(state);
        let done = ticket.done.lock().unwrap_or_else(|p| p.into_inner()).take();
        let caught = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        match (done, caught) {
            // A panic is raised again here, in the thread whose write it was.
            (_, Some(Err(panic))) => std::panic::resume_unwind(panic),
            (Some(Ok(())), Some(Ok(result))) => result,
            (Some(Err(e)), _) => Err(e),
            _ => Err(ApiError::internal("a write was never run")),
        }
    }

    /// Runs `f` on this thread, leading a batch of its own (with whatever is queued after it).
    pub(crate) fn write_here<T, F>(&self, committer: &dyn Committer, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
    {
        let mut state = self.lock();
        while state.leading {
            state = self
                .turn_over
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
        state.leading = true;
        drop(state);
        match self.lead(committer, Some(f)) {
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            Some(Ok(result)) => result,
            None => Err(ApiError::internal("the leader's write was never run")),
        }
    }

    /// One turn: takes the queue, runs `own` and the queued writes in one transaction, settles
    /// the tickets, hands the turn on. Returns `own`'s result.
    fn lead<T, F>(&self, committer: &dyn Committer, own: Option<F>) -> Option<Caught<T>>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
    {
        // Hands the turn on however this ends (a panic included), so no waiter waits forever.
        struct TurnOver<'a>(&'a WriteGroup, Vec<Arc<Ticket>>);
        impl Drop for TurnOver<'_> {
            fn drop(&mut self) {
                let mut state = self.0.lock();
                for t in self.1.drain(..) {
                    let mut done = t.done.lock().unwrap_or_else(|p| p.into_inner());
                    if done.is_none() {
                        *done = Some(Err(ApiError::internal("the write's batch was abandoned")));
                    }
                }
                state.leading = false;
                drop(state);
                self.0.turn_over.notify_all();
            }
        }
        let taken: Vec<Queued> = {
            let mut state = self.lock();
            let n = state.queue.len().min(MAX_BATCH);
            state.queue.drain(..n).collect()
        };
        let mut turn = TurnOver(self, taken.iter().map(|q| Arc::clone(&q.ticket)).collect());
        let had_own = own.is_some();
        let mut own = own;
        let mut own_result: Option<Caught<T>> = None;
        let mut pending: VecDeque<Queued> = taken.into();
        let mut ran: Vec<Arc<Ticket>> = Vec::new();
        let committed = committer.transaction(&mut |conn| {
            if let Some(f) = own.take() {
                let (result, go_on) = in_savepoint(conn, f);
                let step = step_after(&result);
                own_result = Some(result);
                go_on?;
                if step == Step::Stop {
                    return Ok(());
                }
            }
            while let Some(q) = pending.pop_front() {
                ran.push(Arc::clone(&q.ticket));
                if (q.run)(conn)? == Step::Stop {
                    break;
                }
            }
            Ok(())
        });
        let mut state = self.lock();
        // Writes not run after a server fault go back to the head of the queue, for the next
        // transaction; when this one did not commit (or never began) they get its failure
        // like the others, rather than waiting for a database that is not there.
        if committed.is_err() {
            ran.extend(pending.drain(..).map(|q| q.ticket));
        }
        while let Some(q) = pending.pop_back() {
            state.queue.push_front(q);
        }
        for t in &ran {
            *t.done.lock().unwrap_or_else(|p| p.into_inner()) = Some(match &committed {
                Ok(()) => Ok(()),
                Err(e) => Err(batch_failed(e)),
            });
        }
        drop(state);
        // Every write taken is now settled or back in the queue: nothing left to abandon.
        turn.1.clear();
        drop(turn);
        match (committed, own_result) {
            (Ok(()), r) | (Err(_), r @ Some(Err(_))) => r,
            // Not committed (or never begun: no connection): the leader's own write gets why.
            (Err(e), _) if had_own => Some(Ok(Err(e))),
            (Err(e), _) => {
                tracing::warn!(error = %e, "a batch of writes could not be committed");
                None
            }
        }
    }
}

/// A panic caught inside a write, raised again in the thread that asked for the write.
type Panic = Box<dyn std::any::Any + Send>;

/// What one write gave: its result, or the panic it raised (its savepoint rolled back).
type Caught<T> = Result<Result<T, ApiError>, Panic>;

/// Runs `f` in a savepoint of the open transaction: rolled back when it fails or panics.
/// `Err(ApiError)` from the outside: the panic's savepoint could not be rolled back, so the
/// transaction cannot go on.
fn in_savepoint<T, F>(conn: &mut DbConnection, f: F) -> (Caught<T>, Result<(), ApiError>)
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
{
    let depth = |conn: &mut DbConnection| {
        <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
            .transaction_depth()
            .ok()
            .flatten()
            .map_or(0, |d| d.get())
    };
    let outer = depth(conn);
    match catch_unwind(AssertUnwindSafe(|| conn.transaction(f))) {
        Ok(result) => (Ok(result), Ok(())),
        Err(panic) => {
            // The savepoints the closure ran in are still open: roll them back, so the
            // writes around it are unaffected.
            let mut rolled_back = Ok(());
            while rolled_back.is_ok() && depth(conn) > outer {
                rolled_back =
                    <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
            }
            let go_on = rolled_back.map_err(|e| {
                ApiError::Internal(format!(
                    "a write panicked and its savepoint could not be rolled back: {e}"
                ))
            });
            (Err(panic), go_on)
        }
    }
}

/// After one write: a server fault or a panic ends the batch (the transaction may be gone);
/// a refusal does not.
fn step_after<T>(result: &Caught<T>) -> Step {
    match result {
        Ok(Err(ApiError::Internal(_))) | Ok(Err(ApiError::Unavailable { .. })) | Err(_) => {
            Step::Stop
        }
        _ => Step::Continue,
    }
}

/// The reason a batch did not commit, for each of its writes: an unreachable database stays
/// a 503 its callers may retry; anything else is a server fault.
fn batch_failed(e: &ApiError) -> ApiError {
    match e {
        ApiError::Unavailable {
            code: "database_unavailable",
            detail,
        } => ApiError::Unavailable {
            code: "database_unavailable",
            detail: detail.clone(),
        },
        other => ApiError::Internal(format!("the write's transaction did not commit: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database that cannot be reached: no transaction ever begins.
    struct Unreachable;

    impl Committer for Unreachable {
        fn transaction(
            &self,
            _body: &mut dyn FnMut(&mut DbConnection) -> Result<(), ApiError>,
        ) -> Result<(), ApiError> {
            Err(ApiError::Unavailable {
                code: "database_unavailable",
                detail: "no connection".into(),
            })
        }
    }

    #[test]
    fn a_batch_that_cannot_begin_answers_each_write_with_its_reason() {
        let group = WriteGroup::default();
        let queued = group.write(&Unreachable, |_| Ok(1));
        assert!(
            matches!(
                queued,
                Err(ApiError::Unavailable {
                    code: "database_unavailable",
                    ..
                })
            ),
            "{queued:?}"
        );
        let here = group.write_here(&Unreachable, |_| Ok(1));
        assert!(
            matches!(
                here,
                Err(ApiError::Unavailable {
                    code: "database_unavailable",
                    ..
                })
            ),
            "{here:?}"
        );
        // The turn was handed on: the next write is not left waiting.
        assert!(group.write(&Unreachable, |_| Ok(2)).is_err());
    }
}
