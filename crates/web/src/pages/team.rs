//! The team pages: the admin's list of users and invitations, joining with
//! an invitation (or registering, when registration is open), and the page
//! for a link that no longer works.

use askama::Template;
use chorus_core::accounts::{MIN_PASSWORD_CHARS, Role, User};
use uuid::Uuid;

use crate::auth::SetupErrors;
use crate::pages::Layout;

/// One row of the admin's list.
pub struct UserItem {
    pub id: Uuid,
    pub email: String,
    pub role_key: &'static str,
    pub created: String,
    pub disabled: bool,
    /// The admin looking: they cannot disable themselves.
    pub is_viewer: bool,
}

impl UserItem {
    pub fn new(layout: &Layout, user: &User, viewer: Uuid) -> UserItem {
        UserItem {
            id: user.id,
            email: user.email.clone(),
            role_key: role_key(user.role),
            created: layout.date(&user.created_at),
            disabled: user.disabled,
            is_viewer: user.id == viewer,
        }
    }
}

pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "team.role.admin",
        Role::Member => "team.role.member",
    }
}

/// A link just made: shown once, on the page that answers its creation.
pub struct NewInvitation {
    pub link: String,
    pub role_key: &'static str,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "team/users.html")]
pub struct AdminUsersPage {
    pub layout: Layout,
    pub csrf: String,
    pub users: Vec<UserItem>,
    pub invitation: Option<NewInvitation>,
    /// What went wrong with the last action, as a catalog key.
    pub error: Option<&'static str>,
}

/// Joining with an invitation, or registering when registration is open:
/// the same form, posted back to where it came from.
#[derive(Template)]
#[template(path = "team/join.html")]
pub struct JoinPage {
    pub layout: Layout,
    pub csrf: String,
    pub action: String,
    /// The role the account will have.
    pub role_key: &'static str,
    pub email: String,
    pub errors: SetupErrors,
}

impl JoinPage {
    pub fn error(&self, key: &str) -> String {
        self.layout
            .t_args(key, &[("min", &MIN_PASSWORD_CHARS.to_string())])
    }

    pub fn password_hint(&self) -> String {
        self.error("accounts.field.password_hint")
    }
}

/// An unknown, used or expired invitation link (or any, when registration
/// is closed): one page for all, so the link's holder learns nothing more.
#[derive(Template)]
#[template(path = "team/invalid.html")]
pub struct InvalidInvitationPage {
    pub layout: Layout,
}
