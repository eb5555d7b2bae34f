//! Seeds a scratch database with many finished songs, spread over a year and
//! many members, a third of them published, two clips each.

use chorus_core::accounts::{NewUser, Role, create_user};
use sqlx::PgPool;
use uuid::Uuid;

pub const PASSWORD: &str = "bench-password-1";

/// Returns the member the benchmark signs in as (one of `members`).
pub async fn seed(pool: &PgPool, generations: i64, members: i64) -> anyhow::Result<(Uuid, String)> {
    let email = "bench@chorus.invalid".to_owned();
    let user = create_user(
        pool,
        NewUser {
            email: email.clone(),
            password: PASSWORD.into(),
            role: Role::Member,
            monthly_budget: None,
        },
    )
    .await?;
    sqlx::query(
        "INSERT INTO users (id, email, password_hash)
         SELECT gen_random_uuid(), 'member' || i || '@chorus.invalid', '!'
         FROM generate_series(2, $1) AS i",
    )
    .bind(members)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO generations (id, user_id, mode, tags, lyrics, title, status, price_micros,
                                  billing_month, billing_day, task_id, created_at, updated_at, submitted_at,
                                  finished_at, published_at, next_attempt_at)
         SELECT gen_random_uuid(), members.ids[1 + i % cardinality(members.ids)], 'custom',
                'pop, dream pop, bench ' || (i % 50), '[Verse]' || chr(10) || 'la la la song ' || i,
                'Song ' || i, 'completed', 35000, date_trunc('month', at)::date, at::date, 'task-' || i,
                at, at, at, at, CASE WHEN i % 3 = 0 THEN at END, at
         FROM generate_series(1, $1) AS i,
              LATERAL (SELECT now() - make_interval(secs => i * 31536000.0 / $1) AS at) AS t,
              (SELECT array_agg(id ORDER BY id) AS ids FROM users) AS members",
    )
    .bind(generations)
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO clips (id, generation_id, batch_index, status, title, duration_s, audio_url, image_url)
         SELECT g.id || '-' || b, g.id, b, 'complete', g.title, 149,
                'https://cdn.invalid/' || g.id || '-' || b || '.mp3',
                'https://cdn.invalid/' || g.id || '-' || b || '.jpeg'
         FROM generations g, generate_series(0, 1) AS b",
    )
    .execute(pool)
    .await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok((user.id, email))
}
