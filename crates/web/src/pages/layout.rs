use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use chorus_core::{Config, Micros};
use time::OffsetDateTime;

use crate::format;
use crate::i18n::{self, Lang};
use crate::pages::billing::{BudgetBanner, budget_banner};
use crate::session;
use crate::state::AppState;

/// What the shared page frame (`base.html`) needs, and the language helpers
/// every template calls: `{{ layout.t("home.intro") }}`.
pub struct Layout {
    /// Shown as a banner on every page: nobody should mistake simulated songs
    /// for real ones, or think they are paying.
    pub simulated_upstream: bool,
    pub lang: Lang,
    /// This page's path and query, so the language switcher can come back.
    pub path: String,
    /// A signed-in admin is looking: the header links to the admin pages.
    pub admin: bool,
    /// Someone is signed in: live.js may raise the budget banner.
    pub signed_in: bool,
    /// The viewer's budget or the team's cap is 80 % used this month.
    pub budget_banner: Option<BudgetBanner>,
}

/// One entry of the header's language switcher.
pub struct LangLink {
    pub lang: Lang,
    /// The language's own name for itself, so a reader who cannot read the
    /// current page still finds theirs.
    pub name: String,
    pub href: String,
    pub current: bool,
}

impl Layout {
    pub fn new(config: &Config, lang: Lang, path: &str) -> Layout {
        Layout {
            simulated_upstream: config.upstream.simulated,
            lang,
            path: path.to_owned(),
            admin: false,
            signed_in: false,
            budget_banner: None,
        }
    }

    /// The layout for this request: its language, its path, the app's config.
    pub fn for_request(req: &HttpRequest) -> Layout {
        let lang = Lang::of(req);
        let path = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
        let mut layout = match req.app_data::<web::Data<AppState>>() {
            Some(state) => Layout::new(&state.config, lang, path),
            // Only outside the app (a bare test service): no banner to show.
            None => Layout {
                simulated_upstream: false,
                lang,
                path: path.to_owned(),
                admin: false,
                signed_in: false,
                budget_banner: None,
            },
        };
        layout.admin = session::viewer_is_admin(req);
        layout.signed_in = session::viewer(req).is_some();
        layout
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// `{{ layout.t_args("home.price", [("price", layout.money(price).as_str())]) }}`
    pub fn t_args(&self, key: &str, args: &[(&str, &str)]) -> String {
        i18n::t_args(self.lang, key, args)
    }

    pub fn money(&self, amount: &Micros) -> String {
        format::money(self.lang, *amount)
    }

    pub fn datetime(&self, at: &OffsetDateTime) -> String {
        format::datetime(self.lang, *at)
    }

    pub fn date(&self, at: &OffsetDateTime) -> String {
        format::date(self.lang, *at)
    }

    pub fn lang_links(&self) -> Vec<LangLink> {
        let next = crate::url::encode_query_value(&self.path);
        Lang::ALL
            .into_iter()
            .map(|lang| LangLink {
                lang,
                name: i18n::t(lang, "layout.lang_name"),
                href: format!("/lang/{}?next={next}", lang.code()),
                current: lang == self.lang,
            })
            .collect()
    }
}

/// Page handlers take `layout: Layout` as an argument. The budget banner
/// comes from memory ([`crate::cache::Caches::budget_status`]), so a page
/// viewed again costs no query for it.
impl FromRequest for Layout {
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Layout, Infallible>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let mut layout = Layout::for_request(req);
        let req = req.clone();
        Box::pin(async move {
            layout.budget_banner = budget_banner(&req, &layout).await;
            Ok(layout)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switcher_comes_back_to_the_same_page_and_query() {
        let layout = Layout {
            simulated_upstream: false,
            lang: Lang::ZhCn,
            path: "/songs?page=2&q=歌".to_owned(),
            admin: false,
            signed_in: false,
            budget_banner: None,
        };
        let links = layout.lang_links();
        assert_eq!(
            links[0].href,
            "/lang/en?next=/songs%3Fpage%3D2%26q%3D%E6%AD%8C"
        );
        assert_eq!(
            links[1].href,
            "/lang/zh-CN?next=/songs%3Fpage%3D2%26q%3D%E6%AD%8C"
        );
        assert!(!links[0].current && links[1].current);
        assert_eq!(links[0].name, "English");
        assert_eq!(links[1].name, "简体中文");
    }
}
