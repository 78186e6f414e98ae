//! The offline store: IndexedDB through rexie. Every user action is committed here before it is
//! acknowledged, so the worker may be stopped at any moment and resume from what is stored.
//!
//! Object stores (database `leadsync`, version 1):
//! - `leads` (key `id`): `{id, json}` — a [`LocalLead`] as JSON text.
//! - `outbox` (key `mid`): `{mid, json}` — a [`Mutation`] waiting for the server.
//! - `events` (key `id`): `{id, json}` — an activity event waiting for `POST /v1/events`.
//! - `meta` (explicit keys): JSON text per key — client id, clock, next mid, cursor, session.
//!
//! Values are JSON text inside small objects: one serde format for Rust and the server, and no
//! structured-clone surprises (maps, big integers) between browsers.

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use leadsync_types::sync::Mutation;

use crate::error::ApiError;
use crate::local::LocalLead;

/// The extension's database. (Tests open others by name, so each starts empty.)
pub const DB_NAME: &str = "leadsync";
const DB_VERSION: u32 = 1;
pub const LEADS: &str = "leads";
pub const OUTBOX: &str = "outbox";
pub const EVENTS: &str = "events";
pub const META: &str = "meta";

/// Meta keys.
pub mod key {
    pub const CLIENT_ID: &str = "client_id";
    pub const CLOCK: &str = "clock";
    pub const NEXT_MID: &str = "next_mid";
    pub const CURSOR: &str = "cursor";
    pub const SESSION: &str = "session";
    pub const LAST_SYNC_AT: &str = "last_sync_at";
}

#[derive(Serialize, Deserialize)]
struct Row<K> {
    #[serde(alias = "mid")]
    id: K,
    json: String,
}

pub fn storage_error(what: &str, e: impl std::fmt::Debug) -> ApiError {
    ApiError::new(
        "storage_failed",
        format!("Could not {what} in the browser's storage ({e:?}). Nothing was changed; try again, and if it keeps failing, check the browser's free disk space."),
    )
}

/// `.or_storage("what")`: any storage failure as the one error a person reads.
trait OrStorage<T> {
    fn or_storage(self, what: &str) -> Result<T, ApiError>;
}

impl<T, E: std::fmt::Debug> OrStorage<T> for Result<T, E> {
    fn or_storage(self, what: &str) -> Result<T, ApiError> {
        self.map_err(|e| storage_error(what, e))
    }
}

/// Wait for a read-write transaction to end, and say so if it was aborted (quota exceeded, the
/// disk full): only a committed transaction may be acknowledged.
async fn finish(tx: rexie::Transaction, what: &str) -> Result<(), ApiError> {
    match tx.done().await.or_storage(what)? {
        rexie::TransactionResult::Committed => Ok(()),
        rexie::TransactionResult::Aborted => {
            Err(storage_error(what, "the browser aborted the transaction"))
        }
    }
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, ApiError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .or_storage("encode a record")
}

fn json<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).or_storage("encode a record")
}

fn from_row<T: DeserializeOwned>(v: JsValue) -> Result<T, ApiError> {
    let row: Row<serde_json::Value> =
        serde_wasm_bindgen::from_value(v).or_storage("read a record")?;
    serde_json::from_str(&row.json).or_storage("read a record")
}

pub struct Store {
    db: Rexie,
}

/// One write of a local change: the lead, its outbox mutation, meta values — committed together.
#[derive(Default)]
pub struct Write<'a> {
    pub leads: Vec<&'a LocalLead>,
    pub mutations: Vec<&'a Mutation>,
    /// Outbox entries removed in the same transaction (renumbering after a server reset).
    pub drop_mids: Vec<u64>,
    pub meta: Vec<(&'static str, String)>,
}

impl Store {
    pub async fn open(name: &str) -> Result<Store, ApiError> {
        let db = Rexie::builder(name)
            .version(DB_VERSION)
            .add_object_store(ObjectStore::new(LEADS).key_path("id"))
            .add_object_store(ObjectStore::new(OUTBOX).key_path("mid"))
            .add_object_store(ObjectStore::new(EVENTS).key_path("id"))
            .add_object_store(ObjectStore::new(META))
            .build()
            .await
            .or_storage("open the offline store")?;
        Ok(Store { db })
    }

    /// Read one meta value (None if never written).
    pub async fn meta<T: DeserializeOwned>(&self, k: &str) -> Result<Option<T>, ApiError> {
        let tx = self
            .db
            .transaction(&[META], TransactionMode::ReadOnly)
            .or_storage("read settings")?;
        let store = tx.store(META).or_storage("read settings")?;
        let v = store
            .get(JsValue::from_str(k))
            .await
            .or_storage("read settings")?;
        match v.and_then(|v| v.as_string()) {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .or_storage("read settings"),
        }
    }

    pub fn meta_value<T: Serialize>(
        k: &'static str,
        v: &T,
    ) -> Result<(&'static str, String), ApiError> {
        Ok((k, json(v)?))
    }

