//! Competence tallies: what competence mapping asks for every time, kept as data in the graph
//! `<base>graph/aggregates` (and its copy in the default graph, like every named graph's triples).
//!
//! For each body that provisions are assigned to, one `akg:CompetenceTally` per competence area its provisions fall
//! in (how many provisions, and the sum of their kinds' `akg:competenceWeight`) and one `akg:KindTally` per provision
//! kind (how many provisions). `queries/competence-profile.rq`, `competence-matrix.rq`, `competence-gaps.rq` and
//! `provisions-by-kind.rq` read them instead of every provision of the store; they give the answers those queries
//! gave when they counted the provisions (the test `tests/tallies.rs` checks it after ingests, replacements and
//! removals).
//!
//! The tallies of a body are recounted from the default graph whenever a write touches one of its provisions:
//! inside the transaction that replaces or removes a document, and once a run's bulk loads are all in (for the bodies
//! of the documents they added: `KgStore::settle_tallies`). A bulk load also writes a pending mark
//! (`akg:refreshPending`), removed when its tallies are written: a process killed in between leaves the mark, and
//! the next writer to open the store ([`settle`]) recounts every body. A change of the weights themselves (the ontology graph) recounts every body too.
//!
//! The graph has a provenance record in the metadata graph like any other: `akg:sourceDigest "tally-sum:…"`, an
//! order-independent digest of its tallies (the wrapping sum of a hash of each quad), kept exact by every
//! transaction that writes them. It names the graph's content, whatever order of writes made it, so that `publish`
//! knows an unchanged graph of tallies as it knows an unchanged document.

use crate::rdf::iri::{meta_graph, Base};
use crate::rdf::vocab::{a, term, AKG, COMP, DCT};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, QuadRef, Term,
};
use oxigraph::store::{StorageError, Store, Transaction};
use oxsdatatypes::Decimal;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

/// The version of the tallies' layout; a store whose aggregate graph lacks it is recounted whole by the next
/// writer (stores made before tallies existed, or by a version that counted otherwise).
pub const TALLY_VERSION: &str = "1";

/// Bodies recounted in one transaction when every body is recounted.
const CHUNK: usize = 2_000;

/// The prefix of the aggregate graph's digest (`akg:sourceDigest`), which is not a digest of bytes.
const SUM_PREFIX: &str = "tally-sum:";

/// The graphs the tallies are written to and recorded in.
#[derive(Debug, Clone)]
pub struct Graphs {
    /// The graph of the tallies, `<base>graph/aggregates`.
    pub aggregates: NamedNode,
    /// The metadata graph, which holds the aggregate graph's digest.
    pub meta: NamedNode,
}

impl Graphs {
    /// The graphs of a dataset's base.
    pub fn new(base: &Base) -> Graphs {
        Graphs {
            aggregates: NamedNode::new_unchecked(super::aggregates_graph(base)),
            meta: NamedNode::new_unchecked(meta_graph(base)),
        }
    }
}

/// An order-independent digest of a set of quads: the wrapping sum of the first 128 bits of each quad's SHA-256
/// (of its N-Quads form). Adding a quad and removing it again leave it as it was, so each transaction updates it
/// from the quads it writes and removes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Sum(u128);

impl Sum {
    fn hash(q: QuadRef<'_>) -> u128 {
        use sha2::Digest;
        let d = sha2::Sha256::digest(q.to_string().as_bytes());
        let mut first = [0u8; 16];
        first.copy_from_slice(&d[..16]);
        u128::from_be_bytes(first)
    }

    fn add(&mut self, q: QuadRef<'_>) {
        self.0 = self.0.wrapping_add(Sum::hash(q));
    }

    fn remove(&mut self, q: QuadRef<'_>) {
        self.0 = self.0.wrapping_sub(Sum::hash(q));
    }

    fn literal(self) -> Literal {
        Literal::new_simple_literal(format!("{SUM_PREFIX}{:032x}", self.0))
    }

