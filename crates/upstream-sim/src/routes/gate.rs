//! What every `/api/v2` request goes through before it is handled: the
//! injected latency, the `api-key` check, and injected 429s and 5xx.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse};

use super::refusal;
use crate::faults::roll;
use crate::state::SimState;

/// `Err` carries the response that ends the request here.
pub(super) async fn gate(state: &SimState, req: &HttpRequest) -> Result<(), HttpResponse> {
    let faults = state.faults();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if !authorised(state, req) {
        state.count(|s| s.unauthorized += 1);
        tracing::debug!("refused: invalid api-key");
        return Err(refusal(StatusCode::UNAUTHORIZED, "invalid api-key"));
    }
    if roll(faults.rate_429) {
        state.count(|s| s.rejected_429 += 1);
        tracing::debug!("injected 429");
        return Err(HttpResponse::TooManyRequests()
            .insert_header((RETRY_AFTER, "1"))
            .insert_header((CONTENT_TYPE, "text/html"))
            .body(nginx_page(StatusCode::TOO_MANY_REQUESTS)));
    }
    if roll(faults.rate_5xx) {
        state.count(|s| s.rejected_5xx += 1);
        let status = if fastrand::bool() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        tracing::debug!(%status, "injected server error");
        return Err(HttpResponse::build(status)
            .insert_header((CONTENT_TYPE, "text/html"))
            .body(nginx_page(status)));
    }
    Ok(())
}

/// With a configured key it must match; without one any non-empty key
/// passes, so Chorus runs against the simulator with a placeholder key.
fn authorised(state: &SimState, req: &HttpRequest) -> bool {
    let Some(given) = req.headers().get("api-key").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    match &state.api_key {
        Some(expected) => given == expected,
        None => !given.trim().is_empty(),
    }
}

/// The error page a gateway in front of the vendor would send: HTML, not
/// JSON, which a client must not try to parse as an API reply.
fn nginx_page(status: StatusCode) -> String {
    let line = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    format!(
        "<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n\
         <center><h1>{line}</h1></center>\r\n<hr><center>nginx</center>\r\n\
         </body>\r\n</html>\r\n"
    )
}
