//! SHACL Core validation of the knowledge graph (a subset, see below).
//!
//! The `validate` command checks the data in an oxigraph [`Store`] against a
//! shapes graph written in Turtle. No maintained Rust crate implements SHACL on
//! top of oxigraph 0.5, so this module implements the part of SHACL Core that
//! the project's shapes use, and refuses everything else loudly: a shape that
//! uses an unsupported SHACL feature makes [`ShapesGraph::from_turtle`] fail with
//! [`ValidateError::Unsupported`] instead of being silently ignored.
//!
//! Supported:
//! - shapes: `sh:NodeShape`, property shapes (`sh:property` / `sh:path`), nested
//!   `sh:property` on property shapes;
//! - targets: `sh:targetClass` (with `rdfs:subClassOf*` from the data and the
//!   shapes graph), `sh:targetNode`, `sh:targetSubjectsOf`, `sh:targetObjectsOf`,
//!   and implicit class targets (a shape that is also an `rdfs:Class`/`owl:Class`);
//! - paths: an IRI, or `[ sh:inversePath IRI ]`;
//! - constraints: `sh:minCount`, `sh:maxCount`, `sh:datatype`, `sh:class`,
//!   `sh:nodeKind`, `sh:in`, `sh:hasValue`, `sh:pattern` (+ `sh:flags`),
//!   `sh:minLength`, `sh:maxLength`, `sh:languageIn`, `sh:uniqueLang`,
//!   `sh:minInclusive`, `sh:maxInclusive`;
//! - `sh:severity`, `sh:message`, `sh:deactivated`, and the annotations
//!   `sh:name`, `sh:description`, `sh:order`, `sh:group`, `sh:defaultValue`.
//!
//! The data graph is the union of all graphs of the store (default graph and
//! named graphs); a triple stored in several graphs counts once.

mod engine;
pub(crate) mod literal;
mod shapes;

use oxigraph::sparql::{QueryEvaluationError, SparqlSyntaxError};
use oxigraph::store::{StorageError, Store};
use serde::Serialize;
use std::fmt;

pub use shapes::ShapesGraph;

/// Validates the union of all graphs of `store` (named graphs and default graph)
/// against `shapes`.
///
/// Results are sorted by focus node, path and constraint so that reports are
/// reproducible. Identical results (e.g. a node reached twice through the same
/// shape) are reported once.
pub fn validate(store: &Store, shapes: &ShapesGraph) -> Result<ValidationReport, ValidateError> {
    let mut results = engine::Engine::new(store, shapes)?.run()?;
    results.sort_by(|a, b| {
        (
            &a.focus_node,
            &a.result_path,
            &a.constraint,
            &a.value,
            &a.source_shape,
            &a.message,
        )
            .cmp(&(
                &b.focus_node,
                &b.result_path,
                &b.constraint,
                &b.value,
                &b.source_shape,
                &b.message,
            ))
    });
    results.dedup();
    let conforms = !results.iter().any(|r| r.severity == Severity::Violation);
    Ok(ValidationReport { conforms, results })
}

/// The outcome of a validation run, in the spirit of a SHACL validation report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// `false` only when at least one result has severity [`Severity::Violation`].
    pub conforms: bool,
    /// All results, sorted by focus node, path and constraint.
    pub results: Vec<ValidationResult>,
}

impl ValidationReport {
    /// Number of results with the given severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.results
            .iter()
            .filter(|r| r.severity == severity)
            .count()
    }
}

