//! Accounts: signup, login, refresh rotation and reuse detection, logout, token validation, limits.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{EncodingKey, Header};
use leadsync_server::auth::{Claims, Role};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn signup_login_refresh_logout_me(pool: PgPool) {
    let app = spawn_app(pool).await;
    let resp = app
        .post("/v1/auth/signup", None, &json!({"tenant_name": "Acme Sales", "email": "Ann@Acme.com", "password": "correct horse battery"}))
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["user"]["role"], "admin");
    assert_eq!(body["user"]["email"], "ann@acme.com");
    assert!(body["expires_in"].as_u64().unwrap() > 0);
    let s = session(body);

    let me: Value = app.get("/v1/me", &s.access).await.json().await.unwrap();
    assert_eq!(me["email"], "ann@acme.com");
    assert_eq!(me["tenant_name"], "Acme Sales");
    assert_eq!(me["tenant_id"], s.tenant_id.to_string());

    let wrong = app.login("ann@acme.com", "not the password").await;
    assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let unknown = app.login("nobody@acme.com", "correct horse battery").await;
    assert_error(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let ok = app.login("ANN@acme.com", "correct horse battery").await;
    assert_eq!(ok.status(), StatusCode::OK);
    let s2 = session(ok.json().await.unwrap());

    let refreshed = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s2.refresh}),
        )
        .await;
    assert_eq!(refreshed.status(), StatusCode::OK);
    let s3 = session(refreshed.json().await.unwrap());
    assert_ne!(s3.refresh, s2.refresh);
    assert_eq!(app.get("/v1/me", &s3.access).await.status(), StatusCode::OK);

    let out = app
        .post(
            "/v1/auth/logout",
            None,
            &json!({"refresh_token": s3.refresh}),
        )
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s3.refresh}),
        )
        .await;
    assert_error(after, StatusCode::UNAUTHORIZED, "refresh_token_revoked").await;
    // The first session (another family) is untouched by that logout.
    let first = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s.refresh}),
        )
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn refresh_reuse_revokes_the_family(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("reuse@acme.com").await;
    let r1 = s.refresh.clone();
    let s2 = session(
        app.post("/v1/auth/refresh", None, &json!({"refresh_token": r1}))
            .await
            .json()
            .await
            .unwrap(),
    );
    // An attacker replays the spent token…
    let replay = app
        .post("/v1/auth/refresh", None, &json!({"refresh_token": r1}))
        .await;
    assert_error(replay, StatusCode::UNAUTHORIZED, "refresh_token_reused").await;
    // …so the legitimate successor is revoked too.
    let successor = app
        .post(
            "/v1/auth/refresh",
            None,
            &json!({"refresh_token": s2.refresh}),
        )
        .await;
    assert_error(successor, StatusCode::UNAUTHORIZED, "refresh_token_revoked").await;
    // Garbage and forged-secret tokens are refused without a 500.
    for bad in [
        "",
        "nope",
        &format!("{}.{}.AAAA", s.tenant_id.simple(), s.user_id.simple()),
    ] {
        let resp = app
            .post("/v1/auth/refresh", None, &json!({"refresh_token": bad}))
            .await;
        assert_error(resp, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
    }
    app.stop().await;
}

fn forge(claims: &Claims, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn expired_tampered_wrong_key_and_alg_none_tokens_get_401(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("tokens@acme.com").await;
    let now = now_ms() / 1000;
    let claims = Claims {
        sub: s.user_id,
        tid: s.tenant_id,
        role: Role::Admin,
        iat: now - 7200,
        exp: now - 3600,
    };

    let expired = forge(&claims, JWT_SECRET);
    assert_error(
        app.get("/v1/me", &expired).await,
        StatusCode::UNAUTHORIZED,
        "token_expired",
    )
    .await;

    let valid = Claims {
        exp: now + 600,
        ..claims.clone()
    };
    let wrong_key = forge(&valid, "another-secret-another-secret-another");
    assert_error(
        app.get("/v1/me", &wrong_key).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;

    // Tamper: swap the payload for one claiming the viewer is an admin of another tenant.
    let good = forge(&valid, JWT_SECRET);
    let parts: Vec<&str> = good.split('.').collect();
    let evil = Claims {
        tid: uuid::Uuid::now_v7(),
        ..valid.clone()
    };
    let evil_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&evil).unwrap());
    let tampered = format!("{}.{}.{}", parts[0], evil_payload, parts[2]);
    assert_error(
        app.get("/v1/me", &tampered).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;

    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&valid).unwrap());
    for alg_none in [
        format!("{none_header}.{payload}."),
        format!("{none_header}.{payload}"),
    ] {
        assert_error(
            app.get("/v1/me", &alg_none).await,
            StatusCode::UNAUTHORIZED,
            "invalid_token",
        )
        .await;
    }
    let missing = app.http.get(app.url("/v1/me")).send().await.unwrap();
    assert_error(missing, StatusCode::UNAUTHORIZED, "missing_token").await;
    let basic = app
        .http
        .get(app.url("/v1/me"))
        .header("authorization", "Basic YWJjOmRlZg==")
        .send()
        .await
        .unwrap();
    assert_error(basic, StatusCode::UNAUTHORIZED, "invalid_token").await;
    // The genuine token still works: the failures above were about the tokens, not the server.
    assert_eq!(app.get("/v1/me", &good).await.status(), StatusCode::OK);
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn login_attempts_are_rate_limited_with_retry_after(pool: PgPool) {
    let mut config = test_config();
    config.login_per_minute = 3;
    let app = spawn_app_with(pool, config).await;
    app.signup("limited@acme.com").await;
    for _ in 0..3 {
        assert_eq!(
            app.login("limited@acme.com", "wrong password!")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let resp = app.login("limited@acme.com", "correct horse battery").await;
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    assert!(
        retry.is_some_and(|s| (1..=60).contains(&s)),
        "Retry-After: {retry:?}"
    );
    assert_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn internationalised_addresses_sign_in_as_written(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.signup("jane@bücher.de").await;
    for written in ["jane@bücher.de", "JANE@Bücher.de", "jane@xn--bcher-kva.de"] {
        assert_eq!(
            app.login(written, "correct horse battery").await.status(),
            StatusCode::OK,
            "{written}"
        );
    }
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn signup_validates_and_refuses_duplicates(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.signup("dup@acme.com").await;
    let again = app
        .post("/v1/auth/signup", None, &json!({"tenant_name": "Other", "email": "DUP@acme.com", "password": "correct horse battery"}))
        .await;
    assert_error(again, StatusCode::CONFLICT, "email_taken").await;
    let weak = app
        .post(
            "/v1/auth/signup",
            None,
            &json!({"tenant_name": "T", "email": "w@acme.com", "password": "short"}),
        )
        .await;
    assert_error(weak, StatusCode::BAD_REQUEST, "weak_password").await;
    let bad_email =
        app.post("/v1/auth/signup", None, &json!({"tenant_name": "T", "email": "not-an-email", "password": "correct horse battery"})).await;
    assert_error(bad_email, StatusCode::BAD_REQUEST, "invalid_email").await;
    let no_name = app.post("/v1/auth/signup", None, &json!({"tenant_name": " ", "email": "n@acme.com", "password": "correct horse battery"})).await;
    assert_error(no_name, StatusCode::BAD_REQUEST, "validation_failed").await;
    app.stop().await;
}
