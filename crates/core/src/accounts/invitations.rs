//! Invitations: an admin makes a one-time link that lets someone make an
//! account with a given role. The link's token is 32 random bytes; only its
//! SHA-256 is stored (like API tokens), so the link is shown once, when it
//! is made, and a leaked database holds no working link.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use sqlx::{PgExecutor, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::accounts::role::Role;
use crate::accounts::user::{NewUser, User, create_user};
use crate::accounts::{AccountError, password};

/// How long a link works: long enough for a colleague back from a week off.
pub const INVITATION_TTL: Duration = Duration::days(7);
const TOKEN_BYTES: usize = 32;
/// base64url without padding of 32 bytes.
const TOKEN_CHARS: usize = 43;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Invitation {
    pub id: Uuid,
    pub role: Role,
    pub created_by: Uuid,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub used_by: Option<Uuid>,
}

/// Makes an invitation; returns it with the token for its link, which is
/// not stored anywhere and cannot be shown again.
pub async fn create_invitation(
    db: impl PgExecutor<'_>,
    created_by: Uuid,
    role: Role,
) -> Result<(Invitation, SecretString), AccountError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Random(e.to_string()))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let invitation = sqlx::query_as::<_, Invitation>(
        "INSERT INTO invitations (id, token_hash, role, created_by, expires_at) \
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) \
         RETURNING id, role, created_by, created_at, expires_at, used_at, used_by",
    )
    .bind(Uuid::now_v7())
    .bind(token_hash(&token))
    .bind(role)
    .bind(created_by)
    .bind(INVITATION_TTL.as_seconds_f64())
    .fetch_one(db)
    .await?;
    Ok((invitation, SecretString::from(token)))
}

/// The invitation behind a link, if it can still be used (not used, not
/// expired). Unknown, used and expired links are all None: whoever holds
/// one is told the same thing.
pub async fn find_usable_invitation(
    db: impl PgExecutor<'_>,
    token: &str,
) -> Result<Option<Invitation>, AccountError> {
    if !looks_like_a_token(token) {
        return Ok(None);
    }
    Ok(sqlx::query_as::<_, Invitation>(
        "SELECT id, role, created_by, created_at, expires_at, used_at, used_by \
         FROM invitations \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()",
    )
    .bind(token_hash(token))
    .fetch_optional(db)
    .await?)
}

/// Spends an invitation: creates the user with its role and marks it used,
/// in one transaction. Of two people racing with one link exactly one gets
/// an account; the other (and anyone with a used, expired or unknown link)
/// gets None, and nothing is created. A taken email is an error and leaves
/// the link usable.
pub async fn accept_invitation(
    pool: &PgPool,
    token: &str,
    email: &str,
    password: SecretString,
) -> Result<Option<User>, AccountError> {
    if !looks_like_a_token(token) {
        return Ok(None);
    }
    // Checked before the transaction so a too-short password does not
    // hold the invitation's row lock.
    password::check_password_length(&password)?;
    let hash = token_hash(token);
    let mut tx = pool.begin().await?;
    // The row lock makes a concurrent accept wait here; once this one
    // commits, the other's WHERE no longer matches and it gets None.
    let role: Option<Role> = sqlx::query_scalar(
        "SELECT role FROM invitations \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() \
         FOR UPDATE",
    )
    .bind(&hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(role) = role else {
        return Ok(None);
    };
    let new = NewUser {
        email: email.to_owned(),
        password,
        role,
        monthly_budget: None,
    };
    let user = create_user(&mut *tx, new).await?;
    // Conditional as well, so the link works once even if the lock above
    // were ever taken away.
    let spent = sqlx::query(
        "UPDATE invitations SET used_at = now(), used_by = $2 \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()",
    )
    .bind(&hash)
    .bind(user.id)
    .execute(&mut *tx)
    .await?;
    if spent.rows_affected() != 1 {
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(user))
}

/// Spares the database a look-up for what cannot be one of our links.
fn looks_like_a_token(text: &str) -> bool {
    text.len() == TOKEN_CHARS
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_links_reach_the_database() {
        assert!(looks_like_a_token(&"A".repeat(TOKEN_CHARS)));
        assert!(!looks_like_a_token(&"A".repeat(TOKEN_CHARS + 1)));
        assert!(!looks_like_a_token(&format!("{}=", "A".repeat(42))));
        assert!(!looks_like_a_token(""));
    }
}
