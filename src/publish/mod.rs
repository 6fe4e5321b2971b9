//! Publishing the graph to an external triple store (Virtuoso, GraphDB, Fuseki, QLever, Neptune, Oxigraph).
//!
//! Every named graph (or a chosen set) is replaced whole on the remote store: by a Graph Store Protocol `PUT`
//! where the store has one, else by SPARQL Update (`DROP` + `INSERT DATA` in one request, or for a graph larger
//! than one batch, batches into a staging graph that a final `MOVE` puts in place), so a reader of the remote store
//! never sees half a graph. A full publish skips the graphs the remote already holds in the same version (the
//! same digests, extractor and time in its metadata graph, and the same size), sends the metadata graph last, without the records of graphs that failed
//! (so the remote's provenance never claims a graph it lacks), and ends by checking that
//! the remote holds as many quads in each graph as the local store.

pub mod remote;

use crate::rdf::iri::{meta_graph, Base};
use crate::rdf::vocab::{AKG, PROV};
use crate::store::{KgStore, StoreError};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Term};
use remote::{count, insert_data, term_value, Remote, RemoteError};
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
    /// Send the default graph too (the union, as a set, of the named graphs), for a remote whose default graph
    /// is a graph of its own; off for a remote that reads the union of its graphs as the default graph.
    pub default_graph: bool,
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
pub struct PublishReport {
    /// Graphs sent: IRI, triples, how.
    pub sent: Vec<(String, usize, Method)>,
    /// Graphs the remote already held in this version.
    pub unchanged: Vec<String>,
    /// Graphs that could not be sent, and why.
    pub failed: Vec<(String, String)>,
    /// The metadata graph was sent without the records of the graphs that failed.
    pub meta_partial: bool,
    /// Graphs whose remote quad count differs from the local one after publishing: IRI, local, remote.
    pub mismatched: Vec<(String, usize, usize)>,
    /// Graphs the local store has and the remote does not after publishing.
    pub missing: Vec<String>,
    /// Graphs under this dataset's base on the remote that the local store does not have (left alone).
    pub remote_only: Vec<String>,
}

impl PublishReport {
    /// Whether everything chosen is on the remote, with the same counts.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
            && self.mismatched.is_empty()
            && self.missing.is_empty()
            && !self.meta_partial
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
    /// Its IRI; empty for the default graph.
    iri: String,
    quads: usize,
    /// What its provenance record says of its version (digests, extractor, time), if it has one.
    version: Option<String>,
}

impl Local {
    fn is_default(&self) -> bool {
        self.iri.is_empty()
    }

    fn name(&self) -> GraphName {
        if self.is_default() {
            GraphName::DefaultGraph
        } else {
            GraphName::NamedNode(NamedNode::new_unchecked(self.iri.clone()))
        }
    }
}

/// Publishes the store to a remote store. Errors in sending one graph do not stop the others; they are in the
/// report. The remote's state before and the check after must be readable, else the publish is an error.
pub fn publish(
    store: &KgStore,
    base: &Base,
    remote: &Remote,
    opts: &PublishOptions,
    events: &mut dyn FnMut(Event),
) -> Result<PublishReport, PublishError> {
    if remote.graph_store.is_none() && remote.update.is_none() {
        return Err(PublishError::NoWriteEndpoint);
    }
    let meta = meta_graph(base);
    let locals = local_graphs(store, &meta)?;
    let chosen = chosen_graphs(&locals, &opts.graphs)?;
    let mut publishing = Publishing {
        store,
        remote,
        opts,
        events,
        use_update: remote.graph_store.is_none(),
        report: PublishReport::default(),
    };
    let plan = publishing.plan(&locals, &chosen, &meta)?;
    publishing.send_planned(&plan);
    // The default graph: locally the union, as a set, of the named graphs; sent so that the remote answers
    // queries without GRAPH exactly as the local store does.
    let default_check = if opts.default_graph && opts.graphs.is_empty() {
        Some(publishing.send_default_graph()?)
    } else {
        None
    };
    publishing.check(base, &locals, &chosen, default_check)?;
    Ok(publishing.report)
}

