//! Errors as the extension's pages see them: `{"error": {"code": "snake_case", "message": "…"}}`,
//! the same shape as the sync server's errors (DESIGN.md), with a message that says what went wrong
//! and what to do about it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// The message is not valid JSON or not a known request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new("bad_request", message)
    }

    /// A request this version of the extension accepts but cannot carry out yet.
    pub fn not_implemented(message: impl Into<String>) -> Self {
        ApiError::new("not_implemented", message)
    }

    /// A bug: something that should not fail did.
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new("internal", message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
