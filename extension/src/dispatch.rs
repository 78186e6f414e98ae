//! The requests that need no storage or network (extraction), carried out in pure Rust so they are
//! tested natively. The rest go to the background worker's state (`worker`, wasm32 only).

use leadsync_types::extract::{extract, extract_selection};

use crate::api::{Request, Response};
#[cfg(not(target_arch = "wasm32"))]
use crate::error::ApiError;

/// Carry out a stateless request, or hand the request back when it needs the worker's store.
pub fn handle_pure(request: Request) -> Result<Response, Box<Request>> {
    match request {
        Request::ExtractPage { snapshot } => Ok(Response::Candidates(extract(&snapshot))),
        Request::ExtractSelection { text, url, lang } => Ok(Response::Candidates(
            extract_selection(&text, &url, lang.as_deref()),
        )),
        other => Err(Box::new(other)),
    }
}

/// Carry out one request. Never panics on bad input: every failure is a [`Response::Error`].
/// Natively (tests, tools) there is no offline store: those requests say so.
#[cfg(not(target_arch = "wasm32"))]
pub async fn handle(request: Request) -> Response {
    handle_pure(request).unwrap_or_else(|r| {
        ApiError::new(
            "unavailable",
            format!(
                "{} needs the extension's offline store, which only exists in the browser",
                r.kind()
            ),
        )
        .into()
    })
}

#[cfg(target_arch = "wasm32")]
pub async fn handle(request: Request) -> Response {
    match handle_pure(request) {
        Ok(r) => r,
        Err(r) => crate::worker::handle(*r)
            .await
            .unwrap_or_else(Response::Error),
    }
}
