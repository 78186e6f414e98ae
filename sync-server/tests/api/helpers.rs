//! `spawn_app()` and small helpers shared by the tests.

#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::{SinkExt, StreamExt};
use leadsync_server::{app, db, AppState, Config};
use leadsync_types::sync::{Mutation, PushRequest};
use leadsync_types::{Field, Hlc, Register};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123";

pub struct TestApp {
    pub addr: String,
    pub http: reqwest::Client,
    pub state: AppState,
    /// The test database as its owner (superuser): for arranging things the API cannot.
    pub admin: PgPool,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

pub fn test_config() -> Config {
    let mut config = Config::new("unused: the test harness connects itself");
    config.jwt_secret = Some(JWT_SECRET.into());
    config.ws_auth_timeout = Duration::from_secs(1);
    config.log_json = false;
    config
}

/// The fresh test database's URL (for starting real server processes on it).
pub async fn database_url(admin: &PgPool) -> String {
    let (db,): (String,) = sqlx::query_as("SELECT current_database()::text")
        .fetch_one(admin)
        .await
        .unwrap();
    let base =
        std::env::var("DATABASE_URL").expect("DATABASE_URL must be set (scripts/test.sh does it)");
    let base = base.split('?').next().unwrap();
    let cut = base
        .rfind('/')
        .filter(|i| *i > base.find("://").map(|s| s + 2).unwrap_or(0))
        .unwrap_or(base.len());
    format!("{}/{}", &base[..cut], db)
}

pub async fn spawn_app(admin: PgPool) -> TestApp {
    spawn_app_with(admin, test_config()).await
}

pub async fn spawn_app_with(admin: PgPool, config: Config) -> TestApp {
    let opts = (*admin.connect_options()).clone().username(db::APP_ROLE);
    let pool = db::app_pool(opts).await.expect("connect as leadsync_app");
    db::check_unprivileged(&pool)
        .await
        .expect("app role must not bypass RLS");
    let state = AppState::new(pool, config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    let server = tokio::spawn(app::serve(listener, state.clone(), std::future::pending()));
    TestApp {
        addr,
        http: reqwest::Client::new(),
        state,
        admin,
        server,
    }
}

pub struct Session {
    pub access: String,
    pub refresh: String,
    pub user_id: Uuid,
    pub tenant_id: Uuid,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn stop(self) {
        self.server.abort();
        let _ = self.server.await;
        self.state.db.close().await;
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut req = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> Response {
        self.http
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.http
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn signup(&self, email: &str) -> Session {
        let body = json!({"tenant_name": format!("Team of {email}"), "email": email, "password": "correct horse battery"});
        let resp = self.post("/v1/auth/signup", None, &body).await;
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        session(body)
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/v1/auth/login",
            None,
            &json!({"email": email, "password": password}),
        )
        .await
    }

    /// Add a teammate with `role` to the admin's tenant and sign them in.
    pub async fn add_user(&self, admin: &Session, email: &str, role: &str) -> Session {
        let body = json!({"email": email, "password": "teammate password 1", "role": role});
        let resp = self.post("/v1/users", Some(&admin.access), &body).await;
        assert_eq!(
            resp.status(),
            StatusCode::CREATED,
            "{}",
            resp.text().await.unwrap()
        );
        let resp = self.login(email, "teammate password 1").await;
        assert_eq!(resp.status(), StatusCode::OK);
        session(resp.json().await.unwrap())
    }

    pub async fn push(&self, token: &str, client: Uuid, mutations: Vec<Mutation>) -> Response {
        self.spawn_push(token, client, mutations).await.unwrap()
    }

    pub async fn pull(&self, token: &str, cursor: &str) -> Response {
        self.get(&format!("/v1/sync/pull?cursor={cursor}"), token)
            .await
    }

    /// Push in the background (to race it against other requests).
    pub fn spawn_push(
        &self,
        token: &str,
        client: Uuid,
        mutations: Vec<Mutation>,
    ) -> tokio::task::JoinHandle<Response> {
        let (url, token) = (self.url("/v1/sync/push"), token.to_string());
        let body = serde_json::to_value(PushRequest {
            client_id: client,
            mutations,
        })
        .unwrap();
        tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        })
    }

    /// Pull until `has_more` is false; returns (every change in order, final cursor).
    pub async fn pull_all(&self, token: &str, cursor: &str, limit: u32) -> (Vec<Value>, String) {
        let mut cursor = cursor.to_string();
        let mut all = Vec::new();
        loop {
            let resp = self
                .get(
                    &format!("/v1/sync/pull?cursor={cursor}&limit={limit}"),
                    token,
                )
                .await;
            assert_eq!(resp.status(), StatusCode::OK);
            let body: Value = resp.json().await.unwrap();
            all.extend(body["changes"].as_array().unwrap().iter().cloned());
            cursor = body["cursor"].as_str().unwrap().to_string();
            if !body["has_more"].as_bool().unwrap() {
                return (all, cursor);
            }
        }
    }

    pub async fn ws(&self) -> Ws {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/v1/ws", self.addr))
            .await
            .unwrap();
        ws
    }

    /// A socket authenticated with `token`, past its `ready` message.
    pub async fn ws_authed(&self, token: &str) -> Ws {
        ws_authed_at(&self.addr, token).await
    }
}

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub async fn ws_authed_at(addr: &str, token: &str) -> Ws {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/v1/ws"))
        .await
        .unwrap();
    ws.send(Message::Text(
        json!({"type": "auth", "token": token}).to_string().into(),
    ))
    .await
    .unwrap();
    let ready = next_json(&mut ws, Duration::from_secs(5))
        .await
        .expect("ready message");
    assert_eq!(ready["type"], "ready", "{ready}");
    ws
}

/// The next JSON text message, or None on timeout / close.
pub async fn next_json(ws: &mut Ws, wait: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let msg = tokio::time::timeout_at(deadline, ws.next())
            .await
            .ok()??
            .ok()?;
        match msg {
            Message::Text(t) => return Some(serde_json::from_str(&t).unwrap()),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

/// Wait for a poke with at least `version`.
pub async fn expect_poke(ws: &mut Ws, version: u64, wait: Duration) -> Value {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let msg = next_json(ws, left)
            .await
            .unwrap_or_else(|| panic!("no poke for version {version} within {wait:?}"));
        if msg["type"] == "poke" && msg["version"].as_u64().unwrap() >= version {
            return msg;
        }
    }
}

pub fn session(body: Value) -> Session {
    Session {
        access: body["access_token"].as_str().unwrap().into(),
        refresh: body["refresh_token"].as_str().unwrap().into(),
        user_id: body["user"]["id"].as_str().unwrap().parse().unwrap(),
        tenant_id: body["user"]["tenant_id"].as_str().unwrap().parse().unwrap(),
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A clock value `offset_ms` from now written by `node`.
pub fn hlc(offset_ms: i64, node: u128) -> Hlc {
    Hlc::new((now_ms() as i64 + offset_ms) as u64, 0, node)
}

/// A mutation setting `fields` on `lead` at `at`.
pub fn set(mid: u64, lead: Uuid, fields: &[(Field, &str)], at: Hlc) -> Mutation {
    Mutation {
        mid,
        lead_id: lead,
        fields: fields
            .iter()
            .map(|(f, v)| (*f, Register::new(Some(v.to_string()), at)))
            .collect(),
        tags: Default::default(),
        other_contacts: Default::default(),
        deleted: None,
    }
}

pub fn delete(mid: u64, lead: Uuid, at: Hlc) -> Mutation {
    Mutation {
        mid,
        lead_id: lead,
        fields: Default::default(),
        tags: Default::default(),
        other_contacts: Default::default(),
        deleted: Some(at),
    }
}

/// Assert an error response: status, JSON `error.code`, and a non-empty message.
pub async fn assert_error(resp: Response, status: StatusCode, code: &str) -> Value {
    let got = resp.status();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "body: {text}");
    let body: Value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("error body is not JSON: {text}"));
    assert_eq!(body["error"]["code"], code, "body: {text}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.len() > 10),
        "message should explain: {text}"
    );
    body
}

/// The field value of a pulled change.
pub fn field<'a>(change: &'a Value, name: &str) -> Option<&'a str> {
    change["fields"][name]["value"].as_str()
}
