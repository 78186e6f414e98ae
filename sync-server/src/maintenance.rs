//! Background jobs: tombstone purge and limiter sweeps.

use std::time::Duration;

use crate::db::begin_tenant;
use crate::error::ApiError;
use crate::leads::store::purge_tombstones;
use crate::state::AppState;

/// Purge old tombstones in every tenant; returns how many were purged.
pub async fn purge_all(state: &AppState) -> Result<u64, ApiError> {
    let tenants: Vec<(uuid::Uuid,)> = sqlx::query_as("SELECT * FROM list_tenant_ids()")
        .fetch_all(&state.db)
        .await?;
    let mut total = 0;
    for (tenant,) in tenants {
        let mut tx = begin_tenant(&state.db, tenant).await?;
        total += purge_tombstones(&mut tx, tenant, state.config.tombstone_retention).await?;
        tx.commit().await?;
    }
    Ok(total)
}

pub async fn run(state: AppState) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        state.login_limiter.sweep();
        match purge_all(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "purged old tombstones"),
            Err(e) => tracing::warn!(error = %e, "tombstone purge failed; will retry"),
        }
    }
}
