//! Members with tokens, and their requests over the JSON API.

use std::time::Duration;

use chorus_core::Micros;
use chorus_core::accounts::{NewUser, Role, create_token, create_user};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, wait_for};

/// Every test user's password.
pub const PASSWORD: &str = "correct horse battery";

pub struct Member {
    pub id: Uuid,
    pub token: String,
}

pub async fn member(app: &TestApp, email: &str, budget: Option<Micros>) -> Member {
    user_with_token(app, email, Role::Member, budget).await
}

pub async fn admin(app: &TestApp, email: &str) -> Member {
    user_with_token(app, email, Role::Admin, None).await
}

async fn user_with_token(app: &TestApp, email: &str, role: Role, budget: Option<Micros>) -> Member {
    let pool = app.env.db.pool();
    let user = create_user(
        pool,
        NewUser {
            email: email.to_owned(),
            password: PASSWORD.into(),
            role,
            monthly_budget: budget,
        },
    )
    .await
    .unwrap();
    let (_, token) = create_token(pool, user.id, "tests").await.unwrap();
    Member {
        id: user.id,
        token: token.expose_secret().to_owned(),
    }
}

pub fn describe() -> Value {
    json!({"mode": "describe", "topic": "a song about spring", "instrumental": true})
}

pub fn custom() -> Value {
    json!({"mode": "custom", "tags": "female vocal, pop, dream pop",
           "lyrics": "[Verse 1]\nIn waves of starlit magic\n\n[Chorus]\nI float", "title": "Starlit"})
}

impl TestApp {
    pub async fn api_post(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1{path}", self.web_url))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn api_get(&self, token: &str, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}/api/v1{path}", self.web_url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// The member's month, from `GET /api/v1/usage`.
    pub async fn usage(&self, member: &Member) -> Value {
        self.api_get(&member.token, "/usage")
            .await
            .json()
            .await
            .unwrap()
    }

    /// Requests a song and returns its id; the request must be accepted.
    pub async fn request_song(&self, member: &Member, body: &Value) -> Uuid {
        let response = self.api_post(&member.token, "/generations", body).await;
        assert_eq!(response.status(), 202, "{:?}", response.text().await);
        let created: Value = response.json().await.unwrap();
        created["id"].as_str().unwrap().parse().unwrap()
    }

    /// Waits until the generation reaches a final status, and returns it.
    pub async fn finished(&self, member: &Member, id: Uuid) -> Value {
        self.finished_within(member, id, Duration::from_secs(20))
            .await
    }

    pub async fn finished_within(&self, member: &Member, id: Uuid, deadline: Duration) -> Value {
        wait_for(&format!("generation {id} to finish"), deadline, || async {
            let body: Value = self
                .api_get(&member.token, &format!("/generations/{id}"))
                .await
                .json()
                .await
                .unwrap();
            matches!(body["status"].as_str(), Some("completed" | "failed")).then_some(body)
        })
        .await
    }

    /// Waits until no generation is pending, submitting or in flight.
    pub async fn all_settled(&self, deadline: Duration) {
        let pool = self.env.db.pool().clone();
        wait_for("every generation to finish", deadline, || {
            let pool = pool.clone();
            async move {
                let open: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM generations WHERE status NOT IN ('completed', 'failed')",
                )
                .fetch_one(&pool)
                .await
                .unwrap();
                (open == 0).then_some(())
            }
        })
        .await;
    }
}
