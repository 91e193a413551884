//! Database access: one connection type over SQLite (embedded default) and PostgreSQL, an
//! r2d2 pool, embedded migrations for both, and helpers that run diesel work on the
//! blocking pool.
//!
//! Through the derived `MultiConnection` there is no RETURNING, ON CONFLICT or FOR UPDATE:
//! ids are generated in Rust, and a backend-specific statement `match`es on the variant.

mod group;
pub mod schema;
pub mod stored;

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::ApiError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Runs one diesel statement on the connection's own backend rather than through the
/// multi-backend layer: `db::native!(conn, |c| query.execute(c))`. The multi-backend layer
/// renders a statement's SQL text again on every execution (three times: for the text, the
/// cache check and the bindings), which cost more than running the statement; written here,
/// the body is compiled once per backend and diesel's prepared-statement cache finds the
/// statement by its type, rendering nothing. Used on the hot paths (order creation and
/// provisioning); the body must be valid for both backends.
macro_rules! native {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Pg($c) => $body,
        }
    };
}
pub(crate) use native;

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
    /// Statements sent on this manager's connections (for `onyx_db_statements_total`).
    statements: Arc<std::sync::atomic::AtomicU64>,
}

impl Manager {
    /// Counts every statement the connection sends.
    fn instrument(&self, conn: &mut impl diesel::connection::Connection) {
        let statements = Arc::clone(&self.statements);
        conn.set_instrumentation(move |event: diesel::connection::InstrumentationEvent<'_>| {
            if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
                statements.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgres => {
                let mut c =
                    PgConnection::establish(&self.url).map_err(r2d2::Error::ConnectionError)?;
                self.instrument(&mut c);
                Ok(DbConnection::Pg(c))
            }
            Backend::Sqlite => {
                let mut c = SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers work beside the writer; the busy timeout makes a second
                // writer wait instead of failing; foreign keys are off by default in SQLite.
                // A page cache of 256 KiB per connection (SQLite's default is 2 MiB, times the
                // pool size): the operating system caches the file as well, outside the
                // service's resident memory, and hot lists are answered from memory anyway.
                // The log is moved into the database file by the checkpoint job, beside the
                // writers (see [`Db::checkpoint_wal`]); a committing writer checkpoints itself
                // (with an fsync, inside its turn) only as a backstop, past 40 MiB of log.
                // Temporary files in memory: each write of a group commit runs in a savepoint,
                // whose journal of changed pages would otherwise go to a temporary file.
                c.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA cache_size = -256; PRAGMA wal_autocheckpoint = 10000; \
                     PRAGMA temp_store = MEMORY;",
                )
                .map_err(r2d2::Error::QueryError)?;
                self.instrument(&mut c);
                Ok(DbConnection::Sqlite(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// A connection goes back to the pool only when clean: not while its thread unwinds from
    /// a panic, and not with a transaction still open or its transaction manager in an error
    /// state (it would otherwise serve the next request inside that transaction, and on
    /// SQLite hold the write lock). A broken connection is closed, which rolls it back.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
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
    /// SQLite allows one writer at a time: write transactions of this process queue here and
    /// are committed in groups (see [`group`]), so that none fails with SQLITE_BUSY on a
    /// read-to-write upgrade and queued writes share one commit.
    sqlite_writes: Arc<group::WriteGroup>,
    /// Per kind of [`Work`], counts committed transactions that queued it (see
    /// [`mark_work_queued`]);
    /// idle workers wait on it instead of only polling.
    work_queued: Arc<[tokio::sync::watch::Sender<u64>; Work::ALL.len()]>,
    /// One counter per [`Change`], moving on with every committed change of that kind.
    generations: Arc<[std::sync::atomic::AtomicU64; Change::ALL.len()]>,
    /// On PostgreSQL: whether this process currently hears other instances' changes (the
    /// listener is connected). Caches are only trusted while it does.
    changes_heard: Arc<std::sync::atomic::AtomicBool>,
    /// This pool's random id, the payload of its change notifications.
    instance: Arc<str>,
    /// Writes asked for ([`Db::write`], [`Db::write_blocking`]) and commits made: on SQLite one
    /// commit carries a group of writes; the commit count at the last WAL checkpoint.
    writes: Arc<std::sync::atomic::AtomicU64>,
    commits: Arc<std::sync::atomic::AtomicU64>,
    checkpointed: Arc<std::sync::atomic::AtomicU64>,
}

thread_local! {
    /// Bit set of the [`Work`] the open transaction queued (see [`mark_work_queued`]).
    static QUEUED_IN_THIS_TRANSACTION: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
    /// Bit set of the [`Change`]s the open transaction made (see [`mark_changed`]).
    static CHANGED_IN_THIS_TRANSACTION: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
}

/// Kinds of committed change that in-process caches follow (see [`mark_changed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Who may call the API: a credential revoked or rotated, a member's role changed or
    /// removed, a partner suspended, reinstated or given live access.
    Access,
    /// What the catalogue shows a partner: packages, their countries, approvals, markets.
    Catalogue,
    /// Orders and their items (any order of any partner).
    Orders,
}

impl Change {
    const ALL: [Change; 3] = [Change::Access, Change::Catalogue, Change::Orders];

    fn index(self) -> usize {
        self as usize
    }

    /// The PostgreSQL channel on which this change reaches the other instances.
    pub fn channel(self) -> &'static str {
        match self {
            Change::Access => "onyx_access_changed",
            Change::Catalogue => "onyx_catalogue_changed",
            Change::Orders => "onyx_orders_changed",
        }
    }
}

/// Says that the write transaction on `conn` makes a `change`: once it commits, this
/// process's [`Db::generation`] of that change moves on (caches built on it load again), and
/// on PostgreSQL a `NOTIFY` sent right after the commit (never for a rolled-back transaction)
/// does the same in every other instance (see [`Db::write_blocking`]).
pub fn mark_changed(_conn: &mut DbConnection, change: Change) -> Result<(), ApiError> {
    let bit = 1u8 << change.index();
    CHANGED_IN_THIS_TRANSACTION.with(|c| c.set(c.get() | bit));
    Ok(())
}

/// Kinds of background work a committed write can queue: each wakes only its own workers
/// (a queued webhook delivery does not make the provisioning workers look for work).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// A provisioning step is due.
    Provisioning,
    /// A webhook delivery is due.
    Webhooks,
}

impl Work {
    pub const ALL: [Work; 2] = [Work::Provisioning, Work::Webhooks];

