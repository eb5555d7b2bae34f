//! Random tokens for cookies (session ids, CSRF tokens): 32 bytes from the
//! operating system, base64url without padding, so 43 characters.

use std::fmt::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::WebError;

const TOKEN_BYTES: usize = 32;
const TOKEN_CHARS: usize = 43;

pub fn random_token() -> Result<String, WebError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| WebError::Internal(format!("the random number generator failed: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// Whether a cookie value could be one of our tokens; anything else is
/// ignored without a trip to Redis.
pub fn is_well_formed(text: &str) -> bool {
    text.len() == TOKEN_CHARS
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Lower-case hex SHA-256: how Redis keys name secrets and personal data
/// without holding them.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn tokens_are_well_formed_and_fresh() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert!(is_well_formed(&a) && is_well_formed(&b), "{a} {b}");
        assert_ne!(a, b);
        assert!(!is_well_formed(&a[1..]));
        assert!(!is_well_formed(&format!("{}=", &a[1..])));
    }
}
