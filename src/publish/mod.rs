//! Publishing the graph to an external triple store (Virtuoso, GraphDB, Fuseki, QLever, Neptune, Oxigraph).
//!
//! Every named graph (or a chosen set) is replaced whole on the remote store: by a Graph Store Protocol `PUT`
//! where the store has one, else by SPARQL Update (`DROP` + `INSERT DATA` in one request, or for a graph larger
//! than one batch, batches into a staging graph that a final `MOVE` puts in place), so a reader of the remote store
//! never sees half a graph. A full publish skips the graphs the remote already holds in the same version (same
//! `prov:generatedAtTime` in its metadata graph and same size), sends the metadata graph last and only when every
//! other graph went through (so the remote's provenance never claims a graph it lacks), and ends by checking that
//! the remote holds as many quads in each graph as the local store.

pub mod remote;

use crate::rdf::iri::{meta_graph, Base};
use crate::rdf::vocab::PROV;
use crate::store::{KgStore, StoreError};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term};
use remote::{insert_data, Remote, RemoteError};
use std::collections::{BTreeMap, BTreeSet};

/// What to publish, and how.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// Graph IRIs to publish; empty for all. A chosen set is sent whatever the remote holds.
    pub graphs: Vec<String>,
    /// Triples per SPARQL Update request.
    pub batch: usize,
    /// Send every graph, also those the remote already holds in the same version.
    pub all: bool,
}

/// Something worth telling the user while publishing.
#[derive(Debug, Clone)]
pub enum Event {
    /// Sending starts: this many graphs and triples.
    Start {
        /// Graphs to send.
        graphs: usize,
        /// Triples to send.
        triples: u64,
    },
    /// A graph is being sent.
    Graph(String),
    /// This many more triples have been sent.
    Sent(u64),
    /// A retry, a change of protocol.
    Note(String),
}

/// How a graph was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Graph Store Protocol `PUT`.
    GraphStore,
    /// SPARQL Update.
    Update,
}

/// What a publish did.
#[derive(Debug, Default)]
pub struct Report {
    /// Graphs sent: IRI, triples, how.
    pub sent: Vec<(String, usize, Method)>,
    /// Graphs the remote already held in this version.
    pub unchanged: Vec<String>,
    /// Graphs that could not be sent, and why.
    pub failed: Vec<(String, String)>,
    /// The metadata graph was not sent because other graphs failed.
    pub meta_held_back: bool,
    /// Graphs whose remote quad count differs from the local one after publishing: IRI, local, remote.
    pub mismatched: Vec<(String, usize, usize)>,
    /// Graphs the local store has and the remote does not after publishing.
    pub missing: Vec<String>,
    /// Graphs under this dataset's base on the remote that the local store does not have (left alone).
    pub remote_only: Vec<String>,
}

impl Report {
    /// Whether everything chosen is on the remote, with the same counts.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
            && self.mismatched.is_empty()
            && self.missing.is_empty()
            && !self.meta_held_back
    }
}

/// Publishing could not go on.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The remote store could not be read (its state before, or the check after).
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// A chosen graph is not in the local store.
    #[error("{0}: no such graph in the local store")]
    UnknownGraph(String),
    /// Neither a Graph Store nor an Update endpoint was given.
    #[error("nothing to write to: give --graph-store, --update-endpoint, or both")]
    NoWriteEndpoint,
}

/// One local graph.
struct Local {
    iri: String,
    quads: usize,
    generated: Option<String>,
}

