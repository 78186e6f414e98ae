//! Realtime: `GET /v1/ws` and the cross-process poke hub.

pub mod hub;
mod socket;

use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub use socket::{CLOSE_UNAUTHORIZED, PROTOCOL};

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/ws", get(socket::upgrade))
}
