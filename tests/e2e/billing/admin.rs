//! What admins do to money: refunds by hand, budget and cap changes, all
//! audited; and the 80 % warnings members and admins get.

use std::time::Duration;

use chorus_core::Micros;
use chorus_core::billing::audit::{self, AuditAction};
use chorus_core::billing::refund::{RefundError, refund_generation};
use chorus_core::billing::settings::{AdminError, set_member_budget, set_team_cap};
use chorus_core::billing::status::budget_status;
use chorus_core::billing::{BudgetKind, zone};
use chorus_core::events::{channel, team_channel};
use chorus_core::generations::CreateError;
use chorus_core::upstream::TaskStatus;
use chorus_testkit::TestEnv;
use futures_util::StreamExt;
use serde_json::Value;
use uuid::Uuid;

use super::consistency::assert_derived_money_matches_ledger;
use super::driver::Driver;
use crate::helpers::spawn_web;
use crate::pipeline::members::{admin, describe, member};

async fn completed_song(driver: &Driver, user: Uuid) -> Uuid {
    let id = driver.create(user, Micros(35_000)).await.unwrap().ticket.id;
    driver.accept(id).await;
    driver.report(id, TaskStatus::Completed).await;
    id
}

#[tokio::test]
async fn a_refund_by_hand_gives_back_at_most_what_was_charged_and_is_audited() {
    let driver = Driver::new().await;
    let boss = driver.user("boss", true, None).await;
    let ada = driver.user("ada", false, None).await;
    let song = completed_song(&driver, ada).await;
    let pool = driver.pool();

    let part = refund_generation(pool, boss, song, Some(Micros(10_000)), "a glitch at 0:42")
        .await
        .unwrap();
    assert_eq!((part.amount, part.left), (Micros(10_000), Micros(25_000)));
    let too_much = refund_generation(pool, boss, song, Some(Micros(25_001)), "more").await;
    assert!(
        matches!(
            too_much,
            Err(RefundError::TooMuch {
                refundable: Micros(25_000)
            })
        ),
        "{too_much:?}"
    );
    let rest = refund_generation(pool, boss, song, None, "the rest")
        .await
        .unwrap();
    assert_eq!((rest.amount, rest.left), (Micros(25_000), Micros::ZERO));
    let again = refund_generation(pool, boss, song, None, "again").await;
    assert!(matches!(again, Err(RefundError::NothingLeft)), "{again:?}");

    let not_admin = refund_generation(pool, ada, song, None, "me").await;
    assert!(
        matches!(
            not_admin,
            Err(RefundError::NotAllowed(AdminError::NotAdmin))
        ),
        "{not_admin:?}"
    );
    let no_reason = refund_generation(pool, boss, song, None, "  ").await;
    assert!(
        matches!(no_reason, Err(RefundError::NoReason)),
        "{no_reason:?}"
    );
    let failed = driver.create(ada, Micros(35_000)).await.unwrap().ticket.id;
    driver.accept(failed).await;
    driver.report(failed, TaskStatus::Failed).await;
    let twice = refund_generation(pool, boss, failed, None, "failed").await;
    assert!(
        matches!(twice, Err(RefundError::NotCompleted { .. })),
        "{twice:?}"
    );

    let month = zone::this_month(pool, &driver.zone).await.unwrap();
    let usage = chorus_core::billing::usage_of(pool, ada, month)
        .await
        .unwrap();
    assert_eq!(usage.spent_micros, 0);
    let rows: Vec<(i64, Option<Uuid>, Option<String>)> = sqlx::query_as(
        "SELECT amount_micros, created_by, note FROM ledger
         WHERE generation_id = $1 AND kind = 'refund' ORDER BY id",
    )
    .bind(song)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            (-10_000, Some(boss), Some("a glitch at 0:42".to_owned())),
            (-25_000, Some(boss), Some("the rest".to_owned()))
        ]
    );
    let log = audit::recent(pool, None, 10).await.unwrap();
    let refunds: Vec<_> = log
        .iter()
        .filter(|l| l.entry.action == AuditAction::Refund)
        .collect();
    assert_eq!(refunds.len(), 2);
    assert_eq!(refunds[0].entry.amount, Some(Micros(25_000)));
    assert_eq!(refunds[0].actor_email, "boss@example.com");
    assert_eq!(refunds[0].target_email.as_deref(), Some("ada@example.com"));
    assert_eq!(refunds[1].entry.reason.as_deref(), Some("a glitch at 0:42"));
    assert_derived_money_matches_ledger(pool).await;
}

#[tokio::test]
async fn ten_admins_refunding_one_song_at_once_never_give_back_more_than_it_cost() {
    let driver = Driver::new().await;
    let boss = driver.user("boss", true, None).await;
    let ada = driver.user("ada", false, None).await;
    let song = completed_song(&driver, ada).await;
    let refunds =
        (0..10).map(|_| refund_generation(driver.pool(), boss, song, Some(Micros(10_000)), "dup"));
    let outcomes = futures_util::future::join_all(refunds).await;
    let done = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(done, 3, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|o| o.is_ok() || matches!(o, Err(RefundError::TooMuch { .. })))
    );
    let refunded: i64 = sqlx::query_scalar(
        "SELECT -SUM(amount_micros)::BIGINT FROM ledger WHERE generation_id = $1 AND kind = 'refund'",
    )
    .bind(song)
    .fetch_one(driver.pool())
    .await
    .unwrap();
    assert_eq!(refunded, 30_000);
    assert_derived_money_matches_ledger(driver.pool()).await;
}

