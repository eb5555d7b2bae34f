//! Headers every response carries: no inline script, no framing, no MIME
//! sniffing, no full URLs leaked to other sites. Media may also come from
//! the upstream's media hosts, so a song plays while it still streams.

use actix_web::middleware::DefaultHeaders;
use chorus_core::Config;

pub fn security_headers(config: &Config) -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", content_security_policy(config)))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
}

fn content_security_policy(config: &Config) -> String {
    let media = config.media_origins().join(" ");
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {media}; \
         media-src 'self' blob: {media}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn streams_may_come_from_the_upstream_and_scripts_only_from_chorus() {
        let config = Config::from_lookup(|name| {
            (name == "CHORUS_UPSTREAM_URL").then(|| "http://127.0.0.1:9999/api/v2".to_owned())
        })
        .unwrap();
        let csp = content_security_policy(&config);
        assert!(
            csp.contains("media-src 'self' blob: http://127.0.0.1:9999;"),
            "{csp}"
        );
        assert!(csp.contains("script-src 'self';"), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
    }
}
