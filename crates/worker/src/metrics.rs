//! What the worker counts as it talks to the upstream.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    pub outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CallLabel {
    pub call: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    pub kind: &'static str,
}

pub struct Metrics {
    /// Submissions by outcome: accepted, retry, refused, unknown.
    pub submits: Family<OutcomeLabel, Counter>,
    pub polls: Counter,
    pub ids_per_poll: Histogram,
    /// Seconds per upstream call, by call (submit, poll).
    pub upstream_latency: Family<CallLabel, Histogram>,
    /// Upstream errors by kind (rate_limited, server_error, …).
    pub upstream_errors: Family<KindLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics {
            submits: Family::default(),
            polls: Counter::default(),
            ids_per_poll: Histogram::new([1.0, 5.0, 10.0, 15.0, 20.0, 24.0, 25.0]),
            upstream_latency: Family::new_with_constructor(|| {
                Histogram::new([0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0])
            }),
            upstream_errors: Family::default(),
        }
    }
}

impl Metrics {
    pub fn submit(&self, outcome: &'static str) {
        self.submits.get_or_create(&OutcomeLabel { outcome }).inc();
    }

    pub fn upstream_error(&self, kind: &'static str) {
        self.upstream_errors
            .get_or_create(&KindLabel { kind })
            .inc();
    }

    pub fn latency(&self, call: &'static str, seconds: f64) {
        self.upstream_latency
            .get_or_create(&CallLabel { call })
            .observe(seconds);
    }

    /// Adds the worker's own metrics (clones share their values) to a
    /// scrape's registry.
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "chorus_submits",
            "Upstream submissions by outcome",
            self.submits.clone(),
        );
        registry.register("chorus_polls", "Upstream poll requests", self.polls.clone());
        registry.register(
            "chorus_ids_per_poll",
            "Task ids per poll request",
            self.ids_per_poll.clone(),
        );
        registry.register(
            "chorus_upstream_latency_seconds",
            "Upstream call latency",
            self.upstream_latency.clone(),
        );
        registry.register(
            "chorus_upstream_errors",
            "Upstream errors by kind",
            self.upstream_errors.clone(),
        );
    }
}
