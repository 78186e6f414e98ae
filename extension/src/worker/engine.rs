//! The sync engine (DESIGN.md "Sync protocol"): push the outbox in batches, send queued activity,
//! pull until `has_more` is false, observe every `server_hlc`; one pass at a time, another right
//! after when more was asked for meanwhile; back off with jitter after errors.
//!
//! Triggers: every change (a capture, an edit), a WebSocket poke, the `chrome.alarms` tick, the
//! worker waking up, the Retry button (`SyncNow`), signing in.

use std::rc::Rc;

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use leadsync_types::sync::{Cursor, PullResponse, PushRequest, PushResponse};

use crate::error::ApiError;
use std::collections::HashSet;

use uuid::Uuid;

use leadsync_types::sync::Mutation;

use crate::local::{Delta, LocalLead};
use crate::status::{backoff_ms, SyncProblem, TokenResponse};
use crate::worker::net::{self, NetError};
use crate::worker::store::{key, Store, Write, EVENTS, LEADS};
use crate::worker::{js, Worker};

const PUSH_BATCH: u32 = 500;
const EVENT_BATCH: u32 = 500;
const PULL_LIMIT: u32 = 500;

enum Failure {
    Net(NetError),
    Local(ApiError),
}

impl From<NetError> for Failure {
    fn from(e: NetError) -> Self {
        Failure::Net(e)
    }
}
impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Local(e)
    }
}

/// Ask for a sync without waiting for it.
pub fn request_sync(w: Rc<Worker>) {
    wasm_bindgen_futures::spawn_local(run(w));
}

/// The periodic tick: sync unless a retry after an error is planned for later (the backoff, and a
/// server's `Retry-After`, are honoured; the Retry button still syncs at once).
pub fn tick(w: Rc<Worker>) {
    let waiting = w
        .state
        .borrow()
        .last_error
        .as_ref()
        .and_then(|e| e.retry_at)
        .is_some_and(|at| at > js::now_ms());
    if !waiting {
        request_sync(w);
    }
}

/// Sync and wait until no pass is running (the Retry button, sign-in, sign-out).
pub async fn sync_now(w: Rc<Worker>) {
    {
        // An explicit retry starts at once, whatever backoff was planned.
        w.state.borrow_mut().attempt = 0;
    }
    run(w.clone()).await;
    while w.state.borrow().syncing {
        js::sleep(25).await;
    }
}

