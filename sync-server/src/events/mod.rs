//! `POST /v1/events`: activity from the extension and dashboard (captures, quick actions, scans),
//! idempotent by the client-made event id so an offline queue can resend freely.

use axum::extract::State;
use axum::routing::post;
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::db::begin_tenant;
use crate::error::extract::Json;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const MAX_EVENTS: usize = 500;
const MAX_PROPS_BYTES: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/events", post(ingest))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventIn {
    id: Uuid,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    lead_id: Option<Uuid>,
    occurred_at: DateTime<Utc>,
    #[serde(default)]
    props: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsBody {
    events: Vec<EventIn>,
}

fn check(e: &EventIn, now: DateTime<Utc>) -> ApiResult<()> {
    let bad = |msg: String| ApiError::BadRequest("invalid_event", format!("event {}: {msg}", e.id));
    let snake = !e.kind.is_empty()
        && e.kind.len() <= 64
        && e.kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if !snake {
        return Err(bad(format!(
            "type `{}` must be snake_case letters, e.g. lead_captured",
            e.kind.chars().take(64).collect::<String>()
        )));
    }
    if e.occurred_at > now + chrono::Duration::minutes(5) {
        return Err(bad(
            "occurred_at is more than 5 minutes in the future: check the device clock".into(),
        ));
    }
    match &e.props {
        None | Some(Value::Object(_)) => {}
        Some(_) => return Err(bad("props must be a JSON object".into())),
    }
    let props = e.props.as_ref().map(|p| p.to_string()).unwrap_or_default();
    if props.len() > MAX_PROPS_BYTES {
        return Err(bad(format!("props is larger than {MAX_PROPS_BYTES} bytes")));
    }
    // Postgres text and jsonb cannot hold NUL.
    if props.contains("\\u0000") {
        return Err(bad(
            "props contains a NUL character (\\u0000); remove it".into()
        ));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(user = %user.user_id, n = body.events.len()))]
async fn ingest(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<EventsBody>,
) -> ApiResult<Json<Value>> {
    // Activity is part of the tenant's record (funnels, webhooks): viewers only read.
    user.require_write()?;
    if body.events.len() > MAX_EVENTS {
        return Err(ApiError::PayloadTooLarge(
            "too_many_events",
            format!("send at most {MAX_EVENTS} events per request"),
        ));
    }
    let now = Utc::now();
    for e in &body.events {
        check(e, now)?;
    }
    let ids: Vec<Uuid> = body.events.iter().map(|e| e.id).collect();
    let kinds: Vec<&str> = body.events.iter().map(|e| e.kind.as_str()).collect();
    let leads: Vec<Option<Uuid>> = body.events.iter().map(|e| e.lead_id).collect();
    let times: Vec<DateTime<Utc>> = body.events.iter().map(|e| e.occurred_at).collect();
    let props: Vec<Value> = body
        .events
        .iter()
        .map(|e| e.props.clone().unwrap_or_else(|| json!({})))
        .collect();
    let mut tx = begin_tenant(&state.db, user.tenant_id).await?;
    let inserted = sqlx::query(
        "INSERT INTO events (tenant_id, user_id, id, type, lead_id, occurred_at, props) \
         SELECT $1, $2, u.id, u.type, u.lead_id, u.occurred_at, u.props \
         FROM UNNEST($3::uuid[], $4::text[], $5::uuid[], $6::timestamptz[], $7::jsonb[]) AS u(id, type, lead_id, occurred_at, props) \
         ON CONFLICT (tenant_id, id) DO NOTHING",
    )
    .bind(user.tenant_id)
    .bind(user.user_id)
    .bind(&ids)
    .bind(&kinds)
    .bind(&leads)
    .bind(&times)
    .bind(&props)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(Json(
        json!({ "accepted": inserted, "duplicates": body.events.len() as u64 - inserted }),
    ))
}
