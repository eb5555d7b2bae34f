//! Both pages in both languages, no catalog key left showing.

use chorus_core::Micros;
use reqwest::StatusCode;

use super::{page, signed_in};
use crate::helpers::spawn_app;
use crate::i18n::raw_keys;
use crate::pipeline::members::describe;

#[tokio::test]
async fn the_billing_page_and_its_errors_speak_both_languages() {
    let app = spawn_app().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", Some(Micros(1_000_000))).await;
    let song = app.request_song(&ada, &describe()).await;
    app.finished(&ada, song).await;

    for (lang, title, kind, bad_month) in [
        ("en", "Billing", "Charged", "Not a month"),
        ("zh-CN", "账单", "扣费", "月份无效"),
    ] {
        browser.set_cookie("lang", lang);
        let html = page(&mut browser, "/billing").await;
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(html.contains(&format!("<h1>{title}:")), "{html}");
        assert!(html.contains(&format!("<td>{kind}</td>")), "{lang}: {html}");
        assert!(raw_keys(&html).is_empty(), "{lang}: {:?}", raw_keys(&html));
        // The header links to the page in the page's language.
        assert!(html.contains(&format!(
            "<a href=\"/billing\" aria-current=\"page\">{title}</a>"
        )));

        let response = browser.get("/billing?month=2026-99").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let html = response.text().await.unwrap();
        assert!(html.contains(bad_month), "{lang}: {html}");
        assert!(raw_keys(&html).is_empty(), "{lang}: {:?}", raw_keys(&html));

        let other = page(&mut browser, "/songs").await;
        assert!(other.contains(&format!("<a href=\"/billing\">{title}</a>")));
    }
}