    fn parse(text: &str) -> Option<Sum> {
        let hex = text.strip_prefix(SUM_PREFIX)?;
        u128::from_str_radix(hex, 16).ok().map(Sum)
    }
}

/// The predicates and classes the tallies use, made once.
struct Terms {
    assigned_to: NamedNode,
    subject: NamedNode,
    kind: NamedNode,
    weight: NamedNode,
    tally_of: NamedNode,
    tally_area: NamedNode,
    tally_kind: NamedNode,
    count: NamedNode,
    weight_sum: NamedNode,
    pending: NamedNode,
    version: NamedNode,
    competence_tally: NamedNode,
    kind_tally: NamedNode,
    rdf_type: NamedNode,
}

impl Terms {
    fn new() -> Terms {
        Terms {
            assigned_to: term(AKG, "assignedTo"),
            subject: term(DCT, "subject"),
            kind: term(AKG, "provisionKind"),
            weight: term(AKG, "competenceWeight"),
            tally_of: term(AKG, "tallyOf"),
            tally_area: term(AKG, "tallyArea"),
            tally_kind: term(AKG, "tallyKind"),
            count: term(AKG, "provisionCount"),
            weight_sum: term(AKG, "weightSum"),
            pending: term(AKG, "refreshPending"),
            version: term(AKG, "tallyVersion"),
            competence_tally: term(AKG, "CompetenceTally"),
            kind_tally: term(AKG, "KindTally"),
            rdf_type: a(),
        }
    }
}

/// What a set of written or removed quads means for the tallies: the bodies whose tallies may have changed.
#[derive(Debug, Default)]
pub struct Touched {
    /// Bodies named as the object of `akg:assignedTo`.
    bodies: HashSet<NamedNode>,
    /// Provisions whose areas or kinds changed: their bodies are looked up once the write is done.
    provisions: HashSet<NamedOrBlankNode>,
    /// Every body: a competence weight changed, or a tally was written by hand.
    all: bool,
}

impl Touched {
    /// Notes one quad written or removed.
    pub fn note(&mut self, q: QuadRef<'_>) {
        let p = q.predicate.as_str();
        if let Some(local) = p.strip_prefix(AKG) {
            match local {
                "assignedTo" => {
                    if let oxigraph::model::TermRef::NamedNode(n) = q.object {
                        self.bodies.insert(n.into_owned());
                    }
                }
                "provisionKind" => {
                    self.provisions.insert(q.subject.into_owned());
                }
                "competenceWeight" | "tallyOf" | "tallyArea" | "tallyKind" | "provisionCount"
                | "weightSum" => self.all = true,
                _ => {}
            }
        } else if p.strip_prefix(DCT) == Some("subject") {
            self.provisions.insert(q.subject.into_owned());
        }
    }

    /// Adds what another set noted.
    pub fn merge(&mut self, other: Touched) {
        self.bodies.extend(other.bodies);
        self.provisions.extend(other.provisions);
        self.all |= other.all;
    }

    /// Whether nothing was noted.
    pub fn is_empty(&self) -> bool {
        !self.all && self.bodies.is_empty() && self.provisions.is_empty()
    }

    /// The bodies to recount, read after the write (`None`: every body).
    fn bodies(
        self,
        t: &Transaction<'_>,
        terms: &Terms,
    ) -> Result<Option<Vec<NamedNode>>, StorageError> {
        if self.all {
            return Ok(None);
        }
        let mut bodies = self.bodies;
        for p in &self.provisions {
            for o in objects(t, p.as_ref(), terms.assigned_to.as_ref())? {
                if let Term::NamedNode(n) = o {
                    bodies.insert(n);
                }
            }
        }
        let mut bodies: Vec<NamedNode> = bodies.into_iter().collect();
        bodies.sort();
        Ok(Some(bodies))
    }
}

