//! The popup and options pages, in Yew (wasm32 only). They hold no state of their own beyond the
//! form being typed: everything goes through the background worker's message API ([`bridge`]), so
//! the popup can close at any moment and nothing is lost.

mod bridge;
mod detail;
mod forms;
mod leads;
mod options;
mod page;
mod popup;
mod status_bar;

use wasm_bindgen::prelude::*;

fn mount<C: yew::BaseComponent<Properties = ()>>() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(el) => {
            // Drop the "loading" placeholder (no innerHTML: Firefox's linter rightly flags it).
            while let Some(child) = el.first_child() {
                let _ = el.remove_child(&child);
            }
            yew::Renderer::<C>::with_root(el).render();
        }
        None => web_sys::console::error_1(&JsValue::from_str(
            "leadsync: no #app element to render into",
        )),
    }
}

/// Render the toolbar popup into `#app` (called by `popup.js`).
#[wasm_bindgen]
pub fn start_popup() {
    mount::<popup::Popup>();
}

/// Render the options page into `#app` (called by `options.js`).
#[wasm_bindgen]
pub fn start_options() {
    mount::<options::Options>();
}
