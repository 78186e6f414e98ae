//! The server binary as an operator meets it: --help, missing configuration, an unsafe role.

use std::process::Command;

use leadsync_server::config::SETTINGS;
use sqlx::PgPool;

use crate::helpers::*;

fn server() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_leadsync-server"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("LEADSYNC_APP_DATABASE_URL");
    cmd
}

#[test]
fn help_lists_every_setting() {
    let out = server().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for (name, _, _) in SETTINGS {
        assert!(text.contains(name), "--help does not mention {name}");
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    for (name, _, _) in SETTINGS {
        assert!(
            readme.contains(&format!("`{name}`")),
            "README's configuration table does not mention {name}"
        );
    }
}

#[test]
fn a_missing_database_url_is_explained() {
    let out = server().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("DATABASE_URL is not set"), "{err}");
    let out = server().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_server_refuses_to_run_as_a_role_that_bypasses_row_level_security(pool: PgPool) {
    let url = database_url(&pool).await;
    let out = server()
        .env("DATABASE_URL", &url)
        .env("LEADSYNC_APP_DATABASE_URL", &url) // the superuser the tests create databases with
        .env("LEADSYNC_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("superuser or has BYPASSRLS"), "{err}");
    pool.close().await;
}

#[test]
fn extract_prints_the_candidates_of_a_saved_page() {
    let page = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/pages/team-dl-fr.html"
    );
    let out = server()
        .args([
            "extract",
            page,
            "--url",
            "https://www.atelier-lumiere.fr/contact",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let candidates: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let camille = candidates
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["dedup_key"] == "email:camille.rousseau@atelier-lumiere.fr")
        .expect("Camille is found");
    let value = |field: &str| {
        camille["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["field"] == field)
            .map(|v| v["value"].clone())
    };
    assert_eq!(value("name"), Some("Camille Rousseau".into()));
    assert_eq!(
        value("phone"),
        Some("+33142685310".into()),
        "French national format read with the page's region"
    );

    let missing = server()
        .args(["extract", "/nonexistent/page.html"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
    let no_page = server().args(["extract"]).output().unwrap();
    assert_eq!(no_page.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_page.stderr).contains("usage"));
}
