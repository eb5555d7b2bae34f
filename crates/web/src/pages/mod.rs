//! Askama page structs, one per page; templates live in `templates/`.

mod accounts;
mod error;
mod home;
mod layout;
mod library;
mod songs;

pub use accounts::{PasswordPage, SetupPage, SignInPage};
pub use error::ErrorPage;
pub use home::HomePage;
pub use layout::Layout;
pub use library::{MySongsPage, SongItem};
pub use songs::{CreateErrors, CreateFields, CreatePage, SongPage};
