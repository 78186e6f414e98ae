//! `/v1/leads` REST routes. Writes go through the same merge path as sync, with server clocks.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use leadsync_types::validate::normalize_tag;
use leadsync_types::{Field, Lead, LeadStatus};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::store::{merge_leads, parse_registers, StoredLead};
use super::view::{lead_view, LeadInput};
use crate::auth::AuthUser;
use crate::db::begin_tenant;
use crate::error::extract::{Json, Path, Query};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/leads", get(list).post(create))
        .route("/v1/leads/{id}", get(read).patch(patch).delete(delete))
}

fn not_found(id: Uuid) -> ApiError {
    ApiError::NotFound(
        "lead_not_found",
        format!("no lead {id} in your team (it may have been deleted)"),
    )
}

/// A live (not deleted) lead of the caller's tenant.
async fn load(conn: &mut PgConnection, user: &AuthUser, id: Uuid) -> ApiResult<StoredLead> {
    let row: Option<(serde_json::Value, i64, bool)> = sqlx::query_as(
        "SELECT registers, version, deleted FROM leads WHERE tenant_id = $1 AND id = $2",
    )
    .bind(user.tenant_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    match row {
        Some((regs, version, false)) => Ok(StoredLead {
            lead: Lead {
                id,
                registers: parse_registers(id, regs)?,
            },
            version: version as u64,
        }),
        _ => Err(not_found(id)),
    }
}

async fn write(user: &AuthUser, conn: &mut PgConnection, lead: Lead) -> ApiResult<StoredLead> {
    let id = lead.id;
    let mut outcome = merge_leads(conn, user.tenant_id, vec![lead]).await?;
    outcome
        .leads
        .remove(&id)
        .ok_or_else(|| ApiError::Internal(format!("lead {id} missing after merge")))
}

#[tracing::instrument(skip_all, fields(user = %user.user_id))]
async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<Value>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    user.require_write()?;
    let input = LeadInput::parse(body, true)?;
    let id = input.id.unwrap_or_else(Uuid::now_v7);
    let hlc = state.clock.tick();
    let mut lead = input.to_lead(id, None, hlc);
    // Sensible defaults a person expects from "add lead": new, mine, captured now.
    if !input.has(Field::Status) {
        lead.set(Field::Status, Some(LeadStatus::New.as_str().into()), hlc);
    }
    if !input.has(Field::Owner) {
        lead.set(Field::Owner, Some(user.user_id.to_string()), hlc);
    }
    if !input.has(Field::CapturedAt) {
        lead.set(
            Field::CapturedAt,
            Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            hlc,
        );
    }
    let mut tx = begin_tenant(&state.db, user.tenant_id).await?;
    let exists: Option<(bool,)> =
        sqlx::query_as("SELECT deleted FROM leads WHERE tenant_id = $1 AND id = $2")
            .bind(user.tenant_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match exists {
        Some((false,)) => {
            return Err(ApiError::Conflict(
                "lead_exists",
                format!("lead {id} already exists: change it with PATCH /v1/leads/{id}"),
                None,
            ))
        }
        Some((true,)) => {
            return Err(ApiError::Conflict(
                "lead_deleted",
                format!(
                "lead {id} was deleted and cannot be brought back: create it again without an id"
            ),
                None,
            ))
        }
        None => {}
    }
    let stored = write(&user, &mut tx, lead).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(lead_view(&stored))))
}

