//! `ApiUser`: the user behind the request's personal access token. A
//! handler that takes one can only run for a valid, unrevoked token of an
//! enabled user; everything else is answered 401 before the handler runs.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chorus_core::accounts::{User, authenticate_token};

use crate::api::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.ok_or(ApiError::MissingToken)?;
            let state =
                state.ok_or_else(|| ApiError::internal("the app state is not registered"))?;
            match authenticate_token(&state.pool, &token).await? {
                Some(user) => Ok(ApiUser(user)),
                None => Err(ApiError::InvalidToken),
            }
        })
    }
}

/// The token of `Authorization: Bearer <token>`; the scheme is matched in
/// any case, as RFC 9110 asks.
fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn token_of(value: &str) -> Option<String> {
        bearer_token(
            &TestRequest::default()
                .insert_header((header::AUTHORIZATION, value))
                .to_http_request(),
        )
    }

    #[std::prelude::v1::test]
    fn reads_the_bearer_scheme_in_any_case() {
        assert_eq!(token_of("Bearer chorus_abc").as_deref(), Some("chorus_abc"));
        assert_eq!(
            token_of("bearer  chorus_abc ").as_deref(),
            Some("chorus_abc")
        );
        assert_eq!(token_of("Basic dXNlcjpwYXNz"), None);
        assert_eq!(token_of("Bearer "), None);
        assert_eq!(token_of("chorus_abc"), None);
        assert_eq!(
            bearer_token(&TestRequest::default().to_http_request()),
            None
        );
    }
}
