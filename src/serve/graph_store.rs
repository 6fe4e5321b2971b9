//! The SPARQL 1.1 Graph Store Protocol, read side, at `/store`, and the dumps at `/dump.<ext>`.
//!
//! `GET /store?graph=IRI` gives one named graph, `GET /store?default` the default graph (the union of all named
//! graphs), `GET /store` the whole dataset: the named graphs as quads in N-Quads, TriG or JSON-LD, or their union in
//! a triple format. Answers are streamed from a blocking thread through a bounded channel, so a dump of any size
//! holds a few chunks in memory; gzip is applied when the client sends `Accept-Encoding: gzip`. Writes (PUT, POST,
//! DELETE) are not offered: the store is written by `akimat-kg ingest`.

use super::error::ApiError;
use super::jsonld::Context;
use super::live::Snapshot;
use super::negotiate::{self, Representation};
use super::sparql::{etag, if_none_match, not_modified};
use super::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Triple};
use serde_json::Value;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;

/// What part of the store a request wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every named graph (quad formats) or their union (triple formats).
    Dataset,
    /// The default graph: the union of the named graphs.
    Default,
    /// One named graph.
    Graph(NamedNode),
}

/// `GET /store`.
pub async fn store(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    match store_response(&state, &uri, &headers) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn store_response(
    state: &Arc<AppState>,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let mut graph: Option<String> = None;
    let mut default = false;
    let mut format: Option<String> = None;
    for (k, v) in form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "graph" if graph.is_some() => {
                return Err(ApiError::BadRequest(
                    "the parameter `graph` is given more than once".into(),
                ))
            }
            "graph" => graph = Some(v.into_owned()),
            "default" => default = true,
            "format" => format = Some(v.into_owned()),
            _ => {}
        }
    }
    let snapshot = state.live.snapshot();
    let selection = match (graph, default) {
        (Some(_), true) => {
            return Err(ApiError::BadRequest(
                "give `graph=IRI` or `default`, not both".into(),
            ))
        }
        (Some(g), false) => {
            let node = NamedNode::new(g.as_str()).map_err(|e| {
                ApiError::BadRequest(format!("graph={g:?} is not an absolute IRI: {e}"))
            })?;
            let exists = snapshot
                .store
                .contains_named_graph(node.as_ref())
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            if !exists {
                return Err(ApiError::NotFound(format!(
                    "no named graph <{g}> in this store"
                )));
            }
            Selection::Graph(node)
        }
        (None, true) => Selection::Default,
        (None, false) => Selection::Dataset,
    };
    let offers = match selection {
        Selection::Dataset => negotiate::dataset_offers(),
        _ => negotiate::graph_offers(),
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let representation = negotiate::choose(&offers, format.as_deref(), accept)?;
    Ok(respond(
        state,
        snapshot,
        selection,
        representation,
        headers,
        None,
    ))
}

/// `GET /dump.<ext>`: the whole dataset in the format the extension names.
pub async fn dump(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    representation: Representation,
) -> Response {
    let snapshot = state.live.snapshot();
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let representation = negotiate::with_profile(representation, accept);
    respond(
        &state,
        snapshot,
        Selection::Dataset,
        representation,
        &headers,
        Some(format!("akimat-kg.{}", representation.extension())),
    )
}

fn respond(
    state: &Arc<AppState>,
    snapshot: Arc<Snapshot>,
    selection: Selection,
    representation: Representation,
    headers: &HeaderMap,
    attachment: Option<String>,
) -> Response {
    let tag = etag(
        &snapshot.tag,
        &format!(
            "store\u{0}{:?}\u{0}{}",
            selection,
            representation.content_type()
        ),
    );
    if if_none_match(headers, &tag) {
        return not_modified(&tag);
    }
    let body = stream(state.context.clone(), snapshot, selection, representation);
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(representation.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Some(name) = attachment {
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    r
}

/// A `Write` that hands its bytes to the response body in chunks; fails once the client has gone.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Streams a selection of the store in a representation.
pub fn stream(
    context: Arc<Context>,
    snapshot: Arc<Snapshot>,
    selection: Selection,
    representation: Representation,
) -> Body {
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let error_tx = tx.clone();
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        let result = write_selection(&context, &snapshot, &selection, representation, &mut w)
            .and_then(|()| w.flush());
        if let Err(e) = result {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                // The body ends with an error: the client sees a cut transfer, not a silently short dump.
                let _ = error_tx.blocking_send(Err(e));
            }
        }
    });
    Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
}

fn store_err(e: oxigraph::store::StorageError) -> std::io::Error {
    std::io::Error::other(format!("store read failed: {e}"))
}

