//! leadsync-server: the multi-tenant sync server. Table of contents:
//! - [`config`]: settings from the environment (`--help` lists them).
//! - [`db`]: migrations, the non-superuser app pool, tenant-scoped transactions (row-level security).
//! - [`error`]: the one API error type and JSON extractors that produce it.
//! - [`auth`]: signup, login, refresh rotation, logout, me, teammates, roles, rate limits.
//! - [`leads`]: the shared merge-and-write path and the REST routes.
//! - [`sync`]: push/pull of the sync protocol. [`events`]: idempotent activity ingest.
//! - [`ws`]: WebSocket pokes and the cross-process LISTEN/NOTIFY hub.
//! - [`ops`]: health, readiness. [`maintenance`]: tombstone purge. [`clock`]: the server HLC.
//! - [`app`]: router, middleware and serving. [`extract_cmd`]: the `extract` command.

pub mod app;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod extract_cmd;
pub mod leads;
pub mod maintenance;
pub mod ops;
pub mod state;
pub mod sync;
pub mod ws;

pub use config::Config;
pub use state::AppState;
