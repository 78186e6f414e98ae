//! Operational routes: liveness, readiness (database), and the JSON 404 for unknown routes.

use std::time::Duration;

use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The landing page: what leadsync is, whether this server is ready, how to start.
async fn landing() -> Html<&'static str> {
    Html(include_str!("../static/index.html"))
}

async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

async fn readyz(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let ping = sqlx::query("SELECT 1").execute(&state.db);
    match tokio::time::timeout(Duration::from_secs(2), ping).await {
        Ok(Ok(_)) => Ok((
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": "ok" })),
        )),
        _ => Err(ApiError::DatabaseUnavailable),
    }
}

pub async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::NotFound(
        "route_not_found",
        format!(
            "there is no route {method} {}; the API lives under /v1",
            uri.path()
        ),
    )
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!(
        "{method} is not allowed on {}; see the API overview in the README",
        uri.path()
    ))
}
