//! Migrations: several instances starting together on one PostgreSQL database all come up,
//! and each migration is applied once.

use std::sync::Barrier;

use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Text;
use onyx::db::{Backend, Db, POSTGRES_MIGRATIONS};

use crate::helpers::TestDb;

#[derive(QueryableByName)]
struct Applied {
    #[diesel(sql_type = Text)]
    version: String,
}

/// PostgreSQL only: SQLite serialises migrations with its write lock, and one SQLite file
/// serves one instance.
#[test]
fn instances_migrating_one_postgresql_database_at_once_all_come_up() {
    if std::env::var("TEST_DATABASE_URL").map_or(true, |v| v.is_empty()) {
        eprintln!("skipped: PostgreSQL only (set TEST_DATABASE_URL)");
        return;
    }
    let db = TestDb::new();
    assert_eq!(db.backend, Backend::Postgres);
    const INSTANCES: usize = 4;
    let start = Barrier::new(INSTANCES);
    let results: Vec<Result<usize, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..INSTANCES)
            .map(|_| {
                s.spawn(|| {
                    let pool = Db::connect(&db.url, 1);
                    start.wait();
                    pool.map_err(|e| e.to_string())?
                        .migrate()
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let expected: Vec<String> = MigrationSource::<Pg>::migrations(&POSTGRES_MIGRATIONS)
        .unwrap()
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let ran: Vec<usize> = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("an instance failed to migrate: {e}")))
        .collect();
    assert_eq!(
        ran.iter().sum::<usize>(),
        expected.len(),
        "every migration ran once in all: {ran:?}"
    );

    let mut conn = PgConnection::establish(&db.url).unwrap();
    let mut applied: Vec<String> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
            .load::<Applied>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|a| a.version)
            .collect();
    applied.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(applied, expected, "each migration recorded once");
    // The schema is whole: the last migration's tables answer, and nothing is left to run.
    diesel::sql_query("SELECT id FROM webhook_attempts LIMIT 1")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(Db::connect(&db.url, 1).unwrap().migrate().unwrap(), 0);
}
