//! Talking to the sync server: JSON over `fetch`, with the server's `{error: {code, message}}`
//! turned into errors a person can act on, and "could not reach the server" kept apart from
//! "the server said no" (the first is retried, the second is shown).

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::error::ApiError;
use crate::worker::js;

/// How long one request may take, answer body included.
const REQUEST_TIMEOUT_MS: u64 = 30_000;

/// What a request to the server can end in, besides success.
#[derive(Debug, Clone)]
pub enum NetError {
    /// No answer: offline, DNS, refused connection, CORS, server down.
    Unreachable(String),
    /// An answer with an error status.
    Status {
        status: u16,
        code: String,
        message: String,
        retry_after_ms: Option<u64>,
        expected_mid: Option<u64>,
    },
}

impl NetError {
    pub fn status(&self) -> Option<u16> {
        match self {
            NetError::Status { status, .. } => Some(*status),
            NetError::Unreachable(_) => None,
        }
    }

    pub fn to_api_error(&self, server: &str) -> ApiError {
        match self {
            NetError::Unreachable(why) => ApiError::new(
                "offline",
                format!("Cannot reach the leadsync server at {server} ({why}). Your work is kept on this device and syncs when the server is back."),
            )
            .with_params([server, why.as_str()]),
            NetError::Status { code, message, .. } => ApiError::new(code, message.clone()),
        }
    }
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    error: ErrorInner,
}
#[derive(serde::Deserialize)]
struct ErrorInner {
    code: String,
    message: String,
    #[serde(default)]
    expected_mid: Option<u64>,
}

/// `method` `base + path` with an optional bearer token and JSON body; the JSON answer parsed as `T`.
pub async fn call<T: DeserializeOwned>(
    method: &str,
    base: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&impl Serialize>,
) -> Result<T, NetError> {
    let text = call_text(
        method,
        base,
        path,
        token,
        body.map(serde_json::to_string)
            .transpose()
            .map_err(|e| NetError::Unreachable(e.to_string()))?,
    )
    .await?;
    serde_json::from_str(&text).map_err(|e| NetError::Status {
        status: 200,
        code: "bad_server_response".into(),
        message: format!("The server at {base} answered {path} with something that is not a leadsync response ({e}). Is this the right server address?"),
        retry_after_ms: None,
        expected_mid: None,
    })
}

pub async fn call_text(
    method: &str,
    base: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<String, NetError> {
    let init = web_sys::RequestInit::new();
    // A server that accepts the connection but never answers must not hold the sync (and the
    // popup's "Syncing…") forever: every request is aborted after REQUEST_TIMEOUT_MS.
    let abort =
        web_sys::AbortController::new().map_err(|e| NetError::Unreachable(js::describe(&e)))?;
    init.set_signal(Some(&abort.signal()));
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    {
        let (abort, timed_out) = (abort.clone(), timed_out.clone());
        js::after(REQUEST_TIMEOUT_MS, move || {
            timed_out.set(true);
            abort.abort();
        });
    }
    let failed = |e: wasm_bindgen::JsValue| {
        if timed_out.get() {
            NetError::Unreachable(format!("no answer within {} s", REQUEST_TIMEOUT_MS / 1000))
        } else {
            NetError::Unreachable(js::describe(&e))
        }
    };
    init.set_method(method);
    if let Some(b) = &body {
        init.set_body(&wasm_bindgen::JsValue::from_str(b));
    }
    let url = format!("{base}{path}");
    let req = web_sys::Request::new_with_str_and_init(&url, &init)
        .map_err(|e| NetError::Unreachable(js::describe(&e)))?;
    let headers = req.headers();
    let _ = headers.set("Accept", "application/json");
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    if let Some(t) = token {
        let _ = headers.set("Authorization", &format!("Bearer {t}"));
    }
    let resp = JsFuture::from(js::fetch_with_request(&req))
        .await
        .map_err(failed)?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|e| NetError::Unreachable(js::describe(&e)))?;
    let status = resp.status();
    let retry_after_ms = resp
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| s * 1000);
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if timed_out.get() {
        return Err(NetError::Unreachable(format!(
            "no answer within {} s",
            REQUEST_TIMEOUT_MS / 1000
        )));
    }
    if (200..300).contains(&status) {
        return Ok(text);
    }
    let (code, message, expected_mid) = match serde_json::from_str::<ErrorBody>(&text) {
        Ok(b) => (b.error.code, b.error.message, b.error.expected_mid),
        Err(_) => (
            format!("http_{status}"),
            format!("The server at {base} answered {method} {path} with HTTP {status}. Check the server address, or try again later."),
            None,
        ),
    };
    Err(NetError::Status {
        status,
        code,
        message,
        retry_after_ms,
        expected_mid,
    })
}
