//! The worker process's own status server.

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_worker_reports_its_health() {
    let app = spawn_app().await;
    let response = app
        .http
        .get(format!("{}/healthz", app.worker_url.as_deref().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], true);
    assert_eq!(body["redis"], true);
}
