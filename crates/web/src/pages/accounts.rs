//! The accounts pages: first run, sign in, change password. Each keeps what
//! was typed (never a password) and names what is wrong next to its field.

use askama::Template;
use chorus_core::accounts::MIN_PASSWORD_CHARS;

use crate::auth::{PasswordErrors, SetupErrors};
use crate::pages::Layout;

#[derive(Template)]
#[template(path = "accounts/setup.html")]
pub struct SetupPage {
    pub layout: Layout,
    pub csrf: String,
    pub email: String,
    pub errors: SetupErrors,
}

#[derive(Template)]
#[template(path = "accounts/sign_in.html")]
pub struct SignInPage {
    pub layout: Layout,
    pub csrf: String,
    pub email: String,
    /// Where to go once signed in, carried through the form.
    pub next: String,
    /// Why the last attempt failed, ready to show.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    pub csrf: String,
    pub email: String,
    /// Just changed: say so.
    pub changed: bool,
    pub errors: PasswordErrors,
    /// Too many wrong current passwords: when to try again, ready to show.
    pub blocked: Option<String>,
}

/// The text of an error key; `%{min}` is the shortest password accepted.
fn error_text(layout: &Layout, key: &str) -> String {
    layout.t_args(key, &[("min", &MIN_PASSWORD_CHARS.to_string())])
}

impl SetupPage {
    pub fn error(&self, key: &str) -> String {
        error_text(&self.layout, key)
    }

    pub fn password_hint(&self) -> String {
        error_text(&self.layout, "accounts.field.password_hint")
    }
}

impl PasswordPage {
    pub fn error(&self, key: &str) -> String {
        error_text(&self.layout, key)
    }

    pub fn password_hint(&self) -> String {
        error_text(&self.layout, "accounts.field.password_hint")
    }
}
