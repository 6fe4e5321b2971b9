//! Linked data: the IRI `BASE` + `p` answers at the path `/p`, as an HTML page for a browser and as RDF (its
//! triples, the triples pointing at it, and those of blank nodes it holds) in the format asked for. IRIs of the
//! project's vocabularies (`https://w3id.org/akimat-kg/…`) answer the same way whatever the base.
//!
//! The page reads the store directly: the resource's properties with the labels of what they point to, what points
//! at it, and for an institution its provisions grouped by kind and its competence profile; for every resource the
//! named graphs (source documents) its triples come from, with their provenance, and the character offsets of its
//! text in the source.

use super::error::ApiError;
use super::live::Snapshot;
use super::negotiate::{self, Representation};
use super::pages;
use super::sparql::{etag, if_none_match, not_modified};
use super::view::{
    Incoming, Link, Origin, ProfileRow, Property, ProvisionGroup, ProvisionItem, ResourceView,
    Value,
};
use super::AppState;
use crate::rdf::vocab::{AKG, DCT, DEFAULT_BASE, ELI, RDF, SCHEMA};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Incoming links shown or sent per resource, at most.
pub const MAX_INCOMING: usize = 2000;

/// The fallback route: any path not served otherwise is a resource path.
pub async fn dereference(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return ApiError::MethodNotAllowed(format!(
            "{method} is not allowed on {}: resources are read-only",
            uri.path()
        ))
        .into_response();
    }
    let lang = pages::language(&uri, &headers);
    let path = uri.path().trim_start_matches('/').to_string();
    let representation = match negotiate::choose_page(&uri, &headers) {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let snapshot = state.live.snapshot();
    let tag = etag(
        &snapshot.tag,
        &format!(
            "resource\u{0}{path}\u{0}{}\u{0}{lang}",
            representation.media_type()
        ),
    );
    if if_none_match(&headers, &tag) {
        return not_modified(&tag);
    }
    let job_lang = lang.clone();
    let job = state
        .read(move |state, snapshot| render(state, snapshot, &path, representation, &job_lang))
        .await;
    let (status, body) = match job {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(representation.content_type()),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Language"),
    );
    if status == StatusCode::OK {
        if let Ok(v) = HeaderValue::from_str(&tag) {
            h.insert(header::ETAG, v);
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    if representation == Representation::Html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(pages::PAGE_CSP),
        );
    }
    r
}

fn render(
    state: &AppState,
    snapshot: &Snapshot,
    path: &str,
    representation: Representation,
    lang: &str,
) -> Result<(StatusCode, Vec<u8>), ApiError> {
    let store = &snapshot.store;
    let base = state.options.base.iri("");
    let candidates: Vec<String> = if path.is_empty() {
        Vec::new()
    } else {
        let mut c = vec![format!("{base}{path}")];
        if base != DEFAULT_BASE {
            c.push(format!("{DEFAULT_BASE}{path}"));
        }
        // A path may arrive percent-encoded where the IRI holds the character itself.
        let decoded: String = percent_decode(path);
        if decoded != path {
            c.push(format!("{base}{decoded}"));
        }
        c
    };
    let found = candidates.iter().find_map(|iri| {
        let node = NamedNode::new(iri.as_str()).ok()?;
        exists(store, node.as_ref()).then_some(node)
    });
    let Some(node) = found else {
        let shown = candidates
            .first()
            .cloned()
            .unwrap_or_else(|| format!("{base}{path}"));
        return match representation {
            Representation::Html => Ok((
                StatusCode::NOT_FOUND,
                pages::not_found(&state.words, lang, &shown).into_bytes(),
            )),
            _ => Err(ApiError::NotFound(format!(
                "nothing in the graph has the IRI <{shown}>"
            ))),
        };
    };
    let internal =
        |e: oxigraph::store::StorageError| ApiError::StoreFailed(format!("store read failed: {e}"));
    match representation {
        Representation::Html => {
            let view = view(state, store, node.as_ref(), lang).map_err(internal)?;
            Ok((
                StatusCode::OK,
                pages::resource(&state.words, lang, &view).into_bytes(),
            ))
        }
        other => {
            let triples = describe(store, node.as_ref()).map_err(internal)?;
            let mut out = Vec::new();
            super::encode::write_triples(
                &triples,
                other,
                &state.context,
                Some(node.as_str()),
                &mut out,
            )
            .map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok((StatusCode::OK, out))
        }
    }
}

