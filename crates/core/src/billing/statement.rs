//! The ledger of a month, line by line: a member's, newest first a page at
//! a time (keyset on `(billing_day, id)`, on `ledger_user_day_idx`), and a
//! member's or the whole team's, oldest first, for CSV exports.

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::ledger::LedgerKind;
use super::zone::next_month;
use crate::money::Micros;

/// One ledger row, with what a reader needs to recognise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerLine {
    pub id: i64,
    /// When it was written.
    pub at: OffsetDateTime,
    /// The billing day it counts on (its song's request day).
    pub day: Date,
    pub user_id: Uuid,
    pub user_email: String,
    pub generation_id: Option<Uuid>,
    /// The song's title, or its topic for a described song.
    pub title: Option<String>,
    pub kind: LedgerKind,
    /// Signed, from the member's point of view.
    pub amount: Micros,
    pub note: Option<String>,
    /// The admin who made it by hand.
    pub by_admin: Option<String>,
}

/// Where a page ended: the last line's `(day, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LedgerCursor {
    pub day: Date,
    pub id: i64,
}

impl LedgerCursor {
    fn of(line: &LedgerLine) -> LedgerCursor {
        LedgerCursor {
            day: line.day,
            id: line.id,
        }
    }

    /// `YYYY-MM-DD,<id>`, safe in a URL.
    pub fn encode(&self) -> String {
        format!("{},{}", self.day, self.id)
    }

