//! Namespaces of the data model (docs/model.md) and constructors for their terms.

use oxigraph::model::NamedNode;

/// The project's ontology.
pub const AKG: &str = "https://w3id.org/akimat-kg/ontology#";
/// Competence areas.
pub const COMP: &str = "https://w3id.org/akimat-kg/competence/";
/// Legal forms.
pub const FORM: &str = "https://w3id.org/akimat-kg/legal-form/";
/// W3C Organization Ontology.
pub const ORG: &str = "http://www.w3.org/ns/org#";
/// EU Core Public Organisation Vocabulary.
pub const CV: &str = "http://data.europa.eu/m8g/";
/// European Legislation Identifier.
pub const ELI: &str = "http://data.europa.eu/eli/ontology#";
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// SKOS.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// Dublin Core terms.
pub const DCT: &str = "http://purl.org/dc/terms/";
/// ISA Core Location.
pub const LOCN: &str = "http://www.w3.org/ns/locn#";
/// schema.org.
pub const SCHEMA: &str = "https://schema.org/";
/// RDF.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

/// The public pages of an act in the Әділет database, by its ID (`{lang}` is `kaz` or `rus`).
pub const ADILET_PAGE: &str = "https://adilet.zan.kz/{lang}/docs/{id}";

/// The default base of instance IRIs.
pub const DEFAULT_BASE: &str = "https://w3id.org/akimat-kg/";

/// The prefixes used when printing Turtle and SPARQL, in a stable order.
pub const PREFIXES: &[(&str, &str)] = &[
    ("akg", AKG),
    ("comp", COMP),
    ("form", FORM),
    ("org", ORG),
    ("cv", CV),
    ("eli", ELI),
    ("prov", PROV),
    ("skos", SKOS),
    ("dct", DCT),
    ("locn", LOCN),
    ("schema", SCHEMA),
    ("rdf", RDF),
    ("xsd", XSD),
    ("rdfs", RDFS),
];

/// A term of a namespace.
pub fn term(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

/// `rdf:type`.
pub fn a() -> NamedNode {
    term(RDF, "type")
}