/// The local graphs to publish: all of them, or those named in `graphs`, in that order.
fn chosen_graphs<'l>(
    locals: &'l [Local],
    graphs: &[String],
) -> Result<Vec<&'l Local>, PublishError> {
    if graphs.is_empty() {
        return Ok(locals.iter().collect());
    }
    let mut out = Vec::new();
    for g in graphs {
        out.push(
            locals
                .iter()
                .find(|l| &l.iri == g)
                .ok_or_else(|| PublishError::UnknownGraph(g.clone()))?,
        );
    }
    Ok(out)
}

/// The version of each graph as the remote's metadata graph records it, in the form of [`Local::version`].
fn remote_versions(
    remote: &Remote,
    meta: &str,
    note: &mut dyn FnMut(String),
) -> Result<BTreeMap<String, String>, RemoteError> {
    let mut parts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let values: String = version_terms().iter().map(|t| format!("<{t}> ")).collect();
    for mut r in remote.select(
        &format!(
            "SELECT ?g ?p ?o WHERE {{ GRAPH <{meta}> {{ ?g ?p ?o }} VALUES ?p {{ {values}}} }}"
        ),
        note,
    )? {
        if let (Some(g), Some(p), Some(o)) = (r.remove("g"), r.remove("p"), r.remove("o")) {
            parts.entry(term_value(&g)).or_default().push(format!(
                "{}={}",
                term_value(&p),
                term_value(&o)
            ));
        }
    }
    Ok(parts
        .into_iter()
        .map(|(g, mut v)| {
            v.sort();
            (g, v.join("\n"))
        })
        .collect())
}

/// The graphs a publish sends, in order.
struct Plan<'l> {
    /// The chosen graphs that are sent, the metadata graph left out.
    to_send: Vec<&'l Local>,
    /// The metadata graph, when it is sent (last).
    meta: Option<&'l Local>,
}

/// A publish under way: what it writes to, how, and what it has done so far.
struct Publishing<'a> {
    store: &'a KgStore,
    remote: &'a Remote,
    opts: &'a PublishOptions,
    events: &'a mut dyn FnMut(Event),
    /// Whether graphs go by SPARQL Update (the remote has no Graph Store, or turned out to have none).
    use_update: bool,
    report: PublishReport,
}

