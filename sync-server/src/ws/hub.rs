//! Per-tenant poke fan-out. Every commit that changes leads sends `NOTIFY leadsync_poke
//! 'tenant:version'` inside its transaction (delivered only on commit); every server process LISTENs
//! and forwards to its own sockets through a `watch` channel per tenant. A watch keeps only the
//! latest version, so bursts of commits coalesce and a slow socket never queues pokes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use tokio::sync::watch;
use uuid::Uuid;

use crate::db::begin_tenant;
use crate::leads::store::current_version;

pub const POKE_CHANNEL: &str = "leadsync_poke";

#[derive(Clone, Default)]
pub struct Hub {
    tenants: Arc<Mutex<HashMap<Uuid, watch::Sender<u64>>>>,
}

impl Hub {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, watch::Sender<u64>>> {
        self.tenants.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn subscribe(&self, tenant: Uuid) -> watch::Receiver<u64> {
        self.map()
            .entry(tenant)
            .or_insert_with(|| watch::channel(0).0)
            .subscribe()
    }

    /// Raise the tenant's version (never lowers it: notifications may arrive out of order).
    pub fn publish(&self, tenant: Uuid, version: u64) {
        let mut map = self.map();
        if let Some(tx) = map.get(&tenant) {
            if tx.receiver_count() == 0 {
                map.remove(&tenant);
                return;
            }
            tx.send_if_modified(|v| {
                let newer = version > *v;
                if newer {
                    *v = version;
                }
                newer
            });
        }
    }

    /// Tenants with at least one local socket.
    pub fn tenants(&self) -> Vec<Uuid> {
        self.map()
            .iter()
            .filter(|(_, tx)| tx.receiver_count() > 0)
            .map(|(t, _)| *t)
            .collect()
    }

    pub fn sockets(&self) -> usize {
        self.map().values().map(|tx| tx.receiver_count()).sum()
    }
}

fn parse_payload(payload: &str) -> Option<(Uuid, u64)> {
    let (tenant, version) = payload.split_once(':')?;
    Some((Uuid::try_parse(tenant).ok()?, version.parse().ok()?))
}

/// Listen for pokes from every server process on this database until the pool closes.
pub async fn run_listener(pool: PgPool, hub: Hub) {
    loop {
        match listen(&pool, &hub).await {
            Ok(()) => return,
            Err(e) => {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "poke listener lost its connection; reconnecting");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Poke local sockets with each tenant's current version: after a gap in LISTEN, commits may have
/// happened whose notifications were lost.
async fn resync(pool: &PgPool, hub: &Hub) {
    for tenant in hub.tenants() {
        let version = match begin_tenant(pool, tenant).await {
            Ok(mut tx) => current_version(&mut tx, tenant).await.ok(),
            Err(_) => None,
        };
        if let Some(v) = version {
            hub.publish(tenant, v);
        }
    }
}

async fn listen(pool: &PgPool, hub: &Hub) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(POKE_CHANNEL).await?;
    tracing::info!("listening for pokes");
    // Covers the window between a lost connection and this new LISTEN.
    resync(pool, hub).await;
    loop {
        // `try_recv` returns None when the connection dropped; the listener reconnects on the next
        // call, but notifications sent meanwhile are gone: clients also pull on their own timer.
        match listener.try_recv().await? {
            Some(n) => match parse_payload(n.payload()) {
                Some((tenant, version)) => hub.publish(tenant, version),
                None => tracing::warn!(payload = n.payload(), "ignoring malformed poke"),
            },
            None => {
                tracing::warn!(
                    "poke listener lost its connection; re-reading versions so no poke is missed"
                );
                resync(pool, hub).await;
            }
        }
    }
}
