//! Stage after the store: `akimat-kg serve`, the graph over HTTP for analysts and linked-data consumers.
//!
//! Input: a store folder and [`ServeOptions`]. Output: an HTTP server (axum on tokio) with
//! - the SPARQL 1.1 Protocol at `/sparql` ([`sparql`], [`update`]), guarded by [`policy`] and by the limits;
//! - the Graph Store Protocol (read) at `/store` and streamed dumps at `/dump.<ext>` ([`graph_store`]);
//! - linked data: every IRI under the base answers at its path, as HTML for a browser and as RDF in the format
//!   asked for, JSON-LD compacted against `/context.jsonld` ([`resource`], [`pages`], [`jsonld`], [`encode`]);
//!   the ontology and the SKOS schemes at their namespace paths ([`vocabulary`]);
//! - a VoID and DCAT description at `/.well-known/void` ([`void`]), the query editor at `/ui` ([`ui`]), the
//!   competence map at `/map`, `/health`.
//!
//! The store is opened read-only and followed while another process ingests ([`live`]). Requests are logged as
//! JSON lines ([`access_log`]); the server stops gracefully on SIGTERM or Ctrl-C.

pub mod access_log;
pub mod encode;
pub mod error;
pub mod execute;
pub mod graph_store;
pub mod jsonld;
pub mod live;
pub mod negotiate;
pub mod pages;
pub mod policy;
pub mod protocol;
pub mod resource;
pub mod sparql;
pub mod summary;
pub mod ui;
pub mod update;
pub mod view;
pub mod vocabulary;
pub mod void;
pub mod worker;

use crate::rdf::iri::Base;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use error::ApiError;
use live::LiveStore;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// The `@context` served at `/context.jsonld` (`ontology/context.jsonld`).
pub const CONTEXT: &str = include_str!("../../ontology/context.jsonld");

/// Limits on one query.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A query still running after this long is stopped and answered 503.
    pub timeout: Duration,
    /// A query whose results exceed this many rows (or triples) is answered 422.
    pub max_results: usize,
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The store folder.
    pub store: PathBuf,
    /// The base of the IRIs the graph mints; `BASE` + `p` is served at `/p`.
    pub base: Base,
    /// Where to listen.
    pub bind: SocketAddr,
    /// Query limits.
    pub limits: Limits,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Queries evaluated at once; others wait (within their timeout) for a slot.
    pub max_concurrent_queries: usize,
    /// Bytes of answers kept in the cache (0: no cache).
    pub cache_bytes: u64,
    /// Origins allowed by CORS: `*`, a list, or empty for no CORS headers.
    pub cors_origins: Vec<String>,
    /// Whether SPARQL Update is on (opens the store read-write).
    pub allow_update: bool,
    /// The token updates must carry.
    pub update_token: Option<String>,
    /// How often to look for changes made by other processes.
    pub refresh: Duration,
    /// Where the access log goes (`None`: standard error).
    pub access_log: Option<PathBuf>,
    /// The licence IRI the dataset description states.
    pub license: String,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] live::LiveStoreError),
    /// The options do not fit together.
    #[error("{0}")]
    Options(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {cause}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        cause: std::io::Error,
    },
    /// The access log could not be opened.
    #[error("cannot open the access log {path}: {cause}")]
    AccessLog {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// The store was built with another base.
    #[error("{0}")]
    Base(String),
    /// Serving failed.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Everything a request handler reads.
pub struct AppState {
    /// The options the server was started with.
    pub options: ServeOptions,
    /// The store.
    pub live: Arc<LiveStore>,
    /// The JSON-LD context.
    pub context: Arc<jsonld::Context>,
    /// Answers (content type, body) by request key, per store snapshot.
    pub cache: Option<quick_cache::sync::Cache<String, CachedAnswer, ByteWeighter>>,
    /// The query worker processes.
    pub workers: worker::WorkerPool,
    /// Query slots.
    pub slots: Arc<Semaphore>,
    /// Words of the pages.
    pub words: pages::PageWords,
    /// Counts and lists for the home page and the dataset description, per snapshot.
    pub summaries: summary::StoreSummaryCache,
    /// Where requests are logged.
    pub log: access_log::AccessLog,
}

/// Weighs cached answers by their size.
#[derive(Debug, Clone, Copy)]
pub struct ByteWeighter;

/// A cached answer: its content type and body.
pub type CachedAnswer = (Arc<str>, bytes::Bytes);

impl quick_cache::Weighter<String, CachedAnswer> for ByteWeighter {
    fn weight(&self, key: &String, value: &CachedAnswer) -> u64 {
        (key.len() + value.0.len() + value.1.len()) as u64
    }
}

impl AppState {
    /// Opens the store and prepares what requests share.
    pub fn new(options: ServeOptions) -> Result<AppState, ServeError> {
        if options.allow_update && options.update_token.as_deref().is_none_or(str::is_empty) {
            return Err(ServeError::Options(
                "--allow-update needs a token: pass --update-token or set AKIMAT_KG_UPDATE_TOKEN"
                    .into(),
            ));
        }
        let words = pages::PageWords::load().map_err(|e| ServeError::Options(e.to_string()))?;
        resource::check_term_labels().map_err(|e| ServeError::Options(e.to_string()))?;
        let live = LiveStore::open(&options.store, options.allow_update)?;
        check_base(&live, &options.base)?;
        let context = jsonld::Context::parse(CONTEXT, &options.base.iri("context.jsonld"))
            .map_err(|e| ServeError::Options(e.to_string()))?;
        let cache = (options.cache_bytes > 0).then(|| {
            quick_cache::sync::Cache::with_weighter(4096, options.cache_bytes, ByteWeighter)
        });
        let log = access_log::AccessLog::open(options.access_log.as_deref()).map_err(|cause| {
            ServeError::AccessLog {
                path: options.access_log.clone().unwrap_or_default(),
                cause,
            }
        })?;
        let program = std::env::current_exe().map_err(|e| {
            ServeError::Options(format!(
                "cannot find this program to start query workers: {e}"
            ))
        })?;
        let workers = worker::WorkerPool::new(worker::WorkerCommand {
            program,
            store: options.store.clone(),
            base: options.base.iri(""),
        });
        Ok(AppState {
            workers,
            slots: Arc::new(Semaphore::new(options.max_concurrent_queries.max(1))),
            options,
            live: Arc::new(live),
            context: Arc::new(context),
            cache,
            words,
            summaries: summary::StoreSummaryCache::default(),
            log,
        })
    }
}

impl AppState {
    /// Runs a read of the store on a blocking thread. When it fails the way a view does whose files another
    /// process compacted away (or any store error), the store is looked at again and the read runs once more on the
    /// current view.
    pub async fn read<T, F>(self: &Arc<Self>, read: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: Fn(&AppState, &live::Snapshot) -> Result<T, ApiError> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || match read(&state, &state.live.snapshot()) {
            Err(ApiError::StoreFailed(_) | ApiError::Internal(_)) => {
                let _ = state.live.refresh();
                read(&state, &state.live.snapshot())
            }
            other => other,
        })
        .await
        .map_err(|e| ApiError::Internal(format!("a store read stopped unexpectedly: {e}")))?
    }
}