/// A request path with its percent-escapes decoded; a malformed escape is kept as written, and a path that does
/// not decode to UTF-8 is kept whole.
fn percent_decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_or_else(|_| path.to_string(), |s| s.into_owned())
}

/// Whether the IRI is a subject, an object or a graph name anywhere in the store.
pub fn exists(store: &Store, node: NamedNodeRef<'_>) -> bool {
    let default = Some(GraphNameRef::DefaultGraph);
    store
        .quads_for_pattern(Some(node.into()), None, None, default)
        .next()
        .is_some()
        || store
            .quads_for_pattern(None, None, Some(node.into()), default)
            .next()
            .is_some()
        || store.contains_named_graph(node).unwrap_or(false)
}

/// The RDF description of a resource: its triples, the blank nodes it holds (one level), and up to
/// [`MAX_INCOMING`] triples pointing at it.
pub fn describe(
    store: &Store,
    node: NamedNodeRef<'_>,
) -> Result<Vec<Triple>, oxigraph::store::StorageError> {
    let default = Some(GraphNameRef::DefaultGraph);
    let mut out: Vec<Triple> = Vec::new();
    let mut blanks = Vec::new();
    for q in store.quads_for_pattern(Some(node.into()), None, None, default) {
        let q = q?;
        if let Term::BlankNode(b) = &q.object {
            blanks.push(b.clone());
        }
        out.push(Triple::from(q));
    }
    for b in blanks {
        for q in store.quads_for_pattern(Some(b.as_ref().into()), None, None, default) {
            out.push(Triple::from(q?));
        }
    }
    for q in store
        .quads_for_pattern(None, None, Some(node.into()), default)
        .take(MAX_INCOMING)
    {
        out.push(Triple::from(q?));
    }
    Ok(out)
}

/// The texts a resource has under the first of `properties` that gives any, one per language tag (`""` for
/// none), the first met of each; in `graph` (all graphs with `None`).
pub fn texts_by_language(
    store: &Store,
    node: NamedNodeRef<'_>,
    properties: &[&str],
    graph: Option<GraphNameRef<'_>>,
) -> BTreeMap<String, String> {
    let mut by_lang: BTreeMap<String, String> = BTreeMap::new();
    for p in properties {
        let p = NamedNode::new_unchecked(*p);
        for q in store
            .quads_for_pattern(Some(node.into()), Some(p.as_ref()), None, graph)
            .filter_map(Result::ok)
        {
            if let Term::Literal(l) = q.object {
                by_lang
                    .entry(l.language().unwrap_or("").to_string())
                    .or_insert_with(|| l.value().to_string());
            }
        }
        if !by_lang.is_empty() {
            break;
        }
    }
    by_lang
}

/// Finds labels in a language order and makes links.
pub struct Labeler<'a> {
    store: &'a Store,
    langs: Vec<String>,
    base: String,
    cache: std::cell::RefCell<BTreeMap<String, Option<String>>>,
}

const LABEL_PROPERTIES: &[&str] = &[
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://data.europa.eu/eli/ontology#title",
    "http://purl.org/dc/terms/title",
    "https://schema.org/name",
];

