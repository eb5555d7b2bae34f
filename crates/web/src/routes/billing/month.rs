//! The month a billing page shows: `?month=YYYY-MM`, this billing month
//! when absent or empty (a month picker submitted blank).

use chorus_core::billing::zone;
use time::Date;

use crate::error::WebError;

/// `Err(InvalidMonth)` (a 400 page) for anything but `YYYY-MM`.
pub fn chosen(param: Option<&str>, this_month: Date) -> Result<Date, WebError> {
    match param.map(str::trim) {
        None | Some("") => Ok(this_month),
        Some(text) => zone::parse_month(text).ok_or(WebError::InvalidMonth),
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
