//! Personal access tokens: `chorus_` and 43 characters of base64url (32
//! random bytes). Only their SHA-256 is stored, so a leaked database does
//! not leak working tokens; the plaintext is shown once, when it is made.
//! A fast hash is enough (unlike passwords): 256 random bits cannot be
//! guessed, however fast the guessing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::AccountError;
use crate::accounts::user::{User, UserRow, user_columns};

/// What every token starts with, so secret scanners and people can tell
/// what it is.
pub const TOKEN_PREFIX: &str = "chorus_";
pub const MAX_TOKEN_NAME_CHARS: usize = 100;
const TOKEN_BYTES: usize = 32;
/// base64 without padding of 32 bytes.
const TOKEN_BODY_CHARS: usize = 43;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: Uuid,
    /// What the user called it, to tell their tokens apart.
    pub name: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// Makes a token for a user. Returns it with its plaintext, which is not
/// stored anywhere and cannot be shown again.
pub async fn create_token(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    name: &str,
) -> Result<(ApiToken, SecretString), AccountError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_TOKEN_NAME_CHARS {
        return Err(AccountError::InvalidTokenName);
    }
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Random(e.to_string()))?;
    let plaintext = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let inserted = sqlx::query_as::<_, ApiToken>(
        "INSERT INTO api_tokens (id, user_id, name, token_hash) VALUES ($1, $2, $3, $4) \
         RETURNING id, user_id, name, created_at, last_used_at, revoked_at",
    )
    .bind(Uuid::now_v7())
    .bind(user_id)
    .bind(name)
    .bind(token_hash(&plaintext))
    .fetch_one(db)
    .await;
    match inserted {
        Ok(token) => Ok((token, SecretString::from(plaintext))),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            Err(AccountError::UnknownUser)
        }
        Err(e) => Err(e.into()),
    }
}

/// The user a token belongs to, or None when the token is unknown, revoked,
/// or its user disabled: callers answer all of these the same way, so a
/// guesser learns nothing.
pub async fn authenticate_token(
    db: impl PgExecutor<'_>,
    plaintext: &str,
) -> Result<Option<User>, AccountError> {
    if !looks_like_a_token(plaintext) {
        return Ok(None);
    }
    // One round trip: find the user and note the use. `last_used_at` is
    // written at most once a minute per token, so a busy script does not
    // turn every request into a row update.
    let row = sqlx::query_as::<_, UserRow>(concat!(
        "WITH found AS ( \
             SELECT t.id AS token_id, t.last_used_at AS token_last_used_at, \
                    u.id, u.email, u.role, u.monthly_budget_micros, u.disabled_at, u.created_at, \
                    u.locale \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL \
         ), touched AS ( \
             UPDATE api_tokens SET last_used_at = now() \
             FROM found \
             WHERE api_tokens.id = found.token_id \
               AND (found.token_last_used_at IS NULL \
                    OR found.token_last_used_at < now() - interval '1 minute') \
         ) \
         SELECT ",
        user_columns!(),
        " FROM found"
    ))
    .bind(token_hash(plaintext))
    .fetch_optional(db)
    .await?;
    Ok(row.map(User::from))
}

/// Revokes one of a user's tokens; false when they have no such token
/// (or it was revoked already).
pub async fn revoke_token(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    token_id: Uuid,
) -> Result<bool, AccountError> {
    let revoked = sqlx::query(
        "UPDATE api_tokens SET revoked_at = now() \
         WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(token_id)
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(revoked.rows_affected() == 1)
}

/// Spares the database a look-up for what cannot be one of our tokens.
fn looks_like_a_token(text: &str) -> bool {
    text.strip_prefix(TOKEN_PREFIX).is_some_and(|body| {
        body.len() == TOKEN_BODY_CHARS
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

fn token_hash(plaintext: &str) -> Vec<u8> {
    Sha256::digest(plaintext.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_tokens_reach_the_database() {
        let body = "A".repeat(TOKEN_BODY_CHARS);
        assert!(looks_like_a_token(&format!("chorus_{body}")));
        assert!(looks_like_a_token(&format!("chorus_{}-_", &body[2..])));
        assert!(!looks_like_a_token(&body));
        assert!(!looks_like_a_token(&format!("chorus_{body}A")));
        assert!(!looks_like_a_token(&format!("chorus_{}=", &body[1..])));
        assert!(!looks_like_a_token(""));
    }

    #[test]
    fn the_stored_hash_is_sha256_of_the_whole_token() {
        let hash = token_hash("chorus_abc");
        assert_eq!(hash.len(), 32);
        assert_ne!(hash, token_hash("chorus_abd"));
    }
}