    /// Commit a write in one transaction: all of it is stored, or none of it. Every record is
    /// encoded before the transaction opens, so an encoding error cannot leave half a write behind
    /// (IndexedDB commits whatever was put when a transaction is simply dropped).
    pub async fn write(&self, w: Write<'_>) -> Result<(), ApiError> {
        let what = "save the change";
        let leads = w
            .leads
            .iter()
            .map(|l| {
                to_js(&Row {
                    id: l.lead.id.to_string(),
                    json: json(l)?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mutations = w
            .mutations
            .iter()
            .map(|m| to_js(&serde_json::json!({"mid": m.mid, "json": json(m)?})))
            .collect::<Result<Vec<_>, _>>()?;
        let tx = self
            .db
            .transaction(&[LEADS, OUTBOX, META], TransactionMode::ReadWrite)
            .or_storage(what)?;
        let result = async {
            if !leads.is_empty() {
                let store = tx.store(LEADS).or_storage(what)?;
                for row in &leads {
                    store.put(row, None).await.or_storage(what)?;
                }
            }
            if !mutations.is_empty() || !w.drop_mids.is_empty() {
                let outbox = tx.store(OUTBOX).or_storage(what)?;
                for mid in &w.drop_mids {
                    outbox
                        .delete(JsValue::from_f64(*mid as f64))
                        .await
                        .or_storage(what)?;
                }
                for row in &mutations {
                    outbox.put(row, None).await.or_storage(what)?;
                }
            }
            if !w.meta.is_empty() {
                let meta = tx.store(META).or_storage(what)?;
                for (k, v) in &w.meta {
                    meta.put(&JsValue::from_str(v), Some(&JsValue::from_str(k)))
                        .await
                        .or_storage(what)?;
                }
            }
            Ok::<(), ApiError>(())
        }
        .await;
        match result {
            Ok(()) => finish(tx, what).await,
            Err(e) => {
                let _ = tx.abort().await;
                Err(e)
            }
        }
    }

    /// Up to `limit` records of `store`, in key order, in one read-only transaction.
    async fn read_all(
        &self,
        store: &str,
        limit: Option<u32>,
        what: &str,
    ) -> Result<Vec<JsValue>, ApiError> {
        let tx = self
            .db
            .transaction(&[store], TransactionMode::ReadOnly)
            .or_storage(what)?;
        tx.store(store)
            .or_storage(what)?
            .get_all(None, limit)
            .await
            .or_storage(what)
    }

    pub async fn all_leads(&self) -> Result<Vec<LocalLead>, ApiError> {
        let rows = self.read_all(LEADS, None, "read leads").await?;
        rows.into_iter().map(from_row).collect()
    }

    /// The oldest `limit` mutations of the outbox, in mid order.
    pub async fn outbox(&self, limit: u32) -> Result<Vec<Mutation>, ApiError> {
        let rows = self
            .read_all(OUTBOX, Some(limit), "read the outbox")
            .await?;
        rows.into_iter().map(from_row).collect()
    }

    pub async fn count(&self, store: &str) -> Result<u64, ApiError> {
        let tx = self
            .db
            .transaction(&[store], TransactionMode::ReadOnly)
            .or_storage("count records")?;
        let n = tx
            .store(store)
            .or_storage("count records")?
            .count(None)
            .await
            .or_storage("count records")?;
        Ok(n as u64)
    }

    /// Delete records by key from `store` (acknowledged mutations, sent events).
    pub async fn delete(&self, store: &str, keys: Vec<JsValue>) -> Result<(), ApiError> {
        let what = "drop acknowledged records";
        let tx = self
            .db
            .transaction(&[store], TransactionMode::ReadWrite)
            .or_storage(what)?;
        let s = tx.store(store).or_storage(what)?;
        for k in keys {
            s.delete(k).await.or_storage(what)?;
        }
        finish(tx, what).await?;
        Ok(())
    }

    pub async fn put_event(&self, id: &str, event: &serde_json::Value) -> Result<(), ApiError> {
        let what = "record the activity";
        let tx = self
            .db
            .transaction(&[EVENTS], TransactionMode::ReadWrite)
            .or_storage(what)?;
        let row = Row {
            id: id.to_string(),
            json: json(event)?,
        };
        tx.store(EVENTS)
            .or_storage(what)?
            .put(&to_js(&row)?, None)
            .await
            .or_storage(what)?;
        finish(tx, what).await?;
        Ok(())
    }

    pub async fn events(&self, limit: u32) -> Result<Vec<(String, serde_json::Value)>, ApiError> {
        let rows = self.read_all(EVENTS, Some(limit), "read activity").await?;
        rows.into_iter()
            .map(|v| {
                let row: Row<String> =
                    serde_wasm_bindgen::from_value(v).or_storage("read activity")?;
                let value = serde_json::from_str(&row.json).or_storage("read activity")?;
                Ok((row.id, value))
            })
            .collect()
    }

    /// Forget the account's data on this device (sign-out): leads, outbox, events, cursor and
    /// session, and the client id with its mutation counter: the server ties a client id to one
    /// user, so the next account on this device starts as a new client.
    pub async fn clear_account(&self) -> Result<(), ApiError> {
        let what = "clear this device's leads";
        let tx = self
            .db
            .transaction(&[LEADS, OUTBOX, EVENTS, META], TransactionMode::ReadWrite)
            .or_storage(what)?;
        for s in [LEADS, OUTBOX, EVENTS] {
            tx.store(s)
                .or_storage(what)?
                .clear()
                .await
                .or_storage(what)?;
        }
        let meta = tx.store(META).or_storage(what)?;
        for k in [
            key::CURSOR,
            key::SESSION,
            key::LAST_SYNC_AT,
            key::CLIENT_ID,
            key::NEXT_MID,
        ] {
            meta.delete(JsValue::from_str(k)).await.or_storage(what)?;
        }
        finish(tx, what).await?;
        Ok(())
    }
}
