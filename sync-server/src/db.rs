//! Database connections: migrations as the schema owner, request traffic as `leadsync_app`, and the
//! per-transaction tenant setting that row-level security keys on.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::config::Config;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The role request traffic runs as (created by the first migration).
pub const APP_ROLE: &str = "leadsync_app";

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot connect to Postgres at DATABASE_URL ({0}); is it running? scripts/run.sh starts one")]
    Connect(sqlx::Error),
    #[error("migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot connect as the app role: {0}; set LEADSYNC_APP_DATABASE_URL or LEADSYNC_APP_PASSWORD")]
    AppConnect(sqlx::Error),
    #[error("the app database role `{0}` is a superuser or has BYPASSRLS, which would switch off tenant isolation; use a plain role (the default `leadsync_app`)")]
    PrivilegedAppRole(String),
    #[error("the app database role `{0}` owns leadsync tables, so row-level security does not fully apply to it; connect request traffic as a role that only has grants (the default `leadsync_app`)")]
    OwnerAppRole(String),
    #[error("database error during setup: {0}")]
    Other(#[from] sqlx::Error),
}

/// Run migrations with the owner URL and return the pool for request traffic.
pub async fn setup(config: &Config) -> Result<PgPool, DbSetupError> {
    let owner: PgConnectOptions = config.database_url.parse().map_err(DbSetupError::Connect)?;
    let owner_pool = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(owner.clone())
        .await
        .map_err(DbSetupError::Connect)?;
    MIGRATOR.run(&owner_pool).await?;
    if let Some(password) = &config.app_password {
        // A role password cannot be a bind parameter; quote it as a literal.
        let literal = password.replace('\'', "''");
        sqlx::query(&format!("ALTER ROLE {APP_ROLE} PASSWORD '{literal}'"))
            .execute(&owner_pool)
            .await?;
    }
    owner_pool.close().await;

    let app = match &config.app_database_url {
        Some(url) => url.parse().map_err(DbSetupError::AppConnect)?,
        None => {
            let opts = owner.username(APP_ROLE);
            match &config.app_password {
                Some(p) => opts.password(p),
                None => opts,
            }
        }
    };
    let pool = app_pool(app).await.map_err(DbSetupError::AppConnect)?;
    check_unprivileged(&pool).await?;
    Ok(pool)
}

/// The request-traffic pool for given connect options.
pub async fn app_pool(opts: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(opts)
        .await
}

/// Refuse to serve through a role that would bypass row-level security.
pub async fn check_unprivileged(pool: &PgPool) -> Result<(), DbSetupError> {
    let (name, sup, bypass): (String, bool, bool) = sqlx::query_as(
        "SELECT rolname::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(pool)
    .await?;
    if sup || bypass {
        return Err(DbSetupError::PrivilegedAppRole(name));
    }
    let (owned,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user",
    )
    .fetch_one(pool)
    .await?;
    if owned > 0 {
        return Err(DbSetupError::OwnerAppRole(name));
    }
    Ok(())
}

/// Begin a transaction scoped to one tenant: row-level security shows it that tenant's rows only.
pub async fn begin_tenant(
    pool: &PgPool,
    tenant: Uuid,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    set_tenant(&mut tx, tenant).await?;
    Ok(tx)
}

/// A read-only tenant transaction on one snapshot: every statement sees the same commits, so a
/// reader cannot combine a purge watermark from before a commit with rows from after it.
pub async fn begin_tenant_snapshot(
    pool: &PgPool,
    tenant: Uuid,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    set_tenant(&mut tx, tenant).await?;
    Ok(tx)
}

async fn set_tenant(
    tx: &mut Transaction<'static, Postgres>,
    tenant: Uuid,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
