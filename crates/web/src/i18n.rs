//! The two languages every page speaks, which one a request gets, and the
//! lookup into the message catalog (`crates/web/locales/app.yml`, compiled in
//! by rust-i18n).
//!
//! Precedence, first match wins:
//! 1. the signed-in user's stored preference (`users.locale`), set by the
//!    switcher while signed in — see [`Lang::of`];
//! 2. the `lang` cookie set by the switcher (`GET /lang/{code}`);
//! 3. the best supported match of `Accept-Language`;
//! 4. English.

use std::convert::Infallible;
use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header};

/// The cookie the language switcher sets.
pub const LANG_COOKIE: &str = "lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese, as written in mainland China.
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The catalog's locale code, also used in the cookie and `/lang/{code}`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The BCP 47 tag for `<html lang>`; the same as the catalog code today.
    pub fn html_lang(self) -> &'static str {
        self.code()
    }

    /// Reads a code as written in the cookie or the switcher's path.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code))
    }

    /// The language this request should be answered in.
    pub fn of(req: &HttpRequest) -> Lang {
        // The signed-in user's choice follows them across browsers. It was
        // loaded with their session (`session::remember_viewer`), so this
        // costs no query.
        let stored = crate::session::viewer(req)
            .and_then(|user| user.locale)
            .and_then(|code| Lang::from_code(&code));
        let cookie = req.cookie(LANG_COOKIE);
        let accept = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok());
        choose(stored, cookie.as_ref().map(|c| c.value()), accept)
    }
}

/// Handlers take `lang: Lang` as an argument.
impl FromRequest for Lang {
    type Error = Infallible;
    type Future = Ready<Result<Lang, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang::of(req)))
    }
}

/// The precedence rule, apart from the request so it can be tested alone.
pub fn choose(stored: Option<Lang>, cookie: Option<&str>, accept: Option<&str>) -> Lang {
    stored
        .or_else(|| cookie.and_then(Lang::from_code))
        .or_else(|| accept.and_then(best_accepted))
        .unwrap_or_default()
}

/// The supported language the client ranks highest in an `Accept-Language`
/// value. Ranges we cannot serve are skipped, so `zh-TW, zh;q=0.8` still
/// gets Simplified Chinese, and `zh-TW` alone gets English.
pub fn best_accepted(accept: &str) -> Option<Lang> {
    let mut ranked: Vec<(u16, Lang)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let lang = supported(parts.next()?.trim())?;
            let q = parts
                .find_map(|param| param.trim().strip_prefix("q="))
                .map_or(Some(1000), quality)?;
            (q > 0).then_some((q, lang))
        })
        .collect();
    // Stable, so equal weights keep the client's order.
    ranked.sort_by_key(|&(q, _)| std::cmp::Reverse(q));
    ranked.first().map(|(_, lang)| *lang)
}

/// A q-value in thousandths (0..=1000), or None when it is malformed.
fn quality(text: &str) -> Option<u16> {
    let value: f32 = text.trim().parse().ok()?;
    // Thousandths, so weights compare exactly; the range check keeps the cast lossless.
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

/// Maps one language range to the language we serve for it, if any.
fn supported(range: &str) -> Option<Lang> {
    let mut subtags = range.split(['-', '_']);
    let primary = subtags.next()?;
    if primary.eq_ignore_ascii_case("en") {
        return Some(Lang::En);
    }
    if !primary.eq_ignore_ascii_case("zh") {
        return None;
    }
    // Script beats region (zh-Hans-HK is Simplified); without a script,
    // Taiwan, Hong Kong and Macau write Traditional, which we do not have.
    let rest: Vec<&str> = subtags.collect();
    let has = |tag: &str| rest.iter().any(|s| s.eq_ignore_ascii_case(tag));
    if has("hans") {
        Some(Lang::ZhCn)
    } else if has("hant") || has("tw") || has("hk") || has("mo") {
        None
    } else {
        Some(Lang::ZhCn)
    }
}

/// The catalog's text for `key` in `lang`. A key missing from the catalog
/// comes back as the key itself (rust-i18n's way), which the tests look for.
pub fn t(lang: Lang, key: &str) -> String {
    rust_i18n::t!(key, locale = lang.code()).into_owned()
}

/// Like [`t`], with `%{name}` placeholders filled from `args`.
pub fn t_args(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let (names, values): (Vec<&str>, Vec<String>) = args
        .iter()
        .map(|(name, value)| (*name, (*value).to_owned()))
        .unzip();
    rust_i18n::replace_patterns(&t(lang, key), &names, &values)
}

#[cfg(test)]
#[path = "i18n_tests.rs"]
mod tests;
