//! The demo seed: on an empty database, `onyx serve --demo` fills in what a newcomer needs
//! to make a first call. Each resource area adds its part in `seed_demo`.

use diesel::prelude::*;

use crate::audit::AuditActor;
use crate::auth::{Environment, Operator};
use crate::db::schema::system_settings;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{catalogue, credentials, partners, team, wallet};

const SEEDED_KEY: &str = "demo_seeded_at";
const PARTNER_KEY: &str = "demo_partner_id";

/// What a newcomer needs after seeding (printed once by the CLI).
#[derive(Debug, Default)]
pub struct DemoInfo {
    /// False when the database already held the demo (nothing was written).
    pub seeded: bool,
    /// When the demo data was first written (RFC 3339).
    pub seeded_at: String,
    /// Lines to show the newcomer, in order (secrets here are shown exactly once).
    pub lines: Vec<String>,
    /// The seeded partner and its sandbox credential (only when this run seeded them).
    pub sandbox: Option<DemoAccess>,
}

/// What a program (the benchmark) needs to call the demo partner's API.
#[derive(Debug, Clone)]
pub struct DemoAccess {
    pub partner_id: String,
    pub client_id: String,
    pub client_secret: String,
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
                    "The demo data already exists in this database (its first secrets are shown only once).".into(),
                    "For a new sandbox credential run `onyx demo-credentials` with the same DATABASE_URL,".into(),
                    format!("or sign in as {DEMO_OWNER_EMAIL} and create one in the console or with POST /v1/credentials."),
                ],
                sandbox: None,
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
        let (lines, access) = seed_identity(conn, state, now, &password, password_hash)?;
        Ok(DemoInfo {
            seeded: true,
            seeded_at: at,
            lines,
            sandbox: Some(access),
        })
    })
}

