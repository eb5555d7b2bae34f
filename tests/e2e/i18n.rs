//! Every page in both languages: chosen by `Accept-Language` or the `lang`
//! cookie, no catalog key left showing, and a switcher that cannot be used
//! to send someone off-site.

use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION, SET_COOKIE};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// Every page there is, with a text only that page shows in each language.
const PAGES: &[(&str, &str, &str)] = &[
    (
        "/",
        "Each song request costs USD 0.035",
        "每次创作请求收费 0.035 美元",
    ),
    (
        "/no/such/page",
        "There is nothing at this address.",
        "这个地址没有任何内容。",
    ),
];

/// The catalog's areas (`layout`, `home`, `billing`, …), read from app.yml
/// and billing.yml.
fn catalog_areas() -> Vec<String> {
    let catalogs = [
        include_str!("../../crates/web/locales/app.yml"),
        include_str!("../../crates/web/locales/billing.yml"),
    ];
    let mut areas: Vec<String> = catalogs
        .iter()
        .flat_map(|catalog| catalog.lines())
        .filter(|line| !line.starts_with([' ', '#', '_']))
        .filter_map(|line| line.split_once('.').map(|(area, _)| area.to_owned()))
        .collect();
    areas.sort();
    areas.dedup();
    assert!(areas.contains(&"home".to_owned()), "{areas:?}");
    areas
}

/// Catalog keys that made it into the page instead of their text: rust-i18n
/// shows a key missing from the catalog as the key itself.
pub(crate) fn raw_keys(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for area in catalog_areas() {
        let needle = format!("{area}.");
        for (at, _) in html.match_indices(&needle) {
            let before = html[..at].chars().next_back();
            let after = html[at + needle.len()..].chars().next();
            let starts_word = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if starts_word && after.is_some_and(|c| c.is_ascii_lowercase() || c == '_') {
                found.push(html[at..].chars().take(40).collect());
            }
        }
    }
    found
}

async fn page(app: &TestApp, path: &str, header: (reqwest::header::HeaderName, &str)) -> String {
    let response = app
        .http
        .get(format!("{}{path}", app.web_url))
        .header(header.0, header.1)
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert!(
        raw_keys(&html).is_empty(),
        "{path}: {:?}\n{html}",
        raw_keys(&html)
    );
    html
}

fn assert_speaks(html: &str, path: &str, lang: &str, text: &str) {
    assert!(
        html.contains(&format!("<html lang=\"{lang}\">")),
        "{path}:\n{html}"
    );
    assert!(
        html.contains(text),
        "{path} in {lang} lacks {text:?}:\n{html}"
    );
    // The switcher marks the language in use.
    let current = format!("hreflang=\"{lang}\" aria-current=\"true\"");
    assert!(html.contains(&current), "{path}:\n{html}");
}

#[tokio::test]
async fn every_page_speaks_the_language_the_browser_asks_for() {
    let app = spawn_app().await;
    for (path, en, zh) in PAGES {
        let html = page(&app, path, (ACCEPT_LANGUAGE, "en-GB,en;q=0.9")).await;
        assert_speaks(&html, path, "en", en);
        assert!(html.contains("Simulated upstream."), "{html}");

        let accept = "zh-CN,zh;q=0.9,en;q=0.8";
        let html = page(&app, path, (ACCEPT_LANGUAGE, accept)).await;
        assert_speaks(&html, path, "zh-CN", zh);
        assert!(html.contains("模拟上游。"), "{html}");

        // Traditional Chinese is not offered: English, not a wrong script.
        let html = page(&app, path, (ACCEPT_LANGUAGE, "zh-TW")).await;
        assert_speaks(&html, path, "en", en);
    }
}

#[tokio::test]
async fn the_cookie_beats_accept_language() {
    let app = spawn_app().await;
    for (path, en, zh) in PAGES {
        let html = app
            .http
            .get(format!("{}{path}", app.web_url))
            .header(ACCEPT_LANGUAGE, "en")
            .header(COOKIE, "lang=zh-CN")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(raw_keys(&html).is_empty(), "{html}");
        assert_speaks(&html, path, "zh-CN", zh);

        let html = page(&app, path, (COOKIE, "lang=en")).await;
        assert_speaks(&html, path, "en", en);

        // A cookie we cannot read falls back to English, not an error.
        let html = page(&app, path, (COOKIE, "lang=tlh")).await;
        assert_speaks(&html, path, "en", en);
    }
}

#[tokio::test]
async fn the_switcher_comes_back_to_the_page_it_is_on() {
    let app = spawn_app().await;
    // reqwest sends the query percent-encoded, as browsers do.
    let html = page(&app, "/no/such/page?q=歌&page=2", (COOKIE, "lang=en")).await;
    assert!(html.contains("aria-label=\"Language\""), "{html}");
    let href = html
        .split("href=\"")
        .find(|rest| rest.starts_with("/lang/zh-CN?"))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no switcher link to zh-CN:\n{html}"));
    let response = app.get(href).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()[LOCATION],
        "/no/such/page?q=%E6%AD%8C&page=2"
    );
}

#[tokio::test]
async fn switching_sets_the_cookie_and_goes_back() {
    let app = spawn_app().await;
    let response = app.get("/lang/zh-CN?next=%2Fsongs%3Fpage%3D2").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/songs?page=2");
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lang=zh-CN;"), "{cookie}");
    for attribute in ["Path=/", "SameSite=Lax", "HttpOnly", "Max-Age=31536000"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain-http deployments: {cookie}"
    );

    let response = app.get("/lang/en").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/");
    assert!(
        response.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("lang=en;")
    );

    assert_eq!(app.get("/lang/fr?next=/").await.status(), 404);
}

#[tokio::test]
async fn the_switcher_never_sends_anyone_off_site() {
    let app = spawn_app().await;
    for next in [
        "//evil.com",
        "https://evil.com",
        "%2F%2Fevil.com",
        "https%3A%2F%2Fevil.com%2F",
        "%2F%5Cevil.com",
        "%2F%09%2Fevil.com",
        "evil.com",
    ] {
        let response = app.get(&format!("/lang/zh-CN?next={next}")).await;
        assert_eq!(response.status(), 303, "{next}");
        assert_eq!(response.headers()[LOCATION], "/", "{next}");
    }
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure() {
    let app = spawn_app_with(&[("CHORUS_PUBLIC_URL", "https://chorus.example.com")]).await;
    let response = app.get("/lang/zh-CN?next=/").await;
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}
