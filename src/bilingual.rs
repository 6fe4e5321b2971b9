//! The Kazakh and Russian versions of one regulation, side by side: where they do not pair up. Each version is its
//! own named graph; they meet in the union, where a provision aligned by number carries its text in both
//! languages. What does not pair up (a provision in one version only, a kind of provision counted differently,
//! a number given two kinds) is found by `queries/language-mismatches.rq`, so SPARQL users, `stats` and `validate`
//! see the same list, whatever order the versions were ingested in.

use crate::query::{plain, select, QueryError};
use oxigraph::store::Store;
use std::fmt;

/// The query behind the list, as shipped in `queries/`.
pub const MISMATCH_QUERY: &str = include_str!("../queries/language-mismatches.rq");

/// One place where the two language versions of a regulation disagree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mismatch {
    /// The regulation.
    pub regulation: String,
    /// The provision, when the mismatch is about one.
    pub provision: Option<String>,
    /// Its number.
    pub number: Option<String>,
    /// What disagrees.
    pub problem: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.provision, &self.number) {
            (Some(p), Some(n)) => write!(f, "<{p}> (provision {n}): {}", self.problem),
            _ => write!(f, "<{}>: {}", self.regulation, self.problem),
        }
    }
}

/// Every place where the Kazakh and Russian versions of a regulation in the store disagree.
pub fn mismatches(store: &Store) -> Result<Vec<Mismatch>, QueryError> {
    let (_, rows) = select(store, MISMATCH_QUERY, "queries/language-mismatches.rq")?;
    Ok(rows
        .iter()
        .map(|r| {
            let cell = |i: usize| r.get(i).and_then(|t| t.as_ref()).map(plain);
            Mismatch {
                regulation: cell(0).unwrap_or_default(),
                provision: cell(1),
                number: cell(2),
                problem: cell(3).unwrap_or_default(),
            }
        })
        .collect())
}
