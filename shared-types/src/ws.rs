//! WebSocket messages on `GET /v1/ws` (JSON text frames, tagged by `type`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a client sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Must be the first message (unless the token came in `Sec-WebSocket-Protocol`).
    Auth { token: String },
    /// Application-level keep-alive; answered with `pong`.
    Ping,
}

/// What the server sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// Authentication accepted; `version` is the tenant's current version (pull if yours is older).
    Ready {
        tenant_id: Uuid,
        user_id: Uuid,
        version: u64,
    },
    /// The tenant's leads changed up to `version`: pull. Several commits may be coalesced into one.
    Poke {
        version: u64,
    },
    Pong,
    /// Sent before the server closes the socket.
    Error {
        code: String,
        message: String,
    },
}