/// A store built with one base cannot be served under another: its IRIs would not be under the paths served.
fn check_base(live: &LiveStore, base: &Base) -> Result<(), ServeError> {
    let snapshot = live.snapshot();
    let store = &snapshot.store;
    let meta = crate::rdf::iri::meta_graph(base);
    let node = oxigraph::model::NamedNode::new_unchecked(&meta);
    let has_meta = store
        .quads_for_pattern(None, None, None, Some(node.as_ref().into()))
        .next()
        .is_some();
    if has_meta {
        return Ok(());
    }
    let others: Vec<String> = store
        .named_graphs()
        .filter_map(Result::ok)
        .map(|g| g.to_string())
        .filter(|g| g.ends_with("graph/meta>"))
        .take(3)
        .collect();
    if others.is_empty() {
        // An empty store (or one without documents yet): nothing to contradict.
        return Ok(());
    }
    Err(ServeError::Base(format!(
        "the store at {} was built with another base (its metadata graph is {}); serve it with the base it was \
         built with (--base or AKIMAT_KG_BASE), since every IRI BASE+p is served at /p",
        live.path().display(),
        others.join(", ")
    )))
}

/// The router: every route of the server, with its layers.
pub fn router(state: Arc<AppState>) -> Router {
    let mut app = Router::new()
        .route("/", get(pages::home))
        .route(
            "/sparql",
            get(sparql::endpoint)
                .post(sparql::endpoint)
                .head(sparql::endpoint),
        )
        .route("/store", get(graph_store::store))
        .route("/ui", get(ui::page))
        .route("/ui/{file}", get(ui::asset))
        .route("/assets/site.css", get(pages::stylesheet))
        .route("/context.jsonld", get(context))
        .route("/.well-known/void", get(void::description))
        .route(
            "/dataset",
            get(|| async { axum::response::Redirect::to("/.well-known/void") }),
        )
        .route("/health", get(health))
        .route("/map", get(pages::competence_map))
        .route("/ontology", get(vocabulary::ontology))
        .route("/competence/", get(vocabulary::competences))
        .route("/legal-form/", get(vocabulary::legal_forms));
    for representation in negotiate::dataset_offers() {
        let ext = representation.extension();
        app = app.route(
            &format!("/dump.{ext}"),
            get(move |state, headers| graph_store::dump(state, headers, representation)),
        );
    }
    let app = app
        .fallback(resource::dereference)
        .with_state(state.clone())
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(state.options.max_body))
        .layer(middleware::from_fn_with_state(state.clone(), guard_body))
        .layer(CompressionLayer::new().gzip(true))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ));
    let app = match cors(&state.options.cors_origins) {
        Some(layer) => app.layer(layer),
        None => app,
    };
    app.layer(middleware::from_fn_with_state(state, access_log::log))
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect::<Vec<_>>(),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::OPTIONS])
            .allow_headers([header::ACCEPT, header::CONTENT_TYPE, header::AUTHORIZATION])
            .expose_headers([header::ETAG, header::CONTENT_DISPOSITION]),
    )
}