impl<'a> Labeler<'a> {
    /// A labeler preferring `lang`, then Kazakh, Russian, English, then any.
    pub fn new(store: &'a Store, lang: &str, base: &str) -> Labeler<'a> {
        let mut langs = vec![lang.to_string()];
        for l in ["kk", "ru", "en"] {
            if l != lang {
                langs.push(l.to_string());
            }
        }
        Labeler {
            store,
            langs,
            base: base.to_string(),
            cache: Default::default(),
        }
    }

    /// The best label of a resource, if it has one: from the store, else from `data/serve/term-labels.tsv` for the
    /// terms of other vocabularies.
    pub fn label(&self, iri: &str) -> Option<String> {
        if let Some(hit) = self.cache.borrow().get(iri) {
            return hit.clone();
        }
        if let Some(l) = term_label(iri, &self.langs[0]) {
            self.cache
                .borrow_mut()
                .insert(iri.to_string(), Some(l.clone()));
            return Some(l);
        }
        let node = NamedNode::new(iri).ok();
        let found = node.and_then(|n| {
            let by_lang = texts_by_language(
                self.store,
                n.as_ref(),
                LABEL_PROPERTIES,
                Some(GraphNameRef::DefaultGraph),
            );
            self.langs
                .iter()
                .find_map(|l| by_lang.get(l).cloned())
                .or_else(|| by_lang.values().next().cloned())
        });
        self.cache
            .borrow_mut()
            .insert(iri.to_string(), found.clone());
        found
    }

    /// Where a browser goes for an IRI: a path here for IRIs under the base or the vocabularies' base, the IRI
    /// itself for other http(s) IRIs, nothing for the rest (never a `javascript:` link).
    pub fn href(&self, iri: &str) -> Option<String> {
        for b in [self.base.as_str(), DEFAULT_BASE] {
            if let Some(rest) = iri.strip_prefix(b) {
                return Some(format!("/{rest}"));
            }
        }
        (iri.starts_with("http://") || iri.starts_with("https://")).then(|| iri.to_string())
    }

    /// A link with the best label, or the short IRI.
    pub fn link(&self, iri: &str) -> Link {
        Link {
            iri: iri.to_string(),
            href: self.href(iri),
            label: self.label(iri).unwrap_or_else(|| short_iri(iri)),
        }
    }
}

const TERM_LABELS: &str = include_str!("../../data/serve/term-labels.tsv");

/// Whether `data/serve/term-labels.tsv` can be read (from `$AKIMAT_KG_DATA` when it is set): the server checks it
/// at start, so that a page never meets a missing table.
pub fn check_term_labels() -> Result<(), crate::datafile::DataFileError> {
    crate::datafile::text("serve/term-labels.tsv", TERM_LABELS).map(drop)
}

/// The names of other vocabularies' terms (`data/serve/term-labels.tsv`), by full IRI.
fn term_label(iri: &str, lang: &str) -> Option<String> {
    static TABLE: std::sync::OnceLock<BTreeMap<String, BTreeMap<String, String>>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        // Checked when the server started; the built-in copy only if the file went away since.
        let text = crate::datafile::text("serve/term-labels.tsv", TERM_LABELS)
            .unwrap_or(std::borrow::Cow::Borrowed(TERM_LABELS));
        let words = super::pages::PageWords::parse(&text);
        let mut prefixes: Vec<(&str, &str)> = crate::rdf::vocab::PREFIXES.to_vec();
        prefixes.push(("rdfs", "http://www.w3.org/2000/01/rdf-schema#"));
        prefixes.push(("owl", "http://www.w3.org/2002/07/owl#"));
        let mut out = BTreeMap::new();
        for key in words.keys() {
            let Some((p, local)) = key.split_once(':') else {
                continue;
            };
            let Some((_, ns)) = prefixes.iter().find(|(name, _)| *name == p) else {
                continue;
            };
            let by_lang = ["en", "kk", "ru"]
                .iter()
                .map(|l| (l.to_string(), words.get(key, l)))
                .collect();
            out.insert(format!("{ns}{local}"), by_lang);
        }
        out
    });
    table.get(iri).and_then(|m| m.get(lang)).cloned()
}

/// `prefix:local` where a project prefix fits, else the IRI.
pub fn short_iri(iri: &str) -> String {
    for (p, ns) in crate::rdf::vocab::PREFIXES {
        if let Some(local) = iri.strip_prefix(ns) {
            if !local.is_empty() {
                return format!("{p}:{local}");
            }
        }
    }
    iri.to_string()
}

fn literal_text(t: &Term) -> Option<(String, Option<String>)> {
    match t {
        Term::Literal(l) => Some((l.value().to_string(), l.language().map(str::to_string))),
        _ => None,
    }
}

