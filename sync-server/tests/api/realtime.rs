//! WebSocket pokes: delivery, authentication, coalescing, and fan-out across server processes.

use std::process::Stdio;
use std::time::Duration;

use futures::SinkExt;
use leadsync_types::Field;
use serde_json::json;
use sqlx::PgPool;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn a_second_socket_gets_a_poke_after_a_push(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("live@acme.com").await;
    let mut other_device = app.ws_authed(&s.access).await;
    let resp = app
        .push(
            &s.access,
            Uuid::now_v7(),
            vec![set(1, Uuid::now_v7(), &[(Field::Name, "Live")], hlc(0, 1))],
        )
        .await;
    let version = resp.json::<serde_json::Value>().await.unwrap()["version"]
        .as_u64()
        .unwrap();
    let poke = expect_poke(&mut other_device, version, Duration::from_secs(3)).await;
    assert_eq!(poke["version"], version);
    // Application-level ping is answered.
    other_device
        .send(Message::Text(json!({"type": "ping"}).to_string().into()))
        .await
        .unwrap();
    let pong = next_json(&mut other_device, Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(pong["type"], "pong");
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn unauthenticated_sockets_are_closed(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("closed@acme.com").await;
    // Silent: closed after the auth timeout (1 s in tests), with an error saying what to send.
    let mut silent = app.ws().await;
    let err = next_json(&mut silent, Duration::from_secs(3))
        .await
        .expect("an error before the close");
    assert_eq!(err["code"], "auth_timeout");
    assert!(
        next_json(&mut silent, Duration::from_secs(3))
            .await
            .is_none(),
        "then the socket closes"
    );

    // A bad token.
    let mut bad = app.ws().await;
    bad.send(Message::Text(
        json!({"type": "auth", "token": "forged"})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let err = next_json(&mut bad, Duration::from_secs(3)).await.unwrap();
    assert_eq!(err["code"], "invalid_token");
    assert!(next_json(&mut bad, Duration::from_secs(3)).await.is_none());

    // Something other than auth first.
    let mut rude = app.ws().await;
    rude.send(Message::Text(json!({"type": "ping"}).to_string().into()))
        .await
        .unwrap();
    let err = next_json(&mut rude, Duration::from_secs(3)).await.unwrap();
    assert_eq!(err["code"], "auth_required");

    // An unauthenticated socket never sees a poke.
    let mut lurker = app.ws().await;
    app.push(
        &s.access,
        Uuid::now_v7(),
        vec![set(
            1,
            Uuid::now_v7(),
            &[(Field::Name, "Private")],
            hlc(0, 1),
        )],
    )
    .await;
    let first = next_json(&mut lurker, Duration::from_secs(3)).await;
    assert!(first.is_some_and(|m| m["type"] == "error"));

    // The token can also travel in Sec-WebSocket-Protocol.
    let mut req = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        format!("ws://{}/v1/ws", app.addr),
    )
    .unwrap();
    req.headers_mut().insert(
        "sec-websocket-protocol",
        format!("leadsync.v1, bearer.{}", s.access).parse().unwrap(),
    );
    let (mut via_header, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
    assert_eq!(
        resp.headers().get("sec-websocket-protocol").unwrap(),
        "leadsync.v1"
    );
    let ready = next_json(&mut via_header, Duration::from_secs(3))
        .await
        .unwrap();
    assert_eq!(ready["type"], "ready");
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_burst_of_commits_is_coalesced(pool: PgPool) {
    let app = spawn_app(pool).await;
    let s = app.signup("burst@acme.com").await;
    let mut socket = app.ws_authed(&s.access).await;
    let client = Uuid::now_v7();
    let mut last = 0;
    for mid in 1..=20u64 {
        let resp = app
            .push(
                &s.access,
                client,
                vec![set(
                    mid,
                    Uuid::now_v7(),
                    &[(Field::Name, "Burst")],
                    hlc(0, 1),
                )],
            )
            .await;
        last = resp.json::<serde_json::Value>().await.unwrap()["version"]
            .as_u64()
            .unwrap();
    }
    let mut pokes = 0;
    loop {
        let poke = expect_poke(&mut socket, 1, Duration::from_secs(3)).await;
        pokes += 1;
        if poke["version"].as_u64().unwrap() >= last {
            break;
        }
    }
    assert!(pokes <= 20, "never more pokes than commits ({pokes})");
    app.stop().await;
}

/// A real server process on the test database.
struct ServerProcess {
    child: tokio::process::Child,
    addr: String,
}

impl ServerProcess {
    async fn start(database_url: &str) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_leadsync-server"))
            .env("DATABASE_URL", database_url)
            .env("LEADSYNC_ADDR", &addr)
            .env("LEADSYNC_JWT_SECRET", JWT_SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start leadsync-server");
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("http://{addr}/readyz")).send().await {
                if r.status().is_success() {
                    return ServerProcess { child, addr };
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("leadsync-server on {addr} did not become ready");
    }

    async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn two_server_processes_on_one_database_poke_each_others_sockets(pool: PgPool) {
    let url = database_url(&pool).await;
    let one = ServerProcess::start(&url).await;
    let two = ServerProcess::start(&url).await;
    let http = reqwest::Client::new();
    let signup = json!({"tenant_name": "Multi", "email": "multi@acme.com", "password": "correct horse battery"});
    let body: serde_json::Value = http
        .post(format!("http://{}/v1/auth/signup", one.addr))
        .json(&signup)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let s = session(body);

    let mut on_two = ws_authed_at(&two.addr, &s.access).await;
    let push = leadsync_types::sync::PushRequest {
        client_id: Uuid::now_v7(),
        mutations: vec![set(
            1,
            Uuid::now_v7(),
            &[(Field::Name, "Across")],
            hlc(0, 1),
        )],
    };
    let resp: serde_json::Value = http
        .post(format!("http://{}/v1/sync/push", one.addr))
        .bearer_auth(&s.access)
        .json(&push)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let version = resp["version"].as_u64().unwrap();
    expect_poke(&mut on_two, version, Duration::from_secs(3)).await;
    drop(on_two);
    one.stop().await;
    two.stop().await;
    pool.close().await;
}