    fn index(self) -> usize {
        self as usize
    }

    /// The PostgreSQL channel on which this work wakes the workers of every instance.
    pub fn channel(self) -> &'static str {
        match self {
            Work::Provisioning => "onyx_provisioning_queued",
            Work::Webhooks => "onyx_webhooks_queued",
        }
    }
}

/// Says that the write transaction on `conn` queued background `work`: once it commits, the
/// idle workers of that kind in this process wake at once, and on PostgreSQL a `NOTIFY` sent
/// right after the commit (never for a rolled-back transaction) wakes those of the other
/// instances.
pub fn mark_work_queued(_conn: &mut DbConnection, work: Work) -> Result<(), ApiError> {
    QUEUED_IN_THIS_TRANSACTION.with(|q| q.set(q.get() | 1 << work.index()));
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
            url: match backend {
                Backend::Postgres => postgres_url(url),
                Backend::Sqlite => url.to_string(),
            },
            backend,
            statements: Arc::new(std::sync::atomic::AtomicU64::new(0)),
        };
        if backend == Backend::Sqlite {
            sqlite_process_settings();
        }
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            // No `SELECT 1` on every checkout: a connection that broke fails its statement
            // and is then discarded by `has_broken`/`is_valid` on the way back.
            .test_on_check_out(false)
            .build(manager.clone())?;
        Ok(Db {
            pool,
            manager,
            backend,
            sqlite_writes: Arc::new(group::WriteGroup::default()),
            work_queued: Arc::new(Work::ALL.map(|_| tokio::sync::watch::channel(0).0)),
            generations: Arc::new(Default::default()),
            changes_heard: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            instance: Arc::from(crate::ids::new_id("ins")),
            writes: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            commits: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            checkpointed: Arc::new(std::sync::atomic::AtomicU64::new(0)),
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
    /// returns `Ok` and rolls back (writing nothing) when it returns `Err`. On SQLite the
    /// transaction is a savepoint of a group commit (see [`group`]): the same guarantees, and
    /// the answer comes after the commit.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            span.in_scope(|| match db.backend {
                Backend::Sqlite => db.sqlite_writes.write(&db, f),
                Backend::Postgres => db.transaction(f),
            })
        })
        .await?
    }

    /// The blocking form of [`Db::write`], for workers and the seed step.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
    {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match self.backend {
            Backend::Sqlite => self.sqlite_writes.write_here(self, f),
            Backend::Postgres => self.transaction(f),
        }
    }

    /// One transaction on a pooled connection, then what its commit sets off: idle workers
    /// woken, caches told, other instances notified (PostgreSQL).
    fn transaction<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
    {
        let mut conn = self.get()?;
        QUEUED_IN_THIS_TRANSACTION.with(|q| q.set(0));
        CHANGED_IN_THIS_TRANSACTION.with(|c| c.set(0));
        let result = (*conn).transaction(f);
        let queued = QUEUED_IN_THIS_TRANSACTION.with(|q| q.replace(0));
        let changed = CHANGED_IN_THIS_TRANSACTION.with(|c| c.replace(0));
        let value = result?;
        self.commits
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        let works = || {
            Work::ALL
                .into_iter()
                .filter(move |work| queued & (1 << work.index()) != 0)
        };
        for work in works() {
            self.work_queued[work.index()].send_modify(|n| *n = n.wrapping_add(1));
        }
        let changes = || {
            Change::ALL
                .into_iter()
                .filter(move |change| changed & (1 << change.index()) != 0)
        };
        for change in changes() {
            self.note_changed(change);
        }
        if let DbConnection::Pg(pg) = &mut *conn {
            if queued != 0 || changed != 0 {
                self.notify_others(
                    pg,
                    works()
                        .map(Work::channel)
                        .chain(changes().map(Change::channel)),
                );
            }
        }
        Ok(value)
    }

    /// Tells the other instances (PostgreSQL) about a committed write, in one round trip after
    /// the commit. Not inside the write's own transaction: a transaction that notifies holds
    /// the server's one notification lock through its commit (and its WAL flush), so every
    /// notifying write would commit one at a time. The notification's own transaction does not
    /// wait for the flush: a notification is a hint (workers also poll, caches also expire).
    fn notify_others(
        &self,
        pg: &mut diesel::PgConnection,
        channels: impl Iterator<Item = &'static str>,
    ) {
        use diesel::connection::SimpleConnection;
        let mut sql = String::from("BEGIN; SET LOCAL synchronous_commit = off;");
        for channel in channels {
            // The instance id is made here of [0-9a-z_]: no quoting needed.
            sql.push_str(&format!(" NOTIFY {channel}, '{}';", self.instance));
        }
        sql.push_str(" COMMIT;");
        if let Err(e) = pg.batch_execute(&sql) {
            let _ = pg.batch_execute("ROLLBACK");
            tracing::warn!(error = %e, "could not notify the other instances of a committed write; they catch up when they poll or their caches expire");
        }
    }

    /// The current generation of `change`, when caches built on it may be trusted: always on
    /// SQLite (one process per file, so every change goes through [`mark_changed`] here); on
    /// PostgreSQL only while this process hears the other instances ([`Db::listen_for_work`]).
    /// `None`: read from the database every time.
    pub fn generation(&self, change: Change) -> Option<u64> {
        use std::sync::atomic::Ordering;
        if self.backend == Backend::Postgres && !self.changes_heard.load(Ordering::Acquire) {
            return None;
        }
        Some(self.generations[change.index()].load(Ordering::Acquire))
    }

    /// Moves the generation of `change` on: caches built on it load again. Committed writes
    /// that call [`mark_changed`] do this; so may a tool that changed rows by hand.
    pub fn note_changed(&self, change: Change) {
        self.generations[change.index()].fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Changes whenever a committed write queued `work`: of this process, and on PostgreSQL
    /// (once [`Db::listen_for_work`] runs) of any instance.
    pub fn work_queued(&self, work: Work) -> tokio::sync::watch::Receiver<u64> {
        self.work_queued[work.index()].subscribe()
    }

    /// On PostgreSQL, listens on the [`Work`] channels with a dedicated connection until `stop`
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
        let signals = Arc::clone(&self.work_queued);
        let db = self.clone();
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
                    let listen = Work::ALL
                        .iter()
                        .map(|w| w.channel())
                        .chain(Change::ALL.iter().map(|c| c.channel()))
                        .map(|channel| format!("LISTEN {channel};"))
                        .collect::<String>();
                    if let Err(e) = conn.batch_execute(&listen) {
                        tracing::warn!(error = %e, "LISTEN failed; polling only");
                        std::thread::sleep(Duration::from_secs(1));
                        continue;
                    }
                    // Changes made while nobody listened are unknown: drop what is cached.
                    for change in Change::ALL {
                        db.note_changed(change);
                    }
                    db.changes_heard.store(true, Ordering::Release);
                    while !stop.load(Ordering::Relaxed) {
                        let mut woke = [false; Work::ALL.len()];
                        let mut changed = [false; Change::ALL.len()];
                        let mut broken = false;
                        for n in conn.notifications_iter() {
                            match n {
                                // Our own changes moved the generation, and our own work woke
                                // our workers, at commit already.
                                Ok(n) if n.payload == *db.instance => {}
                                Ok(n) => {
                                    if let Some(c) = Change::ALL.iter().find(|c| c.channel() == n.channel) {
                                        changed[c.index()] = true;
                                    }
                                    if let Some(w) = Work::ALL.iter().find(|w| w.channel() == n.channel) {
                                        woke[w.index()] = true;
                                    }
                                }
                                Err(_) => {
                                    broken = true;
                                    break;
                                }
                            }
                        }
                        for change in Change::ALL {
                            if changed[change.index()] {
                                db.note_changed(change);
                            }
                        }
                        for work in Work::ALL {
                            if woke[work.index()] {
                                signals[work.index()].send_modify(|n| *n = n.wrapping_add(1));
                            }
                        }
                        if broken {
                            db.changes_heard.store(false, Ordering::Release);
                            tracing::warn!("the work listener connection broke; opening it again");
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
                db.changes_heard.store(false, Ordering::Release);
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

/// Settings of the SQLite library for the whole process, made once before the pool opens
/// its first connection:
///
/// - Global memory statistics off: SQLite keeps them behind one process-wide mutex that
///   every allocation of every connection takes.
/// - The query planner stability guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`) on every
///   connection, through an automatic extension (SQLite runs it as each connection opens).
///   Without it, a statement whose plan *could* depend on a bound value — every `LIMIT ?`,
///   so every diesel `.first()` — is compiled again each time its parameters are bound:
///   diesel's cached prepared statements were re-prepared on every execution (35 % of the
///   service's instructions while creating orders, measured with callgrind). Our plans do
///   not depend on bound values: every query is by key or by index range.
fn sqlite_process_settings() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called with an int option and an int argument, as its
        // documentation requires for SQLITE_CONFIG_MEMSTATUS, before any other SQLite call of
        // this process (the Once runs before the pool opens its first connection).
        let rc =
            unsafe { libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0) };
        if rc != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(
                rc,
                "SQLite memory statistics stay on (SQLite already started)"
            );
        }
        // SAFETY: the entry point has exactly the signature SQLite calls automatic extensions
        // with, and it stays valid for the life of the process (a plain function).
        let rc = unsafe { libsqlite3_sys::sqlite3_auto_extension(Some(stable_query_plans)) };
        if rc != libsqlite3_sys::SQLITE_OK {
            tracing::warn!(rc, "cannot register SQLite's query planner setting");
        }
    });
}