/// Recounts, inside a writer's transaction, the tallies of the bodies a write touched; when it touched every body
/// (a weight changed), sets the pending mark instead, for [`settle`] to recount them after the commit. Returns
/// whether [`settle`] is needed.
pub fn refresh_in(
    t: &mut Transaction<'_>,
    graphs: &Graphs,
    touched: Touched,
) -> Result<bool, StorageError> {
    if touched.is_empty() {
        return Ok(false);
    }
    let terms = Terms::new();
    let graph = &graphs.aggregates;
    match touched.bodies(t, &terms)? {
        Some(bodies) => {
            let mut weights = Weights::default();
            let mut delta = Sum::default();
            for body in &bodies {
                recount(t, graph, &terms, &mut weights, body.as_ref(), &mut delta)?;
            }
            record_sum(t, graphs, delta)?;
            Ok(false)
        }
        None => {
            insert_both(
                t,
                QuadRef::new(graph, &terms.pending, &Literal::from(true), graph),
            );
            Ok(true)
        }
    }
}

/// The pending mark's quads (in the aggregate graph and the default graph), for a bulk load to write with its
/// documents.
pub fn pending_mark(graphs: &Graphs) -> [Quad; 2] {
    let terms = Terms::new();
    let graph = &graphs.aggregates;
    let q = Quad::new(
        graph.clone(),
        terms.pending,
        Literal::from(true),
        graph.clone(),
    );
    let d = Quad::new(
        q.subject.clone(),
        q.predicate.clone(),
        q.object.clone(),
        GraphNameRef::DefaultGraph,
    );
    [q, d]
}

/// After a bulk load committed: recounts the bodies its documents touched, in transactions of [`CHUNK`] bodies,
/// and removes the pending mark in the last.
pub fn refresh_after_bulk(
    store: &Store,
    graphs: &Graphs,
    touched: Touched,
) -> Result<(), StorageError> {
    let terms = Terms::new();
    let bodies = {
        let t = store.start_transaction()?;
        touched.bodies(&t, &terms)?
    };
    match bodies {
        Some(bodies) => {
            let (fresh, known) = split_fresh(store, &graphs.aggregates, &terms, bodies)?;
            let delta = load_fresh(store, &graphs.aggregates, &terms, &fresh)?;
            recount_chunked(store, graphs, &terms, &known, false, delta)
        }
        None => settle(store, graphs).map(|_| ()),
    }
}

/// Splits bodies into those without tallies yet and those with some.
fn split_fresh(
    store: &Store,
    graph: &NamedNode,
    terms: &Terms,
    bodies: Vec<NamedNode>,
) -> Result<(Vec<NamedNode>, Vec<NamedNode>), StorageError> {
    let (mut fresh, mut known) = (Vec::new(), Vec::new());
    for body in bodies {
        let has = store
            .quads_for_pattern(
                None,
                Some(terms.tally_of.as_ref()),
                Some(body.as_ref().into()),
                Some(graph.as_ref().into()),
            )
            .next()
            .transpose()?
            .is_some();
        if has {
            known.push(body);
        } else {
            fresh.push(body);
        }
    }
    Ok((fresh, known))
}

/// Writes the tallies of bodies that have none yet through Oxigraph's bulk loader, in one atomic step: after a
/// run's bulk loads, a transaction would put every tally through the memtables of all indexes, several times the
/// cost of the loads themselves. Returns the digest of the quads written, for the transaction that follows to add
/// to the graph's record (until then the pending mark stays, so a kill in between has the tallies recounted).
fn load_fresh(
    store: &Store,
    graph: &NamedNode,
    terms: &Terms,
    bodies: &[NamedNode],
) -> Result<Sum, StorageError> {
    let mut delta = Sum::default();
    if bodies.is_empty() {
        return Ok(delta);
    }
    let mut weights = Weights::default();
    let mut loader = store.bulk_loader();
    for chunk in bodies.chunks(CHUNK) {
        // A transaction that is never committed: a consistent view to count from.
        let t = store.start_transaction()?;
        let mut quads = Vec::new();
        for body in chunk {
            let counts = count(&t, terms, &mut weights, body.as_ref())?;
            for q in cell_quads(graph, terms, body.as_ref(), &counts) {
                delta.add(q.as_ref());
                quads.push(Quad::new(
                    q.subject.clone(),
                    q.predicate.clone(),
                    q.object.clone(),
                    GraphNameRef::DefaultGraph,
                ));
                quads.push(q);
            }
        }
        drop(t);
        loader.load_quads(quads)?;
    }
    loader.commit()?;
    Ok(delta)
}

