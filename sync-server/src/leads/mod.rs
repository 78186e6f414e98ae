//! Leads: the shared write path ([`store`]), the REST view and routes.

pub mod store;
mod routes;
mod view;

pub use routes::router;
