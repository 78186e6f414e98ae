//! Hybrid logical clock.
//!
//! Wire form `{unix_millis:013}-{counter:04}-{node}` where `node` is the writer's client id as 32
//! lowercase hex digits (a UUID without dashes). Every part has a fixed width, so comparing two wire
//! strings byte by byte gives the same answer as comparing the clocks — servers and IndexedDB can sort
//! on the string.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// A timestamp more than this far ahead of the receiver's wall clock is refused (DESIGN.md: 5 min).
pub const MAX_FUTURE_SKEW_MS: u64 = 5 * 60 * 1000;
/// Largest counter the wire form can carry; past it the clock moves its millis forward by one.
pub const MAX_COUNTER: u16 = 9999;
const MAX_MILLIS: u64 = 9_999_999_999_999;

/// One hybrid-logical-clock timestamp. Field order gives the derived `Ord` the wire order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    pub millis: u64,
    pub counter: u16,
    pub node: u128,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HlcError {
    #[error("invalid HLC `{0}`: expected `{{unix_millis:013}}-{{counter:04}}-{{node: 32 lowercase hex}}`, e.g. `0001700000000000-0000-0123456789abcdef0123456789abcdef`")]
    Malformed(String),
    #[error("HLC `{hlc}` is {ahead_ms} ms ahead of this clock (limit {limit_ms} ms); fix the device clock and retry")]
    TooFarAhead {
        hlc: String,
        ahead_ms: u64,
        limit_ms: u64,
    },
}

impl Hlc {
    pub fn new(millis: u64, counter: u16, node: u128) -> Self {
        Hlc {
            millis,
            counter,
            node,
        }
    }

    /// The node id as a UUID (the writer's client id).
    pub fn node_uuid(&self) -> Uuid {
        Uuid::from_u128(self.node)
    }

    /// Refuse a timestamp more than `limit_ms` ahead of `now_millis`.
    pub fn check_not_ahead(&self, now_millis: u64, limit_ms: u64) -> Result<(), HlcError> {
        let ahead = self.millis.saturating_sub(now_millis);
        if ahead > limit_ms {
            return Err(HlcError::TooFarAhead {
                hlc: self.to_string(),
                ahead_ms: ahead,
                limit_ms,
            });
        }
        Ok(())
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:013}-{:04}-{:032x}",
            self.millis, self.counter, self.node
        )
    }
}

