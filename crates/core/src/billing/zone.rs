//! The billing time zone (`CHORUS_BILLING_TZ`): budgets reset, and the
//! dashboards count, by calendar days and months in it. Postgres knows the
//! zones, so it does the arithmetic (the SQL function `billing_day`, on the
//! database's clock) and is asked at start-up whether the name is real.

use std::fmt;

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};

/// An IANA zone name such as `Europe/Berlin`, syntax-checked when the
/// config is read and checked against Postgres at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingZone(String);

pub const BILLING_TZ_VAR: &str = "CHORUS_BILLING_TZ";

impl BillingZone {
    /// `None` for text that cannot be a zone name (so it never reaches SQL
    /// as anything but a bound parameter, and a typo fails early).
    pub fn parse(name: &str) -> Option<BillingZone> {
        let name = name.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+');
        let sensible = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(allowed)
            && !name.starts_with('/')
            && !name.ends_with('/')
            && !name.contains("//");
        sensible.then(|| BillingZone(name.to_owned()))
    }

    pub fn utc() -> BillingZone {
        BillingZone("UTC".to_owned())
    }

    pub fn name(&self) -> &str {
        &self.0
    }
}

impl Default for BillingZone {
    fn default() -> Self {
        BillingZone::utc()
    }
}

impl fmt::Display for BillingZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ZoneError {
    #[error(
        "{BILLING_TZ_VAR}: expected a time zone name Postgres knows, such as Europe/Berlin or UTC, got {0:?}"
    )]
    Unknown(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Start-up check: the zone is one of Postgres's `pg_timezone_names`.
pub async fn ensure_known(db: impl PgExecutor<'_>, zone: &BillingZone) -> Result<(), ZoneError> {
    let known: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)")
            .bind(zone.name())
            .fetch_one(db)
            .await?;
    match known {
        true => Ok(()),
        false => Err(ZoneError::Unknown(zone.name().to_owned())),
    }
}

/// The billing day of a moment.
pub async fn day_of(
    db: impl PgExecutor<'_>,
    zone: &BillingZone,
    at: OffsetDateTime,
) -> sqlx::Result<Date> {
    sqlx::query_scalar("SELECT billing_day($1, $2)")
        .bind(at)
        .bind(zone.name())
        .fetch_one(db)
        .await
}

/// Today, on the database's clock, in the billing zone.
pub async fn today(db: impl PgExecutor<'_>, zone: &BillingZone) -> sqlx::Result<Date> {
    sqlx::query_scalar("SELECT billing_day(now(), $1)")
        .bind(zone.name())
        .fetch_one(db)
        .await
}

/// This billing month (its first day), on the database's clock.
pub async fn this_month(db: impl PgExecutor<'_>, zone: &BillingZone) -> sqlx::Result<Date> {
    Ok(month_of(today(db, zone).await?))
}

/// The month (its first day) a day belongs to.
pub fn month_of(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

/// The first day of the next month: when a month's budgets reset.
pub fn next_month(month: Date) -> Date {
    let (year, next) = match month.month() {
        time::Month::December => (month.year() + 1, time::Month::January),
        m => (month.year(), m.next()),
    };
    Date::from_calendar_date(year, next, 1).unwrap_or(month)
}

/// The first day of the month before.
pub fn previous_month(month: Date) -> Date {
    let (year, previous) = match month.month() {
        time::Month::January => (month.year() - 1, time::Month::December),
        m => (month.year(), m.previous()),
    };
    Date::from_calendar_date(year, previous, 1).unwrap_or(month)
}

/// `YYYY-MM`, as months appear in URLs and exports.
pub fn month_label(month: Date) -> String {
    format!("{:04}-{:02}", month.year(), u8::from(month.month()))
}

/// Reads `YYYY-MM` (a month picker's value); `None` for anything else.
pub fn parse_month(text: &str) -> Option<Date> {
    let (year, month) = text.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, 1).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn zone_names_are_checked_for_shape() {
        for good in [
            "UTC",
            "Pacific/Auckland",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+3",
        ] {
            assert!(BillingZone::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            " ",
            "Europe/",
            "/etc/passwd",
            "UTC'; DROP",
            "Europe Berlin",
            "a//b",
        ] {
            assert!(BillingZone::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn months_roll_over_the_year_both_ways() {
        assert_eq!(month_of(date!(2026 - 11 - 25)), date!(2026 - 11 - 01));
        assert_eq!(next_month(date!(2026 - 11 - 01)), date!(2026 - 12 - 01));
        assert_eq!(next_month(date!(2026 - 12 - 01)), date!(2027 - 01 - 01));
        assert_eq!(previous_month(date!(2027 - 01 - 01)), date!(2026 - 12 - 01));
    }

    #[test]
    fn months_read_and_print_as_year_dash_month() {
        assert_eq!(month_label(date!(2026 - 03 - 01)), "2026-03");
        assert_eq!(parse_month("2026-03"), Some(date!(2026 - 03 - 01)));
        for bad in ["", "2026", "2026-13", "26-03", "2026-3", "2026-03-01"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }
}
