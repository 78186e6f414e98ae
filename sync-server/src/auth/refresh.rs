//! Refresh tokens: opaque `TENANT.ID.SECRET` strings; only a SHA-256 of the secret is stored. Each
//! use spends the token and issues its successor in the same family; a spent token presented again
//! revokes the whole family (someone copied it).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::ApiError;

/// A parsed refresh token.
pub struct RefreshToken {
    pub tenant_id: Uuid,
    pub id: Uuid,
    secret: Vec<u8>,
}

fn invalid() -> ApiError {
    ApiError::Unauthorized(
        "invalid_refresh_token",
        "the refresh token is not valid: sign in again (POST /v1/auth/login)".into(),
    )
}

impl RefreshToken {
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        let mut parts = s.trim().splitn(3, '.');
        let (Some(t), Some(i), Some(secret)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid());
        };
        let tenant_id = Uuid::try_parse(t).map_err(|_| invalid())?;
        let id = Uuid::try_parse(i).map_err(|_| invalid())?;
        let secret = URL_SAFE_NO_PAD.decode(secret).map_err(|_| invalid())?;
        if secret.len() != 32 {
            return Err(invalid());
        }
        Ok(RefreshToken {
            tenant_id,
            id,
            secret,
        })
    }

    fn hash(&self) -> Vec<u8> {
        Sha256::digest(&self.secret).to_vec()
    }
}

/// Store a new token for `user` (in `family`, or a new family) and return its string form.
pub async fn issue(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    user_id: Uuid,
    family_id: Option<Uuid>,
    ttl: std::time::Duration,
) -> Result<String, ApiError> {
    let mut secret = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut secret);
    let token = RefreshToken {
        tenant_id,
        id: Uuid::now_v7(),
        secret: secret.to_vec(),
    };
    let expires_at =
        Utc::now() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(30));
    sqlx::query(
        "INSERT INTO refresh_tokens (id, tenant_id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token.id)
    .bind(tenant_id)
    .bind(user_id)
    .bind(family_id.unwrap_or_else(Uuid::now_v7))
    .bind(token.hash())
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(format!(
        "{}.{}.{}",
        tenant_id.simple(),
        token.id.simple(),
        URL_SAFE_NO_PAD.encode(secret)
    ))
}

/// What [`spend`] found.
pub enum Spent {
    /// Valid and now spent: issue the successor in this family.
    Fresh { user_id: Uuid, family_id: Uuid },
    /// Already spent before: the family has been revoked; commit and refuse.
    Reused,
}

/// Spend a token inside a tenant transaction (the row is locked, so two concurrent uses of one token
/// cannot both succeed).
pub async fn spend(conn: &mut PgConnection, token: &RefreshToken) -> Result<Spent, ApiError> {
    type Row = (
        Uuid,
        Uuid,
        Vec<u8>,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT user_id, family_id, token_hash, expires_at, used_at, revoked_at FROM refresh_tokens WHERE id = $1 FOR UPDATE",
    )
    .bind(token.id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((user_id, family_id, stored_hash, expires_at, used_at, revoked_at)) = row else {
        return Err(invalid());
    };
    if !constant_time_eq(&stored_hash, &token.hash()) {
        return Err(invalid());
    }
    if revoked_at.is_some() {
        return Err(ApiError::Unauthorized(
            "refresh_token_revoked",
            "this session was signed out: sign in again".into(),
        ));
    }
    if used_at.is_some() {
        revoke_family(conn, family_id).await?;
        return Ok(Spent::Reused);
    }
    if expires_at < Utc::now() {
        return Err(ApiError::Unauthorized(
            "refresh_token_expired",
            "the session has expired: sign in again".into(),
        ));
    }
    sqlx::query("UPDATE refresh_tokens SET used_at = now() WHERE id = $1")
        .bind(token.id)
        .execute(&mut *conn)
        .await?;
    Ok(Spent::Fresh { user_id, family_id })
}

/// Revoke the family a token belongs to (logout). Unknown tokens are ignored: logout is idempotent.
pub async fn revoke_token_family(
    conn: &mut PgConnection,
    token: &RefreshToken,
) -> Result<(), ApiError> {
    let row: Option<(Uuid, Vec<u8>)> =
        sqlx::query_as("SELECT family_id, token_hash FROM refresh_tokens WHERE id = $1")
            .bind(token.id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((family, hash)) = row {
        if constant_time_eq(&hash, &token.hash()) {
            revoke_family(conn, family).await?;
        }
    }
    Ok(())
}

async fn revoke_family(conn: &mut PgConnection, family_id: Uuid) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .execute(conn)
    .await?;
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
