//! Login throttling: a keyed GCRA limiter per email and per client address.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

pub struct LoginLimiter {
    by_email: DefaultKeyedRateLimiter<String>,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        // An address may try a few accounts (a shared office), an account may not be hammered.
        let ip_n = n.saturating_mul(NonZeroU32::new(3).unwrap_or(NonZeroU32::MIN));
        LoginLimiter {
            by_email: RateLimiter::keyed(Quota::per_minute(n)),
            by_ip: RateLimiter::keyed(Quota::per_minute(ip_n)),
            clock: DefaultClock::default(),
        }
    }

    pub fn check(&self, email: &str, ip: Option<IpAddr>) -> Result<(), ApiError> {
        let limited = |wait: std::time::Duration| ApiError::RateLimited {
            retry_after_secs: wait.as_secs() + 1,
        };
        if let Err(not_until) = self.by_email.check_key(&email.to_lowercase()) {
            return Err(limited(not_until.wait_time_from(self.clock.now())));
        }
        if let Some(ip) = ip {
            if let Err(not_until) = self.by_ip.check_key(&ip) {
                return Err(limited(not_until.wait_time_from(self.clock.now())));
            }
        }
        Ok(())
    }

    /// Throttle account creation per client address: each one costs a deliberately slow hash.
    pub fn check_ip(&self, ip: Option<IpAddr>) -> Result<(), ApiError> {
        match ip {
            Some(ip) => self
                .by_ip
                .check_key(&ip)
                .map_err(|not_until| ApiError::RateLimited {
                    retry_after_secs: not_until.wait_time_from(self.clock.now()).as_secs() + 1,
                }),
            None => Ok(()),
        }
    }

    /// Forget idle keys so the maps do not grow without bound.
    pub fn sweep(&self) {
        self.by_email.retain_recent();
        self.by_ip.retain_recent();
    }
}
