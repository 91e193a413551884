//! Typed configuration read once from environment variables.
//!
//! Every setting has a default that gives a working local service on the embedded SQLite
//! database. Secrets are wrapped in [`Secret`], whose `Debug` never shows the value, so a
//! `Config` can be logged safely.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine;
use rand::distributions::Alphanumeric;
use rand::Rng;

/// Default SQLite file, relative to the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://onyx.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// A secret string: printable only on purpose (`expose`), never through `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// A fresh random secret with a prefix that makes it recognisable (and redactable).
    pub fn generate(prefix: &str, len: usize) -> Self {
        let body: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(len)
            .map(char::from)
            .collect();
        Secret(format!("{prefix}{body}"))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line (production default).
    Json,
    /// Human-readable lines (local default when `ONYX_LOG_FORMAT=pretty`).
    Pretty,
}

/// Default database connections on SQLite: measured with the benchmark, 4 connections
/// delivered 2,310–2,538 webhooks/s against 1,318–1,398/s with 10, and held 35 MB at peak
/// against 40.6 MB.
const DEFAULT_SQLITE_POOL: u32 = 4;
const DEFAULT_POSTGRES_POOL: u32 = 10;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `postgres://…` selects PostgreSQL; anything else is a SQLite path
    /// (optionally written `sqlite://path`).
    pub database_url: String,
    /// `ONYX_LISTEN`: address and port to bind.
    pub listen: SocketAddr,
    /// `ONYX_ADMIN_TOKEN`: operator bearer token for `/v1/admin`. `None` disables operator routes
    /// (demo mode generates one and prints it).
    pub admin_token: Option<Secret>,
    /// `ONYX_JWT_SECRET`: HMAC key for issued access tokens. Generated (ephemeral) when unset.
    pub jwt_secret: Secret,
    /// Whether `jwt_secret` was generated because the variable was unset.
    pub jwt_secret_generated: bool,
    /// `ONYX_LOG` (or `RUST_LOG`): a tracing filter, default `info`.
    pub log_filter: String,
    /// `ONYX_LOG_FORMAT`: `json` (default) or `pretty`.
    pub log_format: LogFormat,
    /// `ONYX_MAX_BODY_BYTES`: largest accepted request body, default 64 KiB.
    pub max_body_bytes: usize,
    /// `ONYX_DB_POOL_SIZE`: database connections, default 4 on SQLite (one writer at a time;
    /// more connections only contend for its locks and hold memory) and 10 on PostgreSQL.
    pub db_pool_size: u32,
    /// `ONYX_WORKERS`: HTTP worker threads, default 2.
    pub http_workers: usize,
    /// `ONYX_WORKER_INTERVAL_MS`: how often background workers poll for due work, default 500.
    pub worker_interval: Duration,
    /// `ONYX_TOKEN_TTL_SECS`: lifetime of issued access tokens, default 900 (15 minutes).
    pub token_ttl_secs: i64,
    /// `ONYX_CREDENTIAL_GRACE_SECS`: how long a rotated credential keeps working, default 86400.
    pub credential_grace_secs: i64,
    /// `ONYX_INVITATION_TTL_HOURS`: how long an invitation can be accepted, default 168 (7 days).
    pub invitation_ttl_hours: i64,
    /// `ONYX_SANDBOX_STEP_MS`: time between the sandbox simulator's steps, default 2000 (0 allowed).
    pub sandbox_step_ms: i64,
    /// `ONYX_UPSTREAM_URL`: the live provisioning upstream; unset means live orders wait for
    /// operator reports.
    pub upstream_url: Option<String>,
    /// `ONYX_ENCRYPTION_KEY`: 32 bytes, base64, the AEAD key for activation materials at rest.
    /// Generated (ephemeral) when unset.
    pub encryption_key: Secret,
    /// Whether `encryption_key` was generated because the variable was unset.
    pub encryption_key_generated: bool,
    /// `ONYX_SMDP_ADDRESS`: the SM-DP+ address in issued activation codes.
    pub smdp_address: String,
    /// `ONYX_WEBHOOK_DEV_MODE`: `true` lets live webhook endpoints use http and private
    /// addresses (development only). Default `false`.
    pub webhook_dev_mode: bool,
    /// `ONYX_WEBHOOK_DELIVERY`: `off` queues deliveries without sending them (contract tests
    /// against fuzzed endpoint URLs). Default `on`.
    pub webhook_delivery: bool,
    /// `ONYX_PROVISIONING`: `off` takes orders and queues their provisioning without running
    /// it (an API-only instance beside worker instances that run it). Default `on`.
    pub provisioning: bool,
    /// `ONYX_RATE_LIMIT_PER_MINUTE`: requests per minute for each credential or team member
    /// (bursts up to the same number), default 1200.
    pub rate_limit_per_minute: u32,
    /// `ONYX_JOB_LEASE_MS`: how long a claimed background job is reserved for its owner
    /// without a heartbeat, default 30000; the owner renews it every third of that while the
    /// job runs.
    pub job_lease: Duration,
    /// `ONYX_WEBHOOK_CONCURRENCY`: webhook sends in flight per instance, default 32 (one per
    /// endpoint at a time).
    pub webhook_concurrency: usize,
    /// `ONYX_WEBHOOK_PER_ENDPOINT`: sends in flight to one endpoint, default 1.
    pub webhook_per_endpoint: usize,
    /// `ONYX_PROVISIONING_CONCURRENCY`: provisioning steps in flight per instance, default 8.
    pub provisioning_concurrency: usize,
    /// `ONYX_WEBHOOK_ENDPOINTS_MAX`: webhook endpoints per partner and environment, default 10.
    pub webhook_endpoints_max: i64,
    /// `ONYX_PASSWORD_CHECKS_PER_SECOND`: member password verifications per second for the
    /// whole instance (each costs a memory-hard hash), default 20; beyond it sign-ins answer
    /// 429 with `Retry-After`.
    pub password_checks_per_second: u32,
    /// `ONYX_OUTBOUND_PROXY`: an http(s) proxy URL for every outbound call (webhooks, the
    /// provisioning upstream); loopback destinations never use it. Unset (the default): calls
    /// go direct, and `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` in the environment are ignored.
    /// A secret, since a proxy URL may carry credentials.
    pub outbound_proxy: Option<Secret>,
    /// `ONYX_CONSOLE_IDLE_SECS`: a console session ends after this long without a request,
    /// default 1800 (30 minutes).
    pub console_idle_secs: i64,
    /// `ONYX_CONSOLE_MAX_SECS`: a console session ends this long after sign-in whatever its
    /// use, default 43200 (12 hours).
    pub console_max_secs: i64,
    /// `ONYX_CONSOLE_SECURE_COOKIE`: `true` marks the console's session cookie `Secure` on
    /// every answer (set it when TLS ends before the service and no `X-Forwarded-Proto` is
    /// sent). Default `false`: the cookie is `Secure` when the request came over https.
    pub console_secure_cookie: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error in {var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads configuration through `lookup`, so tests can pass a map instead of the
    /// process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        let default_pool = if database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://")
        {
            DEFAULT_POSTGRES_POOL
        } else {
            DEFAULT_SQLITE_POOL
        };
        let listen_raw = get("ONYX_LISTEN").unwrap_or_else(|| DEFAULT_LISTEN.into());
        let listen = listen_raw.parse().map_err(|_| ConfigError {
            var: "ONYX_LISTEN",
            message: format!("`{listen_raw}` is not an address such as 127.0.0.1:8080"),
        })?;
        let admin_token = get("ONYX_ADMIN_TOKEN").map(Secret::new);
        if let Some(token) = &admin_token {
            if token.expose().len() < 16 {
                return Err(ConfigError {
                    var: "ONYX_ADMIN_TOKEN",
                    message: "must be at least 16 characters".into(),
                });
            }
        }
        let (jwt_secret, jwt_secret_generated) = match get("ONYX_JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError {
                    var: "ONYX_JWT_SECRET",
                    message: "must be at least 32 characters".into(),
                })
            }
            Some(s) => (Secret::new(s), false),
            None => (Secret::generate("", 48), true),
        };
        let encryption_key = match get("ONYX_ENCRYPTION_KEY") {
            None => {
                let bytes: [u8; 32] = rand::random();
                (
                    Secret::new(base64::engine::general_purpose::STANDARD.encode(bytes)),
                    true,
                )
            }
            Some(raw) => {
                let ok = base64::engine::general_purpose::STANDARD
                    .decode(raw.trim())
                    .is_ok_and(|b| b.len() == 32);
                if !ok {
                    return Err(ConfigError {
                        var: "ONYX_ENCRYPTION_KEY",
                        message: "must be 32 bytes encoded as standard base64 (e.g. `openssl rand -base64 32`)".into(),
                    });
                }
                (Secret::new(raw.trim()), false)
            }
        };
        let log_filter = get("ONYX_LOG")
            .or_else(|| get("RUST_LOG"))
            .unwrap_or_else(|| "info,tracing_actix_web::middleware=error".into());
        let log_format = match get("ONYX_LOG_FORMAT").as_deref() {
            None | Some("json") => LogFormat::Json,
            Some("pretty") | Some("text") => LogFormat::Pretty,
            Some(other) => {
                return Err(ConfigError {
                    var: "ONYX_LOG_FORMAT",
                    message: format!("`{other}` is not one of json, pretty"),
                })
            }
        };
        Ok(Config {
            database_url,
            listen,
            admin_token,
            jwt_secret,
            jwt_secret_generated,
            log_filter,
            log_format,
            max_body_bytes: parse_num(&get, "ONYX_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)?,
            db_pool_size: parse_num(&get, "ONYX_DB_POOL_SIZE", default_pool)?,
            http_workers: parse_num(&get, "ONYX_WORKERS", 2)?,
            worker_interval: Duration::from_millis(parse_num(
                &get,
                "ONYX_WORKER_INTERVAL_MS",
                500,
            )?),
            token_ttl_secs: parse_num(&get, "ONYX_TOKEN_TTL_SECS", 900)?,
            credential_grace_secs: parse_num(&get, "ONYX_CREDENTIAL_GRACE_SECS", 86_400)?,
            invitation_ttl_hours: parse_num(&get, "ONYX_INVITATION_TTL_HOURS", 168)?,
            sandbox_step_ms: match get("ONYX_SANDBOX_STEP_MS") {
                None => 2000,
                Some(raw) => raw
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|v| (0..=600_000).contains(v))
                    .ok_or(ConfigError {
                        var: "ONYX_SANDBOX_STEP_MS",
                        message: format!(
                            "`{raw}` is not a number of milliseconds from 0 to 600000"
                        ),
                    })?,
            },
            encryption_key: encryption_key.0,
            encryption_key_generated: encryption_key.1,
            webhook_dev_mode: match get("ONYX_WEBHOOK_DEV_MODE").as_deref() {
                None | Some("false") | Some("0") => false,
                Some("true") | Some("1") => true,
                Some(other) => {
                    return Err(ConfigError {
                        var: "ONYX_WEBHOOK_DEV_MODE",
                        message: format!("`{other}` is not true or false"),
                    })
                }
            },
            webhook_delivery: on_off(&get, "ONYX_WEBHOOK_DELIVERY")?,
            provisioning: on_off(&get, "ONYX_PROVISIONING")?,
            rate_limit_per_minute: parse_num(&get, "ONYX_RATE_LIMIT_PER_MINUTE", 1200)?,
            job_lease: Duration::from_millis(parse_num(&get, "ONYX_JOB_LEASE_MS", 30_000)?),
            webhook_concurrency: parse_num(&get, "ONYX_WEBHOOK_CONCURRENCY", 32)?,
            webhook_per_endpoint: parse_num(&get, "ONYX_WEBHOOK_PER_ENDPOINT", 1)?,
            provisioning_concurrency: parse_num(&get, "ONYX_PROVISIONING_CONCURRENCY", 8)?,
            webhook_endpoints_max: parse_num(&get, "ONYX_WEBHOOK_ENDPOINTS_MAX", 10)?,
            password_checks_per_second: parse_num(&get, "ONYX_PASSWORD_CHECKS_PER_SECOND", 20)?,
            console_idle_secs: parse_num(&get, "ONYX_CONSOLE_IDLE_SECS", 1800)?,
            console_max_secs: parse_num(&get, "ONYX_CONSOLE_MAX_SECS", 43_200)?,
            console_secure_cookie: matches!(
                get("ONYX_CONSOLE_SECURE_COOKIE").as_deref().map(str::trim),
                Some("true") | Some("1")
            ),
            outbound_proxy: match get("ONYX_OUTBOUND_PROXY") {
                None => None,
                Some(raw) => match url::Url::parse(raw.trim()) {
                    Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.has_host() => {
                        Some(Secret::new(raw.trim()))
                    }
                    _ => {
                        return Err(ConfigError {
                            var: "ONYX_OUTBOUND_PROXY",
                            message:
                                "is not an http(s) proxy URL such as http://proxy.internal:3128"
                                    .into(),
                        })
                    }
                },
            },
            smdp_address: get("ONYX_SMDP_ADDRESS").unwrap_or_else(|| "smdp.onyx.example".into()),
            upstream_url: match get("ONYX_UPSTREAM_URL") {
                None => None,
                Some(raw) => match url::Url::parse(&raw) {
                    Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Some(raw),
                    _ => {
                        return Err(ConfigError {
                            var: "ONYX_UPSTREAM_URL",
                            message: format!("`{raw}` is not an http(s) URL"),
                        })
                    }
                },
            },
        })
    }
}

