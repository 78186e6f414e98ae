//! Requests in and responses out as JSON text. The wasm binding moves JavaScript objects through
//! `JSON.stringify` / `JSON.parse`; this module does the typed half, so its errors are tested natively.

use crate::api::{Request, Response};
use crate::error::ApiError;

/// Largest request accepted, in bytes of JSON. A snapshot of a huge page is a few MB; anything far
/// bigger is a runaway page (or a bug in the shim) and would stall the worker.
pub const MAX_REQUEST_BYTES: usize = 32 * 1024 * 1024;

/// Parse a request, explaining what is wrong with a bad one.
pub fn parse_request(json: &str) -> Result<Request, ApiError> {
    if json.len() > MAX_REQUEST_BYTES {
        return Err(ApiError::new(
            "payload_too_large",
            format!(
                "the message is {} bytes; at most {MAX_REQUEST_BYTES} are accepted",
                json.len()
            ),
        ));
    }
    serde_json::from_str(json).map_err(|e| {
        ApiError::bad_request(format!(
            "not a leadsync request ({e}); send an object with \"type\" set to one of the requests in the extension's api.rs \
             (ExtractPage, SaveLead, ListLeads, GetStatus, …) and that type's fields"
        ))
    })
}

/// Encode a response. Serialising these types cannot fail (no maps with non-string keys, no
/// non-finite floats the core produces); if it ever does, say so instead of answering nothing.
pub fn encode_response(response: &Response) -> String {
    serde_json::to_string(response).unwrap_or_else(|e| {
        serde_json::to_string(&Response::Error(ApiError::internal(format!(
            "could not encode the response: {e}"
        ))))
        .unwrap_or_else(|_| {
            r#"{"error":{"code":"internal","message":"could not encode the response"}}"#.to_string()
        })
    })
}

/// Parse, handle and encode: the whole round trip on JSON text.
pub async fn handle_json(json: &str) -> String {
    let response = match parse_request(json) {
        Ok(request) => crate::dispatch::handle(request).await,
        Err(e) => e.into(),
    };
    encode_response(&response)
}
