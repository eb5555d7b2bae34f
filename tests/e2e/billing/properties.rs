//! Random sequences of everything that moves money or changes a budget,
//! run through the real core functions against a real database and checked
//! against a model: every request is accepted or refused exactly as the
//! budgets of the moment say, no budget is exceeded by a request, a price
//! change applies only to later requests, and afterwards the rollup, the
//! totals and the dashboards all equal the ledger.
//!
//! The seed is printed; `CHORUS_BILLING_SEED=<n>` replays one sequence.

use chorus_core::Micros;
use chorus_core::billing::refund::{RefundError, refund_generation};
use chorus_core::billing::settings::{set_member_budget, set_team_cap};
use chorus_core::billing::{BudgetKind, zone};
use chorus_core::generations::CreateError;
use chorus_core::upstream::TaskStatus;
use uuid::Uuid;

use super::consistency::assert_derived_money_matches_ledger;
use super::dashboards::assert_dashboards_match_ledger;
use super::driver::Driver;

const STEPS: usize = 90;
const PRICES: [i64; 3] = [20_000, 35_000, 50_000];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    InFlight,
    Completed,
    Failed,
    Released,
}

#[derive(Debug)]
struct Song {
    id: Uuid,
    member: usize,
    price: i64,
    state: State,
    refunded: i64,
}

impl Song {
    /// What it adds to spent + reserved.
    fn used(&self) -> i64 {
        match self.state {
            State::Pending | State::InFlight => self.price,
            State::Completed => self.price - self.refunded,
            State::Failed | State::Released => 0,
        }
    }
}

struct Model {
    members: Vec<Uuid>,
    budgets: Vec<Option<i64>>,
    cap: Option<i64>,
    price: i64,
    songs: Vec<Song>,
    /// Requests refused by the team's cap and by members' budgets.
    refused: (usize, usize),
    refunds: usize,
}

impl Model {
    fn used_by(&self, member: usize) -> i64 {
        self.songs
            .iter()
            .filter(|s| s.member == member)
            .map(Song::used)
            .sum()
    }

    fn team_used(&self) -> i64 {
        self.songs.iter().map(Song::used).sum()
    }

    fn pick(&self, rng: &mut fastrand::Rng, state: State) -> Option<usize> {
        let found: Vec<usize> = (0..self.songs.len())
            .filter(|i| self.songs[*i].state == state)
            .collect();
        (!found.is_empty()).then(|| found[rng.usize(..found.len())])
    }
}

fn some_budget(rng: &mut fastrand::Rng, prices: i64) -> Option<i64> {
    (rng.u8(..4) > 0).then(|| rng.i64(0..=prices * 35_000))
}

#[tokio::test]
async fn random_sequences_keep_budgets_and_the_ledger_agrees_with_everything() {
    let seeds: Vec<u64> = match std::env::var("CHORUS_BILLING_SEED") {
        Ok(seed) => vec![seed.parse().unwrap()],
        Err(_) => (0..3).map(|_| fastrand::u64(..)).collect(),
    };
    for seed in seeds {
        eprintln!("billing sequence seed {seed} (replay with CHORUS_BILLING_SEED={seed})");
        run(seed).await;
    }
}

async fn run(seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let driver = Driver::new().await;
    let admin = driver.user("admin", true, None).await;
    let mut model = Model {
        members: Vec::new(),
        budgets: Vec::new(),
        cap: some_budget(&mut rng, 30),
        price: 35_000,
        songs: Vec::new(),
        refused: (0, 0),
        refunds: 0,
    };
    set_team_cap(driver.pool(), admin, model.cap.map(Micros), None)
        .await
        .unwrap();
    for name in ["ada", "bob", "cy"] {
        let budget = some_budget(&mut rng, 12);
        model
            .members
            .push(driver.user(name, false, budget.map(Micros)).await);
        model.budgets.push(budget);
    }

    for step in 0..STEPS {
        let what = rng.u8(..20);
        let context = format!("seed {seed}, step {step}, action {what}");
        match what {
            0..=6 => create(&driver, &mut model, &mut rng, &context).await,
            7..=9 => {
                if let Some(i) = model.pick(&mut rng, State::Pending) {
                    driver.accept(model.songs[i].id).await;
                    model.songs[i].state = State::InFlight;
                }
            }
            10 => {
                if let Some(i) = model.pick(&mut rng, State::Pending) {
                    driver.refuse(model.songs[i].id).await;
                    model.songs[i].state = State::Released;
                }
            }
            11 => {
                if let Some(i) = model.pick(&mut rng, State::InFlight) {
                    driver.report(model.songs[i].id, TaskStatus::Failed).await;
                    model.songs[i].state = State::Failed;
                }
            }
            12..=14 => {
                if let Some(i) = model.pick(&mut rng, State::InFlight) {
                    driver
                        .report(model.songs[i].id, TaskStatus::Completed)
                        .await;
                    model.songs[i].state = State::Completed;
                }
            }
            15 | 16 => refund(&driver, &mut model, &mut rng, admin, &context).await,
            17 => {
                let member = rng.usize(..model.members.len());
                let budget = some_budget(&mut rng, 12);
                set_member_budget(
                    driver.pool(),
                    admin,
                    model.members[member],
                    budget.map(Micros),
                    None,
                )
                .await
                .unwrap();
                model.budgets[member] = budget;
            }
            18 => {
                let cap = some_budget(&mut rng, 30);
                set_team_cap(driver.pool(), admin, cap.map(Micros), None)
                    .await
                    .unwrap();
                model.cap = cap;
            }
            _ => model.price = PRICES[rng.usize(..PRICES.len())],
        }
        for (member, id) in model.members.iter().enumerate() {
            let usage = chorus_core::billing::usage_of(driver.pool(), *id, month(&driver).await)
                .await
                .unwrap();
            assert_eq!(
                usage.spent_micros + usage.reserved_micros,
                model.used_by(member),
                "{context}: member {member}'s totals"
            );
        }
    }

    // Every movement was at its song's own price, whatever the price later became.
    for song in &model.songs {
        let (stored, moved): (i64, Vec<(String, i64)>) = (
            sqlx::query_scalar("SELECT price_micros FROM generations WHERE id = $1")
                .bind(song.id)
                .fetch_one(driver.pool())
                .await
                .unwrap(),
            sqlx::query_as(
                "SELECT kind, amount_micros FROM ledger WHERE generation_id = $1 AND created_by IS NULL",
            )
            .bind(song.id)
            .fetch_all(driver.pool())
            .await
            .unwrap(),
        );
        assert_eq!(stored, song.price, "seed {seed}: {song:?}");
        for (kind, amount) in moved {
            assert_eq!(amount.abs(), song.price, "seed {seed}: {kind} of {song:?}");
        }
    }
    assert_derived_money_matches_ledger(driver.pool()).await;
    assert_dashboards_match_ledger(driver.pool(), month(&driver).await).await;
    eprintln!(
        "seed {seed}: {} requests accepted, {} refused by the team cap, {} by a member's budget, {} refunds by hand",
        model.songs.len(),
        model.refused.0,
        model.refused.1,
        model.refunds
    );
}

