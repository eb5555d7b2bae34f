//! Who is looking: the request's session and user, loaded once per request
//! by [`remember_viewer`] and kept in the request's extensions. The
//! extractors ([`super::SignedIn`], [`super::MaybeSignedIn`]) take it from
//! there, and so do the parts that cannot wait for a database (the
//! language of the page, whether the header shows the admin link), so a
//! signed-in user's stored language costs no query of its own.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};
use chorus_core::accounts::{Role, User};

use crate::session::SessionId;
use crate::session::extract::{SignedIn, load};

/// The outcome of loading the request's session: None when signed out.
#[derive(Clone)]
pub(super) struct Viewer(pub(super) Option<SignedIn>);

/// Middleware: loads the session behind the request's cookie, if it has
/// one. A failure here is left for the extractors to meet and report; the
/// page then merely falls back to the browser's language.
pub async fn remember_viewer(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // Assets and health checks never depend on who asks.
    let path = req.path();
    let skip = path.starts_with("/static/") || path == "/healthz";
    if !skip && SessionId::of_request(req.request()).is_some() {
        match load(req.request()).await {
            Ok(found) => {
                req.extensions_mut().insert(Viewer(found));
            }
            Err(e) => tracing::debug!(error = %e, "session not loaded up front"),
        }
    }
    next.call(req).await
}

/// The signed-in user of this request, if [`remember_viewer`] found one.
pub fn viewer(req: &HttpRequest) -> Option<User> {
    req.extensions()
        .get::<Viewer>()
        .and_then(|viewer| viewer.0.as_ref())
        .map(|signed_in| signed_in.user.clone())
}

/// The signed-in session of this request, with its stamps, if
/// [`remember_viewer`] found one.
pub fn signed_in_viewer(req: &HttpRequest) -> Option<SignedIn> {
    req.extensions()
        .get::<Viewer>()
        .and_then(|viewer| viewer.0.clone())
}

/// Whether this request comes from a signed-in admin.
pub fn viewer_is_admin(req: &HttpRequest) -> bool {
    viewer(req).is_some_and(|user| user.role == Role::Admin)
}
