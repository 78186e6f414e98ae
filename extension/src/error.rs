//! Errors as the extension's pages see them: `{"error": {"code": "snake_case", "message": "…"}}`,
//! the same shape as the sync server's errors (DESIGN.md), with a message that says what went wrong
//! and what to do about it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// The variable parts of `message`, in order, for pages that show it in the user's language
    /// (`_locales/*/messages.json` key `error_<code>` with `$1`, `$2`…). Absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<String>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            code: code.to_string(),
            message: message.into(),
            params: Vec::new(),
        }
    }

    /// Attach the message's variable parts (see [`ApiError::params`]).
    pub fn with_params<I: IntoIterator<Item = S>, S: ToString>(mut self, params: I) -> Self {
        self.params = params.into_iter().map(|p| p.to_string()).collect();
        self
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_travel_only_when_there_are_some() {
        let plain = serde_json::to_value(ApiError::new("signed_out", "Sign in again.")).unwrap();
        assert_eq!(
            plain,
            serde_json::json!({"code": "signed_out", "message": "Sign in again."})
        );
        let e = ApiError::new("pending_changes", "2 change(s) and 1 activity record(s) …")
            .with_params([2, 1]);
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["params"], serde_json::json!(["2", "1"]));
        assert_eq!(serde_json::from_value::<ApiError>(v).unwrap(), e);
    }
}
