//! USD amounts typed into the admin's billing forms. The digits go through
//! [`Micros::parse_usd`]; this adds what a person needs told apart: a
//! negative amount, too many decimals, an absurd size, or not a number.

use chorus_core::Micros;

/// The largest amount the forms take: far above any monthly budget a team
/// sets, far below where sums of amounts could overflow.
pub const MAX_AMOUNT: Micros = Micros(1_000_000 * 1_000_000);

/// Micro-dollars: six decimals at most.
const MAX_DECIMALS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    NotAnAmount,
    Negative,
    TooPrecise,
    TooLarge,
}

impl AmountError {
    /// The catalog key of the message shown next to the field.
    pub fn key(self) -> &'static str {
        match self {
            AmountError::NotAnAmount => "admin_billing.amount.invalid",
            AmountError::Negative => "admin_billing.amount.negative",
            AmountError::TooPrecise => "admin_billing.amount.too_precise",
            AmountError::TooLarge => "admin_billing.amount.too_large",
        }
    }
}

/// `None` for an empty field (no budget, no cap, the whole rest).
pub fn optional_usd(text: &str) -> Result<Option<Micros>, AmountError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(unsigned) = text.strip_prefix('-') {
        return Err(match is_decimal(unsigned) {
            true => AmountError::Negative,
            false => AmountError::NotAnAmount,
        });
    }
    if !is_decimal(text) {
        return Err(AmountError::NotAnAmount);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > MAX_DECIMALS {
        return Err(AmountError::TooPrecise);
    }
    // Checked before parsing, so a hundred digits is "too large", not
    // "not a number".
    if whole.trim_start_matches('0').len() > 7 {
        return Err(AmountError::TooLarge);
    }
    let amount = Micros::parse_usd(text).map_err(|_| AmountError::NotAnAmount)?;
    match amount > MAX_AMOUNT {
        true => Err(AmountError::TooLarge),
        false => Ok(Some(amount)),
    }
}

/// Digits with at most one decimal point, and at least one digit.
fn is_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_none_and_amounts_are_exact() {
        assert_eq!(optional_usd(""), Ok(None));
        assert_eq!(optional_usd("   "), Ok(None));
        assert_eq!(optional_usd("25"), Ok(Some(Micros(25_000_000))));
        assert_eq!(optional_usd(" 12.50 "), Ok(Some(Micros(12_500_000))));
        assert_eq!(optional_usd("0.035"), Ok(Some(Micros(35_000))));
        assert_eq!(optional_usd(".5"), Ok(Some(Micros(500_000))));
        assert_eq!(optional_usd("3."), Ok(Some(Micros(3_000_000))));
        assert_eq!(optional_usd("0"), Ok(Some(Micros::ZERO)));
        assert_eq!(optional_usd("0.000001"), Ok(Some(Micros(1))));
        assert_eq!(optional_usd("1000000"), Ok(Some(MAX_AMOUNT)));
        assert_eq!(optional_usd("0001000000.000000"), Ok(Some(MAX_AMOUNT)));
    }

    #[test]
    fn negative_amounts_are_refused_as_negative() {
        assert_eq!(optional_usd("-1"), Err(AmountError::Negative));
        assert_eq!(optional_usd("-0.5"), Err(AmountError::Negative));
        assert_eq!(optional_usd("-abc"), Err(AmountError::NotAnAmount));
        assert_eq!(optional_usd("--1"), Err(AmountError::NotAnAmount));
    }

    #[test]
    fn more_than_six_decimals_is_refused() {
        assert_eq!(optional_usd("0.0000001"), Err(AmountError::TooPrecise));
        assert_eq!(optional_usd("1.1234567"), Err(AmountError::TooPrecise));
    }

    #[test]
    fn absurd_sizes_are_refused() {
        assert_eq!(optional_usd("1000000.000001"), Err(AmountError::TooLarge));
        assert_eq!(optional_usd("99999999"), Err(AmountError::TooLarge));
        assert_eq!(optional_usd(&"9".repeat(100)), Err(AmountError::TooLarge));
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for bad in [
            ".", "abc", "1,5", "1e3", "0x10", "+1", "$5", "5 USD", "1.2.3", "１２", "NaN", "inf",
            "1 000",
        ] {
            assert_eq!(optional_usd(bad), Err(AmountError::NotAnAmount), "{bad:?}");
        }
    }
}
