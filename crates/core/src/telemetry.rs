//! Logging set-up: `RUST_LOG` picks what is logged (default `info`),
//! `CHORUS_LOG_FORMAT=json` makes it machine-readable.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber; a second call is a no-op.
pub fn init(format: LogFormat) {
    init_at(format, "info");
}

/// Like [`init`], logging at `default_level` unless `RUST_LOG` says otherwise.
pub fn init_at(format: LogFormat, default_level: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
