//! Sync protocol routes (DESIGN.md "Sync protocol").

mod pull;
mod push;

use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

pub use push::validate_mutation;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/sync/push", post(push::push))
        .route("/v1/sync/pull", get(pull::pull))
}
