//! Configuration, read once from the environment. `leadsync-server --help` prints [`HELP`].

use std::net::SocketAddr;
use std::time::Duration;

/// Every setting: (name, default, meaning). The README's configuration table mirrors this list.
pub const SETTINGS: &[(&str, &str, &str)] = &[
    ("DATABASE_URL", "(required)", "Postgres URL of a role that owns the schema: migrations run with it at startup, and it creates the `leadsync_app` role if missing"),
    ("LEADSYNC_APP_DATABASE_URL", "DATABASE_URL as user leadsync_app", "Postgres URL for request traffic; its role must be neither superuser nor BYPASSRLS (checked at startup)"),
    ("LEADSYNC_APP_PASSWORD", "(none)", "If set, the password given to the `leadsync_app` role and used to connect as it"),
    ("LEADSYNC_ADDR", "127.0.0.1:8080", "Address the HTTP/WebSocket server listens on"),
    ("LEADSYNC_JWT_SECRET", "(random per process)", "HMAC secret for access tokens; set it (≥ 32 bytes) so tokens survive restarts and work across instances"),
    ("LEADSYNC_ACCESS_TTL_SECS", "900", "Lifetime of an access token"),
    ("LEADSYNC_REFRESH_TTL_DAYS", "30", "Lifetime of a refresh token"),
    ("LEADSYNC_LOGIN_PER_MINUTE", "10", "Login attempts allowed per email and per client address per minute (then 429 with Retry-After)"),
    ("LEADSYNC_MAX_BODY_BYTES", "2097152", "Largest request body accepted (then 413)"),
    ("LEADSYNC_MAX_PUSH_MUTATIONS", "1000", "Most mutations accepted in one push (then 413)"),
    ("LEADSYNC_TOMBSTONE_RETENTION_DAYS", "30", "Deleted leads are purged after this; a sync cursor older than the purge gets 410"),
    ("LEADSYNC_WS_AUTH_TIMEOUT_SECS", "5", "A WebSocket that has not authenticated by then is closed"),
    ("LEADSYNC_WS_HEARTBEAT_SECS", "20", "WebSocket ping interval; a socket silent for two intervals is closed"),
    ("LEADSYNC_LOG_FORMAT", "json", "`json` (one object per line, with request ids) or `pretty`"),
    ("RUST_LOG", "info", "Log filter (tracing-subscriber EnvFilter syntax)"),
];

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub app_database_url: Option<String>,
    pub app_password: Option<String>,
    pub addr: SocketAddr,
    pub jwt_secret: Option<String>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub login_per_minute: u32,
    pub max_body_bytes: usize,
    pub max_push_mutations: usize,
    pub tombstone_retention: Duration,
    pub ws_auth_timeout: Duration,
    pub ws_heartbeat: Duration,
    pub log_json: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(String);

impl Config {
    /// Defaults for everything but the database; used by tests and as the base of `from_env`.
    pub fn new(database_url: impl Into<String>) -> Self {
        Config {
            database_url: database_url.into(),
            app_database_url: None,
            app_password: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            jwt_secret: None,
            access_ttl: Duration::from_secs(900),
            refresh_ttl: Duration::from_secs(30 * 86_400),
            login_per_minute: 10,
            max_body_bytes: 2 * 1024 * 1024,
            max_push_mutations: 1000,
            tombstone_retention: Duration::from_secs(30 * 86_400),
            ws_auth_timeout: Duration::from_secs(5),
            ws_heartbeat: Duration::from_secs(20),
            log_json: true,
        }
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let database_url = var("DATABASE_URL").ok_or_else(|| {
            ConfigError("DATABASE_URL is not set: point it at Postgres, e.g. postgres://postgres@127.0.0.1:5432/leadsync, or use scripts/run.sh which starts one".into())
        })?;
        let mut c = Config::new(database_url);
        c.app_database_url = var("LEADSYNC_APP_DATABASE_URL");
        c.app_password = var("LEADSYNC_APP_PASSWORD");
        if let Some(addr) = var("LEADSYNC_ADDR") {
            c.addr = addr.parse().map_err(|_| {
                ConfigError(format!(
                    "LEADSYNC_ADDR `{addr}` is not an address like 127.0.0.1:8080"
                ))
            })?;
        }
        c.jwt_secret = var("LEADSYNC_JWT_SECRET");
        if let Some(s) = &c.jwt_secret {
            if s.len() < 32 {
                return Err(ConfigError(
                    "LEADSYNC_JWT_SECRET is shorter than 32 bytes: use e.g. `openssl rand -hex 32`"
                        .into(),
                ));
            }
        }
        let num = |name: &str, default: u64| -> Result<u64, ConfigError> {
            match var(name) {
                None => Ok(default),
                Some(v) => v
                    .parse()
                    .map_err(|_| ConfigError(format!("{name} `{v}` is not a whole number"))),
            }
        };
        c.access_ttl =
            Duration::from_secs(num("LEADSYNC_ACCESS_TTL_SECS", 900)?.clamp(1, 86_400 * 365));
        // Day counts are capped at 100 years so the arithmetic (and date math later) cannot overflow.
        const MAX_DAYS: u64 = 36_500;
        c.refresh_ttl =
            Duration::from_secs(num("LEADSYNC_REFRESH_TTL_DAYS", 30)?.clamp(1, MAX_DAYS) * 86_400);
        c.login_per_minute = num("LEADSYNC_LOGIN_PER_MINUTE", 10)?.clamp(1, u32::MAX as u64) as u32;
        c.max_body_bytes = num("LEADSYNC_MAX_BODY_BYTES", 2 * 1024 * 1024)? as usize;
        c.max_push_mutations = num("LEADSYNC_MAX_PUSH_MUTATIONS", 1000)?.max(1) as usize;
        c.tombstone_retention = Duration::from_secs(
            num("LEADSYNC_TOMBSTONE_RETENTION_DAYS", 30)?.min(MAX_DAYS) * 86_400,
        );
        c.ws_auth_timeout =
            Duration::from_secs(num("LEADSYNC_WS_AUTH_TIMEOUT_SECS", 5)?.clamp(1, 3600));
        c.ws_heartbeat = Duration::from_secs(num("LEADSYNC_WS_HEARTBEAT_SECS", 20)?.clamp(1, 3600));
        c.log_json = !matches!(var("LEADSYNC_LOG_FORMAT").as_deref(), Some("pretty"));
        Ok(c)
    }
}

/// The text of `--help`.
pub fn help() -> String {
    let mut out = String::from(
        "leadsync-server — leadsync sync server\n\n\
         USAGE:\n    leadsync-server [serve]     start the server (runs migrations first)\n    \
         leadsync-server extract PAGE.html [--url URL]\n                                    print the contacts found in a saved page as JSON\n    \
         leadsync-server --help      this text\n\nENVIRONMENT:\n",
    );
    for (name, default, meaning) in SETTINGS {
        out.push_str(&format!(
            "    {name}\n        default: {default}\n        {meaning}\n"
        ));
    }
    out
}