thread_local! {
    static AGAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

async fn run(w: Rc<Worker>) {
    {
        let mut st = w.state.borrow_mut();
        if st.session.is_none() || st.session_expired || st.closing {
            return;
        }
        if st.syncing {
            AGAIN.with(|a| a.set(true));
            return;
        }
        st.syncing = true;
    }
    loop {
        AGAIN.with(|a| a.set(false));
        let result = pass(&w).await;
        settle(&w, result).await;
        let st = w.state.borrow();
        if !AGAIN.with(|a| a.get()) || st.last_error.is_some() || st.closing || st.session.is_none()
        {
            break;
        }
    }
    w.state.borrow_mut().syncing = false;
}

/// Record how the pass went and plan the retry after a failure.
async fn settle(w: &Rc<Worker>, result: Result<(), Failure>) {
    let server = w
        .state
        .borrow()
        .session
        .as_ref()
        .map(|s| s.server_url.clone())
        .unwrap_or_default();
    let now = js::now_ms();
    let (problem, retry_after, online) = match result {
        Ok(()) => {
            {
                let mut st = w.state.borrow_mut();
                st.online = true;
                st.last_error = None;
                st.attempt = 0;
                st.last_sync_at = Some(now);
            }
            if let Ok(m) = Store::meta_value(key::LAST_SYNC_AT, &now) {
                let _ = w
                    .store
                    .write(Write {
                        meta: vec![m],
                        ..Default::default()
                    })
                    .await;
            }
            return;
        }
        Err(Failure::Local(e)) => (e, None, true),
        Err(Failure::Net(e)) => {
            let retry_after = match &e {
                NetError::Status { retry_after_ms, .. } => *retry_after_ms,
                _ => None,
            };
            if e.status() == Some(401) {
                w.state.borrow_mut().session_expired = true;
                let p = ApiError::new("signed_out", "Your session has ended. Sign in again to keep syncing; nothing on this device is lost.");
                let mut st = w.state.borrow_mut();
                st.last_error = Some(SyncProblem {
                    code: p.code,
                    message: p.message,
                    params: p.params,
                    retry_at: None,
                });
                return;
            }
            let online = !matches!(e, NetError::Unreachable(_));
            (e.to_api_error(&server), retry_after, online)
        }
    };
    let mut st = w.state.borrow_mut();
    st.online = online;
    st.attempt = st.attempt.saturating_add(1);
    let delay = backoff_ms(st.attempt, js::random(), retry_after);
    st.last_error = Some(SyncProblem {
        code: problem.code,
        message: problem.message,
        params: problem.params,
        retry_at: Some(now + delay),
    });
    if !st.retry_planned {
        st.retry_planned = true;
        let w = w.clone();
        js::after(delay, move || {
            w.state.borrow_mut().retry_planned = false;
            request_sync(w);
        });
    }
}

async fn pass(w: &Rc<Worker>) -> Result<(), Failure> {
    push(w).await?;
    send_events(w).await?;
    pull(w).await
}

/// A request with the session's access token; on 401, refresh the tokens once and retry.
/// Only the sync pass (one at a time) makes these calls, so refreshes never race each other —
/// which matters: presenting a spent refresh token revokes the whole session.
async fn authed<T: DeserializeOwned>(
    w: &Rc<Worker>,
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, NetError> {
    for first in [true, false] {
        let (base, token) = session_parts(w)?;
        match net::call_text(method, &base, path, Some(&token), body.clone()).await {
            Err(e) if first && e.status() == Some(401) => refresh(w).await?,
            Err(e) => return Err(e),
            Ok(text) => {
                return serde_json::from_str(&text).map_err(|e| NetError::Status {
                    status: 200,
                    code: "bad_server_response".into(),
                    message: format!("The server at {base} answered {path} with something that is not a leadsync response ({e})."),
                    retry_after_ms: None,
                    expected_mid: None,
                })
            }
        }
    }
    Err(NetError::Status {
        status: 401,
        code: "signed_out".into(),
        message: "signed out".into(),
        retry_after_ms: None,
        expected_mid: None,
    })
}

fn session_parts(w: &Worker) -> Result<(String, String), NetError> {
    let st = w.state.borrow();
    st.session
        .as_ref()
        .map(|s| (s.server_url.clone(), s.access_token.clone()))
        .ok_or(NetError::Status {
            status: 401,
            code: "signed_out".into(),
            message: "signed out".into(),
            retry_after_ms: None,
            expected_mid: None,
        })
}

async fn refresh(w: &Rc<Worker>) -> Result<(), NetError> {
    let Some(mut session) = w.state.borrow().session.clone() else {
        return Err(NetError::Status {
            status: 401,
            code: "signed_out".into(),
            message: "signed out".into(),
            retry_after_ms: None,
            expected_mid: None,
        });
    };
    let body = serde_json::json!({"refresh_token": session.refresh_token});
    let tokens: TokenResponse = net::call(
        "POST",
        &session.server_url,
        "/v1/auth/refresh",
        None,
        Some(&body),
    )
    .await?;
    session.access_token = tokens.access_token;
    session.refresh_token = tokens.refresh_token;
    session.user = tokens.user;
    // Stored before use: a worker stopped right now must not wake up holding the spent token.
    let meta =
        Store::meta_value(key::SESSION, &session).map_err(|e| NetError::Unreachable(e.message))?;
    w.store
        .write(Write {
            meta: vec![meta],
            ..Default::default()
        })
        .await
        .map_err(|e| NetError::Unreachable(e.message))?;
    w.state.borrow_mut().session = Some(session);
    Ok(())
}

async fn push(w: &Rc<Worker>) -> Result<(), Failure> {
    // Halved on 413 (a batch of long notes can pass the server's body limit), down to one.
    let mut size = PUSH_BATCH;
    loop {
        let batch = w.store.outbox(size).await?;
        let Some(first) = batch.first().map(|m| m.mid) else {
            return Ok(());
        };
        let client_id = w.state.borrow().client_id;
        let body = serde_json::to_string(&PushRequest {
            client_id,
            mutations: batch.clone(),
        })
        .map_err(|e| ApiError::internal(e.to_string()))?;
        match authed::<PushResponse>(w, "POST", "/v1/sync/push", Some(body)).await {
            Ok(r) => {
                w.state.borrow_mut().clock.observe_trusted(r.server_hlc);
                let acked: Vec<u64> = batch
                    .iter()
                    .map(|m| m.mid)
                    .filter(|mid| *mid <= r.last_mutation_id)
                    .collect();
                if acked.is_empty() {
                    return Err(ApiError::internal(format!(
                        "the server acknowledged mutation {} but {first} was sent",
                        r.last_mutation_id
                    ))
                    .into());
                }
                w.store
                    .delete(
                        crate::worker::store::OUTBOX,
                        acked.iter().map(|m| JsValue::from_f64(*m as f64)).collect(),
                    )
                    .await?;
                let mut st = w.state.borrow_mut();
                st.pending = st.pending.saturating_sub(acked.len() as u64);
                st.unsynced.retain(|_, mid| *mid > r.last_mutation_id);
            }
            Err(NetError::Status {
                status: 409,
                code,
                expected_mid: Some(expected),
                ..
            }) if code == "mutation_gap" && expected < first => {
                renumber(w, expected).await?;
            }
            Err(NetError::Status { status: 413, .. }) if size > 1 => size = (size / 2).max(1),
            Err(e) => return Err(e.into()),
        }
    }
}

/// The server expects mutation `expected` but the outbox starts later: it has lost this client's
/// history (restored from a backup, say). The waiting mutations were never applied, so giving
/// them the numbers the server expects is safe — and loses nothing.
async fn renumber(w: &Rc<Worker>, expected: u64) -> Result<(), ApiError> {
    let _guard = w.writer.lock().await;
    let old = w.store.outbox(u32::MAX).await?;
    let renumbered: Vec<_> = old
        .iter()
        .enumerate()
        .map(|(i, m)| leadsync_types::sync::Mutation {
            mid: expected + i as u64,
            ..m.clone()
        })
        .collect();
    let next_mid = expected + old.len() as u64;
    w.store
        .write(Write {
            mutations: renumbered.iter().collect(),
            drop_mids: old.iter().map(|m| m.mid).collect(),
            meta: vec![Store::meta_value(key::NEXT_MID, &next_mid)?],
            ..Default::default()
        })
        .await?;
    let mut st = w.state.borrow_mut();
    st.next_mid = next_mid;
    st.unsynced = renumbered.iter().map(|m| (m.lead_id, m.mid)).collect();
    Ok(())
}

async fn send_events(w: &Rc<Worker>) -> Result<(), Failure> {
    // After a refused batch, events go one at a time, so only the bad one is dropped.
    let mut size = EVENT_BATCH;
    loop {
        let batch = w.store.events(size).await?;
        if batch.is_empty() {
            return Ok(());
        }
        let events: Vec<&serde_json::Value> = batch.iter().map(|(_, e)| e).collect();
        let body = serde_json::json!({ "events": events }).to_string();
        let ids: Vec<JsValue> = batch.iter().map(|(id, _)| JsValue::from_str(id)).collect();
        match authed::<serde_json::Value>(w, "POST", "/v1/events", Some(body)).await {
            Ok(_) => {}
            Err(NetError::Status {
                status: 400 | 422, ..
            }) if size > 1 => {
                size = 1;
                continue;
            }
            // An event the server will never take must not block the queue: activity is
            // analytics, not a lead, so that one event is dropped with a console note.
            Err(NetError::Status {
                status,
                code,
                message,
                ..
            }) if status == 400 || status == 422 => {
                web_sys_log(&format!(
                    "leadsync: activity refused by the server and dropped: {message} ({code})"
                ));
            }
            Err(NetError::Status { status: 403, .. }) => {
                // Viewers may not record activity: nothing to send for this account.
            }
            Err(e) => return Err(e.into()),
        }
        let n = ids.len() as u64;
        w.store.delete(EVENTS, ids).await?;
        let mut st = w.state.borrow_mut();
        st.pending_events = st.pending_events.saturating_sub(n);
    }
}

fn web_sys_log(msg: &str) {
    web_sys::console::warn_1(&JsValue::from_str(msg));
}

async fn pull(w: &Rc<Worker>) -> Result<(), Failure> {
    // Set when the server refused our cursor (410) and this pull starts over: the reason, and
    // every lead the full pull has brought so far.
    let mut resync: Option<(String, HashSet<Uuid>)> = None;
    loop {
        let (cursor, client_id) = {
            let st = w.state.borrow();
            (st.cursor, st.client_id)
        };
        let path =
            format!("/v1/sync/pull?cursor={cursor}&limit={PULL_LIMIT}&client_id={client_id}");
        match authed::<PullResponse>(w, "GET", &path, None).await {
            Ok(r) => {
                let more = r.has_more;
                let ids = apply_pull(w, r).await?;
                if let Some((_, seen)) = resync.as_mut() {
                    seen.extend(ids);
                }
                if !more {
                    if let Some((reason, seen)) = resync {
                        reconcile(w, &reason, &seen).await?;
                    }
                    return Ok(());
                }
            }
            Err(NetError::Status {
                status: 410, code, ..
            }) if resync.is_none() => {
                w.state.borrow_mut().cursor = Cursor::START;
                resync = Some((code, HashSet::new()));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// After a full resync, the leads this device holds that the server did not send (and that have
/// no change waiting here):
/// - `cursor_ahead` — the server has less than we saw (restored from a backup, or another
///   database at the same address): it lost them, so they are uploaded again, whole. Nothing the
///   user captured is lost.
/// - otherwise (`cursor_expired`: this device was away longer than tombstones are kept) — they
///   were deleted and their tombstones purged meanwhile, so they are dropped here too.
async fn reconcile(w: &Rc<Worker>, reason: &str, seen: &HashSet<Uuid>) -> Result<(), ApiError> {
    let _guard = w.writer.lock().await;
    let missing: Vec<LocalLead> = {
        let st = w.state.borrow();
        st.leads
            .values()
            .filter(|c| {
                !seen.contains(&c.local.lead.id) && !st.unsynced.contains_key(&c.local.lead.id)
            })
            .map(|c| c.local.clone())
            .collect()
    };
    if missing.is_empty() {
        return Ok(());
    }
    if reason == "cursor_ahead" {
        let live: Vec<&LocalLead> = missing.iter().filter(|l| !l.lead.is_deleted()).collect();
        let first = w.state.borrow().next_mid;
        let mutations: Vec<Mutation> = live
            .iter()
            .enumerate()
            .map(|(i, l)| {
                Delta(l.lead.registers.clone()).into_mutation(first + i as u64, l.lead.id)
            })
            .collect();
        let next_mid = first + mutations.len() as u64;
        w.store
            .write(Write {
                mutations: mutations.iter().collect(),
                meta: vec![Store::meta_value(key::NEXT_MID, &next_mid)?],
                ..Default::default()
            })
            .await?;
        let mut st = w.state.borrow_mut();
        st.next_mid = next_mid;
        st.pending += mutations.len() as u64;
        for m in &mutations {
            st.unsynced.insert(m.lead_id, m.mid);
        }
        drop(st);
        // Uploaded on the next pass.
        AGAIN.with(|a| a.set(true));
    } else {
        let keys = missing
            .iter()
            .map(|l| JsValue::from_str(&l.lead.id.to_string()))
            .collect();
        w.store.delete(LEADS, keys).await?;
        let mut st = w.state.borrow_mut();
        for l in &missing {
            st.forget(l.lead.id);
        }
    }
    Ok(())
}

/// Merge one pulled page into the store and memory; the ids it brought.
async fn apply_pull(w: &Rc<Worker>, r: PullResponse) -> Result<Vec<Uuid>, ApiError> {
    let _guard = w.writer.lock().await;
    let merged: Vec<LocalLead> = {
        let mut st = w.state.borrow_mut();
        st.clock.observe_trusted(r.server_hlc);
        let mut out = Vec::with_capacity(r.changes.len());
        for change in &r.changes {
            let mut local = st
                .leads
                .get(&change.lead.id)
                .map(|c| c.local.clone())
                .unwrap_or_else(|| LocalLead::new(change.lead.id));
            if local.lead.merge(&change.lead).is_err() {
                continue;
            }
            local.version = change.version;
            if let Some(h) = change.lead.registers.max_hlc() {
                st.clock.observe_trusted(h);
            }
            out.push(local);
        }
        out
    };
    let clock = w.state.borrow().clock.last();
    w.store
        .write(Write {
            leads: merged.iter().collect(),
            meta: vec![
                Store::meta_value(key::CURSOR, &r.cursor.to_string())?,
                Store::meta_value(key::CLOCK, &clock)?,
            ],
            ..Default::default()
        })
        .await?;
    let mut st = w.state.borrow_mut();
    st.cursor = r.cursor;
    let ids = r.changes.iter().map(|c| c.lead.id).collect();
    for l in merged {
        st.remember(l);
    }
    Ok(ids)
}
