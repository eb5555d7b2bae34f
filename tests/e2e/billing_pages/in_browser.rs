//! The member's billing page and the live budget banner in a real browser
//! (headless Chromium), with screenshots under `target/screenshots/`.

use chorus_core::Micros;

use crate::browser::Browser;
use crate::helpers::spawn_app;
use crate::pipeline::members::{describe, member};

#[tokio::test]
async fn the_banner_appears_live_and_the_billing_page_shows_its_charts() {
    let app = spawn_app().await;
    // One song at USD 0.035 is 80 % of USD 0.04375.
    let ada = member(&app, "ada@example.com", Some(Micros(43_750))).await;
    let browser = Browser::start(&app.web_url).await;
    browser.goto("/sign-in").await;
    browser.type_into("#email", "ada@example.com").await;
    browser.type_into("#password", super::PASSWORD).await;
    browser
        .click("form[action='/sign-in'] button[type=submit]")
        .await;
    browser.wait_for_path("/").await;

    // "My songs" listens to /events; the banner's slot is empty.
    browser.goto("/songs").await;
    browser.find("html[data-live='open']").await;
    let hidden = browser
        .script(
            "return document.getElementById('budget-banner-live').hidden;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(hidden, serde_json::Value::Bool(true));
    let song = app.request_song(&ada, &describe()).await;
    let banner = browser
        .find("#budget-banner-live[data-budget='member']")
        .await;
    let text = banner.text().await.unwrap();
    assert!(
        text.contains("You have just reached 80 % of your monthly budget."),
        "{text}"
    );
    browser.screenshot("billing-banner-live").await;
    app.finished(&ada, song).await;

    browser.click("a[href='/billing']").await;
    browser.wait_for_path("/billing").await;
    // Both charts drawn, and the banner now comes from the server.
    browser.find("figure:nth-of-type(2) svg.chart").await;
    browser.find("svg.chart").await;
    let banner = browser
        .text_of(".banner-budget[data-budget='member']")
        .await;
    assert!(banner.contains("You have used 80 %"), "{banner}");
    let spent = browser.text_of("dd[data-figure='spent']").await;
    assert_eq!(spent, "USD 0.035");
    browser.screenshot("billing-member").await;
    browser.quit().await;
}
