//! argon2id password hashes in PHC form (`$argon2id$v=19$m=19456,t=2,p=1$…`).
//! Hashing takes tens of milliseconds of CPU on purpose, so it runs on the
//! blocking pool and never stalls the async runtime.

use argon2::{Argon2, PasswordHasher, PasswordVerifier, password_hash};
use secrecy::{ExposeSecret, SecretString};

use crate::accounts::AccountError;

/// The shortest password accepted, counted in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Refuses a password that is too short to be worth hashing.
pub fn check_password_length(password: &SecretString) -> Result<(), AccountError> {
    if password.expose_secret().chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooShort);
    }
    Ok(())
}

/// Hashes with a fresh random salt and argon2's defaults, which are the
/// OWASP minimum for argon2id (19 MiB, 2 passes, 1 lane).
pub async fn hash_password(password: SecretString) -> Result<String, AccountError> {
    check_password_length(&password)?;
    blocking(move || {
        Argon2::default()
            .hash_password(password.expose_secret().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| AccountError::Hashing(e.to_string()))
    })
    .await
}

/// True when the password matches the PHC string. The parameters are read
/// from the string, so hashes made with older settings still verify.
pub async fn verify_password(password: SecretString, phc: String) -> Result<bool, AccountError> {
    blocking(move || {
        match Argon2::default().verify_password(password.expose_secret().as_bytes(), phc.as_str()) {
            Ok(()) => Ok(true),
            Err(password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) => Err(AccountError::Hashing(e.to_string())),
        }
    })
    .await
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AccountError> + Send + 'static,
) -> Result<T, AccountError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AccountError::Hashing(format!("the hashing task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let phc = hash_password(secret("correct horse")).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!phc.contains("correct horse"));
        assert!(
            verify_password(secret("correct horse"), phc.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password(secret("correct horsE"), phc).await.unwrap());
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently_each_time() {
        let first = hash_password(secret("same password")).await.unwrap();
        let second = hash_password(secret("same password")).await.unwrap();
        assert_ne!(first, second, "the salt must be fresh");
    }

    #[tokio::test]
    async fn a_short_password_is_refused_before_hashing() {
        let err = hash_password(secret("1234567")).await.unwrap_err();
        assert!(matches!(err, AccountError::PasswordTooShort), "{err:?}");
        assert!(err.to_string().contains('8'), "{err}");
        // Length is counted in characters, not bytes.
        assert!(check_password_length(&secret("ääää")).is_err());
        assert!(check_password_length(&secret("äääääääö")).is_ok());
    }

    #[tokio::test]
    async fn a_malformed_hash_is_an_error_not_a_mismatch() {
        let err = verify_password(secret("whatever1"), "not a hash".into())
            .await
            .unwrap_err();
        assert!(matches!(err, AccountError::Hashing(_)), "{err:?}");
    }
}