/// Brings the tallies up to date where the store says they may not be (a pending mark, or no tallies of this
/// version): recounts every body that provisions are assigned to or that has tallies, [`CHUNK`] bodies per
/// transaction, then removes the mark, writes the version and the graph's digest from what it holds. Returns
/// whether it recounted.
pub fn settle(store: &Store, graphs: &Graphs) -> Result<bool, StorageError> {
    let terms = Terms::new();
    let graph = &graphs.aggregates;
    if !needs_settling(store, graph)? {
        if !has_version(store, graph)? {
            // No provisions yet: the (empty) tallies are current, and say so, so that the writes to come keep them.
            recount_chunked(store, graphs, &terms, &[], true, Sum::default())?;
        }
        return Ok(false);
    }
    let mut bodies: HashSet<NamedNode> = HashSet::new();
    for q in store.quads_for_pattern(
        None,
        Some(terms.assigned_to.as_ref()),
        None,
        Some(GraphNameRef::DefaultGraph),
    ) {
        if let Term::NamedNode(n) = q?.object {
            bodies.insert(n);
        }
    }
    for q in store.quads_for_pattern(
        None,
        Some(terms.tally_of.as_ref()),
        None,
        Some(graph.as_ref().into()),
    ) {
        if let Term::NamedNode(n) = q?.object {
            bodies.insert(n);
        }
    }
    let mut bodies: Vec<NamedNode> = bodies.into_iter().collect();
    bodies.sort();
    let (fresh, known) = split_fresh(store, graph, &terms, bodies)?;
    load_fresh(store, graph, &terms, &fresh)?;
    recount_chunked(store, graphs, &terms, &known, true, Sum::default())?;
    Ok(true)
}

/// Whether the tallies may be out of date: the pending mark is set, or the aggregate graph lacks this version
/// while the store holds provisions.
pub fn needs_settling(store: &Store, graph: &NamedNode) -> Result<bool, StorageError> {
    let terms = Terms::new();
    let g = Some(GraphNameRef::from(graph.as_ref()));
    let s: Option<oxigraph::model::NamedOrBlankNodeRef<'_>> = Some(graph.as_ref().into());
    if store
        .quads_for_pattern(s, Some(terms.pending.as_ref()), None, g)
        .next()
        .transpose()?
        .is_some()
    {
        return Ok(true);
    }
    if has_version(store, graph)? {
        return Ok(false);
    }
    let any_provision = store
        .quads_for_pattern(
            None,
            Some(terms.assigned_to.as_ref()),
            None,
            Some(GraphNameRef::DefaultGraph),
        )
        .next()
        .transpose()?
        .is_some();
    Ok(any_provision)
}

