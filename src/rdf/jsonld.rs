//! JSON-LD that needs no network: the expanded document form, every IRI written out and no `@context`, which any
//! JSON-LD processor reads offline into exactly the quads that went in.
//!
//! Each node object is written by sophia's implementation of the W3C "Serialize RDF as JSON-LD" algorithm.
//! [`expanded`] writes a document that fits in memory (a query answer, a resource); [`ExpandedWriter`] streams a
//! whole dataset (an export, a dump) one subject at a time, so its size does not depend on memory. In both, the
//! quads of a named graph sit in a graph object `{"@id": graph, "@graph": [nodes]}`.

use oxigraph::model::{GraphName, NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef};
use sophia_api::serializer::{QuadSerializer, Stringifier};
use sophia_api::source::IntoSource;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use sophia_jsonld::{JsonLdOptions, JsonLdSerializer};
use std::io::Write;

/// JSON-LD could not be written.
#[derive(Debug, thiserror::Error)]
pub enum JsonLdError {
    /// The serializer refused the data.
    #[error("cannot write JSON-LD: {0}")]
    Serialize(String),
    /// The output could not be written.
    #[error("cannot write JSON-LD: {0}")]
    Io(#[from] std::io::Error),
}

type SophiaQuad = ([SimpleTerm<'static>; 3], Option<SimpleTerm<'static>>);

fn iri(s: &str) -> SimpleTerm<'static> {
    SimpleTerm::Iri(IriRef::new_unchecked(s.to_string().into()))
}

fn subject(s: NamedOrBlankNodeRef<'_>) -> SimpleTerm<'static> {
    match s {
        NamedOrBlankNodeRef::NamedNode(n) => iri(n.as_str()),
        NamedOrBlankNodeRef::BlankNode(b) => {
            SimpleTerm::BlankNode(BnodeId::new_unchecked(b.as_str().to_string().into()))
        }
    }
}

fn object(t: TermRef<'_>) -> SimpleTerm<'static> {
    match t {
        TermRef::NamedNode(n) => iri(n.as_str()),
        TermRef::BlankNode(b) => {
            SimpleTerm::BlankNode(BnodeId::new_unchecked(b.as_str().to_string().into()))
        }
        TermRef::Literal(l) => match l.language() {
            Some(lang) => SimpleTerm::LiteralLanguage(
                l.value().to_string().into(),
                LanguageTag::new_unchecked(lang.to_string().into()),
            ),
            None => SimpleTerm::LiteralDatatype(
                l.value().to_string().into(),
                IriRef::new_unchecked(l.datatype().as_str().to_string().into()),
            ),
        },
        // The graph holds no RDF 1.2 triple terms; write one as its N-Triples text rather than lose it.
        #[allow(unreachable_patterns)]
        other => SimpleTerm::LiteralDatatype(
            other.to_string().into(),
            IriRef::new_unchecked("http://www.w3.org/2001/XMLSchema#string".into()),
        ),
    }
}

fn to_sophia(q: QuadRef<'_>, keep_graph: bool) -> SophiaQuad {
    let graph = match q.graph_name {
        _ if !keep_graph => None,
        oxigraph::model::GraphNameRef::DefaultGraph => None,
        oxigraph::model::GraphNameRef::NamedNode(n) => Some(iri(n.as_str())),
        oxigraph::model::GraphNameRef::BlankNode(b) => Some(SimpleTerm::BlankNode(
            BnodeId::new_unchecked(b.as_str().to_string().into()),
        )),
    };
    (
        [
            subject(q.subject),
            iri(q.predicate.as_str()),
            object(q.object),
        ],
        graph,
    )
}

fn serialize(quads: Vec<SophiaQuad>, spaces: u16) -> Result<String, JsonLdError> {
    let options = JsonLdOptions::new().with_spaces(spaces);
    let mut s = JsonLdSerializer::new_stringifier_with_options(options);
    s.serialize_quads(quads.into_iter().into_source())
        .map_err(|e| JsonLdError::Serialize(e.to_string()))?;
    Ok(s.as_str().to_string())
}

/// Quads as one expanded JSON-LD document (a top-level array), indented for reading.
pub fn expanded<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Result<String, JsonLdError> {
    serialize(quads.into_iter().map(|q| to_sophia(q, true)).collect(), 2)
}

/// Streams quads as one expanded JSON-LD document. Quads are taken in the order a store gives them (grouped by
/// graph, then subject); a graph or subject met again later is written again, which JSON-LD reads as one. Quads
/// with a blank node are kept apart and written together at the end, so that lists (`rdf:first`/`rdf:rest`) and
/// other blank-node structures are seen whole by the serializer.
pub struct ExpandedWriter<W: Write> {
    out: W,
    /// The named graph whose graph object is open, if any.
    open_graph: Option<GraphName>,
    /// Whether something was written at the top level (the next item needs a comma).
    top_written: bool,
    /// Whether a node was written inside the open graph object.
    graph_written: bool,
    /// The quads of the current subject.
    group: Vec<Quad>,
    /// Quads with a blank node, written at the end.
    deferred: Vec<Quad>,
}

impl<W: Write> ExpandedWriter<W> {
    /// Starts the document.
    pub fn new(mut out: W) -> Result<Self, JsonLdError> {
        out.write_all(b"[")?;
        Ok(ExpandedWriter {
            out,
            open_graph: None,
            top_written: false,
            graph_written: false,
            group: Vec::new(),
            deferred: Vec::new(),
        })
    }

    /// Adds one quad.
    pub fn add(&mut self, q: QuadRef<'_>) -> Result<(), JsonLdError> {
        if q.subject.is_blank_node() || q.object.is_blank_node() || q.graph_name.is_blank_node() {
            self.deferred.push(q.into_owned());
            return Ok(());
        }
        if let Some(last) = self.group.last() {
            if last.graph_name.as_ref() != q.graph_name || last.subject.as_ref() != q.subject {
                self.flush()?;
            }
        }
        self.group.push(q.into_owned());
        Ok(())
    }

    /// Writes the node of the current subject, opening or closing a graph object as its graph requires.
    fn flush(&mut self) -> Result<(), JsonLdError> {
        let Some(first) = self.group.first() else {
            return Ok(());
        };
        let graph = first.graph_name.clone();
        let text = serialize(
            self.group
                .iter()
                .map(|q| to_sophia(q.as_ref(), false))
                .collect(),
            0,
        )?;
        self.group.clear();
        // One subject gives one node object: the array of one element, without its brackets.
        let node = text
            .trim()
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .ok_or_else(|| JsonLdError::Serialize(format!("unexpected node form: {text}")))?;
        if self.open_graph.as_ref() != Some(&graph) || graph.is_default_graph() {
            self.close_graph()?;
        }
        if let (GraphName::NamedNode(_) | GraphName::BlankNode(_), None) =
            (&graph, &self.open_graph)
        {
            let id = match &graph {
                GraphName::NamedNode(n) => n.as_str().to_string(),
                GraphName::BlankNode(b) => format!("_:{}", b.as_str()),
                GraphName::DefaultGraph => unreachable!("matched above"),
            };
            self.top_separator()?;
            write!(
                self.out,
                "{{\"@id\":{},\"@graph\":[",
                serde_json::Value::String(id)
            )?;
            self.open_graph = Some(graph.clone());
            self.graph_written = false;
        }
        if self.open_graph.is_some() {
            if self.graph_written {
                self.out.write_all(b",")?;
            }
            self.out.write_all(b"\n")?;
            self.graph_written = true;
        } else {
            self.top_separator()?;
        }
        self.out.write_all(node.as_bytes())?;
        Ok(())
    }

    fn top_separator(&mut self) -> Result<(), JsonLdError> {
        if self.top_written {
            self.out.write_all(b",")?;
        }
        self.out.write_all(b"\n")?;
        self.top_written = true;
        Ok(())
    }

    fn close_graph(&mut self) -> Result<(), JsonLdError> {
        if self.open_graph.take().is_some() {
            self.out.write_all(b"\n]}")?;
        }
        Ok(())
    }

    /// Ends the document and gives back the output.
    pub fn finish(mut self) -> Result<W, JsonLdError> {
        self.flush()?;
        self.close_graph()?;
        if !self.deferred.is_empty() {
            let quads = std::mem::take(&mut self.deferred);
            let text = serialize(
                quads.iter().map(|q| to_sophia(q.as_ref(), true)).collect(),
                0,
            )?;
            let items = text
                .trim()
                .strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .ok_or_else(|| JsonLdError::Serialize(format!("unexpected form: {text}")))?;
            self.top_separator()?;
            self.out.write_all(items.as_bytes())?;
        }
        self.out.write_all(b"\n]\n")?;
        Ok(self.out)
    }
}

/// Reads JSON-LD with sophia's parser and no document loader, so that a document needing a remote context fails
/// instead of reaching the network; gives the quads in N-Quads, one per line, sorted.
pub fn to_nquads(json: &str) -> Result<Vec<String>, JsonLdError> {
    use sophia_api::parser::QuadParser;
    use sophia_api::quad::Quad as _;
    use sophia_api::source::QuadSource;
    use sophia_api::term::Term as _;
    let parser = sophia_jsonld::JsonLdParser::new();
    let mut lines = Vec::new();
    parser
        .parse_str(json)
        .for_each_quad(|q| {
            let term = |t: sophia_api::term::SimpleTerm<'_>| nquads_term(&t);
            let [s, p, o] = q.spog().0.map(|t| term(t.into_term()));
            let g = q.g().map(|t| term(t.into_term()));
            lines.push(match g {
                Some(g) => format!("{s} {p} {o} {g} ."),
                None => format!("{s} {p} {o} ."),
            });
        })
        .map_err(|e| JsonLdError::Serialize(e.to_string()))?;
    lines.sort();
    lines.dedup();
    Ok(lines)
}

/// A term in N-Triples syntax, by Oxigraph's writer (so the same term prints the same from either toolkit).
fn nquads_term(t: &SimpleTerm<'_>) -> String {
    let term: Term = match t {
        SimpleTerm::Iri(i) => oxigraph::model::NamedNode::new_unchecked(i.as_str()).into(),
        SimpleTerm::BlankNode(b) => oxigraph::model::BlankNode::new_unchecked(b.as_str()).into(),
        SimpleTerm::LiteralLanguage(v, l) => {
            oxigraph::model::Literal::new_language_tagged_literal_unchecked(
                v.as_ref(),
                l.as_str().to_ascii_lowercase(),
            )
            .into()
        }
        SimpleTerm::LiteralDatatype(v, d) => oxigraph::model::Literal::new_typed_literal(
            v.as_ref(),
            oxigraph::model::NamedNode::new_unchecked(d.as_str()),
        )
        .into(),
        other => oxigraph::model::Literal::new_simple_literal(format!("{other:?}")).into(),
    };
    term.to_string()
}
