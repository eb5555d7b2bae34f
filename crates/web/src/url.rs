//! Building the query strings of links and redirects.

/// Percent-encodes a query value, leaving unreserved characters and `/`
/// readable: a `next=` path stays legible, and a path that carries its own
/// query (`/songs?page=2&status=failed`) survives intact.
pub fn encode_query_value(value: &str) -> String {
    encode(value, b"-._~/")
}

/// Percent-encodes everything but unreserved characters: for values that
/// are data, not paths (a tag, a search).
pub fn encode_component(value: &str) -> String {
    encode(value, b"-._~")
}

/// Whether `next` is a path on this site, safe to redirect to: an open
/// redirect would let a phishing link end on another site after a real
/// sign-in. Browsers read `//host`, `/\host` and paths with control
/// characters as other sites.
pub fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.chars().any(|c| c.is_control() || c == '\\')
}

fn encode(value: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paths_readable_and_escapes_the_rest() {
        assert_eq!(
            encode_query_value("/songs?page=2&q=a b"),
            "/songs%3Fpage%3D2%26q%3Da%20b"
        );
        assert_eq!(encode_query_value("歌"), "%E6%AD%8C");
        assert_eq!(encode_component("a/b c"), "a%2Fb%20c");
    }

    #[test]
    fn only_paths_on_this_site_are_local() {
        assert!(is_local_path("/songs?page=2"));
        for evil in [
            "//evil.test",
            "/\\evil.test",
            "/\t/evil.test",
            "https://evil.test",
            "evil",
            "",
        ] {
            assert!(!is_local_path(evil), "{evil:?}");
        }
    }
}
