//! The few browser facilities the worker needs, bound directly on the global object so they work
//! in Chrome's service worker and in Firefox's background page alike (no `window` assumed).

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    pub fn fetch_with_request(input: &web_sys::Request) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
}

/// Wall-clock milliseconds (`Date.now()`).
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A number in [0, 1) (`Math.random()`): jitter only, nothing secret.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// RFC 3339 timestamp of now, UTC (`Date.toISOString()`).
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Resolve after `ms` milliseconds.
pub async fn sleep(ms: u64) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms.min(i32::MAX as u64) as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// Run `f` after `ms` milliseconds, without waiting for it.
pub fn after(ms: u64, f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    set_timeout(cb.unchecked_ref(), ms.min(i32::MAX as u64) as i32);
}

/// The text of a JavaScript error value, for messages.
pub fn describe(err: &JsValue) -> String {
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    err.as_string().unwrap_or_else(|| format!("{err:?}"))
}
