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
    /// Print the OpenAPI document (regenerate the committed copy with
    /// `cargo run -q -- openapi > openapi/openapi.json`).
    Openapi,
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
    if let Command::Openapi = cli.command {
        let doc = app::openapi_document();
        match doc.to_pretty_json() {
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
        Command::Serve { demo } => {
            let mut demo_admin_token = None;
            if demo && config.admin_token.is_none() {
                let token = Secret::generate("onyx_adm_", 32);
                demo_admin_token = Some(token.clone());
                config.admin_token = Some(token);
            }
            match serve(config, demo, demo_admin_token) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Openapi | Command::ErrorCodes => unreachable!("handled above"),
    }
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
    if config.encryption_key_generated {
        tracing::warn!("ONYX_ENCRYPTION_KEY is not set: using a generated key, so activation materials issued now cannot be read after the service restarts");
    }
    if config.jwt_secret_generated {
        tracing::warn!("ONYX_JWT_SECRET is not set: using a generated key, so access tokens stop working when the service restarts");
    }
    let db = Db::connect(&config.database_url, config.db_pool_size).map_err(|e| e.to_string())?;
    let applied = db.migrate().map_err(|e| e.to_string())?;
    tracing::info!(backend = db.backend().name(), applied, "database ready");
    let state = AppState::new(db, config, Arc::new(SystemClock));
    let demo_info = if demo {
        Some(seed::seed_demo(&state).map_err(|e| format!("demo seed failed: {e}"))?)
    } else {
        None
    };
    let running = app::start(state.clone())
        .map_err(|e| format!("cannot listen on {}: {e}", state.config.listen))?;
    let base = format!("http://{}", running.addr);
    println!("Onyx Partner API listening on {base}");
    println!("  Swagger UI:   {base}/docs/");
    println!("  OpenAPI:      {base}/v1/openapi.json");
    println!("  Health:       {base}/healthz  {base}/readyz");
    println!("  Console:      {base}/console/  (team members sign in with email and password)");
    if let Some(info) = demo_info {
        println!();
        println!("Demo data (seeded {}):", info.seeded_at);
        for line in info.lines {
            println!("  {line}");
        }
        println!("  Console sign-in:    {base}/console/ with the owner sign-in above");
        if let Some(token) = demo_admin_token {
            println!(
                "  Operator token (generated for this run; set ONYX_ADMIN_TOKEN to keep one): {}",
                token.expose()
            );
        }
    }
    let workers = onyx::workers::spawn(state.clone());
    let result = running.server.await.map_err(|e| e.to_string());
    workers.shutdown().await;
    result
}
