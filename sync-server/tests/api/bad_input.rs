//! Bad input of every kind gets a 4xx with a code and a message — never a 500 — and stores nothing.

use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn malformed_oversized_and_mistyped_bodies(pool: PgPool) {
    let mut config = test_config();
    config.max_body_bytes = 64 * 1024;
    config.max_push_mutations = 10;
    let app = spawn_app_with(pool, config).await;
    let s = app.signup("bad@acme.com").await;
    let post_raw = |path: &str, body: String| {
        app.http
            .post(app.url(path))
            .bearer_auth(&s.access)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    assert_error(
        post_raw("/v1/leads", "{\"name\": ".into()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_error(
        post_raw("/v1/sync/push", "not json".into()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(100 * 1024));
    assert_error(
        post_raw("/v1/leads", huge).await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
    )
    .await;
    let no_type = app
        .http
        .post(app.url("/v1/leads"))
        .bearer_auth(&s.access)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_error(no_type, StatusCode::UNSUPPORTED_MEDIA_TYPE, "json_required").await;

    // Wrong types.
    let wrong = post_raw(
        "/v1/sync/push",
        json!({"client_id": 5, "mutations": []}).to_string(),
    )
    .await
    .unwrap();
    assert_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    let wrong = post_raw("/v1/sync/push", json!({"client_id": Uuid::now_v7(), "mutations": [{"mid": "one", "lead_id": Uuid::now_v7()}]}).to_string()).await.unwrap();
    assert_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    let bad_hlc = json!({"client_id": Uuid::now_v7(), "mutations": [{"mid": 1, "lead_id": Uuid::now_v7(), "fields": {"name": {"value": "x", "hlc": "yesterday"}}}]});
    let body = assert_error(
        post_raw("/v1/sync/push", bad_hlc.to_string())
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unix_millis"));
    let unknown_field = json!({"client_id": Uuid::now_v7(), "mutations": [{"mid": 1, "lead_id": Uuid::now_v7(), "fields": {"nmae": {"value": "x", "hlc": hlc(0, 1)}}}]});
    assert_error(
        post_raw("/v1/sync/push", unknown_field.to_string())
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    assert_error(
        app.post("/v1/leads", Some(&s.access), &json!({"name": 42}))
            .await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post("/v1/leads", Some(&s.access), &json!(["a"])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    assert_error(
        app.post("/v1/leads", Some(&s.access), &json!({"nmae": "x"}))
            .await,
        StatusCode::BAD_REQUEST,
        "unknown_field",
    )
    .await;
    let too_many: Vec<_> = (1..=11)
        .map(|i| {
            set(
                i,
                Uuid::now_v7(),
                &[(leadsync_types::Field::Name, "x")],
                hlc(0, 1),
            )
        })
        .collect();
    assert_error(
        app.push(&s.access, Uuid::now_v7(), too_many).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_many_mutations",
    )
    .await;

    let (all, _) = app.pull_all(&s.access, "", 100).await;
    assert!(all.is_empty(), "nothing was stored: {all:?}");
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_values_unknown_leads_and_bad_parameters(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("values@acme.com").await;
    let good: Value = app
        .post(
            "/v1/leads",
            Some(&s.access),
            &json!({"name": "Kept", "email": "kept@acme.com"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = good["id"].as_str().unwrap().to_string();

    assert_error(
        app.post(
            "/v1/leads",
            Some(&s.access),
            &json!({"email": "jane at acme"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    )
    .await;
    assert_error(
        app.post("/v1/leads", Some(&s.access), &json!({"phone": "12"}))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    )
    .await;
    assert_error(
        app.post("/v1/leads", Some(&s.access), &json!({"status": "hot"}))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    )
    .await;
    assert_error(
        app.patch(
            &format!("/v1/leads/{id}"),
            &s.access,
            &json!({"email": "@@"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    )
    .await;
    let mutation = set(
        1,
        Uuid::now_v7(),
        &[(leadsync_types::Field::Phone, "not a phone")],
        hlc(0, 1),
    );
    assert_error(
        app.push(&s.access, Uuid::now_v7(), vec![mutation]).await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    )
    .await;
    let unnormalised = set(
        1,
        Uuid::now_v7(),
        &[(leadsync_types::Field::Email, "Jane@ACME.com")],
        hlc(0, 1),
    );
    assert_error(
        app.push(&s.access, Uuid::now_v7(), vec![unnormalised])
            .await,
        StatusCode::BAD_REQUEST,
        "non_canonical_value",
    )
    .await;

    let missing = Uuid::now_v7();
    assert_error(
        app.get(&format!("/v1/leads/{missing}"), &s.access).await,
        StatusCode::NOT_FOUND,
        "lead_not_found",
    )
    .await;
    assert_error(
        app.patch(
            &format!("/v1/leads/{missing}"),
            &s.access,
            &json!({"name": "x"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "lead_not_found",
    )
    .await;
    assert_error(
        app.delete(&format!("/v1/leads/{missing}"), &s.access).await,
        StatusCode::NOT_FOUND,
        "lead_not_found",
    )
    .await;
    assert_error(
        app.get("/v1/leads/not-a-uuid", &s.access).await,
        StatusCode::BAD_REQUEST,
        "invalid_path",
    )
    .await;
    assert_error(
        app.get("/v1/leads?status=hot", &s.access).await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get("/v1/leads?limit=0", &s.access).await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_error(
        app.get("/v1/leads?limit=many", &s.access).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    assert_error(
        app.get("/v1/leads?cursor=xyz", &s.access).await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    )
    .await;
    assert_error(
        app.get("/v1/sync/pull?cursor=abc", &s.access).await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    )
    .await;
    assert_error(
        app.get("/v1/sync/pull?limit=100000", &s.access).await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    let nowhere = app.get("/v1/nowhere", &s.access).await;
    let request_id = nowhere
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    assert!(
        request_id.is_some_and(|id| uuid::Uuid::try_parse(&id).is_ok()),
        "every response carries a request id to quote in a report"
    );
    assert_error(nowhere, StatusCode::NOT_FOUND, "route_not_found").await;
    let put = app
        .http
        .put(app.url("/v1/leads"))
        .bearer_auth(&s.access)
        .send()
        .await
        .unwrap();
    assert_error(put, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;

    // An empty patch (or clearing tags a lead never had) changes nothing and says so with the lead.
    for nothing in [json!({}), json!({"tags": []})] {
        let resp = app
            .patch(&format!("/v1/leads/{id}"), &s.access, &nothing)
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            resp.json::<Value>().await.unwrap()["version"],
            good["version"]
        );
    }
    // A deleted id cannot be re-created, and the message says what to do instead.
    let gone: Value = app
        .post("/v1/leads", Some(&s.access), &json!({"name": "Temp"}))
        .await
        .json()
        .await
        .unwrap();
    let gone_id = gone["id"].as_str().unwrap();
    app.delete(&format!("/v1/leads/{gone_id}"), &s.access).await;
    assert_error(
        app.post(
            "/v1/leads",
            Some(&s.access),
            &json!({"id": gone_id, "name": "Again"}),
        )
        .await,
        StatusCode::CONFLICT,
        "lead_deleted",
    )
    .await;
    // NUL characters (which Postgres cannot store) are refused up front.
    let nul = json!({"tenant_name": "Bad\u{0}Team", "email": "nul@acme.com", "password": "correct horse battery"});
    assert_error(
        app.post("/v1/auth/signup", None, &nul).await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    assert_error(
        app.login("nul\u{0}@acme.com", "whatever password").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_error(
        app.post("/v1/leads", Some(&s.access), &json!({"name": "a\u{0}b"}))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_field",
    )
    .await;

    let kept: Value = app
        .get(&format!("/v1/leads/{id}"), &s.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (kept["name"].as_str(), kept["email"].as_str()),
        (Some("Kept"), Some("kept@acme.com"))
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn lead_filters_and_pagination(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("filters@acme.com").await;
    for i in 0..7 {
        let status = if i % 2 == 0 { "qualified" } else { "new" };
        let tags = if i < 3 { json!(["vip"]) } else { json!([]) };
        let resp = app.post("/v1/leads", Some(&s.access), &json!({"name": format!("Person {i}"), "company": if i == 4 { "Zeta_Corp" } else { "Acme" }, "status": status, "tags": tags})).await;
        assert_eq!(resp.status(), StatusCode::CREATED);
    }
    let count = |v: Value| v["items"].as_array().unwrap().len();
    assert_eq!(
        count(
            app.get("/v1/leads?status=qualified", &s.access)
                .await
                .json()
                .await
                .unwrap()
        ),
        4
    );
    assert_eq!(
        count(
            app.get("/v1/leads?tag=VIP", &s.access)
                .await
                .json()
                .await
                .unwrap()
        ),
        3
    );
    assert_eq!(
        count(
            app.get("/v1/leads?q=zeta_", &s.access)
                .await
                .json()
                .await
                .unwrap()
        ),
        1
    );
    assert_eq!(
        count(
            app.get("/v1/leads?q=%25", &s.access)
                .await
                .json()
                .await
                .unwrap()
        ),
        0,
        "LIKE wildcards are literal"
    );
    assert_eq!(
        count(
            app.get("/v1/leads?owner=me", &s.access)
                .await
                .json()
                .await
                .unwrap()
        ),
        7
    );
    assert_eq!(
        count(
            app.get(&format!("/v1/leads?owner={}", Uuid::now_v7()), &s.access)
                .await
                .json()
                .await
                .unwrap()
        ),
        0
    );
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page: Value = app
            .get(&format!("/v1/leads?limit=3&cursor={cursor}"), &s.access)
            .await
            .json()
            .await
            .unwrap();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["name"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert_eq!(seen[0], "Person 6", "newest first");
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_database_outage_is_a_503_with_retry_after_not_a_500(pool: PgPool) {
    // A server whose database is unreachable (nothing listens on port 1).
    let opts = (*pool.connect_options())
        .clone()
        .port(1)
        .username(leadsync_server::db::APP_ROLE);
    let dead = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_millis(500))
        .connect_lazy_with(opts);
    let state = leadsync_server::AppState::new(dead, test_config());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(leadsync_server::app::serve(
        listener,
        state,
        std::future::pending(),
    ));
    let http = reqwest::Client::new();

    let ready = http
        .get(format!("http://{addr}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ready
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string()),
        Some("1".into())
    );
    assert_error(
        ready,
        StatusCode::SERVICE_UNAVAILABLE,
        "database_unavailable",
    )
    .await;
    let login = http
        .post(format!("http://{addr}/v1/auth/login"))
        .json(&json!({"email": "a@acme.com", "password": "whatever pw"}))
        .send()
        .await
        .unwrap();
    assert_error(
        login,
        StatusCode::SERVICE_UNAVAILABLE,
        "database_unavailable",
    )
    .await;
    // Liveness does not depend on the database.
    assert_eq!(
        http.get(format!("http://{addr}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    server.abort();
    pool.close().await;
}
