//! Request metrics in the Prometheus text format (`GET /metrics`).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// (method, route template, status) → (count, total seconds).
type RequestSeries = BTreeMap<(String, String, u16), (u64, f64)>;

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<RequestSeries>,
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

    pub fn render(&self, pool_connections: u32, pool_idle: u32) -> String {
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
        out
    }
}
