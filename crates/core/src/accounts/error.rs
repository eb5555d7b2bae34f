use crate::accounts::password::MIN_PASSWORD_CHARS;
use crate::accounts::token::MAX_TOKEN_NAME_CHARS;

/// What can go wrong with accounts. The first variants are the caller's
/// mistakes and their messages are fit to show; `Database`, `Hashing` and
/// `Random` are server faults.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0:?} is not an email address")]
    InvalidEmail(String),
    #[error("a user with the email {0} already exists")]
    EmailTaken(String),
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    PasswordTooShort,
    #[error("no such user")]
    UnknownUser,
    #[error("a token name must be 1 to {MAX_TOKEN_NAME_CHARS} characters long")]
    InvalidTokenName,
    // The cause is the source, not part of the message, so that error
    // chains print it once.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("the system's random number generator failed: {0}")]
    Random(String),
}
