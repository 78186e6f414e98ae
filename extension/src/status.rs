//! What the popup always shows about sync, the signed-in session, and when to retry after an
//! error. Pure Rust (tested natively); the worker fills these in.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in account, as the server's token response describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub tenant_id: Uuid,
}

/// A session with one server: kept in IndexedDB so the worker resumes it after being stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub server_url: String,
    pub access_token: String,
    pub refresh_token: String,
    pub user: Account,
}

/// The server's token response (`/v1/auth/signup`, `/login`, `/refresh`).
#[derive(Clone, Debug, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    pub user: Account,
}

/// The last error sync met, as a person reads it, with what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProblem {
    pub code: String,
    pub message: String,
    /// The message's variable parts, as in [`crate::ApiError::params`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<String>,
    /// Unix millis of the next automatic retry, if one is planned.
    #[serde(default)]
    pub retry_at: Option<u64>,
}

/// The sync state, always visible in the popup.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub signed_in: bool,
    #[serde(default)]
    pub account: Option<Account>,
    #[serde(default)]
    pub server_url: Option<String>,
    /// False after a request could not reach the server, until one does.
    pub online: bool,
    pub syncing: bool,
    /// Changes (and activity events) saved here but not yet acknowledged by the server.
    pub pending: u64,
    pub pending_events: u64,
    /// Leads stored on this device (tombstones excluded).
    pub leads: u64,
    /// Unix millis of the last sync that completed.
    #[serde(default)]
    pub last_sync_at: Option<u64>,
    #[serde(default)]
    pub last_error: Option<SyncProblem>,
    /// The live connection (WebSocket) is up: changes from teammates arrive within a second.
    pub live: bool,
}

/// Delay before retry number `attempt` (1 = first retry): exponential from 1 s, capped at 5 min,
/// with "full jitter" (`jitter` in [0, 1) picks a point in the upper half) so a fleet of devices
/// that lost the server together does not come back in lockstep. A `Retry-After` from the server
/// is a floor.
pub fn backoff_ms(attempt: u32, jitter: f64, retry_after_ms: Option<u64>) -> u64 {
    const BASE_MS: u64 = 1_000;
    const CAP_MS: u64 = 300_000;
    let exp = BASE_MS
        .saturating_mul(1u64 << attempt.saturating_sub(1).min(20))
        .min(CAP_MS);
    let jittered = exp / 2 + ((exp / 2) as f64 * jitter.clamp(0.0, 1.0)) as u64;
    jittered
        .max(retry_after_ms.unwrap_or(0))
        .min(CAP_MS.max(retry_after_ms.unwrap_or(0)))
}

/// A server URL as typed by a person, checked and without its trailing slash.
pub fn parse_server_url(input: &str) -> Result<String, crate::ApiError> {
    let s = input.trim().trim_end_matches('/');
    let bad = |why: &str| {
        crate::ApiError::new(
            "invalid_server_url",
            format!("The server address `{s}` {why}: write it like https://leads.example.com or http://127.0.0.1:8080."),
        )
    };
    let url = url::Url::parse(s).map_err(|_| bad("is not a web address"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host name"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a ? query or # fragment"));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_jittered_capped_and_respects_retry_after() {
        assert_eq!(backoff_ms(1, 0.0, None), 500);
        assert_eq!(backoff_ms(1, 0.999_999, None), 999);
        assert_eq!(backoff_ms(4, 0.0, None), 4_000);
        assert!(backoff_ms(40, 1.0, None) <= 300_000);
        assert_eq!(backoff_ms(1, 0.0, Some(30_000)), 30_000);
        let spread: std::collections::BTreeSet<u64> = (0..10)
            .map(|i| backoff_ms(6, i as f64 / 10.0, None))
            .collect();
        assert_eq!(spread.len(), 10, "jitter spreads retries");
    }

    #[test]
    fn server_urls_are_checked_and_trimmed() {
        assert_eq!(
            parse_server_url(" http://127.0.0.1:8080/ ").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            parse_server_url("https://leads.example.com/base").unwrap(),
            "https://leads.example.com/base"
        );
        for bad in [
            "",
            "leads.example.com",
            "ftp://x.example",
            "https://x.example/?a=1",
        ] {
            let e = parse_server_url(bad).unwrap_err();
            assert_eq!(e.code, "invalid_server_url", "{bad}");
            assert!(e.message.contains("https://leads.example.com"));
        }
    }
}