#[tokio::test]
async fn lowering_a_budget_or_the_cap_blocks_new_requests_only_and_is_audited() {
    let driver = Driver::new().await;
    let boss = driver.user("boss", true, None).await;
    let ada = driver.user("ada", false, Some(Micros(100_000))).await;
    let pool = driver.pool();
    let first = driver.create(ada, Micros(35_000)).await.unwrap().ticket.id;
    let second = driver.create(ada, Micros(35_000)).await.unwrap().ticket.id;

    set_member_budget(
        pool,
        boss,
        ada,
        Some(Micros(10_000)),
        Some(" too much this month "),
    )
    .await
    .unwrap();
    let refused = driver.create(ada, Micros(35_000)).await;
    assert!(
        matches!(
            refused,
            Err(CreateError::OverBudget {
                budget: BudgetKind::Member,
                left: Micros(0),
                ..
            })
        ),
        "{refused:?}"
    );
    // What was already reserved still goes through.
    driver.accept(first).await;
    driver.accept(second).await;

    set_member_budget(pool, boss, ada, None, None)
        .await
        .unwrap();
    set_team_cap(pool, boss, Some(Micros(80_000)), None)
        .await
        .unwrap();
    let refused = driver.create(ada, Micros(35_000)).await;
    let Err(CreateError::OverBudget {
        budget: BudgetKind::Team,
        limit,
        left,
        ..
    }) = refused
    else {
        panic!("{refused:?}");
    };
    assert_eq!((limit, left), (Micros(80_000), Micros(10_000)));
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("the team's monthly budget")
    );
    set_team_cap(pool, boss, None, None).await.unwrap();
    driver.create(ada, Micros(35_000)).await.unwrap();

    let denied = set_team_cap(pool, ada, Some(Micros(1)), None).await;
    assert!(matches!(denied, Err(AdminError::NotAdmin)), "{denied:?}");
    let log = audit::recent(pool, None, 10).await.unwrap();
    let changes: Vec<_> = log
        .iter()
        .rev()
        .map(|l| (l.entry.action, l.entry.previous, l.entry.amount))
        .collect();
    assert_eq!(
        changes,
        [
            (
                AuditAction::MemberBudget,
                Some(Micros(100_000)),
                Some(Micros(10_000))
            ),
            (AuditAction::MemberBudget, Some(Micros(10_000)), None),
            (AuditAction::TeamCap, None, Some(Micros(80_000))),
            (AuditAction::TeamCap, Some(Micros(80_000)), None),
        ]
    );
    assert!(log.iter().all(|l| l.actor_email == "boss@example.com"));
    assert_eq!(log[3].entry.reason.as_deref(), Some("too much this month"));
    assert_eq!(log[3].target_email.as_deref(), Some("ada@example.com"));
    assert_eq!(log[0].entry.reason, None);
}

/// Budget warnings published on a channel, until `quiet` passes without one.
async fn warnings_on(pubsub: &mut redis::aio::PubSub, quiet: Duration) -> Vec<Value> {
    let mut messages = pubsub.on_message();
    let mut warnings = Vec::new();
    while let Ok(Some(message)) = tokio::time::timeout(quiet, messages.next()).await {
        let event: Value = serde_json::from_str(&message.get_payload::<String>().unwrap()).unwrap();
        if event["kind"] == "budget_warning" {
            warnings.push(event);
        }
    }
    warnings
}

#[tokio::test]
async fn reaching_80_percent_of_a_budget_warns_once_per_month() {
    let app = spawn_web(TestEnv::start().await, &[]).await;
    let boss = admin(&app, "boss@example.com").await;
    let ada = member(&app, "ada@example.com", Some(Micros(5 * 35_000))).await;
    let bob = member(&app, "bob@example.com", None).await;
    set_team_cap(app.env.db.pool(), boss.id, Some(Micros(10 * 35_000)), None)
        .await
        .unwrap();
    let client = redis::Client::open(app.env.redis.url()).unwrap();
    let keyspace = app.env.redis.keyspace();
    let mut ada_channel = client.get_async_pubsub().await.unwrap();
    ada_channel
        .subscribe(channel(keyspace, ada.id))
        .await
        .unwrap();
    let mut team = client.get_async_pubsub().await.unwrap();
    team.subscribe(team_channel(keyspace)).await.unwrap();

    // Ada's 4th song reaches 80 % of her budget; the team is at 50 %.
    for _ in 0..5 {
        app.request_song(&ada, &describe()).await;
    }
    let month = zone::this_month(app.env.db.pool(), &app.config.billing_zone)
        .await
        .unwrap();
    let status = budget_status(app.env.db.pool(), ada.id, month)
        .await
        .unwrap();
    assert_eq!(status.warning().map(|w| w.0), Some(BudgetKind::Member));
    let warned = warnings_on(&mut ada_channel, Duration::from_millis(500)).await;
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0]["budget"], "member");
    assert_eq!(warned[0]["used_micros"], 4 * 35_000);

    // Bob's 3rd takes the team to 8 of 10; his 4th changes nothing more.
    for _ in 0..4 {
        app.request_song(&bob, &describe()).await;
    }
    let warned = warnings_on(&mut team, Duration::from_millis(500)).await;
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0]["budget"], "team");
    assert_eq!(warned[0]["user_id"], bob.id.to_string());
    assert_eq!(warned[0]["month"], zone::month_label(month));
    let status = budget_status(app.env.db.pool(), bob.id, month)
        .await
        .unwrap();
    assert_eq!(status.warning().map(|w| w.0), Some(BudgetKind::Team));
    assert!(
        warnings_on(&mut ada_channel, Duration::from_millis(200))
            .await
            .is_empty()
    );
}
