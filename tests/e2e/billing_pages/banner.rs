//! The budget banner: on every page from 80 % of the member's budget or the
//! team's cap, naming which, what is left and when it resets; not at 79 %.

use chorus_core::Micros;
use chorus_core::billing::settings::set_team_cap;
use chorus_core::billing::zone;
use time::macros::format_description;

use super::{page, signed_in, this_month};
use crate::helpers::{TestApp, spawn_app};
use crate::pipeline::members::{admin, describe};

/// Every page a signed-in member sees the frame of.
const PAGES: [&str; 5] = ["/", "/songs", "/create", "/gallery", "/billing"];

/// "1 Dec 2026": the day this month's budgets reset.
async fn reset_day(app: &TestApp) -> String {
    let next = zone::next_month(this_month(app).await);
    next.format(format_description!(
        "[day padding:none] [month repr:short] [year]"
    ))
    .unwrap()
}

fn banner(html: &str) -> Option<&str> {
    let start = html.find("<div class=\"banner banner-budget\" role=\"alert\" data-budget=")?;
    let len = html[start..].find("</div>").unwrap();
    Some(&html[start..start + len])
}

#[tokio::test]
async fn at_80_percent_of_their_budget_every_page_warns_the_member() {
    let app = spawn_app().await;
    // One song at USD 0.035 is 80 % of USD 0.04375.
    let (ada, mut browser) = signed_in(&app, "ada@example.com", Some(Micros(43_750))).await;
    let before = page(&mut browser, "/songs").await;
    assert_eq!(banner(&before), None);

    let song = app.request_song(&ada, &describe()).await;
    app.finished(&ada, song).await;
    let resets = reset_day(&app).await;
    for path in PAGES {
        let html = page(&mut browser, path).await;
        let banner = banner(&html).unwrap_or_else(|| panic!("{path}: no banner"));
        assert!(banner.contains("data-budget=\"member\""), "{banner}");
        assert!(
            banner.contains(&format!(
                "You have used 80 % of your monthly budget: USD 0.00875 left until it resets on {resets}."
            )),
            "{path}: {banner}"
        );
        assert!(banner.contains("href=\"/billing\""));
    }
    // In Chinese too.
    browser.set_cookie("lang", "zh-CN");
    let html = page(&mut browser, "/songs").await;
    let banner = banner(&html).unwrap();
    assert!(
        banner.contains("你已用掉每月预算的 80%：剩余 0.00875 美元"),
        "{banner}"
    );
}

#[tokio::test]
async fn at_79_percent_there_is_no_banner() {
    let app = spawn_app().await;
    // USD 0.035 of USD 0.0443 is 79 %.
    let (ada, mut browser) = signed_in(&app, "ada@example.com", Some(Micros(44_300))).await;
    let song = app.request_song(&ada, &describe()).await;
    app.finished(&ada, song).await;
    for path in PAGES {
        let html = page(&mut browser, path).await;
        assert_eq!(banner(&html), None, "{path}");
        assert!(!html.contains("of your monthly budget:"), "{path}");
    }
}

#[tokio::test]
async fn the_team_cap_warns_every_member_and_says_it_is_the_teams() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let (ada, _) = signed_in(&app, "ada@example.com", None).await;
    let (_, mut bobs) = signed_in(&app, "bob@example.com", None).await;
    set_team_cap(app.env.db.pool(), boss.id, Some(Micros(43_750)), None)
        .await
        .unwrap();
    app.changed_behind_the_app().await;
    assert_eq!(banner(&page(&mut bobs, "/songs").await), None);

    let song = app.request_song(&ada, &describe()).await;
    app.finished(&ada, song).await;
    let resets = reset_day(&app).await;
    // Bob requested nothing; the team's cap holds him too.
    let html = page(&mut bobs, "/gallery").await;
    let banner = banner(&html).expect("a banner");
    assert!(banner.contains("data-budget=\"team\""), "{banner}");
    assert!(
        banner.contains(&format!(
            "The team has used 80 % of its monthly cap: USD 0.00875 left until it resets on {resets}."
        )),
        "{banner}"
    );
}

#[tokio::test]
async fn the_banner_is_read_from_memory_until_something_changes() {
    let app = spawn_app().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", Some(Micros(1_000_000))).await;
    let song = app.request_song(&ada, &describe()).await;
    app.finished(&ada, song).await;
    assert_eq!(banner(&page(&mut browser, "/songs").await), None);

    // A budget cut by hand, the stamps left alone: the kept figures stand,
    // so the page asked the database nothing about the banner.
    sqlx::query("UPDATE users SET monthly_budget_micros = 40000 WHERE id = $1")
        .bind(ada.id)
        .execute(app.env.db.pool())
        .await
        .unwrap();
    assert_eq!(banner(&page(&mut browser, "/songs").await), None);

    app.changed_behind_the_app().await;
    let html = page(&mut browser, "/songs").await;
    let banner = banner(&html).expect("a banner once the stamps moved");
    assert!(
        banner.contains("You have used 87 % of your monthly budget"),
        "{banner}"
    );
}
