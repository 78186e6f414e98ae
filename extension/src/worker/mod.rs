//! The background worker's state (wasm32 only): the offline store, the in-memory index of leads,
//! the clock, the session, and what each stateful request does. The sync engine
//! ([`engine`]) and the live connection ([`socket`]) run beside the requests.
//!
//! One rule keeps it exact: every change of leads, the outbox or the counters happens under the
//! `writer` lock and is committed to IndexedDB in one transaction *before* the in-memory state and
//! the answer reflect it. The worker can be stopped between any two steps and resumes from the store.

mod engine;
mod js;
mod net;
mod ops;
mod socket;
mod store;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use futures::lock::Mutex;
use uuid::Uuid;

use leadsync_types::sync::Cursor;
use leadsync_types::{same_person, DedupKey, Hlc, HlcClock, TimeSource};

use crate::api::{Request, Response};
use crate::error::ApiError;
use crate::local::LocalLead;
use crate::status::{Session, SyncProblem, SyncStatus};

pub use store::Store;

/// `Date.now()` as the clock's time source.
#[derive(Clone, Copy, Debug)]
pub struct JsNow;
impl TimeSource for JsNow {
    fn now_millis(&self) -> u64 {
        js::now_ms()
    }
}

/// A lead in memory, with what searches read prepared.
pub type Cached = crate::local::Indexed;

pub struct State {
    pub client_id: Uuid,
    pub clock: HlcClock<JsNow>,
    pub next_mid: u64,
    pub cursor: Cursor,
    pub session: Option<Session>,
    /// The session's refresh token was refused: a person must sign in again (nothing is dropped).
    pub session_expired: bool,
    pub leads: HashMap<Uuid, Cached>,
    /// Dedup key (`email:…`, `phone:…`, `profile:…`) → the live leads that have it.
    pub by_key: HashMap<String, BTreeSet<Uuid>>,
    /// Leads with mutations in the outbox, each with its highest mid.
    pub unsynced: HashMap<Uuid, u64>,
    pub pending: u64,
    pub pending_events: u64,
    pub online: bool,
    pub syncing: bool,
    pub last_sync_at: Option<u64>,
    pub last_error: Option<SyncProblem>,
    pub live: bool,
    /// Failed sync attempts in a row (for the backoff), and whether a retry is already planned.
    pub attempt: u32,
    pub retry_planned: bool,
    /// A sign-out is under way: no sync pass may start.
    pub closing: bool,
}

impl State {
    pub fn tick(&mut self) -> Hlc {
        self.clock.tick()
    }

    /// Put a lead (as committed) into the in-memory index: every dedup key of a live lead points
    /// at it. Lead ids are UUIDv7 (creation order), so "the oldest lead with this key" is the
    /// first id of its set, whatever order this device learnt of them.
    pub fn remember(&mut self, local: LocalLead) {
        let id = local.lead.id;
        let old_keys = self
            .leads
            .get(&id)
            .map(|c| c.local.keys())
            .unwrap_or_default();
        let new_keys = if local.lead.is_deleted() {
            Vec::new()
        } else {
            local.keys()
        };
        self.leads.insert(id, Cached::new(local));
        self.reindex(id, &old_keys, new_keys);
    }

    /// Move lead `id` from `old_keys` to `new_keys` in the key index.
    fn reindex(&mut self, id: Uuid, old_keys: &[String], new_keys: Vec<String>) {
        for k in old_keys.iter().filter(|k| !new_keys.contains(k)) {
            if let Some(ids) = self.by_key.get_mut(k) {
                ids.remove(&id);
                if ids.is_empty() {
                    self.by_key.remove(k);
                }
            }
        }
        for k in new_keys {
            self.by_key.entry(k).or_default().insert(id);
        }
    }

    /// The oldest live lead that has `key`.
    pub fn holder(&self, key: &str) -> Option<Uuid> {
        self.by_key.get(key)?.first().copied()
    }

    /// The lead a capture with these keys already is: the oldest live lead that is the same
    /// person by the one rule ([`leadsync_types::same_person`]) — a shared switchboard number
    /// never makes two people with different e-mails one.
    pub fn same_person_as(&self, keys: &[DedupKey]) -> Option<Uuid> {
        let mut ids: BTreeSet<Uuid> = BTreeSet::new();
        for k in keys {
            if let Some(holders) = self.by_key.get(&k.to_string()) {
                ids.extend(holders);
            }
        }
        ids.into_iter().find(|id| {
            self.leads.get(id).is_some_and(|c| {
                !c.local.lead.is_deleted() && same_person(&c.local.dedup_keys(), keys)
            })
        })
    }

