//! The JSON API under `/api/v1`, for scripts with personal access tokens.
//! Every answer is JSON, errors included (see [`error`]), and nothing in it
//! is cached.

pub(crate) mod auth;
pub(crate) mod error;
mod generations;
mod me;
mod metrics;
mod rejections;
mod usage;

use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::api::error::ApiError;

/// Song requests are small; this leaves lyrics plenty of room.
const JSON_LIMIT_BYTES: usize = 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(metrics::metrics).service(
        web::scope("/api/v1")
            .wrap(DefaultHeaders::new().add(("Cache-Control", "no-store")))
            // Without these, a body or query that does not parse would get
            // actix's plain-text answer instead of a JSON problem.
            .app_data(json_config())
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|e, _: &HttpRequest| ApiError::from(e).into()),
            )
            .app_data(
                web::PathConfig::default()
                    .error_handler(|e, _: &HttpRequest| ApiError::from(e).into()),
            )
            .service(me::me)
            .service(generations::create)
            .service(generations::show)
            .service(usage::usage)
            .default_service(web::to(not_found)),
    );
}

fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT_BYTES)
        .error_handler(|e, _: &HttpRequest| ApiError::from(e).into())
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use actix_web::http::StatusCode;
    use actix_web::{App, test as actix_test};

    use super::*;

    #[derive(serde::Deserialize)]
    struct Song {
        topic: String,
    }

    /// Posts `body` with `content_type` to a JSON handler under the API's
    /// JSON configuration.
    async fn post(content_type: &str, body: String) -> (StatusCode, serde_json::Value) {
        let app = actix_test::init_service(App::new().service(
            web::scope("/t").app_data(json_config()).route(
                "",
                web::post().to(|song: web::Json<Song>| async move { song.into_inner().topic }),
            ),
        ))
        .await;
        let request = actix_test::TestRequest::post()
            .uri("/t")
            .insert_header(("Content-Type", content_type))
            .set_payload(body)
            .to_request();
        let response = actix_test::call_service(&app, request).await;
        let status = response.status();
        (status, actix_test::read_body_json(response).await)
    }

    #[actix_web::test]
    async fn a_body_that_is_not_json_is_a_json_400() {
        let (status, body) = post("application/json", "{\"topic\": ".into()).await;
        assert_eq!(status, 400);
        assert_eq!(body["error"], "invalid_input", "{body}");
        assert!(
            body["message"].as_str().unwrap().contains("not valid JSON"),
            "{body}"
        );
    }

    #[actix_web::test]
    async fn the_wrong_content_type_is_a_json_400() {
        let (status, body) = post("text/plain", "{\"topic\": \"spring\"}".into()).await;
        assert_eq!(status, 400);
        assert!(
            body["message"].as_str().unwrap().contains("Content-Type"),
            "{body}"
        );
    }

    #[actix_web::test]
    async fn a_missing_field_is_named() {
        let (status, body) = post("application/json", "{}".into()).await;
        assert_eq!(status, 422);
        assert_eq!(body["field"], "topic", "{body}");
    }

    #[actix_web::test]
    async fn an_oversized_body_is_a_json_413() {
        let huge = format!("{{\"topic\": \"{}\"}}", "a".repeat(JSON_LIMIT_BYTES));
        let (status, body) = post("application/json", huge).await;
        assert_eq!(status, 413);
        assert_eq!(body["error"], "payload_too_large", "{body}");
    }
}
