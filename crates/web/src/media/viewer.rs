//! `MediaViewer`: who is asking for a media file.
//!
//! Media are fetched by `<audio>` and `<img>` elements as well as by
//! scripts, and elements cannot send a bearer token: they come in with the
//! browser's session cookie. So this extractor is the one place that says
//! which credentials open media: the session first (the optional-session
//! extractor, so a missing cookie is not a redirect), else a personal access
//! token (the API's [`ApiUser`]). A signed-out browser still gets a 401
//! here, never a redirect to the sign-in page: an `<audio>` element cannot
//! follow it anywhere useful. (Media are only read, so a cookie needs no
//! CSRF token here.)

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use chorus_core::accounts::{Role, User};
use chorus_core::generations::Viewer;

use crate::api::auth::ApiUser;
use crate::api::error::ApiError;
use crate::session::MaybeSignedIn;

#[derive(Debug, Clone, Copy)]
pub struct MediaViewer(pub Viewer);

impl FromRequest for MediaViewer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<MediaViewer, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = MaybeSignedIn::from_request(req, payload);
        let bearer = ApiUser::from_request(req, payload);
        Box::pin(async move {
            // A session that cannot be read (Redis down) is a fault, not a
            // reason to fall back to the token.
            let MaybeSignedIn(signed_in) = session
                .await
                .map_err(|e| ApiError::internal(e.to_string()))?;
            if let Some(signed_in) = signed_in {
                return Ok(MediaViewer(viewer_of(&signed_in.user)));
            }
            let ApiUser(user) = bearer.await?;
            Ok(MediaViewer(viewer_of(&user)))
        })
    }
}

fn viewer_of(user: &User) -> Viewer {
    Viewer {
        user_id: user.id,
        is_admin: user.role == Role::Admin,
    }
}
