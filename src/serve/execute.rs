//! One SPARQL query, from its text to the bytes of the answer: parse (the project's prefixes predeclared), check
//! ([`super::policy`]), negotiate the format from the query form ([`prepare`]), evaluate under a cancellation token,
//! serialize up to the result cap ([`evaluate`]). The server prepares every query itself (the nesting limit keeps
//! the parser far from the end of its threads' stacks) and evaluates in its own process only the queries the engine
//! stops by itself at their timeout; the others go to a query worker process ([`super::worker`]) that can be
//! killed.

use super::error::ApiError;
use super::jsonld::Context;
use super::negotiate::{self, Representation};
use super::policy;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolutionIter, SparqlEvaluator,
};
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A query as the protocol gave it, with the limits that apply.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct QueryJob {
    /// The query text.
    pub query: String,
    /// `default-graph-uri` values.
    pub default_graphs: Vec<String>,
    /// `named-graph-uri` values.
    pub named_graphs: Vec<String>,
    /// The `format` parameter.
    pub format: Option<String>,
    /// The `Accept` header.
    pub accept: Option<String>,
    /// The server's store generation when the request came (a worker refreshes its view when it changes).
    pub generation: u64,
    /// The query timeout, in milliseconds.
    pub timeout_ms: u64,
    /// The result cap.
    pub max_results: usize,
}

/// The answer to a [`QueryJob`]: an HTTP status, a content type and a body.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct JobAnswer {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: String,
    /// The body (carried beside the header on the worker's pipe).
    #[serde(skip)]
    pub body: Vec<u8>,
    /// The store failed under the query: a fresh view may answer it.
    #[serde(default)]
    pub store_failed: bool,
}

impl JobAnswer {
    fn error(e: &ApiError) -> JobAnswer {
        JobAnswer {
            status: e.status().as_u16(),
            content_type: "text/plain; charset=utf-8".into(),
            body: format!("{e}\n").into_bytes(),
            store_failed: matches!(e, ApiError::StoreFailed(_)),
        }
    }
}

/// The error a query gets when it runs past its timeout.
pub fn timeout_error(timeout: Duration) -> ApiError {
    ApiError::Timeout(format!(
        "the query ran past the timeout of {} s and was stopped (--query-timeout); narrow it or add a LIMIT",
        timeout.as_secs_f32()
    ))
}

/// A query parsed, checked and negotiated, ready to run.
pub struct PreparedQuery {
    query: spargebra::Query,
    representation: Representation,
    default: Vec<NamedNode>,
    named: Vec<NamedNode>,
    /// Whether the engine can stop it at its timeout by itself ([`policy::is_interruptible`]): then the server may
    /// run it in its own process.
    pub interruptible: bool,
}

/// Parses, checks and negotiates a job: everything that does not read the store.
pub fn prepare(job: &QueryJob) -> Result<PreparedQuery, ApiError> {
    policy::check_text(&job.query).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let query = crate::query::parser()
        .parse_query(&job.query)
        .map_err(|e| ApiError::BadRequest(format!("query syntax error: {e}")))?;
    policy::check_query(&query).map_err(|e| ApiError::Forbidden(e.to_string()))?;
    let is_graph = matches!(
        query,
        spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. }
    );
    let offers = if is_graph {
        negotiate::graph_offers()
    } else {
        negotiate::result_offers()
    };
    let representation = negotiate::choose(&offers, job.format.as_deref(), job.accept.as_deref())?;
    let parse_graphs = |name: &str, values: &[String]| -> Result<Vec<NamedNode>, ApiError> {
        values
            .iter()
            .map(|v| {
                NamedNode::new(v.as_str()).map_err(|e| {
                    ApiError::BadRequest(format!("{name}={v:?} is not an absolute IRI: {e}"))
                })
            })
            .collect()
    };
    let default = parse_graphs("default-graph-uri", &job.default_graphs)?;
    let named = parse_graphs("named-graph-uri", &job.named_graphs)?;
    Ok(PreparedQuery {
        interruptible: policy::is_interruptible(&query),
        query,
        representation,
        default,
        named,
    })
}

/// Answers a job on a store. Never fails: errors become answers with their status.
pub fn answer(
    store: &Store,
    context: &Context,
    job: &QueryJob,
    token: CancellationToken,
) -> JobAnswer {
    match prepare(job).and_then(|p| run(store, context, job, p, token)) {
        Ok(a) => a,
        Err(e) => JobAnswer::error(&e),
    }
}

