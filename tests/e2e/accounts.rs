//! Users and tokens: the domain functions against a real database.

use chorus_core::accounts::{
    AccountError, NewUser, Role, authenticate_token, create_token, create_user, find_user_by_email,
};
use chorus_testkit::{TestDb, init};
use secrecy::{ExposeSecret, SecretString};

/// A member with a valid password and no budget.
pub fn member(email: &str) -> NewUser {
    NewUser {
        email: email.to_owned(),
        password: SecretString::from("correct horse battery"),
        role: Role::Member,
        monthly_budget: None,
    }
}

#[tokio::test]
async fn emails_are_unique_in_any_case() {
    init();
    let db = TestDb::migrated().await;
    let ada = create_user(db.pool(), member("  Ada@Example.com "))
        .await
        .unwrap();
    assert_eq!(ada.email, "ada@example.com");
    assert_eq!(ada.role, Role::Member);
    assert!(!ada.disabled);

    let err = create_user(db.pool(), member("ADA@example.COM"))
        .await
        .unwrap_err();
    assert!(matches!(err, AccountError::EmailTaken(_)), "{err:?}");
    let found = find_user_by_email(db.pool(), "ADA@EXAMPLE.COM")
        .await
        .unwrap();
    assert_eq!(found, Some(ada));
}

#[tokio::test]
async fn what_is_not_an_email_or_a_password_is_refused_before_anything_is_stored() {
    init();
    let db = TestDb::migrated().await;
    let err = create_user(db.pool(), member("ada")).await.unwrap_err();
    assert!(matches!(err, AccountError::InvalidEmail(_)), "{err:?}");
    let short = NewUser {
        password: SecretString::from("1234567"),
        ..member("ada@example.com")
    };
    let err = create_user(db.pool(), short).await.unwrap_err();
    assert!(matches!(err, AccountError::PasswordTooShort), "{err:?}");
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn the_password_is_stored_as_an_argon2id_hash() {
    init();
    let db = TestDb::migrated().await;
    create_user(db.pool(), member("ada@example.com"))
        .await
        .unwrap();
    let phc: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    let password = SecretString::from("correct horse battery");
    assert!(
        chorus_core::accounts::verify_password(password, phc)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_token_is_stored_only_as_its_sha256() {
    init();
    let db = TestDb::migrated().await;
    let ada = create_user(db.pool(), member("ada@example.com"))
        .await
        .unwrap();
    let (token, plaintext) = create_token(db.pool(), ada.id, "laptop").await.unwrap();
    let plaintext = plaintext.expose_secret();
    assert!(plaintext.starts_with("chorus_"), "{plaintext}");
    assert_eq!(plaintext.len(), "chorus_".len() + 43);
    assert_eq!((token.user_id, token.name.as_str()), (ada.id, "laptop"));

    let (row, is_sha256): (String, bool) = sqlx::query_as(
        "SELECT row_to_json(t)::text, token_hash = sha256(convert_to($1, 'UTF8')) \
         FROM api_tokens t",
    )
    .bind(plaintext)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(is_sha256, "{row}");
    assert!(!row.contains(&plaintext["chorus_".len()..]), "{row}");
    assert!(!row.contains("chorus_"), "{row}");
}

#[tokio::test]
async fn authenticating_notes_when_a_token_was_last_used() {
    init();
    let db = TestDb::migrated().await;
    let ada = create_user(db.pool(), member("ada@example.com"))
        .await
        .unwrap();
    let (token, plaintext) = create_token(db.pool(), ada.id, "ci").await.unwrap();
    assert_eq!(token.last_used_at, None);
    let user = authenticate_token(db.pool(), plaintext.expose_secret())
        .await
        .unwrap();
    assert_eq!(user.map(|u| u.id), Some(ada.id));
    let used: bool =
        sqlx::query_scalar("SELECT last_used_at IS NOT NULL FROM api_tokens WHERE id = $1")
            .bind(token.id)
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert!(used);
}

#[tokio::test]
async fn token_names_must_be_short_and_not_blank() {
    init();
    let db = TestDb::migrated().await;
    let ada = create_user(db.pool(), member("ada@example.com"))
        .await
        .unwrap();
    for name in ["", "   ", &"x".repeat(101)] {
        let err = create_token(db.pool(), ada.id, name).await.unwrap_err();
        assert!(
            matches!(err, AccountError::InvalidTokenName),
            "{name:?}: {err:?}"
        );
    }
    let err = create_token(db.pool(), uuid::Uuid::now_v7(), "laptop")
        .await
        .unwrap_err();
    assert!(matches!(err, AccountError::UnknownUser), "{err:?}");
}