/// What a resource's page shows, read from the store.
fn view(
    state: &AppState,
    store: &Store,
    node: NamedNodeRef<'_>,
    lang: &str,
) -> Result<ResourceView, oxigraph::store::StorageError> {
    let base = state.options.base.iri("");
    let labels = Labeler::new(store, lang, &base);
    let (types, by_predicate) = outgoing(store, &labels, node)?;
    let offsets = offsets(&by_predicate);
    let properties = properties(&labels, by_predicate, lang);
    let (incoming, provision_iris) = incoming(store, &labels, node)?;
    let provisions = provision_groups(store, &labels, &provision_iris, lang)?;
    let profile = if provision_iris.is_empty() {
        Vec::new()
    } else {
        profile(store, &labels, node)
    };
    let origins = origins(state, store, &labels, node)?;
    let title = labels
        .label(node.as_str())
        .unwrap_or_else(|| node.as_str().to_string());
    Ok(ResourceView {
        iri: node.as_str().to_string(),
        here: labels
            .href(node.as_str())
            .filter(|h| h.starts_with('/'))
            .unwrap_or_else(|| "/".into()),
        title,
        types,
        properties,
        incoming,
        provisions,
        profile,
        origins,
        offsets,
    })
}

/// The objects of a resource's statements, by predicate IRI.
type ByPredicate = BTreeMap<String, Vec<Term>>;

/// The resource's own statements in the default graph: links to its types, and the objects of every other
/// predicate.
fn outgoing(
    store: &Store,
    labels: &Labeler<'_>,
    node: NamedNodeRef<'_>,
) -> Result<(Vec<Link>, ByPredicate), oxigraph::store::StorageError> {
    let rdf_type = format!("{RDF}type");
    let mut types = Vec::new();
    let mut by_predicate = ByPredicate::new();
    let default = Some(GraphNameRef::DefaultGraph);
    for q in store.quads_for_pattern(Some(node.into()), None, None, default) {
        let q = q?;
        if q.predicate.as_str() == rdf_type {
            if let Term::NamedNode(n) = &q.object {
                types.push(labels.link(n.as_str()));
            }
            continue;
        }
        by_predicate
            .entry(q.predicate.as_str().to_string())
            .or_default()
            .push(q.object);
    }
    Ok((types, by_predicate))
}

/// The character offsets of the resource's text in its source, when it states both.
fn offsets(by_predicate: &ByPredicate) -> Option<(String, String)> {
    let first = |p: String| {
        by_predicate
            .get(&p)
            .and_then(|objects| objects.first())
            .and_then(literal_text)
            .map(|x| x.0)
    };
    match (
        first(format!("{AKG}charStart")),
        first(format!("{AKG}charEnd")),
    ) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => None,
    }
}

/// The resource's properties with their values, in the order of their labels.
fn properties(labels: &Labeler<'_>, by_predicate: ByPredicate, lang: &str) -> Vec<Property> {
    let mut properties = Vec::new();
    for (p, objects) in by_predicate {
        let values = values(labels, &objects, lang);
        properties.push(Property {
            predicate: labels.link(&p),
            values,
        });
    }
    properties.sort_by(|a, b| {
        a.predicate
            .label
            .to_lowercase()
            .cmp(&b.predicate.label.to_lowercase())
    });
    properties
}

/// The values of one property as the page shows them: links with their labels, blank nodes and literals as text;
/// literals in the page's language first, then the others, each in a stable order.
fn values(labels: &Labeler<'_>, objects: &[Term], lang: &str) -> Vec<Value> {
    let mut values: Vec<Value> = objects
        .iter()
        .map(|o| match o {
            Term::NamedNode(n) => Value::Link(labels.link(n.as_str())),
            Term::BlankNode(b) => Value::Literal {
                text: format!("_:{}", b.as_str()),
                lang: None,
            },
            Term::Literal(l) => Value::Literal {
                text: l.value().to_string(),
                lang: l.language().map(str::to_string),
            },
            #[allow(unreachable_patterns)]
            other => Value::Literal {
                text: other.to_string(),
                lang: None,
            },
        })
        .collect();
    values.sort_by_key(|v| match v {
        Value::Literal {
            lang: Some(l),
            text,
        } => (l != lang, l.clone(), text.clone()),
        Value::Literal { lang: None, text } => (false, String::new(), text.clone()),
        Value::Link(k) => (false, String::new(), k.label.clone()),
    });
    values
}

