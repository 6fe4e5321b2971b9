//! Reading SHACL shapes out of a Turtle shapes graph.
//!
//! Every node that has a property in the `sh:` namespace (other than path and
//! prefix-declaration vocabulary), is typed `sh:NodeShape`/`sh:PropertyShape`,
//! or is the value of `sh:property` is read as a shape. Each of its `sh:`
//! properties must be understood; an unknown one is an
//! [`ValidateError::Unsupported`] error so that no constraint is silently skipped.

use super::{Severity, ValidateError};
use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
    Triple,
};
use oxigraph::store::Store;
use regex::{Regex, RegexBuilder};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// The SHACL namespace.
const SH: &str = "http://www.w3.org/ns/shacl#";
const SH_PROPERTY: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#property");
const SH_PATH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/ns/shacl#path");
const OWL_CLASS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class");

/// `sh:` predicates that describe property paths; their subjects are path nodes, not shapes.
const PATH_PREDICATES: &[&str] = &[
    "inversePath",
    "alternativePath",
    "zeroOrMorePath",
    "oneOrMorePath",
    "zeroOrOnePath",
];
/// `sh:` vocabulary of prefix declarations (only meaningful to SPARQL-based features).
const PREFIX_PREDICATES: &[&str] = &["declare", "prefix", "namespace"];
/// `sh:` predicates without validation semantics.
const ANNOTATIONS: &[&str] = &["name", "description", "order", "group", "defaultValue"];

/// Shapes parsed from a Turtle document, ready for [`super::validate`].
///
/// Parsing checks the whole shapes graph up front, so a run never fails halfway
/// because of a bad shape.
#[derive(Debug, Clone)]
pub struct ShapesGraph {
    pub(crate) shapes: Vec<Shape>,
    /// `rdfs:subClassOf` statements (sub, super) found in the shapes graph.
    pub(crate) subclass_of: Vec<(Term, Term)>,
}

impl ShapesGraph {
    /// Parses and checks the shapes in a Turtle document.
    ///
    /// `source` names the file in error messages. Fails with
    /// [`ValidateError::Syntax`] on invalid Turtle, [`ValidateError::Unsupported`]
    /// if a shape uses a SHACL feature outside the supported subset and
    /// [`ValidateError::InvalidShape`] on malformed shapes.
    pub fn from_turtle(turtle: &str, source: &str) -> Result<Self, ValidateError> {
        let graph = parse_turtle(turtle, source)?;
        read_shapes(&graph)
    }

    /// Number of shapes (node and property shapes) in the graph.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// `true` when the document declares no shapes at all.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }
}

/// One node or property shape.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    /// Human-readable name used in results and errors.
    pub label: String,
    /// `Some` for property shapes.
    pub path: Option<Path>,
    pub targets: Vec<Target>,
    pub constraints: Vec<Constraint>,
    /// Indexes (into [`ShapesGraph::shapes`]) of the `sh:property` shapes.
    pub properties: Vec<usize>,
    pub severity: Severity,
    pub message: Option<String>,
    pub deactivated: bool,
}

/// A supported property path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Path {
    Predicate(NamedNode),
    Inverse(NamedNode),
}

impl fmt::Display for Path {
    /// SPARQL property path syntax: `<p>` or `^<p>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Predicate(p) => write!(f, "{p}"),
            Self::Inverse(p) => write!(f, "^{p}"),
        }
    }
}

/// A way of selecting focus nodes.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Class(Term),
    Node(Term),
    SubjectsOf(NamedNode),
    ObjectsOf(NamedNode),
}

/// `sh:nodeKind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Iri,
    BlankNode,
    Literal,
    BlankNodeOrIri,
    IriOrLiteral,
    BlankNodeOrLiteral,
}

impl NodeKind {
    pub fn matches(self, term: &Term) -> bool {
        let (iri, blank, literal) = match term {
            Term::NamedNode(_) => (true, false, false),
            Term::BlankNode(_) => (false, true, false),
            Term::Literal(_) => (false, false, true),
        };
        match self {
            Self::Iri => iri,
            Self::BlankNode => blank,
            Self::Literal => literal,
            Self::BlankNodeOrIri => blank || iri,
            Self::IriOrLiteral => iri || literal,
            Self::BlankNodeOrLiteral => blank || literal,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Iri => "sh:IRI",
            Self::BlankNode => "sh:BlankNode",
            Self::Literal => "sh:Literal",
            Self::BlankNodeOrIri => "sh:BlankNodeOrIRI",
            Self::IriOrLiteral => "sh:IRIOrLiteral",
            Self::BlankNodeOrLiteral => "sh:BlankNodeOrLiteral",
        }
    }
}

