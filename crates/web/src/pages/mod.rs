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
mod team_billing;

pub use accounts::{PasswordPage, SetupPage, SignInPage};
pub use billing::{MemberBilling, MemberBillingBody, MemberBillingPage};
pub use error::ErrorPage;
pub use gallery::{GalleryPage, GalleryView};
pub use home::HomePage;
pub use layout::Layout;
pub use library::{MySongsPage, SongItem};
pub use songs::{CreateErrors, CreateFields, CreatePage, SongPage, status_key};
pub use team::{
    AdminUsersPage, InvalidInvitationPage, JoinPage, NewInvitation, UserItem, role_key,
};
pub use team_billing::{
    AdminBillingPage, AuditRow, MemberChoice, MemberRow, Meter, MoneyErrors, MoneyFields,
    MoneyForm, MonthNav, TeamBillingData, TeamFigures, TopSpender, month_name,
};
