//! Activity events: idempotent by id, validated, tenant-scoped.

use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn events_are_stored_once_whatever_the_retries(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("events@acme.com").await;
    let viewer = app.add_user(&s, "watcher@acme.com", "viewer").await;
    let e1 = Uuid::now_v7();
    let batch = json!({"events": [
        {"id": e1, "type": "lead_captured", "lead_id": Uuid::now_v7(), "occurred_at": "2026-01-02T03:04:05Z", "props": {"source": "mailto"}},
        {"id": Uuid::now_v7(), "type": "quick_action", "occurred_at": "2026-01-02T03:04:06.5+01:00", "props": {"action": "call"}}
    ]});
    let first: Value = app
        .post("/v1/events", Some(&s.access), &batch)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first, json!({"accepted": 2, "duplicates": 0}));
    let again: Value = app
        .post("/v1/events", Some(&s.access), &batch)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, json!({"accepted": 0, "duplicates": 2}));
    // Viewers only read.
    let theirs = json!({"events": [{"id": Uuid::now_v7(), "type": "page_scanned", "occurred_at": "2026-01-02T03:04:07Z"}]});
    assert_error(
        app.post("/v1/events", Some(&viewer.access), &theirs).await,
        StatusCode::FORBIDDEN,
        "read_only_role",
    )
    .await;
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM events")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(n, 2);

    let bad_type = json!({"events": [{"id": Uuid::now_v7(), "type": "Lead Captured!", "occurred_at": "2026-01-02T03:04:05Z"}]});
    assert_error(
        app.post("/v1/events", Some(&s.access), &bad_type).await,
        StatusCode::BAD_REQUEST,
        "invalid_event",
    )
    .await;
    let future = json!({"events": [{"id": Uuid::now_v7(), "type": "lead_captured", "occurred_at": "2999-01-01T00:00:00Z"}]});
    assert_error(
        app.post("/v1/events", Some(&s.access), &future).await,
        StatusCode::BAD_REQUEST,
        "invalid_event",
    )
    .await;
    let nul = json!({"events": [{"id": Uuid::now_v7(), "type": "lead_captured", "occurred_at": "2026-01-02T03:04:05Z", "props": {"note": "a\u{0}b"}}]});
    assert_error(
        app.post("/v1/events", Some(&s.access), &nul).await,
        StatusCode::BAD_REQUEST,
        "invalid_event",
    )
    .await;
    let bad_time = json!({"events": [{"id": Uuid::now_v7(), "type": "lead_captured", "occurred_at": "yesterday"}]});
    assert_error(
        app.post("/v1/events", Some(&s.access), &bad_time).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM events")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    assert_eq!(n, 2, "refused batches store nothing");
    app.stop().await;
}