/// Runs as each SQLite connection opens: turns the query planner stability guarantee on
/// (see [`sqlite_process_settings`]).
unsafe extern "C" fn stable_query_plans(
    db: *mut libsqlite3_sys::sqlite3,
    _error: *mut *mut std::ffi::c_char,
    _api: *const libsqlite3_sys::sqlite3_api_routines,
) -> std::ffi::c_int {
    // SAFETY: `db` is the connection SQLite is opening; SQLITE_DBCONFIG_ENABLE_QPSG takes an
    // int (1: on) and an int pointer for the new setting (null: not wanted).
    unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        );
    }
    libsqlite3_sys::SQLITE_OK
}

/// A PostgreSQL URL for a loopback host without an `sslmode` gets `sslmode=disable`: TLS on
/// loopback protects nothing and cost ~5 % of the service's CPU (libpq's default `prefer`
/// negotiates it). Any explicit `sslmode`, and every other host, is left as given.
pub fn postgres_url(url: &str) -> String {
    if url.contains("sslmode=") {
        return url.to_string();
    }
    let rest = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if !matches!(host, "localhost" | "127.0.0.1" | "::1") {
        return url.to_string();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}sslmode=disable")
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

impl group::Committer for Db {
    fn transaction(
        &self,
        body: &mut dyn FnMut(&mut DbConnection) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        Db::transaction(self, body)
    }
}

impl Db {
    /// (open connections, idle connections) of the pool.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }

    /// Moves the SQLite write-ahead log into the database file without ever failing or
    /// blocking a writer: a passive checkpoint (it takes no write lock and waits for no one),
    /// run beside the writers rather than on their turn, so its copying and fsync are not
    /// paid inside anyone's write. Does nothing when no write committed since the last one,
    /// and on PostgreSQL.
    pub fn checkpoint_wal(&self) -> Result<(), ApiError> {
        use std::sync::atomic::Ordering;
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let commits = self.commits.load(Ordering::Acquire);
        if self.checkpointed.swap(commits, Ordering::AcqRel) == commits {
            return Ok(());
        }
        let mut conn = self.get()?;
        conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);")?;
        Ok(())
    }

    /// (writes asked for, commits made) by this process: on SQLite, writes queued together
    /// share a commit (see [`group`]).
    pub fn write_counts(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering;
        (
            self.writes.load(Ordering::Relaxed),
            self.commits.load(Ordering::Relaxed),
        )
    }

    /// How many statements this process has sent to the database (every connection of the
    /// pool and the migrating one).
    pub fn statements(&self) -> u64 {
        self.manager
            .statements
            .load(std::sync::atomic::Ordering::Relaxed)
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

/// Runs an insert in a savepoint and says whether it inserted: `false` when a unique index
/// already holds the row (a concurrent writer created it first), so the caller can read that
/// row instead. Any other error is returned. (Without the savepoint a failed statement would
/// abort the whole transaction on PostgreSQL.)
pub fn insert_unless_exists(
    conn: &mut DbConnection,
    insert: impl FnOnce(&mut DbConnection) -> QueryResult<usize>,
) -> Result<bool, ApiError> {
    use diesel::result::{DatabaseErrorKind, Error};
    match conn.transaction(insert) {
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Serialises concurrent writers of one partner's rows inside a transaction: on PostgreSQL a
/// row lock on the partner (`FOR NO KEY UPDATE`); on SQLite write transactions already take
/// turns. `NO KEY` matters: inserting a row that references the partner (an event, an order)
/// takes a `KEY SHARE` lock on it, which `FOR UPDATE` would block — an order being created
/// (it holds its wallet row) and a worker holding the partner lock and waiting for that
/// wallet would deadlock.
pub fn lock_partner(conn: &mut DbConnection, partner_id: &str) -> Result<(), ApiError> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query("SELECT id FROM partners WHERE id = $1 FOR NO KEY UPDATE")
            .bind::<diesel::sql_types::Text, _>(partner_id)
            .execute(c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::postgres_url;

    /// How often a `SELECT … LIMIT ?` statement was compiled again while it ran three times
    /// with new bindings, on a connection opened after [`super::sqlite_process_settings`]
    /// (without those settings: 3, once per run).
    fn reprepares_of_a_limit_query() -> i32 {
        use libsqlite3_sys as ffi;
        super::sqlite_process_settings();
        // SAFETY: a private in-memory connection and one statement, used and finalised here.
        unsafe {
            let mut db = std::ptr::null_mut();
            let name = c":memory:";
            assert_eq!(ffi::sqlite3_open(name.as_ptr(), &mut db), ffi::SQLITE_OK);
            let sql = c"SELECT ?1 LIMIT ?2";
            let mut stmt = std::ptr::null_mut();
            let flags = ffi::SQLITE_PREPARE_PERSISTENT;
            let rc = ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr(),
                -1,
                flags,
                &mut stmt,
                std::ptr::null_mut(),
            );
            assert_eq!(rc, ffi::SQLITE_OK);
            for i in 0..3 {
                ffi::sqlite3_bind_int(stmt, 1, i);
                ffi::sqlite3_bind_int(stmt, 2, 1);
                assert_eq!(ffi::sqlite3_step(stmt), ffi::SQLITE_ROW);
                ffi::sqlite3_reset(stmt);
            }
            let n = ffi::sqlite3_stmt_status(stmt, ffi::SQLITE_STMTSTATUS_REPREPARE, 0);
            ffi::sqlite3_finalize(stmt);
            ffi::sqlite3_close(db);
            n
        }
    }

    #[test]
    fn cached_statements_with_a_bound_limit_are_not_compiled_again() {
        assert_eq!(reprepares_of_a_limit_query(), 0);
    }

    #[test]
    fn loopback_postgres_urls_connect_without_tls_unless_told_otherwise() {
        for (given, expected) in [
            (
                "postgres://postgres@127.0.0.1:5432/onyx",
                "postgres://postgres@127.0.0.1:5432/onyx?sslmode=disable",
            ),
            (
                "postgresql://u:p@localhost/onyx?application_name=x",
                "postgresql://u:p@localhost/onyx?application_name=x&sslmode=disable",
            ),
            (
                "postgres://u@[::1]:5432/onyx",
                "postgres://u@[::1]:5432/onyx?sslmode=disable",
            ),
            // An explicit choice and other hosts are left as given.
            (
                "postgres://u@127.0.0.1/onyx?sslmode=require",
                "postgres://u@127.0.0.1/onyx?sslmode=require",
            ),
            (
                "postgres://u@db.internal/onyx",
                "postgres://u@db.internal/onyx",
            ),
            (
                "postgres://u@localhost.evil.example/onyx",
                "postgres://u@localhost.evil.example/onyx",
            ),
        ] {
            assert_eq!(postgres_url(given), expected, "{given}");
        }
    }
}
