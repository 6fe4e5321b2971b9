//! JSON-LD compacted against the project's own `@context` (`ontology/context.jsonld`), for clients that ask for
//! the compacted profile; the context is embedded in each document, so it reads without the network.
//!
//! The default answer is expanded JSON-LD ([`crate::rdf::jsonld`]); a web developer wants `"prefLabel": {"kk": …, "ru": …}`. This module does the
//! part of JSON-LD compaction the graph needs, and nothing that could change the meaning: a value takes a term of
//! the context only when the term's definition fits it exactly (`"@type": "@id"` for IRIs, a datatype for literals of
//! that datatype, `"@container": "@language"` for language-tagged strings, no coercion for plain strings); anything
//! else is written under the compact IRI of its predicate as a full value object. IRIs become `prefix:local` where a
//! prefix of the context fits. Blank nodes referred to once are embedded where they are used. Expanding the output
//! against the context gives back exactly the triples that went in (the tests check this with Oxigraph's JSON-LD
//! parser, and the server tests with rdflib).

use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// The context file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("ontology/context.jsonld: {0}")]
pub struct ContextError(String);

/// How a term coerces its values.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Coercion {
    /// Plain strings only.
    None,
    /// IRIs, written as strings.
    Id,
    /// Literals of this datatype, written as their lexical form.
    Datatype(String),
    /// Language-tagged strings, as a map from language to value.
    Language,
}

#[derive(Debug, Clone)]
struct TermDef {
    name: String,
    iri: String,
    coercion: Coercion,
}

/// A parsed `@context`: its prefixes and term definitions, and the URL where it is served.
#[derive(Debug, Clone)]
pub struct Context {
    url: String,
    prefixes: Vec<(String, String)>,
    terms: Vec<TermDef>,
    /// The context document itself, served at `url`.
    document: String,
    /// The `@context` object, embedded in every compacted document so that it reads without the network.
    inline: Value,
}

