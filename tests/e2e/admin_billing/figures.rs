//! The page's figures are the ledger's: songs made over the API by two
//! members, three completed and one failed, then every figure compared
//! with sums of the ledger and of the vendor's counts.

use reqwest::StatusCode;

use super::{ADA, BOB, BOSS, list_items, row_with, team_with_worker, text_of, usd};

/// Sum of one kind of ledger row, all members.
async fn kind_total(pool: &sqlx::PgPool, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COALESCE(SUM(amount_micros), 0)::BIGINT FROM ledger WHERE kind = $1")
        .bind(kind)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_page_shows_what_the_ledger_holds() {
    let team = team_with_worker().await;
    team.song(&team.ada, "completed").await;
    team.song(&team.ada, "completed").await;
    team.song(&team.bob, "completed").await;
    team.songs_fail_from_now_on();
    team.song(&team.bob, "failed").await;
    team.app
        .all_settled(std::time::Duration::from_secs(20))
        .await;

    let mut boss = team.signed_in(BOSS).await;
    let response = boss.get("/admin/billing").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let pool = team.pool();

    // The team against its cap (none yet).
    let spent = team.ledger_spent(None).await;
    assert_eq!(spent, 3 * 35_000);
    assert_eq!(text_of(&html, "team-spent"), usd(spent));
    assert_eq!(text_of(&html, "team-reserved"), usd(0));
    assert_eq!(text_of(&html, "team-cap"), "No cap");
    assert!(!html.contains("id=\"team-meter\""), "no cap, no meter");
    assert_eq!(text_of(&html, "team-songs"), "3");
    assert_eq!(text_of(&html, "team-requests"), "4");

    // Members' charges, refunds and adjustments, from the ledger's rows.
    let charged = kind_total(pool, "charge").await;
    let refunded = -kind_total(pool, "refund").await;
    assert_eq!((charged, refunded), (4 * 35_000, 35_000));
    assert_eq!(text_of(&html, "members-charged"), usd(charged));
    assert_eq!(text_of(&html, "members-refunded"), usd(refunded));
    assert_eq!(text_of(&html, "members-adjusted"), usd(0));
    assert_eq!(text_of(&html, "members-net"), usd(spent));

    // What the vendor bills: every accepted task, failed ones too.
    let (tasks, task_micros, poll_micros): (i64, i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(accepted_tasks), 0)::BIGINT, COALESCE(SUM(task_micros), 0)::BIGINT,
                COALESCE(SUM(poll_micros), 0)::BIGINT FROM vendor_usage_days",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((tasks, task_micros), (4, 4 * 35_000));
    assert_eq!(text_of(&html, "vendor-tasks"), "4");
    assert_eq!(text_of(&html, "vendor-task-cost"), usd(task_micros));
    assert_eq!(text_of(&html, "vendor-poll-cost"), usd(poll_micros));
    assert_eq!(
        text_of(&html, "vendor-cost"),
        usd(task_micros + poll_micros)
    );
    assert_eq!(
        text_of(&html, "margin"),
        usd(spent - task_micros - poll_micros)
    );

    // Each member's month: songs, spent, reserved, no budget.
    let ada = team.ledger_spent(Some(team.ada.id)).await;
    let bob = team.ledger_spent(Some(team.bob.id)).await;
    assert_eq!((ada, bob), (70_000, 35_000));
    assert_eq!(
        row_with(&html, ADA),
        format!(
            "{ADA} | 2 | {} | {} | No budget |  |  | Change budget",
            usd(ada),
            usd(0)
        )
    );
    assert_eq!(
        row_with(&html, BOB),
        format!(
            "{BOB} | 1 | {} | {} | No budget |  |  | Change budget",
            usd(bob),
            usd(0)
        )
    );
    assert_eq!(
        row_with(&html, BOSS),
        format!(
            "{BOSS} | 0 | {} | {} | No budget |  |  | Change budget",
            usd(0),
            usd(0)
        )
    );

    // Top spenders, most first, with their share of the team's spend.
    assert_eq!(
        list_items(&html, "top-spenders"),
        [
            format!("{ADA}: {} (66 % of the team's spend)", usd(ada)),
            format!("{BOB}: {} (33 % of the team's spend)", usd(bob)),
        ]
    );
}

#[tokio::test]
async fn budgets_and_the_cap_show_as_meters_and_the_month_picker_moves() {
    let team = team_with_worker().await;
    let pool = team.pool();
    let boss = team.boss.id;
    chorus_core::billing::settings::set_member_budget(
        pool,
        boss,
        team.ada.id,
        Some(chorus_core::Micros(80_000)),
        None,
    )
    .await
    .unwrap();
    chorus_core::billing::settings::set_team_cap(
        pool,
        boss,
        Some(chorus_core::Micros(1_000_000)),
        None,
    )
    .await
    .unwrap();
    team.app.changed_behind_the_app().await;
    team.song(&team.ada, "completed").await;
    team.song(&team.ada, "completed").await;

    let mut browser = team.signed_in(BOSS).await;
    let html = browser.get("/admin/billing").await.text().await.unwrap();
    assert_eq!(text_of(&html, "team-cap"), usd(1_000_000));
    assert_eq!(text_of(&html, "team-remaining"), usd(1_000_000 - 70_000));
    assert!(
        html.contains("id=\"team-meter\" min=\"0\" max=\"1000\" low=\"800\" high=\"999\" optimum=\"0\" value=\"70\""),
        "{html}"
    );
    // Ada is past 80 % of her budget: the meter and its words say so.
    let row = row_with(&html, ADA);
    assert_eq!(
        row,
        format!(
            "{ADA} | 2 | {} | {} | {} | {} | 87 % 87 % | Change budget",
            usd(70_000),
            usd(0),
            usd(80_000),
            usd(10_000)
        )
    );
    assert!(
        html.contains("value=\"875\" aria-label=\"Budget used by ada@example.com\""),
        "{html}"
    );
    assert!(html.contains("class=\"over-warning\""), "{html}");

    // Last month: nothing spent; the next month from there is this one.
    let this_month = team.this_month().await;
    let month = chorus_core::billing::zone::parse_month(&this_month).unwrap();
    let previous =
        chorus_core::billing::zone::month_label(chorus_core::billing::zone::previous_month(month));
    assert!(html.contains(&format!(
        "href=\"/admin/billing?month={previous}\" rel=\"prev\""
    )));
    assert!(
        !html.contains("rel=\"next\""),
        "no later month than this one"
    );
    assert!(html.contains(&format!(
        "href=\"/admin/billing/export.csv?month={this_month}\""
    )));
    let html = browser
        .get(&format!("/admin/billing?month={previous}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(text_of(&html, "team-spent"), usd(0));
    assert_eq!(text_of(&html, "team-songs"), "0");
    assert!(html.contains(&format!(
        "href=\"/admin/billing?month={this_month}\" rel=\"next\""
    )));
    assert!(html.contains(&format!(
        "name=\"month\" type=\"month\" value=\"{previous}\""
    )));
    // A month that cannot be read shows this one.
    let html = browser
        .get("/admin/billing?month=2026-13")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(text_of(&html, "team-spent"), usd(70_000));
}
