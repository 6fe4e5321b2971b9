//! What the store holds, counted once per snapshot: for the home page and the dataset description.

use super::live::Snapshot;
use crate::query::{plain, select};
use oxigraph::model::{GraphNameRef, Term};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// An institution for the home page's list.
#[derive(Debug, Clone)]
pub struct InstitutionEntry {
    /// Its IRI.
    pub iri: String,
    /// Its names by language.
    pub names: BTreeMap<String, String>,
    /// Its unit's IRI.
    pub unit: Option<String>,
    /// The unit's names by language.
    pub unit_names: BTreeMap<String, String>,
}

/// Counts and lists of one snapshot.
#[derive(Debug, Clone, Default)]
pub struct StoreSummary {
    /// Triples in the default graph (the union).
    pub triples: u64,
    /// Source documents ingested.
    pub documents: u64,
    /// Their sources (file paths or URLs as recorded).
    pub sources: Vec<String>,
    /// Provisions.
    pub provisions: u64,
    /// Legal acts.
    pub acts: u64,
    /// Distinct subjects, objects and properties of the union.
    pub distinct_subjects: u64,
    /// Distinct objects.
    pub distinct_objects: u64,
    /// Distinct properties.
    pub properties: u64,
    /// Instances per class.
    pub classes: Vec<(String, u64)>,
    /// The institutions.
    pub institutions: Vec<InstitutionEntry>,
    /// The latest extraction time (`prov:generatedAtTime`), if any.
    pub modified: Option<String>,
}

/// A summary is recomputed for a new snapshot at most this often: while another process ingests, the snapshot
/// changes every second, and counting a large store that often would cost more than it tells.
pub const RECOUNT_AFTER: Duration = Duration::from_secs(30);

/// A summary with the snapshot it counts and when it was counted.
type Counted = (u64, String, Arc<StoreSummary>, Instant);

/// The summary of the latest snapshot counted.
#[derive(Default)]
pub struct StoreSummaryCache {
    current: Mutex<Option<Counted>>,
}

impl StoreSummaryCache {
    /// The summary of `snapshot`, or of an earlier one counted less than [`RECOUNT_AFTER`] ago.
    pub fn get(&self, snapshot: &Snapshot) -> Result<Arc<StoreSummary>, crate::query::QueryError> {
        if let Some((generation, tag, s, when)) =
            &*self.current.lock().unwrap_or_else(|e| e.into_inner())
        {
            let same = *generation == snapshot.generation && *tag == snapshot.tag;
            if same || when.elapsed() < RECOUNT_AFTER {
                return Ok(s.clone());
            }
        }
        let s = Arc::new(compute(snapshot)?);
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some((
            snapshot.generation,
            snapshot.tag.clone(),
            s.clone(),
            Instant::now(),
        ));
        Ok(s)
    }
}

fn count(
    store: &oxigraph::store::Store,
    q: &str,
    name: &str,
) -> Result<u64, crate::query::QueryError> {
    let (_, rows) = select(store, q, name)?;
    Ok(rows
        .first()
        .and_then(|r| r.first())
        .and_then(|t| t.as_ref())
        .map(plain)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Counts and lists what the snapshot holds.
fn compute(snapshot: &Snapshot) -> Result<StoreSummary, crate::query::QueryError> {
    let store = &snapshot.store;
    let triples = store
        .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
        .count() as u64;
    let sources = sources(store)?;
    let classes = classes(store)?;
    let institutions = institutions(store)?;
    let modified = modified(store)?;
    Ok(StoreSummary {
        triples,
        documents: sources.len() as u64,
        sources,
        provisions: count(
            store,
            "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a akg:Provision }",
            "provisions",
        )?,
        acts: count(
            store,
            "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a eli:LegalResource }",
            "acts",
        )?,
        distinct_subjects: count(
            store,
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
            "subjects",
        )?,
        distinct_objects: count(
            store,
            "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
            "objects",
        )?,
        properties: count(
            store,
            "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
            "properties",
        )?,
        classes,
        institutions,
        modified,
    })
}

/// The sources of the documents ingested (the ontology's graph left out), in order.
fn sources(store: &oxigraph::store::Store) -> Result<Vec<String>, crate::query::QueryError> {
    let (_, sources) = select(
        store,
        "SELECT DISTINCT ?g ?source WHERE { GRAPH ?m { ?g akg:sourceDigest ?d ; prov:wasDerivedFrom ?source } \
         FILTER(!STRENDS(STR(?g), \"graph/ontology\")) } ORDER BY ?source",
        "documents",
    )?;
    Ok(sources
        .iter()
        .filter_map(|r| r.get(1).and_then(|t| t.as_ref()).map(plain))
        .collect())
}

/// Instances per class, most first.
fn classes(store: &oxigraph::store::Store) -> Result<Vec<(String, u64)>, crate::query::QueryError> {
    let (_, class_rows) = select(
        store,
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
        "classes",
    )?;
    Ok(class_rows
        .iter()
        .filter_map(|r| {
            let c = r.first()?.as_ref().map(plain)?;
            let n = r.get(1)?.as_ref().map(plain)?.parse().ok()?;
            Some((c, n))
        })
        .collect())
}

/// The institutions with a founding document, by IRI, with their names and their unit's.
fn institutions(
    store: &oxigraph::store::Store,
) -> Result<Vec<InstitutionEntry>, crate::query::QueryError> {
    let (_, inst_rows) = select(
        store,
        "SELECT ?i ?name ?unit ?unitName WHERE { ?i a akg:StateInstitution ; akg:foundingDocument ?reg . \
         OPTIONAL { ?i skos:prefLabel ?name } OPTIONAL { ?i dct:spatial ?unit OPTIONAL { ?unit skos:prefLabel ?unitName } } }",
        "institutions",
    )?;
    let mut institutions: BTreeMap<String, InstitutionEntry> = BTreeMap::new();
    let lang_of = |t: &Option<Term>| match t {
        Some(Term::Literal(l)) => Some((
            l.language().unwrap_or("").to_string(),
            l.value().to_string(),
        )),
        _ => None,
    };
    for r in &inst_rows {
        let Some(iri) = r.first().and_then(|t| t.as_ref()).map(plain) else {
            continue;
        };
        let e = institutions
            .entry(iri.clone())
            .or_insert_with(|| InstitutionEntry {
                iri,
                names: BTreeMap::new(),
                unit: None,
                unit_names: BTreeMap::new(),
            });
        if let Some((lang, v)) = r.get(1).and_then(lang_of) {
            e.names.insert(lang, v);
        }
        if let Some(u) = r.get(2).and_then(|t| t.as_ref()).map(plain) {
            e.unit = Some(u);
        }
        if let Some((lang, v)) = r.get(3).and_then(lang_of) {
            e.unit_names.insert(lang, v);
        }
    }
    Ok(institutions.into_values().collect())
}

/// The latest extraction time (`prov:generatedAtTime`), if any.
fn modified(store: &oxigraph::store::Store) -> Result<Option<String>, crate::query::QueryError> {
    Ok(select(
        store,
        "SELECT (MAX(?t) AS ?m) WHERE { ?g prov:generatedAtTime ?t }",
        "modified",
    )?
    .1
    .first()
    .and_then(|r| r.first())
    .and_then(|t| t.as_ref())
    .map(plain))
}