impl Context {
    /// Reads the context document (the content of `ontology/context.jsonld`) that will be served at `url`.
    pub fn parse(document: &str, url: &str) -> Result<Context, ContextError> {
        let value: Value =
            serde_json::from_str(document).map_err(|e| ContextError(e.to_string()))?;
        let Some(ctx) = value.get("@context").and_then(Value::as_object) else {
            return Err(ContextError("no \"@context\" object".into()));
        };
        let inline = Value::Object(ctx.clone());
        // Prefixes first: simple string definitions ending in a delimiter.
        let mut prefixes = Vec::new();
        for (name, def) in ctx {
            if let Some(iri) = def.as_str() {
                if iri.ends_with(['/', '#', ':']) && !name.starts_with('@') {
                    prefixes.push((name.clone(), iri.to_string()));
                }
            }
        }
        // Longest namespace first, so the most specific prefix wins.
        prefixes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let expand = |s: &str| -> Result<String, ContextError> {
            if let Some((p, local)) = s.split_once(':') {
                if let Some((_, ns)) = prefixes.iter().find(|(name, _)| name == p) {
                    return Ok(format!("{ns}{local}"));
                }
                if s.contains("://") {
                    return Ok(s.to_string());
                }
            }
            Err(ContextError(format!("cannot expand {s:?}: unknown prefix")))
        };
        let mut terms = Vec::new();
        for (name, def) in ctx {
            if name.starts_with('@') || prefixes.iter().any(|(p, _)| p == name) {
                continue;
            }
            let (iri, coercion) = match def {
                Value::String(s) => (expand(s)?, Coercion::None),
                Value::Object(o) => {
                    let id = o
                        .get("@id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| ContextError(format!("term {name:?} has no \"@id\"")))?;
                    let coercion = match (
                        o.get("@type").and_then(Value::as_str),
                        o.get("@container").and_then(Value::as_str),
                    ) {
                        (Some("@id"), None) => Coercion::Id,
                        (Some(t), None) => Coercion::Datatype(expand(t)?),
                        (None, Some("@language")) => Coercion::Language,
                        (None, None) => Coercion::None,
                        _ => {
                            return Err(ContextError(format!(
                                "term {name:?}: only \"@type\" or \"@container\": \"@language\" are supported"
                            )))
                        }
                    };
                    (expand(id)?, coercion)
                }
                _ => {
                    return Err(ContextError(format!(
                        "term {name:?}: not a string or object"
                    )))
                }
            };
            terms.push(TermDef {
                name: name.clone(),
                iri,
                coercion,
            });
        }
        Ok(Context {
            url: url.to_string(),
            prefixes,
            terms,
            document: document.to_string(),
            inline,
        })
    }

    /// The URL the context is served at (`/context.jsonld`), for clients that want to compact their own data.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `@context` object that compacted documents embed.
    pub fn inline(&self) -> &Value {
        &self.inline
    }

    /// The context document.
    pub fn document(&self) -> &str {
        &self.document
    }

    /// `prefix:local` for an IRI when a prefix fits and the result cannot be mistaken for something else.
    fn compact_iri(&self, iri: &str) -> String {
        for (p, ns) in &self.prefixes {
            if let Some(local) = iri.strip_prefix(ns.as_str()) {
                if !local.is_empty() && !local.starts_with("//") && !local.contains([' ', '"']) {
                    return format!("{p}:{local}");
                }
            }
        }
        iri.to_string()
    }

    fn node_id(&self, node: &NamedOrBlankNode) -> String {
        match node {
            NamedOrBlankNode::NamedNode(n) => self.compact_iri(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        }
    }

    /// The key and the value a triple's object takes in its subject's node object.
    fn entry(&self, predicate: &str, object: &Term) -> (String, Entry) {
        for t in self.terms.iter().filter(|t| t.iri == predicate) {
            match (&t.coercion, object) {
                (Coercion::Id, Term::NamedNode(n)) => {
                    return (
                        t.name.clone(),
                        Entry::Plain(Value::String(self.compact_iri(n.as_str()))),
                    )
                }
                // A blank node as a node reference, so that it can be embedded.
                (Coercion::Id, Term::BlankNode(_)) => {
                    return (t.name.clone(), Entry::Plain(self.value_object(object)))
                }
                (Coercion::Language, Term::Literal(l)) if l.language().is_some() => {
                    return (
                        t.name.clone(),
                        Entry::Language(
                            l.language().unwrap_or_default().to_string(),
                            l.value().to_string(),
                        ),
                    )
                }
                (Coercion::Datatype(d), Term::Literal(l))
                    if l.language().is_none() && l.datatype().as_str() == d =>
                {
                    return (
                        t.name.clone(),
                        Entry::Plain(Value::String(l.value().to_string())),
                    )
                }
                (Coercion::None, Term::Literal(l))
                    if l.language().is_none() && l.datatype().as_str() == XSD_STRING =>
                {
                    return (
                        t.name.clone(),
                        Entry::Plain(Value::String(l.value().to_string())),
                    )
                }
                _ => {}
            }
        }
        (
            self.compact_iri(predicate),
            Entry::Plain(self.value_object(object)),
        )
    }

    /// A value object (or node reference) in expanded form with compact IRIs.
    fn value_object(&self, object: &Term) -> Value {
        let mut m = Map::new();
        match object {
            Term::NamedNode(n) => {
                m.insert("@id".into(), Value::String(self.compact_iri(n.as_str())));
            }
            Term::BlankNode(b) => {
                m.insert("@id".into(), Value::String(format!("_:{}", b.as_str())));
            }
            Term::Literal(l) => {
                if let Some(lang) = l.language() {
                    m.insert("@value".into(), Value::String(l.value().to_string()));
                    m.insert("@language".into(), Value::String(lang.to_string()));
                } else if l.datatype().as_str() == XSD_STRING {
                    return Value::String(l.value().to_string());
                } else {
                    m.insert("@value".into(), Value::String(l.value().to_string()));
                    m.insert(
                        "@type".into(),
                        Value::String(self.compact_iri(l.datatype().as_str())),
                    );
                }
            }
            #[allow(unreachable_patterns)]
            _ => {
                m.insert("@value".into(), Value::String(object.to_string()));
            }
        }
        Value::Object(m)
    }

    /// Compacts triples into one JSON-LD document: `{"@context": {…}, "@graph": [nodes]}` with the context embedded, the node of `first` (if
    /// given) leading, the others by `@id`. Blank nodes used exactly once as an object are embedded there.
    pub fn compact(&self, triples: &[Triple], first: Option<&str>) -> Value {
        // Group by subject, keeping the subjects' order of first appearance out of the picture (sorted below).
        let mut by_subject: BTreeMap<String, (NamedOrBlankNode, Vec<&Triple>)> = BTreeMap::new();
        let mut uses: HashMap<String, usize> = HashMap::new();
        for t in triples {
            by_subject
                .entry(self.node_id(&t.subject))
                .or_insert_with(|| (t.subject.clone(), Vec::new()))
                .1
                .push(t);
            if let Term::BlankNode(b) = &t.object {
                *uses.entry(format!("_:{}", b.as_str())).or_default() += 1;
            }
        }
        let embeddable = |id: &str| id.starts_with("_:") && uses.get(id) == Some(&1);
        let mut nodes: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        for (id, (_, ts)) in &by_subject {
            nodes.insert(id.clone(), self.node_object(id, ts));
        }
        // Embed single-use blank nodes into the node that refers to them (nested ones too, deepest first is not
        // needed: embedding moves whole node objects, which carry their own embedded values).
        let embedded_ids: Vec<String> = nodes
            .keys()
            .filter(|id| embeddable(id) && !self.refers_to_itself(&by_subject, id))
            .cloned()
            .collect();
        let mut embedded: HashMap<String, Map<String, Value>> = HashMap::new();
        for id in &embedded_ids {
            if let Some(node) = nodes.remove(id) {
                embedded.insert(id.clone(), node);
            }
        }
        let mut out: Vec<Value> = Vec::new();
        let first_id = first.map(|f| self.compact_iri(f));
        let mut order: Vec<String> = nodes.keys().cloned().collect();
        if let Some(f) = &first_id {
            if let Some(pos) = order.iter().position(|k| k == f) {
                let k = order.remove(pos);
                order.insert(0, k);
            }
        }
        for id in order {
            if let Some(mut node) = nodes.remove(&id) {
                embed(&mut node, &mut embedded);
                out.push(Value::Object(node));
            }
        }
        // Blank nodes whose only referrer was itself embedded somewhere unreachable (a cycle) stay top-level.
        for (_, mut node) in embedded.drain().collect::<Vec<_>>() {
            embed(&mut node, &mut HashMap::new());
            out.push(Value::Object(node));
        }
        let mut doc = Map::new();
        doc.insert("@context".into(), self.inline.clone());
        doc.insert("@graph".into(), Value::Array(out));
        Value::Object(doc)
    }

    fn refers_to_itself(
        &self,
        by_subject: &BTreeMap<String, (NamedOrBlankNode, Vec<&Triple>)>,
        id: &str,
    ) -> bool {
        by_subject.get(id).is_some_and(|(_, ts)| {
            ts.iter().any(
                |t| matches!(&t.object, Term::BlankNode(b) if format!("_:{}", b.as_str()) == id),
            )
        })
    }

    fn node_object(&self, id: &str, triples: &[&Triple]) -> Map<String, Value> {
        let mut node = Map::new();
        node.insert("@id".into(), Value::String(id.to_string()));
        let mut types: Vec<String> = Vec::new();
        let mut plain: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut languages: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for t in triples {
            let p = t.predicate.as_str();
            if p == RDF_TYPE {
                if let Term::NamedNode(n) = &t.object {
                    types.push(self.compact_iri(n.as_str()));
                    continue;
                }
            }
            match self.entry(p, &t.object) {
                (key, Entry::Plain(v)) => plain.entry(key).or_default().push(v),
                (key, Entry::Language(lang, v)) => languages
                    .entry(key)
                    .or_default()
                    .entry(lang)
                    .or_default()
                    .push(v),
            }
        }
        types.sort();
        types.dedup();
        match types.len() {
            0 => {}
            1 => {
                node.insert("@type".into(), Value::String(types.remove(0)));
            }
            _ => {
                node.insert(
                    "@type".into(),
                    Value::Array(types.into_iter().map(Value::String).collect()),
                );
            }
        }
        for (key, mut values) in plain {
            values.sort_by_key(|v| v.to_string());
            values.dedup();
            node.insert(key, one_or_many(values));
        }
        for (key, map) in languages {
            let mut m = Map::new();
            for (lang, mut values) in map {
                values.sort();
                values.dedup();
                m.insert(
                    lang,
                    one_or_many(values.into_iter().map(Value::String).collect()),
                );
            }
            node.insert(key, Value::Object(m));
        }
        node
    }
}

