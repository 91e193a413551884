//! The `onyx` command line: `serve`, `migrate`, `openapi`, `error-codes`. Nothing else lives
//! here.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use onyx::clock::SystemClock;
use onyx::config::{Config, Secret};
use onyx::db::Db;
use onyx::state::AppState;
use onyx::{app, seed, telemetry};

#[derive(Parser)]
#[command(name = "onyx", version, about = "Onyx Partner API")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve the API and run the background workers.
    Serve {
        /// Seed a demo partner, catalogue and funded sandbox wallet into an empty database and
        /// print how to make a first call.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Exit 0 when the service on ONYX_LISTEN answers /readyz with 200 (the container
    /// health check).
    Healthcheck,
    /// Create a new sandbox credential for the demo partner of this database (seeded by
    /// `serve --demo`) and print it: the demo's first secrets are shown only once.
    DemoCredentials,
    /// Print the OpenAPI document (regenerate the committed copies with
    /// `cargo run -q -- openapi > openapi/openapi.json` and
    /// `cargo run -q -- openapi --partner > openapi/partner.json`).
    Openapi {
        /// Only what partners can call (no operator routes): the document to generate
        /// clients from.
        #[arg(long)]
        partner: bool,
    },
    /// Print the list of error codes as Markdown (regenerate the committed copy with
    /// `cargo run -q -- error-codes > docs/errors.md`).
    ErrorCodes,
}

