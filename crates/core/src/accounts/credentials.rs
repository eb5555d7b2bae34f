//! Checking and changing passwords.

use secrecy::SecretString;
use sqlx::PgExecutor;
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::accounts::user::{User, UserRow, user_columns};
use crate::accounts::{AccountError, password};

#[derive(sqlx::FromRow)]
struct UserWithHash {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

/// The user whose email and password these are, or None. A disabled user
/// is returned too (with `disabled` set): whether to say so is the caller's
/// choice, and only someone who knows the password learns it.
pub async fn check_credentials(
    db: impl PgExecutor<'_>,
    email: &str,
    password: SecretString,
) -> Result<Option<User>, AccountError> {
    let found = sqlx::query_as::<_, UserWithHash>(concat!(
        "SELECT ",
        user_columns!(),
        ", password_hash FROM users WHERE lower(email) = lower($1)"
    ))
    .bind(email.trim())
    .fetch_optional(db)
    .await?;
    let Some(found) = found else {
        // An unknown email costs the same argon2 run as a wrong password,
        // so response times do not tell which emails have accounts.
        password::verify_password(password, dummy_hash().await?.to_owned()).await?;
        return Ok(None);
    };
    let matches = password::verify_password(password, found.password_hash).await?;
    Ok(matches.then(|| found.user.into()))
}

/// True when `password` is the user's current password.
pub async fn verify_user_password(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    password: SecretString,
) -> Result<bool, AccountError> {
    let phc: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    let phc = phc.ok_or(AccountError::UnknownUser)?;
    password::verify_password(password, phc).await
}

/// Replaces the user's password (checked for length, hashed afresh).
pub async fn set_password(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    new_password: SecretString,
) -> Result<(), AccountError> {
    let phc = password::hash_password(new_password).await?;
    let updated = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user_id)
        .bind(phc)
        .execute(db)
        .await?;
    match updated.rows_affected() {
        0 => Err(AccountError::UnknownUser),
        _ => Ok(()),
    }
}

/// A hash of a random password nobody knows, made once per process.
async fn dummy_hash() -> Result<&'static str, AccountError> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| async {
            let mut bytes = [0u8; 24];
            getrandom::fill(&mut bytes).map_err(|e| AccountError::Random(e.to_string()))?;
            let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            password::hash_password(SecretString::from(random)).await
        })
        .await
        .map(String::as_str)
}
