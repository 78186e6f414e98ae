//! The browser extension calls the API from its own origin (`chrome-extension://…`): preflights
//! must pass, and the answers must be readable there, errors included.

use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::*;

const ORIGIN: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";

#[sqlx::test(migrations = "../migrations")]
async fn the_extension_origin_may_call_the_api(pool: PgPool) {
    let app = spawn_app(pool).await;

    // Preflight for an authenticated JSON push, as Chrome sends it.
    let pre = app
        .http
        .request(Method::OPTIONS, app.url("/v1/sync/push"))
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(
        pre.status().is_success(),
        "preflight answered {}",
        pre.status()
    );
    let h = pre.headers();
    assert_eq!(
        h.get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    let methods = h
        .get("access-control-allow-methods")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_uppercase();
    for m in ["GET", "POST", "PATCH", "DELETE"] {
        assert!(
            methods.contains(m),
            "{m} missing from allowed methods {methods:?}"
        );
    }
    let headers = h
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        headers.contains("authorization") && headers.contains("content-type"),
        "{headers:?}"
    );
    assert!(
        h.get("access-control-allow-credentials").is_none(),
        "bearer tokens only: no cookies across origins"
    );

    // A real answer, and an error, both readable from that origin (with the request id exposed).
    let signup = app
        .http
        .post(app.url("/v1/auth/signup"))
        .header("Origin", ORIGIN)
        .json(&json!({"tenant_name": "Acme", "email": "cors@acme-rockets.com", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), StatusCode::CREATED);
    assert_eq!(
        signup
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    let expose = signup
        .headers()
        .get("access-control-expose-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        expose.contains("x-request-id") && expose.contains("retry-after"),
        "{expose:?}"
    );

    let denied = app
        .http
        .get(app.url("/v1/me"))
        .header("Origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        denied
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    app.stop().await;
}
