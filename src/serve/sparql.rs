//! The SPARQL 1.1 Protocol endpoint at `/sparql`: queries by GET, by POST as a form or as a direct body, and (only
//! when the server was started with `--allow-update` and the request carries the token) updates.
//!
//! Every query goes to a query worker process ([`super::worker`]), which parses it (the project's prefixes
//! predeclared), checks it ([`super::policy`]), evaluates it under a cancellation token that fires at the timeout and
//! builds the answer up to the result cap ([`super::execute`]); a worker that has not answered shortly after the
//! timeout is killed. At most `--max-concurrent-queries` run at once; the others wait, within their timeout, for a
//! slot. The default graph is the store's default graph, which the store keeps equal to the union of all
//! named graphs; `default-graph-uri` and `named-graph-uri` replace the dataset as the protocol says. Answers are
//! cached per store snapshot and carry an `ETag`, so a repeated query costs a lookup and a revalidation costs
//! nothing.

use super::error::ApiError;
use super::execute::{self, JobAnswer, QueryJob};
use super::protocol::set_once;
pub use super::protocol::ProtocolRequest;
use super::worker::{WorkerError, GRACE};
use super::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::CancellationToken;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Instant;

/// `GET /sparql` and `POST /sparql`.
pub async fn endpoint(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let limit = state.options.max_body;
    let body = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::PayloadTooLarge(format!(
                "the request body exceeds the limit of {limit} bytes (--max-body), or could not be read"
            ))
            .into_response()
        }
    };
    match handle(&state, &method, &uri, &headers, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn handle(
    state: &Arc<AppState>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut request = ProtocolRequest::default();
    if let Some(q) = uri.query() {
        request.add_pairs(q.as_bytes())?;
    }
    if *method == Method::POST {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let text = || {
            String::from_utf8(body.to_vec())
                .map_err(|_| ApiError::BadRequest("the request body is not UTF-8 text".to_string()))
        };
        match content_type.as_str() {
            "application/x-www-form-urlencoded" => request.add_pairs(&body)?,
            "application/sparql-query" => set_once(&mut request.query, "query", text()?)?,
            "application/sparql-update" => set_once(&mut request.update, "update", text()?)?,
            "" => {
                return Err(ApiError::UnsupportedMediaType(
                    "a POST needs a Content-Type: application/x-www-form-urlencoded, application/sparql-query \
                     or application/sparql-update"
                        .to_string(),
                ))
            }
            other => {
                return Err(ApiError::UnsupportedMediaType(format!(
                    "Content-Type {other} is not read here; use application/x-www-form-urlencoded, \
                     application/sparql-query or application/sparql-update"
                )))
            }
        }
    } else if request.update.is_some() {
        return Err(ApiError::BadRequest(
            "an update must be sent by POST (SPARQL 1.1 Protocol)".to_string(),
        ));
    }
    match (&request.query, &request.update) {
        (Some(_), Some(_)) => Err(ApiError::BadRequest(
            "give either `query` or `update`, not both".to_string(),
        )),
        (None, None) => {
            let wants_html = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("text/html"));
            if wants_html {
                // A browser opening the endpoint gets the query editor.
                Ok(axum::response::Redirect::to("/ui").into_response())
            } else {
                Err(ApiError::BadRequest(
                    "missing the `query` parameter (SPARQL 1.1 Protocol: ?query=… or a POST)"
                        .to_string(),
                ))
            }
        }
        (Some(_), None) => run_query(state, request, headers).await,
        (None, Some(_)) => super::update::run_update(state, request, headers).await,
    }
}

