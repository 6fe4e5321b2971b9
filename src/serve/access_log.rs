//! The access log: one JSON object per line for every request (time, client, method, path, status, bytes,
//! milliseconds, user agent) and for the server's own events, to standard error or a file.

use super::AppState;
use axum::body::HttpBody;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{json, Value};
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Where log lines go.
pub struct AccessLog {
    sink: Mutex<Box<dyn Write + Send>>,
}

impl AccessLog {
    /// Appends to `path`, or writes to standard error.
    pub fn open(path: Option<&Path>) -> std::io::Result<AccessLog> {
        let sink: Box<dyn Write + Send> = match path {
            Some(p) => Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)?,
            ),
            None => Box::new(std::io::stderr()),
        };
        Ok(AccessLog {
            sink: Mutex::new(sink),
        })
    }

    /// Writes one event (a JSON object; the time is added).
    pub fn event(&self, mut value: Value) {
        if let Value::Object(m) = &mut value {
            m.insert("time".into(), Value::String(now()));
        }
        let mut line = value.to_string();
        line.push('\n');
        let mut sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        // A log that cannot be written must not take requests down with it.
        let _ = sink.write_all(line.as_bytes());
        let _ = sink.flush();
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The middleware: logs each request when its response head is ready.
pub async fn log(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query_bytes = request.uri().query().map_or(0, str::len);
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.to_string());
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect::<String>());
    let response = next.run(request).await;
    // Known for answers built in memory; a streamed dump logs null.
    let bytes = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .or_else(|| response.body().size_hint().exact());
    state.log.event(json!({
        "event": "request",
        "client": client,
        "method": method,
        "path": path,
        "query_bytes": query_bytes,
        "status": response.status().as_u16(),
        "bytes": bytes,
        "ms": (started.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
        "user_agent": agent,
        "cache": response.headers().get("x-cache").and_then(|v| v.to_str().ok()),
    }));
    response
}
