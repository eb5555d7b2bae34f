//! Askama page structs, one per page; templates live in `templates/`.

mod accounts;
mod error;
mod home;
mod layout;

pub use accounts::{PasswordPage, SetupPage, SignInPage};
pub use error::ErrorPage;
pub use home::HomePage;
pub use layout::Layout;
