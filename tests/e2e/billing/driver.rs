//! Drives money through the real core functions, one step at a time, the
//! way the web app and the worker do, without the HTTP or the queue.

use std::collections::HashSet;
use std::time::Duration;

use chorus_core::Micros;
use chorus_core::billing::BillingZone;
use chorus_core::generations::submit::{self, Holder};
use chorus_core::generations::{
    CreateError, Created, Request, SongInput, Terms, create_generation, poll,
};
use chorus_core::upstream::{TaskId, TaskReport, TaskStatus};
use chorus_testkit::TestDb;
use sqlx::PgPool;
use uuid::Uuid;

pub const WORKER: &str = "test-worker";

pub struct Driver {
    pub db: TestDb,
    pub zone: BillingZone,
}

impl Driver {
    pub async fn new() -> Driver {
        chorus_testkit::init();
        Driver {
            db: TestDb::migrated().await,
            zone: BillingZone::utc(),
        }
    }

    pub fn pool(&self) -> &PgPool {
        self.db.pool()
    }

    /// A user without a password (these tests never sign in).
    pub async fn user(&self, name: &str, admin: bool, budget: Option<Micros>) -> Uuid {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, monthly_budget_micros)
             VALUES ($1, $2, '!', $3, $4)",
        )
        .bind(id)
        .bind(format!("{name}@example.com"))
        .bind(if admin { "admin" } else { "member" })
        .bind(budget.map(Micros::as_i64))
        .execute(self.pool())
        .await
        .unwrap();
        id
    }

    pub async fn create(&self, user_id: Uuid, price: Micros) -> Result<Created, CreateError> {
        let input = SongInput::Describe {
            topic: format!("song {}", Uuid::now_v7().simple()),
            instrumental: true,
        };
        let terms = Terms {
            price,
            zone: &self.zone,
        };
        create_generation(
            self.pool(),
            user_id,
            Request {
                input: &input,
                key: None,
            },
            terms,
        )
        .await
    }

    /// The upstream accepts it: charged, then in flight (due for a poll now).
    pub async fn accept(&self, id: Uuid) {
        let claimed = submit::claim(self.pool(), id, WORKER, Duration::from_secs(600))
            .await
            .unwrap()
            .expect("a pending generation");
        let task = format!("task-{}", id.simple());
        assert!(
            submit::accepted(self.pool(), &claimed, WORKER, &task, Duration::ZERO)
                .await
                .unwrap()
        );
    }

    /// The upstream refuses it for good: the reservation is released.
    pub async fn refuse(&self, id: Uuid) {
        let claimed = submit::claim(self.pool(), id, WORKER, Duration::from_secs(600))
            .await
            .unwrap()
            .expect("a pending generation");
        let gave_up = submit::give_up(
            self.pool(),
            &claimed.ticket,
            Holder::Worker(WORKER),
            "refused upstream",
            false,
        )
        .await
        .unwrap();
        assert!(gave_up);
    }

    /// A poll reports the in-flight generation `id` as `status`; every
    /// other claimed one is handed back unchanged.
    pub async fn report(&self, id: Uuid, status: TaskStatus) {
        let claimed = poll::claim_due(
            self.pool(),
            WORKER,
            Duration::from_secs(600),
            10_000,
            Duration::ZERO,
        )
        .await
        .unwrap();
        let (mine, others): (Vec<_>, Vec<_>) = claimed.into_iter().partition(|t| t.id == id);
        let ticket = mine.first().expect("an in-flight generation, due");
        let failed = status == TaskStatus::Failed;
        let report = TaskReport {
            task_id: TaskId::new(ticket.task_id.clone().unwrap_or_default()),
            status,
            clip_ids: vec![],
            clips: vec![],
            failure_reason: failed.then(|| "the upstream failed".to_owned()),
            updated_at: None,
        };
        let recorded = poll::apply_reports(
            self.pool(),
            WORKER,
            &[(ticket, &report)],
            &HashSet::new(),
            Duration::from_secs(360),
            |_| Duration::ZERO,
        )
        .await
        .unwrap();
        assert_eq!(recorded.changes.len(), 1, "{recorded:?}");
        let others: Vec<Uuid> = others.iter().map(|t| t.id).collect();
        poll::reschedule(self.pool(), WORKER, &others, Duration::ZERO)
            .await
            .unwrap();
    }
}
