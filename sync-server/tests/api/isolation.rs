//! Tenants are walled off from each other by the application and, independently, by row-level
//! security.

use std::time::Duration;

use leadsync_server::db::APP_ROLE;
use leadsync_types::Field;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

use crate::helpers::*;

#[sqlx::test(migrations = "../migrations")]
async fn another_tenant_cannot_see_or_touch_leads_even_by_exact_id(pool: PgPool) {
    let app = spawn_app(pool).await;
    let a = app.signup("a@one.io").await;
    let b = app.signup("b@two.io").await;
    let created: Value = app
        .post(
            "/v1/leads",
            Some(&a.access),
            &json!({"name": "Secret Lead", "email": "secret@one.io"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let mut b_socket = app.ws_authed(&b.access).await;

    let list: Value = app.get("/v1/leads", &b.access).await.json().await.unwrap();
    assert!(list["items"].as_array().unwrap().is_empty());
    let q: Value = app
        .get("/v1/leads?q=secret", &b.access)
        .await
        .json()
        .await
        .unwrap();
    assert!(q["items"].as_array().unwrap().is_empty());
    assert_error(
        app.get(&format!("/v1/leads/{id}"), &b.access).await,
        StatusCode::NOT_FOUND,
        "lead_not_found",
    )
    .await;
    assert_error(
        app.patch(
            &format!("/v1/leads/{id}"),
            &b.access,
            &json!({"name": "Hijacked"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "lead_not_found",
    )
    .await;
    assert_error(
        app.delete(&format!("/v1/leads/{id}"), &b.access).await,
        StatusCode::NOT_FOUND,
        "lead_not_found",
    )
    .await;
    let (pulled, _) = app.pull_all(&b.access, "", 100).await;
    assert!(pulled.is_empty());

    // B pushing a mutation with A's lead id creates B's own lead; A's is untouched.
    let lead: Uuid = id.parse().unwrap();
    let resp = app
        .push(
            &b.access,
            Uuid::now_v7(),
            vec![set(
                1,
                lead,
                &[(Field::Name, "B's version")],
                hlc(10_000, 0xb),
            )],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let a_view: Value = app
        .get(&format!("/v1/leads/{id}"), &a.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(a_view["name"], "Secret Lead");
    let (a_pull, _) = app.pull_all(&a.access, "", 100).await;
    assert_eq!(a_pull.len(), 1);
    assert_eq!(field(&a_pull[0], "name"), Some("Secret Lead"));

    // B's own push poked B; A's changes do not, and B's next change does (the socket was listening).
    expect_poke(&mut b_socket, 1, Duration::from_secs(3)).await;
    app.patch(
        &format!("/v1/leads/{id}"),
        &a.access,
        &json!({"title": "CEO"}),
    )
    .await;
    let stray = next_json(&mut b_socket, Duration::from_millis(700)).await;
    assert!(
        stray.is_none(),
        "B must not be poked by A's commits: {stray:?}"
    );
    app.post("/v1/leads", Some(&b.access), &json!({"name": "B lead"}))
        .await;
    expect_poke(&mut b_socket, 2, Duration::from_secs(3)).await;
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn row_level_security_alone_hides_other_tenants(pool: PgPool) {
    let app = spawn_app(pool).await;
    let a = app.signup("rls-a@one.io").await;
    let b = app.signup("rls-b@two.io").await;
    app.post("/v1/leads", Some(&a.access), &json!({"name": "A lead"}))
        .await;
    app.push(
        &a.access,
        Uuid::now_v7(),
        vec![set(
            1,
            Uuid::now_v7(),
            &[(Field::Name, "A synced")],
            hlc(0, 0xa),
        )],
    )
    .await;

    // Raw SQL as the app role, with no application filter at all.
    let opts = (*app.admin.connect_options()).clone().username(APP_ROLE);
    let mut conn = PgConnection::connect_with(&opts).await.unwrap();
    let tables = [
        "leads",
        "users",
        "tenants",
        "refresh_tokens",
        "sync_clients",
        "tenant_versions",
        "events",
    ];
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(b.tenant_id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    for table in tables {
        let rows: Vec<(Uuid,)> = sqlx::query_as(
            &format!("SELECT tenant_id FROM {table}")
                .replace("SELECT tenant_id FROM tenants", "SELECT id FROM tenants"),
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        assert!(
            rows.iter().all(|(t,)| *t == b.tenant_id),
            "{table} leaked another tenant's rows"
        );
    }
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM leads")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 0);
    // Writing into A's tenant while scoped to B is refused by the policy's WITH CHECK.
    let insert = sqlx::query(
        "INSERT INTO leads (tenant_id, id, registers, version) VALUES ($1, $2, '{}', 1)",
    )
    .bind(a.tenant_id)
    .bind(Uuid::now_v7())
    .execute(&mut *tx)
    .await;
    assert!(insert
        .unwrap_err()
        .to_string()
        .contains("row-level security"));
    tx.rollback().await.unwrap();

    // With no tenant set at all, nothing is visible.
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM leads")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 0);
    // And scoped to A, A's leads are there (the check above was not vacuous).
    let mut tx = conn.begin().await.unwrap();
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(a.tenant_id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM leads")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 2);
    tx.rollback().await.unwrap();
    // A temporary table cannot shadow the tables behind the SECURITY DEFINER login lookup.
    sqlx::query("CREATE TEMP TABLE users (id uuid, tenant_id uuid, email text, password_hash text, role text)").execute(&mut conn).await.unwrap();
    sqlx::query("INSERT INTO pg_temp.users VALUES ($1, $2, 'rls-a@one.io', 'fake', 'admin')")
        .bind(Uuid::now_v7())
        .bind(b.tenant_id)
        .execute(&mut conn)
        .await
        .unwrap();
    let (tenant, hash): (Uuid, String) =
        sqlx::query_as("SELECT tenant_id, password_hash FROM login_lookup('rls-a@one.io')")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(tenant, a.tenant_id);
    assert_ne!(hash, "fake");
    // The role really is unprivileged.
    let (sup, bypass): (bool, bool) =
        sqlx::query_as("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(!sup && !bypass);
    conn.close().await.unwrap();
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_viewer_reads_but_every_write_gets_403(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.signup("boss@acme.com").await;
    let viewer = app.add_user(&admin, "viewer@acme.com", "viewer").await;
    let rep = app.add_user(&admin, "rep@acme.com", "rep").await;
    let created: Value = app
        .post("/v1/leads", Some(&admin.access), &json!({"name": "Shared"}))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();

    assert_eq!(
        app.get(&format!("/v1/leads/{id}"), &viewer.access)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get("/v1/leads", &viewer.access).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.pull(&viewer.access, "").await.status(), StatusCode::OK);
    assert_error(
        app.post("/v1/leads", Some(&viewer.access), &json!({"name": "No"}))
            .await,
        StatusCode::FORBIDDEN,
        "read_only_role",
    )
    .await;
    assert_error(
        app.patch(
            &format!("/v1/leads/{id}"),
            &viewer.access,
            &json!({"name": "No"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "read_only_role",
    )
    .await;
    assert_error(
        app.delete(&format!("/v1/leads/{id}"), &viewer.access).await,
        StatusCode::FORBIDDEN,
        "read_only_role",
    )
    .await;
    let push = app
        .push(
            &viewer.access,
            Uuid::now_v7(),
            vec![set(1, Uuid::now_v7(), &[(Field::Name, "No")], hlc(0, 1))],
        )
        .await;
    assert_error(push, StatusCode::FORBIDDEN, "read_only_role").await;
    let add = app
        .post(
            "/v1/users",
            Some(&viewer.access),
            &json!({"email": "x@acme.com", "password": "long enough pw", "role": "admin"}),
        )
        .await;
    assert_error(add, StatusCode::FORBIDDEN, "admin_only").await;

    // A rep writes leads but cannot add teammates.
    assert_eq!(
        app.patch(
            &format!("/v1/leads/{id}"),
            &rep.access,
            &json!({"status": "qualified"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let add = app
        .post(
            "/v1/users",
            Some(&rep.access),
            &json!({"email": "y@acme.com", "password": "long enough pw", "role": "rep"}),
        )
        .await;
    assert_error(add, StatusCode::FORBIDDEN, "admin_only").await;
    let after: Value = app
        .get(&format!("/v1/leads/{id}"), &admin.access)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["name"], "Shared");
    assert_eq!(after["status"], "qualified");
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_server_refuses_an_app_role_that_owns_tables(pool: PgPool) {
    let role = format!("ls_owner_{}", Uuid::now_v7().simple());
    sqlx::query(&format!("CREATE ROLE {role} LOGIN"))
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(&format!("ALTER TABLE events OWNER TO {role}"))
        .execute(&pool)
        .await
        .unwrap();
    let opts = (*pool.connect_options()).clone().username(&role);
    let owner_pool = leadsync_server::db::app_pool(opts).await.unwrap();
    let err = leadsync_server::db::check_unprivileged(&owner_pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("owns leadsync tables"), "{err}");
    owner_pool.close().await;
    sqlx::query("ALTER TABLE events OWNER TO CURRENT_USER")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(&format!("DROP ROLE {role}"))
        .execute(&pool)
        .await
        .unwrap();
}
