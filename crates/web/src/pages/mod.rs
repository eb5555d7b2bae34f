//! Askama page structs, one per page; templates live in `templates/`.

mod accounts;
pub mod billing;
mod error;
mod gallery;
mod home;
mod layout;
mod library;
mod songs;
mod team;

pub use accounts::{PasswordPage, SetupPage, SignInPage};
pub use billing::{MemberBilling, MemberBillingPage};
pub use error::ErrorPage;
pub use gallery::{GalleryPage, GalleryView};
pub use home::HomePage;
pub use layout::Layout;
pub use library::{MySongsPage, SongItem};
pub use songs::{CreateErrors, CreateFields, CreatePage, SongPage};
pub use team::{
    AdminUsersPage, InvalidInvitationPage, JoinPage, NewInvitation, UserItem, role_key,
};
