//! `/v1/auth/*`, `/v1/me` and `/v1/users`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use leadsync_types::Email;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::jwt::AuthUser;
use super::password;
use super::refresh::{self, RefreshToken, Spent};
use super::role::Role;
use crate::db::begin_tenant;
use crate::error::extract::Json;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/signup", post(signup))
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/refresh", post(refresh_tokens))
        .route("/v1/auth/logout", post(logout))
        .route("/v1/me", get(me))
        .route("/v1/users", post(create_user))
}

#[derive(Deserialize)]
pub struct SignupBody {
    tenant_name: String,
    email: String,
    password: String,
}

#[derive(Deserialize)]
pub struct LoginBody {
    email: String,
    password: String,
}

#[derive(Deserialize)]
pub struct RefreshBody {
    refresh_token: String,
}

#[derive(Deserialize)]
pub struct NewUserBody {
    email: String,
    password: String,
    role: String,
}

#[derive(Serialize)]
pub struct UserView {
    id: Uuid,
    email: String,
    role: Role,
    tenant_id: Uuid,
}

#[derive(Serialize)]
pub struct TokenResponse {
    access_token: String,
    refresh_token: String,
    token_type: &'static str,
    expires_in: u64,
    user: UserView,
}

/// Accounts are keyed by the whole address in lower case.
fn account_email(raw: &str) -> ApiResult<String> {
    Email::parse(raw)
        .map(|e| e.dedup_form().to_string())
        .map_err(|e| ApiError::BadRequest("invalid_email", e.to_string()))
}

/// The client's address, when the server was started with connect info (always, outside unit tests).
pub struct ClientIp(Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

async fn tokens_for(
    state: &AppState,
    conn: &mut sqlx::PgConnection,
    user: UserView,
    family: Option<Uuid>,
) -> ApiResult<TokenResponse> {
    let auth = AuthUser {
        user_id: user.id,
        tenant_id: user.tenant_id,
        role: user.role,
    };
    let ttl = state.config.access_ttl.as_secs();
    let refresh_token = refresh::issue(
        conn,
        user.tenant_id,
        user.id,
        family,
        state.config.refresh_ttl,
    )
    .await?;
    Ok(TokenResponse {
        access_token: state.jwt.issue(&auth, ttl)?,
        refresh_token,
        token_type: "Bearer",
        expires_in: ttl,
        user,
    })
}

#[tracing::instrument(skip_all)]
async fn signup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<SignupBody>,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    state.login_limiter.check_ip(ip)?;
    let tenant_name = body.tenant_name.trim().to_string();
    if tenant_name.is_empty() || tenant_name.chars().count() > 200 {
        return Err(ApiError::validation(
            "tenant_name must be 1 to 200 characters: the name of your team or company",
        ));
    }
    if tenant_name.chars().any(char::is_control) {
        return Err(ApiError::validation(
            "tenant_name must not contain control characters such as line breaks",
        ));
    }
    let email = account_email(&body.email)?;
    password::check_strength(&body.password)?;
    let hash = password::hash(body.password).await?;

    let tenant_id = Uuid::now_v7();
    let user_id = Uuid::now_v7();
    let mut tx = begin_tenant(&state.db, tenant_id).await?;
    sqlx::query("INSERT INTO tenants (id, name) VALUES ($1, $2)")
        .bind(tenant_id)
        .bind(&tenant_name)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO tenant_versions (tenant_id) VALUES ($1)")
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO users (id, tenant_id, email, password_hash, role) VALUES ($1, $2, $3, $4, 'admin')")
        .bind(user_id)
        .bind(tenant_id)
        .bind(&email)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    let user = UserView {
        id: user_id,
        email,
        role: Role::Admin,
        tenant_id,
    };
    let resp = tokens_for(&state, &mut tx, user, None).await?;
    tx.commit().await?;
    tracing::info!(%tenant_id, %user_id, "tenant created");
    Ok((StatusCode::CREATED, Json(resp)))
}