async fn month(driver: &Driver) -> time::Date {
    zone::this_month(driver.pool(), &driver.zone).await.unwrap()
}

async fn create(driver: &Driver, model: &mut Model, rng: &mut fastrand::Rng, context: &str) {
    let member = rng.usize(..model.members.len());
    let price = model.price;
    let team_fits = model.cap.is_none_or(|cap| model.team_used() + price <= cap);
    let member_fits = model.budgets[member].is_none_or(|b| model.used_by(member) + price <= b);
    let expected = match (team_fits, member_fits) {
        (false, _) => Some(BudgetKind::Team),
        (true, false) => Some(BudgetKind::Member),
        (true, true) => None,
    };
    match (
        driver.create(model.members[member], Micros(price)).await,
        expected,
    ) {
        (Ok(created), None) => {
            assert_eq!(created.ticket.price_micros, price, "{context}");
            model.songs.push(Song {
                id: created.ticket.id,
                member,
                price,
                state: State::Pending,
                refunded: 0,
            });
            // No budget is exceeded by a request it let through.
            if let Some(cap) = model.cap {
                assert!(model.team_used() <= cap, "{context}: team cap exceeded");
            }
            if let Some(budget) = model.budgets[member] {
                assert!(
                    model.used_by(member) <= budget,
                    "{context}: budget exceeded"
                );
            }
        }
        (
            Err(CreateError::OverBudget {
                budget, resets_on, ..
            }),
            Some(kind),
        ) => {
            assert_eq!(budget, kind, "{context}");
            match kind {
                BudgetKind::Team => model.refused.0 += 1,
                BudgetKind::Member => model.refused.1 += 1,
            }
            assert_eq!(
                resets_on,
                zone::next_month(month(driver).await),
                "{context}"
            );
        }
        (outcome, expected) => panic!("{context}: expected {expected:?}, got {outcome:?}"),
    }
}

async fn refund(
    driver: &Driver,
    model: &mut Model,
    rng: &mut fastrand::Rng,
    admin: Uuid,
    context: &str,
) {
    let Some(i) = model.pick(rng, State::Completed) else {
        // Only a completed song can be refunded by hand.
        if let Some(i) = model.pick(rng, State::Failed) {
            let refused =
                refund_generation(driver.pool(), admin, model.songs[i].id, None, "again?").await;
            assert!(
                matches!(refused, Err(RefundError::NotCompleted { .. })),
                "{context}: {refused:?}"
            );
        }
        return;
    };
    let song = &mut model.songs[i];
    let left = song.price - song.refunded;
    let amount = match rng.u8(..3) {
        0 => None,
        1 if left > 0 => Some(rng.i64(1..=left)),
        _ => Some(left + 1),
    };
    let outcome = refund_generation(
        driver.pool(),
        admin,
        song.id,
        amount.map(Micros),
        "sounded wrong",
    )
    .await;
    match (outcome, amount) {
        (Ok(done), _) if left > 0 && amount.is_none_or(|a| a <= left) => {
            assert_eq!(done.amount, Micros(amount.unwrap_or(left)), "{context}");
            song.refunded += done.amount.as_i64();
            model.refunds += 1;
            assert_eq!(done.left, Micros(song.price - song.refunded), "{context}");
        }
        (Err(RefundError::NothingLeft), _) if left == 0 => {}
        (Err(RefundError::TooMuch { refundable }), Some(a)) if a > left => {
            assert_eq!(refundable, Micros(left), "{context}");
        }
        (outcome, _) => panic!("{context}: refund of {amount:?} with {left} left gave {outcome:?}"),
    }
}