    /// `None` for anything else: the list starts again from its first page.
    pub fn parse(text: &str) -> Option<LedgerCursor> {
        let (day, id) = text.split_once(',')?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Some(LedgerCursor {
            day: Date::parse(day, format).ok()?,
            id: id.parse().ok()?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPage {
    pub lines: Vec<LedgerLine>,
    /// The cursor of the next page, if there is one.
    pub next: Option<LedgerCursor>,
}

type LineRow = (
    i64,
    OffsetDateTime,
    Date,
    Uuid,
    String,
    Option<Uuid>,
    Option<String>,
    String,
    i64,
    Option<String>,
    Option<String>,
);

fn line(row: LineRow) -> LedgerLine {
    let (id, at, day, user_id, user_email, generation_id, title, kind, amount, note, by_admin) =
        row;
    LedgerLine {
        id,
        at,
        day,
        user_id,
        user_email,
        generation_id,
        title,
        kind: LedgerKind::parse(&kind).unwrap_or(LedgerKind::Adjustment),
        amount: Micros(amount),
        note,
        by_admin,
    }
}

macro_rules! line_columns {
    () => {
        "SELECT l.id, l.created_at, l.billing_day, l.user_id, owner.email, l.generation_id,
                COALESCE(g.title, g.topic), l.kind, l.amount_micros, l.note, admin.email
         FROM ledger l
         JOIN users owner ON owner.id = l.user_id
         LEFT JOIN generations g ON g.id = l.generation_id
         LEFT JOIN users admin ON admin.id = l.created_by "
    };
}

/// A page of a member's month, newest first.
pub async fn ledger_page(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    month: Date,
    after: Option<LedgerCursor>,
    limit: i64,
) -> sqlx::Result<LedgerPage> {
    let rows: Vec<LineRow> = sqlx::query_as(concat!(
        line_columns!(),
        "WHERE l.user_id = $1 AND l.billing_day >= $2 AND l.billing_day < $3
           AND ($4::date IS NULL OR (l.billing_day, l.id) < ($4, $5))
         ORDER BY l.billing_day DESC, l.id DESC LIMIT $6"
    ))
    .bind(user_id)
    .bind(month)
    .bind(next_month(month))
    .bind(after.map(|c| c.day))
    .bind(after.map_or(0, |c| c.id))
    .bind(limit + 1)
    .fetch_all(db)
    .await?;
    let mut lines: Vec<LedgerLine> = rows.into_iter().map(line).collect();
    let more = lines.len() as i64 > limit;
    lines.truncate(limit.max(0) as usize);
    let next = more.then(|| lines.last().map(LedgerCursor::of)).flatten();
    Ok(LedgerPage { lines, next })
}

/// Whose ledger an export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportScope {
    Member(Uuid),
    Team,
}

/// A page of an export, oldest first: call again with the last line's
/// cursor until a page comes back shorter than `limit`, so a month of any
/// size streams in bounded memory.
pub async fn export_page(
    db: impl PgExecutor<'_>,
    scope: ExportScope,
    month: Date,
    after: Option<LedgerCursor>,
    limit: i64,
) -> sqlx::Result<Vec<LedgerLine>> {
    let member = match scope {
        ExportScope::Member(id) => Some(id),
        ExportScope::Team => None,
    };
    let rows: Vec<LineRow> = sqlx::query_as(concat!(
        line_columns!(),
        "WHERE ($1::uuid IS NULL OR l.user_id = $1) AND l.billing_day >= $2 AND l.billing_day < $3
           AND ($4::date IS NULL OR (l.billing_day, l.id) > ($4, $5))
         ORDER BY l.billing_day, l.id LIMIT $6"
    ))
    .bind(member)
    .bind(month)
    .bind(next_month(month))
    .bind(after.map(|c| c.day))
    .bind(after.map_or(0, |c| c.id))
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(line).collect())
}

/// The cursor after a page's last line, for [`export_page`].
pub fn cursor_after(lines: &[LedgerLine]) -> Option<LedgerCursor> {
    lines.last().map(LedgerCursor::of)
}

/// The header line of an export.
pub const CSV_HEADER: &str =
    "date,recorded_at,member,song_id,song,kind,amount_usd,note,by_admin\r\n";

impl LedgerLine {
    /// The line as CSV (RFC 4180: every text field quoted when it must be,
    /// CRLF at the end). A field that starts with `=`, `+`, `-` or `@` gets a
    /// leading `'` so a spreadsheet never runs it as a formula; amounts are
    /// left alone (they are numbers).
    pub fn csv_line(&self) -> String {
        let at = self
            .at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let fields = [
            self.day.to_string(),
            at,
            text(&self.user_email),
            self.generation_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            text(self.title.as_deref().unwrap_or("")),
            self.kind.as_str().to_owned(),
            self.amount.to_string(),
            text(self.note.as_deref().unwrap_or("")),
            text(self.by_admin.as_deref().unwrap_or("")),
        ];
        let mut line = fields.map(|f| quoted(&f)).join(",");
        line.push_str("\r\n");
        line
    }
}

fn text(value: &str) -> String {
    // What a spreadsheet would run as a formula (OWASP's list).
    match value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{value}"),
        false => value.to_owned(),
    }
}

fn quoted(field: &str) -> String {
    match field.contains([',', '"', '\r', '\n']) {
        true => format!("\"{}\"", field.replace('"', "\"\"")),
        false => field.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_is_refused() {
        let cursor = LedgerCursor {
            day: date!(2026 - 11 - 05),
            id: 42,
        };
        assert_eq!(cursor.encode(), "2026-11-05,42");
        assert_eq!(LedgerCursor::parse(&cursor.encode()), Some(cursor));
        for bad in ["", "2026-11-05", "x,1", "2026-11-05,x", "2026-13-01,1"] {
            assert_eq!(LedgerCursor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn csv_lines_quote_what_needs_it_and_defuse_formulas() {
        let line = LedgerLine {
            id: 1,
            at: datetime!(2026-11-05 10:00 UTC),
            day: date!(2026 - 11 - 05),
            user_id: Uuid::nil(),
            user_email: "ada@example.com".to_owned(),
            generation_id: None,
            title: Some("Hello, \"world\"".to_owned()),
            kind: LedgerKind::Refund,
            amount: Micros(-35_000),
            note: Some("=HYPERLINK(1)".to_owned()),
            by_admin: None,
        };
        assert_eq!(
            line.csv_line(),
            "2026-11-05,2026-11-05T10:00:00Z,ada@example.com,,\"Hello, \"\"world\"\"\",refund,-0.035,'=HYPERLINK(1),\r\n"
        );
    }
}