    /// Remove a lead from memory (after it left the store), with its dedup keys.
    pub fn forget(&mut self, id: Uuid) {
        if let Some(gone) = self.leads.remove(&id) {
            self.reindex(id, &gone.local.keys(), Vec::new());
        }
        self.unsynced.remove(&id);
    }

    pub fn status(&self) -> SyncStatus {
        SyncStatus {
            signed_in: self.session.is_some() && !self.session_expired,
            account: self.session.as_ref().map(|s| s.user.clone()),
            server_url: self.session.as_ref().map(|s| s.server_url.clone()),
            online: self.online,
            syncing: self.syncing,
            pending: self.pending,
            pending_events: self.pending_events,
            leads: self
                .leads
                .values()
                .filter(|c| !c.local.lead.is_deleted())
                .count() as u64,
            last_sync_at: self.last_sync_at,
            last_error: self.last_error.clone(),
            live: self.live,
        }
    }
}

pub struct Worker {
    pub store: Store,
    pub state: RefCell<State>,
    /// Serialises every change (captures, edits, pulled leads, outbox renumbering).
    pub writer: Mutex<()>,
}

thread_local! {
    static WORKER: RefCell<Option<Rc<Worker>>> = const { RefCell::new(None) };
    static OPENING: Rc<Mutex<()>> = Rc::new(Mutex::new(()));
}

/// The worker, opened from IndexedDB on first use (after every wake-up of the service worker).
pub async fn worker() -> Result<Rc<Worker>, ApiError> {
    if let Some(w) = WORKER.with(|w| w.borrow().clone()) {
        return Ok(w);
    }
    let opening = OPENING.with(Rc::clone);
    let _guard = opening.lock().await;
    if let Some(w) = WORKER.with(|w| w.borrow().clone()) {
        return Ok(w);
    }
    let w = Rc::new(open(store::DB_NAME).await?);
    WORKER.with(|slot| *slot.borrow_mut() = Some(w.clone()));
    // Just woken: pull what changed while asleep, push what waits, go live.
    engine::request_sync(w.clone());
    socket::connect(w.clone());
    Ok(w)
}

/// Open the worker's state from the database `db` (resuming whatever it holds).
pub async fn open(db: &str) -> Result<Worker, ApiError> {
    use store::key;
    let store = Store::open(db).await?;
    let client_id = match store.meta::<Uuid>(key::CLIENT_ID).await? {
        Some(id) => id,
        None => {
            let id = Uuid::now_v7();
            store
                .write(store::Write {
                    meta: vec![Store::meta_value(key::CLIENT_ID, &id)?],
                    ..Default::default()
                })
                .await?;
            id
        }
    };
    let clock = match store.meta::<Hlc>(key::CLOCK).await? {
        Some(last) => HlcClock::resume(client_id, last, JsNow),
        None => HlcClock::new(client_id, JsNow),
    };
    let next_mid = store.meta::<u64>(key::NEXT_MID).await?.unwrap_or(1);
    let cursor = store
        .meta::<String>(key::CURSOR)
        .await?
        .and_then(|c| c.parse().ok())
        .unwrap_or(Cursor::START);
    let session = store.meta::<Session>(key::SESSION).await?;
    let last_sync_at = store.meta::<u64>(key::LAST_SYNC_AT).await?;
    let outbox = store.outbox(u32::MAX).await?;
    let mut unsynced = HashMap::new();
    for m in &outbox {
        unsynced.insert(m.lead_id, m.mid);
    }
    let pending_events = store.count(store::EVENTS).await?;
    let mut state = State {
        client_id,
        clock,
        next_mid,
        cursor,
        session,
        session_expired: false,
        leads: HashMap::new(),
        by_key: HashMap::new(),
        unsynced,
        pending: outbox.len() as u64,
        pending_events,
        online: true,
        syncing: false,
        last_sync_at,
        last_error: None,
        live: false,
        attempt: 0,
        retry_planned: false,
        closing: false,
    };
    let mut leads = store.all_leads().await?;
    // Oldest first, so the oldest lead keeps a shared dedup key.
    leads.sort_by_key(|l| l.lead.id);
    for l in leads {
        state.remember(l);
    }
    Ok(Worker {
        store,
        state: RefCell::new(state),
        writer: Mutex::new(()),
    })
}

/// Carry out a stateful request.
pub async fn handle(request: Request) -> Result<Response, ApiError> {
    let w = worker().await?;
    ops::handle(&w, request).await
}