fn main() -> ExitCode {
    onyx::memory::tune_allocator();
    let cli = Cli::parse();
    if let Command::ErrorCodes = cli.command {
        print!("{}", onyx::problem_codes::render_markdown());
        return ExitCode::SUCCESS;
    }
    if let Command::Openapi { partner } = cli.command {
        let doc = app::openapi_document();
        let rendered = if partner {
            serde_json::to_string_pretty(&onyx::openapi::partner_document(&doc))
        } else {
            doc.to_pretty_json()
        };
        match rendered {
            Ok(json) => {
                println!("{json}");
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("cannot render the OpenAPI document: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let mut config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    // Human-readable logs on a terminal, JSON lines otherwise, unless ONYX_LOG_FORMAT says.
    if std::env::var_os("ONYX_LOG_FORMAT").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr())
    {
        config.log_format = onyx::config::LogFormat::Pretty;
    }
    telemetry::init(&config.log_filter, config.log_format, std::io::stderr);
    match cli.command {
        Command::Migrate => match migrate(&config) {
            Ok(n) => {
                println!("applied {n} migration(s)");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::Healthcheck => match healthcheck(&config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::DemoCredentials => match demo_credentials(&config) {
            Ok(lines) => {
                for line in lines {
                    println!("{line}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Command::Serve { demo } => {
            let mut demo_admin_token = None;
            if demo {
                // Keys the environment does not set are kept next to the demo database, so a
                // restart reads what the previous run issued.
                let path = onyx::demo_keys::path_for(&config.database_url);
                let (keys, created) = match onyx::demo_keys::load_or_create(&path) {
                    Ok(k) => k,
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::FAILURE;
                    }
                };
                if config.jwt_secret_generated {
                    config.jwt_secret = keys.jwt_secret;
                    config.jwt_secret_generated = false;
                }
                if config.encryption_key_generated {
                    config.encryption_key = keys.encryption_key;
                    config.encryption_key_generated = false;
                }
                if config.admin_token.is_none() {
                    demo_admin_token = Some(keys.admin_token.clone());
                    config.admin_token = Some(keys.admin_token);
                }
                tracing::info!(
                    path = %path.display(),
                    created,
                    "demo keys (JWT secret, encryption key, operator token) kept next to the database"
                );
            } else {
                let missing: Vec<&str> = [
                    ("ONYX_JWT_SECRET", config.jwt_secret_generated),
                    ("ONYX_ENCRYPTION_KEY", config.encryption_key_generated),
                ]
                .into_iter()
                .filter_map(|(name, generated)| generated.then_some(name))
                .collect();
                if !missing.is_empty() {
                    eprintln!(
                        "refusing to start: {} not set. Without a fixed key, access tokens stop \
                         working and activation materials and webhook secrets cannot be read \
                         after a restart. Set ONYX_JWT_SECRET (at least 32 characters) and \
                         ONYX_ENCRYPTION_KEY (32 bytes in base64, e.g. `openssl rand -base64 32`), \
                         or run `onyx serve --demo`, which keeps generated keys next to its \
                         database.",
                        missing.join(" and ")
                    );
                    return ExitCode::from(2);
                }
            }
            match serve(config, demo, demo_admin_token) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Openapi { .. } | Command::ErrorCodes => unreachable!("handled above"),
    }
}

fn healthcheck(config: &Config) -> Result<(), String> {
    use std::io::{Read as _, Write as _};
    let mut addr = config.listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let timeout = std::time::Duration::from_secs(3);
    let mut stream =
        std::net::TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("{addr}: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    match answer.lines().next() {
        Some(status) if status.split_whitespace().nth(1) == Some("200") => Ok(()),
        other => Err(format!("/readyz answered {other:?}")),
    }
}

fn demo_credentials(config: &Config) -> Result<Vec<String>, String> {
    let db = Db::connect(&config.database_url, 2).map_err(|e| e.to_string())?;
    db.migrate().map_err(|e| e.to_string())?;
    seed::new_demo_credential(&db, chrono::Utc::now()).map_err(|e| e.to_string())
}

fn migrate(config: &Config) -> Result<usize, String> {
    let db = Db::connect(&config.database_url, 2).map_err(|e| e.to_string())?;
    db.migrate().map_err(|e| e.to_string())
}

/// Runs the service on actix's system runtime, whose blocking pool (the background jobs'
/// database work) is bounded like the HTTP workers' (see `app::start`): threads beyond the
/// database pool would only wait for a connection, and each one costs resident memory.
fn serve(config: Config, demo: bool, demo_admin_token: Option<Secret>) -> Result<(), String> {
    let blocking = app::blocking_threads(&config);
    actix_web::rt::System::with_tokio_rt(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .max_blocking_threads(blocking)
            .build()
            .expect("the service's runtime starts")
    })
    .block_on(run(config, demo, demo_admin_token))
}

async fn run(config: Config, demo: bool, demo_admin_token: Option<Secret>) -> Result<(), String> {
    let db = Db::connect(&config.database_url, config.db_pool_size).map_err(|e| e.to_string())?;
    let applied = db.migrate().map_err(|e| e.to_string())?;
    tracing::info!(backend = db.backend().name(), applied, "database ready");
    let state = AppState::new(db, config, Arc::new(SystemClock));
    // Bind first: when the port is taken nothing is seeded, so the demo's one-time secrets
    // are never written to a database whose service could not start.
    let running = app::start(state.clone())
        .map_err(|e| format!("cannot listen on {}: {e}", state.config.listen))?;
    let demo_info = if demo {
        // The demo's curl lines name the address actually bound (port 0 picks one).
        let mut seeding = state.clone();
        seeding.config = Arc::new(Config {
            listen: running.addr,
            ..(*state.config).clone()
        });
        Some(seed::seed_demo(&seeding).map_err(|e| format!("demo seed failed: {e}"))?)
    } else {
        None
    };
    let base = format!("http://{}", running.addr);
    let banner = |text: &str| {
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    println!(
        "{}",
        banner(&format!("Onyx Partner API listening on {base}"))
    );
    println!("  Swagger UI:   {base}/docs/");
    println!("  OpenAPI:      {base}/v1/openapi.json");
    println!("  Health:       {base}/healthz  {base}/readyz");
    println!("  Console:      {base}/console/  (team members sign in with email and password)");
    if let Some(info) = demo_info {
        println!();
        println!(
            "{}",
            banner(&format!("Demo data (seeded {}):", info.seeded_at))
        );
        for line in info.lines {
            println!("  {line}");
        }
        println!("  Console sign-in:    {base}/console/ with the owner sign-in above");
        if let Some(token) = demo_admin_token {
            println!(
                "  Operator token (kept next to the database; set ONYX_ADMIN_TOKEN to choose one): {}",
                token.expose()
            );
        }
    }
    let workers = onyx::workers::spawn(state.clone());
    let result = running.server.await.map_err(|e| e.to_string());
    workers.shutdown().await;
    result
}
