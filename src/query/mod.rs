//! SPARQL over the store: the default graph is the union of all named graphs (docs/model.md; the store keeps it so),
//! results are printed as a table for a terminal or in the standard result formats.

pub mod order;

/// The ready-made queries of `queries/` that commands run by name: `(file, text)`.
pub mod ready {
    /// Citations no act was found for.
    pub const UNRESOLVED_CITATIONS: (&str, &str) = (
        "queries/unresolved-citations.rq",
        include_str!("../../queries/unresolved-citations.rq"),
    );
    /// Citations per act.
    pub const CITATIONS_BY_ACT: (&str, &str) = (
        "queries/citations-by-act.rq",
        include_str!("../../queries/citations-by-act.rq"),
    );
    /// Citations per document, in the order of the text.
    pub const CITATIONS_BY_DOCUMENT: (&str, &str) = (
        "queries/citations-by-document.rq",
        include_str!("../../queries/citations-by-document.rq"),
    );
    /// Units known only by the key of their name.
    pub const UNKNOWN_UNITS: (&str, &str) = (
        "queries/unknown-units.rq",
        include_str!("../../queries/unknown-units.rq"),
    );
}

use crate::rdf::vocab::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use spargebra::SparqlParser;
use std::io::Write;

/// A query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query text is not valid SPARQL.
    #[error("{source_name}: {message}")]
    Syntax {
        /// Where the query came from (file name or `-e`).
        source_name: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// Evaluation failed.
    #[error("{source_name}: query evaluation failed: {message}")]
    Evaluation {
        /// Where the query came from.
        source_name: String,
        /// The cause.
        message: String,
    },
    /// The output format does not fit the query form.
    #[error("{0}")]
    Format(String),
    /// Writing the results failed.
    #[error("cannot write results")]
    Io(#[from] std::io::Error),
}

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultFormat {
    /// An aligned table for a terminal (SELECT, ASK); Turtle for CONSTRUCT and DESCRIBE.
    Table,
    /// SPARQL 1.1 Query Results JSON.
    Json,
    /// SPARQL 1.1 Query Results CSV.
    Csv,
    /// SPARQL 1.1 Query Results TSV.
    Tsv,
    /// SPARQL Query Results XML.
    Xml,
}

/// Parses query or update text with the project's prefixes predeclared (a query's own `PREFIX` wins).
pub fn parser() -> SparqlParser {
    static PARSER: std::sync::OnceLock<SparqlParser> = std::sync::OnceLock::new();
    PARSER
        .get_or_init(|| {
            let mut p = SparqlParser::new();
            for (prefix, ns) in PREFIXES {
                if let Ok(with) = p.clone().with_prefix(*prefix, *ns) {
                    p = with;
                }
            }
            p
        })
        .clone()
}

/// Runs a query. The store's default graph is the union of all named graphs (kept so by the store on every write),
/// so a query without `FROM` sees every document. A SELECT's outermost ORDER BY is applied to the decoded rows
/// ([`order`]). Oxigraph is built without its HTTP client, so `SERVICE` federation is off: a query never makes
/// the tool call other hosts.
pub fn execute(
    store: &Store,
    query: &str,
    source_name: &str,
) -> Result<QueryResults<'static>, QueryError> {
    let mut parsed = parser()
        .parse_query(query)
        .map_err(|e| QueryError::Syntax {
            source_name: source_name.to_string(),
            message: e.to_string(),
        })?;
    let order = order::split(&mut parsed);
    let evaluation = |e: oxigraph::sparql::QueryEvaluationError| QueryError::Evaluation {
        source_name: source_name.to_string(),
        message: e.to_string(),
    };
    let results = SparqlEvaluator::new()
        .for_query(parsed)
        .on_store(store)
        .execute()
        .map_err(evaluation)?;
    order::apply(order.as_ref(), results, usize::MAX).map_err(evaluation)
}

/// The variables and rows of a SELECT query's results (`None` where a variable is unbound).
pub type Table = (Vec<String>, Vec<Vec<Option<Term>>>);

