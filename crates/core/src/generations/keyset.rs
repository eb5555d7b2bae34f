//! Where the previous page of a newest-first list ended: the last row's
//! `(time, id)`. Lists page with `(time, id) < cursor` (keyset pagination),
//! so a song added while someone pages never shifts a page, and the query
//! stays on its index however far back it goes.

use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Keyset {
    pub at: OffsetDateTime,
    pub id: Uuid,
}

impl Keyset {
    pub fn new(at: OffsetDateTime, id: Uuid) -> Keyset {
        Keyset { at, id }
    }

    /// `<unix microseconds>,<id>`: Postgres keeps microseconds, and digits
    /// need no escaping in a URL (an RFC 3339 `+` would).
    pub fn encode(&self) -> String {
        let micros = self.at.unix_timestamp_nanos() / 1000;
        format!("{micros},{}", self.id)
    }

    /// `None` for anything else: a list then starts again from the newest.
    pub fn parse(text: &str) -> Option<Keyset> {
        let (micros, id) = text.split_once(',')?;
        let micros: i128 = micros.parse().ok()?;
        let at = OffsetDateTime::from_unix_timestamp_nanos(micros.checked_mul(1000)?).ok()?;
        Some(Keyset {
            at,
            id: id.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_is_refused() {
        let cursor = Keyset::new(
            OffsetDateTime::from_unix_timestamp_nanos(1_764_000_000_123_456_000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            Uuid::nil(),
        );
        assert_eq!(Keyset::parse(&cursor.encode()), Some(cursor));
        for bad in [
            "",
            "1",
            "x,y",
            "1,not-a-uuid",
            "99999999999999999999999,00000000-0000-0000-0000-000000000000",
        ] {
            assert_eq!(Keyset::parse(bad), None, "{bad}");
        }
    }
}
