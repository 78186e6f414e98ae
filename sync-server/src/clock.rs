//! The server's hybrid logical clock: one per process, node id random per process.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use leadsync_types::{Hlc, HlcClock, HlcError, MAX_FUTURE_SKEW_MS};
use uuid::Uuid;

fn wall_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

type WallClock = HlcClock<fn() -> u64>;

#[derive(Clone)]
pub struct ServerClock(Arc<Mutex<WallClock>>);

impl Default for ServerClock {
    fn default() -> Self {
        ServerClock(Arc::new(Mutex::new(HlcClock::new(
            Uuid::new_v4(),
            wall_millis as fn() -> u64,
        ))))
    }
}

impl ServerClock {
    fn lock(&self) -> std::sync::MutexGuard<'_, WallClock> {
        // A poisoned lock only means another thread panicked mid-tick; the clock state is still valid.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn tick(&self) -> Hlc {
        self.lock().tick()
    }

    /// A timestamp after both this clock and `floor` (a stored register's clock, which may come from
    /// another server instance or from before a restart).
    pub fn tick_after(&self, floor: Option<Hlc>) -> Hlc {
        let mut clock = self.lock();
        match floor {
            Some(h) => clock.observe_trusted(h),
            None => clock.tick(),
        }
    }

    /// Check a client's timestamp against the skew bound (the error says by how much and what to do).
    pub fn check(&self, hlc: Hlc) -> Result<(), HlcError> {
        hlc.check_not_ahead(wall_millis(), MAX_FUTURE_SKEW_MS)
    }

    /// Move past client timestamps (already checked) so later server writes order after them.
    pub fn observe_all(&self, hlcs: impl IntoIterator<Item = Hlc>) -> Hlc {
        let mut clock = self.lock();
        let mut last = clock.last();
        for h in hlcs {
            if let Ok(seen) = clock.observe(h) {
                last = seen;
            }
        }
        last.max(clock.tick())
    }
}
