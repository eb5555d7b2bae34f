//! `parse_submit_reply`: a task id, a retry-safe refusal, or an unknown
//! outcome (the task may exist).

use chorus_core::upstream::{Retry, UpstreamError, parse_submit_reply};

#[test]
fn vendor_example_gives_the_task_id() {
    let body = br#"{"success": true, "task_id": "4f3acce5-eb32-46b4-9c96-9cc1e2b2c922"}"#;
    let id = parse_submit_reply(body).unwrap();
    assert_eq!(id.as_str(), "4f3acce5-eb32-46b4-9c96-9cc1e2b2c922");
}

#[test]
fn success_false_is_a_retry_safe_rejection_with_its_message() {
    let err = parse_submit_reply(br#"{"success": false, "message": "insufficient balance"}"#)
        .unwrap_err();
    assert_eq!(
        err,
        UpstreamError::Rejected {
            status: None,
            message: "insufficient balance".into(),
            retry_after: None
        }
    );
    assert_eq!(err.retry(), Retry::Safe);
    assert_eq!(err.kind(), "declined");
    let bare = parse_submit_reply(br#"{"success": false}"#).unwrap_err();
    assert_eq!(bare.retry(), Retry::Safe);
}

#[test]
fn success_without_a_usable_task_id_is_an_unknown_outcome() {
    for body in [
        r#"{"success": true}"#,
        r#"{"success": true, "task_id": 12345}"#,
        r#"{"success": true, "task_id": ""}"#,
        r#"{"success": true, "task_id": null}"#,
    ] {
        let err = parse_submit_reply(body.as_bytes()).unwrap_err();
        assert_eq!(err.retry(), Retry::Unknown, "{body}");
        assert!(
            matches!(err, UpstreamError::OutcomeUnknown { .. }),
            "{body}"
        );
    }
}

#[test]
fn unreadable_bodies_are_unknown_outcomes_that_do_not_quote_the_body() {
    for body in [
        "<html><body>secret internal trace</body></html>",
        r#"{"success": true, "task_id": "4f3a"#,
        "",
        "[]",
        "null",
        "\u{feff}garbage",
    ] {
        let err = parse_submit_reply(body.as_bytes()).unwrap_err();
        assert_eq!(err.retry(), Retry::Unknown, "{body}");
        assert!(!err.to_string().contains("secret internal"), "{err}");
    }
}

#[test]
fn a_task_id_without_a_success_flag_is_accepted() {
    assert_eq!(
        parse_submit_reply(br#"{"task_id": "t1"}"#)
            .unwrap()
            .as_str(),
        "t1"
    );
}