fn write_selection(
    context: &Context,
    snapshot: &Snapshot,
    selection: &Selection,
    representation: Representation,
    out: &mut ChannelWriter,
) -> std::io::Result<()> {
    let Representation::Rdf(format) = representation else {
        return Err(std::io::Error::other("not an RDF format"));
    };
    let store = &snapshot.store;
    let quad_format = matches!(format, RdfFormat::NQuads | RdfFormat::TriG)
        || matches!(format, RdfFormat::JsonLd { .. });
    // A triple format of the whole dataset is the union, that is the default graph.
    let selection = match selection {
        Selection::Dataset if !quad_format => &Selection::Default,
        s => s,
    };
    let quads: Box<dyn Iterator<Item = Result<Quad, oxigraph::store::StorageError>>> =
        match selection {
            Selection::Dataset => Box::new(store.iter().filter(|q| {
                q.as_ref()
                    .map_or(true, |q| !q.graph_name.is_default_graph())
            })),
            Selection::Default => Box::new(store.quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            )),
            Selection::Graph(g) => {
                Box::new(store.quads_for_pattern(None, None, None, Some(g.as_ref().into())))
            }
        };
    if negotiate::is_compacted(representation) {
        return write_jsonld(context, quads, matches!(selection, Selection::Dataset), out);
    }
    if let RdfFormat::JsonLd { .. } = format {
        // One graph is answered as its triples; the dataset as one graph object per named graph.
        let named = matches!(selection, Selection::Dataset);
        let mut w =
            crate::rdf::jsonld::ExpandedWriter::new(&mut *out).map_err(std::io::Error::other)?;
        for q in quads {
            let q = q.map_err(store_err)?;
            let q = if named {
                q
            } else {
                Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph)
            };
            w.add(q.as_ref()).map_err(std::io::Error::other)?;
        }
        w.finish().map_err(std::io::Error::other)?;
        return Ok(());
    }
    let mut w = super::encode::serializer(format).for_writer(&mut *out);
    for q in quads {
        let q = q.map_err(store_err)?;
        if quad_format {
            w.serialize_quad(&q)?;
        } else {
            w.serialize_triple(&Triple::from(q))?;
        }
    }
    w.finish()?;
    Ok(())
}

/// Compacted JSON-LD, streamed a subject at a time (the store's indexes give each graph's triples grouped by
/// subject). With `named`, each named graph is one node with its own `@graph`.
fn write_jsonld(
    context: &Context,
    quads: impl Iterator<Item = Result<Quad, oxigraph::store::StorageError>>,
    named: bool,
    out: &mut ChannelWriter,
) -> std::io::Result<()> {
    write!(
        out,
        "{{\n  \"@context\": {},\n  \"@graph\": [",
        context.inline()
    )?;
    let mut first_graph = true;
    let mut first_node = true;
    let mut current_graph: Option<String> = None;
    let mut group: Vec<Triple> = Vec::new();
    let mut group_subject: Option<NamedOrBlankNode> = None;
    let flush_group = |group: &mut Vec<Triple>,
                       first_node: &mut bool,
                       out: &mut ChannelWriter|
     -> std::io::Result<()> {
        if group.is_empty() {
            return Ok(());
        }
        let doc = context.compact(group, None);
        if let Some(nodes) = doc.get("@graph").and_then(Value::as_array) {
            for node in nodes {
                if !*first_node {
                    out.write_all(b",")?;
                }
                *first_node = false;
                out.write_all(b"\n    ")?;
                serde_json::to_writer(&mut *out, node)?;
            }
        }
        group.clear();
        Ok(())
    };
    for q in quads {
        let q = q.map_err(store_err)?;
        let graph = q.graph_name.to_string();
        if named && current_graph.as_deref() != Some(graph.as_str()) {
            flush_group(&mut group, &mut first_node, out)?;
            if current_graph.is_some() {
                out.write_all(b"\n  ]}")?;
            }
            if !first_graph {
                out.write_all(b",")?;
            }
            first_graph = false;
            let id = match &q.graph_name {
                oxigraph::model::GraphName::NamedNode(n) => n.as_str().to_string(),
                oxigraph::model::GraphName::BlankNode(b) => format!("_:{}", b.as_str()),
                oxigraph::model::GraphName::DefaultGraph => String::new(),
            };
            write!(out, "\n  {{\"@id\": {}, \"@graph\": [", Value::String(id))?;
            current_graph = Some(graph);
            first_node = true;
            group_subject = None;
        }
        if group_subject.as_ref() != Some(&q.subject) {
            flush_group(&mut group, &mut first_node, out)?;
            group_subject = Some(q.subject.clone());
        }
        group.push(Triple::from(q));
    }
    flush_group(&mut group, &mut first_node, out)?;
    if named && current_graph.is_some() {
        out.write_all(b"\n  ]}")?;
    }
    out.write_all(b"\n  ]\n}\n")
}
