//! Database access: one connection type over SQLite (embedded default) and PostgreSQL, an
//! r2d2 pool, embedded migrations for both, and helpers that run diesel work on the
//! blocking pool.
//!
//! Through the derived `MultiConnection` there is no RETURNING, ON CONFLICT or FOR UPDATE:
//! ids are generated in Rust, and a backend-specific statement `match`es on the variant.

pub mod schema;
pub mod stored;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::ApiError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The SQLite file path for a `sqlite://path` or plain path URL.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

/// Opens connections of the backend the URL names (never guessing by trial, so a
/// PostgreSQL URL can never create a stray SQLite file).
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url)
                .map(DbConnection::Pg)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut c = SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers work beside the writer; the busy timeout makes a second
                // writer wait instead of failing; foreign keys are off by default in SQLite.
                c.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type PooledConn = r2d2::PooledConnection<Manager>;

/// The pool plus what callers need to know about the backend.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    /// Opens connections outside the pool (the migrating connection).
    manager: Manager,
    backend: Backend,
    /// SQLite allows one writer at a time; write transactions of this process take turns
    /// here so that none fails with SQLITE_BUSY on a read-to-write upgrade.
    sqlite_writer: Arc<Mutex<()>>,
    /// Counts committed transactions that queued background work (see [`mark_work_queued`]);
    /// idle workers wait on it instead of only polling.
    work_queued: Arc<tokio::sync::watch::Sender<u64>>,
}