/// One failed constraint on one focus node (and value), like a `sh:ValidationResult`.
///
/// RDF terms are written in N-Triples syntax (`<http://…>`, `"text"@en`,
/// `"5"^^<http://www.w3.org/2001/XMLSchema#integer>`, `_:b0`) so that IRIs,
/// literals and blank nodes can not be confused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationResult {
    /// The node that was validated.
    pub focus_node: String,
    /// The property path of the shape (`<p>` or `^<p>` for an inverse path);
    /// `None` for constraints on a node shape.
    pub result_path: Option<String>,
    /// The offending value node, when the constraint is about a single value
    /// (not for `sh:minCount`, `sh:maxCount`, `sh:hasValue`, `sh:uniqueLang`).
    pub value: Option<String>,
    /// The shape that produced the result: its IRI, or for a blank-node property
    /// shape a description like `<Parent> sh:property [ sh:path <p> ]`.
    pub source_shape: String,
    /// The constraint component parameter, e.g. `sh:minCount`.
    pub constraint: String,
    /// The severity declared on the shape (`sh:Violation` by default).
    pub severity: Severity,
    /// The shape's `sh:message`, or a generated explanation.
    pub message: String,
}

/// `sh:severity` of a shape; only [`Severity::Violation`] makes a report non-conforming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Severity {
    /// `sh:Violation`, the default.
    Violation,
    /// `sh:Warning`.
    Warning,
    /// `sh:Info`.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::Violation => "Violation",
            Self::Warning => "Warning",
            Self::Info => "Info",
        })
    }
}

/// Why validation could not be carried out (as opposed to data not conforming).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// The shapes file is not valid Turtle. `line` and `column` start at 1.
    #[error("{file}:{line}:{column}: Turtle syntax error: {message}")]
    Syntax {
        /// The name of the shapes file, as given to [`ShapesGraph::from_turtle`].
        file: String,
        /// Line of the error (1-based).
        line: u64,
        /// Column of the error (1-based, in characters).
        column: u64,
        /// The parser's description of the problem.
        message: String,
    },
    /// A shape uses a SHACL feature this validator does not implement.
    #[error("shape {shape}: unsupported SHACL feature {feature}")]
    Unsupported {
        /// The shape (see [`ValidationResult::source_shape`] for the format).
        shape: String,
        /// The feature, e.g. `sh:or` or `sequence path`.
        feature: String,
    },
    /// A shape is malformed (e.g. `sh:minCount "two"`, a property shape without `sh:path`).
    #[error("shape {shape}: {message}")]
    InvalidShape {
        /// The shape (see [`ValidationResult::source_shape`] for the format).
        shape: String,
        /// What is wrong with it.
        message: String,
    },
    /// Reading the store failed.
    #[error("storage error: {0}")]
    Storage(#[from] StorageError),
    /// Evaluating an internal SPARQL query failed.
    #[error("query evaluation error: {0}")]
    Query(#[from] QueryEvaluationError),
    /// An internally generated SPARQL query did not parse (a bug in this module).
    #[error("internal query syntax error: {0}")]
    QuerySyntax(#[from] SparqlSyntaxError),
}

impl fmt::Display for ValidationReport {
    /// One line per result, then a summary line:
    ///
    /// ```text
    /// Violation  <http://ex/a>  path <http://ex/name>  (sh:minCount) expected at least 1 value, found 0
    /// Warning    <http://ex/b>  path <http://ex/code>  value "x1"  (sh:pattern) value does not match "^[A-Z]+$"
    /// 1 violation, 1 warning
    /// ```
    ///
    /// A report without results prints `conforms`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.results {
            write!(f, "{:<9}  {}", r.severity, r.focus_node)?;
            if let Some(path) = &r.result_path {
                write!(f, "  path {path}")?;
            }
            if let Some(value) = &r.value {
                write!(f, "  value {value}")?;
            }
            writeln!(f, "  ({}) {}", r.constraint, r.message)?;
        }
        if self.results.is_empty() {
            return writeln!(f, "conforms");
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{}, {}",
            plural(self.count(Severity::Violation), "violation"),
            plural(self.count(Severity::Warning), "warning")
        )?;
        let infos = self.count(Severity::Info);
        if infos > 0 {
            write!(f, ", {infos} info")?;
        }
        if self.conforms {
            write!(f, " (conforms)")?;
        }
        writeln!(f)
    }
}
