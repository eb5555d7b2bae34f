//! `/billing`: a member's month (spent, reserved, what is left, songs
//! made), its days and the last twelve months as charts with their figures
//! as text, and the month's ledger a page at a time.

use std::ops::Deref;
use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use chorus_core::billing::LedgerKind;
use chorus_core::billing::dashboard::{MemberMonth, Spend};
use chorus_core::billing::statement::{LedgerLine, LedgerPage};
use chorus_core::billing::zone;
use time::Date;

use crate::charts::{self, Bar, ChartError, ChartText};
use crate::format;
use crate::pages::Layout;

/// What the handler read for the page.
pub struct MemberBilling {
    pub month: MemberMonth,
    /// Whether `month` is the current one (no "next" link past it).
    pub this_month: Date,
    pub daily: Vec<Spend>,
    pub monthly: Vec<Spend>,
    pub ledger: LedgerPage,
    /// Whether this is an older page of the ledger.
    pub paged: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "billing/member.html")]
pub struct MemberBillingPage {
    pub layout: Layout,
    /// Everything but the frame, ready in the page's language: kept between
    /// views (see [`crate::cache`]); the template reaches its fields
    /// through `Deref`.
    pub body: Arc<MemberBillingBody>,
}

impl Deref for MemberBillingPage {
    type Target = MemberBillingBody;

    fn deref(&self) -> &MemberBillingBody {
        &self.body
    }
}

/// What `/billing` shows for one member, month, ledger page and language.
pub struct MemberBillingBody {
    /// `YYYY-MM`.
    pub month: String,
    /// "November 2026".
    pub month_title: String,
    pub previous_href: String,
    pub next_href: Option<String>,
    pub spent: String,
    pub reserved: String,
    pub budget: Option<String>,
    pub remaining: Option<String>,
    pub songs_made: i64,
    pub daily: Chart,
    pub monthly: Chart,
    pub lines: Vec<LedgerRow>,
    pub older_href: Option<String>,
    /// Back to the newest lines, on an older page.
    pub newest_href: Option<String>,
    pub export_href: String,
}

/// A chart and, for readers who cannot see it, its figures.
pub struct Chart {
    pub title: String,
    pub svg: String,
    pub rows: Vec<(String, String)>,
}

/// One ledger line, every text ready in the page's language.
pub struct LedgerRow {
    pub date: String,
    pub song_href: Option<String>,
    pub song: String,
    pub kind: String,
    pub amount: String,
    pub note: String,
}

fn href(month: Date) -> String {
    format!("/billing?month={}", zone::month_label(month))
}

impl MemberBillingBody {
    pub fn new(layout: &Layout, data: MemberBilling) -> Result<MemberBillingBody, ChartError> {
        let month = data.month.month;
        let month_title = format::month(layout.lang, month);
        let daily = chart(
            layout,
            "daily",
            &layout.t_args("billing.chart.daily", &[("month", &month_title)]),
            &data.daily,
            |spend| spend.date.day().to_string(),
            |spend| format::day(layout.lang, spend.date),
        )?;
        let monthly = chart(
            layout,
            "monthly",
            &layout.t("billing.chart.monthly"),
            &data.monthly,
            |spend| {
                format!(
                    "{:02}/{:02}",
                    u8::from(spend.date.month()),
                    spend.date.year() % 100
                )
            },
            |spend| format::month(layout.lang, spend.date),
        )?;
        let older_href = data.ledger.next.map(|cursor| {
            format!(
                "{}&after={}",
                href(month),
                crate::url::encode_query_value(&cursor.encode())
            )
        });
        let lines = data
            .ledger
            .lines
            .into_iter()
            .map(|line| LedgerRow::new(layout, line))
            .collect();
        Ok(MemberBillingBody {
            month: zone::month_label(month),
            previous_href: href(zone::previous_month(month)),
            next_href: (month < data.this_month).then(|| href(zone::next_month(month))),
            spent: layout.money(&data.month.spent),
            reserved: layout.money(&data.month.reserved),
            budget: data.month.budget.map(|b| layout.money(&b)),
            remaining: data.month.remaining.map(|r| layout.money(&r)),
            songs_made: data.month.songs_made,
            daily,
            monthly,
            lines,
            older_href,
            newest_href: data.paged.then(|| href(month)),
            export_href: format!("/billing/export.csv?month={}", zone::month_label(month)),
            month_title,
        })
    }
}

fn chart(
    layout: &Layout,
    id: &str,
    title: &str,
    spends: &[Spend],
    axis_label: impl Fn(&Spend) -> String,
    row_label: impl Fn(&Spend) -> String,
) -> Result<Chart, ChartError> {
    let bars: Vec<Bar> = spends
        .iter()
        .map(|spend| Bar {
            label: axis_label(spend),
            value: spend.spent,
        })
        .collect();
    let text = ChartText {
        id,
        title,
        unit: &layout.t("billing.chart.unit"),
    };
    Ok(Chart {
        title: title.to_owned(),
        svg: charts::bar_chart(text, &bars)?,
        rows: spends
            .iter()
            .map(|spend| (row_label(spend), layout.money(&spend.spent)))
            .collect(),
    })
}

impl LedgerRow {
    fn new(layout: &Layout, line: LedgerLine) -> LedgerRow {
        // A line without a song (an adjustment by hand) shows a dash.
        let song = match line.generation_id {
            None => "—".to_owned(),
            Some(_) => line
                .title
                .as_deref()
                .map(str::trim)
                .filter(|title| !title.is_empty())
                .map_or_else(|| layout.t("library.untitled"), str::to_owned),
        };
        LedgerRow {
            date: format::day(layout.lang, line.day),
            song_href: line.generation_id.map(|id| format!("/songs/{id}")),
            song,
            kind: layout.t(kind_key(line.kind)),
            amount: layout.money(&line.amount),
            note: line.note.unwrap_or_default(),
        }
    }
}

fn kind_key(kind: LedgerKind) -> &'static str {
    match kind {
        LedgerKind::Reserve => "billing.kind.reserve",
        LedgerKind::Charge => "billing.kind.charge",
        LedgerKind::Release => "billing.kind.release",
        LedgerKind::Refund => "billing.kind.refund",
        LedgerKind::Adjustment => "billing.kind.adjustment",
    }
}
