//! Structured logging through `tracing`, with a redaction layer between the formatter and
//! the output: whatever a log line contains, known secret shapes (credential secrets,
//! webhook signing secrets, bearer tokens and JWTs, LPA activation codes, password and token
//! fields) are replaced with `[REDACTED]` before a byte leaves the process.

use std::io::{self, Write};
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

fn patterns() -> &'static [(Regex, &'static str)] {
    static P: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    P.get_or_init(|| {
        [
            (r"onyx_sk_(test|live)_[A-Za-z0-9]+", "onyx_sk_${1}_[REDACTED]"),
            (r"onyx_(inv|adm)_[A-Za-z0-9]+", "onyx_${1}_[REDACTED]"),
            (r"whsec_[A-Za-z0-9+/=]+", "whsec_[REDACTED]"),
            (r"(?i)bearer\s+[A-Za-z0-9\-._~+/]+=*", "Bearer [REDACTED]"),
            (r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", "[REDACTED_JWT]"),
            (r#"(?i)LPA:1\$[^\s"',}]+"#, "LPA:1$$[REDACTED]"),
            (
                r#"(?i)("?(?:password|client_secret|secret|access_token|token|confirmation_code|matching_id|activation_code)"?\s*[:=]\s*"?)[^",\s}]+"#,
                "${1}[REDACTED]",
            ),
        ]
        .into_iter()
        .map(|(re, rep)| (Regex::new(re).expect("redaction pattern"), rep))
        .collect()
    })
}

/// Returns `line` with every known secret shape replaced.
pub fn redact(line: &str) -> String {
    let mut out = line.to_string();
    for (re, rep) in patterns() {
        if re.is_match(&out) {
            out = re.replace_all(&out, *rep).into_owned();
        }
    }
    out
}

/// A `MakeWriter` that redacts each formatted event before handing it to `inner`.
#[derive(Clone)]
pub struct Redacting<M> {
    inner: M,
}

impl<M> Redacting<M> {
    pub fn new(inner: M) -> Self {
        Redacting { inner }
    }
}

pub struct RedactingWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let text = String::from_utf8_lossy(&self.buf);
            self.inner.write_all(redact(&text).as_bytes())?;
            self.buf.clear();
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            inner: self.inner.make_writer(),
            buf: Vec::new(),
        }
    }
}

/// An in-memory log sink (tests read everything the service logged).
#[derive(Clone, Default)]
pub struct MemorySink(Arc<Mutex<Vec<u8>>>);

impl MemorySink {
    pub fn contents(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

pub struct MemoryWriter(Arc<Mutex<Vec<u8>>>);

impl Write for MemoryWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for MemorySink {
    type Writer = MemoryWriter;
    fn make_writer(&'a self) -> MemoryWriter {
        MemoryWriter(Arc::clone(&self.0))
    }
}

/// Installs the global subscriber writing (redacted) to `writer`. Returns false when a
/// subscriber was already installed.
pub fn init<M>(filter: &str, format: LogFormat, writer: M) -> bool
where
    M: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let writer = Redacting::new(writer);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(true);
    match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .finish()
            .with(ClientFaults)
            .try_init()
            .is_ok(),
        LogFormat::Pretty => builder.finish().with(ClientFaults).try_init().is_ok(),
    }
}

/// The HTTP server logs a client's malformed request or dropped connection as an ERROR
/// ("stream error: …" of `actix_http::h1::dispatcher`). Those are client faults: this layer
/// drops that event and logs it again at debug under `onyx::http`.
struct ClientFaults;

const DISPATCHER: &str = "actix_http::h1::dispatcher";

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ClientFaults {
    fn event_enabled(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) -> bool {
        let meta = event.metadata();
        if meta.target() != DISPATCHER || *meta.level() != tracing::Level::ERROR {
            return true;
        }
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0 = format!("{value:?}");
                }
            }
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        match message.0.strip_prefix("stream error: ") {
            Some(cause) => {
                tracing::debug!(target: "onyx::http", cause, "a client sent malformed HTTP or dropped its connection");
                false
            }
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn known_secret_shapes_are_redacted() {
        let cases = [
            ("secret onyx_sk_test_abcDEF123", "abcDEF123"),
            ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
            (
                "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
                "eyJzdWIiOiJ4In0",
            ),
            ("code LPA:1$smdp.example$MATCH-1234", "MATCH-1234"),
            (r#"{"password":"hunter22"}"#, "hunter22"),
            ("whsec_c2VjcmV0", "c2VjcmV0"),
        ];
        for (input, secret) in cases {
            let out = redact(input);
            assert!(!out.contains(secret), "{input} -> {out}");
            assert!(out.contains("REDACTED"), "{input} -> {out}");
        }
        assert_eq!(redact("plain text"), "plain text");
    }
}
