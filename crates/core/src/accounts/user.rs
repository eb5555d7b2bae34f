//! Users: who they are, what they may do, and what they may spend.

use secrecy::SecretString;
use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Micros;
use crate::accounts::role::Role;
use crate::accounts::{AccountError, password};

/// The longest email address SMTP can carry.
const MAX_EMAIL_CHARS: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    /// Trimmed and lowercased.
    pub email: String,
    pub role: Role,
    /// None: no personal monthly budget.
    pub monthly_budget: Option<Micros>,
    pub disabled: bool,
    pub created_at: OffsetDateTime,
    /// The language they chose in the switcher (a catalog code such as
    /// `zh-CN`); None until they choose one.
    pub locale: Option<String>,
}

/// What creating a user takes; the password is hashed before it is stored.
#[derive(Debug)]
pub struct NewUser {
    pub email: String,
    pub password: SecretString,
    pub role: Role,
    pub monthly_budget: Option<Micros>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: Uuid,
    email: String,
    role: Role,
    monthly_budget_micros: Option<i64>,
    disabled: bool,
    created_at: OffsetDateTime,
    locale: Option<String>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            email: row.email,
            role: row.role,
            monthly_budget: row.monthly_budget_micros.map(Micros),
            disabled: row.disabled,
            created_at: row.created_at,
            locale: row.locale,
        }
    }
}

/// The columns a [`UserRow`] is read from, as a literal for `concat!`
/// (queries must be `&'static str`).
macro_rules! user_columns {
    () => {
        "id, email, role, monthly_budget_micros, disabled_at IS NOT NULL AS disabled, created_at, \
         locale"
    };
}
pub(crate) use user_columns;

/// Trims and lowercases an email address and checks that it looks like one:
/// something, one `@`, and a domain with a dot. Whether it receives mail is
/// not ours to check here.
pub fn normalize_email(raw: &str) -> Result<String, AccountError> {
    let email = raw.trim().to_lowercase();
    let invalid = || AccountError::InvalidEmail(raw.trim().to_owned());
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let looks_right = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.chars().count() <= MAX_EMAIL_CHARS;
    if !looks_right {
        return Err(invalid());
    }
    Ok(email)
}

/// Creates a user; an email already in use (in any case) is
/// [`AccountError::EmailTaken`].
pub async fn create_user(db: impl PgExecutor<'_>, new: NewUser) -> Result<User, AccountError> {
    let email = normalize_email(&new.email)?;
    let password_hash = password::hash_password(new.password).await?;
    let inserted = sqlx::query_as::<_, UserRow>(concat!(
        "INSERT INTO users (id, email, password_hash, role, monthly_budget_micros) \
         VALUES ($1, $2, $3, $4, $5) RETURNING ",
        user_columns!()
    ))
    .bind(Uuid::now_v7())
    .bind(&email)
    .bind(password_hash)
    .bind(new.role)
    .bind(new.monthly_budget.map(Micros::as_i64))
    .fetch_one(db)
    .await;
    match inserted {
        Ok(row) => Ok(row.into()),
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("users_email_key") => {
            Err(AccountError::EmailTaken(email))
        }
        Err(e) => Err(e.into()),
    }
}

/// Finds a user by email, in any case and with surrounding spaces.
pub async fn find_user_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> Result<Option<User>, AccountError> {
    // Matches the unique index on lower(email).
    let row = sqlx::query_as::<_, UserRow>(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE lower(email) = lower($1)"
    ))
    .bind(email.trim())
    .fetch_optional(db)
    .await?;
    Ok(row.map(User::from))
}

pub async fn find_user_by_id(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<User>, AccountError> {
    let row = sqlx::query_as::<_, UserRow>(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(User::from))
}

/// Disables a user (their tokens stop working at once) or enables them
/// again. Disabling twice keeps the first time.
pub async fn set_user_disabled(
    db: impl PgExecutor<'_>,
    id: Uuid,
    disabled: bool,
) -> Result<(), AccountError> {
    let updated = sqlx::query(
        "UPDATE users SET disabled_at = CASE WHEN $2 THEN COALESCE(disabled_at, now()) END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(disabled)
    .execute(db)
    .await?;
    match updated.rows_affected() {
        0 => Err(AccountError::UnknownUser),
        _ => Ok(()),
    }
}

/// Every user, oldest first (the admin's list; a team is small).
pub async fn list_users(db: impl PgExecutor<'_>) -> Result<Vec<User>, AccountError> {
    let rows = sqlx::query_as::<_, UserRow>(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users ORDER BY created_at, id"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(User::from).collect())
}

/// Remembers the language a user chose, so it follows them to any browser.
/// The caller checks that `locale` is one the app speaks.
pub async fn set_user_locale(
    db: impl PgExecutor<'_>,
    id: Uuid,
    locale: &str,
) -> Result<(), AccountError> {
    sqlx::query("UPDATE users SET locale = $2 WHERE id = $1")
        .bind(id)
        .bind(locale)
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            normalize_email("  Ada@Example.COM \n").unwrap(),
            "ada@example.com"
        );
    }

    #[test]
    fn what_is_not_an_email_is_refused() {
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@localhost",
            "ada@.com",
            "ada@example.",
            "a@b@example.com",
            "ada lovelace@example.com",
        ] {
            let err = normalize_email(bad).unwrap_err();
            assert!(
                matches!(err, AccountError::InvalidEmail(_)),
                "{bad:?}: {err:?}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(normalize_email(&long).is_err());
    }
}
