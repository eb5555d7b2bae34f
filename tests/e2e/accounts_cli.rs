//! `chorus user create` and `chorus token create`, run as the binary.

use std::process::{Output, Stdio};
use std::time::Duration;

use chorus_core::Micros;
use chorus_core::accounts::{create_user, find_user_by_email};
use chorus_testkit::{TestDb, init};
use tokio::io::AsyncWriteExt;

use crate::accounts::member;
use crate::cli::chorus;
use crate::helpers::spawn_app;

/// Runs `chorus` with `stdin` as its standard input.
async fn run(args: &[&str], vars: &[(&str, &str)], stdin: &str) -> Output {
    let mut child = chorus(args, vars).stdin(Stdio::piped()).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    // A command that fails before reading stdin closes it: not our failure.
    let _ = input.write_all(stdin.as_bytes()).await;
    drop(input);
    tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("chorus did not exit")
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn the_cli_creates_a_user_and_a_token_that_the_api_accepts() {
    let app = spawn_app().await;
    let owned = app.env.env_vars();
    let vars: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let created = run(
        &[
            "user",
            "create",
            "--email",
            "Ada@Example.com",
            "--admin",
            "--budget-usd",
            "12.5",
        ],
        &vars,
        "correct horse battery\n",
    )
    .await;
    assert!(created.status.success(), "{created:?}");
    let line = text(&created.stdout);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.starts_with("created admin ada@example.com (id "),
        "{line}"
    );
    let ada = find_user_by_email(app.env.db.pool(), "ada@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(line.contains(&ada.id.to_string()), "{line}");
    assert_eq!(ada.monthly_budget, Some(Micros(12_500_000)));

    let issued = run(
        &[
            "token",
            "create",
            "--email",
            "ada@example.com",
            "--name",
            "laptop",
        ],
        &vars,
        "",
    )
    .await;
    assert!(issued.status.success(), "{issued:?}");
    let stdout = text(&issued.stdout);
    assert_eq!(stdout.lines().count(), 1, "only the token: {stdout}");
    let token = stdout.trim_end();
    assert!(token.starts_with("chorus_"), "{stdout}");

    let me = app
        .http
        .get(format!("{}/api/v1/me", app.web_url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let body: serde_json::Value = me.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"id": ada.id, "email": "ada@example.com", "role": "admin"})
    );
}

#[tokio::test]
async fn a_short_or_missing_password_is_refused_with_one_line() {
    init();
    let db = TestDb::migrated().await;
    let vars = [("DATABASE_URL", db.url())];
    let args = ["user", "create", "--email", "ada@example.com"];
    for (stdin, expected) in [
        ("1234567\n", "at least 8"),
        ("", "no password"),
        ("\n", "no password"),
    ] {
        let out = run(&args, &vars, stdin).await;
        assert_eq!(out.status.code(), Some(1), "{stdin:?}: {out:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stdin:?}: {stderr}");
        assert!(stderr.contains(expected), "{stdin:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{stdin:?}: {out:?}");
    }
    let found = find_user_by_email(db.pool(), "ada@example.com")
        .await
        .unwrap();
    assert_eq!(found, None);
}

#[tokio::test]
async fn a_duplicate_email_is_refused_with_one_line() {
    init();
    let db = TestDb::migrated().await;
    create_user(db.pool(), member("ada@example.com"))
        .await
        .unwrap();
    let vars = [("DATABASE_URL", db.url())];
    let args = ["user", "create", "--email", "ADA@example.com"];
    let out = run(&args, &vars, "another password\n").await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
}

#[tokio::test]
async fn user_create_refuses_an_unmigrated_database() {
    init();
    let db = TestDb::empty().await;
    let vars = [("DATABASE_URL", db.url())];
    let args = ["user", "create", "--email", "ada@example.com"];
    let out = run(&args, &vars, "correct horse battery\n").await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("not migrated"), "{stderr}");
    assert!(stderr.contains("chorus migrate"), "{stderr}");
}

#[tokio::test]
async fn a_token_for_an_unknown_email_is_refused_with_one_line() {
    init();
    let db = TestDb::migrated().await;
    let vars = [("DATABASE_URL", db.url())];
    let args = [
        "token",
        "create",
        "--email",
        "nobody@example.com",
        "--name",
        "ci",
    ];
    let out = run(&args, &vars, "").await;
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("nobody@example.com"), "{stderr}");
}
