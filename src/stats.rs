//! What the store holds, counted with SPARQL over the union graph.

use crate::query::{plain, select, QueryError};
use oxigraph::store::Store;
use std::fmt;

/// Counts of the store's contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    /// Quads in the store.
    pub quads: usize,
    /// Ingested documents (named graphs with provenance).
    pub documents: usize,
    /// Documents that carry extraction warnings.
    pub documents_with_warnings: usize,
    /// Rows of (label, count) per section.
    pub sections: Vec<(String, Vec<(String, u64)>)>,
    /// Where the Kazakh and Russian versions of a regulation do not pair up.
    pub language_mismatches: Vec<crate::bilingual::Mismatch>,
}

const SECTIONS: &[(&str, &str)] = &[
    (
        "documents by language",
        "SELECT ?k (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g akg:sourceDigest ?d ; dct:language ?k } GROUP BY ?k ORDER BY ?k",
    ),
    (
        "regulations by language versions",
        "SELECT ?k (COUNT(DISTINCT ?r) AS ?n) WHERE { { SELECT ?r (GROUP_CONCAT(DISTINCT lang(?t); separator=\"+\") AS ?k0) WHERE { ?r eli:type_document akg:Regulation . ?p eli:is_part_of ?r ; akg:text ?t } GROUP BY ?r } BIND(IF(CONTAINS(?k0, \"+\"), \"kk+ru\", ?k0) AS ?k) } GROUP BY ?k ORDER BY ?k",
    ),
    (
        "organisations by class",
        "SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a ?k . FILTER(?k IN (akg:StateInstitution, akg:StateEnterprise, akg:Akimat, akg:Maslikhat)) } GROUP BY ?k ORDER BY ?k",
    ),
    (
        "units named by the documents",
        "SELECT ?k (COUNT(DISTINCT ?u) AS ?n) WHERE { GRAPH ?g { ?u a akg:AdministrativeUnit } ?g akg:sourceDigest ?d ; dct:language ?l . BIND(IF(EXISTS { ?u akg:gazetteerId ?id }, \"in the gazetteer\", \"by name key only\") AS ?k) } GROUP BY ?k ORDER BY ?k",
    ),
    (
        "provisions by kind",
        "SELECT ?k (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a akg:Provision ; akg:provisionKind ?k } GROUP BY ?k ORDER BY ?k",
    ),
    (
        "legal acts by type",
        "SELECT ?k (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a eli:LegalResource ; eli:type_document ?k } GROUP BY ?k ORDER BY ?k",
    ),
    (
        "citations",
        "SELECT ?k (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a akg:Citation . BIND(\"citation records\" AS ?k) } GROUP BY ?k",
    ),
];

/// Counts what the store holds.
pub fn stats(store: &Store) -> Result<Stats, QueryError> {
    let quads = store.len().unwrap_or(0);
    let (_, docs) = select(
        store,
        "SELECT (COUNT(DISTINCT ?g) AS ?n) (COUNT(DISTINCT ?w) AS ?warned) WHERE { ?g akg:sourceDigest ?d ; dct:language ?l . OPTIONAL { ?g akg:extractionWarning ?x . BIND(?g AS ?w) } }",
        "stats",
    )?;
    let num = |t: &Option<oxigraph::model::Term>| {
        t.as_ref()
            .map(plain)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let (documents, documents_with_warnings) = docs
        .first()
        .map(|r| (num(&r[0]) as usize, num(&r[1]) as usize))
        .unwrap_or((0, 0));
    let mut sections = Vec::new();
    for (name, q) in SECTIONS {
        let (_, rows) = select(store, q, "stats")?;
        let rows = rows
            .iter()
            .map(|r| {
                let k = r[0].as_ref().map(plain).unwrap_or_default();
                let k = k.rsplit(['#', '/']).next().unwrap_or(&k).to_string();
                (k, num(&r[1]))
            })
            .collect();
        sections.push((name.to_string(), rows));
    }
    Ok(Stats {
        quads,
        documents,
        documents_with_warnings,
        sections,
        language_mismatches: crate::bilingual::mismatches(store)?,
    })
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "documents: {} ({} with warnings)",
            self.documents, self.documents_with_warnings
        )?;
        writeln!(f, "quads: {}", self.quads)?;
        for (name, rows) in &self.sections {
            writeln!(f, "{name}:")?;
            for (k, n) in rows {
                writeln!(f, "  {k:<28} {n}")?;
            }
        }
        writeln!(
            f,
            "language mismatches (Kazakh and Russian versions that do not pair up): {}",
            self.language_mismatches.len()
        )?;
        for m in &self.language_mismatches {
            writeln!(f, "  {m}")?;
        }
        Ok(())
    }
}