/// A supported constraint component with its parameter.
#[derive(Debug, Clone)]
pub(crate) enum Constraint {
    MinCount(u64),
    MaxCount(u64),
    Datatype(NamedNode),
    Class(Term),
    NodeKind(NodeKind),
    In(Vec<Term>),
    HasValue(Term),
    Pattern { regex: Regex, pattern: String },
    MinLength(u64),
    MaxLength(u64),
    LanguageIn(Vec<String>),
    UniqueLang,
    MinInclusive(Literal),
    MaxInclusive(Literal),
}

impl Constraint {
    /// The parameter name used in [`super::ValidationResult::constraint`].
    pub fn name(&self) -> &'static str {
        match self {
            Self::MinCount(_) => "sh:minCount",
            Self::MaxCount(_) => "sh:maxCount",
            Self::Datatype(_) => "sh:datatype",
            Self::Class(_) => "sh:class",
            Self::NodeKind(_) => "sh:nodeKind",
            Self::In(_) => "sh:in",
            Self::HasValue(_) => "sh:hasValue",
            Self::Pattern { .. } => "sh:pattern",
            Self::MinLength(_) => "sh:minLength",
            Self::MaxLength(_) => "sh:maxLength",
            Self::LanguageIn(_) => "sh:languageIn",
            Self::UniqueLang => "sh:uniqueLang",
            Self::MinInclusive(_) => "sh:minInclusive",
            Self::MaxInclusive(_) => "sh:maxInclusive",
        }
    }

    /// Constraints that SHACL only allows on property shapes.
    fn needs_path(&self) -> bool {
        matches!(
            self,
            Self::MinCount(_) | Self::MaxCount(_) | Self::UniqueLang
        )
    }
}

/// Parses Turtle into a graph. The triples go through an in-memory oxigraph
/// store first so that literals get the same canonical form as in the data
/// store (oxigraph stores `"01"^^xsd:integer` as `"1"^^xsd:integer`), which keeps
/// `sh:in` and `sh:hasValue` comparisons consistent.
fn parse_turtle(turtle: &str, source: &str) -> Result<Graph, ValidateError> {
    let store = Store::new()?;
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle) {
        let quad = quad.map_err(|e| syntax_error(&e, source))?;
        store.insert(&quad)?;
    }
    let mut graph = Graph::new();
    for quad in store.iter() {
        graph.insert(&Triple::from(quad?));
    }
    Ok(graph)
}

fn syntax_error(error: &RdfSyntaxError, source: &str) -> ValidateError {
    let (line, column) = error
        .location()
        .map_or((0, 0), |l| (l.start.line + 1, l.start.column + 1));
    let text = error.to_string();
    // The parser's message starts with its own "Parser error at line …: "; we
    // report the location in `file:line:column` form instead.
    let message = match (text.starts_with("Parser error"), text.split_once(": ")) {
        (true, Some((_, rest))) => rest.to_owned(),
        _ => text,
    };
    ValidateError::Syntax {
        file: source.to_owned(),
        line,
        column,
        message,
    }
}

/// Local name of an IRI in the SHACL namespace.
fn sh_local(iri: NamedNodeRef<'_>) -> Option<&str> {
    iri.as_str().strip_prefix(SH)
}

fn as_node(term: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        TermRef::Literal(_) => None,
    }
}

/// Finds all shape nodes, in a deterministic order (IRIs first, by IRI).
fn shape_nodes(graph: &Graph) -> Vec<NamedOrBlankNode> {
    let mut found = HashSet::new();
    for t in graph.iter() {
        let is_shape_predicate = sh_local(t.predicate)
            .is_some_and(|l| !PATH_PREDICATES.contains(&l) && !PREFIX_PREDICATES.contains(&l));
        let is_shape_type = t.predicate == rdf::TYPE
            && matches!(t.object, TermRef::NamedNode(c)
                if sh_local(c).is_some_and(|l| l != "PrefixDeclaration"));
        if is_shape_predicate || is_shape_type {
            found.insert(t.subject.into_owned());
        }
        if t.predicate == SH_PROPERTY {
            if let Some(node) = as_node(t.object) {
                found.insert(node.into_owned());
            }
        }
    }
    let mut nodes: Vec<_> = found.into_iter().collect();
    nodes.sort_by_key(|n| (n.is_blank_node(), n.to_string()));
    nodes
}