#[tracing::instrument(skip_all, fields(user = %user.user_id))]
async fn read(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Value>> {
    let mut tx = begin_tenant(&state.db, user.tenant_id).await?;
    let stored = load(&mut tx, &user, id).await?;
    tx.commit().await?;
    Ok(Json(lead_view(&stored)))
}

#[tracing::instrument(skip_all, fields(user = %user.user_id))]
async fn patch(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<Value>,
) -> ApiResult<Json<Value>> {
    user.require_write()?;
    let input = LeadInput::parse(body, false)?;
    let mut tx = begin_tenant(&state.db, user.tenant_id).await?;
    let current = load(&mut tx, &user, id).await?;
    // Stamp after everything already stored, even writes this process never saw (other instances,
    // before a restart), so the edit a person just made wins.
    let hlc = state.clock.tick_after(current.lead.registers.max_hlc());
    let lead = input.to_lead(id, Some(&current.lead), hlc);
    if lead.registers.is_empty() {
        tx.commit().await?;
        return Ok(Json(lead_view(&current))); // nothing to change
    }
    let stored = write(&user, &mut tx, lead).await?;
    tx.commit().await?;
    Ok(Json(lead_view(&stored)))
}

#[tracing::instrument(skip_all, fields(user = %user.user_id))]
async fn delete(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    user.require_write()?;
    let mut tx = begin_tenant(&state.db, user.tenant_id).await?;
    let current = load(&mut tx, &user, id).await?;
    let mut tomb = Lead::new(id);
    tomb.delete(state.clock.tick_after(current.lead.registers.max_hlc()));
    write(&user, &mut tx, tomb).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    owner: Option<String>,
    tag: Option<String>,
    q: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 200;

#[tracing::instrument(skip_all, fields(user = %user.user_id))]
async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<LeadStatus>()
                .map_err(ApiError::validation)?
                .as_str(),
        ),
        None => None,
    };
    let owner =
        match q.owner.as_deref().filter(|s| !s.is_empty()) {
            Some("me") => Some(user.user_id),
            Some(s) => Some(Uuid::try_parse(s).map_err(|_| {
                ApiError::validation(format!("owner `{s}` must be a user id or `me`"))
            })?),
            None => None,
        };
    let tag = match q.tag.as_deref().filter(|s| !s.is_empty()) {
        Some(t) => {
            Some(normalize_tag(t).map_err(|e| ApiError::BadRequest("invalid_tag", e.to_string()))?)
        }
        None => None,
    };
    let search =
        q.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                // A literal substring: escape LIKE's wildcards.
                let escaped = s
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{escaped}%")
            });
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::validation(format!(
            "limit must be 1 to {MAX_PAGE}"
        )));
    }
    let cursor = match q.cursor.as_deref().filter(|s| !s.is_empty()) {
        Some(c) => Some(Uuid::try_parse(c).map_err(|_| {
            ApiError::BadRequest(
                "invalid_cursor",
                "cursor must be the `next_cursor` of the previous page".into(),
            )
        })?),
        None => None,
    };

    let mut tx = begin_tenant(&state.db, user.tenant_id).await?;
    let rows: Vec<(Uuid, serde_json::Value, i64)> = sqlx::query_as(
        "SELECT id, registers, version FROM leads WHERE tenant_id = $7 AND NOT deleted \
           AND ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR owner = $2) \
           AND ($3::text IS NULL OR tags @> ARRAY[$3]) AND ($4::text IS NULL OR search LIKE $4) \
           AND ($5::uuid IS NULL OR id < $5) \
         ORDER BY id DESC LIMIT $6",
    )
    .bind(status)
    .bind(owner)
    .bind(tag)
    .bind(search)
    .bind(cursor)
    .bind(limit as i64 + 1)
    .bind(user.tenant_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let has_more = rows.len() > limit as usize;
    let mut items = Vec::with_capacity(limit as usize);
    let mut last = None;
    for (id, regs, version) in rows.into_iter().take(limit as usize) {
        items.push(lead_view(&StoredLead {
            lead: Lead {
                id,
                registers: parse_registers(id, regs)?,
            },
            version: version as u64,
        }));
        last = Some(id);
    }
    let next_cursor = if has_more {
        last.map(|id| id.to_string())
    } else {
        None
    };
    Ok(Json(json!({ "items": items, "next_cursor": next_cursor })))
}
