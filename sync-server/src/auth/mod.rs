//! Accounts: signup, login, refresh rotation, logout, me, teammates.

mod jwt;
mod password;
mod rate_limit;
mod refresh;
mod role;
mod routes;

pub use jwt::{AuthUser, Claims, JwtKeys};
pub use rate_limit::LoginLimiter;
pub use role::Role;
pub use routes::router;
