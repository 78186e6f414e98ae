//! The popup's and options page's line to the background worker: typed requests through
//! `chrome.runtime.sendMessage` (the same message API the content shim uses), and the few tab
//! calls the popup needs. Firefox provides the same `chrome.*` namespace with promises.

use js_sys::{Promise, JSON};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::api::{Request, Response};
use crate::error::ApiError;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = sendMessage, catch)]
    fn runtime_send(msg: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = openOptionsPage, catch)]
    fn open_options() -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = query, catch)]
    fn tabs_query(q: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = sendMessage, catch)]
    fn tabs_send(tab: f64, msg: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "i18n"], js_name = getMessage)]
    fn get_message(key: &str, subs: &JsValue) -> String;
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, ApiError> {
    let text = serde_json::to_string(v).map_err(|e| ApiError::internal(e.to_string()))?;
    JSON::parse(&text).map_err(|e| ApiError::internal(describe(&e)))
}

fn from_js<T: DeserializeOwned>(v: &JsValue) -> Result<T, ApiError> {
    let text: String = JSON::stringify(v)
        .map_err(|e| ApiError::internal(describe(&e)))?
        .into();
    serde_json::from_str(&text).map_err(|e| {
        ApiError::internal(format!("unexpected answer from the background worker: {e}"))
    })
}

/// Send a request to the background worker; its `{error}` answers come back as `Err`.
pub async fn ask(request: &Request) -> Result<Response, ApiError> {
    let unreachable = |e: &JsValue| {
        ApiError::new("unreachable", format!("The leadsync background worker did not answer ({}). Reload the extension and try again.", describe(e)))
    };
    let promise = runtime_send(&to_js(request)?).map_err(|e| unreachable(&e))?;
    let answer = JsFuture::from(promise).await.map_err(|e| unreachable(&e))?;
    match from_js::<Response>(&answer)? {
        Response::Error(e) => Err(ApiError {
            message: localized(&e.code, &e.message, &e.params),
            ..e
        }),
        other => Ok(other),
    }
}

/// An error message in the user's language: `_locales` key `error_<code>` filled with the error's
/// params, when the locale has one; else the worker's (English) message as it is.
pub fn localized(code: &str, message: &str, params: &[String]) -> String {
    let key = format!("error_{code}");
    let subs: Vec<&str> = params.iter().map(String::as_str).collect();
    let text = t(&key, &subs);
    if text == key {
        message.to_string()
    } else {
        text
    }
}

/// A localised string (`_locales/*/messages.json`), with `$1`… substitutions.
pub fn t(key: &str, subs: &[&str]) -> String {
    let arr = js_sys::Array::new();
    for s in subs {
        arr.push(&JsValue::from_str(s));
    }
    let text = get_message(key, &arr);
    if text.is_empty() {
        key.to_string()
    } else {
        text
    }
}

pub fn options_page() {
    if let Ok(p) = open_options() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(p).await;
        });
    }
}

/// The contacts the content shim found in the active tab, with that page's url and title.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct PageContacts {
    pub candidates: Vec<leadsync_types::extract::LeadCandidate>,
    pub page: crate::capture::CapturePage,
}

pub async fn active_tab_contacts() -> Result<PageContacts, String> {
    let q = to_js(&serde_json::json!({"active": true, "currentWindow": true}))
        .map_err(|e| e.message)?;
    let tabs = JsFuture::from(tabs_query(&q).map_err(|e| describe(&e))?)
        .await
        .map_err(|e| describe(&e))?;
    let tab = js_sys::Array::from(&tabs).get(0);
    let id = js_sys::Reflect::get(&tab, &JsValue::from_str("id"))
        .ok()
        .and_then(|v| v.as_f64())
        .ok_or_else(|| t("pageNoTab", &[]))?;
    let msg = to_js(&serde_json::json!({"type": "GetCandidates"})).map_err(|e| e.message)?;
    let answer = JsFuture::from(tabs_send(id, &msg).map_err(|e| describe(&e))?)
        .await
        .map_err(|_| t("pageNotScannable", &[]))?;
    from_js(&answer).map_err(|e| e.message)
}

/// Offer `body` as a file download named `filename`.
pub fn download(filename: &str, mime: &str, body: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|e| describe(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| describe(&e))?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| describe(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    // Revoked a little later: revoking at once can cancel the download before it starts.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
