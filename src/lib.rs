#![doc = include_str!("../README.md")]
//! The path of a document through the crate, one module per stage:
//! [`read`] → [`decode`] → [`normalize`] → [`parse`] → [`extract`] → [`rdf`] → [`store`],
//! tied together by [`pipeline`]. [`lexicon`] holds the keyword tables loaded from `data/`,
//! [`query`] runs SPARQL over the store, [`validate`] checks it against SHACL shapes. Around the path:
//! [`fetch`] downloads acts from Әділет, [`serve`] publishes the store over HTTP, [`publish`] pushes it to
//! remote triple stores ([`http`] is their shared client), [`synth`] makes scale corpora, [`train`] fits the
//! competence model from hand labels.

pub mod bilingual;
pub mod classify;
pub mod cli;
pub mod competence;
pub mod datafile;
pub mod decode;
pub mod extract;
pub mod fetch;
pub mod gazetteer;
pub mod http;
pub mod lexicon;
pub mod normalize;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod publish;
pub mod query;
pub mod rdf;
pub mod read;
pub mod reconcile;
pub mod serve;
pub mod store;
pub mod synth;
pub mod text;
pub mod train;
pub mod validate;

/// Version of the extractor, recorded in the provenance of every named graph.
pub const EXTRACTOR_VERSION: &str = concat!("akimat-kg ", env!("CARGO_PKG_VERSION"));
pub mod stats;

/// The SHACL shapes of the data model (`ontology/shapes.ttl`), used by `validate` by default.
pub const SHAPES: &str = include_str!("../ontology/shapes.ttl");
/// The OWL ontology (`ontology/akg.ttl`).
pub const ONTOLOGY: &str = include_str!("../ontology/akg.ttl");
/// The legal-form scheme (`ontology/legal-forms.ttl`).
pub const LEGAL_FORMS: &str = include_str!("../ontology/legal-forms.ttl");
/// The competence-area scheme (`ontology/competences.ttl`).
pub const COMPETENCES: &str = include_str!("../ontology/competences.ttl");