impl Publishing<'_> {
    /// Decides what to send: in a full publish, the graphs the remote does not hold in this version, then the
    /// metadata graph only when something changed or it differs; the others are reported unchanged. Announces
    /// the start.
    fn plan<'l>(
        &mut self,
        locals: &'l [Local],
        chosen: &[&'l Local],
        meta: &str,
    ) -> Result<Plan<'l>, PublishError> {
        let (opts, remote) = (self.opts, self.remote);
        let full = opts.graphs.is_empty();
        let events = &mut *self.events;
        let mut note = |s: String| events(Event::Note(s));
        let before = remote_counts(remote, &mut note)?;
        let remote_versions = if opts.all || !full {
            BTreeMap::new()
        } else {
            remote_versions(remote, meta, &mut note)?
        };
        let mut to_send: Vec<&Local> = Vec::new();
        for l in chosen.iter().copied().filter(|l| l.iri != meta || !full) {
            let same = !opts.all
                && full
                && before.get(&l.iri) == Some(&l.quads)
                && l.version.is_some()
                && remote_versions.get(&l.iri) == l.version.as_ref();
            if same {
                self.report.unchanged.push(l.iri.clone());
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
                self.report.unchanged.push(m.iri.clone());
            }
        }
        let meta = meta_local.filter(|_| send_meta);
        let triples: u64 = to_send.iter().map(|l| l.quads as u64).sum::<u64>()
            + meta.map_or(0, |m| m.quads as u64);
        (self.events)(Event::Start {
            graphs: to_send.len() + usize::from(meta.is_some()),
            triples,
        });
        Ok(Plan { to_send, meta })
    }

    /// Sends the planned graphs, then the metadata graph.
    fn send_planned(&mut self, plan: &Plan<'_>) {
        let none = BTreeSet::new();
        for l in &plan.to_send {
            self.send(l, &none, &l.iri);
        }
        if let Some(m) = plan.meta {
            // The remote's metadata must never claim a graph it does not hold in that version: the records of
            // graphs that failed are left out (they are sent again next time, the others are not).
            let failed: BTreeSet<String> =
                self.report.failed.iter().map(|(g, _)| g.clone()).collect();
            self.send(m, &failed, &m.iri);
            self.report.meta_partial = !failed.is_empty();
        }
    }

    /// Sends one graph, announced and reported as `name`, without the triples whose subject is in `leave_out`.
    fn send(&mut self, l: &Local, leave_out: &BTreeSet<String>, name: &str) {
        (self.events)(Event::Graph(name.to_string()));
        match send_graph(
            self.store,
            self.remote,
            l,
            leave_out,
            self.opts.batch,
            &mut self.use_update,
            self.events,
        ) {
            Ok(method) => self.report.sent.push((name.to_string(), l.quads, method)),
            Err(e) => self.report.failed.push((name.to_string(), e)),
        }
    }

    /// Sends the default graph unless nothing was sent and the remote's has as many triples; returns the local
    /// count, for the check.
    fn send_default_graph(&mut self) -> Result<usize, PublishError> {
        let local = Local {
            iri: String::new(),
            quads: self
                .store
                .inner()
                .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
                .count(),
            version: None,
        };
        let events = &mut *self.events;
        let mut note = |s: String| events(Event::Note(s));
        let there = remote_default_count(self.remote, &mut note)?;
        if self.opts.all || !self.report.sent.is_empty() || there != local.quads {
            self.send(&local, &BTreeSet::new(), DEFAULT_GRAPH);
        } else {
            self.report.unchanged.push(DEFAULT_GRAPH.into());
        }
        Ok(local.quads)
    }

    /// The check: every chosen graph (and the default graph, when sent) on the remote with the local count; and
    /// the remote's graphs under this dataset's base that the local store does not have.
    fn check(
        &mut self,
        base: &Base,
        locals: &[Local],
        chosen: &[&Local],
        default_check: Option<usize>,
    ) -> Result<(), PublishError> {
        let events = &mut *self.events;
        let mut note = |s: String| events(Event::Note(s));
        let report = &mut self.report;
        if let Some(here) = default_check {
            let there = remote_default_count(self.remote, &mut note)?;
            if there != here {
                report.mismatched.push((DEFAULT_GRAPH.into(), here, there));
            }
        }
        let after = remote_counts(self.remote, &mut note)?;
        for l in chosen {
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
        Ok(())
    }
}

/// The statements of a graph's provenance record that make its version: a graph whose remote record has the
/// same values of these (and the same size) is the same graph.
fn version_terms() -> [String; 4] {
    [
        format!("{PROV}generatedAtTime"),
        format!("{AKG}sourceDigest"),
        format!("{AKG}sidecarDigest"),
        format!("{AKG}extractorVersion"),
    ]
}

/// The named graphs of the local store with their sizes and versions.
fn local_graphs(store: &KgStore, meta: &str) -> Result<Vec<Local>, PublishError> {
    let s = store.inner();
    let meta_node = NamedNode::new_unchecked(meta);
    let terms = version_terms();
    let mut out = Vec::new();
    for g in s.named_graphs() {
        let g = g.map_err(StoreError::from)?;
        let NamedOrBlankNode::NamedNode(g) = g else {
            continue;
        };
        let quads = s
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
            .count();
        let mut parts: Vec<String> = s
            .quads_for_pattern(
                Some(g.as_ref().into()),
                None,
                None,
                Some(meta_node.as_ref().into()),
            )
            .filter_map(Result::ok)
            .filter(|q| terms.iter().any(|t| t == q.predicate.as_str()))
            .map(|q| format!("{}={}", q.predicate.as_str(), term_value(&q.object)))
            .collect();
        parts.sort();
        out.push(Local {
            iri: g.into_string(),
            quads,
            version: (!parts.is_empty()).then(|| parts.join("\n")),
        });
    }
    out.sort_by(|a, b| a.iri.cmp(&b.iri));
    Ok(out)
}

