//! The JavaScript entry point (wasm32 only). `background.js` calls [`handle_message`] with every
//! message it receives and passes the result to `sendResponse` unchanged.

use js_sys::JSON;
use wasm_bindgen::prelude::*;

use crate::api::Response;
use crate::error::ApiError;
use crate::json::{encode_response, handle_json};

/// Handle one message (`{type: …, …}`) and resolve to a response object: `{candidates}` or
/// `{error: {code, message}}`. Bad input resolves to an error object; the promise rejects only if
/// the response itself cannot be turned back into a JavaScript object (a bug).
#[wasm_bindgen]
pub async fn handle_message(msg: JsValue) -> Result<JsValue, JsValue> {
    let text = match JSON::stringify(&msg).ok().and_then(|s| s.as_string()) {
        Some(text) => text,
        None => {
            let e = ApiError::bad_request(
                "the message is not JSON-serialisable (undefined, a function, or a cycle)",
            );
            return JSON::parse(&encode_response(&Response::Error(e)));
        }
    };
    JSON::parse(&handle_json(&text).await)
}
