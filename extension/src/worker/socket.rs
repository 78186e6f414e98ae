//! The live connection: a WebSocket to `/v1/ws`, authenticated by its first message (a browser
//! cannot set headers on a WebSocket). Every `poke` newer than our cursor starts a sync, so an
//! edit on another device shows here within about a second. An application-level ping every
//! 20 s keeps the connection — and with it Chrome's service worker (Chrome 116+) — alive. A lost
//! connection is re-opened with backoff while signed in.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, WebSocket};

use leadsync_types::ws::{ClientMessage, ServerMessage};

use crate::status::backoff_ms;
use crate::worker::{engine, js, Worker};

const PING_MS: u64 = 20_000;

struct Live {
    ws: WebSocket,
    generation: u64,
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

thread_local! {
    static LIVE: RefCell<Option<Live>> = const { RefCell::new(None) };
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static ATTEMPT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn current(generation: u64) -> bool {
    LIVE.with(|l| {
        l.borrow()
            .as_ref()
            .is_some_and(|l| l.generation == generation)
    })
}

fn ws_url(server: &str) -> String {
    let rest = server
        .strip_prefix("https://")
        .map(|r| format!("wss://{r}"))
        .or_else(|| server.strip_prefix("http://").map(|r| format!("ws://{r}")));
    format!("{}/v1/ws", rest.unwrap_or_else(|| server.to_string()))
}

fn send(ws: &WebSocket, msg: &ClientMessage) {
    if let Ok(text) = serde_json::to_string(msg) {
        let _ = ws.send_with_str(&text);
    }
}

/// Open the live connection unless it is open (or opening) already, or nobody is signed in.
pub fn connect(w: Rc<Worker>) {
    if LIVE.with(|l| l.borrow().is_some()) {
        return;
    }
    let (server, token) = {
        let st = w.state.borrow();
        match (&st.session, st.session_expired) {
            (Some(s), false) => (s.server_url.clone(), s.access_token.clone()),
            _ => return,
        }
    };
    let Ok(ws) = WebSocket::new(&ws_url(&server)) else {
        return;
    };
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });

    let on_open = {
        let ws = ws.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| {
            send(
                &ws,
                &ClientMessage::Auth {
                    token: token.clone(),
                },
            );
            ping_later(ws.clone(), generation);
        })
    };
    let on_message = {
        let w = w.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
            let Some(text) = ev
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
            else {
                return;
            };
            match serde_json::from_str::<ServerMessage>(&text) {
                Ok(ServerMessage::Ready { version, .. }) => {
                    ATTEMPT.with(|a| a.set(0));
                    w.state.borrow_mut().live = true;
                    poked(&w, version);
                }
                Ok(ServerMessage::Poke { version }) => poked(&w, version),
                Ok(ServerMessage::Pong) => {}
                Ok(ServerMessage::Error { code, message }) => {
                    web_sys::console::warn_1(&JsValue::from_str(&format!(
                        "leadsync live connection: {message} ({code})"
                    )));
                }
                Err(_) => {}
            }
        })
    };
    let on_close = {
        let w = w.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| {
            if !current(generation) {
                return;
            }
            LIVE.with(|l| l.borrow_mut().take());
            w.state.borrow_mut().live = false;
            // The token may simply have expired: a sync refreshes it, then we reconnect.
            let attempt = ATTEMPT.with(|a| {
                a.set(a.get().saturating_add(1));
                a.get()
            });
            let w = w.clone();
            js::after(backoff_ms(attempt, js::random(), None), move || {
                // Sync first: if the access token expired, the sync refreshes it, and the new
                // connection authenticates with the fresh one.
                wasm_bindgen_futures::spawn_local(async move {
                    engine::sync_now(w.clone()).await;
                    connect(w);
                });
            });
        })
    };
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    LIVE.with(|l| {
        *l.borrow_mut() = Some(Live {
            ws,
            generation,
            _handlers: vec![on_open, on_message, on_close],
        })
    });
}

fn poked(w: &Rc<Worker>, version: u64) {
    if version > w.state.borrow().cursor.version {
        engine::request_sync(w.clone());
    }
}

fn ping_later(ws: WebSocket, generation: u64) {
    js::after(PING_MS, move || {
        if current(generation) && ws.ready_state() == WebSocket::OPEN {
            send(&ws, &ClientMessage::Ping);
            ping_later(ws, generation);
        }
    });
}

/// Close the live connection for good (sign-out).
pub fn disconnect(w: &Worker) {
    if let Some(live) = LIVE.with(|l| l.borrow_mut().take()) {
        // Handlers off before closing: their closures are dropped with `live`.
        live.ws.set_onopen(None);
        live.ws.set_onmessage(None);
        live.ws.set_onclose(None);
        let _ = live.ws.close();
    }
    w.state.borrow_mut().live = false;
}