/// Runs a prepared job. Never fails: errors become answers with their status.
pub fn evaluate(
    store: &Store,
    context: &Context,
    job: &QueryJob,
    prepared: PreparedQuery,
    token: CancellationToken,
) -> JobAnswer {
    match run(store, context, job, prepared, token) {
        Ok(a) => a,
        Err(e) => JobAnswer::error(&e),
    }
}

/// The answer a job gets when it cannot be prepared.
pub fn refused(e: &ApiError) -> JobAnswer {
    JobAnswer::error(e)
}

/// Evaluates a prepared job on the store, on the protocol's dataset if it gives one, and serializes the answer.
fn run(
    store: &Store,
    context: &Context,
    job: &QueryJob,
    prepared: PreparedQuery,
    token: CancellationToken,
) -> Result<JobAnswer, ApiError> {
    let PreparedQuery {
        mut query,
        representation,
        default,
        named,
        ..
    } = prepared;
    let order = crate::query::order::split(&mut query);
    let mut prepared = SparqlEvaluator::new()
        .with_cancellation_token(token)
        .for_query(query);
    // The protocol's dataset replaces the query's own (SPARQL 1.1 Protocol §2.1.4).
    if !default.is_empty() || !named.is_empty() {
        prepared
            .dataset_mut()
            .set_default_graph(default.into_iter().map(GraphName::NamedNode).collect());
        prepared.dataset_mut().set_available_named_graphs(
            named.into_iter().map(NamedOrBlankNode::NamedNode).collect(),
        );
    }
    let limits = Limits {
        timeout: Duration::from_millis(job.timeout_ms),
        max: job.max_results,
    };
    let results = prepared
        .on_store(store)
        .execute()
        .map_err(|e| limits.evaluation_error(e))?;
    let results = crate::query::order::apply(order.as_ref(), results, limits.max)
        .map_err(|e| limits.evaluation_error(e))?;
    let body = limits.serialize(results, representation, context)?;
    Ok(JobAnswer {
        status: 200,
        content_type: representation.content_type().to_string(),
        body,
        store_failed: false,
    })
}

/// The limits a job runs under, which its errors name.
struct Limits {
    /// The query timeout.
    timeout: Duration,
    /// The result cap.
    max: usize,
}

impl Limits {
    /// The error an evaluation failure is answered with: a timeout, a store that could not be read (retry), or a
    /// bad query.
    fn evaluation_error(&self, e: QueryEvaluationError) -> ApiError {
        match e {
            QueryEvaluationError::Cancelled => timeout_error(self.timeout),
            QueryEvaluationError::Dataset(e) | QueryEvaluationError::Unexpected(e) => {
                ApiError::StoreFailed(format!(
                    "the store could not be read ({e}); it may be changing under an ingest, retry"
                ))
            }
            other => ApiError::BadRequest(format!("query evaluation failed: {other}")),
        }
    }

    /// The error of results past the cap.
    fn too_many(&self) -> ApiError {
        let max = self.max;
        ApiError::ResultTooLarge(format!(
            "the results exceed the cap of {max} rows or triples (--max-results); add a LIMIT or page with OFFSET"
        ))
    }

    /// The results in the negotiated format, up to the cap.
    fn serialize(
        &self,
        results: QueryResults<'_>,
        representation: Representation,
        context: &Context,
    ) -> Result<Vec<u8>, ApiError> {
        let mut out = Vec::new();
        match results {
            QueryResults::Boolean(b) => {
                let Representation::Results(f) = representation else {
                    return Err(ApiError::Internal("ASK answered in an RDF format".into()));
                };
                QueryResultsSerializer::from_format(f)
                    .serialize_boolean_to_writer(&mut out, b)
                    .map_err(write_error)?;
            }
            QueryResults::Solutions(solutions) => {
                let Representation::Results(f) = representation else {
                    return Err(ApiError::Internal(
                        "SELECT answered in an RDF format".into(),
                    ));
                };
                self.write_solutions(f, solutions, &mut out)?;
            }
            QueryResults::Graph(triples) => {
                let mut all = Vec::new();
                for t in triples {
                    all.push(t.map_err(|e| self.evaluation_error(e))?);
                    if all.len() > self.max {
                        return Err(self.too_many());
                    }
                }
                super::encode::write_triples(&all, representation, context, None, &mut out)
                    .map_err(write_error)?;
            }
        }
        Ok(out)
    }

