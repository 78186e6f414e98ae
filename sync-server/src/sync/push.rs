//! `POST /v1/sync/push`: exactly-once application of a client's mutations.

use axum::extract::State;
use leadsync_types::sync::{Mutation, PushRequest, PushResponse};
use leadsync_types::validate::{normalize_field, normalize_other_contact, normalize_tag};
use serde_json::json;

use crate::auth::AuthUser;
use crate::db::begin_tenant;
use crate::error::extract::Json;
use crate::error::{ApiError, ApiResult};
use crate::leads::store::{current_version, merge_leads};
use crate::state::AppState;

/// Check a mutation before anything is stored: clocks within the skew bound, values in the canonical
/// form every replica stores (the server never rewrites a value: replicas would then disagree on what
/// one clock wrote).
pub fn validate_mutation(state: &AppState, m: &Mutation) -> ApiResult<()> {
    if m.mid == 0 || m.mid > i64::MAX as u64 {
        return Err(ApiError::BadRequest(
            "invalid_mid",
            format!(
                "mutation id {} is out of range: a client numbers its mutations 1, 2, 3, …",
                m.mid
            ),
        ));
    }
    for hlc in m.hlcs() {
        state
            .clock
            .check(hlc)
            .map_err(|e| ApiError::BadRequest("clock_skew", format!("mutation {}: {e}", m.mid)))?;
    }
    for (field, reg) in &m.fields {
        if let Some(value) = &reg.value {
            let canonical = normalize_field(*field, value, None).map_err(|e| {
                ApiError::BadRequest("invalid_field", format!("mutation {}: {e}", m.mid))
            })?;
            if &canonical != value {
                return Err(ApiError::BadRequest(
                    "non_canonical_value",
                    format!("mutation {}: field {field} `{value}` must be sent in canonical form `{canonical}`", m.mid),
                ));
            }
        }
    }
    for tag in m.tags.keys() {
        let canonical = normalize_tag(tag)
            .map_err(|e| ApiError::BadRequest("invalid_tag", format!("mutation {}: {e}", m.mid)))?;
        if &canonical != tag {
            return Err(ApiError::BadRequest(
                "non_canonical_value",
                format!(
                    "mutation {}: tag `{tag}` must be sent as `{canonical}`",
                    m.mid
                ),
            ));
        }
    }
    for contact in m.other_contacts.keys() {
        let canonical = normalize_other_contact(contact, None).map_err(|e| {
            ApiError::BadRequest("invalid_field", format!("mutation {}: {e}", m.mid))
        })?;
        if &canonical != contact {
            return Err(ApiError::BadRequest(
                "non_canonical_value",
                format!(
                    "mutation {}: other contact `{contact}` must be sent as `{canonical}`",
                    m.mid
                ),
            ));
        }
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(user = %user.user_id, client = %body.client_id, n = body.mutations.len()))]
pub async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    user.require_write()?;
    let max = state.config.max_push_mutations;
    if body.mutations.len() > max {
        return Err(ApiError::PayloadTooLarge(
            "too_many_mutations",
            format!(
                "{} mutations in one push; send at most {max} per request",
                body.mutations.len()
            ),
        ));
    }
    for (i, m) in body.mutations.iter().enumerate() {
        validate_mutation(&state, m)?;
        if i > 0 && m.mid <= body.mutations[i - 1].mid {
            return Err(ApiError::BadRequest(
                "mids_out_of_order",
                format!("mutation {} follows mutation {}: send a client's mutations in rising mid order", m.mid, body.mutations[i - 1].mid),
            ));
        }
    }

    let mut tx = begin_tenant(&state.db, user.tenant_id).await?;
    sqlx::query("INSERT INTO sync_clients (tenant_id, client_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(user.tenant_id)
        .bind(body.client_id)
        .bind(user.user_id)
        .execute(&mut *tx)
        .await?;
    // The row lock serialises pushes of one client, so a retry racing its original cannot apply twice.
    let (applied, owner): (i64, uuid::Uuid) =
        sqlx::query_as("SELECT last_mutation_id, user_id FROM sync_clients WHERE tenant_id = $1 AND client_id = $2 FOR UPDATE")
            .bind(user.tenant_id)
            .bind(body.client_id)
            .fetch_one(&mut *tx)
            .await?;
    // A client id is one install of one user: another user's pushes under it would be taken for
    // retries and silently skipped.
    if owner != user.user_id {
        return Err(ApiError::Conflict(
            "client_id_in_use",
            format!("client {} belongs to another user of your team: make a new client id for this sign-in", body.client_id),
            None,
        ));
    }
    let applied = applied as u64;
    let mut last = applied;
    let mut leads = Vec::new();
    for m in &body.mutations {
        if m.mid <= last {
            continue; // already applied: a retry
        }
        if m.mid != last + 1 {
            return Err(ApiError::Conflict(
                "mutation_gap",
                format!(
                    "mutation {} arrived but the server expects {} next: resend from mutation {}",
                    m.mid,
                    last + 1,
                    last + 1
                ),
                Some(json!({ "expected_mid": last + 1, "last_mutation_id": last })),
            ));
        }
        last = m.mid;
        leads.push(m.to_lead());
    }
    let outcome = merge_leads(&mut tx, user.tenant_id, leads).await?;
    if last != applied {
        sqlx::query("UPDATE sync_clients SET last_mutation_id = $3, updated_at = now() WHERE tenant_id = $1 AND client_id = $2")
            .bind(user.tenant_id)
            .bind(body.client_id)
            .bind(last as i64)
            .execute(&mut *tx)
            .await?;
    }
    let version = match outcome.version {
        Some(v) => v,
        None => current_version(&mut tx, user.tenant_id).await?,
    };
    tx.commit().await?;
    let server_hlc = state
        .clock
        .observe_all(body.mutations.iter().flat_map(|m| m.hlcs()));
    Ok(Json(PushResponse {
        last_mutation_id: last,
        version,
        server_hlc,
    }))
}