enum Entry {
    Plain(Value),
    Language(String, String),
}

fn one_or_many(mut values: Vec<Value>) -> Value {
    if values.len() == 1 {
        values.remove(0)
    } else {
        Value::Array(values)
    }
}

/// Replaces `{"@id": "_:x"}` references to embeddable blank nodes by the nodes themselves (their `@id` dropped).
fn embed(node: &mut Map<String, Value>, embedded: &mut HashMap<String, Map<String, Value>>) {
    for (key, value) in node.iter_mut() {
        if key.starts_with('@') {
            continue;
        }
        let items: Vec<&mut Value> = match value {
            Value::Array(a) => a.iter_mut().collect(),
            other => vec![other],
        };
        for item in items {
            let id = item
                .as_object()
                .filter(|o| o.len() == 1)
                .and_then(|o| o.get("@id"))
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(id) = id {
                if let Some(mut inner) = embedded.remove(&id) {
                    embed(&mut inner, embedded);
                    inner.remove("@id");
                    *item = Value::Object(inner);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{LoadedDocument, RdfFormat, RdfParser};

    const URL: &str = "https://w3id.org/akimat-kg/context.jsonld";

    fn context() -> Context {
        Context::parse(include_str!("../../ontology/context.jsonld"), URL).unwrap()
    }

    fn triples(ttl: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(ttl.as_bytes())
            .map(|q| Triple::from(q.unwrap()))
            .collect()
    }

    /// Expands a compacted document with Oxigraph's JSON-LD parser, loading the context from the file.
    fn expand(doc: &Value) -> Vec<Triple> {
        let text = serde_json::to_vec(doc).unwrap();
        RdfParser::from_format(RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        })
        .for_slice(&text)
        .with_document_loader(|url| {
            assert_eq!(url, URL);
            Ok(LoadedDocument {
                url: url.to_string(),
                content: include_bytes!("../../ontology/context.jsonld").to_vec(),
                format: RdfFormat::JsonLd {
                    profile: oxigraph::io::JsonLdProfileSet::empty(),
                },
            })
        })
        .map(|q| Triple::from(q.unwrap()))
        .collect()
    }

    fn canonical(ts: &[Triple]) -> Vec<String> {
        let mut g = oxigraph::model::Graph::new();
        for t in ts {
            g.insert(t);
        }
        g.canonicalize(oxrdf::dataset::CanonicalizationAlgorithm::Rdfc10 {
            hash_algorithm: oxrdf::dataset::CanonicalizationHashAlgorithm::Sha256,
        });
        let mut lines: Vec<String> = g.iter().map(|t| t.to_string()).collect();
        lines.sort();
        lines
    }

    const SAMPLE: &str = r#"
        @prefix akg: <https://w3id.org/akimat-kg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix schema: <https://schema.org/> .
        @prefix locn: <http://www.w3.org/ns/locn#> .
        @prefix eli: <http://data.europa.eu/eli/ontology#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://w3id.org/akimat-kg/org/pavlodar/aksu/internal-policy-department> a akg:StateInstitution ;
            skos:prefLabel "Ақсу қаласының ішкі саясат бөлімі"@kk , "Отдел внутренней политики города Аксу"@ru ;
            akg:legalForm <https://w3id.org/akimat-kg/legal-form/state-institution> ;
            schema:founder <https://w3id.org/akimat-kg/body/pavlodar/aksu/akimat> ;
            locn:address [ a locn:Address ; locn:postCode "140100" ; locn:postName "Ақсу"@kk ] .
        <https://w3id.org/akimat-kg/eli/x/annex/par_18/sub_26> a akg:Provision , eli:LegalResourceSubdivision ;
            eli:number "18.26" ; schema:position 26 ; akg:charStart 1200 ;
            akg:text "қаланың терроризмге қарсы комиссия аппаратының қызметін ұйымдастыру"@kk ;
            eli:is_part_of <https://w3id.org/akimat-kg/eli/x/annex> ;
            skos:note "a string with \"quotes\" and <script>" , "1.5"^^xsd:decimal , "kk text"@kk .
    "#;

    #[test]
    fn compaction_expands_back_to_the_same_triples() {
        let input = triples(SAMPLE);
        let doc = context().compact(&input, None);
        assert_eq!(canonical(&expand(&doc)), canonical(&input));
    }

    #[test]
    fn terms_are_used_where_they_fit() {
        let input = triples(SAMPLE);
        let doc = context().compact(
            &input,
            Some("https://w3id.org/akimat-kg/org/pavlodar/aksu/internal-policy-department"),
        );
        let first = &doc["@graph"][0];
        assert_eq!(first["@type"], "akg:StateInstitution");
        assert_eq!(
            first["prefLabel"]["ru"],
            "Отдел внутренней политики города Аксу"
        );
        assert_eq!(first["legalForm"], "form:state-institution");
        // The address, a blank node used once, is embedded.
        assert_eq!(first["address"]["postCode"], "140100");
        assert!(first["address"].get("@id").is_none());
        let provision = &doc["@graph"][1];
        assert_eq!(provision["position"], "26");
        assert_eq!(provision["number"], "18.26");
    }

    #[test]
    fn the_context_file_parses_and_defines_the_model_terms() {
        let c = context();
        for iri in [
            "http://www.w3.org/2004/02/skos/core#prefLabel",
            "https://w3id.org/akimat-kg/ontology#text",
            "http://data.europa.eu/eli/ontology#cites",
            "https://w3id.org/akimat-kg/ontology#assignedTo",
        ] {
            assert!(c.terms.iter().any(|t| t.iri == iri), "{iri}");
        }
        assert!(Context::parse("{}", URL).is_err());
        assert!(Context::parse(r#"{"@context": {"x": "nope:y"}}"#, URL).is_err());
    }
}
