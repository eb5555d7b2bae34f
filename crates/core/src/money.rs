//! Money is an exact integer count of micro-USD; floats never touch it.

use std::fmt;

/// An amount of money in millionths of a US dollar (USD 0.035 = 35 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Micros(pub i64);

const PER_USD: i64 = 1_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a USD amount such as 0.035 (at most 6 decimals), got {0:?}")]
pub struct ParseUsdError(pub String);

impl Micros {
    pub const ZERO: Micros = Micros(0);

    /// Parses a decimal USD amount ("0.035", "12", "1.5") exactly.
    /// Negative amounts and more than six decimals are refused: they are
    /// never a sensible price or budget.
    pub fn parse_usd(text: &str) -> Result<Micros, ParseUsdError> {
        let err = || ParseUsdError(text.to_owned());
        let trimmed = text.trim();
        let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty())
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > 6
        {
            return Err(err());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| err())?
        };
        let fraction: i64 = if fraction.is_empty() {
            0
        } else {
            format!("{fraction:0<6}").parse().map_err(|_| err())?
        };
        whole
            .checked_mul(PER_USD)
            .and_then(|w| w.checked_add(fraction))
            .map(Micros)
            .ok_or_else(err)
    }

    pub fn as_i64(self) -> i64 {
        self.0
    }
}

/// Renders as a USD amount with at least two decimals and no trailing
/// zeros beyond them: 35 000 → "0.035", 1 500 000 → "1.50".
impl fmt::Display for Micros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let per_usd = PER_USD.unsigned_abs();
        let fraction = format!("{:06}", abs % per_usd);
        let fraction = fraction.trim_end_matches('0');
        write!(f, "{sign}{}.{fraction:0<2}", abs / per_usd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_usd_amounts_exactly() {
        assert_eq!(Micros::parse_usd("0.035"), Ok(Micros(35_000)));
        assert_eq!(Micros::parse_usd("12"), Ok(Micros(12_000_000)));
        assert_eq!(Micros::parse_usd("1.5"), Ok(Micros(1_500_000)));
        assert_eq!(Micros::parse_usd(".25"), Ok(Micros(250_000)));
        assert_eq!(Micros::parse_usd("0.000001"), Ok(Micros(1)));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for bad in [
            "",
            ".",
            "abc",
            "-1",
            "1.0000001",
            "1,5",
            "1e3",
            "0x10",
            "99999999999999",
        ] {
            assert!(Micros::parse_usd(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn displays_as_dollars() {
        assert_eq!(Micros(35_000).to_string(), "0.035");
        assert_eq!(Micros(1_500_000).to_string(), "1.50");
        assert_eq!(Micros(0).to_string(), "0.00");
        assert_eq!(Micros(-35_000).to_string(), "-0.035");
        assert_eq!(Micros(10_000_000).to_string(), "10.00");
    }
}
