//! The one application state every handler receives.

use std::sync::Arc;

use sqlx::PgPool;

use crate::auth::{JwtKeys, LoginLimiter};
use crate::clock::ServerClock;
use crate::config::Config;
use crate::ws::hub::Hub;

#[derive(Clone)]
pub struct AppState {
    /// Request traffic, as the non-superuser app role.
    pub db: PgPool,
    pub config: Arc<Config>,
    pub jwt: Arc<JwtKeys>,
    pub clock: ServerClock,
    pub hub: Hub,
    pub login_limiter: Arc<LoginLimiter>,
}

impl AppState {
    pub fn new(db: PgPool, config: Config) -> Self {
        let secret = match &config.jwt_secret {
            Some(s) => s.as_bytes().to_vec(),
            None => {
                tracing::warn!("LEADSYNC_JWT_SECRET is not set: using a random secret, so tokens end with this process and do not work on other instances");
                let mut bytes = [0u8; 32];
                rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
                bytes.to_vec()
            }
        };
        AppState {
            db,
            jwt: Arc::new(JwtKeys::new(&secret)),
            login_limiter: Arc::new(LoginLimiter::new(config.login_per_minute)),
            config: Arc::new(config),
            clock: ServerClock::default(),
            hub: Hub::default(),
        }
    }
}
