//! The project's vocabularies at their namespace IRIs: `/ontology` (`akg:`), `/competence/` (`comp:`) and
//! `/legal-form/` (`form:`) answer with the whole file (`ontology/*.ttl`) in the RDF format asked for, or with a
//! page listing every term with its labels, definition and links, each under an anchor named by its local name (so
//! `…/ontology#Provision` lands on it). Single terms of the schemes (`/competence/education`) are resources like
//! any other.

use super::error::ApiError;
use super::negotiate::{self, Representation};
use super::pages::{self, PageWords};
use super::resource::Labeler;
use super::view::Link;
use super::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::store::Store;
use std::collections::BTreeMap;
use std::sync::Arc;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const DEFINITIONS: &[&str] = &[
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://purl.org/dc/terms/description",
];

/// `/ontology`.
pub async fn ontology(state: State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    namespace(
        state,
        uri,
        headers,
        crate::ONTOLOGY,
        "https://w3id.org/akimat-kg/ontology#",
        "https://w3id.org/akimat-kg/ontology",
        "ontology",
    )
}

/// `/competence/`.
pub async fn competences(state: State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    namespace(
        state,
        uri,
        headers,
        crate::COMPETENCES,
        crate::rdf::vocab::COMP,
        "https://w3id.org/akimat-kg/competence/scheme",
        "competences",
    )
}

/// `/legal-form/`.
pub async fn legal_forms(state: State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    namespace(
        state,
        uri,
        headers,
        crate::LEGAL_FORMS,
        crate::rdf::vocab::FORM,
        "https://w3id.org/akimat-kg/legal-form/scheme",
        "legal_forms",
    )
}

fn namespace(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    headers: HeaderMap,
    turtle: &'static str,
    ns: &'static str,
    main: &'static str,
    title_key: &'static str,
) -> Response {
    let representation = match negotiate::choose_page(&uri, &headers) {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let triples: Vec<Triple> = match RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()
    {
        Ok(t) => t,
        Err(e) => {
            return ApiError::Internal(format!("the compiled-in vocabulary does not parse: {e}"))
                .into_response()
        }
    };
    if representation != Representation::Html {
        return super::encode::triples_response(
            &triples,
            representation,
            &state.context,
            Some(main),
        );
    }
    let lang = pages::language(&uri, &headers);
    match page(
        &state.words,
        &lang,
        &triples,
        ns,
        main,
        title_key,
        uri.path(),
    ) {
        Ok(p) => pages::html_response(p),
        Err(e) => ApiError::Internal(e).into_response(),
    }
}

/// The page of a vocabulary: its title, description and formats, then its terms grouped by type.
fn page(
    words: &PageWords,
    lang: &str,
    triples: &[Triple],
    ns: &str,
    main: &str,
    title_key: &str,
    here: &str,
) -> Result<String, String> {
    let store = vocabulary_store(triples)?;
    let terms = Terms {
        store: &store,
        labels: Labeler::new(&store, lang, crate::rdf::vocab::DEFAULT_BASE),
        lang,
    };
    let groups = term_groups(triples, ns);
    let title = words.get(title_key, lang);
    let description = terms.text_of(main, DEFINITIONS);
    let body = html! {
        h1 { (title) }
        p.iri { code { (ns) } }
        @if let Some((d, l)) = &description { p.lead lang=(l) { (d) } }
        p.formats {
            (words.get("formats", lang)) ": "
            a href={(here) "?format=ttl"} { "Turtle" } " · "
            a href={(here) "?format=jsonld"} { "JSON-LD" } " · "
            a href={(here) "?format=rdf"} { "RDF/XML" } " · "
            a href={(here) "?format=nt"} { "N-Triples" }
        }
        @for (kind, iris) in &groups {
            section {
                h2 { (terms.labels.link(kind).label) " " small { "(" (iris.len()) ")" } }
                @for term in iris { (terms.entry(term, ns)) }
            }
        }
    };
    Ok(pages::layout_page(words, lang, &title, here, body))
}

/// The vocabulary's triples in a store of their own, for labels and links.
fn vocabulary_store(triples: &[Triple]) -> Result<Store, String> {
    let store = Store::new().map_err(|e| e.to_string())?;
    for t in triples {
        store
            .insert(t.as_ref().in_graph(GraphNameRef::DefaultGraph))
            .map_err(|e| e.to_string())?;
    }
    Ok(store)
}

/// The terms of the namespace, grouped by their first type.
fn term_groups(triples: &[Triple], ns: &str) -> BTreeMap<String, Vec<String>> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for t in triples {
        let NamedOrBlankNode::NamedNode(s) = &t.subject else {
            continue;
        };
        if !s.as_str().starts_with(ns)
            || t.predicate.as_str() != RDF_TYPE
            || !seen.insert(s.as_str().to_string())
        {
            continue;
        }
        let kind = match &t.object {
            Term::NamedNode(n) => n.as_str().to_string(),
            _ => String::new(),
        };
        groups.entry(kind).or_default().push(s.as_str().to_string());
    }
    groups
}

/// What the page says of each term, read from the vocabulary's store in the page's language.
struct Terms<'a> {
    store: &'a Store,
    labels: Labeler<'a>,
    lang: &'a str,
}

impl Terms<'_> {
    /// A term's text under one of `props`, with its language: the page's, else English, Kazakh, Russian, untagged.
    fn text_of(&self, iri: &str, props: &[&str]) -> Option<(String, String)> {
        let node = NamedNode::new(iri).ok()?;
        let by_lang = super::resource::texts_by_language(self.store, node.as_ref(), props, None);
        [self.lang, "en", "kk", "ru", ""]
            .iter()
            .find_map(|l| by_lang.get(*l).map(|v| (v.clone(), l.to_string())))
    }

    /// A term's links to other IRIs (its types left out), by property.
    fn links_of(&self, iri: &str) -> Vec<(Link, Vec<Link>)> {
        let Ok(node) = NamedNode::new(iri) else {
            return Vec::new();
        };
        let mut by_p: BTreeMap<String, Vec<Link>> = BTreeMap::new();
        for q in self
            .store
            .quads_for_pattern(Some(node.as_ref().into()), None, None, None)
            .filter_map(Result::ok)
        {
            if q.predicate.as_str() == RDF_TYPE {
                continue;
            }
            if let Term::NamedNode(o) = &q.object {
                by_p.entry(q.predicate.as_str().to_string())
                    .or_default()
                    .push(self.labels.link(o.as_str()));
            }
        }
        by_p.into_iter()
            .map(|(p, v)| (self.labels.link(&p), v))
            .collect()
    }

    /// A term's entry, under an anchor named by its local name: its label and short IRI, definition and links.
    fn entry(&self, term: &str, ns: &str) -> Markup {
        let local = term.strip_prefix(ns).unwrap_or(term);
        let links = self.links_of(term);
        html! {
            div.term id=(local) {
                h3 {
                    (self.labels.label(term).unwrap_or_else(|| local.to_string()))
                    " " small { code { (super::resource::short_iri(term)) } }
                }
                @if let Some((d, l)) = self.text_of(term, DEFINITIONS) { p lang=(l) { (d) } }
                @if !links.is_empty() {
                    table.properties {
                        @for (p, values) in &links {
                            tr {
                                th { (p.label) }
                                td {
                                    @for (i, v) in values.iter().enumerate() {
                                        @if i > 0 { ", " }
                                        @match &v.href {
                                            Some(h) => a href=(h) title=(v.iri) { (v.label) },
                                            None => span title=(v.iri) { (v.label) },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