/// What points at the resource in the default graph (read up to a bound): the subjects by property, at most 50
/// shown of each with the total; and apart from them the provisions assigned to it.
fn incoming(
    store: &Store,
    labels: &Labeler<'_>,
    node: NamedNodeRef<'_>,
) -> Result<(Vec<Incoming>, Vec<NamedNode>), oxigraph::store::StorageError> {
    let assigned = format!("{AKG}assignedTo");
    let mut incoming_map: BTreeMap<String, (Vec<String>, usize)> = BTreeMap::new();
    let mut provision_iris = Vec::new();
    let default = Some(GraphNameRef::DefaultGraph);
    for q in store
        .quads_for_pattern(None, None, Some(node.into()), default)
        .take(MAX_INCOMING * 5)
    {
        let q = q?;
        let NamedOrBlankNode::NamedNode(s) = &q.subject else {
            continue;
        };
        if q.predicate.as_str() == assigned {
            provision_iris.push(s.clone());
            continue;
        }
        let e = incoming_map
            .entry(q.predicate.as_str().to_string())
            .or_default();
        e.1 += 1;
        if e.0.len() < 50 {
            e.0.push(s.as_str().to_string());
        }
    }
    let incoming = incoming_map
        .into_iter()
        .map(|(p, (subjects, total))| Incoming {
            predicate: labels.link(&p),
            subjects: subjects.iter().map(|s| labels.link(s)).collect(),
            total,
        })
        .collect();
    Ok((incoming, provision_iris))
}

fn objects(store: &Store, s: NamedNodeRef<'_>, p: &str) -> Vec<Term> {
    let p = NamedNode::new_unchecked(p);
    store
        .quads_for_pattern(
            Some(s.into()),
            Some(p.as_ref()),
            None,
            Some(GraphNameRef::DefaultGraph),
        )
        .filter_map(Result::ok)
        .map(|q| q.object)
        .collect()
}

/// The kinds in the order a regulation gives them.
const KIND_ORDER: &[&str] = &[
    "Mission",
    "Goal",
    "Right",
    "Duty",
    "RightOrDuty",
    "Function",
    "HeadPower",
];

fn provision_groups(
    store: &Store,
    labels: &Labeler<'_>,
    provisions: &[NamedNode],
    lang: &str,
) -> Result<Vec<ProvisionGroup>, oxigraph::store::StorageError> {
    let mut groups: BTreeMap<String, Vec<ProvisionItem>> = BTreeMap::new();
    for p in provisions {
        let kind = objects(store, p.as_ref(), &format!("{AKG}provisionKind"))
            .into_iter()
            .find_map(|t| match t {
                Term::NamedNode(n) => Some(n.into_string()),
                _ => None,
            })
            .unwrap_or_default();
        let number = objects(store, p.as_ref(), &format!("{ELI}number"))
            .first()
            .and_then(literal_text)
            .map(|x| x.0)
            .unwrap_or_default();
        let position = objects(store, p.as_ref(), &format!("{SCHEMA}position"))
            .first()
            .and_then(literal_text)
            .and_then(|x| x.0.parse().ok())
            .unwrap_or(0);
        let texts: Vec<(String, Option<String>)> =
            objects(store, p.as_ref(), &format!("{AKG}text"))
                .iter()
                .filter_map(literal_text)
                .collect();
        let (text, text_lang) = texts
            .iter()
            .find(|(_, l)| l.as_deref() == Some(lang))
            .or_else(|| texts.first())
            .map(|(t, l)| (t.clone(), l.clone().unwrap_or_default()))
            .unwrap_or_default();
        let mut areas: Vec<Link> = objects(store, p.as_ref(), &format!("{DCT}subject"))
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(labels.link(n.as_str())),
                _ => None,
            })
            .collect();
        areas.sort_by(|a, b| a.label.cmp(&b.label));
        groups.entry(kind).or_default().push(ProvisionItem {
            link: labels.link(p.as_str()),
            number,
            text,
            text_lang,
            areas,
            position,
        });
    }
    let rank = |kind: &str| {
        kind.strip_prefix(AKG)
            .and_then(|k| KIND_ORDER.iter().position(|x| *x == k))
            .unwrap_or(KIND_ORDER.len())
    };
    let mut out: Vec<ProvisionGroup> = groups
        .into_iter()
        .map(|(kind, mut items)| {
            items.sort_by(|a, b| a.position.cmp(&b.position).then(a.number.cmp(&b.number)));
            ProvisionGroup {
                kind: labels.link(&kind),
                items,
            }
        })
        .collect();
    out.sort_by_key(|g| rank(&g.kind.iri));
    Ok(out)
}