/// A SELECT query's results as a [`Table`] of terms, for tests and commands.
pub fn select(store: &Store, query: &str, source_name: &str) -> Result<Table, QueryError> {
    match execute(store, query, source_name)? {
        QueryResults::Solutions(solutions) => {
            let vars: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_string())
                .collect();
            let mut rows = Vec::new();
            for s in solutions {
                let s = s.map_err(|e| QueryError::Evaluation {
                    source_name: source_name.to_string(),
                    message: e.to_string(),
                })?;
                rows.push(vars.iter().map(|v| s.get(v.as_str()).cloned()).collect());
            }
            Ok((vars, rows))
        }
        _ => Err(QueryError::Format(format!(
            "{source_name}: not a SELECT query"
        ))),
    }
}

/// The plain value of a term: an IRI, or a literal's lexical form.
pub fn plain(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

fn short(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => {
            for (p, ns) in PREFIXES {
                if let Some(local) = n.as_str().strip_prefix(ns) {
                    if !local.is_empty()
                        && local
                            .chars()
                            .all(|c| c.is_alphanumeric() || "-_".contains(c))
                    {
                        return format!("{p}:{local}");
                    }
                }
            }
            format!("<{}>", n.as_str())
        }
        Term::Literal(l) => match l.language() {
            Some(lang) => format!("{}@{lang}", l.value()),
            None => l.value().to_string(),
        },
        other => other.to_string(),
    }
}

/// Runs a query and writes its results; returns the number of rows (or triples) written.
pub fn run(
    store: &Store,
    query: &str,
    source_name: &str,
    format: ResultFormat,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    let eval_err = |e: oxigraph::sparql::QueryEvaluationError| QueryError::Evaluation {
        source_name: source_name.to_string(),
        message: e.to_string(),
    };
    let results_format = match format {
        ResultFormat::Json => Some(QueryResultsFormat::Json),
        ResultFormat::Csv => Some(QueryResultsFormat::Csv),
        ResultFormat::Tsv => Some(QueryResultsFormat::Tsv),
        ResultFormat::Xml => Some(QueryResultsFormat::Xml),
        ResultFormat::Table => None,
    };
    match execute(store, query, source_name)? {
        QueryResults::Boolean(b) => {
            match results_format {
                Some(f) => {
                    QueryResultsSerializer::from_format(f)
                        .serialize_boolean_to_writer(&mut *out, b)?;
                }
                None => writeln!(out, "{b}")?,
            }
            Ok(1)
        }
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            let mut n = 0;
            match results_format {
                Some(f) => {
                    let mut w = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(&mut *out, vars)?;
                    for s in solutions {
                        w.serialize(&s.map_err(eval_err)?)?;
                        n += 1;
                    }
                    w.finish()?;
                }
                None => {
                    let mut table = comfy_table::Table::new();
                    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
                    table.set_header(vars.iter().map(|v| v.as_str().to_string()));
                    for s in solutions {
                        let s = s.map_err(eval_err)?;
                        table.add_row(vars.iter().map(|v| s.get(v).map(short).unwrap_or_default()));
                        n += 1;
                    }
                    writeln!(out, "{table}")?;
                    writeln!(out, "{n} rows")?;
                }
            }
            Ok(n)
        }
        QueryResults::Graph(triples) => {
            if results_format.is_some() {
                return Err(QueryError::Format(format!(
                    "{source_name}: CONSTRUCT and DESCRIBE results are RDF; use --format table (Turtle) or `export`"
                )));
            }
            let mut s = RdfSerializer::from_format(RdfFormat::Turtle);
            for (p, ns) in PREFIXES {
                s = s
                    .with_prefix(*p, *ns)
                    .map_err(|e| QueryError::Format(e.to_string()))?;
            }
            let mut w = s.for_writer(&mut *out);
            let mut n = 0;
            for t in triples {
                w.serialize_triple(&t.map_err(eval_err)?)?;
                n += 1;
            }
            w.finish()?;
            Ok(n)
        }
    }
}
