//! The month a billing page shows: `?month=YYYY-MM`, this billing month
//! when absent or empty (a month picker submitted blank).

use chorus_core::billing::zone;
use chorus_core::freshness::Freshness;
use time::Date;

use crate::error::WebError;
use crate::state::AppState;

/// This billing month in `CHORUS_BILLING_TZ`, on the database's clock;
/// kept for a few seconds, so a page may show the old month that long
/// after midnight (money is always recorded on the database's clock).
pub async fn this_month(state: &AppState) -> Result<Date, WebError> {
    let month = state
        .caches
        .this_month
        .get_or_load(
            (),
            Freshness::default(),
            || zone::this_month(&state.pool, &state.config.billing_zone),
            |_| true,
        )
        .await?;
    Ok(*month)
}

/// `Err(InvalidMonth)` (a 400 page) for anything but `YYYY-MM`.
pub fn chosen(param: Option<&str>, this_month: Date) -> Result<Date, WebError> {
    Ok(asked(param)?.unwrap_or(this_month))
}

/// The month asked for, `None` for this one (absent or blank).
pub fn asked(param: Option<&str>) -> Result<Option<Date>, WebError> {
    match param.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => zone::parse_month(text)
            .map(Some)
            .ok_or(WebError::InvalidMonth),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_month_is_year_dash_month_or_nothing() {
        let now = date!(2026 - 11 - 01);
        assert_eq!(chosen(None, now).ok(), Some(now));
        assert_eq!(chosen(Some(""), now).ok(), Some(now));
        assert_eq!(
            chosen(Some("2025-02"), now).ok(),
            Some(date!(2025 - 02 - 01))
        );
        for bad in ["2025-13", "nope", "2025-2", "<script>"] {
            assert!(matches!(
                chosen(Some(bad), now),
                Err(WebError::InvalidMonth)
            ));
        }
    }
}