    /// Writes the solutions of a SELECT in a results format, failing past the cap.
    fn write_solutions(
        &self,
        format: QueryResultsFormat,
        solutions: QuerySolutionIter<'_>,
        out: &mut Vec<u8>,
    ) -> Result<(), ApiError> {
        let mut w = QueryResultsSerializer::from_format(format)
            .serialize_solutions_to_writer(out, solutions.variables().to_vec())
            .map_err(write_error)?;
        let mut n = 0usize;
        for s in solutions {
            let s = s.map_err(|e| self.evaluation_error(e))?;
            n += 1;
            if n > self.max {
                return Err(self.too_many());
            }
            w.serialize(&s).map_err(write_error)?;
        }
        w.finish().map_err(write_error)?;
        Ok(())
    }
}

/// The error of results that cannot be written.
fn write_error(e: std::io::Error) -> ApiError {
    ApiError::Internal(format!("cannot write the results: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphNameRef, Literal, QuadRef};

    fn store() -> Store {
        let s = Store::new().unwrap();
        let ex = NamedNode::new("http://example.org/x").unwrap();
        let p = NamedNode::new("http://www.w3.org/2004/02/skos/core#prefLabel").unwrap();
        for (v, g) in [
            ("a", "http://example.org/g1"),
            ("b", "http://example.org/g2"),
        ] {
            let l = Literal::new_language_tagged_literal_unchecked(v, "kk");
            let g = NamedNode::new(g).unwrap();
            s.insert(QuadRef::new(&ex, &p, &l, &g)).unwrap();
            s.insert(QuadRef::new(&ex, &p, &l, GraphNameRef::DefaultGraph))
                .unwrap();
        }
        s
    }

    fn context() -> Context {
        Context::parse(super::super::CONTEXT, "http://127.0.0.1/context.jsonld").unwrap()
    }

    fn job(query: &str) -> QueryJob {
        QueryJob {
            query: query.into(),
            timeout_ms: 5000,
            max_results: 10,
            ..QueryJob::default()
        }
    }

    #[test]
    fn select_is_answered_in_the_negotiated_format() {
        let mut j = job("SELECT ?l { ?s skos:prefLabel ?l } ORDER BY ?l");
        j.accept = Some("text/csv".into());
        let a = answer(&store(), &context(), &j, CancellationToken::new());
        assert_eq!(a.status, 200);
        assert_eq!(a.content_type, "text/csv; charset=utf-8");
        assert_eq!(String::from_utf8(a.body).unwrap(), "l\r\na\r\nb\r\n");
    }

    #[test]
    fn protocol_dataset_replaces_the_default_graph() {
        let mut j = job("SELECT ?l { ?s ?p ?l }");
        j.default_graphs = vec!["http://example.org/g2".into()];
        j.format = Some("tsv".into());
        let a = answer(&store(), &context(), &j, CancellationToken::new());
        assert_eq!(String::from_utf8(a.body).unwrap(), "?l\n\"b\"@kk\n");
        j.default_graphs = vec!["not an iri".into()];
        let a = answer(&store(), &context(), &j, CancellationToken::new());
        assert_eq!(a.status, 400);
        assert!(String::from_utf8(a.body)
            .unwrap()
            .contains("default-graph-uri"));
    }

    #[test]
    fn errors_carry_their_status() {
        let s = store();
        let c = context();
        let syntax = answer(&s, &c, &job("SELECT WHERE {"), CancellationToken::new());
        assert_eq!(syntax.status, 400);
        let service = answer(
            &s,
            &c,
            &job("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"),
            CancellationToken::new(),
        );
        assert_eq!(service.status, 403);
        let mut capped = job("SELECT * { ?s ?p ?o }");
        capped.max_results = 1;
        assert_eq!(
            answer(&s, &c, &capped, CancellationToken::new()).status,
            422
        );
        let cancelled = CancellationToken::new();
        cancelled.cancel();
        assert_eq!(
            answer(&s, &c, &job("SELECT * { ?s ?p ?o }"), cancelled).status,
            503
        );
        let mut csv_construct = job("CONSTRUCT WHERE { ?s ?p ?o }");
        csv_construct.format = Some("csv".into());
        assert_eq!(
            answer(&s, &c, &csv_construct, CancellationToken::new()).status,
            400
        );
    }
}
