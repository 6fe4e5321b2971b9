//! The dataset description at `/.well-known/void` (RFC 5785 / VoID §7): VoID and DCAT in one graph. It says what
//! the dataset is (titles in kk, ru, en), its licence, when it was last extracted, its SPARQL endpoint and URI
//! space, the vocabularies it uses, its counts (triples, entities, properties, distinct subjects and objects,
//! documents, and a class partition), its dumps as DCAT distributions with their media types, and its provenance:
//! the source documents and the tool that made it.

use super::error::ApiError;
use super::negotiate;
use super::AppState;
use crate::rdf::vocab::{DCT, PROV, RDF, XSD};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::sync::Arc;

const VOID: &str = "http://rdfs.org/ns/void#";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";

/// `GET /.well-known/void`.
pub async fn description(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let representation = match negotiate::choose(&negotiate::graph_offers(), None, accept) {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let summary = state
        .read(|state, snapshot| {
            state
                .summaries
                .get(snapshot)
                .map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await;
    let summary = match summary {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let triples = triples(&state, &summary);
    let dataset = state.options.base.iri("dataset");
    super::encode::triples_response(&triples, representation, &state.context, Some(&dataset))
}

fn n(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// The description's triples.
pub fn triples(state: &AppState, summary: &super::summary::StoreSummary) -> Vec<Triple> {
    let base = state.options.base.iri("");
    let mut description = Description {
        dataset: n(format!("{base}dataset")).into(),
        base,
        out: Vec::new(),
    };
    description.identity(state, summary);
    description.access();
    description.counts(summary);
    description.distributions(state);
    description.service();
    description.provenance(summary);
    description.out
}

/// An `xsd:integer` literal, for the counts.
fn int(v: u64) -> Term {
    Literal::new_typed_literal(v.to_string(), n(format!("{XSD}integer"))).into()
}

/// The description as it is built: the dataset's node, the base IRI and the triples so far.
struct Description {
    /// The dataset's IRI (`{base}dataset`).
    dataset: NamedOrBlankNode,
    /// The base IRI of the dataset's resources.
    base: String,
    out: Vec<Triple>,
}

impl Description {
    /// Adds one triple.
    fn add(&mut self, s: &NamedOrBlankNode, p: String, o: Term) {
        self.out.push(Triple::new(s.clone(), n(p), o));
    }

    /// What the dataset is: its types, titles, description, licence and when it was last modified.
    fn identity(&mut self, state: &AppState, summary: &super::summary::StoreSummary) {
        let d = self.dataset.clone();
        self.add(&d, format!("{RDF}type"), n(format!("{VOID}Dataset")).into());
        self.add(&d, format!("{RDF}type"), n(format!("{DCAT}Dataset")).into());
        // The dataset's title in the three languages (`dataset_title` of data/serve/ui.tsv).
        for lang in ["en", "kk", "ru"] {
            let text = state.words.get("dataset_title", lang);
            self.add(
                &d,
                format!("{DCT}title"),
                Literal::new_language_tagged_literal_unchecked(text, lang).into(),
            );
        }
        self.add(
            &d,
            format!("{DCT}description"),
            Literal::new_language_tagged_literal_unchecked(
                "Institutions, founders, administrative units, legal acts and citations, and the goals, rights, duties, \
                 functions and head's powers of Kazakhstan's local state bodies, extracted from their regulations in \
                 Kazakh and Russian.",
                "en",
            )
            .into(),
        );
        self.add(
            &d,
            format!("{DCT}license"),
            n(state.options.license.clone()).into(),
        );
        if let Some(m) = &summary.modified {
            self.add(
                &d,
                format!("{DCT}modified"),
                Literal::new_typed_literal(m.clone(), n(format!("{XSD}dateTime"))).into(),
            );
        }
    }

    /// Where the dataset is: its SPARQL endpoint, URI space, root resource and home page, and the vocabularies
    /// it uses.
    fn access(&mut self) {
        let d = self.dataset.clone();
        let base = self.base.clone();
        self.add(
            &d,
            format!("{VOID}sparqlEndpoint"),
            n(format!("{base}sparql")).into(),
        );
        self.add(
            &d,
            format!("{VOID}uriSpace"),
            Literal::new_simple_literal(base.clone()).into(),
        );
        self.add(&d, format!("{VOID}rootResource"), n(base.clone()).into());
        self.add(&d, format!("{FOAF}homepage"), n(base).into());
        for (_, ns) in crate::rdf::vocab::PREFIXES {
            self.add(
                &d,
                format!("{VOID}vocabulary"),
                n(ns.trim_end_matches('#').to_string()).into(),
            );
        }
    }

    /// The dataset's counts, an example resource and the class partition.
    fn counts(&mut self, summary: &super::summary::StoreSummary) {
        let d = self.dataset.clone();
        self.add(&d, format!("{VOID}triples"), int(summary.triples));
        self.add(
            &d,
            format!("{VOID}distinctSubjects"),
            int(summary.distinct_subjects),
        );
        self.add(
            &d,
            format!("{VOID}distinctObjects"),
            int(summary.distinct_objects),
        );
        self.add(&d, format!("{VOID}properties"), int(summary.properties));
        self.add(&d, format!("{VOID}documents"), int(summary.documents));
        self.add(
            &d,
            format!("{VOID}classes"),
            int(summary.classes.len() as u64),
        );
        if let Some(example) = summary.institutions.first() {
            self.add(
                &d,
                format!("{VOID}exampleResource"),
                n(example.iri.clone()).into(),
            );
        }
        for (class, count) in &summary.classes {
            let part: NamedOrBlankNode = BlankNode::default().into();
            self.add(&d, format!("{VOID}classPartition"), part.clone().into());
            self.add(&part, format!("{VOID}class"), n(class.clone()).into());
            self.add(&part, format!("{VOID}entities"), int(*count));
        }
    }

    /// The dumps: a `void:dataDump` and a DCAT distribution, with its media type and licence, per format.
    fn distributions(&mut self, state: &AppState) {
        let d = self.dataset.clone();
        for r in negotiate::dataset_offers() {
            let url = format!("{}dump.{}", self.base, r.extension());
            self.add(&d, format!("{VOID}dataDump"), n(url.clone()).into());
            let dist: NamedOrBlankNode = BlankNode::default().into();
            self.add(&d, format!("{DCAT}distribution"), dist.clone().into());
            self.add(
                &dist,
                format!("{RDF}type"),
                n(format!("{DCAT}Distribution")).into(),
            );
            self.add(&dist, format!("{DCAT}downloadURL"), n(url.clone()).into());
            self.add(&dist, format!("{DCAT}accessURL"), n(url).into());
            self.add(
                &dist,
                format!("{DCAT}mediaType"),
                n(format!(
                    "https://www.iana.org/assignments/media-types/{}",
                    r.media_type()
                ))
                .into(),
            );
            self.add(
                &dist,
                format!("{DCT}license"),
                n(state.options.license.clone()).into(),
            );
        }
    }

    /// The SPARQL endpoint as a DCAT data service that serves the dataset.
    fn service(&mut self) {
        let d = self.dataset.clone();
        let service: NamedOrBlankNode = n(format!("{}sparql", self.base)).into();
        self.add(&d, format!("{DCAT}accessService"), service.clone().into());
        self.add(
            &service,
            format!("{RDF}type"),
            n(format!("{DCAT}DataService")).into(),
        );
        self.add(
            &service,
            format!("{DCAT}endpointURL"),
            n(format!("{}sparql", self.base)).into(),
        );
        self.add(
            &service,
            format!("{DCT}conformsTo"),
            n("https://www.w3.org/TR/sparql11-protocol/").into(),
        );
        self.add(&service, format!("{DCAT}servesDataset"), d.into());
    }

    /// The provenance: the source documents, and the activity and software that made the dataset.
    fn provenance(&mut self, summary: &super::summary::StoreSummary) {
        let d = self.dataset.clone();
        for source in &summary.sources {
            if let Ok(iri) = NamedNode::new(source.as_str()) {
                self.add(&d, format!("{PROV}wasDerivedFrom"), iri.into());
            }
        }
        let activity: NamedOrBlankNode = BlankNode::default().into();
        self.add(&d, format!("{PROV}wasGeneratedBy"), activity.clone().into());
        self.add(
            &activity,
            format!("{RDF}type"),
            n(format!("{PROV}Activity")).into(),
        );
        let agent: NamedOrBlankNode = BlankNode::default().into();
        self.add(
            &activity,
            format!("{PROV}wasAssociatedWith"),
            agent.clone().into(),
        );
        self.add(
            &agent,
            format!("{RDF}type"),
            n(format!("{PROV}SoftwareAgent")).into(),
        );
        self.add(
            &agent,
            "http://www.w3.org/2000/01/rdf-schema#label".to_string(),
            Literal::new_simple_literal(crate::EXTRACTOR_VERSION).into(),
        );
    }
}
