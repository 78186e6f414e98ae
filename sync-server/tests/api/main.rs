//! One integration-test binary: every test gets a fresh Postgres database (`#[sqlx::test]`), a real
//! server on a random port running as the non-superuser app role, and talks HTTP/WebSocket to it.

mod helpers;

mod auth;
mod bad_input;
mod cli;
mod cors;
mod events;
mod isolation;
mod realtime;
mod sync;
