//! `GET /create` and `POST /create`.

use chorus_core::Micros;
use reqwest::StatusCode;

use super::*;

#[tokio::test]
async fn the_create_page_shows_the_price_and_the_budget_left_in_both_languages() {
    let app = web_only().await;
    let (_, mut ada) = signed_in(&app, "ada@example.com", Some(Micros(100_000))).await;

    let (status, html) = page(&mut ada, "/create").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Each song costs USD 0.035."), "{html}");
    assert!(
        html.contains("You have USD 0.10 left of your USD 0.10 budget this month."),
        "{html}"
    );
    // Describe is the default tab; Continue is shown but cannot be chosen.
    assert!(html.contains("name=\"topic\""), "{html}");
    assert!(!html.contains("name=\"lyrics\""), "{html}");
    assert!(html.contains("not offered by the upstream yet"), "{html}");
    assert!(html.contains("<script src=\"/static/create.js\""), "{html}");
    assert_no_raw_keys(&html);

    let (_, html) = page(&mut ada, "/create?mode=custom").await;
    for field in [
        "name=\"tags\"",
        "name=\"lyrics\"",
        "name=\"title\"",
        "data-marker=\"[Verse]\"",
        "data-marker=\"[Chorus]\"",
        "data-marker=\"[Bridge]\"",
        "data-tag=\"pop\"",
        "0 of 5000 characters",
        // What static/create.js fills in as the lyrics change.
        "data-template=\"%{count} of %{max} characters\"",
    ] {
        assert!(html.contains(field), "{field}: {html}");
    }
    assert!(!html.contains("name=\"topic\""), "{html}");

    ada.set_cookie("lang", "zh-CN");
    let (_, html) = page(&mut ada, "/create?mode=custom").await;
    assert!(html.contains("每首歌 0.035 美元。"), "{html}");
    assert!(
        html.contains("本月预算 0.10 美元，还剩 0.10 美元。"),
        "{html}"
    );
    assert!(html.contains("上游服务暂不支持续写歌曲。"), "{html}");
    assert_no_raw_keys(&html);

    // Without a budget, the page says so rather than showing a number.
    let (_, mut bo) = signed_in(&app, "bo@example.com", None).await;
    let (_, html) = page(&mut bo, "/create").await;
    assert!(
        html.contains("You have no budget set this month."),
        "{html}"
    );
    bo.set_cookie("lang", "zh-CN");
    let (_, html) = page(&mut bo, "/create").await;
    assert!(html.contains("本月未设置预算。"), "{html}");

    // The script the page loads is served, as JavaScript.
    let script = app.get("/static/create.js").await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
}

