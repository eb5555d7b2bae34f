//! The billing dashboards in a real browser: a member's month with its
//! charts and ledger, and the admin's view of the whole team.

use chorus_core::Micros;

use super::Browser;
use super::flows::{sign_in, sign_out};
use crate::helpers::spawn_app;
use crate::pipeline::members::{admin, describe, member};

#[tokio::test]
async fn a_member_and_an_admin_open_their_billing_dashboards_in_a_real_browser() {
    let app = spawn_app().await;
    let ada = member(&app, "ada@example.com", Some(Micros(1_000_000))).await;
    admin(&app, "boss@example.com").await;
    for _ in 0..3 {
        let id = app.request_song(&ada, &describe()).await;
        app.finished(&ada, id).await;
    }
    let browser = Browser::start(&app.web_url).await;

    browser.goto("/billing").await;
    browser.wait_for_path("/sign-in").await;
    sign_in(&browser, "ada@example.com").await;
    browser.wait_for_path("/billing").await;
    // Three songs at USD 0.035: the month's spend, and a ledger line each.
    browser
        .wait("the month's spend", async |b| {
            let text = b.text_of("main").await;
            Ok(text.contains("0.105").then_some(()))
        })
        .await;
    browser.find("main svg, main img[src*='chart']").await;
    browser.find("main table").await;
    browser.screenshot("billing").await;
    sign_out(&browser).await;

    sign_in(&browser, "boss@example.com").await;
    browser.wait_for_path("/").await;
    browser.goto("/admin/billing").await;
    browser
        .wait("the team's members", async |b| {
            let text = b.text_of("main").await;
            Ok((text.contains("ada@example.com") && text.contains("0.105")).then_some(()))
        })
        .await;
    browser.screenshot("admin-billing").await;
    browser.quit().await;
}
