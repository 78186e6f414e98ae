//! `GET /v1/ws`: authenticate (first message, or a `bearer.<token>` entry in Sec-WebSocket-Protocol
//! next to `leadsync.v1`), then forward coalesced pokes, answer pings, send heartbeats, and drop a
//! client that stops reading instead of buffering for it.

use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use leadsync_types::ws::{ClientMessage, ServerMessage};

use crate::auth::AuthUser;
use crate::db::begin_tenant;
use crate::leads::store::current_version;
use crate::state::AppState;

pub const PROTOCOL: &str = "leadsync.v1";
/// Close code for "authentication required or refused" (application range 4000-4999).
pub const CLOSE_UNAUTHORIZED: u16 = 4401;
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_CLIENT_MESSAGE: usize = 64 * 1024;

pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let offered = headers
        .get_all("sec-websocket-protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .find_map(|p| p.strip_prefix("bearer.").map(str::to_string));
    let pre_auth = match offered {
        Some(token) => match state.jwt.verify(&token) {
            Ok(user) => Some(user),
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    // Clients only ever send small control messages; refuse anything bigger before it is buffered.
    ws.protocols([PROTOCOL])
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .on_upgrade(move |socket| session(socket, state, pre_auth))
}

fn text(msg: &ServerMessage) -> Message {
    Message::Text(serde_json::to_string(msg).unwrap_or_default().into())
}

async fn refuse(mut socket: WebSocket, code: &str, message: String) {
    let _ = socket
        .send(text(&ServerMessage::Error {
            code: code.into(),
            message: message.clone(),
        }))
        .await;
    let reason: String = message.chars().take(100).collect();
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: CLOSE_UNAUTHORIZED,
            reason: reason.into(),
        })))
        .await;
}

/// Wait for `{"type":"auth","token":…}` as the first message.
async fn first_message_auth(
    socket: &mut WebSocket,
    state: &AppState,
) -> Result<AuthUser, (&'static str, String)> {
    let deadline = state.config.ws_auth_timeout;
    let first = tokio::time::timeout(deadline, async {
        while let Some(Ok(msg)) = socket.recv().await {
            match msg {
                Message::Text(t) => return Some(t.to_string()),
                Message::Ping(_) | Message::Pong(_) => continue,
                _ => return None,
            }
        }
        None
    })
    .await
    .map_err(|_| {
        (
            "auth_timeout",
            format!(
                "send {{\"type\":\"auth\",\"token\":…}} within {} s of connecting",
                deadline.as_secs()
            ),
        )
    })?
    .ok_or((
        "auth_required",
        "the first message must be {\"type\":\"auth\",\"token\":\"<access_token>\"}".to_string(),
    ))?;
    match serde_json::from_str::<ClientMessage>(&first) {
        Ok(ClientMessage::Auth { token }) => state
            .jwt
            .verify(&token)
            .map_err(|e| ("invalid_token", e.to_string())),
        _ => Err((
            "auth_required",
            "the first message must be {\"type\":\"auth\",\"token\":\"<access_token>\"}".into(),
        )),
    }
}

async fn session(mut socket: WebSocket, state: AppState, pre_auth: Option<AuthUser>) {
    let user = match pre_auth {
        Some(u) => u,
        None => match first_message_auth(&mut socket, &state).await {
            Ok(u) => u,
            Err((code, message)) => return refuse(socket, code, message).await,
        },
    };
    // Subscribe before reading the version so no commit can fall between the two.
    let mut pokes = state.hub.subscribe(user.tenant_id);
    let version = match begin_tenant(&state.db, user.tenant_id).await {
        Ok(mut tx) => current_version(&mut tx, user.tenant_id).await.ok(),
        Err(_) => None,
    };
    let Some(version) = version else {
        let _ = socket
            .send(text(&ServerMessage::Error {
                code: "database_unavailable".into(),
                message: "retry shortly".into(),
            }))
            .await;
        return;
    };
    let mut last_sent = version.max(*pokes.borrow_and_update());
    let ready = ServerMessage::Ready {
        tenant_id: user.tenant_id,
        user_id: user.user_id,
        version: last_sent,
    };
    let (mut tx, mut rx) = socket.split();
    if tx.send(text(&ready)).await.is_err() {
        return;
    }
    let beat = state.config.ws_heartbeat;
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + beat, beat);
    let mut last_heard = Instant::now();
    loop {
        let outgoing = tokio::select! {
            changed = pokes.changed() => {
                if changed.is_err() { break; }
                let v = *pokes.borrow_and_update();
                if v <= last_sent { continue; }
                last_sent = v;
                text(&ServerMessage::Poke { version: v })
            }
            incoming = rx.next() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(Message::Text(t))) => {
                    last_heard = Instant::now();
                    match serde_json::from_str::<ClientMessage>(&t) {
                        Ok(ClientMessage::Ping) => text(&ServerMessage::Pong),
                        Ok(ClientMessage::Auth { .. }) => continue,
                        Err(_) => text(&ServerMessage::Error { code: "unknown_message".into(), message: "send {\"type\":\"ping\"} or nothing".into() }),
                    }
                }
                Some(Ok(_)) => { last_heard = Instant::now(); continue; }
            },
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > beat * 2 {
                    tracing::info!(user = %user.user_id, "closing a silent WebSocket");
                    break;
                }
                Message::Ping(Vec::new().into())
            }
        };
        match tokio::time::timeout(SEND_TIMEOUT, tx.send(outgoing)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => break,
            Err(_) => {
                tracing::info!(user = %user.user_id, "dropping a WebSocket that stopped reading");
                break;
            }
        }
    }
}
