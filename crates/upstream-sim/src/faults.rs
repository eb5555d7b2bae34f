//! Fault injection: which misbehaviours of the real API a run reproduces.

use serde::{Deserialize, Serialize};

/// Switchable faults. Rates are fractions in `0..=1`; all default to zero.
///
/// Request-level faults (`rate_429`, `rate_5xx`, `latency_ms`,
/// `drop_response_rate`) are rolled per request; task-level faults
/// (`failure_rate`, then `never_finish_rate`) are rolled once, at submission.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Fraction of tasks that end `failed` instead of completing.
    pub failure_rate: f64,
    /// Fraction of `/api/v2` requests answered 429 with `Retry-After: 1`.
    pub rate_429: f64,
    /// Fraction of `/api/v2` requests answered 500/503 with an HTML page.
    pub rate_5xx: f64,
    /// Delay added to every `/api/v2` request.
    pub latency_ms: u64,
    /// Fraction of submissions whose task is created but whose response is
    /// cut off mid-body.
    pub drop_response_rate: f64,
    /// Fraction of tasks that stay `processing` forever.
    pub never_finish_rate: f64,
}

/// A rate outside `0..=1`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field} must be a number within 0..=1, got {value}")]
pub struct FaultsError {
    pub field: &'static str,
    pub value: f64,
}

impl Faults {
    /// No faults at all.
    pub fn none() -> Self {
        Self::default()
    }

    fn rates(&self) -> [(&'static str, f64); 5] {
        [
            ("failure_rate", self.failure_rate),
            ("rate_429", self.rate_429),
            ("rate_5xx", self.rate_5xx),
            ("drop_response_rate", self.drop_response_rate),
            ("never_finish_rate", self.never_finish_rate),
        ]
    }

    /// Checks that every rate is within `0..=1` (NaN is not).
    pub fn validate(&self) -> Result<(), FaultsError> {
        match self
            .rates()
            .into_iter()
            .find(|(_, v)| !(0.0..=1.0).contains(v))
        {
            Some((field, value)) => Err(FaultsError { field, value }),
            None => Ok(()),
        }
    }

    /// The same faults with every rate forced into `0..=1` (NaN becomes 0).
    pub fn clamped(self) -> Self {
        let clamp = |v: f64| if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
        Self {
            failure_rate: clamp(self.failure_rate),
            rate_429: clamp(self.rate_429),
            rate_5xx: clamp(self.rate_5xx),
            latency_ms: self.latency_ms,
            drop_response_rate: clamp(self.drop_response_rate),
            never_finish_rate: clamp(self.never_finish_rate),
        }
    }
}

/// True with probability `rate`: never for 0, always for 1.
pub(crate) fn roll(rate: f64) -> bool {
    rate > 0.0 && fastrand::f64() < rate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_outside_unit_interval_are_rejected() {
        let bad = Faults {
            rate_429: 1.5,
            ..Faults::none()
        };
        let err = bad.validate().expect_err("1.5 is not a rate");
        assert_eq!(err.field, "rate_429");
        let nan = Faults {
            failure_rate: f64::NAN,
            ..Faults::none()
        };
        assert!(nan.validate().is_err());
        assert!(nan.clamped().validate().is_ok());
        assert!(bad.clamped().validate().is_ok());
    }

    #[test]
    fn extreme_rates_are_deterministic() {
        assert!((0..1000).all(|_| roll(1.0)));
        assert!((0..1000).all(|_| !roll(0.0)));
    }

    #[test]
    fn missing_fields_default_and_unknown_fields_are_refused() {
        let f: Faults = serde_json::from_str(r#"{"rate_429":0.25}"#).expect("valid faults");
        assert_eq!(f.rate_429, 0.25);
        assert_eq!(f.latency_ms, 0);
        assert!(serde_json::from_str::<Faults>(r#"{"rate429":1}"#).is_err());
    }
}
