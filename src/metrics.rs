//! Request metrics in the Prometheus text format (`GET /metrics`).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// (method, route template, status) → (count, total seconds).
type RequestSeries = BTreeMap<(String, String, u16), (u64, f64)>;

/// Upper bounds (seconds) of the event-to-delivery latency histogram.
pub const DELIVERY_BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
];

/// One background queue's state, read from the database when metrics are scraped.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueStat {
    /// `provisioning` or `webhooks`.
    pub kind: &'static str,
    /// Jobs due now and not claimed.
    pub due: i64,
    /// Jobs claimed and running (a live lease).
    pub running: i64,
    /// Jobs in their terminal state after failing inside the service.
    pub dead: i64,
    /// Seconds since the oldest unclaimed due job became due (0 when none).
    pub oldest_due_age_seconds: f64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<RequestSeries>,
    /// (job kind, outcome) → count.
    job_outcomes: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    /// Event-to-delivery latency of successful webhook deliveries: bucket counts, sum, count.
    delivery_latency: Mutex<([u64; DELIVERY_BUCKETS.len()], f64, u64)>,
}

impl Metrics {
    /// Records one finished request; `route` is the matched template, never the raw path,
    /// so ids do not explode the label set.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut map = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map
            .entry((method.to_string(), route.to_string(), status))
            .or_insert((0, 0.0));
        entry.0 += 1;
        entry.1 += seconds;
    }

    /// Counts one finished job of `kind` by its outcome (e.g. `succeeded`, `failed`,
    /// `dropped`, `error`).
    pub fn job_outcome(&self, kind: &'static str, outcome: &'static str) {
        let mut map = self.job_outcomes.lock().unwrap_or_else(|p| p.into_inner());
        *map.entry((kind, outcome)).or_insert(0) += 1;
    }

    /// Records the time from an event to its successful delivery.
    pub fn delivery_latency(&self, seconds: f64) {
        let mut h = self
            .delivery_latency
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        for (i, bound) in DELIVERY_BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.0[i] += 1;
            }
        }
        h.1 += seconds.max(0.0);
        h.2 += 1;
    }

    /// The job metrics: queues (from the database), outcomes and the delivery histogram.
    pub fn render_jobs(&self, queues: &[QueueStat]) -> String {
        let mut out = String::new();
        let gauge =
            |out: &mut String, name: &str, help: &str, value: &dyn Fn(&QueueStat) -> String| {
                let _ = writeln!(out, "# HELP {name} {help}");
                let _ = writeln!(out, "# TYPE {name} gauge");
                for q in queues {
                    let _ = writeln!(out, "{name}{{kind=\"{}\"}} {}", q.kind, value(q));
                }
            };
        gauge(
            &mut out,
            "onyx_jobs_due",
            "Background jobs due and not claimed.",
            &|q| q.due.to_string(),
        );
        gauge(
            &mut out,
            "onyx_jobs_running",
            "Background jobs claimed and running.",
            &|q| q.running.to_string(),
        );
        gauge(
            &mut out,
            "onyx_jobs_dead",
            "Background jobs stopped after failing too often.",
            &|q| q.dead.to_string(),
        );
        gauge(
            &mut out,
            "onyx_jobs_oldest_due_age_seconds",
            "Age of the oldest due, unclaimed job.",
            &|q| format!("{:.3}", q.oldest_due_age_seconds),
        );
        out.push_str("# HELP onyx_job_outcomes_total Finished background jobs by outcome.\n");
        out.push_str("# TYPE onyx_job_outcomes_total counter\n");
        for ((kind, outcome), n) in self
            .job_outcomes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "onyx_job_outcomes_total{{kind=\"{kind}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        let h = self
            .delivery_latency
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        out.push_str("# HELP onyx_webhook_delivery_latency_seconds Time from an event to its successful delivery.\n");
        out.push_str("# TYPE onyx_webhook_delivery_latency_seconds histogram\n");
        for (i, bound) in DELIVERY_BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "onyx_webhook_delivery_latency_seconds_bucket{{le=\"{bound}\"}} {}",
                h.0[i]
            );
        }
        let _ = writeln!(
            out,
            "onyx_webhook_delivery_latency_seconds_bucket{{le=\"+Inf\"}} {}",
            h.2
        );
        let _ = writeln!(out, "onyx_webhook_delivery_latency_seconds_sum {:.6}", h.1);
        let _ = writeln!(out, "onyx_webhook_delivery_latency_seconds_count {}", h.2);
        out
    }

    pub fn render(
        &self,
        pool_connections: u32,
        pool_idle: u32,
        statements: u64,
        (writes, commits): (u64, u64),
    ) -> String {
        let map = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        out.push_str("# HELP onyx_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE onyx_http_requests_total counter\n");
        for ((m, r, s), (count, _)) in map.iter() {
            let _ = writeln!(
                out,
                "onyx_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{s}\"}} {count}"
            );
        }
        out.push_str(
            "# HELP onyx_http_request_duration_seconds_sum Time spent answering requests.\n",
        );
        out.push_str("# TYPE onyx_http_request_duration_seconds_sum counter\n");
        for ((m, r, s), (_, secs)) in map.iter() {
            let _ = writeln!(
                out,
                "onyx_http_request_duration_seconds_sum{{method=\"{m}\",route=\"{r}\",status=\"{s}\"}} {secs:.6}"
            );
        }
        out.push_str("# HELP onyx_db_pool_connections Open database connections.\n");
        out.push_str("# TYPE onyx_db_pool_connections gauge\n");
        let _ = writeln!(out, "onyx_db_pool_connections {pool_connections}");
        out.push_str("# HELP onyx_db_pool_idle_connections Idle database connections.\n");
        out.push_str("# TYPE onyx_db_pool_idle_connections gauge\n");
        let _ = writeln!(out, "onyx_db_pool_idle_connections {pool_idle}");
        out.push_str("# HELP onyx_db_statements_total Statements sent to the database.\n");
        out.push_str("# TYPE onyx_db_statements_total counter\n");
        let _ = writeln!(out, "onyx_db_statements_total {statements}");
        out.push_str("# HELP onyx_db_writes_total Write transactions asked for.\n");
        out.push_str("# TYPE onyx_db_writes_total counter\n");
        let _ = writeln!(out, "onyx_db_writes_total {writes}");
        out.push_str("# HELP onyx_db_commits_total Commits that carried them (on SQLite, writes queued together share one).\n");
        out.push_str("# TYPE onyx_db_commits_total counter\n");
        let _ = writeln!(out, "onyx_db_commits_total {commits}");
        out
    }
}
