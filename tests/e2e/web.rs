//! The web app's frame: pages, health, headers and errors.

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn without_an_api_key_every_page_says_the_upstream_is_simulated() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Simulated upstream"), "{html}");
    assert!(html.contains("USD 0.035"), "{html}");
}

#[tokio::test]
async fn with_an_api_key_there_is_no_simulator_banner() {
    let app = spawn_app_with(&[("CHORUS_UPSTREAM_API_KEY", "vendor-key")]).await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("Chorus"));
    assert!(!html.contains("Simulated upstream"), "{html}");
    assert!(
        !html.contains("vendor-key"),
        "the API key leaked into a page"
    );
}

#[tokio::test]
async fn health_reports_postgres_and_redis() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"database": true, "redis": true}));
}

#[tokio::test]
async fn an_unknown_address_gets_a_friendly_404_page() {
    let app = spawn_app().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("Not found"), "{html}");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/healthz", "/static/chorus.css", "/missing"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
}

#[tokio::test]
async fn the_stylesheet_is_served_with_caching() {
    let app = spawn_app().await;
    let response = app.get("/static/chorus.css").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/css; charset=utf-8"
    );
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
}
