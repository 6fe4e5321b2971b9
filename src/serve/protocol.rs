//! The parameters of a SPARQL 1.1 Protocol request (`query`, `update`, the dataset's graphs, `format`), read from
//! a URL query string or a form body. Shared by the query endpoint ([`super::sparql`]) and the update handler
//! ([`super::update`]), which depend on it and not on each other for it.

use super::error::ApiError;

/// What a protocol request asks for.
#[derive(Debug, Default, Clone)]
pub struct ProtocolRequest {
    /// The query text.
    pub query: Option<String>,
    /// The update text.
    pub update: Option<String>,
    /// `default-graph-uri` values.
    pub default_graphs: Vec<String>,
    /// `named-graph-uri` values.
    pub named_graphs: Vec<String>,
    /// `using-graph-uri` / `using-named-graph-uri` were given.
    pub using: bool,
    /// The `format` parameter.
    pub format: Option<String>,
}

impl ProtocolRequest {
    /// Reads the parameters of a URL query string or a form body into the request.
    pub fn add_pairs(&mut self, pairs: &[u8]) -> Result<(), ApiError> {
        for (key, value) in form_urlencoded::parse(pairs) {
            match key.as_ref() {
                "query" => set_once(&mut self.query, "query", value.into_owned())?,
                "update" => set_once(&mut self.update, "update", value.into_owned())?,
                "default-graph-uri" => self.default_graphs.push(value.into_owned()),
                "named-graph-uri" => self.named_graphs.push(value.into_owned()),
                "using-graph-uri" | "using-named-graph-uri" => self.using = true,
                // Clients send `format` and `output` together (SPARQLWrapper: `format=json-ld` and
                // `output=application/ld+json,application/x-json+ld`): all are kept, the first that fits wins.
                "format" | "output" => {
                    let value = value.into_owned();
                    self.format = Some(match self.format.take() {
                        Some(f) => format!("{f},{value}"),
                        None => value,
                    });
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Sets a parameter that may be given once; a second value is an error naming the parameter.
pub fn set_once(slot: &mut Option<String>, name: &str, value: String) -> Result<(), ApiError> {
    if slot.is_some() {
        return Err(ApiError::BadRequest(format!(
            "the parameter `{name}` is given more than once"
        )));
    }
    *slot = Some(value);
    Ok(())
}
