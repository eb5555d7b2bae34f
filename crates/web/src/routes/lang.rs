//! The header's language switcher: remembers the choice in a cookie and goes
//! back to the page it came from.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chorus_core::accounts::set_user_locale;
use serde::Deserialize;

use crate::error::WebError;
use crate::i18n::{LANG_COOKIE, Lang};
use crate::session::MaybeSignedIn;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// `GET /lang/{code}?next=/path`: a plain link, so it works without script.
/// Sets no more than a preference (also the signed-in user's stored one),
/// so it needs no CSRF token.
#[get("/lang/{code}")]
pub async fn switch(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: Option<web::Query<SwitchQuery>>,
    signed_in: MaybeSignedIn,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::from_code(&code).ok_or(WebError::NotFound)?;
    // A signed-in user's choice is theirs, not the browser's: `Lang::of`
    // prefers it, on this browser and any other.
    if let Some(signed_in) = signed_in.0 {
        set_user_locale(&state.pool, signed_in.user.id, lang.code()).await?;
        // A GET that changes the user: kept copies of them must go.
        state.stamps.touch_member(signed_in.user.id).await?;
    }
    let secure = state
        .config
        .public_url
        .as_ref()
        .is_some_and(|url| url.scheme() == "https");
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(secure)
        .max_age(Duration::days(365))
        .finish();
    let next = query.as_ref().and_then(|q| q.next.as_deref());
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, local_target(next)))
        .finish())
}

/// Where to send the reader back to: `next` if it is a path on this site,
/// else the home page.
fn local_target(next: Option<&str>) -> String {
    let Some(next) = next else {
        return "/".to_owned();
    };
    if !crate::url::is_local_path(next) {
        return "/".to_owned();
    }
    // A Location header is ASCII: encode the rest (a search term in Chinese).
    let mut out = String::with_capacity(next.len());
    for c in next.chars() {
        if c.is_ascii() && c != ' ' {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::local_target;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(local_target(Some("/songs?page=2")), "/songs?page=2");
        assert_eq!(local_target(Some("/")), "/");
        for evil in [
            "//evil.com",
            "https://evil.com",
            "/\\evil.com",
            "/\t/evil.com",
            "/\n/evil.com",
            "evil.com",
            "",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_target(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(local_target(None), "/");
    }

    #[test]
    fn non_ascii_in_the_path_is_percent_encoded() {
        assert_eq!(
            local_target(Some("/gallery?q=歌 词")),
            "/gallery?q=%E6%AD%8C%20%E8%AF%8D"
        );
    }
}