/// Runs a query request: answer from the cache, or by a worker.
pub async fn run_query(
    state: &Arc<AppState>,
    request: ProtocolRequest,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let limits = state.options.limits;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let snapshot = state.live.snapshot();
    let job = QueryJob {
        query: request.query.unwrap_or_default(),
        default_graphs: request.default_graphs,
        named_graphs: request.named_graphs,
        format: request.format,
        accept,
        generation: snapshot.generation,
        timeout_ms: limits.timeout.as_millis() as u64,
        max_results: limits.max_results,
    };
    let key = format!(
        "{}\u{0}{}\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{}",
        snapshot.generation,
        snapshot.tag,
        job.accept,
        job.format,
        job.default_graphs,
        job.named_graphs,
        job.query
    );
    let etag = etag(&snapshot.tag, &key);
    if if_none_match(headers, &etag) {
        return Ok(not_modified(&etag));
    }
    if let Some((content_type, body)) = state.cache.as_ref().and_then(|c| c.get(&key)) {
        return Ok(answer(body, &content_type, &etag, "hit"));
    }
    let deadline = started + limits.timeout;
    let _permit = match tokio::time::timeout_at(deadline.into(), state.slots.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        Ok(Err(_)) => return Err(ApiError::Internal("the server is shutting down".into())),
        Err(_) => {
            return Err(ApiError::Timeout(format!(
                "no free query slot within the query timeout of {} s (all {} slots busy; --max-concurrent-queries)",
                limits.timeout.as_secs_f32(),
                state.options.max_concurrent_queries
            )))
        }
    };
    let answered = match answer_here_or_in_a_worker(state, &job, deadline).await {
        Ok(a) => a,
        Err(WorkerError::Killed) => return Err(execute::timeout_error(limits.timeout)),
        Err(WorkerError::Failed(message)) => {
            return Err(ApiError::Internal(format!(
                "the query could not be answered: {message}"
            )))
        }
    };
    if answered.status != 200 {
        let status =
            StatusCode::from_u16(answered.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = (status, answered.body).into_response();
        if let Ok(v) = HeaderValue::from_str(&answered.content_type) {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        return Ok(r);
    }
    let body = Bytes::from(answered.body);
    let content_type: Arc<str> = Arc::from(answered.content_type.as_str());
    if let Some(cache) = &state.cache {
        // One answer may take at most an eighth of the cache.
        if (body.len() as u64) <= state.options.cache_bytes / 8 {
            cache.insert(key, (content_type.clone(), body.clone()));
        }
    }
    Ok(answer(body, &content_type, &etag, "miss"))
}

/// Prepares the query here; runs it here when the engine stops it by itself at its timeout
/// ([`policy::is_interruptible`](super::policy::is_interruptible)), else in a query worker that can be killed.
async fn answer_here_or_in_a_worker(
    state: &Arc<AppState>,
    job: &QueryJob,
    deadline: Instant,
) -> Result<JobAnswer, WorkerError> {
    let token = CancellationToken::new();
    let timer = {
        let token = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep_until(deadline.into()).await;
            token.cancel();
        })
    };
    let here = {
        let state = state.clone();
        let job = job.clone();
        tokio::task::spawn_blocking(move || {
            let prepared = match execute::prepare(&job) {
                Ok(p) => p,
                Err(e) => return Some(execute::refused(&e)),
            };
            if !prepared.interruptible {
                return None;
            }
            let snapshot = state.live.snapshot();
            let answer = execute::evaluate(
                &snapshot.store,
                &state.context,
                &job,
                prepared,
                token.clone(),
            );
            if !answer.store_failed {
                return Some(answer);
            }
            // Files vanished under this view (another process compacted): once more on a fresh one.
            let _ = state.live.refresh();
            let prepared = execute::prepare(&job).ok()?;
            Some(execute::evaluate(
                &state.live.snapshot().store,
                &state.context,
                &job,
                prepared,
                token,
            ))
        })
    };
    let outcome = tokio::time::timeout_at((deadline + GRACE).into(), here).await;
    timer.abort();
    match outcome {
        Ok(Ok(Some(answer))) => Ok(answer),
        Ok(Ok(None)) => state.workers.run(job, deadline + GRACE).await,
        Ok(Err(e)) => Err(WorkerError::Failed(format!(
            "the evaluation stopped unexpectedly: {e}"
        ))),
        // The token has fired; an interruptible query is stopping.
        Err(_) => Err(WorkerError::Killed),
    }
}

/// A weak entity tag for an answer: the store snapshot and the request key.
pub fn etag(tag: &str, key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest[..10].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{tag}-{hex}\"")
}

/// Whether `If-None-Match` names the tag.
pub fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag.trim_start_matches("W/")
        })
}

/// `304 Not Modified` with the tag.
pub fn not_modified(etag: &str) -> Response {
    let mut r = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(v) = HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

fn answer(body: Bytes, content_type: &str, etag: &str, cache: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    if let Ok(v) = HeaderValue::from_str(cache) {
        h.insert("x-cache", v);
    }
    r
}