impl FromStr for Hlc {
    type Err = HlcError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || HlcError::Malformed(s.chars().take(80).collect());
        let b = s.as_bytes();
        if b.len() != 13 + 1 + 4 + 1 + 32 || b[13] != b'-' || b[18] != b'-' {
            return Err(bad());
        }
        let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
        let hex = |r: &[u8]| {
            r.iter()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        };
        if !digits(&b[..13]) || !digits(&b[14..18]) || !hex(&b[19..]) {
            return Err(bad());
        }
        Ok(Hlc {
            millis: s[..13].parse().map_err(|_| bad())?,
            counter: s[14..18].parse().map_err(|_| bad())?,
            node: u128::from_str_radix(&s[19..], 16).map_err(|_| bad())?,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Where the clock reads wall time: `SystemTime` natively, `Date.now()` in the extension, a fake in
/// tests.
pub trait TimeSource {
    fn now_millis(&self) -> u64;
}

impl<F: Fn() -> u64> TimeSource for F {
    fn now_millis(&self) -> u64 {
        self()
    }
}

/// A node's clock: hands out strictly increasing timestamps and moves past every remote one it sees.
#[derive(Debug, Clone)]
pub struct HlcClock<T> {
    node: u128,
    last: Hlc,
    time: T,
}

impl<T: TimeSource> HlcClock<T> {
    pub fn new(node: Uuid, time: T) -> Self {
        let node = node.as_u128();
        HlcClock {
            node,
            last: Hlc::new(0, 0, node),
            time,
        }
    }

    /// Restore a clock persisted as its last timestamp (the extension keeps it in IndexedDB).
    pub fn resume(node: Uuid, last: Hlc, time: T) -> Self {
        let mut clock = Self::new(node, time);
        clock.last = Hlc::new(last.millis, last.counter, clock.node);
        clock
    }

    pub fn node(&self) -> Uuid {
        Uuid::from_u128(self.node)
    }

    /// The last timestamp this clock handed out or observed.
    pub fn last(&self) -> Hlc {
        self.last
    }

    pub fn now_millis(&self) -> u64 {
        self.time.now_millis()
    }

    /// A new local timestamp, greater than every one seen so far.
    pub fn tick(&mut self) -> Hlc {
        let now = self.time.now_millis().min(MAX_MILLIS);
        self.advance(now)
    }

    /// Move past a remote timestamp; refuses one more than [`MAX_FUTURE_SKEW_MS`] ahead of the wall
    /// clock, so one device with a wrong clock cannot drag every replica into the future.
    pub fn observe(&mut self, remote: Hlc) -> Result<Hlc, HlcError> {
        let now = self.time.now_millis().min(MAX_MILLIS);
        remote.check_not_ahead(now, MAX_FUTURE_SKEW_MS)?;
        if remote > self.last {
            self.last = Hlc::new(remote.millis, remote.counter, self.node);
        }
        Ok(self.advance(now))
    }

    /// Move past a timestamp from a trusted source without the skew bound: a client uses this for
    /// the server's `server_hlc` and for registers it pulls (the server already bounded them against
    /// its own clock). Without it, a device whose clock runs slow would refuse the server's clock, and
    /// its own later edits would lose to values it already holds.
    pub fn observe_trusted(&mut self, remote: Hlc) -> Hlc {
        let now = self.time.now_millis().min(MAX_MILLIS);
        if remote > self.last && remote.millis <= MAX_MILLIS {
            self.last = Hlc::new(remote.millis, remote.counter.min(MAX_COUNTER), self.node);
        }
        self.advance(now)
    }

    fn advance(&mut self, now: u64) -> Hlc {
        let (millis, counter) = if now > self.last.millis {
            (now, 0)
        } else if self.last.counter < MAX_COUNTER {
            (self.last.millis, self.last.counter + 1)
        } else {
            // Counter exhausted within one millisecond: borrow the next millisecond.
            (self.last.millis + 1, 0)
        };
        self.last = Hlc::new(millis, counter, self.node);
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const NODE: u128 = 0x0123456789abcdef0123456789abcdef;

    #[test]
    fn wire_form_round_trips_and_sorts_like_the_clock() {
        let a = Hlc::new(1_700_000_000_000, 7, NODE);
        let s = a.to_string();
        assert_eq!(s, "1700000000000-0007-0123456789abcdef0123456789abcdef");
        assert_eq!(s.parse::<Hlc>().unwrap(), a);
        let b = Hlc::new(1_700_000_000_000, 10, 1);
        assert_eq!(a < b, a.to_string() < b.to_string());
        let c = Hlc::new(999, 0, u128::MAX);
        assert_eq!(c < a, c.to_string() < a.to_string());
    }

    #[test]
    fn malformed_wire_forms_are_refused_with_the_expected_shape() {
        for s in [
            "",
            "1-2-3",
            "1700000000000-0007-0123456789ABCDEF0123456789abcdef",
            "1700000000000_0007_0123456789abcdef0123456789abcdef",
            "170000000000x-0007-0123456789abcdef0123456789abcdef",
        ] {
            let err = s.parse::<Hlc>().unwrap_err();
            assert!(err.to_string().contains("unix_millis"), "{err}");
        }
    }

    #[test]
    fn tick_is_strictly_increasing_even_when_time_stands_still_or_goes_back() {
        let now = Cell::new(1000u64);
        let mut clock = HlcClock::new(Uuid::from_u128(NODE), || now.get());
        let mut prev = clock.tick();
        for step in 0..20_050u64 {
            now.set(if step % 3 == 0 { 1000 } else { 900 });
            let next = clock.tick();
            assert!(next > prev, "{next} <= {prev}");
            prev = next;
        }
    }

    #[test]
    fn observe_moves_past_remote_and_refuses_the_far_future() {
        let now = Cell::new(10_000_000u64);
        let mut clock = HlcClock::new(Uuid::from_u128(1), || now.get());
        let remote = Hlc::new(10_000_000 + 60_000, 5, 2);
        let seen = clock.observe(remote).unwrap();
        assert!(seen > remote);
        assert!(clock.tick() > seen);
        let far = Hlc::new(10_000_000 + MAX_FUTURE_SKEW_MS + 1, 0, 2);
        let err = clock.observe(far).unwrap_err();
        assert!(matches!(err, HlcError::TooFarAhead { .. }));
        assert!(
            clock.last() < far,
            "a refused timestamp must not move the clock"
        );
    }

    #[test]
    fn a_slow_device_still_moves_past_the_trusted_server_clock() {
        let now = Cell::new(10_000_000u64);
        let mut slow = HlcClock::new(Uuid::from_u128(1), || now.get());
        let server = Hlc::new(10_000_000 + 8 * 60_000, 3, 2);
        assert!(slow.observe(server).is_err());
        let seen = slow.observe_trusted(server);
        assert!(
            seen > server && slow.tick() > server,
            "a local edit made now must win over what the server had"
        );
    }
}
