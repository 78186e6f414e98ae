//! What each request does. Pure Rust (no JavaScript types), so it is tested natively.

use leadsync_types::extract::{extract, extract_selection};

use crate::api::{Request, Response};
use crate::error::ApiError;

/// Carry out one request. Never panics on bad input: every failure is a [`Response::Error`].
pub async fn handle(request: Request) -> Response {
    match request {
        Request::ExtractPage { snapshot } => Response::Candidates(extract(&snapshot)),
        Request::ExtractSelection { text, url, lang } => Response::Candidates(extract_selection(&text, &url, lang.as_deref())),
        Request::SaveLead { .. } => ApiError::not_implemented(
            "Saving leads is not available in this version yet: it arrives with the offline store and sync. \
             Use Copy, Call or Email for now.",
        )
        .into(),
    }
}
