//! The one error type of the HTTP API. Every failure becomes `{"error": {"code", "message"}}` with a
//! status that tells the client whether to fix its request (4xx) or retry later (503).

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{1}")]
    BadRequest(&'static str, String),
    #[error("{1}")]
    Unauthorized(&'static str, String),
    #[error("{1}")]
    Forbidden(&'static str, String),
    #[error("{1}")]
    NotFound(&'static str, String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{1}")]
    Conflict(&'static str, String, Option<serde_json::Value>),
    #[error("{1}")]
    Gone(&'static str, String),
    #[error("{1}")]
    PayloadTooLarge(&'static str, String),
    #[error("{1}")]
    UnsupportedMediaType(&'static str, String),
    #[error("{1}")]
    Unprocessable(&'static str, String),
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("the database is unavailable; retry shortly")]
    DatabaseUnavailable,
    #[error("conflicting concurrent write; retry the request")]
    Contention,
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn validation(message: impl Into<String>) -> Self {
        ApiError::BadRequest("validation_failed", message.into())
    }

    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(c, _) => (StatusCode::BAD_REQUEST, c),
            ApiError::Unauthorized(c, _) => (StatusCode::UNAUTHORIZED, c),
            ApiError::Forbidden(c, _) => (StatusCode::FORBIDDEN, c),
            ApiError::NotFound(c, _) => (StatusCode::NOT_FOUND, c),
            ApiError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Conflict(c, _, _) => (StatusCode::CONFLICT, c),
            ApiError::Gone(c, _) => (StatusCode::GONE, c),
            ApiError::PayloadTooLarge(c, _) => (StatusCode::PAYLOAD_TOO_LARGE, c),
            ApiError::UnsupportedMediaType(c, _) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, c),
            ApiError::Unprocessable(c, _) => (StatusCode::UNPROCESSABLE_ENTITY, c),
            ApiError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::DatabaseUnavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "database_unavailable")
            }
            ApiError::Contention => (StatusCode::SERVICE_UNAVAILABLE, "write_conflict"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let message = match &self {
            ApiError::Internal(detail) => {
                // The detail goes to the log (with the request id), not to the client.
                tracing::error!(error = %detail, "internal error");
                "something went wrong on the server; it has been logged — retry, and report the x-request-id header if it persists".to_string()
            }
            other => other.to_string(),
        };
        let mut error = json!({ "code": code, "message": message });
        if let ApiError::Conflict(_, _, Some(extra)) = &self {
            if let (Some(obj), Some(extra)) = (error.as_object_mut(), extra.as_object()) {
                obj.extend(extra.clone());
            }
        }
        let mut resp = (status, axum::Json(json!({ "error": error }))).into_response();
        let retry = match &self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::DatabaseUnavailable | ApiError::Contention => Some(1),
            _ => None,
        };
        if let Some(secs) = retry {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        resp
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
                tracing::warn!(error = %e, "database unavailable");
                ApiError::DatabaseUnavailable
            }
            sqlx::Error::Database(db) => match (db.code().as_deref(), db.constraint()) {
                (_, Some("users_email_key")) => ApiError::Conflict(
                    "email_taken",
                    "an account with this email already exists: sign in instead, or use another email".into(),
                    None,
                ),
                // Deadlock or serialization failure: nothing was written; the client may retry.
                (Some("40P01") | Some("40001"), _) => ApiError::Contention,
                // Connection-level failures reported by the server (admin shutdown, too many clients).
                (Some(code), _) if code.starts_with("08") || code.starts_with("57P") || code == "53300" => {
                    ApiError::DatabaseUnavailable
                }
                _ => ApiError::Internal(e.to_string()),
            },
            _ => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => ApiError::Unprocessable(
                "invalid_body",
                format!("the JSON body has the wrong shape: {}", e.body_text()),
            ),
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::BadRequest("malformed_json", format!("the body is not valid JSON: {}", e.body_text()))
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType(
                "json_required",
                "send the body as JSON with the header `Content-Type: application/json`".into(),
            ),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(
                "body_too_large",
                "the request body is too large: split it into smaller requests (see LEADSYNC_MAX_BODY_BYTES)".into(),
            ),
            other => ApiError::BadRequest("bad_body", other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(
            "invalid_query",
            format!("bad query string: {}", r.body_text()),
        )
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest(
            "invalid_path",
            format!("bad path parameter: {} (ids are UUIDs)", r.body_text()),
        )
    }
}

/// `axum::Json`, `Query` and `Path` whose rejections are [`ApiError`]s.
pub mod extract {
    use super::ApiError;
    use axum::extract::{FromRequest, FromRequestParts};

    #[derive(FromRequest)]
    #[from_request(via(axum::Json), rejection(ApiError))]
    pub struct Json<T>(pub T);

    impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
        fn into_response(self) -> axum::response::Response {
            axum::Json(self.0).into_response()
        }
    }

    #[derive(FromRequestParts)]
    #[from_request(via(axum::extract::Query), rejection(ApiError))]
    pub struct Query<T>(pub T);

    #[derive(FromRequestParts)]
    #[from_request(via(axum::extract::Path), rejection(ApiError))]
    pub struct Path<T>(pub T);
}

pub type ApiResult<T> = Result<T, ApiError>;