/// Whether the aggregate graph states this version of the tallies.
fn has_version(store: &Store, graph: &NamedNode) -> Result<bool, StorageError> {
    let version = term(AKG, "tallyVersion");
    for q in store.quads_for_pattern(
        Some(graph.as_ref().into()),
        Some(version.as_ref()),
        None,
        Some(graph.as_ref().into()),
    ) {
        if matches!(&q?.object, Term::Literal(l) if l.value() == TALLY_VERSION) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Recounts bodies in transactions of [`CHUNK`]; the last one also removes the pending mark and writes the version,
/// and with `rescan` sets the graph's digest from the whole graph rather than from the changes (after a recount of
/// every body, which may follow writes that bypassed the tallies). `loaded` is the digest of tallies bulk-loaded
/// just before, added to the record with the first transaction's changes.
fn recount_chunked(
    store: &Store,
    graphs: &Graphs,
    terms: &Terms,
    bodies: &[NamedNode],
    rescan: bool,
    loaded: Sum,
) -> Result<(), StorageError> {
    let graph = &graphs.aggregates;
    let mut weights = Weights::default();
    let mut t = store.start_transaction()?;
    let mut delta = loaded;
    for (i, chunk) in bodies.chunks(CHUNK).enumerate() {
        if i > 0 {
            record_sum(&mut t, graphs, delta)?;
            t.commit()?;
            t = store.start_transaction()?;
            delta = Sum::default();
        }
        for body in chunk {
            recount(
                &mut t,
                graph,
                terms,
                &mut weights,
                body.as_ref(),
                &mut delta,
            )?;
        }
    }
    mark_done(&mut t, graph, terms)?;
    if rescan {
        let sum = scan_sum(&t, graph)?;
        write_sum(&mut t, graphs, sum)?;
    } else {
        record_sum(&mut t, graphs, delta)?;
    }
    t.commit()
}

/// Removes the pending mark and writes the tallies' version.
fn mark_done(
    t: &mut Transaction<'_>,
    graph: &NamedNode,
    terms: &Terms,
) -> Result<(), StorageError> {
    let g = GraphNameRef::from(graph.as_ref());
    let old: Vec<Quad> = t
        .quads_for_pattern(Some(graph.as_ref().into()), None, None, Some(g))
        .collect::<Result<_, _>>()?;
    for q in &old {
        remove_both(t, q.as_ref());
    }
    insert_both(
        t,
        QuadRef::new(
            graph,
            &terms.version,
            &Literal::new_simple_literal(TALLY_VERSION),
            graph,
        ),
    );
    Ok(())
}

/// The digest of the aggregate graph as its provenance record states it, if it does (once, and well formed).
fn stored_sum(t: &Transaction<'_>, graphs: &Graphs) -> Result<Option<Sum>, StorageError> {
    Ok(match digest_record(t, graphs)?.as_slice() {
        [q] => match &q.object {
            Term::Literal(l) => Sum::parse(l.value()),
            _ => None,
        },
        _ => None,
    })
}

/// The `akg:sourceDigest` statements of the aggregate graph's provenance record.
fn digest_record(t: &Transaction<'_>, graphs: &Graphs) -> Result<Vec<Quad>, StorageError> {
    let p = term(AKG, "sourceDigest");
    t.quads_for_pattern(
        Some(graphs.aggregates.as_ref().into()),
        Some(p.as_ref()),
        None,
        Some(graphs.meta.as_ref().into()),
    )
    .collect()
}

/// Updates the aggregate graph's digest by the change a transaction made; when the record is missing or not one
/// well-formed digest, computes it from the whole graph instead.
fn record_sum(t: &mut Transaction<'_>, graphs: &Graphs, delta: Sum) -> Result<(), StorageError> {
    match stored_sum(t, graphs)? {
        Some(_) if delta == Sum::default() => Ok(()),
        Some(old) => write_sum(t, graphs, Sum(old.0.wrapping_add(delta.0))),
        None => {
            let sum = scan_sum(t, &graphs.aggregates)?;
            write_sum(t, graphs, sum)
        }
    }
}

/// Writes the aggregate graph's digest as its provenance record, replacing any other.
fn write_sum(t: &mut Transaction<'_>, graphs: &Graphs, sum: Sum) -> Result<(), StorageError> {
    let p = term(AKG, "sourceDigest");
    for q in &digest_record(t, graphs)? {
        remove_both(t, q.as_ref());
    }
    insert_both(
        t,
        QuadRef::new(&graphs.aggregates, &p, &sum.literal(), &graphs.meta),
    );
    Ok(())
}

/// The digest of the tallies the aggregate graph holds (its own marks, whose subject is the graph, left out).
fn scan_sum(t: &Transaction<'_>, graph: &NamedNode) -> Result<Sum, StorageError> {
    let mut sum = Sum::default();
    for q in t.quads_for_pattern(None, None, None, Some(graph.as_ref().into())) {
        let q = q?;
        if q.subject.as_ref() != graph.as_ref().into() {
            sum.add(q.as_ref());
        }
    }
    Ok(sum)
}

/// The competence weight of each provision kind, read once per recount (`None`: a weight that is not a decimal,
/// which makes the sum unbound, as SPARQL's SUM would).
#[derive(Default)]
struct Weights(HashMap<Term, Option<Decimal>>);

impl Weights {
    fn of(
        &mut self,
        t: &Transaction<'_>,
        terms: &Terms,
        kind: &Term,
    ) -> Result<Option<Decimal>, StorageError> {
        if let Some(w) = self.0.get(kind) {
            return Ok(*w);
        }
        let w = match kind {
            Term::NamedNode(n) => {
                let given = objects(t, n.as_ref().into(), terms.weight.as_ref())?;
                if given.is_empty() {
                    Some(Decimal::from(1))
                } else {
                    given
                        .iter()
                        .try_fold(Decimal::from(0), |sum, w| sum.checked_add(decimal(w)?))
                }
            }
            _ => Some(Decimal::from(1)),
        };
        self.0.insert(kind.clone(), w);
        Ok(w)
    }
}

/// A literal's value as a decimal, when it is an `xsd:decimal` or `xsd:integer`.
fn decimal(term: &Term) -> Option<Decimal> {
    let Term::Literal(l) = term else { return None };
    let dt = l.datatype().as_str();
    (dt.ends_with("#decimal") || dt.ends_with("#integer"))
        .then(|| Decimal::from_str(l.value()).ok())
        .flatten()
}

/// One body's counts: per area, the provisions (having a kind) and the sum of their kinds' weights; per kind, the
/// provisions.
#[derive(Default)]
struct Counts {
    areas: HashMap<Term, (i64, Option<Decimal>)>,
    kinds: HashMap<Term, i64>,
}

/// Counts a body's provisions from the default graph, as the competence queries counted them.
fn count(
    t: &Transaction<'_>,
    terms: &Terms,
    weights: &mut Weights,
    body: NamedNodeRef<'_>,
) -> Result<Counts, StorageError> {
    let mut counts = Counts::default();
    let provisions: Vec<NamedOrBlankNode> = t
        .quads_for_pattern(
            None,
            Some(terms.assigned_to.as_ref()),
            Some(body.into()),
            Some(GraphNameRef::DefaultGraph),
        )
        .map(|q| q.map(|q| q.subject))
        .collect::<Result<_, _>>()?;
    for p in &provisions {
        let kinds = objects(t, p.as_ref(), terms.kind.as_ref())?;
        if kinds.is_empty() {
            continue;
        }
        let mut weight = Some(Decimal::from(0));
        for k in &kinds {
            *counts.kinds.entry(k.clone()).or_default() += 1;
            let w = weights.of(t, terms, k)?;
            weight = weight.zip(w).and_then(|(a, b)| a.checked_add(b));
        }
        for area in objects(t, p.as_ref(), terms.subject.as_ref())? {
            let cell = counts
                .areas
                .entry(area)
                .or_insert((0, Some(Decimal::from(0))));
            cell.0 += 1;
            cell.1 = cell.1.zip(weight).and_then(|(a, b)| a.checked_add(b));
        }
    }
    Ok(counts)
}

/// Replaces a body's tallies with a fresh count.
fn recount(
    t: &mut Transaction<'_>,
    graph: &NamedNode,
    terms: &Terms,
    weights: &mut Weights,
    body: NamedNodeRef<'_>,
    delta: &mut Sum,
) -> Result<(), StorageError> {
    remove_tallies(t, graph, terms, body, delta)?;
    let counts = count(t, terms, weights, body)?;
    for q in cell_quads(graph, terms, body, &counts) {
        delta.add(q.as_ref());
        insert_both(t, q.as_ref());
    }
    Ok(())
}

/// The tallies of a body's counts, as quads of the aggregate graph.
fn cell_quads(
    graph: &NamedNode,
    terms: &Terms,
    body: NamedNodeRef<'_>,
    counts: &Counts,
) -> Vec<Quad> {
    let mut out = Vec::new();
    let mut put = |s: &NamedNode, p: &NamedNode, o: Term| {
        out.push(Quad::new(s.clone(), p.clone(), o, graph.clone()));
    };
    for (area, (n, weight)) in &counts.areas {
        let cell = tally_iri(body, "competence", area, COMP);
        put(
            &cell,
            &terms.rdf_type,
            terms.competence_tally.clone().into(),
        );
        put(&cell, &terms.tally_of, body.into_owned().into());
        put(&cell, &terms.tally_area, area.clone());
        put(&cell, &terms.count, Literal::from(*n).into());
        if let Some(w) = weight {
            put(&cell, &terms.weight_sum, Literal::from(*w).into());
        }
    }
    for (kind, n) in &counts.kinds {
        let cell = tally_iri(body, "kind", kind, AKG);
        put(&cell, &terms.rdf_type, terms.kind_tally.clone().into());
        put(&cell, &terms.tally_of, body.into_owned().into());
        put(&cell, &terms.tally_kind, kind.clone());
        put(&cell, &terms.count, Literal::from(*n).into());
    }
    out
}

/// Removes every tally of a body (from the aggregate graph and the default graph).
fn remove_tallies(
    t: &mut Transaction<'_>,
    graph: &NamedNode,
    terms: &Terms,
    body: NamedNodeRef<'_>,
    delta: &mut Sum,
) -> Result<(), StorageError> {
    let g = GraphNameRef::from(graph.as_ref());
    let cells: Vec<NamedOrBlankNode> = t
        .quads_for_pattern(
            None,
            Some(terms.tally_of.as_ref()),
            Some(body.into()),
            Some(g),
        )
        .map(|q| q.map(|q| q.subject))
        .collect::<Result<_, _>>()?;
    for cell in &cells {
        let old: Vec<Quad> = t
            .quads_for_pattern(Some(cell.as_ref()), None, None, Some(g))
            .collect::<Result<_, _>>()?;
        for q in &old {
            delta.remove(q.as_ref());
            remove_both(t, q.as_ref());
        }
    }
    Ok(())
}

/// A tally's IRI: a fragment of its body's IRI (so that it dereferences to the body), named by the area's or
/// kind's local name where that is in the project's namespace, else by a digest of its IRI.
fn tally_iri(body: NamedNodeRef<'_>, what: &str, of: &Term, ns: &str) -> NamedNode {
    let iri = match of {
        Term::NamedNode(n) => n.as_str(),
        _ => "",
    };
    let name = iri
        .strip_prefix(ns)
        .filter(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| digest(&of.to_string()));
    let body = body.as_str();
    match body.split_once('#') {
        None => NamedNode::new_unchecked(format!("{body}#{what}-{name}")),
        Some((doc, frag)) => {
            NamedNode::new_unchecked(format!("{doc}#{}-{what}-{name}", digest(frag)))
        }
    }
}

/// A short hexadecimal digest, for names that cannot go into an IRI as they are.
fn digest(text: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(text.as_bytes());
    d[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Objects of a subject and predicate in the default graph.
fn objects(
    t: &Transaction<'_>,
    s: oxigraph::model::NamedOrBlankNodeRef<'_>,
    p: NamedNodeRef<'_>,
) -> Result<Vec<Term>, StorageError> {
    t.quads_for_pattern(Some(s), Some(p), None, Some(GraphNameRef::DefaultGraph))
        .map(|q| q.map(|q| q.object))
        .collect()
}

/// Inserts a quad of the aggregate graph and its default-graph copy.
fn insert_both(t: &mut Transaction<'_>, q: QuadRef<'_>) {
    t.insert(q);
    t.insert(QuadRef::new(
        q.subject,
        q.predicate,
        q.object,
        GraphNameRef::DefaultGraph,
    ));
}

/// Removes a quad of the aggregate graph and its default-graph copy.
fn remove_both(t: &mut Transaction<'_>, q: QuadRef<'_>) {
    t.remove(q);
    t.remove(QuadRef::new(
        q.subject,
        q.predicate,
        q.object,
        GraphNameRef::DefaultGraph,
    ));
}