/// A new sandbox credential for the demo partner (`onyx demo-credentials`): the lines to
/// print, with its secret (shown once).
pub fn new_demo_credential(
    db: &crate::db::Db,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<String>, ApiError> {
    db.write_blocking(|conn| {
        let partner_id: Option<String> = system_settings::table
            .filter(system_settings::key.eq(PARTNER_KEY))
            .select(system_settings::value)
            .first(conn)
            .optional()?;
        let Some(partner_id) = partner_id else {
            return Err(ApiError::NotFound {
                code: "not_found",
                detail: "This database holds no demo data; start it once with `onyx serve --demo`."
                    .into(),
            });
        };
        let tenant = Operator::process().acting_for(&partner_id, Environment::Sandbox);
        let name = format!("Demo credential {}", now.format("%Y-%m-%d %H:%M:%S"));
        let cred = credentials::create(conn, &tenant, &name, AuditActor::operator(), now)?;
        Ok(vec![
            format!("Partner:            {partner_id} (Demo Travel Partner)"),
            format!("Sandbox client_id:  {}", cred.credential.client_id),
            format!(
                "Sandbox secret:     {}   (shown once; only a hash is stored)",
                cred.client_secret
            ),
        ])
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
) -> Result<(Vec<String>, DemoAccess), ApiError> {
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
    diesel::insert_into(system_settings::table)
        .values((
            system_settings::key.eq(PARTNER_KEY),
            system_settings::value.eq(&partner_id),
            system_settings::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    partners::transition(conn, &partner_id, partners::Transition::Approve, now)?;
    let owner = team::accept(
        conn,
        &created.owner_invitation.token,
        "Demo Owner",
        password_hash,
        now,
    )?;
    let tenant = Operator::process().acting_for(&partner_id, Environment::Sandbox);
    let cred = credentials::create(
        conn,
        &tenant,
        "Demo sandbox backend",
        AuditActor::member(&owner.id),
        now,
    )?;
    let (packages, markets) = seed_catalogue(conn, &partner_id, now)?;
    for (currency, amount) in [("EUR", 50_000), ("USD", 50_000), ("GBP", 20_000)] {
        wallet::credit(conn, &tenant, currency, amount, "Demo sandbox funding", now)?;
    }
    let base = format!("http://{}", state.config.listen);
    let lines = vec![
        format!("Partner:            {partner_id} (Demo Travel Partner, approved)"),
        format!("Owner sign-in:      {DEMO_OWNER_EMAIL} / {password}"),
        format!("Catalogue:          {packages} packages approved, {markets} market countries"),
        "Sandbox wallet:     EUR 500.00, USD 500.00, GBP 200.00 (test money)".into(),
        format!("Sandbox client_id:  {}", cred.credential.client_id),
        format!("Sandbox secret:     {}   (shown once; only a hash is stored)", cred.client_secret),
        "Get an access token:".into(),
        format!(
            "  curl -s {base}/v1/oauth/token -d grant_type=client_credentials -d client_id={} -d client_secret={}",
            cred.credential.client_id, cred.client_secret
        ),
        format!("  then: curl -s {base}/v1/me -H \"Authorization: Bearer <access_token>\""),
    ];
    let access = DemoAccess {
        partner_id,
        client_id: cred.credential.client_id,
        client_secret: cred.client_secret,
    };
    Ok((lines, access))
}

const EUROPE: &[&str] = &[
    "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU",
    "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];
const ASIA: &[&str] = &["HK", "ID", "JP", "KR", "MY", "PH", "SG", "TH", "TW", "VN"];
const AMERICAS: &[&str] = &["AR", "BR", "CA", "CL", "CO", "MX", "PE", "US"];
const GIB: i64 = 1024 * 1024 * 1024;

/// A realistic catalogue (local, regional and global plans; data and voice add-ons; EUR, USD
/// and GBP), approved for the demo partner, whose markets cover every listed country.
fn seed_catalogue(
    conn: &mut DbConnection,
    partner_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(usize, usize), ApiError> {
    use catalogue::{
        ComplianceRequirement as C, CoverageType as Cov, PackageInput, PackageKind as K,
        PackageStatus as S,
    };
    let mut all: Vec<PackageInput> = Vec::new();
    let plan = |id: String,
                name: String,
                cov: Cov,
                region: &str,
                countries: &[&str],
                gb: Option<i64>,
                days: i32,
                price: i64,
                currency: &str| PackageInput {
        package_id: id,
        kind: K::Plan,
        voice_type: None,
        coverage_name: name,
        coverage_type: cov,
        region: region.into(),
        countries: countries.iter().map(|c| c.to_string()).collect(),
        data_allowance_bytes: gb.map(|g| g * GIB),
        data_unlimited: gb.is_none(),
        voice_minutes: None,
        validity_days: days,
        status: S::Available,
        price_minor: price,
        currency: currency.into(),
        compliance_requirements: vec![],
    };
    let locals: &[(&str, &str, &str, &str, i64)] = &[
        ("fr", "France", "Europe", "EUR", 100),
        ("de", "Germany", "Europe", "EUR", 100),
        ("es", "Spain", "Europe", "EUR", 90),
        ("it", "Italy", "Europe", "EUR", 95),
        ("gb", "United Kingdom", "Europe", "GBP", 90),
        ("us", "United States", "Americas", "USD", 120),
        ("jp", "Japan", "Asia", "USD", 130),
        ("th", "Thailand", "Asia", "USD", 70),
        ("mx", "Mexico", "Americas", "USD", 110),
        ("br", "Brazil", "Americas", "USD", 115),
    ];
    for (code, country, region, currency, unit) in locals {
        let cc = code.to_uppercase();
        all.push(plan(
            format!("{code}-1gb-7d"),
            format!("{country} 1 GB"),
            Cov::Local,
            region,
            &[cc.as_str()],
            Some(1),
            7,
            4 * unit,
            currency,
        ));
        all.push(plan(
            format!("{code}-5gb-30d"),
            format!("{country} 5 GB"),
            Cov::Local,
            region,
            &[cc.as_str()],
            Some(5),
            30,
            13 * unit,
            currency,
        ));
    }
    all.push(plan(
        "eu-10gb-30d".into(),
        "Europe 10 GB".into(),
        Cov::Regional,
        "Europe",
        EUROPE,
        Some(10),
        30,
        1900,
        "EUR",
    ));
    all.push(plan(
        "eu-unlimited-15d".into(),
        "Europe Unlimited".into(),
        Cov::Regional,
        "Europe",
        EUROPE,
        None,
        15,
        3900,
        "EUR",
    ));
    all.push(plan(
        "asia-10gb-30d".into(),
        "Asia 10 GB".into(),
        Cov::Regional,
        "Asia",
        ASIA,
        Some(10),
        30,
        2400,
        "USD",
    ));
    all.push(plan(
        "americas-8gb-30d".into(),
        "Americas 8 GB".into(),
        Cov::Regional,
        "Americas",
        AMERICAS,
        Some(8),
        30,
        2600,
        "USD",
    ));
    let global: Vec<&str> = EUROPE.iter().chain(ASIA).chain(AMERICAS).copied().collect();
    all.push(plan(
        "global-20gb-30d".into(),
        "Global 20 GB".into(),
        Cov::Global,
        "Global",
        &global,
        Some(20),
        30,
        5900,
        "USD",
    ));
    let mut retired = plan(
        "eu-3gb-30d-2025".into(),
        "Europe 3 GB (2025)".into(),
        Cov::Regional,
        "Europe",
        EUROPE,
        Some(3),
        30,
        900,
        "EUR",
    );
    retired.status = S::Retired;
    all.push(retired);
    let mut paused = plan(
        "asia-unlimited-7d".into(),
        "Asia Unlimited".into(),
        Cov::Regional,
        "Asia",
        ASIA,
        None,
        7,
        2900,
        "USD",
    );
    paused.status = S::Unavailable;
    all.push(paused);
    let mut verified = plan(
        "jp-unlimited-30d".into(),
        "Japan Unlimited (ID verified)".into(),
        Cov::Local,
        "Asia",
        &["JP"],
        None,
        30,
        4500,
        "USD",
    );
    verified.compliance_requirements = vec![C::IdentityVerification];
    all.push(verified);
    for (gb, price_eur, price_usd) in [(1, 500, 600), (3, 1200, 1400), (5, 1800, 2100)] {
        let mut eu = plan(
            format!("eu-addon-{gb}gb"),
            format!("Europe extra {gb} GB"),
            Cov::Regional,
            "Europe",
            EUROPE,
            Some(gb),
            30,
            price_eur,
            "EUR",
        );
        eu.kind = K::DataAddon;
        all.push(eu);
        let mut gl = plan(
            format!("global-addon-{gb}gb"),
            format!("Global extra {gb} GB"),
            Cov::Global,
            "Global",
            &global,
            Some(gb),
            30,
            price_usd,
            "USD",
        );
        gl.kind = K::DataAddon;
        all.push(gl);
    }
    for (voice_type, minutes, price) in [("domestic", 100, 500), ("international", 60, 900)] {
        let mut v = plan(
            format!("eu-voice-{voice_type}-{minutes}"),
            format!("Europe {minutes} min {voice_type}"),
            Cov::Regional,
            "Europe",
            EUROPE,
            None,
            30,
            price,
            "EUR",
        );
        v.kind = K::VoiceAddon;
        v.voice_type = Some(voice_type.into());
        v.voice_minutes = Some(minutes);
        v.data_unlimited = false;
        all.push(v);
    }
    let count = all.len();
    for p in all {
        let id = p.package_id.clone();
        catalogue::create(conn, p.validate()?, now)?;
        catalogue::approve(conn, partner_id, &id, now)?;
    }
    let mut markets: Vec<String> = global.iter().map(|c| c.to_string()).collect();
    markets.sort();
    markets.dedup();
    catalogue::set_markets(conn, partner_id, &markets)?;
    Ok((count, markets.len()))
}

fn seeded_at(conn: &mut DbConnection) -> Result<Option<String>, ApiError> {
    Ok(system_settings::table
        .filter(system_settings::key.eq(SEEDED_KEY))
        .select(system_settings::value)
        .first::<String>(conn)
        .optional()?)
}
