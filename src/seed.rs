//! The demo seed: on an empty database, `onyx serve --demo` fills in what a newcomer needs
//! to make a first call. Each resource area adds its part in `seed_demo`.

use diesel::prelude::*;

use crate::audit::AuditActor;
use crate::auth::{Environment, Tenant};
use crate::db::schema::system_settings;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{credentials, partners, team};

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
    let now = state.now();
    let password = crate::ids::random_token(20);
    let password_hash = crate::auth::passwords::hash_password(&password)?;
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
        let lines = seed_identity(conn, state, now, &password, password_hash)?;
        Ok(DemoInfo {
            seeded: true,
            seeded_at: at,
            lines,
        })
    })
}

pub const DEMO_OWNER_EMAIL: &str = "owner@demo-partner.example";

/// An approved demo partner with an owner who can sign in and a sandbox credential.
fn seed_identity(
    conn: &mut DbConnection,
    state: &AppState,
    now: chrono::DateTime<chrono::Utc>,
    password: &str,
    password_hash: String,
) -> Result<Vec<String>, ApiError> {
    let created = partners::create(
        conn,
        partners::CreatePartner {
            name: "Demo Travel Partner".into(),
            legal_entity: "Demo Travel Partner Ltd".into(),
            billing_email: "billing@demo-partner.example".into(),
            owner_email: DEMO_OWNER_EMAIL.into(),
        },
        now,
        chrono::Duration::hours(state.config.invitation_ttl_hours),
    )?;
    let partner_id = created.partner.id.clone();
    partners::transition(conn, &partner_id, partners::Transition::Approve, now)?;
    let owner = team::accept(
        conn,
        &created.owner_invitation.token,
        "Demo Owner",
        password_hash,
        now,
    )?;
    let tenant = Tenant {
        partner_id: partner_id.clone(),
        environment: Environment::Sandbox,
    };
    let cred = credentials::create(
        conn,
        &tenant,
        "Demo sandbox backend",
        AuditActor::member(&owner.id),
        now,
    )?;
    let base = format!("http://{}", state.config.listen);
    Ok(vec![
        format!("Partner:            {partner_id} (Demo Travel Partner, approved)"),
        format!("Owner sign-in:      {DEMO_OWNER_EMAIL} / {password}"),
        format!("Sandbox client_id:  {}", cred.credential.client_id),
        format!("Sandbox secret:     {}   (shown once; only a hash is stored)", cred.client_secret),
        "Get an access token:".into(),
        format!(
            "  curl -s {base}/v1/oauth/token -d grant_type=client_credentials -d client_id={} -d client_secret={}",
            cred.credential.client_id, cred.client_secret
        ),
        format!("  then: curl -s {base}/v1/me -H \"Authorization: Bearer <access_token>\""),
    ])
}

fn seeded_at(conn: &mut DbConnection) -> Result<Option<String>, ApiError> {
    Ok(system_settings::table
        .filter(system_settings::key.eq(SEEDED_KEY))
        .select(system_settings::value)
        .first::<String>(conn)
        .optional()?)
}
