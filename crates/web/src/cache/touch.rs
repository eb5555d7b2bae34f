use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::web;

use crate::session::SESSION_COOKIE;
use crate::state::AppState;

/// Middleware: after a request that may have changed something, moves the
/// team stamp, so no kept page survives a change made through the web app
/// or the API. The stamp moves after the handler committed and before its
/// answer leaves, so the next page the same browser asks for is read anew.
///
/// May have changed something: any method but GET, HEAD and OPTIONS, from
/// someone signed in (a session cookie or a token) or joining the team, and
/// not answered 403/404/405 (refused before anything was written). So
/// anonymous junk cannot empty everyone's kept pages.
pub async fn touch_team_after_changes(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let someone = req.cookie(SESSION_COOKIE).is_some()
        || req.headers().contains_key(header::AUTHORIZATION)
        || joins_the_team(req.path());
    let stamps = (changes && someone)
        .then(|| req.app_data::<web::Data<AppState>>())
        .flatten()
        .map(|state| state.stamps.clone());
    let answer = next.call(req).await;
    let refused = answer.as_ref().is_ok_and(|response| {
        matches!(
            response.status(),
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
        )
    });
    if let Some(stamps) = stamps
        && !refused
        && let Err(e) = stamps.touch_team().await
    {
        tracing::warn!(error = %e, "could not move the team stamp; kept pages may lag a few seconds");
    }
    answer
}

/// The forms that make a user without being signed in.
fn joins_the_team(path: &str) -> bool {
    path == "/setup" || path == "/register" || path.starts_with("/join/")
}
