//! Leads: the shared write path ([`store`]), the REST view and routes.

mod routes;
pub mod store;
mod view;

pub use routes::router;
