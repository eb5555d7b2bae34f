use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

use crate::state::AppState;

/// Middleware: after a request that may have changed something (any but
/// GET, HEAD and OPTIONS), moves the team stamp, so no kept page survives
/// a change made through the web app or the API. The stamp moves after the
/// handler committed and before its answer leaves, so the next page the
/// same browser asks for is read anew.
pub async fn touch_team_after_changes(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let stamps = changes
        .then(|| req.app_data::<web::Data<AppState>>())
        .flatten()
        .map(|state| state.stamps.clone());
    let answer = next.call(req).await;
    if let Some(stamps) = stamps
        && let Err(e) = stamps.touch_team().await
    {
        tracing::warn!(error = %e, "could not move the team stamp; kept pages may lag a few seconds");
    }
    answer
}
