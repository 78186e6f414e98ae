//! `GET /v1/sync/pull`: the tenant's change feed after a cursor, in commit order.

use axum::extract::State;
use leadsync_types::sync::{Cursor, LeadChange, PullResponse};
use leadsync_types::Lead;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::db::begin_tenant_snapshot;
use crate::error::extract::{Json, Query};
use crate::error::{ApiError, ApiResult};
use crate::leads::store::parse_registers;
use crate::state::AppState;

pub const DEFAULT_LIMIT: u32 = 500;
pub const MAX_LIMIT: u32 = 1000;

#[derive(Deserialize)]
pub struct PullQuery {
    cursor: Option<String>,
    limit: Option<u32>,
    client_id: Option<Uuid>,
}

#[tracing::instrument(skip_all, fields(user = %user.user_id))]
pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    Query(q): Query<PullQuery>,
) -> ApiResult<Json<PullResponse>> {
    let cursor: Cursor = q.cursor.as_deref().unwrap_or("").parse().map_err(
        |e: leadsync_types::sync::CursorError| {
            ApiError::BadRequest("invalid_cursor", e.to_string())
        },
    )?;
    if cursor.version > i64::MAX as u64 {
        return Err(ApiError::BadRequest(
            "invalid_cursor",
            format!("cursor {cursor} is out of range: pull from the start (no cursor)"),
        ));
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::validation(format!(
            "limit must be 1 to {MAX_LIMIT}"
        )));
    }

    let mut tx = begin_tenant_snapshot(&state.db, user.tenant_id).await?;
    let (version, purged): (i64, i64) =
        sqlx::query_as("SELECT version, purged_version FROM tenant_versions WHERE tenant_id = $1")
            .bind(user.tenant_id)
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or((0, 0));
    // Inside the purged version itself, a cursor that stopped part-way may have missed a tombstone.
    let v = cursor.version as i64;
    if cursor.version > 0 && (v < purged || (v == purged && cursor.after.is_some())) {
        return Err(ApiError::Gone(
            "cursor_expired",
            format!("cursor {cursor} is older than the deleted leads purged up to version {purged}: drop local state and pull from the start (no cursor)"),
        ));
    }
    if cursor.version as i64 > version {
        return Err(ApiError::Gone(
            "cursor_ahead",
            format!("cursor {cursor} is ahead of this server (version {version}); it belongs to another database: pull from the start (no cursor)"),
        ));
    }
    // Inside a version, `after` is the last lead id seen; a bare version means all of it was seen.
    let after = cursor.after.unwrap_or(Uuid::max());
    let rows: Vec<(Uuid, serde_json::Value, i64)> = sqlx::query_as(
        "SELECT id, registers, version FROM leads \
         WHERE tenant_id = $1 AND NOT purged AND version > 0 AND (version, id) > ($2, $3) \
         ORDER BY version, id LIMIT $4",
    )
    .bind(user.tenant_id)
    .bind(cursor.version as i64)
    .bind(after)
    .bind(limit as i64 + 1)
    .fetch_all(&mut *tx)
    .await?;
    let last_mutation_id = match q.client_id {
        Some(client) => sqlx::query_as::<_, (i64,)>(
            "SELECT last_mutation_id FROM sync_clients WHERE tenant_id = $1 AND client_id = $2",
        )
        .bind(user.tenant_id)
        .bind(client)
        .fetch_optional(&mut *tx)
        .await?
        .map(|(m,)| m as u64)
        .unwrap_or(0),
        None => 0,
    };
    tx.commit().await?;

    let has_more = rows.len() > limit as usize;
    let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
    for (id, registers, v) in rows.into_iter().take(limit as usize) {
        changes.push(LeadChange {
            lead: Lead {
                id,
                registers: parse_registers(id, registers)?,
            },
            version: v as u64,
        });
    }
    let cursor = match changes.last() {
        Some(last) if has_more => Cursor {
            version: last.version,
            after: Some(last.lead.id),
        },
        Some(last) => Cursor {
            version: last.version,
            after: None,
        },
        None => cursor,
    };
    Ok(Json(PullResponse {
        changes,
        cursor,
        has_more,
        server_hlc: state.clock.tick(),
        last_mutation_id,
    }))
}