/// Refuses a body announced larger than the limit before reading any of it, with a message naming the option.
/// (A body sent without a length is cut off at the limit by the body-limit layer.)
async fn guard_body(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let limit = state.options.max_body;
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = announced {
        if n > limit as u64 {
            return ApiError::PayloadTooLarge(format!(
                "the request body of {n} bytes exceeds the limit of {limit} bytes (--max-body)"
            ))
            .into_response();
        }
    }
    next.run(request).await
}

async fn context(State(state): State<Arc<AppState>>) -> Response {
    let mut r = state.context.document().to_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

async fn health(State(state): State<Arc<AppState>>) -> Response {
    let snapshot = state.live.snapshot();
    let opened = snapshot
        .opened
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let body = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "read_only": !state.live.writable(),
        "generation": snapshot.generation,
        "snapshot": snapshot.tag,
        "snapshot_opened_unix": opened,
    });
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// Stack of the server's threads: the SPARQL parser descends once per nesting level, and the server parses the
/// queries it runs itself; 500 levels (the limit, [`policy::MAX_NESTING`]) take about 3 MiB in a debug build.
pub const THREAD_STACK: usize = 16 << 20;

/// Runs the server on a runtime of its own until SIGTERM or Ctrl-C.
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK)
        .build()?;
    runtime.block_on(serve(options))
}

/// Runs the server until SIGTERM or Ctrl-C, on a runtime whose threads have [`THREAD_STACK`] of stack (see
/// [`run`]). Prints one JSON line when it listens.
pub async fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let bind = options.bind;
    let refresh = options.refresh;
    let state = Arc::new(AppState::new(options)?);
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|cause| ServeError::Bind { addr: bind, cause })?;
    let local = listener.local_addr()?;
    state.log.event(serde_json::json!({
        "event": "listening",
        "address": local.to_string(),
        "store": state.options.store.display().to_string(),
        "base": state.options.base.iri(""),
        "read_only": !state.options.allow_update,
    }));
    let follower = tokio::spawn(follow(state.clone(), refresh));
    let app = router(state.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut grace_rx = stop_rx.clone();
    let signal_state = state.clone();
    let shutdown = async move {
        shutdown_signal().await;
        signal_state
            .log
            .event(serde_json::json!({"event": "shutting down"}));
        let _ = stop_tx.send(true);
    };
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown);
    // Requests still running 10 s after the signal (a long dump) are cut off.
    let deadline = async move {
        let _ = grace_rx.wait_for(|stopped| *stopped).await;
        tokio::time::sleep(Duration::from_secs(10)).await;
    };
    tokio::select! {
        result = server => result?,
        () = deadline => {
            state.log.event(serde_json::json!({"event": "stopped with requests still running"}));
        }
    }
    follower.abort();
    drop(stop_rx);
    state.log.event(serde_json::json!({"event": "stopped"}));
    Ok(())
}

/// Looks for new data written by other processes, every `every`.
async fn follow(state: Arc<AppState>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let live = state.live.clone();
        match tokio::task::spawn_blocking(move || live.refresh()).await {
            Ok(Ok(true)) => {
                let s = state.live.snapshot();
                state.log.event(serde_json::json!({
                    "event": "store reopened",
                    "generation": s.generation,
                    "snapshot": s.tag,
                }));
            }
            Ok(Ok(false)) => {}
            Ok(Err(e)) => state.log.event(serde_json::json!({
                "event": "store reopen failed; serving the previous snapshot",
                "error": e.to_string(),
            })),
            Err(e) => state.log.event(serde_json::json!({
                "event": "store follower failed",
                "error": e.to_string(),
            })),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