#[tracing::instrument(skip_all)]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<LoginBody>,
) -> ApiResult<Json<TokenResponse>> {
    // The same normal form as signup (lower case, IDN domains as punycode).
    let email = Email::parse(body.email.trim())
        .map(|e| e.dedup_form().to_string())
        .unwrap_or_default();
    state.login_limiter.check(&email, ip)?;
    let row: Option<(Uuid, Uuid, String, String)> = if email.is_empty() {
        None // not an address at all: no account can match
    } else {
        sqlx::query_as("SELECT id, tenant_id, password_hash, role FROM login_lookup($1)")
            .bind(&email)
            .fetch_optional(&state.db)
            .await?
    };
    let stored = row
        .as_ref()
        .map(|r| r.2.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let ok = password::verify(body.password, stored).await?;
    let (Some((user_id, tenant_id, _, role)), true) = (row, ok) else {
        return Err(ApiError::Unauthorized(
            "invalid_credentials",
            "the email or password is wrong".into(),
        ));
    };
    let role =
        Role::parse(&role).ok_or_else(|| ApiError::Internal(format!("unknown role {role}")))?;
    let mut tx = begin_tenant(&state.db, tenant_id).await?;
    let resp = tokens_for(
        &state,
        &mut tx,
        UserView {
            id: user_id,
            email,
            role,
            tenant_id,
        },
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(resp))
}

#[tracing::instrument(skip_all)]
async fn refresh_tokens(
    State(state): State<AppState>,
    Json(body): Json<RefreshBody>,
) -> ApiResult<Json<TokenResponse>> {
    let token = RefreshToken::parse(&body.refresh_token)?;
    let mut tx = begin_tenant(&state.db, token.tenant_id).await?;
    match refresh::spend(&mut tx, &token).await? {
        Spent::Reused => {
            // Keep the revocation, then refuse.
            tx.commit().await?;
            tracing::warn!(tenant_id = %token.tenant_id, "refresh token reused; family revoked");
            Err(ApiError::Unauthorized(
                "refresh_token_reused",
                "this refresh token was already used, so every session from it has been signed out; sign in again".into(),
            ))
        }
        Spent::Fresh { user_id, family_id } => {
            let row: Option<(String, String)> =
                sqlx::query_as("SELECT email, role FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (email, role) = row.ok_or_else(|| {
                ApiError::Unauthorized("user_gone", "this account no longer exists".into())
            })?;
            let role = Role::parse(&role)
                .ok_or_else(|| ApiError::Internal(format!("unknown role {role}")))?;
            let user = UserView {
                id: user_id,
                email,
                role,
                tenant_id: token.tenant_id,
            };
            let resp = tokens_for(&state, &mut tx, user, Some(family_id)).await?;
            tx.commit().await?;
            Ok(Json(resp))
        }
    }
}

#[tracing::instrument(skip_all)]
async fn logout(
    State(state): State<AppState>,
    Json(body): Json<RefreshBody>,
) -> ApiResult<StatusCode> {
    let token = RefreshToken::parse(&body.refresh_token)?;
    let mut tx = begin_tenant(&state.db, token.tenant_id).await?;
    refresh::revoke_token_family(&mut tx, &token).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub struct MeView {
    id: Uuid,
    email: String,
    role: Role,
    tenant_id: Uuid,
    tenant_name: String,
}

#[tracing::instrument(skip_all, fields(user = %user.user_id))]
async fn me(State(state): State<AppState>, user: AuthUser) -> ApiResult<Json<MeView>> {
    let mut tx = begin_tenant(&state.db, user.tenant_id).await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT u.email, t.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1",
    )
    .bind(user.user_id)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    let (email, tenant_name) = row.ok_or_else(|| {
        ApiError::Unauthorized("user_gone", "this account no longer exists".into())
    })?;
    Ok(Json(MeView {
        id: user.user_id,
        email,
        role: user.role,
        tenant_id: user.tenant_id,
        tenant_name,
    }))
}

#[tracing::instrument(skip_all, fields(admin = %admin.user_id))]
async fn create_user(
    State(state): State<AppState>,
    admin: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<NewUserBody>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    admin.require_admin()?;
    state.login_limiter.check_ip(ip)?;
    let role = Role::parse(body.role.trim()).ok_or_else(|| {
        ApiError::validation(format!(
            "role `{}` is unknown: use admin, manager, rep or viewer",
            body.role
        ))
    })?;
    let email = account_email(&body.email)?;
    password::check_strength(&body.password)?;
    let hash = password::hash(body.password).await?;
    let id = Uuid::now_v7();
    let mut tx = begin_tenant(&state.db, admin.tenant_id).await?;
    sqlx::query(
        "INSERT INTO users (id, tenant_id, email, password_hash, role) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(admin.tenant_id)
    .bind(&email)
    .bind(&hash)
    .bind(role.as_str())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(UserView {
            id,
            email,
            role,
            tenant_id: admin.tenant_id,
        }),
    ))
}
