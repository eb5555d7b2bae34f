//! Setting a member's budget and the team's cap through the forms: saved,
//! audited with the admin's name and reason, the month kept; bad amounts
//! answered next to the field with the input kept; user text escaped; the
//! page in both languages.

use reqwest::StatusCode;

use super::{
    ADA, BOB, BOSS, assert_no_raw_keys, field_error, input_value, row_with, team_without_worker,
    text_of, usd,
};
use crate::accounts_web::browser::location;

async fn budget_of(team: &super::Team, email: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT monthly_budget_micros FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(team.pool())
        .await
        .unwrap()
}

async fn cap(team: &super::Team) -> Option<i64> {
    sqlx::query_scalar("SELECT monthly_cap_micros FROM team_settings")
        .fetch_one(team.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_budget_and_the_cap_set_through_the_forms_are_saved_and_audited() {
    let team = team_without_worker().await;
    sqlx::query("UPDATE users SET display_name = 'Grace Boss' WHERE email = $1")
        .bind(BOSS)
        .execute(team.pool())
        .await
        .unwrap();
    team.app.changed_behind_the_app().await;
    let mut boss = team.signed_in(BOSS).await;
    let page = "/admin/billing?month=2026-01";
    let ada = team.ada.id.to_string();

    let response = boss
        .submit(
            page,
            "/admin/billing/budget",
            &[
                ("month", "2026-01"),
                ("user_id", &ada),
                ("amount", "12.5"),
                ("reason", "a quiet month"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Back to the month the form was on.
    assert_eq!(
        location(&response),
        "/admin/billing?month=2026-01&done=budget"
    );
    assert_eq!(budget_of(&team, ADA).await, Some(12_500_000));
    assert_eq!(budget_of(&team, BOB).await, None);

    let html = boss.get(location(&response)).await.text().await.unwrap();
    assert!(html.contains("The budget is saved."), "{html}");
    assert!(row_with(&html, ADA).contains(&format!("| {} |", usd(12_500_000))));
    let audit = row_with(&html, "a quiet month");
    assert!(
        audit.ends_with(&format!(
            "| Grace Boss | Monthly budget | {ADA} | No budget → {} | a quiet month",
            usd(12_500_000)
        )),
        "{audit}"
    );

    // The cap, then no cap; a reason is optional.
    let response = boss
        .submit(
            page,
            "/admin/billing/cap",
            &[
                ("month", "2026-01"),
                ("amount", "500"),
                ("reason", "the new plan"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/billing?month=2026-01&done=cap");
    assert_eq!(cap(&team).await, Some(500_000_000));
    let html = boss.get(page).await.text().await.unwrap();
    assert_eq!(text_of(&html, "team-cap"), usd(500_000_000));
    // The form shows the cap in force.
    assert_eq!(input_value(&html, "cap-amount"), "500.00");

    let response = boss
        .submit(
            page,
            "/admin/billing/cap",
            &[("month", "2026-01"), ("amount", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(cap(&team).await, None);
    let html = boss.get(page).await.text().await.unwrap();
    assert_eq!(text_of(&html, "team-cap"), "No cap");
    let audit = text_of(&html, "audit-table");
    assert!(
        audit.contains(&format!(
            "Grace Boss Team cap The whole team {} → No cap",
            usd(500_000_000)
        )),
        "{audit}"
    );
    assert!(
        audit.contains(&format!(
            "Grace Boss Team cap The whole team No cap → {} the new plan",
            usd(500_000_000)
        )),
        "{audit}"
    );
    assert_eq!(team.audit_count().await, 3);

    // "Change budget" opens the form filled in for that member.
    let html = boss
        .get(&format!("/admin/billing?budget_for={ada}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(input_value(&html, "budget-amount"), "12.50");
    assert!(
        html.contains(&format!("<option value=\"{ada}\" selected>")),
        "{html}"
    );
    // And an empty amount takes the budget away.
    let response = boss
        .submit(
            page,
            "/admin/billing/budget",
            &[("user_id", &ada), ("amount", " ")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(budget_of(&team, ADA).await, None);
}

#[tokio::test]
async fn bad_amounts_come_back_next_to_the_field_with_the_input_kept() {
    let team = team_without_worker().await;
    let mut boss = team.signed_in(BOSS).await;
    let page = "/admin/billing?month=2026-02";
    let ada = team.ada.id.to_string();
    for (amount, error) in [
        ("-5", "An amount cannot be negative."),
        ("1.0000001", "At most 6 decimals (a millionth of a dollar)."),
        (
            "twelve",
            "Enter an amount in US dollars, such as 25 or 12.50.",
        ),
        ("1e3", "Enter an amount in US dollars, such as 25 or 12.50."),
        ("99999999", "At most USD 1000000.00."),
    ] {
        let response = boss
            .submit(
                page,
                "/admin/billing/budget",
                &[
                    ("month", "2026-02"),
                    ("user_id", &ada),
                    ("amount", amount),
                    ("reason", "kept <too>"),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{amount}"
        );
        let html = response.text().await.unwrap();
        assert_eq!(
            field_error(&html, "budget-amount-error").as_deref(),
            Some(error)
        );
        assert_eq!(input_value(&html, "budget-amount"), amount);
        assert_eq!(input_value(&html, "budget-reason"), "kept <too>");
        assert!(
            html.contains(&format!("<option value=\"{ada}\" selected>")),
            "{html}"
        );
        assert!(html.contains("aria-invalid=\"true\""), "{html}");
        // Still the month it was posted from.
        assert!(html.contains("type=\"month\" value=\"2026-02\""), "{html}");

        let response = boss
            .submit(page, "/admin/billing/cap", &[("amount", amount)])
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{amount}"
        );
        let html = response.text().await.unwrap();
        assert_eq!(
            field_error(&html, "cap-amount-error").as_deref(),
            Some(error)
        );
        assert_eq!(input_value(&html, "cap-amount"), amount);
    }

    // No member chosen, or one that does not exist.
    for user_id in ["", "not-a-uuid", &uuid::Uuid::now_v7().to_string()] {
        let response = boss
            .submit(
                page,
                "/admin/billing/budget",
                &[("user_id", user_id), ("amount", "5")],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{user_id}"
        );
        let html = response.text().await.unwrap();
        assert_eq!(
            field_error(&html, "budget-member-error").as_deref(),
            Some("Choose a member of the team."),
        );
        assert_eq!(input_value(&html, "budget-amount"), "5");
    }
    // A reason past 500 characters.
    let long = "x".repeat(501);
    let response = boss
        .submit(
            page,
            "/admin/billing/cap",
            &[("amount", "5"), ("reason", &long)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "cap-reason-error").as_deref(),
        Some("A reason has at most 500 characters.")
    );

    assert_eq!(team.audit_count().await, 0);
    assert_eq!(budget_of(&team, ADA).await, None);
    assert_eq!(cap(&team).await, None);
}

#[tokio::test]
async fn script_in_a_name_an_email_or_a_reason_is_shown_as_text() {
    let team = team_without_worker().await;
    let evil = super::member(&team.app, "<script>alert(1)</script>@example.com", None).await;
    sqlx::query("UPDATE users SET display_name = '<script>alert(2)</script>' WHERE email = $1")
        .bind(ADA)
        .execute(team.pool())
        .await
        .unwrap();
    team.app.changed_behind_the_app().await;
    let mut boss = team.signed_in(BOSS).await;
    for (user, reason) in [
        (evil.id.to_string(), "<script>alert(3)</script>"),
        (team.ada.id.to_string(), "\"><img src=x onerror=alert(4)>"),
    ] {
        let response = boss
            .submit(
                "/admin/billing",
                "/admin/billing/budget",
                &[("user_id", &user), ("amount", "1"), ("reason", reason)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    // A refused form echoes its input escaped too.
    let response = boss
        .submit(
            "/admin/billing",
            "/admin/billing/cap",
            &[("amount", "<script>alert(5)</script>")],
        )
        .await;
    let refused = response.text().await.unwrap();
    let html = boss.get("/admin/billing").await.text().await.unwrap();
    for page in [&html, &refused] {
        assert!(!page.contains("<script>"), "{page}");
        assert!(!page.contains("<img"), "{page}");
    }
    let shown = text_of(&html, "members-table");
    assert!(
        shown.contains("<script>alert(1)</script>@example.com"),
        "{shown}"
    );
    assert!(
        shown.contains("<script>alert(2)</script> ada@example.com"),
        "{shown}"
    );
    let audit = text_of(&html, "audit-table");
    assert!(audit.contains("<script>alert(3)</script>"), "{audit}");
    assert!(audit.contains("\"><img src=x onerror=alert(4)>"), "{audit}");
    assert_eq!(
        input_value(&refused, "cap-amount"),
        "<script>alert(5)</script>"
    );
    // As the reader sees it: the names and reasons, verbatim.
    assert!(text_of(&html, "audit-table").contains("Monthly budget <script>alert(2)</script>"));
}

#[tokio::test]
async fn the_billing_page_speaks_both_languages() {
    let team = team_without_worker().await;
    let mut boss = team.signed_in(BOSS).await;
    let ada = team.ada.id.to_string();
    boss.submit(
        "/admin/billing",
        "/admin/billing/budget",
        &[("user_id", &ada), ("amount", "3"), ("reason", "why not")],
    )
    .await;
    for (lang, heading, no_cap, budget_line) in [
        (
            "en",
            "Team billing: January 2026",
            "No cap",
            "No budget → USD 3.00",
        ),
        (
            "zh-CN",
            "团队账单：2026年1月",
            "无上限",
            "无预算 → 3.00 美元",
        ),
    ] {
        boss.set_cookie("lang", lang);
        let html = boss
            .get("/admin/billing?month=2026-01")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
        assert!(html.contains(&format!("<h1>{heading}</h1>")), "{html}");
        assert_eq!(text_of(&html, "team-cap"), no_cap);
        assert!(
            text_of(&html, "audit-table").contains(budget_line),
            "{html}"
        );
        assert_no_raw_keys(&html);
        // A refused form too, with its error in the reader's language.
        let response = boss
            .submit(
                "/admin/billing",
                "/admin/billing/refund",
                &[("generation_id", "x")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert_no_raw_keys(&html);
        assert!(
            field_error(&html, "refund-reason-error").is_some(),
            "{html}"
        );
    }
}
