//! The admin's billing page over HTTP: who reaches it, its figures against
//! the ledger after real songs, the team's CSV line by line, the budget,
//! cap and refund forms (audited, refusals next to their fields), escaping
//! and both languages.

mod access;
mod export;
mod figures;
mod forms;
mod refunds;

use std::collections::BTreeSet;
use std::path::Path;

use chorus_core::Micros;
use chorus_core::billing::zone;
use chorus_testkit::TestEnv;
use reqwest::StatusCode;
use sqlx::PgPool;
use uuid::Uuid;

use crate::accounts_web::browser::Browser;
use crate::helpers::{TestApp, spawn_app, spawn_web};
use crate::pipeline::members::{Member, admin, describe, member};

/// The password `pipeline::members` gives everyone.
const PASSWORD: &str = "correct horse battery";
const BOSS: &str = "boss@example.com";
const ADA: &str = "ada@example.com";
const BOB: &str = "bob@example.com";

/// An admin and two members, with API tokens and passwords.
struct Team {
    app: TestApp,
    boss: Member,
    ada: Member,
    bob: Member,
}

/// The web app alone: enough for pages and forms that need no songs.
async fn team_without_worker() -> Team {
    team_of(spawn_web(TestEnv::start().await, &[]).await).await
}

/// Web app, worker and simulator: songs really get made.
async fn team_with_worker() -> Team {
    team_of(spawn_app().await).await
}

async fn team_of(app: TestApp) -> Team {
    let boss = admin(&app, BOSS).await;
    let ada = member(&app, ADA, None).await;
    let bob = member(&app, BOB, None).await;
    Team {
        app,
        boss,
        ada,
        bob,
    }
}

impl Team {
    fn pool(&self) -> &PgPool {
        self.app.env.db.pool()
    }

    async fn signed_in(&self, email: &str) -> Browser {
        let mut browser = Browser::new(&self.app);
        let response = browser.sign_in(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign in {email}");
        browser
    }

    /// A song requested over the API and waited for; returns its id.
    async fn song(&self, by: &Member, status: &str) -> Uuid {
        let id = self.app.request_song(by, &describe()).await;
        let song = self.app.finished(by, id).await;
        assert_eq!(song["status"], status, "{song}");
        id
    }

    /// From now on every task the simulator accepts fails.
    fn songs_fail_from_now_on(&self) {
        self.app
            .env
            .sim
            .handle()
            .set_faults(chorus_upstream_sim::Faults {
                failure_rate: 1.0,
                ..chorus_upstream_sim::Faults::none()
            });
    }

    async fn this_month(&self) -> String {
        let month = zone::this_month(self.pool(), &self.app.config.billing_zone)
            .await
            .unwrap();
        zone::month_label(month)
    }

    async fn audit_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM billing_audit")
            .fetch_one(self.pool())
            .await
            .unwrap()
    }

    /// A member's spend this month, summed from the ledger itself.
    async fn ledger_spent(&self, user_id: Option<Uuid>) -> i64 {
        sqlx::query_scalar(
            "SELECT COALESCE(SUM(amount_micros), 0)::BIGINT FROM ledger
             WHERE ($1::uuid IS NULL OR user_id = $1) AND kind IN ('charge', 'refund', 'adjustment')",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await
        .unwrap()
    }
}

/// As the English page writes money.
fn usd(micros: i64) -> String {
    format!("USD {}", Micros(micros))
}

/// The text inside the element with this id, tags removed, spaces
/// collapsed.
fn text_of(html: &str, id: &str) -> String {
    let marker = format!(" id=\"{id}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let open = html[..at].rfind('<').unwrap();
    let name = html[open + 1..at].split_whitespace().next().unwrap();
    let inner = at + html[at..].find('>').unwrap() + 1;
    let close = inner + html[inner..].find(&format!("</{name}>")).unwrap();
    strip_tags(&html[inner..close])
}

/// Each `<li>` of the list with this id, as text.
fn list_items(html: &str, id: &str) -> Vec<String> {
    let marker = format!(" id=\"{id}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let end = at + html[at..].find("</ol>").unwrap();
    html[at..end]
        .split("<li>")
        .skip(1)
        .map(|item| strip_tags(item.split("</li>").next().unwrap()))
        .collect()
}

/// Text without tags (each read as a space), spaces collapsed.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    unescape(&text)
}

/// What the reader sees of the page's character references.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end <= 8);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let code = match name.strip_prefix('#') {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
                Some(dec) => dec.parse().ok(),
                None => ["quot:34", "amp:38", "lt:60", "gt:62", "apos:39"]
                    .iter()
                    .find_map(|pair| pair.strip_prefix(&format!("{name}:")))
                    .and_then(|code| code.parse().ok()),
            };
            code.and_then(char::from_u32).map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The table row that mentions `needle`, as text with cells split by `|`.
fn row_with(html: &str, needle: &str) -> String {
    let row = html
        .split("<tr>")
        .skip(1)
        .map(|row| row.split("</tr>").next().unwrap())
        .find(|row| row.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in {html}"));
    row.split("<td")
        .skip(1)
        .map(|cell| strip_tags(&format!("<td{cell}")))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The error shown next to a field (`<p class="field-error" id="…">`).
fn field_error(html: &str, id: &str) -> Option<String> {
    let marker = format!("class=\"field-error\" id=\"{id}\">");
    let start = html.find(&marker)? + marker.len();
    Some(unescape(
        &html[start..start + html[start..].find("</p>").unwrap()],
    ))
}

/// The value an input with this id was filled in with.
fn input_value(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    let value = tag.split("value=\"").nth(1).unwrap_or_default();
    unescape(value.split('"').next().unwrap())
}

/// Fails on any catalog key (from any catalog file) left in the page.
fn assert_no_raw_keys(html: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/web/locales");
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some(key) = line.strip_suffix(':').filter(|k| k.contains('.')) {
                keys.insert(key.to_owned());
            }
        }
    }
    assert!(keys.contains("admin_billing.title"), "{dir:?}");
    let raw: Vec<&String> = keys.iter().filter(|key| html.contains(*key)).collect();
    assert!(raw.is_empty(), "raw keys {raw:?} in {html}");
}
