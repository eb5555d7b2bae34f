//! Money and times as each language writes them.

use chorus_core::Micros;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::i18n::{Lang, t_args};

/// `Micros(35_000)` → "USD 0.035" / "0.035 美元". The word order and the
/// currency's name are the catalog's (`format.money`), the digits
/// `Micros`'s own, so every page shows the same precision.
pub fn money(lang: Lang, amount: Micros) -> String {
    t_args(lang, "format.money", &[("amount", &amount.to_string())])
}

/// "25 Nov 2026, 14:05" / "2026年11月25日 14:05", in UTC until Chorus has
/// a billing time zone.
pub fn datetime(lang: Lang, at: OffsetDateTime) -> String {
    const EN: &[BorrowedFormatItem<'_>] =
        format_description!("[day padding:none] [month repr:short] [year], [hour]:[minute]");
    const ZH: &[BorrowedFormatItem<'_>] =
        format_description!("[year]年[month padding:none]月[day padding:none]日 [hour]:[minute]");
    render(at, if lang == Lang::En { EN } else { ZH })
}

/// "25 Nov 2026" / "2026年11月25日", in UTC.
pub fn date(lang: Lang, at: OffsetDateTime) -> String {
    const EN: &[BorrowedFormatItem<'_>] =
        format_description!("[day padding:none] [month repr:short] [year]");
    const ZH: &[BorrowedFormatItem<'_>] =
        format_description!("[year]年[month padding:none]月[day padding:none]日");
    render(at, if lang == Lang::En { EN } else { ZH })
}

/// A calendar day (a billing day), written as [`date`] writes one.
pub fn day(lang: Lang, day: Date) -> String {
    date(lang, day.midnight().assume_utc())
}

/// "November 2026" / "2026年11月", for a month's first day.
pub fn month(lang: Lang, month: Date) -> String {
    const EN: &[BorrowedFormatItem<'_>] = format_description!("[month repr:long] [year]");
    const ZH: &[BorrowedFormatItem<'_>] = format_description!("[year]年[month padding:none]月");
    render(
        month.midnight().assume_utc(),
        if lang == Lang::En { EN } else { ZH },
    )
}

fn render(at: OffsetDateTime, items: &[BorrowedFormatItem<'_>]) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    // Only fails for components a date-time lacks, which these do not use;
    // a page still beats a 500 if that ever changes.
    utc.format(items).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "date format failed");
        utc.to_string()
    })
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn money_reads_naturally_in_each_language() {
        assert_eq!(money(Lang::En, Micros(35_000)), "USD 0.035");
        assert_eq!(money(Lang::ZhCn, Micros(35_000)), "0.035 美元");
        assert_eq!(money(Lang::En, Micros(12_500_000)), "USD 12.50");
        assert_eq!(money(Lang::ZhCn, Micros(-1_000_000)), "-1.00 美元");
    }

    #[test]
    fn times_are_written_as_each_language_writes_them() {
        let at = datetime!(2026-11-25 14:05:59 UTC);
        assert_eq!(datetime(Lang::En, at), "25 Nov 2026, 14:05");
        assert_eq!(datetime(Lang::ZhCn, at), "2026年11月25日 14:05");
        assert_eq!(date(Lang::En, at), "25 Nov 2026");
        assert_eq!(date(Lang::ZhCn, at), "2026年11月25日");
        let first = time::macros::date!(2026 - 12 - 01);
        assert_eq!(day(Lang::En, first), "1 Dec 2026");
        assert_eq!(month(Lang::En, first), "December 2026");
        assert_eq!(month(Lang::ZhCn, first), "2026年12月");
    }

    #[test]
    fn times_are_shown_in_utc_and_days_are_not_padded() {
        let at = datetime!(2026-03-01 01:30 +08:00);
        assert_eq!(datetime(Lang::En, at), "28 Feb 2026, 17:30");
        assert_eq!(datetime(Lang::ZhCn, at), "2026年2月28日 17:30");
    }
}
