//! HTTP for `fetch` and `publish`: one way to build a client (TLS verified against the system's roots plus any CA
//! certificate files the user adds, an optional cookie jar, time-outs) and one retry policy (429, 5xx and
//! time-outs retried with exponential backoff, honouring `Retry-After`).

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;
use std::path::PathBuf;
use std::time::Duration;

/// How to build a client.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Limit on one whole request, from connecting to the end of the body.
    pub timeout: Duration,
    /// PEM files of certificates to trust beside the system's roots: a private CA, or an intermediate certificate a
    /// server fails to send (a certificate given here is trusted as an anchor).
    pub ca_certs: Vec<PathBuf>,
    /// Whether to keep cookies between requests (and across the hops of a redirect).
    pub cookies: bool,
}

/// A client could not be built, or a request failed for good.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// A CA certificate file could not be used.
    #[error("{path}: {message}")]
    CaCert {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    /// The request failed after every attempt.
    #[error("{url}: {message} (after {attempts} attempts)")]
    GaveUp {
        /// The URL.
        url: String,
        /// The last failure.
        message: String,
        /// How many attempts were made.
        attempts: u32,
    },
}

/// Builds a client. TLS certificates are always verified; there is no option to turn that off.
pub fn client(o: &ClientOptions) -> Result<Client, HttpError> {
    // reqwest is built without a default crypto provider; ring is ours. Installing twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut b = Client::builder()
        .user_agent(&o.user_agent)
        .timeout(o.timeout)
        .connect_timeout(o.timeout.min(Duration::from_secs(30)))
        .redirect(reqwest::redirect::Policy::limited(10))
        .cookie_store(o.cookies);
    let mut certs = Vec::new();
    for path in &o.ca_certs {
        let bytes = std::fs::read(path).map_err(|e| HttpError::CaCert {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let found =
            reqwest::Certificate::from_pem_bundle(&bytes).map_err(|e| HttpError::CaCert {
                path: path.clone(),
                message: format!("not a PEM certificate file ({e})"),
            })?;
        if found.is_empty() {
            return Err(HttpError::CaCert {
                path: path.clone(),
                message: "holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into(),
            });
        }
        certs.extend(found);
    }
    if !certs.is_empty() {
        b = b.tls_certs_merge(certs);
    }
    b.build().map_err(|e| HttpError::Client(chain(&e)))
}

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Retries after the first attempt.
    pub retries: u32,
    /// Wait before the first retry; doubled for each next one.
    pub backoff: Duration,
    /// Longest wait between attempts, also for a server's `Retry-After`.
    pub max_backoff: Duration,
}

impl Retry {
    /// The wait before retry number `n` (1-based): the server's `Retry-After` when it gave one, else the backoff
    /// doubled `n - 1` times; never more than `max_backoff`.
    pub fn wait(&self, n: u32, retry_after: Option<Duration>) -> Duration {
        let doubled = self
            .backoff
            .saturating_mul(1u32.checked_shl(n.saturating_sub(1)).unwrap_or(u32::MAX));
        retry_after.unwrap_or(doubled).min(self.max_backoff)
    }
}

/// Whether a status is worth another attempt: too many requests, or the server failing for now.
pub fn is_transient(s: StatusCode) -> bool {
    s == StatusCode::TOO_MANY_REQUESTS
        || s == StatusCode::REQUEST_TIMEOUT
        || matches!(s.as_u16(), 500 | 502 | 503 | 504)
}

/// The `Retry-After` of a response, in seconds or as an HTTP date.
pub fn retry_after(r: &Response) -> Option<Duration> {
    let v = r
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    if let Ok(s) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v.trim()).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_milliseconds();
    Some(Duration::from_millis(secs.max(0) as u64))
}

/// Sends a request, retrying time-outs, connection failures and transient statuses by `retry`. `make` builds the
/// request afresh for each attempt. `on_retry` hears why each retry happens. Any other status is returned for the
/// caller to judge; after the last attempt the last failure is the error.
pub fn send(
    url: &str,
    make: impl Fn() -> RequestBuilder,
    retry: &Retry,
    mut on_retry: impl FnMut(&str, Duration),
) -> Result<Response, HttpError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (message, after) = match make().send() {
            Ok(r) if !is_transient(r.status()) => return Ok(r),
            Ok(r) => (format!("HTTP {}", r.status()), retry_after(&r)),
            Err(e) => (describe(&e), None),
        };
        if attempt > retry.retries {
            return Err(HttpError::GaveUp {
                url: url.to_string(),
                message,
                attempts: attempt,
            });
        }
        let wait = retry.wait(attempt, after);
        on_retry(&message, wait);
        std::thread::sleep(wait);
    }
}

/// A one-line account of a request error, with its causes (reqwest's own message is often only "error sending
/// request").
pub fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_redirect() {
        "too many redirects"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        ""
    };
    let detail = chain(e);
    if kind.is_empty() {
        detail
    } else {
        format!("{kind}: {detail}")
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cause = c.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_its_ceiling() {
        let r = Retry {
            retries: 5,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(3),
        };
        let waits: Vec<u128> = (1..=5).map(|n| r.wait(n, None).as_millis()).collect();
        assert_eq!(waits, [500, 1000, 2000, 3000, 3000]);
        assert_eq!(
            r.wait(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            r.wait(1, Some(Duration::from_secs(600))),
            Duration::from_secs(3)
        );
        assert_eq!(r.wait(40, None), Duration::from_secs(3));
    }

    #[test]
    fn a_ca_file_without_certificates_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("ca.pem");
        std::fs::write(&f, "not a certificate\n").unwrap();
        let o = ClientOptions {
            user_agent: "t".into(),
            timeout: Duration::from_secs(1),
            ca_certs: vec![f.clone()],
            cookies: false,
        };
        let e = client(&o).unwrap_err().to_string();
        assert!(e.starts_with(&f.display().to_string()), "{e}");
        let o = ClientOptions {
            ca_certs: vec![dir.path().join("missing.pem")],
            ..o
        };
        assert!(client(&o).unwrap_err().to_string().contains("missing.pem"));
    }
}