/// Publishes the store to a remote store. Errors in sending one graph do not stop the others; they are in the
/// report. The remote's state before and the check after must be readable, else the publish is an error.
pub fn publish(
    store: &KgStore,
    base: &Base,
    remote: &Remote,
    opts: &PublishOptions,
    events: &mut dyn FnMut(Event),
) -> Result<Report, PublishError> {
    if remote.graph_store.is_none() && remote.update.is_none() {
        return Err(PublishError::NoWriteEndpoint);
    }
    let meta = meta_graph(base);
    let locals = local_graphs(store, &meta)?;
    let chosen: Vec<&Local> = if opts.graphs.is_empty() {
        locals.iter().collect()
    } else {
        let mut out = Vec::new();
        for g in &opts.graphs {
            out.push(
                locals
                    .iter()
                    .find(|l| &l.iri == g)
                    .ok_or_else(|| PublishError::UnknownGraph(g.clone()))?,
            );
        }
        out
    };
    let mut note = |s: String| events(Event::Note(s));
    let before = remote_counts(remote, &mut note)?;
    let remote_times: BTreeMap<String, String> = if opts.all || !opts.graphs.is_empty() {
        BTreeMap::new()
    } else {
        remote
            .select(
                &format!(
                    "SELECT ?g ?t WHERE {{ GRAPH <{meta}> {{ ?g <{PROV}generatedAtTime> ?t }} }}"
                ),
                &mut note,
            )?
            .into_iter()
            .filter_map(|mut r| Some((r.remove("g")?, r.remove("t")?)))
            .collect()
    };

    let mut report = Report::default();
    let full = opts.graphs.is_empty();
    let mut to_send: Vec<&Local> = Vec::new();
    for l in chosen.iter().copied().filter(|l| l.iri != meta || !full) {
        let same = !opts.all
            && full
            && before.get(&l.iri) == Some(&l.quads)
            && l.generated.is_some()
            && remote_times.get(&l.iri) == l.generated.as_ref();
        if same {
            report.unchanged.push(l.iri.clone());
        } else {
            to_send.push(l);
        }
    }
    // The metadata graph goes last, and in a full publish only when something changed or it differs.
    let meta_local = locals.iter().find(|l| l.iri == meta);
    let send_meta = full
        && meta_local.is_some_and(|m| {
            opts.all || !to_send.is_empty() || before.get(&m.iri) != Some(&m.quads)
        });
    if full && !send_meta {
        if let Some(m) = meta_local {
            report.unchanged.push(m.iri.clone());
        }
    }
    let triples: u64 = to_send.iter().map(|l| l.quads as u64).sum::<u64>()
        + if send_meta {
            meta_local.map_or(0, |m| m.quads as u64)
        } else {
            0
        };
    events(Event::Start {
        graphs: to_send.len() + usize::from(send_meta),
        triples,
    });

    let mut use_update = remote.graph_store.is_none();
    let mut send_one = |l: &Local, report: &mut Report, events: &mut dyn FnMut(Event)| {
        events(Event::Graph(l.iri.clone()));
        match send_graph(store, remote, l, opts.batch, &mut use_update, events) {
            Ok(method) => report.sent.push((l.iri.clone(), l.quads, method)),
            Err(e) => report.failed.push((l.iri.clone(), e)),
        }
    };
    for l in &to_send {
        send_one(l, &mut report, events);
    }
    if send_meta {
        if let Some(m) = meta_local {
            if report.failed.is_empty() {
                send_one(m, &mut report, events);
            } else {
                report.meta_held_back = true;
            }
        }
    }

    // The check: every chosen graph on the remote with the local count.
    let mut note = |s: String| events(Event::Note(s));
    let after = remote_counts(remote, &mut note)?;
    for l in &chosen {
        match after.get(&l.iri) {
            None if l.quads > 0 => report.missing.push(l.iri.clone()),
            Some(&n) if n != l.quads => report.mismatched.push((l.iri.clone(), l.quads, n)),
            _ => {}
        }
    }
    let ours = base.iri("graph/");
    let local_set: BTreeSet<&str> = locals.iter().map(|l| l.iri.as_str()).collect();
    report.remote_only = after
        .keys()
        .filter(|g| g.starts_with(&ours) && !local_set.contains(g.as_str()))
        .cloned()
        .collect();
    Ok(report)
}