fn read_shapes(graph: &Graph) -> Result<ShapesGraph, ValidateError> {
    let nodes = shape_nodes(graph);
    let index: HashMap<&NamedOrBlankNode, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n, i)).collect();
    let mut shapes = Vec::with_capacity(nodes.len());
    for node in &nodes {
        let reader = ShapeReader {
            graph,
            node: node.as_ref(),
            label: label(graph, node.as_ref(), 0),
        };
        shapes.push(reader.read(&index)?);
    }
    for shape in &shapes {
        if shape.properties.iter().any(|&c| shapes[c].path.is_none()) {
            return Err(ValidateError::InvalidShape {
                shape: shape.label.clone(),
                message: "sh:property must point to a property shape with sh:path".into(),
            });
        }
    }
    check_acyclic(&shapes)?;
    let subclass_of = graph
        .triples_for_predicate(rdfs::SUB_CLASS_OF)
        .map(|t| (t.subject.into_owned().into(), t.object.into_owned()))
        .collect();
    Ok(ShapesGraph {
        shapes,
        subclass_of,
    })
}

/// A readable name for a shape: its IRI, or for an anonymous property shape the
/// parent shape and the path, e.g. `<ex:S> sh:property [ sh:path <ex:p> ]`.
fn label(graph: &Graph, node: NamedOrBlankNodeRef<'_>, depth: usize) -> String {
    if node.is_blank_node() && depth < 8 {
        let parent = graph.subject_for_predicate_object(SH_PROPERTY, node);
        let path = graph
            .object_for_subject_predicate(node, SH_PATH)
            .and_then(|p| parse_path(graph, p).ok());
        if let (Some(parent), Some(path)) = (parent, path) {
            let path = match path {
                Path::Predicate(p) => p.to_string(),
                Path::Inverse(p) => format!("[ sh:inversePath {p} ]"),
            };
            return format!(
                "{} sh:property [ sh:path {path} ]",
                label(graph, parent, depth + 1)
            );
        }
    }
    node.to_string()
}

/// Reads a path; only an IRI or `[ sh:inversePath IRI ]` are supported.
/// The error is the unsupported feature (or a description of a malformed path).
fn parse_path(graph: &Graph, path: TermRef<'_>) -> Result<Path, PathError> {
    let node = match path {
        TermRef::NamedNode(p) => return Ok(Path::Predicate(p.into_owned())),
        TermRef::BlankNode(b) => b,
        TermRef::Literal(_) => {
            return Err(PathError::Invalid("sh:path must be an IRI or a blank node"))
        }
    };
    let mut result = Err(PathError::Invalid(
        "sh:path is a blank node that is not a path",
    ));
    for t in graph.triples_for_subject(node) {
        if t.predicate == rdf::FIRST {
            return Err(PathError::Unsupported("sequence path".into()));
        }
        match sh_local(t.predicate) {
            Some("inversePath") => {
                result = match t.object {
                    TermRef::NamedNode(p) => Ok(Path::Inverse(p.into_owned())),
                    _ => Err(PathError::Unsupported(
                        "sh:inversePath of a complex path".into(),
                    )),
                }
            }
            Some(other) if PATH_PREDICATES.contains(&other) => {
                return Err(PathError::Unsupported(format!("sh:{other}")));
            }
            _ => {}
        }
    }
    result
}

enum PathError {
    Unsupported(String),
    Invalid(&'static str),
}

/// A shape being read: the parameters that are only checked or combined once all the shape's triples are seen.
struct Draft {
    shape: Shape,
    patterns: Vec<String>,
    flags: Option<String>,
    messages: Vec<Literal>,
    severity: Option<Severity>,
}

/// The message of a shape among several (usually one per language): one without a language tag, then English,
/// then the first by language and text.
fn preferred_message(mut messages: Vec<Literal>) -> Option<String> {
    messages.sort_by_key(|m| {
        let rank = match m.language() {
            None => 0,
            Some(l)
                if l.eq_ignore_ascii_case("en") || l.to_ascii_lowercase().starts_with("en-") =>
            {
                1
            }
            Some(_) => 2,
        };
        (rank, m.language().map(str::to_owned), m.value().to_owned())
    });
    messages.first().map(|m| m.value().to_owned())
}

struct ShapeReader<'a> {
    graph: &'a Graph,
    node: NamedOrBlankNodeRef<'a>,
    label: String,
}

