//! Refunds by hand through the form: the member's spend and the team's
//! total go down, the audit log shows it, and every refusal (too much,
//! nothing left, not completed, no reason, no such song) comes back next
//! to its field.

use reqwest::StatusCode;

use super::{ADA, BOSS, field_error, input_value, row_with, team_with_worker, text_of, usd};
use crate::accounts_web::browser::location;

#[tokio::test]
async fn a_refund_by_hand_lowers_the_members_spend_and_the_team_total_and_is_audited() {
    let team = team_with_worker().await;
    let song = team.song(&team.ada, "completed").await;
    team.song(&team.ada, "completed").await;
    team.song(&team.bob, "completed").await;
    let month = team.this_month().await;
    let page = format!("/admin/billing?month={month}");
    let mut boss = team.signed_in(BOSS).await;
    let html = boss.get(&page).await.text().await.unwrap();
    assert_eq!(text_of(&html, "team-spent"), usd(105_000));

    // The song's page offers the admin (only) a way to the refund form.
    let id = song.to_string();
    let link = format!("/admin/billing?refund={id}#refund-form");
    let html = boss
        .get(&format!("/songs/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    let mut ada = team.signed_in(ADA).await;
    let html = ada.get(&format!("/songs/{id}")).await.text().await.unwrap();
    assert!(!html.contains("/admin/billing?refund="), "{html}");
    let html = boss.get(&link).await.text().await.unwrap();
    assert_eq!(input_value(&html, "refund-song"), id);

    let response = boss
        .submit(
            &page,
            "/admin/billing/refund",
            &[
                ("month", &month),
                ("generation_id", &id),
                ("amount", "0.01"),
                ("reason", "a glitch at 0:42"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("{page}&done=refund"));
    assert_eq!(team.ledger_spent(Some(team.ada.id)).await, 60_000);

    let html = boss.get(location(&response)).await.text().await.unwrap();
    assert!(html.contains("The refund is made."), "{html}");
    assert_eq!(text_of(&html, "team-spent"), usd(95_000));
    assert_eq!(text_of(&html, "members-refunded"), usd(10_000));
    assert!(
        row_with(&html, &format!("<td class=\"user-email\">{ADA}"))
            .starts_with(&format!("{ADA} | 2 | {} |", usd(60_000)))
    );
    let audit = row_with(&html, "a glitch at 0:42");
    assert!(
        audit.ends_with(&format!(
            "| {BOSS} | Refund {id} | {ADA} | {} | a glitch at 0:42",
            usd(10_000)
        )),
        "{audit}"
    );

    // More than is left: refused, naming what may still be refunded.
    let response = boss
        .submit(
            &page,
            "/admin/billing/refund",
            &[
                ("generation_id", &id),
                ("amount", "0.03"),
                ("reason", "all of it"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "refund-amount-error").as_deref(),
        Some("At most USD 0.025 can be refunded on this song.")
    );
    assert_eq!(input_value(&html, "refund-song"), id);
    assert_eq!(input_value(&html, "refund-amount"), "0.03");
    assert_eq!(input_value(&html, "refund-reason"), "all of it");
    assert_eq!(team.ledger_spent(Some(team.ada.id)).await, 60_000);

    // An empty amount refunds the rest; then nothing is left.
    let response = boss
        .submit(
            &page,
            "/admin/billing/refund",
            &[("generation_id", &id), ("reason", "the rest")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(team.ledger_spent(Some(team.ada.id)).await, 35_000);
    let response = boss
        .submit(
            &page,
            "/admin/billing/refund",
            &[("generation_id", &id), ("reason", "again")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "refund-song-error").as_deref(),
        Some("Nothing is left to refund on this song.")
    );
    assert_eq!(text_of(&html, "team-spent"), usd(70_000));
    assert_eq!(team.audit_count().await, 2);
}

#[tokio::test]
async fn a_refund_the_core_refuses_comes_back_next_to_its_field() {
    let team = team_with_worker().await;
    let done = team.song(&team.ada, "completed").await.to_string();
    team.songs_fail_from_now_on();
    let failed = team.song(&team.bob, "failed").await.to_string();
    let unknown = uuid::Uuid::now_v7().to_string();
    let mut boss = team.signed_in(BOSS).await;
    for (song, amount, reason, field, error) in [
        (
            failed.as_str(),
            "",
            "r",
            "refund-song-error",
            "Only a completed song can be refunded by hand; this one is “Failed”.",
        ),
        (
            unknown.as_str(),
            "",
            "r",
            "refund-song-error",
            "No song has this id.",
        ),
        (
            "song-42",
            "",
            "r",
            "refund-song-error",
            "Enter a song id, such as 0193a4f2-7c1e-7d2a-9b3c-5e6f7a8b9c0d.",
        ),
        (
            done.as_str(),
            "",
            "  ",
            "refund-reason-error",
            "Give a reason (at most 500 characters).",
        ),
        (
            done.as_str(),
            "0",
            "r",
            "refund-amount-error",
            "A refund must be more than zero.",
        ),
        (
            done.as_str(),
            "-0.01",
            "r",
            "refund-amount-error",
            "An amount cannot be negative.",
        ),
    ] {
        let response = boss
            .submit(
                "/admin/billing",
                "/admin/billing/refund",
                &[
                    ("generation_id", song),
                    ("amount", amount),
                    ("reason", reason),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{song} {amount}"
        );
        let html = response.text().await.unwrap();
        assert_eq!(
            field_error(&html, field).as_deref(),
            Some(error),
            "{song} {amount}"
        );
        assert_eq!(input_value(&html, "refund-song"), song);
        assert_eq!(input_value(&html, "refund-amount"), amount);
    }
    assert_eq!(team.audit_count().await, 0);
    assert_eq!(team.ledger_spent(Some(team.ada.id)).await, 35_000);
}