/// The named graphs of the local store with their sizes and generation times.
fn local_graphs(store: &KgStore, meta: &str) -> Result<Vec<Local>, PublishError> {
    let s = store.inner();
    let meta_node = NamedNode::new_unchecked(meta);
    let generated = NamedNode::new_unchecked(format!("{PROV}generatedAtTime"));
    let mut out = Vec::new();
    for g in s.named_graphs() {
        let g = g.map_err(StoreError::from)?;
        let NamedOrBlankNode::NamedNode(g) = g else {
            continue;
        };
        let quads = s
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
            .count();
        let time = s
            .quads_for_pattern(
                Some(g.as_ref().into()),
                Some(generated.as_ref()),
                None,
                Some(meta_node.as_ref().into()),
            )
            .filter_map(Result::ok)
            .find_map(|q| match q.object {
                Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            });
        out.push(Local {
            iri: g.into_string(),
            quads,
            generated: time,
        });
    }
    out.sort_by(|a, b| a.iri.cmp(&b.iri));
    Ok(out)
}

/// Quads per named graph on the remote store.
fn remote_counts(
    remote: &Remote,
    note: &mut dyn FnMut(String),
) -> Result<BTreeMap<String, usize>, RemoteError> {
    Ok(remote
        .select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            note,
        )?
        .into_iter()
        .filter_map(|mut r| Some((r.remove("g")?, r.remove("n")?.parse().ok()?)))
        .collect())
}

/// Sends one graph whole: by `PUT` unless the store has no Graph Store (then, from this graph on, by Update).
fn send_graph(
    store: &KgStore,
    remote: &Remote,
    l: &Local,
    batch: usize,
    use_update: &mut bool,
    events: &mut dyn FnMut(Event),
) -> Result<Method, String> {
    let lines = ntriples(store, &l.iri).map_err(|e| e.to_string())?;
    let mut note = |s: String| events(Event::Note(s));
    if !*use_update {
        let body: String = lines.concat();
        match remote.put_graph(&l.iri, body.as_bytes(), &mut note) {
            Ok(()) => {
                events(Event::Sent(l.quads as u64));
                return Ok(Method::GraphStore);
            }
            Err(e) if e.is_unsupported() && remote.update.is_some() => {
                note(format!(
                    "{e}; the store has no Graph Store Protocol there, so SPARQL Update is used from now on"
                ));
                *use_update = true;
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    let has_blank = lines
        .iter()
        .any(|l| l.starts_with("_:") || l.contains(" _:"));
    let g = &l.iri;
    let update = |u: &str, events: &mut dyn FnMut(Event)| {
        remote
            .update(u, &mut |s| events(Event::Note(s)))
            .map_err(|e| e.to_string())
    };
    if lines.len() <= batch.max(1) || has_blank {
        // One request: a reader sees the old graph or the new one. (Blank nodes cannot span requests.)
        update(
            &format!(
                "DROP SILENT GRAPH <{g}> ;\n{}",
                insert_data(g, &lines.concat())
            ),
            events,
        )?;
        events(Event::Sent(lines.len() as u64));
        return Ok(Method::Update);
    }
    let staging = if g.contains('#') {
        format!("{g}-publish-staging")
    } else {
        format!("{g}#publish-staging")
    };
    update(&format!("DROP SILENT GRAPH <{staging}>"), events)?;
    for chunk in lines.chunks(batch.max(1)) {
        update(&insert_data(&staging, &chunk.concat()), events)?;
        events(Event::Sent(chunk.len() as u64));
    }
    update(&format!("MOVE <{staging}> TO <{g}>"), events)?;
    Ok(Method::Update)
}

/// A local graph as N-Triples lines (oxigraph writes terms in N-Triples syntax).
fn ntriples(store: &KgStore, graph: &str) -> Result<Vec<String>, StoreError> {
    let g = NamedNode::new_unchecked(graph);
    let mut out = Vec::new();
    for q in
        store
            .inner()
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
    {
        let q = q?;
        out.push(format!(
            "{} .\n",
            oxigraph::model::TripleRef::from(q.as_ref())
        ));
    }
    Ok(out)
}
