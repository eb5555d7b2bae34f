//! Chorus's configuration: read once from the environment into one typed
//! value that is passed down. A bad value stops start-up with one line that
//! names the variable and what it expected.

mod env;

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;
use secrecy::SecretString;

use self::env::Env;

use crate::billing::zone::{BILLING_TZ_VAR, BillingZone};
use crate::keyspace::Keyspace;
use crate::money::Micros;
use crate::upstream::UpstreamSettings;

/// The vendor's endpoint, used when an API key is configured.
pub const VENDOR_URL: &str = "https://api.foxaihub.com/api/v2";
/// Where the vendor's streams, files and covers live.
pub const VENDOR_MEDIA_ORIGINS: [&str; 3] = [
    "https://audiopipe.sonic.ai",
    "https://cdn1.sonic.ai",
    "https://cdn2.sonic.ai",
];
/// The key Chorus sends to the simulator (which accepts any non-empty key).
pub const SIMULATOR_KEY: &str = "chorus-simulator";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: SecretString,
    pub redis_url: String,
    /// Prefix of every Redis key and channel, so several Chorus instances
    /// (or tests) can share one Redis.
    pub redis_prefix: String,
    /// Where the web app listens.
    pub bind: String,
    /// Where the worker serves its health and metrics endpoints.
    pub worker_bind: String,
    /// The address users reach Chorus at; decides whether cookies are Secure.
    pub public_url: Option<Url>,
    pub upstream: UpstreamConfig,
    /// What a member pays per song request.
    pub price: Micros,
    /// What the vendor may bill per poll request (0 unless it does).
    pub poll_price: Micros,
    /// The zone whose calendar days and months budgets and dashboards
    /// follow (`CHORUS_BILLING_TZ`, UTC by default). Postgres confirms the
    /// name at start-up ([`crate::billing::zone::ensure_known`]).
    pub billing_zone: BillingZone,
    /// A task older than this is given up as failed.
    pub task_timeout: Duration,
    /// How often an in-flight task is polled; sooner while it streams.
    pub poll_interval: Duration,
    pub streaming_poll_interval: Duration,
    /// How long a submission is retried while the upstream refuses it with
    /// 429/5xx or cannot be reached, before it is given up.
    pub submit_retry_window: Duration,
    /// A pending request whose job has not run this long after it was due
    /// is taken to be lost (Redis flushed, a crash before enqueue) and is
    /// enqueued again.
    pub recovery_grace: Duration,
    /// Whether the web app keeps pages' data in memory between requests
    /// (checked against Redis freshness stamps on every request; see
    /// `chorus_core::freshness`). Off only to measure or rule it out.
    pub keep_pages: bool,
    /// Where archived audio and images are kept.
    pub storage_dir: PathBuf,
    /// Whether finished songs are copied into `storage_dir` (on by default:
    /// the upstream's URLs do not last).
    pub archive_media: bool,
    /// Where `chorus sim` (and `chorus all` without an API key) listens.
    pub sim_bind: String,
    pub log_format: LogFormat,
    /// Who may make themselves an account.
    pub registration: Registration,
    /// Origins the browser may play streaming audio and show covers from
    /// (`CHORUS_MEDIA_ORIGINS`); unset: see [`Config::media_origins`].
    pub media_origins_override: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct UpstreamConfig {
    pub url: Url,
    pub api_key: SecretString,
    /// True when no API key is configured: Chorus talks to the simulator and
    /// must say so, so that nobody pays by accident or mistakes fake songs
    /// for real ones.
    pub simulated: bool,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl UpstreamConfig {
    /// What the upstream client needs of it.
    pub fn settings(&self) -> UpstreamSettings {
        UpstreamSettings {
            connect_timeout: self.connect_timeout,
            read_timeout: self.request_timeout,
            ..UpstreamSettings::new(self.url.clone(), self.api_key.clone())
        }
    }
}

/// `CHORUS_REGISTRATION`: how people get an account besides `chorus user
/// create`. Invitations are the default: a team shares one paid account, so
/// nobody should be able to spend from it by finding the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Registration {
    /// Only through an admin's one-time link.
    #[default]
    Invite,
    /// Anyone who reaches `/register` becomes a member (and invitations work).
    Open,
    /// Neither: accounts are made on the command line only.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: expected {expected}, got {got:?}")]
pub struct ConfigError {
    pub var: &'static str,
    pub expected: String,
    pub got: String,
}

impl Config {
    /// The Redis keyspace every key and channel of this instance lives in.
    pub fn keyspace(&self) -> Keyspace {
        Keyspace::new(self.redis_prefix.clone())
    }

    /// Where streaming audio and covers come from before Chorus archives
    /// them, for the pages' Content-Security-Policy: the simulator's own
    /// origin, or the vendor's media hosts (API.md's examples).
    pub fn media_origins(&self) -> Vec<String> {
        if let Some(origins) = &self.media_origins_override {
            return origins.clone();
        }
        if self.upstream.simulated {
            return vec![self.upstream.url.origin().ascii_serialization()];
        }
        VENDOR_MEDIA_ORIGINS
            .iter()
            .map(|o| (*o).to_owned())
            .collect()
    }

    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup`; an empty value counts as unset, so
    /// compose files can pass `${VAR:-}` through.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let env = Env(&lookup);
        let sim_bind = env.address("CHORUS_SIM_BIND", "127.0.0.1:8090")?;
        let api_key = env.get("CHORUS_UPSTREAM_API_KEY");
        let simulated = api_key.is_none();
        let default_upstream = match simulated {
            true => env
                .get("CHORUS_SIM_URL")
                .unwrap_or_else(|| format!("http://{}/api/v2", connectable(&sim_bind))),
            false => VENDOR_URL.to_owned(),
        };
        Ok(Config {
            database_url: env
                .or("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chorus")
                .into(),
            redis_url: env.url("REDIS_URL", "redis://127.0.0.1:6379")?.to_string(),
            redis_prefix: env.or("CHORUS_REDIS_PREFIX", "chorus"),
            bind: env.address("CHORUS_BIND", "127.0.0.1:8080")?,
            worker_bind: env.address("CHORUS_WORKER_BIND", "127.0.0.1:8081")?,
            public_url: env
                .get("CHORUS_PUBLIC_URL")
                .map(|_| env.url("CHORUS_PUBLIC_URL", ""))
                .transpose()?,
            upstream: UpstreamConfig {
                url: env.url("CHORUS_UPSTREAM_URL", &default_upstream)?,
                api_key: api_key.unwrap_or_else(|| SIMULATOR_KEY.to_owned()).into(),
                simulated,
                connect_timeout: env.seconds("CHORUS_UPSTREAM_CONNECT_TIMEOUT_S", 5)?,
                request_timeout: env.seconds("CHORUS_UPSTREAM_TIMEOUT_S", 30)?,
            },
            price: env.usd("CHORUS_PRICE_USD", "0.035")?,
            poll_price: env.usd("CHORUS_POLL_PRICE_USD", "0")?,
            billing_zone: {
                let name = env.or(BILLING_TZ_VAR, "UTC");
                BillingZone::parse(&name).ok_or_else(|| {
                    env.error(
                        BILLING_TZ_VAR,
                        "a time zone name such as Europe/Berlin",
                        &name,
                    )
                })?
            },
            task_timeout: env.seconds("CHORUS_TASK_TIMEOUT_S", 360)?,
            poll_interval: env.millis("CHORUS_POLL_INTERVAL_MS", 5_000)?,
            streaming_poll_interval: env.millis("CHORUS_STREAMING_POLL_INTERVAL_MS", 2_000)?,
            submit_retry_window: env.seconds("CHORUS_SUBMIT_RETRY_WINDOW_S", 600)?,
            recovery_grace: env.seconds("CHORUS_RECOVERY_GRACE_S", 10)?,
            keep_pages: env.flag("CHORUS_KEEP_PAGES", true)?,
            storage_dir: env.or("CHORUS_STORAGE_DIR", "data").into(),
            archive_media: env.flag("CHORUS_ARCHIVE_MEDIA", true)?,
            sim_bind,
            log_format: match env.or("CHORUS_LOG_FORMAT", "text").as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                other => return Err(env.error("CHORUS_LOG_FORMAT", "text or json", other)),
            },
            registration: match env.or("CHORUS_REGISTRATION", "invite").as_str() {
                "invite" => Registration::Invite,
                "open" => Registration::Open,
                "closed" => Registration::Closed,
                other => {
                    return Err(env.error("CHORUS_REGISTRATION", "invite, open or closed", other));
                }
            },
            media_origins_override: env
                .get("CHORUS_MEDIA_ORIGINS")
                .map(|list| {
                    list.split([',', ' '])
                        .filter(|o| !o.is_empty())
                        .map(|o| env.origin("CHORUS_MEDIA_ORIGINS", o))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?,
        })
    }
}

/// A wildcard listen address is not one a client can dial.
fn connectable(bind: &str) -> String {
    match bind.rsplit_once(':') {
        Some(("0.0.0.0" | "[::]", port)) => format!("127.0.0.1:{port}"),
        _ => bind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::HashMap;

    use secrecy::ExposeSecret;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_run_on_a_laptop_against_the_simulator() {
        let c = config(&[]).unwrap();
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.redis_url, "redis://127.0.0.1:6379");
        assert_eq!(c.price, Micros(35_000));
        assert_eq!(c.poll_price, Micros(0));
        assert_eq!(c.task_timeout, Duration::from_secs(360));
        assert!(c.upstream.simulated);
        assert_eq!(c.upstream.url.as_str(), "http://127.0.0.1:8090/api/v2");
        assert_eq!(c.registration, Registration::Invite);
        assert_eq!(c.billing_zone.name(), "UTC");
    }

    #[test]
    fn registration_is_invite_open_or_closed() {
        for (value, mode) in [
            ("invite", Registration::Invite),
            ("open", Registration::Open),
            ("closed", Registration::Closed),
        ] {
            let c = config(&[("CHORUS_REGISTRATION", value)]).unwrap();
            assert_eq!(c.registration, mode);
        }
    }

    #[test]
    fn an_api_key_switches_to_the_vendor() {
        let c = config(&[("CHORUS_UPSTREAM_API_KEY", "k-123")]).unwrap();
        assert!(!c.upstream.simulated);
        assert_eq!(c.upstream.url.as_str(), VENDOR_URL);
        assert_eq!(c.upstream.api_key.expose_secret(), "k-123");
    }

    #[test]
    fn an_empty_api_key_counts_as_none() {
        let c = config(&[("CHORUS_UPSTREAM_API_KEY", "")]).unwrap();
        assert!(c.upstream.simulated);
    }

    #[test]
    fn the_simulator_url_follows_its_bind_address() {
        let c = config(&[("CHORUS_SIM_BIND", "0.0.0.0:9000")]).unwrap();
        assert_eq!(c.upstream.url.as_str(), "http://127.0.0.1:9000/api/v2");
    }

    #[test]
    fn media_origins_follow_the_upstream_unless_given() {
        let sim = config(&[("CHORUS_SIM_BIND", "127.0.0.1:9000")]).unwrap();
        assert_eq!(sim.media_origins(), ["http://127.0.0.1:9000"]);
        let vendor = config(&[("CHORUS_UPSTREAM_API_KEY", "k")]).unwrap();
        assert_eq!(vendor.media_origins(), VENDOR_MEDIA_ORIGINS);
        let given = config(&[(
            "CHORUS_MEDIA_ORIGINS",
            "https://a.example, https://b.example:8443",
        )])
        .unwrap();
        assert_eq!(
            given.media_origins(),
            ["https://a.example", "https://b.example:8443"]
        );
    }

    #[test]
    fn a_simulator_elsewhere_is_used_only_without_an_api_key() {
        let sim = ("CHORUS_SIM_URL", "http://sim:8090/api/v2");
        let c = config(&[sim]).unwrap();
        assert_eq!(c.upstream.url.as_str(), "http://sim:8090/api/v2");
        let c = config(&[sim, ("CHORUS_UPSTREAM_API_KEY", "k")]).unwrap();
        assert_eq!(c.upstream.url.as_str(), VENDOR_URL);
    }

    #[test]
    fn a_bad_value_names_the_variable_and_what_it_expected() {
        let cases = [
            ("CHORUS_PRICE_USD", "abc", "USD amount"),
            ("CHORUS_TASK_TIMEOUT_S", "-5", "whole number of seconds"),
            ("CHORUS_BIND", "8080", "host:port"),
            ("CHORUS_UPSTREAM_URL", "not a url", "absolute URL"),
            ("CHORUS_LOG_FORMAT", "xml", "text or json"),
            (
                "CHORUS_MEDIA_ORIGINS",
                "https://cdn.example.com/path",
                "origins such as",
            ),
            ("CHORUS_ARCHIVE_MEDIA", "maybe", "true or false"),
            ("CHORUS_POLL_INTERVAL_MS", "0", "milliseconds above 0"),
            ("CHORUS_REGISTRATION", "public", "invite, open or closed"),
            ("CHORUS_BILLING_TZ", "Mars Base", "time zone name"),
        ];
        for (var, value, expected) in cases {
            let err = config(&[(var, value)]).unwrap_err();
            let line = err.to_string();
            assert_eq!(err.var, var);
            assert!(line.starts_with(var), "{line}");
            assert!(line.contains(expected), "{line}");
            assert!(line.contains(value), "{line}");
            assert!(!line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn the_api_key_is_never_printed() {
        let c = config(&[("CHORUS_UPSTREAM_API_KEY", "top-secret-key")]).unwrap();
        assert!(!format!("{c:?}").contains("top-secret-key"));
    }
}