#[tokio::test]
async fn songs_created_through_the_form_are_requested_and_shown() {
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", None).await;

    let response = create(
        &mut browser,
        &[
            ("mode", "describe"),
            ("topic", "a song about spring"),
            ("instrumental", "on"),
        ],
    )
    .await;
    let described = song_id(&response);
    let row: (uuid::Uuid, String, Option<String>, Option<bool>) =
        sqlx::query_as("SELECT user_id, mode, topic, instrumental FROM generations WHERE id = $1")
            .bind(described)
            .fetch_one(app.env.db.pool())
            .await
            .unwrap();
    assert_eq!(
        row,
        (
            ada.id,
            "describe".into(),
            Some("a song about spring".into()),
            Some(true)
        )
    );

    let response = create(
        &mut browser,
        &[
            ("mode", "custom"),
            ("title", "Starlit"),
            ("tags", "dream pop, female vocal"),
            (
                "lyrics",
                "[Verse]\nIn waves of starlit magic\n\n[Chorus]\nI float",
            ),
            // Typed in the other tab: not part of a custom song.
            ("topic", "ignored"),
        ],
    )
    .await;
    let customised = song_id(&response);
    let row: (String, Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT mode, topic, tags, title FROM generations WHERE id = $1")
            .bind(customised)
            .fetch_one(app.env.db.pool())
            .await
            .unwrap();
    assert_eq!(
        row,
        (
            "custom".into(),
            None,
            Some("dream pop, female vocal".into()),
            Some("Starlit".into())
        )
    );

    let (status, html) = page(&mut browser, &format!("/songs/{customised}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Starlit</h1>"), "{html}");
    assert!(
        html.contains("[Verse]\nIn waves of starlit magic\n\n[Chorus]\nI float"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "data-generation-id=\"{customised}\" data-status=\"pending\""
        )),
        "{html}"
    );
    assert_no_raw_keys(&html);
    let (status, html) = page(&mut browser, &format!("/songs/{described}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("a song about spring"), "{html}");
    assert!(html.contains("Instrumental"), "{html}");
}

#[tokio::test]
async fn bad_input_comes_back_on_the_form_with_the_error_by_its_field() {
    let app = web_only().await;
    let (_, mut browser) = signed_in(&app, "ada@example.com", None).await;

    let response = create(
        &mut browser,
        &[
            ("mode", "describe"),
            ("topic", "   "),
            ("instrumental", "on"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("<p class=\"field-error\" id=\"topic-error\">Please fill this in.</p>"),
        "{html}"
    );
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
    assert!(html.contains(" checked"), "the switch was not kept: {html}");

    let long_title = "t".repeat(121);
    let lyrics = format!("[Verse]\nline one {XSS}");
    let response = create(
        &mut browser,
        &[
            ("mode", "custom"),
            ("title", &long_title),
            ("tags", XSS),
            ("lyrics", &lyrics),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("id=\"title-error\">This is too long: at most 120 characters.</p>"),
        "{html}"
    );
    assert!(html.contains(&format!("value=\"{long_title}\"")), "{html}");
    // What was typed is kept, as text.
    assert!(html.contains(&format!("value=\"{XSS_ESCAPED}\"")), "{html}");
    assert!(
        html.contains(&format!("line one {XSS_ESCAPED}</textarea>")),
        "{html}"
    );
    assert!(!html.contains(XSS), "{html}");

    // Continue cannot be chosen, even by hand.
    let response = create(&mut browser, &[("mode", "continue"), ("topic", "more")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("class=\"form-error\" role=\"alert\">Continuing a song is not offered by the upstream yet."), "{html}");

    browser.set_cookie("lang", "zh-CN");
    let response = create(&mut browser, &[("mode", "custom"), ("tags", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("id=\"tags-error\">请填写此项。</p>"),
        "{html}"
    );

    assert_eq!(generation_count(&app).await, 0);
}

#[tokio::test]
async fn over_budget_is_refused_with_the_reason_and_the_form_kept() {
    let app = web_only().await;
    let (_, mut browser) = signed_in(&app, "ada@example.com", Some(Micros(10_000))).await;
    let response = create(
        &mut browser,
        &[("mode", "describe"), ("topic", "a song about spring")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYMENT_REQUIRED);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("This song costs USD 0.035, and your monthly budget of USD 0.01 has USD 0.01 left. It resets on"),
        "{html}"
    );
    assert!(html.contains("a song about spring</textarea>"), "{html}");
    assert_eq!(generation_count(&app).await, 0);
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_nothing_is_created() {
    let app = web_only().await;
    let (_, mut browser) = signed_in(&app, "ada@example.com", None).await;
    // The page sets the CSRF cookie; the post leaves the field out.
    page(&mut browser, "/create").await;
    let response = browser
        .post("/create", &[("mode", "describe"), ("topic", "spring")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = browser
        .post(
            "/create",
            &[
                ("mode", "describe"),
                ("topic", "spring"),
                ("csrf", "not-the-token"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // From another site, even with the right token.
    let csrf = browser.csrf_of("/create").await;
    browser.origin = Some("https://evil.test".into());
    let response = browser
        .post(
            "/create",
            &[("mode", "describe"), ("topic", "spring"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(generation_count(&app).await, 0);
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let app = web_only().await;
    let mut browser = Browser::new(&app);
    let response = browser.get("/create?mode=custom").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in?next=/create%3Fmode%3Dcustom");
    let response = browser
        .post("/create", &[("mode", "describe"), ("topic", "spring")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = browser
        .get(&format!("/songs/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(generation_count(&app).await, 0);
}

#[tokio::test]
async fn the_same_form_sent_twice_makes_one_song_and_one_charge() {
    let app = web_only().await;
    let (_, mut browser) = signed_in(&app, "ada@example.com", None).await;
    let html = browser.get("/create").await.text().await.unwrap();
    let key = html
        .split("name=\"request_key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(!key.is_empty());
    let csrf = browser.csrf_of("/create").await;
    let fields = [
        ("mode", "describe"),
        ("topic", "a song about spring"),
        ("request_key", key.as_str()),
        ("csrf", csrf.as_str()),
    ];
    // A double click: the second answer leads to the first one's song.
    let first = song_id(&browser.post("/create", &fields).await);
    let second = song_id(&browser.post("/create", &fields).await);
    assert_eq!(first, second);
    let (songs, reservations): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM generations),
                (SELECT count(*) FROM ledger WHERE kind = 'reserve')",
    )
    .fetch_one(app.env.db.pool())
    .await
    .unwrap();
    assert_eq!((songs, reservations), (1, 1));
    // A new visit to the page is a new request.
    let again = create(&mut browser, &[("mode", "describe"), ("topic", "more")]).await;
    assert_ne!(song_id(&again), first);
}
