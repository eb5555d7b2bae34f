//! Start-up configuration, from code or from `CHORUS_SIM_*` variables.

use crate::clock::SimClock;
use crate::faults::Faults;

/// How a simulator behaves. `Default` is the demo clock, no faults and any
/// non-empty key accepted.
#[derive(Clone, Default, PartialEq)]
pub struct SimConfig {
    pub clock: SimClock,
    pub faults: Faults,
    /// The `api-key` every request must carry; `None` accepts any non-empty key.
    pub api_key: Option<String>,
    /// Base of the media URLs in replies (e.g. `http://sim:8080` behind
    /// Docker); `None` uses the bound address.
    pub public_url: Option<String>,
}

// By hand, so logging a config never prints the key.
impl std::fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimConfig")
            .field("clock", &self.clock)
            .field("faults", &self.faults)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// A variable that could not be used; the message names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimConfigError {
    #[error("{var}: expected {expected}, got {value:?}")]
    Invalid {
        var: &'static str,
        expected: &'static str,
        value: String,
    },
    #[error("set either {0} or {1}, not both")]
    Conflict(&'static str, &'static str),
}

const RATE: &str = "a number within 0..=1";

impl SimConfig {
    /// Reads `CHORUS_SIM_*` from the process environment. Unset or empty
    /// variables keep their defaults.
    pub fn from_env() -> Result<Self, SimConfigError> {
        Self::from_vars(|name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()))
    }

    /// Like [`SimConfig::from_env`], reading variables through `lookup`.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SimConfigError> {
        let get = |var: &str| lookup(var).filter(|v| !v.trim().is_empty());
        let rate = |var: &'static str| -> Result<f64, SimConfigError> {
            get(var).map_or(Ok(0.0), |v| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or_else(|| invalid(var, RATE, &v))
            })
        };
        let faults = Faults {
            failure_rate: rate("CHORUS_SIM_FAILURE_RATE")?,
            rate_429: rate("CHORUS_SIM_RATE_429")?,
            rate_5xx: rate("CHORUS_SIM_RATE_5XX")?,
            drop_response_rate: rate("CHORUS_SIM_DROP_RESPONSE_RATE")?,
            never_finish_rate: rate("CHORUS_SIM_NEVER_FINISH_RATE")?,
            latency_ms: match get("CHORUS_SIM_LATENCY_MS") {
                None => 0,
                Some(v) => v.trim().parse().map_err(|_| {
                    invalid(
                        "CHORUS_SIM_LATENCY_MS",
                        "a whole number of milliseconds",
                        &v,
                    )
                })?,
            },
        };
        let clock = match (get("CHORUS_SIM_CLOCK"), get("CHORUS_SIM_PHASE_MS")) {
            (Some(_), Some(_)) => {
                return Err(SimConfigError::Conflict(
                    "CHORUS_SIM_CLOCK",
                    "CHORUS_SIM_PHASE_MS",
                ));
            }
            (Some(name), None) => match name.trim() {
                "demo" => SimClock::demo(),
                "fast" => SimClock::fast(),
                _ => return Err(invalid("CHORUS_SIM_CLOCK", "demo or fast", &name)),
            },
            (None, Some(phases)) => parse_phases(&phases)
                .ok_or_else(|| invalid("CHORUS_SIM_PHASE_MS", PHASES, &phases))?,
            (None, None) => SimClock::demo(),
        };
        let public_url = get("CHORUS_SIM_PUBLIC_URL");
        if let Some(url) = &public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(invalid(
                "CHORUS_SIM_PUBLIC_URL",
                "an http:// or https:// URL",
                url,
            ));
        }
        Ok(Self {
            clock,
            faults,
            api_key: get("CHORUS_SIM_API_KEY"),
            public_url,
        })
    }
}

const PHASES: &str = "three millisecond counts queued,processing,streaming (e.g. 3000,12000,15000)";

fn parse_phases(value: &str) -> Option<SimClock> {
    let ms: Vec<u64> = value
        .split(',')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    match ms[..] {
        [queued, processing, streaming] => {
            Some(SimClock::from_millis(queued, processing, streaming))
        }
        _ => None,
    }
}

fn invalid(var: &'static str, expected: &'static str, value: &str) -> SimConfigError {
    SimConfigError::Invalid {
        var,
        expected,
        value: value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<SimConfig, SimConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SimConfig::from_vars(|k| vars.get(k).cloned())
    }

    #[test]
    fn nothing_set_is_the_default() {
        assert_eq!(config(&[]), Ok(SimConfig::default()));
        assert_eq!(
            config(&[("CHORUS_SIM_API_KEY", "")]),
            Ok(SimConfig::default())
        );
    }

    #[test]
    fn every_variable_is_read() {
        let c = config(&[
            ("CHORUS_SIM_FAILURE_RATE", "0.1"),
            ("CHORUS_SIM_RATE_429", "0.2"),
            ("CHORUS_SIM_RATE_5XX", "0.3"),
            ("CHORUS_SIM_LATENCY_MS", "40"),
            ("CHORUS_SIM_DROP_RESPONSE_RATE", "1"),
            ("CHORUS_SIM_NEVER_FINISH_RATE", "0"),
            ("CHORUS_SIM_API_KEY", "secret"),
            ("CHORUS_SIM_PHASE_MS", "1, 2,3"),
            ("CHORUS_SIM_PUBLIC_URL", "http://sim:8080"),
        ])
        .expect("valid config");
        assert_eq!(c.faults.failure_rate, 0.1);
        assert_eq!(c.faults.rate_5xx, 0.3);
        assert_eq!(c.faults.latency_ms, 40);
        assert_eq!(c.faults.drop_response_rate, 1.0);
        assert_eq!(c.api_key.as_deref(), Some("secret"));
        assert_eq!(c.clock, SimClock::from_millis(1, 2, 3));
        assert_eq!(c.public_url.as_deref(), Some("http://sim:8080"));
        let fast = config(&[("CHORUS_SIM_CLOCK", "fast")]).expect("valid clock");
        assert_eq!(fast.clock, SimClock::fast());
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (var, value) in [
            ("CHORUS_SIM_RATE_429", "1.5"),
            ("CHORUS_SIM_FAILURE_RATE", "half"),
            ("CHORUS_SIM_LATENCY_MS", "-3"),
            ("CHORUS_SIM_CLOCK", "slow"),
            ("CHORUS_SIM_PHASE_MS", "1,2"),
            ("CHORUS_SIM_PUBLIC_URL", "sim:8080"),
        ] {
            let err = config(&[(var, value)]).expect_err("invalid value");
            let msg = err.to_string();
            assert!(msg.starts_with(var) && msg.contains(value), "{msg}");
        }
        let both = config(&[
            ("CHORUS_SIM_CLOCK", "fast"),
            ("CHORUS_SIM_PHASE_MS", "1,2,3"),
        ]);
        assert!(matches!(both, Err(SimConfigError::Conflict(..))));
    }
}
