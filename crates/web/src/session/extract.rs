//! The signed-in user as a handler argument. The session and the user are
//! loaded on every request, so a disabled user is refused at once rather
//! than when their cookie runs out.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::Cookie;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use chorus_core::accounts::{User, find_user_by_id};
use chorus_core::freshness::Freshness;

use crate::error::WebError;
use crate::session::viewer::Viewer;
use crate::session::{SessionId, SessionStore, session_removal_cookie};
use crate::state::AppState;

/// A handler taking this only runs for a signed-in, enabled user; anyone
/// else is sent (303) to `/sign-in?next=<this page>`.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    /// The session this request came with, to end it or to spare it.
    pub session: SessionId,
    /// The stamps read with the session: what this request's pages' kept
    /// data must have been read under to be used.
    pub fresh: Freshness,
}

/// For pages that work signed in or not.
#[derive(Debug, Clone)]
pub struct MaybeSignedIn(pub Option<SignedIn>);

type LocalFuture<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

impl FromRequest for SignedIn {
    type Error = actix_web::Error;
    type Future = LocalFuture<SignedIn>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match load(&req).await? {
                Some(signed_in) => Ok(signed_in),
                None => Err(SignInRequired {
                    location: sign_in_location(&req),
                    // A cookie that no longer works is taken back.
                    forget: SessionId::of_request(&req)
                        .and(req.app_data::<web::Data<AppState>>())
                        .map(|state| session_removal_cookie(&state.config)),
                }
                .into()),
            }
        })
    }
}

impl FromRequest for MaybeSignedIn {
    type Error = actix_web::Error;
    type Future = LocalFuture<MaybeSignedIn>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeSignedIn(load(&req).await?)) })
    }
}

pub(super) async fn load(req: &HttpRequest) -> Result<Option<SignedIn>, WebError> {
    // Loaded already for this request by the middleware.
    if let Some(Viewer(found)) = req.extensions().get::<Viewer>() {
        return Ok(found.clone());
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| WebError::Internal("the app state is not registered".into()))?;
    let Some(id) = SessionId::of_request(req) else {
        return Ok(None);
    };
    let store = SessionStore::new(state);
    let known_user = state.caches.session_users.get(id.hash());
    let Some((user_id, fresh)) = store.look_up(&id, known_user).await? else {
        return Ok(None);
    };
    if known_user.is_none() {
        state
            .caches
            .session_users
            .insert(id.hash().to_owned(), user_id);
    }
    let user = match state.caches.users.get(&user_id, fresh) {
        Some(user) => Some(User::clone(&user)),
        None => {
            let found = find_user_by_id(&state.pool, user_id).await?;
            if let Some(user) = &found {
                state.caches.users.keep(user_id, fresh, user.clone());
            }
            found
        }
    };
    match user {
        Some(user) if !user.disabled => Ok(Some(SignedIn {
            user,
            session: id,
            fresh,
        })),
        // Disabled (or gone): the session is over, not merely refused.
        _ => {
            store.end(&id).await?;
            Ok(None)
        }
    }
}

/// Where a signed-out visitor of this request's page is sent, so that
/// signing in brings them back.
fn sign_in_location(req: &HttpRequest) -> String {
    let here = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    format!("/sign-in?next={}", crate::url::encode_query_value(here))
}

/// Answered with a redirect to the sign-in page, not an error page.
#[derive(Debug, thiserror::Error)]
#[error("sign-in required")]
struct SignInRequired {
    location: String,
    forget: Option<Cookie<'static>>,
}

impl ResponseError for SignInRequired {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::SEE_OTHER
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::SeeOther();
        response
            .insert_header((header::LOCATION, self.location.as_str()))
            .insert_header((header::CACHE_CONTROL, "no-store"));
        if let Some(cookie) = &self.forget {
            response.cookie(cookie.clone());
        }
        response.finish()
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[std::prelude::v1::test]
    fn the_sign_in_link_brings_the_visitor_back_with_the_query() {
        let req = TestRequest::get()
            .uri("/account/password?tab=2&x=%C3%A4")
            .to_http_request();
        assert_eq!(
            sign_in_location(&req),
            "/sign-in?next=/account/password%3Ftab%3D2%26x%3D%25C3%25A4"
        );
    }
}
