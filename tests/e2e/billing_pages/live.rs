//! Budget warnings reach an open page as `budget` events on `/events`:
//! which budget and which month, nothing about who or how much.

use std::time::Duration;

use chorus_core::Micros;
use chorus_core::billing::settings::set_team_cap;
use chorus_core::billing::zone;
use futures_util::StreamExt;

use super::{signed_in, this_month};
use crate::helpers::spawn_app;
use crate::pipeline::members::{admin, describe, member};

#[tokio::test]
async fn budget_warnings_are_relayed_to_the_members_open_pages() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    // 80 % of the cap is four songs; 80 % of Ada's budget is one.
    set_team_cap(app.env.db.pool(), boss.id, Some(Micros(175_000)), None)
        .await
        .unwrap();
    let (ada, browser) = signed_in(&app, "ada@example.com", Some(Micros(43_750))).await;
    let bob = member(&app, "bob@example.com", None).await;
    let mut body = crate::library::open_events(&app, &browser).await;

    let month = zone::month_label(this_month(&app).await);
    let mine = format!("event: budget\ndata: {{\"budget\":\"member\",\"month\":\"{month}\"}}\n\n");
    let teams = format!("event: budget\ndata: {{\"budget\":\"team\",\"month\":\"{month}\"}}\n\n");
    let ada_song = app.request_song(&ada, &describe()).await;
    let mut bobs = Vec::new();
    for _ in 0..4 {
        bobs.push(app.request_song(&bob, &describe()).await);
    }
    let mut seen = String::new();
    tokio::time::timeout(Duration::from_secs(30), async {
        while !(seen.contains(&mine) && seen.contains(&teams)) {
            let chunk = body.next().await.expect("the stream ended").unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no budget events in {seen:?}"));
    assert_eq!(seen.matches("event: budget").count(), 2, "{seen}");
    assert!(!seen.contains(&bob.id.to_string()), "{seen}");
    assert!(!seen.contains("used_micros") && !seen.contains("limit_micros"));
    for id in bobs {
        assert!(!seen.contains(&id.to_string()), "{seen}");
        app.finished(&bob, id).await;
    }
    app.finished(&ada, ada_song).await;
}