/// A switch that is `on` unless set to `off`.
fn on_off(get: &impl Fn(&str) -> Option<String>, var: &'static str) -> Result<bool, ConfigError> {
    match get(var).as_deref().map(str::trim) {
        None | Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(other) => Err(ConfigError {
            var,
            message: format!("`{other}` is not on or off"),
        }),
    }
}

fn parse_num<T: std::str::FromStr + PartialOrd + Default>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match get(var) {
        None => Ok(default),
        Some(raw) => match raw.trim().parse::<T>() {
            Ok(v) if v > T::default() => Ok(v),
            _ => Err(ConfigError {
                var,
                message: format!("`{raw}` is not a positive whole number"),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_a_local_sqlite_service() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.listen.to_string(), DEFAULT_LISTEN);
        assert!(c.admin_token.is_none());
        assert!(c.jwt_secret_generated);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.db_pool_size, 4);
        assert!(c.provisioning && c.webhook_delivery);
        let pg = cfg(&[("DATABASE_URL", "postgres://db.example/onyx")]).unwrap();
        assert_eq!(pg.db_pool_size, 10);
    }

    #[test]
    fn bad_values_name_the_variable() {
        assert_eq!(
            cfg(&[("ONYX_LISTEN", "nope")]).unwrap_err().var,
            "ONYX_LISTEN"
        );
        assert_eq!(
            cfg(&[("ONYX_MAX_BODY_BYTES", "-1")]).unwrap_err().var,
            "ONYX_MAX_BODY_BYTES"
        );
        assert_eq!(
            cfg(&[("ONYX_JWT_SECRET", "short")]).unwrap_err().var,
            "ONYX_JWT_SECRET"
        );
        assert_eq!(
            cfg(&[("ONYX_LOG_FORMAT", "xml")]).unwrap_err().var,
            "ONYX_LOG_FORMAT"
        );
        assert_eq!(
            cfg(&[("ONYX_OUTBOUND_PROXY", "socks5://proxy:1080")])
                .unwrap_err()
                .var,
            "ONYX_OUTBOUND_PROXY"
        );
        assert_eq!(
            cfg(&[("ONYX_PROVISIONING", "paused")]).unwrap_err().var,
            "ONYX_PROVISIONING"
        );
        assert!(!cfg(&[("ONYX_PROVISIONING", "off")]).unwrap().provisioning);
    }

    #[test]
    fn the_outbound_proxy_is_explicit_and_never_shown() {
        assert!(cfg(&[]).unwrap().outbound_proxy.is_none());
        let c = cfg(&[("ONYX_OUTBOUND_PROXY", "http://user:pw@proxy.internal:3128")]).unwrap();
        assert_eq!(
            c.outbound_proxy.as_ref().map(Secret::expose),
            Some("http://user:pw@proxy.internal:3128")
        );
        assert!(!format!("{c:?}").contains("user:pw"));
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let c = cfg(&[("ONYX_ADMIN_TOKEN", "operator-token-1234567890")]).unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("operator-token-1234567890"));
        assert!(!dbg.contains(c.jwt_secret.expose()));
    }
}
