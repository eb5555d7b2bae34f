//! Askama page structs, one per page; templates live in `templates/`.

mod error;
mod home;
mod layout;

pub use error::ErrorPage;
pub use home::HomePage;
pub use layout::Layout;
