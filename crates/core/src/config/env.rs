//! Reading one variable: empty counts as unset, and a bad value becomes a
//! [`ConfigError`] naming the variable and what it expected.

use std::time::Duration;

use reqwest::Url;

use super::ConfigError;
use crate::money::Micros;

pub(super) struct Env<'a>(pub(super) &'a dyn Fn(&str) -> Option<String>);

impl Env<'_> {
    pub(super) fn get(&self, var: &str) -> Option<String> {
        (self.0)(var).filter(|v| !v.trim().is_empty())
    }

    pub(super) fn or(&self, var: &str, default: &str) -> String {
        self.get(var).unwrap_or_else(|| default.to_owned())
    }

    pub(super) fn error(&self, var: &'static str, expected: &str, got: &str) -> ConfigError {
        ConfigError {
            var,
            expected: expected.to_owned(),
            got: got.to_owned(),
        }
    }

    pub(super) fn address(&self, var: &'static str, default: &str) -> Result<String, ConfigError> {
        let value = self.or(var, default);
        match value.rsplit_once(':') {
            Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => Ok(value),
            _ => Err(self.error(
                var,
                "a listen address host:port such as 127.0.0.1:8080",
                &value,
            )),
        }
    }

    pub(super) fn url(&self, var: &'static str, default: &str) -> Result<Url, ConfigError> {
        let value = self.or(var, default);
        Url::parse(&value)
            .ok()
            .filter(|u| u.has_host())
            .ok_or_else(|| self.error(var, "an absolute URL", &value))
    }

    /// `scheme://host[:port]`, nothing more: it goes into a CSP header.
    pub(super) fn origin(&self, var: &'static str, value: &str) -> Result<String, ConfigError> {
        Url::parse(value)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            .filter(|u| u.path() == "/" && u.query().is_none())
            .map(|u| u.origin().ascii_serialization())
            .ok_or_else(|| {
                self.error(
                    var,
                    "origins such as https://cdn.example.com, comma-separated",
                    value,
                )
            })
    }

    pub(super) fn seconds(&self, var: &'static str, default: u64) -> Result<Duration, ConfigError> {
        match self.get(var) {
            None => Ok(Duration::from_secs(default)),
            Some(v) => match v.trim().parse::<u64>() {
                Ok(s) if s > 0 => Ok(Duration::from_secs(s)),
                _ => Err(self.error(var, "a whole number of seconds above 0", &v)),
            },
        }
    }

    pub(super) fn flag(&self, var: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(var).as_deref().map(str::trim) {
            None => Ok(default),
            Some("true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(other) => Err(self.error(var, "true or false", other)),
        }
    }

    pub(super) fn millis(&self, var: &'static str, default: u64) -> Result<Duration, ConfigError> {
        match self.get(var) {
            None => Ok(Duration::from_millis(default)),
            Some(v) => match v.trim().parse::<u64>() {
                Ok(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
                _ => Err(self.error(var, "a whole number of milliseconds above 0", &v)),
            },
        }
    }

    pub(super) fn usd(&self, var: &'static str, default: &str) -> Result<Micros, ConfigError> {
        let value = self.or(var, default);
        Micros::parse_usd(&value).map_err(|_| {
            self.error(
                var,
                "a USD amount such as 0.035 (at most 6 decimals)",
                &value,
            )
        })
    }
}
