//! Accounts in the browser: the forms, the steps from a submitted form to a
//! session, and the limits on guessing passwords. The handlers in
//! `routes/accounts` only parse, call these, and render.

mod flow;
mod forms;
mod limits;

pub use flow::{
    Attempt, PasswordChange, attempt_sign_in, begin_session, change_password, end_session,
};
pub use forms::{
    NoFields, PasswordErrors, PasswordForm, SetupErrors, SetupForm, SignInForm, local_path,
};
