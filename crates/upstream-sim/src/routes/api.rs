//! `POST` and `GET /api/v2/music/task`: submit a task, poll up to 25.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream;
use serde_json::{Value, json};
use uuid::Uuid;

use super::gate::gate;
use super::refusal;
use crate::faults::roll;
use crate::render::task_json;
use crate::request::GenRequest;
use crate::state::SimState;

/// The vendor's limit on ids per poll.
const MAX_IDS: usize = 25;

pub(super) async fn submit(
    state: web::Data<SimState>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    state.count(|s| s.submissions += 1);
    if let Err(refused) = gate(&state, &req).await {
        return refused;
    }
    let parsed = if is_json(&req) {
        GenRequest::parse(&body).map_err(|e| e.0)
    } else {
        Err("Content-Type must be application/json".to_owned())
    };
    let request = match parsed {
        Ok(request) => request,
        Err(message) => {
            state.count(|s| s.bad_requests += 1);
            tracing::debug!(%message, "refused submission");
            return refusal(StatusCode::BAD_REQUEST, &message);
        }
    };
    let task = state.create_task(request);
    let reply = json!({ "success": true, "task_id": task.id });
    if roll(state.faults().drop_response_rate) {
        state.count(|s| s.dropped_responses += 1);
        tracing::info!(task_id = %task.id, fate = ?task.fate, "task created, dropping the response");
        return cut_off(&reply);
    }
    tracing::info!(task_id = %task.id, fate = ?task.fate, "task created");
    HttpResponse::Ok().json(reply)
}

pub(super) async fn poll(state: web::Data<SimState>, req: HttpRequest) -> HttpResponse {
    state.count(|s| s.polls += 1);
    if let Err(refused) = gate(&state, &req).await {
        return refused;
    }
    let ids = match requested_ids(req.query_string()) {
        Ok(ids) => ids,
        Err(message) => {
            state.count(|s| s.bad_requests += 1);
            return refusal(StatusCode::BAD_REQUEST, &message);
        }
    };
    state.count(|s| s.record_poll_ids(ids.len()));
    // Ids that are not even UUIDs are unknown like any other: left out.
    let mut uuids: Vec<Uuid> = Vec::with_capacity(ids.len());
    for id in ids.iter().filter_map(|id| Uuid::parse_str(id).ok()) {
        if !uuids.contains(&id) {
            uuids.push(id);
        }
    }
    let tasks = state.tasks(&uuids);
    let now = Instant::now();
    let reply: Vec<Value> = tasks.iter().map(|t| task_json(&state, t, now)).collect();
    tracing::debug!(asked = ids.len(), known = reply.len(), "poll");
    HttpResponse::Ok().json(reply)
}

/// The `ids` parameter split on commas: 1..=25 non-empty ids.
fn requested_ids(query: &str) -> Result<Vec<String>, String> {
    let params = web::Query::<HashMap<String, String>>::from_query(query)
        .map_err(|e| format!("invalid query string: {e}"))?;
    let raw = params.get("ids").ok_or("ids is required")?;
    let ids: Vec<String> = raw
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect();
    match ids.len() {
        0 => Err("ids must name at least 1 task".to_owned()),
        n if n > MAX_IDS => Err(format!("ids must name at most {MAX_IDS} tasks, got {n}")),
        _ => Ok(ids),
    }
}

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// A 200 whose body stops halfway and then breaks the connection: the task
/// exists, but the client cannot learn its id.
fn cut_off(reply: &Value) -> HttpResponse {
    let full = Bytes::from(reply.to_string());
    let half = full.slice(..full.len() / 2);
    // The pause lets the server flush the head and the first half before
    // the error closes the connection.
    let broken =
        stream::once(async move { Ok::<_, std::io::Error>(half) }).chain(stream::once(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "simulated dropped response",
            ))
        }));
    HttpResponse::Ok()
        .content_type("application/json")
        .streaming(broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_counted_after_splitting_on_commas() {
        assert_eq!(requested_ids("ids=a,b,%20c").map(|v| v.len()), Ok(3));
        assert_eq!(requested_ids("ids=a%2Cb").map(|v| v.len()), Ok(2));
        assert!(requested_ids("").is_err());
        assert!(requested_ids("ids=").is_err());
        assert!(requested_ids("ids=,,").is_err());
        let ids: Vec<String> = (0..25).map(|i| i.to_string()).collect();
        assert!(requested_ids(&format!("ids={}", ids.join(","))).is_ok());
        assert!(requested_ids(&format!("ids={},x", ids.join(","))).is_err());
    }
}
