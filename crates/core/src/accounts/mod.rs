//! Members and their credentials: users with argon2id passwords, and the
//! personal access tokens scripts use instead of a password.

mod credentials;
mod error;
mod first_run;
mod invitations;
mod password;
mod role;
mod token;
mod user;

pub use credentials::{check_credentials, set_password, verify_user_password};
pub use error::AccountError;
pub use first_run::{create_first_admin, has_users};
pub use invitations::{
    INVITATION_TTL, Invitation, accept_invitation, create_invitation, find_usable_invitation,
};
pub use password::{MIN_PASSWORD_CHARS, check_password_length, hash_password, verify_password};
pub use role::Role;
pub use token::{
    ApiToken, MAX_TOKEN_NAME_CHARS, TOKEN_PREFIX, authenticate_token, create_token, revoke_token,
};
pub use user::{
    NewUser, User, create_user, find_user_by_email, find_user_by_id, list_users, normalize_email,
    set_user_disabled, set_user_locale,
};
