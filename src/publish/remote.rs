//! The remote store, over HTTP: SPARQL 1.1 Graph Store Protocol `PUT` to replace a graph, SPARQL 1.1 Update for
//! stores without it, and SPARQL queries to read back counts and provenance.

use crate::http::{self, HttpError, Retry};
use oxigraph::model::Term;
use reqwest::blocking::{Client, RequestBuilder};
use reqwest::StatusCode;
use sparesults::{QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput};
use std::collections::BTreeMap;
use std::str::FromStr;

/// How to authenticate to the remote store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// HTTP Basic.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: String,
    },
    /// `Authorization: Bearer …`.
    Bearer(String),
}

/// A request to the remote store failed.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The request failed for good (time-outs, connection, 429/5xx after retries).
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The store answered with an error status.
    #[error("{url}: HTTP {status}{}", if .body.is_empty() { String::new() } else { format!(": {}", .body) })]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: StatusCode,
        /// The start of the answer's body.
        body: String,
    },
    /// A query answer is not SPARQL JSON results.
    #[error("{url}: the answer is not SPARQL JSON results: {message}")]
    Results {
        /// The URL.
        url: String,
        /// What is wrong.
        message: String,
    },
}

impl RemoteError {
    /// Whether the store says it has no such service (so another protocol should be tried).
    pub fn is_unsupported(&self) -> bool {
        matches!(self, RemoteError::Status { status, .. }
            if matches!(status.as_u16(), 404 | 405 | 406 | 415 | 501))
    }
}

/// The remote store's endpoints and credentials.
pub struct Remote {
    client: Client,
    /// SPARQL query endpoint.
    pub query: String,
    /// Graph Store Protocol endpoint, if the store has one.
    pub graph_store: Option<String>,
    /// SPARQL Update endpoint, if the store has one.
    pub update: Option<String>,
    auth: Auth,
    retry: Retry,
}

impl Remote {
    /// A remote store.
    pub fn new(
        client: Client,
        query: String,
        graph_store: Option<String>,
        update: Option<String>,
        auth: Auth,
        retry: Retry,
    ) -> Remote {
        Remote {
            client,
            query,
            graph_store,
            update,
            auth,
            retry,
        }
    }

    fn authed(&self, r: RequestBuilder) -> RequestBuilder {
        match &self.auth {
            Auth::None => r,
            Auth::Basic { user, password } => r.basic_auth(user, Some(password)),
            Auth::Bearer(t) => r.bearer_auth(t),
        }
    }

    /// Sends with retries and turns an error status into an error holding the start of the answer.
    fn send(
        &self,
        url: &str,
        make: impl Fn() -> RequestBuilder,
        note: &mut dyn FnMut(String),
    ) -> Result<reqwest::blocking::Response, RemoteError> {
        let r = http::send(
            url,
            || self.authed(make()),
            &self.retry,
            |why, wait| {
                note(format!(
                    "{url}: {why}; retrying in {:.1} s",
                    wait.as_secs_f64()
                ))
            },
        )?;
        if r.status().is_success() {
            return Ok(r);
        }
        let status = r.status();
        let body: String = r.text().unwrap_or_default().chars().take(300).collect();
        Err(RemoteError::Status {
            url: url.to_string(),
            status,
            body: body.split_whitespace().collect::<Vec<_>>().join(" "),
        })
    }

    /// Replaces a named graph (or with `None` the default graph) with N-Triples by a Graph Store Protocol `PUT`.
    pub fn put_graph(
        &self,
        graph: Option<&str>,
        ntriples: &[u8],
        note: &mut dyn FnMut(String),
    ) -> Result<(), RemoteError> {
        let base = self.graph_store.as_deref().unwrap_or_default();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = match graph {
            Some(g) => format!(
                "{base}{sep}graph={}",
                form_urlencoded::byte_serialize(g.as_bytes()).collect::<String>()
            ),
            None => format!("{base}{sep}default"),
        };
        let body = bytes::Bytes::copy_from_slice(ntriples);
        self.send(
            &url,
            || {
                self.client
                    .put(&url)
                    .header(reqwest::header::CONTENT_TYPE, "application/n-triples")
                    .body(body.clone())
            },
            note,
        )?;
        Ok(())
    }

    /// Runs a SPARQL update.
    pub fn update(&self, update: &str, note: &mut dyn FnMut(String)) -> Result<(), RemoteError> {
        let url = self.update.as_deref().unwrap_or_default().to_string();
        let body = bytes::Bytes::copy_from_slice(update.as_bytes());
        self.send(
            &url,
            || {
                self.client
                    .post(&url)
                    .header(reqwest::header::CONTENT_TYPE, "application/sparql-update")
                    .body(body.clone())
            },
            note,
        )?;
        Ok(())
    }

    /// Runs a SELECT query and returns its rows, each variable bound to the lexical form of its value.
    pub fn select(
        &self,
        query: &str,
        note: &mut dyn FnMut(String),
    ) -> Result<Vec<BTreeMap<String, Term>>, RemoteError> {
        let url = self.query.clone();
        let form: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("query", query)
            .finish();
        let r = self.send(
            &url,
            || {
                self.client
                    .post(&url)
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .header(reqwest::header::ACCEPT, "application/sparql-results+json")
                    .body(form.clone())
            },
            note,
        )?;
        let bad = |message: String| RemoteError::Results {
            url: url.clone(),
            message,
        };
        let bytes = r.bytes().map_err(|e| bad(http::describe(&e)))?;
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_slice(&bytes)
            .map_err(|e| bad(e.to_string()))?;
        let SliceQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(bad("a boolean, not solutions".into()));
        };
        let mut rows = Vec::new();
        for solution in solutions {
            let solution = solution.map_err(|e| bad(e.to_string()))?;
            rows.push(
                solution
                    .iter()
                    .map(|(v, t)| (v.as_str().to_string(), t.clone()))
                    .collect(),
            );
        }
        Ok(rows)
    }
}

/// The value of a term as SPARQL JSON writes it: an IRI's text, a literal's lexical form.
pub fn term_value(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

/// A count from a query answer: an integer literal, read as `xsd:integer` (stores write it typed or not).
pub fn count(t: Option<&Term>) -> Option<usize> {
    let Some(Term::Literal(l)) = t else {
        return None;
    };
    let n = oxsdatatypes::Integer::from_str(l.value()).ok()?;
    usize::try_from(i64::from(n)).ok()
}

/// Writes triples as an `INSERT DATA` into a named graph, or with `None` the default graph (N-Triples lines are
/// valid there).
pub fn insert_data(graph: Option<&str>, ntriples: &str) -> String {
    match graph {
        Some(g) => format!("INSERT DATA {{ GRAPH <{g}> {{\n{ntriples}}} }}"),
        None => format!("INSERT DATA {{\n{ntriples}}}"),
    }
}