/// How the default graph is named in reports.
pub const DEFAULT_GRAPH: &str = "the default graph";

/// Triples in the remote's default graph (as the remote reads it: a store that reads the union of its graphs as
/// the default graph counts that union, with repeats).
fn remote_default_count(
    remote: &Remote,
    note: &mut dyn FnMut(String),
) -> Result<usize, RemoteError> {
    Ok(remote
        .select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", note)?
        .into_iter()
        .find_map(|r| count(r.get("n")))
        .unwrap_or(0))
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
        .filter_map(|r| match r.get("g")? {
            Term::NamedNode(g) => Some((g.as_str().to_string(), count(r.get("n"))?)),
            _ => None,
        })
        .collect())
}

/// Sends one graph whole, without the triples whose subject is in `leave_out`: by `PUT` unless the store has no
/// Graph Store (then, from this graph on, by Update).
fn send_graph(
    store: &KgStore,
    remote: &Remote,
    l: &Local,
    leave_out: &BTreeSet<String>,
    batch: usize,
    use_update: &mut bool,
    events: &mut dyn FnMut(Event),
) -> Result<Method, String> {
    let lines = ntriples(store, l.name().as_ref(), leave_out).map_err(|e| e.to_string())?;
    let mut note = |s: String| events(Event::Note(s));
    let iri = (!l.is_default()).then_some(l.iri.as_str());
    if !*use_update {
        let body: String = lines.concat();
        match remote.put_graph(iri, body.as_bytes(), &mut note) {
            Ok(()) => {
                events(Event::Sent(lines.len() as u64));
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
    let target = match iri {
        Some(g) => format!("GRAPH <{g}>"),
        None => "DEFAULT".to_string(),
    };
    let update = |u: &str, events: &mut dyn FnMut(Event)| {
        remote
            .update(u, &mut |s| events(Event::Note(s)))
            .map_err(|e| e.to_string())
    };
    if lines.len() <= batch.max(1) || has_blank {
        // One request: a reader sees the old graph or the new one. (Blank nodes cannot span requests.)
        update(
            &format!(
                "DROP SILENT {target} ;\n{}",
                insert_data(iri, &lines.concat())
            ),
            events,
        )?;
        events(Event::Sent(lines.len() as u64));
        return Ok(Method::Update);
    }
    let staging = match iri {
        Some(g) if g.contains('#') => format!("{g}-publish-staging"),
        Some(g) => format!("{g}#publish-staging"),
        None => "urn:akimat-kg:publish-staging:default".to_string(),
    };
    update(&format!("DROP SILENT GRAPH <{staging}>"), events)?;
    for chunk in lines.chunks(batch.max(1)) {
        update(&insert_data(Some(&staging), &chunk.concat()), events)?;
        events(Event::Sent(chunk.len() as u64));
    }
    let to = match iri {
        Some(g) => format!("<{g}>"),
        None => "DEFAULT".to_string(),
    };
    update(&format!("MOVE <{staging}> TO {to}"), events)?;
    Ok(Method::Update)
}

/// A local graph as N-Triples lines (oxigraph writes terms in N-Triples syntax).
fn ntriples(
    store: &KgStore,
    graph: GraphNameRef<'_>,
    leave_out: &BTreeSet<String>,
) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for q in store
        .inner()
        .quads_for_pattern(None, None, None, Some(graph))
    {
        let q = q?;
        if let NamedOrBlankNode::NamedNode(s) = &q.subject {
            if leave_out.contains(s.as_str()) {
                continue;
            }
        }
        out.push(format!(
            "{} .\n",
            oxigraph::model::TripleRef::from(q.as_ref())
        ));
    }
    Ok(out)
}
