//! The accounts forms as submitted, and what is wrong with them, as catalog
//! keys shown next to the field. Every field defaults to empty, so a field
//! left out is reported on the form rather than refused as a bad request.

use chorus_core::accounts::{MIN_PASSWORD_CHARS, normalize_email};
use serde::Deserialize;

// No Debug on forms with passwords: they must not end up in a log.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    pub email: String,
    pub password: String,
    /// Where to go once signed in; see [`local_path`].
    pub next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetupForm {
    pub email: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
    pub new_password_confirm: String,
}

/// A form with nothing but its CSRF token (sign out).
#[derive(Deserialize)]
pub struct NoFields {}

#[derive(Default)]
pub struct SetupErrors {
    pub email: Option<&'static str>,
    pub password: Option<&'static str>,
    pub password_confirm: Option<&'static str>,
}

#[derive(Default)]
pub struct PasswordErrors {
    pub current_password: Option<&'static str>,
    pub new_password: Option<&'static str>,
    pub new_password_confirm: Option<&'static str>,
}

impl SetupForm {
    pub fn errors(&self) -> Option<SetupErrors> {
        let (password, password_confirm) =
            new_password_errors(&self.password, &self.password_confirm);
        let email = normalize_email(&self.email)
            .err()
            .map(|_| "accounts.error.invalid_email");
        let errors = SetupErrors {
            email,
            password,
            password_confirm,
        };
        (errors.email.is_some() || password.is_some() || password_confirm.is_some())
            .then_some(errors)
    }
}

impl PasswordForm {
    pub fn errors(&self) -> Option<PasswordErrors> {
        let (new_password, new_password_confirm) =
            new_password_errors(&self.new_password, &self.new_password_confirm);
        let current_password = self
            .current_password
            .is_empty()
            .then_some("accounts.error.required");
        (current_password.is_some() || new_password.is_some() || new_password_confirm.is_some())
            .then_some(PasswordErrors {
                current_password,
                new_password,
                new_password_confirm,
            })
    }
}

fn new_password_errors(
    password: &str,
    confirm: &str,
) -> (Option<&'static str>, Option<&'static str>) {
    let too_short = password.chars().count() < MIN_PASSWORD_CHARS;
    (
        too_short.then_some("accounts.error.password_too_short"),
        (!too_short && password != confirm).then_some("accounts.error.passwords_differ"),
    )
}

/// `next` when it is a path on this site (and ASCII, so it fits a
/// Location header as it is), else the home page.
pub fn local_path(next: &str) -> &str {
    if crate::url::is_local_path(next) && next.is_ascii() {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/account/password?x=1"), "/account/password?x=1");
        for evil in [
            "//evil.test",
            "https://evil.test",
            "/\\evil.test",
            "/\t/evil.test",
            "evil.test",
            "",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(evil), "/", "{evil:?}");
        }
    }

    #[test]
    fn a_new_password_must_be_long_enough_and_typed_twice_alike() {
        let form = |password: &str, confirm: &str| SetupForm {
            email: "ada@example.com".into(),
            password: password.into(),
            password_confirm: confirm.into(),
        };
        assert!(form("long enough", "long enough").errors().is_none());
        let short = form("short", "short").errors().unwrap_or_default();
        assert_eq!(short.password, Some("accounts.error.password_too_short"));
        let differ = form("long enough", "long enougH")
            .errors()
            .unwrap_or_default();
        assert_eq!(
            differ.password_confirm,
            Some("accounts.error.passwords_differ")
        );
        let bad_email = SetupForm {
            email: "ada".into(),
            ..form("long enough", "long enough")
        };
        assert!(bad_email.errors().is_some_and(|e| e.email.is_some()));
    }
}
