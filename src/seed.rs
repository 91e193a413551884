//! The demo seed: on an empty database, `onyx serve --demo` fills in what a newcomer needs
//! to make a first call. Each resource area adds its part in `seed_demo`.

use diesel::prelude::*;

use crate::db::schema::system_settings;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::state::AppState;

const SEEDED_KEY: &str = "demo_seeded_at";

/// What a newcomer needs after seeding (printed once by the CLI).
#[derive(Debug, Default)]
pub struct DemoInfo {
    /// False when the database already held the demo (nothing was written).
    pub seeded: bool,
    /// When the demo data was first written (RFC 3339).
    pub seeded_at: String,
    /// Lines to show the newcomer, in order (secrets here are shown exactly once).
    pub lines: Vec<String>,
}

/// Seeds the demo data once; a second run changes nothing.
pub fn seed_demo(state: &AppState) -> Result<DemoInfo, ApiError> {
    let now = state.clock.now();
    state.db.write_blocking(|conn| {
        if let Some(at) = seeded_at(conn)? {
            return Ok(DemoInfo {
                seeded: false,
                seeded_at: at,
                lines: vec![
                    "The demo data already exists in this database; its secrets were shown when it was first seeded.".into(),
                ],
            });
        }
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        diesel::insert_into(system_settings::table)
            .values((
                system_settings::key.eq(SEEDED_KEY),
                system_settings::value.eq(&at),
                system_settings::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        Ok(DemoInfo {
            seeded: true,
            seeded_at: at,
            lines: Vec::new(),
        })
    })
}

fn seeded_at(conn: &mut DbConnection) -> Result<Option<String>, ApiError> {
    Ok(system_settings::table
        .filter(system_settings::key.eq(SEEDED_KEY))
        .select(system_settings::value)
        .first::<String>(conn)
        .optional()?)
}