fn profile(store: &Store, labels: &Labeler<'_>, institution: NamedNodeRef<'_>) -> Vec<ProfileRow> {
    crate::competence::profile(store, institution.as_str())
        .unwrap_or_default()
        .into_iter()
        .map(|(area, provisions, weight)| ProfileRow {
            area: labels.link(&area),
            provisions,
            weight,
        })
        .collect()
}

fn origins(
    state: &AppState,
    store: &Store,
    labels: &Labeler<'_>,
    node: NamedNodeRef<'_>,
) -> Result<Vec<Origin>, oxigraph::store::StorageError> {
    let meta = NamedNode::new_unchecked(crate::rdf::iri::meta_graph(&state.options.base));
    let mut graphs: BTreeSet<String> = BTreeSet::new();
    for q in store.quads_for_pattern(Some(node.into()), None, None, None) {
        if let oxigraph::model::GraphName::NamedNode(g) = q?.graph_name {
            if g != meta {
                graphs.insert(g.into_string());
            }
        }
    }
    // A named graph's own page shows its record too.
    if store.contains_named_graph(node)? {
        graphs.insert(node.as_str().to_string());
    }
    let mut out = Vec::new();
    for g in graphs {
        let gnode = NamedNode::new_unchecked(&g);
        let mut record = Vec::new();
        for q in store.quads_for_pattern(
            Some(gnode.as_ref().into()),
            None,
            None,
            Some(meta.as_ref().into()),
        ) {
            let q = q?;
            let value = match &q.object {
                Term::NamedNode(n) => n.as_str().to_string(),
                Term::Literal(l) => l.value().to_string(),
                other => other.to_string(),
            };
            record.push((labels.link(q.predicate.as_str()).label, value));
        }
        record.sort();
        out.push(Origin {
            graph: labels.link(&g),
            record,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("unit/%D0%90"), "unit/А");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zz"), "a%zz");
    }

    #[test]
    fn other_vocabularies_terms_are_named_in_the_page_language() {
        assert_eq!(
            term_label("http://purl.org/dc/terms/spatial", "ru").as_deref(),
            Some("Обслуживаемая территория")
        );
        assert_eq!(
            term_label("http://www.w3.org/2002/07/owl#Class", "kk").as_deref(),
            Some("Кластар")
        );
        // Every row names a term of a known prefix.
        let rows = include_str!("../../data/serve/term-labels.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("key\t") && !l.trim().is_empty())
            .count();
        let known = [
            "rdf:", "rdfs:", "owl:", "skos:", "dct:", "org:", "cv:", "schema:", "locn:", "eli:",
            "prov:",
        ];
        for line in include_str!("../../data/serve/term-labels.tsv")
            .lines()
            .skip(3)
        {
            assert!(known.iter().any(|k| line.starts_with(k)), "{line}");
        }
        assert!(rows > 50);
    }

    #[test]
    fn only_web_iris_become_links() {
        let store = Store::new().unwrap();
        let l = Labeler::new(&store, "kk", "http://127.0.0.1:1/");
        assert_eq!(
            l.href("http://127.0.0.1:1/org/x").as_deref(),
            Some("/org/x")
        );
        assert_eq!(
            l.href("https://w3id.org/akimat-kg/ontology#Provision")
                .as_deref(),
            Some("/ontology#Provision")
        );
        assert_eq!(l.href("javascript:alert(1)"), None);
        assert_eq!(l.href("file:///etc/passwd"), None);
    }
}
