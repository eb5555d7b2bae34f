//! The first admin, made from the browser while the database has no users.

use secrecy::SecretString;
use sqlx::{PgExecutor, PgPool};

use crate::accounts::AccountError;
use crate::accounts::role::Role;
use crate::accounts::user::{NewUser, User, create_user};

/// Serialises concurrent first-run attempts (an arbitrary constant, unique
/// among Chorus's advisory locks).
const FIRST_RUN_LOCK: i64 = 0x6368_6f72_7573_0001;

pub async fn has_users(db: impl PgExecutor<'_>) -> Result<bool, AccountError> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users)")
        .fetch_one(db)
        .await?)
}

/// Creates an admin if and only if there is no user yet; None when someone
/// else was first. Two simultaneous attempts cannot both succeed: the check
/// and the insert run under one transaction-scoped advisory lock.
pub async fn create_first_admin(
    pool: &PgPool,
    email: &str,
    password: SecretString,
) -> Result<Option<User>, AccountError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(FIRST_RUN_LOCK)
        .execute(&mut *tx)
        .await?;
    if has_users(&mut *tx).await? {
        return Ok(None);
    }
    let new = NewUser {
        email: email.to_owned(),
        password,
        role: Role::Admin,
        monthly_budget: None,
    };
    let admin = create_user(&mut *tx, new).await?;
    tx.commit().await?;
    Ok(Some(admin))
}
