//! Billing days and months follow CHORUS_BILLING_TZ, on the database's clock.

use chorus_core::Micros;
use chorus_core::billing::zone::{self, BillingZone, ZoneError};
use time::macros::{date, datetime};

use super::driver::Driver;
use crate::helpers::spawn_app_with;
use crate::pipeline::members::{describe, member};

#[tokio::test]
async fn a_moment_falls_on_the_calendar_day_of_the_billing_zone() {
    let driver = Driver::new().await;
    let auckland = BillingZone::parse("Pacific/Auckland").unwrap();
    let pool = driver.pool();
    // 30 Nov 11:30 UTC is already 1 Dec 00:30 in Auckland (UTC+13 in summer).
    let at = datetime!(2026-11-30 11:30 UTC);
    assert_eq!(
        zone::day_of(pool, &auckland, at).await.unwrap(),
        date!(2026 - 12 - 01)
    );
    assert_eq!(
        zone::day_of(pool, &BillingZone::utc(), at).await.unwrap(),
        date!(2026 - 11 - 30)
    );
    let honolulu = BillingZone::parse("Pacific/Honolulu").unwrap();
    assert_eq!(
        zone::day_of(pool, &honolulu, datetime!(2026-12-01 05:00 UTC))
            .await
            .unwrap(),
        date!(2026 - 11 - 30)
    );
}

#[tokio::test]
async fn only_zones_postgres_knows_pass_the_start_up_check() {
    let driver = Driver::new().await;
    zone::ensure_known(
        driver.pool(),
        &BillingZone::parse("Pacific/Auckland").unwrap(),
    )
    .await
    .unwrap();
    let unknown =
        zone::ensure_known(driver.pool(), &BillingZone::parse("Mars/Olympus").unwrap()).await;
    let Err(error @ ZoneError::Unknown(_)) = unknown else {
        panic!("{unknown:?}");
    };
    let line = error.to_string();
    assert!(line.starts_with("CHORUS_BILLING_TZ"), "{line}");
    assert!(
        line.contains("Mars/Olympus") && !line.contains('\n'),
        "{line}"
    );
}

#[tokio::test]
async fn a_request_is_billed_to_its_day_and_month_in_the_billing_zone() {
    let app = spawn_app_with(&[("CHORUS_BILLING_TZ", "Pacific/Auckland")]).await;
    let ada = member(&app, "ada@example.com", Some(Micros(50_000))).await;
    let id = app.request_song(&ada, &describe()).await;
    let pool = app.env.db.pool();
    let (day, month, auckland_today): (time::Date, time::Date, time::Date) = sqlx::query_as(
        "SELECT billing_day, billing_month, (now() AT TIME ZONE 'Pacific/Auckland')::date
         FROM generations WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(day, auckland_today);
    assert_eq!(month, zone::month_of(auckland_today));
    let usage = app.usage(&ada).await;
    assert_eq!(usage["month"], zone::month_label(month), "{usage}");
    assert_eq!(
        usage["reserved_micros"].as_i64().unwrap() + usage["spent_micros"].as_i64().unwrap(),
        35_000
    );
    let refused = app.api_post(&ada.token, "/generations", &describe()).await;
    assert_eq!(refused.status(), 402);
    let problem: serde_json::Value = refused.json().await.unwrap();
    let resets_on = zone::next_month(month).to_string();
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("your monthly budget"),
        "{problem}"
    );
    assert!(
        problem["message"].as_str().unwrap().contains(&resets_on),
        "{problem}"
    );
}

#[tokio::test]
async fn an_unknown_billing_zone_stops_start_up_with_one_line_naming_the_variable() {
    let env = chorus_testkit::TestEnv::start().await;
    let mut vars = env.env_vars();
    vars.push(("CHORUS_BILLING_TZ", "Mars/Olympus".to_owned()));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for role in ["web", "worker"] {
        let out = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            crate::cli::chorus(&[role], &vars).output(),
        )
        .await
        .expect("chorus did not exit")
        .unwrap();
        assert!(!out.status.success(), "{role} started");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{role}: {stderr}");
        assert!(stderr.contains("CHORUS_BILLING_TZ"), "{role}: {stderr}");
        assert!(stderr.contains("Mars/Olympus"), "{role}: {stderr}");
    }
}
