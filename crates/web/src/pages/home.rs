use askama::Template;
use askama_web::WebTemplate;
use chorus_core::Micros;

use super::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub price: Micros,
}
