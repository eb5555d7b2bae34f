//! The member's billing pages over HTTP: `/billing` and its CSV export,
//! who may see what, the figures against the ledger, the month picker, and
//! the budget banner every page shows at 80 %.

mod access;
mod banner;
mod csv;
mod figures;
mod in_browser;
mod languages;
mod live;

use chorus_core::Micros;
use chorus_core::billing::zone;
use reqwest::StatusCode;
use time::Date;

use crate::accounts_web::browser::Browser;
use crate::helpers::TestApp;
use crate::pipeline::members::{Member, member};

const PASSWORD: &str = "correct horse battery";

/// A member with an API token, signed in with a browser.
async fn signed_in(app: &TestApp, email: &str, budget: Option<Micros>) -> (Member, Browser) {
    let member = member(app, email, budget).await;
    (member, browser_of(app, email).await)
}

async fn browser_of(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(app);
    let response = browser.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    browser
}

async fn page(browser: &mut Browser, path: &str) -> String {
    let response = browser.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.unwrap()
}

/// The text of `<dd data-figure="name">`.
fn figure(html: &str, name: &str) -> String {
    let marker = format!("data-figure=\"{name}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    let len = html[start..].find("</dd>").unwrap();
    html[start..start + len].trim().to_owned()
}

/// The ledger table's rows, each as its cells' text (tags stripped).
fn ledger_rows(html: &str) -> Vec<Vec<String>> {
    let Some(start) = html.find("<table class=\"ledger\">") else {
        return Vec::new();
    };
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let cell = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
                    strip_tags(cell).trim().to_owned()
                })
                .collect()
        })
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// This billing month, on the app's database clock.
async fn this_month(app: &TestApp) -> Date {
    zone::this_month(app.env.db.pool(), &app.config.billing_zone)
        .await
        .unwrap()
}
