//! A browser stand-in for the accounts tests: keeps cookies the way a
//! browser would (set, replace, forget on removal), follows no redirects,
//! and finds the CSRF token a form page embeds.

use std::collections::BTreeMap;

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{Response, StatusCode};

use crate::helpers::{TestApp, http_client};
use crate::pipeline::members::PASSWORD;

pub struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
    /// Sent with every request when set, like a page on that origin would.
    pub origin: Option<String>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            base: app.web_url.clone(),
            http: http_client(),
            cookies: BTreeMap::new(),
            origin: None,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    /// Posts the fields as a urlencoded form, exactly as given (no token
    /// added: see [`Browser::submit`]).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// Opens the form page, then posts the fields with its CSRF token.
    pub async fn submit(&mut self, page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf_of(page).await;
        let mut fields = fields.to_vec();
        fields.push(("csrf", &csrf));
        self.post(path, &fields).await
    }

    /// The token in the page's hidden `csrf` field.
    pub async fn csrf_of(&mut self, page: &str) -> String {
        let response = self.get(page).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {page}");
        hidden_field(&response.text().await.unwrap(), "csrf")
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Response {
        self.submit(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    async fn send(&mut self, mut request: reqwest::RequestBuilder) -> Response {
        if !self.cookies.is_empty() {
            let header = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(COOKIE, header);
        }
        if let Some(origin) = &self.origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.unwrap();
        for set in response.headers().get_all(SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (name, value) = set.split(';').next().unwrap().split_once('=').unwrap();
            if value.is_empty() || set.to_ascii_lowercase().contains("max-age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        response
    }
}

/// The Set-Cookie header the response sent for `name`.
pub fn set_cookie_header(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|value| value.starts_with(&format!("{name}=")))
}

pub fn location(response: &Response) -> &str {
    response.headers()["location"].to_str().unwrap()
}

fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field in {html}"))
        + marker.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_owned()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A browser signed in as `email` (made with [`PASSWORD`]).
pub async fn signed_in_as(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(app);
    let response = browser.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign in {email}");
    browser
}