thread_local! {
    static QUEUED_IN_THIS_TRANSACTION: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The PostgreSQL channel on which committed work wakes the workers of every instance.
pub const WORK_CHANNEL: &str = "onyx_work_queued";

/// Says that the write transaction on `conn` queued background work (a webhook delivery, a
/// provisioning step): once it commits, idle workers of this process wake at once, and on
/// PostgreSQL a `NOTIFY` (sent by the server at commit, never for a rolled-back transaction)
/// wakes those of the other instances.
pub fn mark_work_queued(conn: &mut DbConnection) -> Result<(), ApiError> {
    if !QUEUED_IN_THIS_TRANSACTION.with(|q| q.replace(true)) {
        if let DbConnection::Pg(pg) = conn {
            diesel::sql_query(format!("NOTIFY {WORK_CHANNEL}")).execute(pg)?;
        }
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("migrations failed: {0}")]
    Migrations(String),
}

impl Db {
    pub fn connect(url: &str, max_size: u32) -> Result<Db, DbError> {
        let backend = Backend::of_url(url);
        let manager = Manager {
            url: url.to_string(),
            backend,
        };
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(manager.clone())?;
        Ok(Db {
            pool,
            manager,
            backend,
            sqlite_writer: Arc::new(Mutex::new(())),
            work_queued: Arc::new(tokio::sync::watch::channel(0).0),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn get(&self) -> Result<PooledConn, r2d2::PoolError> {
        self.pool.get()
    }

    /// Applies every pending migration of this backend; returns how many ran.
    ///
    /// On PostgreSQL, instances starting together take turns: each migrates on a connection of
    /// its own that holds the advisory lock [`MIGRATION_LOCK_KEY`] while it runs, so the first
    /// applies the pending migrations and the others then find none (instead of failing on
    /// a duplicate key). The lock is released afterwards, also on error, and in any case when
    /// the connection closes. SQLite needs nothing: its write lock already serialises them.
    pub fn migrate(&self) -> Result<usize, DbError> {
        match self.backend {
            Backend::Postgres => {
                let conn = self.manager.connect().map_err(|e| {
                    DbError::Migrations(format!("cannot open a connection to migrate: {e}"))
                })?;
                match conn {
                    DbConnection::Pg(mut c) => migrate_postgres(&mut c),
                    DbConnection::Sqlite(_) => unreachable!("a PostgreSQL URL opens PostgreSQL"),
                }
            }
            Backend::Sqlite => {
                let mut conn = self.get()?;
                match &mut *conn {
                    DbConnection::Sqlite(c) => c
                        .run_pending_migrations(SQLITE_MIGRATIONS)
                        .map(|v| v.len())
                        .map_err(|e| DbError::Migrations(e.to_string())),
                    DbConnection::Pg(_) => unreachable!("a SQLite URL opens SQLite"),
                }
            }
        }
    }

    /// Runs read-only diesel work on the blocking pool, keeping the tracing span.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            span.in_scope(|| {
                let mut conn = db.get()?;
                f(&mut conn)
            })
        })
        .await?
    }

    /// Runs `f` inside one database transaction on the blocking pool: it commits when `f`
    /// returns `Ok` and rolls back (writing nothing) when it returns `Err`.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || span.in_scope(|| db.write_blocking(f))).await?
    }

    /// The blocking form of [`Db::write`], for workers and the seed step.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
    {
        let mut conn = self.get()?;
        let _turn = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        QUEUED_IN_THIS_TRANSACTION.with(|q| q.set(false));
        let result = (*conn).transaction(f);
        if QUEUED_IN_THIS_TRANSACTION.with(|q| q.replace(false)) && result.is_ok() {
            self.work_queued.send_modify(|n| *n = n.wrapping_add(1));
        }
        result
    }

    /// Runs `f` on a connection outside any transaction, in the writers' turn (on SQLite):
    /// for maintenance that takes SQLite's write lock itself, such as a WAL checkpoint. A
    /// TRUNCATE checkpoint holds the write lock while it waits for readers; outside the turn,
    /// a write transaction of this process that read first would meet SQLITE_BUSY at once
    /// when it writes ("database is locked"; no busy wait can resolve that).
    pub fn in_writers_turn<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut conn = self.get()?;
        let _turn = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        f(&mut conn)
    }

    /// Changes whenever a committed write queued background work: of this process, and on
    /// PostgreSQL (once [`Db::listen_for_work`] runs) of any instance.
    pub fn work_queued(&self) -> tokio::sync::watch::Receiver<u64> {
        self.work_queued.subscribe()
    }

    /// On PostgreSQL, listens on [`WORK_CHANNEL`] with a dedicated connection until `stop`
    /// is set, turning other instances' notifications into [`Db::work_queued`] changes. The
    /// connection is read without blocking every 20 ms (no query is sent); a lost connection
    /// is opened again after a second. Nothing to do on SQLite (one process per file).
    pub fn listen_for_work(
        &self,
        stop: Arc<std::sync::atomic::AtomicBool>,
    ) -> Option<std::thread::JoinHandle<()>> {
        if self.backend != Backend::Postgres {
            return None;
        }
        let url = self.manager.url.clone();
        let signal = Arc::clone(&self.work_queued);
        let spawned = std::thread::Builder::new()
            .name("onyx-listen".into())
            .spawn(move || {
                use std::sync::atomic::Ordering;
                while !stop.load(Ordering::Relaxed) {
                    let mut conn = match PgConnection::establish(&url) {
                        Ok(c) => c,
                        Err(e) => {
                            tracing::warn!(error = %e, "cannot open the work listener connection; polling only");
                            std::thread::sleep(Duration::from_secs(1));
                            continue;
                        }
                    };
                    if let Err(e) = diesel::sql_query(format!("LISTEN {WORK_CHANNEL}")).execute(&mut conn) {
                        tracing::warn!(error = %e, "LISTEN failed; polling only");
                        std::thread::sleep(Duration::from_secs(1));
                        continue;
                    }
                    while !stop.load(Ordering::Relaxed) {
                        let mut woke = false;
                        let mut broken = false;
                        for n in conn.notifications_iter() {
                            match n {
                                Ok(_) => woke = true,
                                Err(_) => {
                                    broken = true;
                                    break;
                                }
                            }
                        }
                        if woke {
                            signal.send_modify(|n| *n = n.wrapping_add(1));
                        }
                        if broken {
                            tracing::warn!("the work listener connection broke; opening it again");
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
            });
        match spawned {
            Ok(handle) => Some(handle),
            Err(e) => {
                tracing::warn!(error = %e, "cannot start the work listener; polling only");
                None
            }
        }
    }
}

/// The PostgreSQL advisory lock (session level) held while migrating: the ASCII of
/// `onyxmigr`. Nothing else in the database may use this key.
pub const MIGRATION_LOCK_KEY: i64 = 0x6f6e_7978_6d69_6772;

/// Runs the pending PostgreSQL migrations while holding [`MIGRATION_LOCK_KEY`].
fn migrate_postgres(c: &mut PgConnection) -> Result<usize, DbError> {
    fn advisory(c: &mut PgConnection, sql: &str) -> QueryResult<usize> {
        diesel::sql_query(sql)
            .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK_KEY)
            .execute(c)
    }
    advisory(c, "SELECT pg_advisory_lock($1)")
        .map_err(|e| DbError::Migrations(format!("cannot take the migration lock: {e}")))?;
    let ran = c
        .run_pending_migrations(POSTGRES_MIGRATIONS)
        .map(|v| v.len())
        .map_err(|e| DbError::Migrations(e.to_string()));
    let released = advisory(c, "SELECT pg_advisory_unlock($1)");
    let ran = ran?;
    released.map_err(|e| DbError::Migrations(format!("cannot release the migration lock: {e}")))?;
    Ok(ran)
}

/// `SELECT 1` on a pooled connection: is the database reachable?
pub fn ping(conn: &mut DbConnection) -> Result<(), ApiError> {
    conn.batch_execute("SELECT 1")?;
    Ok(())
}

impl Db {
    /// (open connections, idle connections) of the pool.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }
}

/// For a worker's bookkeeping transaction whose loss in a database crash is harmless because
/// the job is redone (a claim, an attempt's result: the lease runs out and the job runs
/// again, at least once): on PostgreSQL the commit does not wait for the WAL flush
/// (`synchronous_commit = off` for this transaction only). Never for money or partner-visible
/// state changes other than a job's own row.
pub fn relaxed_commit(conn: &mut DbConnection) -> Result<(), ApiError> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query("SET LOCAL synchronous_commit TO OFF").execute(c)?;
    }
    Ok(())
}

/// Serialises concurrent writers of one partner's rows inside a transaction: on PostgreSQL a
/// row lock on the partner (`FOR UPDATE`); on SQLite write transactions already take turns.
pub fn lock_partner(conn: &mut DbConnection, partner_id: &str) -> Result<(), ApiError> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query("SELECT id FROM partners WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(partner_id)
            .execute(c)?;
    }
    Ok(())
}