impl ShapeReader<'_> {
    fn unsupported(&self, feature: impl Into<String>) -> ValidateError {
        ValidateError::Unsupported {
            shape: self.label.clone(),
            feature: feature.into(),
        }
    }

    fn invalid(&self, message: impl Into<String>) -> ValidateError {
        ValidateError::InvalidShape {
            shape: self.label.clone(),
            message: message.into(),
        }
    }

    /// Reads the shape from its triples; `index` gives the place of every shape node, for `sh:property`.
    fn read(self, index: &HashMap<&NamedOrBlankNode, usize>) -> Result<Shape, ValidateError> {
        let mut draft = Draft {
            shape: Shape {
                label: self.label.clone(),
                path: None,
                targets: Vec::new(),
                constraints: Vec::new(),
                properties: Vec::new(),
                severity: Severity::Violation,
                message: None,
                deactivated: false,
            },
            patterns: Vec::new(),
            flags: None,
            messages: Vec::new(),
            severity: None,
        };
        for t in self.graph.triples_for_subject(self.node) {
            let object = t.object;
            if t.predicate == rdf::TYPE {
                self.read_type(object, &mut draft.shape)?;
                continue;
            }
            let Some(local) = sh_local(t.predicate) else {
                continue; // rdfs:label, rdfs:comment, skos:… are annotations
            };
            if self.read_setting(local, object, index, &mut draft)? {
                continue;
            }
            if let Some(constraint) = self.constraint(local, object)? {
                draft.shape.constraints.push(constraint);
            }
        }
        self.finish(draft)
    }

    /// Reads an `rdf:type` of the shape: a SHACL shape class, or a class whose instances the shape then targets.
    fn read_type(&self, object: TermRef<'_>, shape: &mut Shape) -> Result<(), ValidateError> {
        if let TermRef::NamedNode(class) = object {
            match sh_local(class) {
                Some("NodeShape" | "PropertyShape" | "Shape") => {}
                Some(other) => return Err(self.unsupported(format!("rdf:type sh:{other}"))),
                // An IRI shape that is also a class targets its instances.
                None if class == rdfs::CLASS || class == OWL_CLASS => {
                    if let NamedOrBlankNodeRef::NamedNode(n) = self.node {
                        shape.targets.push(Target::Class(n.into_owned().into()));
                    }
                }
                None => {}
            }
        }
        Ok(())
    }

    /// Reads a `sh:` parameter that is not a constraint of its own (path, child shapes, targets, severity, message,
    /// deactivation, pattern and flags) into the draft; `false` when `local` is none of them.
    fn read_setting(
        &self,
        local: &str,
        object: TermRef<'_>,
        index: &HashMap<&NamedOrBlankNode, usize>,
        draft: &mut Draft,
    ) -> Result<bool, ValidateError> {
        let shape = &mut draft.shape;
        match local {
            "path" => {
                if shape.path.is_some() {
                    return Err(self.invalid("more than one sh:path"));
                }
                shape.path = Some(parse_path(self.graph, object).map_err(|e| match e {
                    PathError::Unsupported(feature) => self.unsupported(feature),
                    PathError::Invalid(message) => self.invalid(message),
                })?);
            }
            "property" => {
                let child = as_node(object)
                    .and_then(|n| index.get(&n.into_owned()))
                    .ok_or_else(|| self.invalid("sh:property must point to a property shape"))?;
                shape.properties.push(*child);
            }
            "targetClass" => shape
                .targets
                .push(Target::Class(self.node_value(local, object)?.into())),
            "targetNode" => shape.targets.push(Target::Node(object.into_owned())),
            "targetSubjectsOf" => shape
                .targets
                .push(Target::SubjectsOf(self.iri(local, object)?)),
            "targetObjectsOf" => shape
                .targets
                .push(Target::ObjectsOf(self.iri(local, object)?)),
            "severity" => {
                let value = self.severity(object)?;
                if draft.severity.replace(value).is_some() {
                    return Err(self.invalid("more than one sh:severity"));
                }
            }
            "message" => match object {
                TermRef::Literal(l) => draft.messages.push(l.into_owned()),
                _ => return Err(self.invalid("sh:message must be a literal")),
            },
            "deactivated" => shape.deactivated = self.boolean(local, object)?,
            "pattern" => draft.patterns.push(self.string(local, object)?),
            "flags" => {
                if draft.flags.replace(self.string(local, object)?).is_some() {
                    return Err(self.invalid("more than one sh:flags"));
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Reads the value of `sh:severity`: one of the three SHACL severities.
    fn severity(&self, object: TermRef<'_>) -> Result<Severity, ValidateError> {
        match object {
            TermRef::NamedNode(s) => match sh_local(s) {
                Some("Violation") => Ok(Severity::Violation),
                Some("Warning") => Ok(Severity::Warning),
                Some("Info") => Ok(Severity::Info),
                _ => Err(self.unsupported(format!("custom severity {s}"))),
            },
            _ => Err(self.invalid("sh:severity must be an IRI")),
        }
    }

    /// Reads a constraint component; `None` for an annotation or `sh:uniqueLang false`, an error for any `sh:`
    /// predicate that is not supported, so that no constraint is silently skipped.
    fn constraint(
        &self,
        local: &str,
        object: TermRef<'_>,
    ) -> Result<Option<Constraint>, ValidateError> {
        let constraint = match local {
            "uniqueLang" => {
                if !self.boolean(local, object)? {
                    return Ok(None);
                }
                Constraint::UniqueLang
            }
            "minCount" => Constraint::MinCount(self.count(local, object)?),
            "maxCount" => Constraint::MaxCount(self.count(local, object)?),
            "minLength" => Constraint::MinLength(self.count(local, object)?),
            "maxLength" => Constraint::MaxLength(self.count(local, object)?),
            "datatype" => Constraint::Datatype(self.iri(local, object)?),
            "class" => Constraint::Class(self.node_value(local, object)?.into()),
            "nodeKind" => Constraint::NodeKind(self.node_kind(object)?),
            "in" => Constraint::In(self.list(local, object)?),
            "hasValue" => Constraint::HasValue(object.into_owned()),
            "languageIn" => Constraint::LanguageIn(
                self.list(local, object)?
                    .iter()
                    .map(|t| match t {
                        Term::Literal(l) => Ok(l.value().to_owned()),
                        _ => Err(self.invalid("sh:languageIn must list string literals")),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            "minInclusive" | "maxInclusive" => {
                let TermRef::Literal(bound) = object else {
                    return Err(self.invalid(format!("sh:{local} must be a literal")));
                };
                if local == "minInclusive" {
                    Constraint::MinInclusive(bound.into_owned())
                } else {
                    Constraint::MaxInclusive(bound.into_owned())
                }
            }
            annotation if ANNOTATIONS.contains(&annotation) => return Ok(None),
            other => return Err(self.unsupported(format!("sh:{other}"))),
        };
        Ok(Some(constraint))
    }

    /// Completes the shape once all its triples are read: the patterns with their flags, the check that
    /// path-only constraints have a path, the severity and the message.
    fn finish(&self, draft: Draft) -> Result<Shape, ValidateError> {
        let Draft {
            mut shape,
            patterns,
            flags,
            messages,
            severity,
        } = draft;
        if flags.is_some() && patterns.is_empty() {
            return Err(self.invalid("sh:flags without sh:pattern"));
        }
        for pattern in patterns {
            let regex = self.regex(&pattern, flags.as_deref().unwrap_or(""))?;
            shape
                .constraints
                .push(Constraint::Pattern { regex, pattern });
        }
        if shape.path.is_none() {
            if let Some(c) = shape.constraints.iter().find(|c| c.needs_path()) {
                return Err(self.invalid(format!(
                    "{} is only allowed on property shapes (with sh:path)",
                    c.name()
                )));
            }
        }
        shape.severity = severity.unwrap_or(Severity::Violation);
        shape.message = preferred_message(messages);
        Ok(shape)
    }

    fn iri(&self, param: &str, object: TermRef<'_>) -> Result<NamedNode, ValidateError> {
        match object {
            TermRef::NamedNode(n) => Ok(n.into_owned()),
            _ => Err(self.invalid(format!("sh:{param} must be an IRI"))),
        }
    }

    fn node_value(
        &self,
        param: &str,
        object: TermRef<'_>,
    ) -> Result<NamedOrBlankNode, ValidateError> {
        as_node(object)
            .map(NamedOrBlankNodeRef::into_owned)
            .ok_or_else(|| self.invalid(format!("sh:{param} must be an IRI or blank node")))
    }

    fn count(&self, param: &str, object: TermRef<'_>) -> Result<u64, ValidateError> {
        match object {
            TermRef::Literal(l) if l.datatype() == xsd::INTEGER => {
                oxsdatatypes::Integer::from_str(l.value())
                    .ok()
                    .and_then(|i| u64::try_from(i64::from(i)).ok())
            }
            _ => None,
        }
        .ok_or_else(|| self.invalid(format!("sh:{param} must be a non-negative xsd:integer")))
    }

    fn boolean(&self, param: &str, object: TermRef<'_>) -> Result<bool, ValidateError> {
        match object {
            TermRef::Literal(l) if l.datatype() == xsd::BOOLEAN => {
                oxsdatatypes::Boolean::from_str(l.value())
                    .ok()
                    .map(bool::from)
            }
            _ => None,
        }
        .ok_or_else(|| self.invalid(format!("sh:{param} must be an xsd:boolean")))
    }

    fn string(&self, param: &str, object: TermRef<'_>) -> Result<String, ValidateError> {
        match object {
            TermRef::Literal(l) if l.datatype() == xsd::STRING => Ok(l.value().to_owned()),
            _ => Err(self.invalid(format!("sh:{param} must be a string literal"))),
        }
    }

    fn node_kind(&self, object: TermRef<'_>) -> Result<NodeKind, ValidateError> {
        let kind = match object {
            TermRef::NamedNode(n) => match sh_local(n) {
                Some("IRI") => Some(NodeKind::Iri),
                Some("BlankNode") => Some(NodeKind::BlankNode),
                Some("Literal") => Some(NodeKind::Literal),
                Some("BlankNodeOrIRI") => Some(NodeKind::BlankNodeOrIri),
                Some("IRIOrLiteral") => Some(NodeKind::IriOrLiteral),
                Some("BlankNodeOrLiteral") => Some(NodeKind::BlankNodeOrLiteral),
                _ => None,
            },
            _ => None,
        };
        kind.ok_or_else(|| self.invalid(format!("unknown sh:nodeKind {object}")))
    }

    /// Reads an RDF list (`( a b c )` in Turtle).
    fn list(&self, param: &str, head: TermRef<'_>) -> Result<Vec<Term>, ValidateError> {
        let bad = || self.invalid(format!("sh:{param} must be a well-formed RDF list"));
        let mut items = Vec::new();
        let mut seen = HashSet::new();
        let mut node = head;
        while node != TermRef::from(rdf::NIL) {
            let current = as_node(node).filter(|n| seen.insert(*n)).ok_or_else(bad)?;
            items.push(
                self.graph
                    .object_for_subject_predicate(current, rdf::FIRST)
                    .ok_or_else(bad)?
                    .into_owned(),
            );
            node = self
                .graph
                .object_for_subject_predicate(current, rdf::REST)
                .ok_or_else(bad)?;
        }
        Ok(items)
    }

    /// Compiles `sh:pattern` with XPath-style `sh:flags` (`i`, `s`, `m`, `x`, `q`).
    fn regex(&self, pattern: &str, flags: &str) -> Result<Regex, ValidateError> {
        let quoted;
        let mut source = pattern;
        if flags.contains('q') {
            quoted = regex::escape(pattern);
            source = &quoted;
        }
        let mut builder = RegexBuilder::new(source);
        for flag in flags.chars() {
            match flag {
                'i' => builder.case_insensitive(true),
                's' => builder.dot_matches_new_line(true),
                'm' => builder.multi_line(true),
                'x' => builder.ignore_whitespace(true),
                'q' => &mut builder,
                other => {
                    return Err(self.invalid(format!("unsupported sh:flags character {other:?}")))
                }
            };
        }
        builder
            .build()
            .map_err(|e| self.invalid(format!("invalid sh:pattern {pattern:?}: {e}")))
    }
}

/// Rejects cycles through `sh:property`, whose validation would not terminate.
fn check_acyclic(shapes: &[Shape]) -> Result<(), ValidateError> {
    // 0 = unvisited, 1 = on the current path, 2 = done
    fn visit(i: usize, shapes: &[Shape], state: &mut [u8]) -> Result<(), ValidateError> {
        match state[i] {
            1 => {
                return Err(ValidateError::Unsupported {
                    shape: shapes[i].label.clone(),
                    feature: "recursive shapes (sh:property cycle)".into(),
                })
            }
            2 => return Ok(()),
            _ => {}
        }
        state[i] = 1;
        for &child in &shapes[i].properties {
            visit(child, shapes, state)?;
        }
        state[i] = 2;
        Ok(())
    }
    let mut state = vec![0; shapes.len()];
    (0..shapes.len()).try_for_each(|i| visit(i, shapes, &mut state))
}
