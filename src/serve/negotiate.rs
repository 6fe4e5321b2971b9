//! Content negotiation: which representation a request gets, from its `format` parameter or its `Accept` header.
//!
//! SPARQL results (SELECT, ASK) come as JSON, XML, CSV or TSV; RDF (CONSTRUCT, DESCRIBE, resources, dumps) as
//! Turtle, N-Triples, JSON-LD, RDF/XML, N-Quads or TriG; resources also as HTML. A `format` parameter (a short name
//! such as `ttl` or a media type) wins over `Accept`; an `Accept` header that admits none of the offers is answered
//! 406 with the list of what is offered.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// A representation the server can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Representation {
    /// SPARQL results in one of the result formats.
    Results(QueryResultsFormat),
    /// RDF in one of the RDF formats (JSON-LD expanded, or compacted when the profile says so).
    Rdf(RdfFormat),
    /// A page for a browser.
    Html,
}

impl Representation {
    /// The `Content-Type` of the response.
    pub fn content_type(self) -> &'static str {
        match self {
            Representation::Results(QueryResultsFormat::Json) => {
                "application/sparql-results+json; charset=utf-8"
            }
            Representation::Results(QueryResultsFormat::Xml) => {
                "application/sparql-results+xml; charset=utf-8"
            }
            Representation::Results(QueryResultsFormat::Csv) => "text/csv; charset=utf-8",
            Representation::Results(QueryResultsFormat::Tsv) => {
                "text/tab-separated-values; charset=utf-8"
            }
            Representation::Results(_) => "application/octet-stream",
            Representation::Rdf(RdfFormat::Turtle) => "text/turtle; charset=utf-8",
            Representation::Rdf(RdfFormat::NTriples) => "application/n-triples; charset=utf-8",
            Representation::Rdf(RdfFormat::NQuads) => "application/n-quads; charset=utf-8",
            Representation::Rdf(RdfFormat::TriG) => "application/trig; charset=utf-8",
            Representation::Rdf(RdfFormat::RdfXml) => "application/rdf+xml; charset=utf-8",
            Representation::Rdf(RdfFormat::JsonLd { profile }) if profile.contains(COMPACTED) => {
                "application/ld+json; profile=\"http://www.w3.org/ns/json-ld#compacted\""
            }
            Representation::Rdf(RdfFormat::JsonLd { .. }) => {
                "application/ld+json; profile=\"http://www.w3.org/ns/json-ld#expanded\""
            }
            Representation::Rdf(_) => "application/octet-stream",
            Representation::Html => "text/html; charset=utf-8",
        }
    }

    /// The media type alone, as written in `Accept` and `format`.
    pub fn media_type(self) -> &'static str {
        let ct = self.content_type();
        ct.split(';').next().unwrap_or(ct)
    }

    /// The usual file extension, for dump names and `format` parameters.
    pub fn extension(self) -> &'static str {
        match self {
            Representation::Results(f) => f.file_extension(),
            Representation::Rdf(RdfFormat::JsonLd { .. }) => "jsonld",
            Representation::Rdf(f) => f.file_extension(),
            Representation::Html => "html",
        }
    }
}

const COMPACTED: oxigraph::io::JsonLdProfile = oxigraph::io::JsonLdProfile::Compacted;

/// JSON-LD in expanded document form, what a client gets unless it asks for compaction: every IRI written out and
/// no `@context`, so that any processor reads it without the network.
pub fn jsonld() -> RdfFormat {
    RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::empty(),
    }
}

/// JSON-LD compacted against the project's context, which the document embeds: asked for with
/// `Accept: application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"`.
pub fn jsonld_compacted() -> RdfFormat {
    RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::from_profile(COMPACTED),
    }
}

/// A JSON-LD representation chosen by other means (a dump's file extension) made compacted when `Accept` asks for
/// the compacted profile.
pub fn with_profile(representation: Representation, accept: Option<&str>) -> Representation {
    match (representation, accept) {
        (Representation::Rdf(RdfFormat::JsonLd { .. }), Some(a))
            if wants_compacted(&parse_accept(a)) =>
        {
            Representation::Rdf(jsonld_compacted())
        }
        _ => representation,
    }
}

/// Whether a representation is compacted JSON-LD.
pub fn is_compacted(representation: Representation) -> bool {
    matches!(representation, Representation::Rdf(RdfFormat::JsonLd { profile }) if profile.contains(COMPACTED))
}

/// Result formats for SELECT and ASK, the default first.
pub fn result_offers() -> Vec<Representation> {
    [
        QueryResultsFormat::Json,
        QueryResultsFormat::Xml,
        QueryResultsFormat::Csv,
        QueryResultsFormat::Tsv,
    ]
    .into_iter()
    .map(Representation::Results)
    .collect()
}

/// RDF formats for graphs (CONSTRUCT, DESCRIBE, a resource), the default first. N-Quads and TriG are offered too:
/// a graph is a dataset with only a default graph.
pub fn graph_offers() -> Vec<Representation> {
    [
        RdfFormat::Turtle,
        RdfFormat::NTriples,
        jsonld(),
        RdfFormat::RdfXml,
        RdfFormat::NQuads,
        RdfFormat::TriG,
    ]
    .into_iter()
    .map(Representation::Rdf)
    .collect()
}

/// RDF formats for datasets (dumps, the graph store), the default first.
pub fn dataset_offers() -> Vec<Representation> {
    [
        RdfFormat::NQuads,
        RdfFormat::TriG,
        RdfFormat::Turtle,
        RdfFormat::NTriples,
        jsonld(),
        RdfFormat::RdfXml,
    ]
    .into_iter()
    .map(Representation::Rdf)
    .collect()
}

/// A request's preferences could not be met.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NegotiationError {
    /// The `format` parameter names nothing offered here.
    #[error("format={given:?} is not offered here; use one of: {offered}")]
    UnknownFormat {
        /// The parameter as given.
        given: String,
        /// The short names and media types offered.
        offered: String,
    },
    /// No offer is acceptable to the `Accept` header.
    #[error(
        "none of the formats offered here is acceptable to `Accept: {accept}`; offered: {offered}"
    )]
    NotAcceptable {
        /// The header as given.
        accept: String,
        /// The media types offered.
        offered: String,
    },
}

fn offered_list(offers: &[Representation]) -> String {
    offers
        .iter()
        .map(|o| format!("{} ({})", o.extension(), o.media_type()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Names a `format` parameter may use for an offer, besides its media type.
fn short_names(r: Representation) -> &'static [&'static str] {
    match r {
        Representation::Results(QueryResultsFormat::Json) => &["json", "srj"],
        Representation::Results(QueryResultsFormat::Xml) => &["xml", "srx"],
        Representation::Results(QueryResultsFormat::Csv) => &["csv"],
        Representation::Results(QueryResultsFormat::Tsv) => &["tsv"],
        Representation::Rdf(RdfFormat::Turtle) => &["ttl", "turtle"],
        Representation::Rdf(RdfFormat::NTriples) => &["nt", "ntriples", "n-triples"],
        Representation::Rdf(RdfFormat::NQuads) => &["nq", "nquads", "n-quads"],
        Representation::Rdf(RdfFormat::TriG) => &["trig"],
        Representation::Rdf(RdfFormat::RdfXml) => &["rdf", "rdfxml", "rdf-xml", "xml", "owl"],
        Representation::Rdf(RdfFormat::JsonLd { .. }) => &["jsonld", "json-ld", "json"],
        Representation::Html => &["html"],
        _ => &[],
    }
}

/// Media types accepted as synonyms of an offer's own.
fn aliases(r: Representation) -> &'static [&'static str] {
    match r {
        Representation::Results(QueryResultsFormat::Json) => &["application/json"],
        Representation::Results(QueryResultsFormat::Xml) => &["application/xml", "text/xml"],
        Representation::Rdf(RdfFormat::Turtle) => &["application/x-turtle"],
        Representation::Rdf(RdfFormat::JsonLd { .. }) => &["application/json"],
        Representation::Rdf(RdfFormat::RdfXml) => &["application/xml", "text/xml"],
        Representation::Html => &["application/xhtml+xml"],
        _ => &[],
    }
}

/// Chooses among `offers` (ordered by the server's preference) from a `format` parameter and an `Accept` header.
pub fn choose(
    offers: &[Representation],
    format: Option<&str>,
    accept: Option<&str>,
) -> Result<Representation, NegotiationError> {
    if let Some(given) = format.map(str::trim).filter(|f| !f.is_empty()) {
        // A list (`json-ld,application/ld+json`): the first name that fits an offer wins.
        let lowered = given.to_ascii_lowercase();
        return lowered
            .split(',')
            .map(|w| w.split(';').next().unwrap_or("").trim())
            .find_map(|wanted| {
                offers.iter().copied().find(|o| {
                    short_names(*o).contains(&wanted)
                        || o.media_type() == wanted
                        || aliases(*o).contains(&wanted)
                })
            })
            .ok_or_else(|| NegotiationError::UnknownFormat {
                given: given.to_string(),
                offered: offered_list(offers),
            });
    }
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok(offers[0]);
    };
    let ranges = parse_accept(accept);
    let mut best: Option<(f32, usize, Representation)> = None;
    for (i, offer) in offers.iter().enumerate() {
        let q = quality(&ranges, *offer);
        if q <= 0.0 {
            continue;
        }
        // Higher q wins; on a tie, the server's order.
        let key = (q, usize::MAX - i);
        if best.is_none_or(|(bq, bi, _)| key > (bq, bi)) {
            best = Some((key.0, key.1, *offer));
        }
    }
    best.map(|(_, _, o)| match o {
        Representation::Rdf(RdfFormat::JsonLd { .. }) if wants_compacted(&ranges) => {
            Representation::Rdf(jsonld_compacted())
        }
        o => o,
    })
    .ok_or_else(|| NegotiationError::NotAcceptable {
        accept: accept.chars().take(200).collect(),
        offered: offered_list(offers),
    })
}

/// One media range of an `Accept` header: type, subtype, quality, and the JSON-LD profiles it names.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    kind: String,
    subtype: String,
    q: f32,
    profile: Vec<String>,
}

/// Whether an `application/ld+json` range with a positive quality names the compacted profile.
fn wants_compacted(ranges: &[MediaRange]) -> bool {
    ranges.iter().any(|r| {
        r.kind == "application"
            && r.subtype == "ld+json"
            && r.q > 0.0
            && r.profile.iter().any(|p| p == COMPACTED.iri())
    })
}

fn parse_accept(accept: &str) -> Vec<MediaRange> {
    let mut out = Vec::new();
    for part in accept.split(',').take(64) {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let Some((kind, subtype)) = media.split_once('/') else {
            continue;
        };
        let mut q = 1.0f32;
        let mut profile = Vec::new();
        for param in pieces {
            if let Some((k, v)) = param.split_once('=') {
                if k.trim().eq_ignore_ascii_case("q") {
                    q = v.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0);
                } else if k.trim().eq_ignore_ascii_case("profile") {
                    // A space-separated list of IRIs, quoted when it holds more than one.
                    profile.extend(
                        v.trim()
                            .trim_matches('"')
                            .split_whitespace()
                            .map(str::to_string),
                    );
                }
            }
        }
        out.push(MediaRange {
            kind: kind.trim().to_string(),
            subtype: subtype.trim().to_string(),
            q,
            profile,
        });
    }
    out
}

/// The quality an offer gets: that of the most specific range matching it (its own type or an alias; `type/*`;
/// `*/*`), or 0.
fn quality(ranges: &[MediaRange], offer: Representation) -> f32 {
    let names: Vec<&str> = std::iter::once(offer.media_type())
        .chain(aliases(offer).iter().copied())
        .collect();
    let mut best: Option<(u8, f32)> = None;
    for r in ranges {
        for name in &names {
            let (kind, subtype) = name.split_once('/').unwrap_or((name, ""));
            let specificity = if r.kind == kind && r.subtype == subtype {
                // An alias counts a little less than the offer's own type.
                if *name == offer.media_type() {
                    3
                } else {
                    2
                }
            } else if r.kind == kind && r.subtype == "*" {
                1
            } else if r.kind == "*" && r.subtype == "*" {
                0
            } else {
                continue;
            };
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, r.q));
            }
        }
    }
    best.map(|(_, q)| q).unwrap_or(0.0)
}

/// The representation of a resource page: HTML or one of the graph formats, chosen by a `format` query
/// parameter, else by `Accept`.
pub fn choose_page(
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
) -> Result<Representation, NegotiationError> {
    let format = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.into_owned());
    let mut offers = vec![Representation::Html];
    offers.extend(graph_offers());
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    choose(&offers, format.as_deref(), accept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_accept_gets_html() {
        let mut offers = vec![Representation::Html];
        offers.extend(graph_offers());
        let accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(
            choose(&offers, None, Some(accept)),
            Ok(Representation::Html)
        );
    }

    #[test]
    fn quality_orders_offers() {
        let accept = "application/sparql-results+xml;q=0.5, text/csv";
        assert_eq!(
            choose(&result_offers(), None, Some(accept)),
            Ok(Representation::Results(QueryResultsFormat::Csv))
        );
    }

    #[test]
    fn format_parameter_wins_and_depends_on_offers() {
        let accept = Some("text/csv");
        assert_eq!(
            choose(&result_offers(), Some("xml"), accept),
            Ok(Representation::Results(QueryResultsFormat::Xml))
        );
        assert_eq!(
            choose(&graph_offers(), Some("xml"), accept),
            Ok(Representation::Rdf(RdfFormat::RdfXml))
        );
        assert_eq!(
            choose(&graph_offers(), Some("text/turtle"), None),
            Ok(Representation::Rdf(RdfFormat::Turtle))
        );
        assert!(matches!(
            choose(&graph_offers(), Some("csv"), None),
            Err(NegotiationError::UnknownFormat { .. })
        ));
        // A list, as SPARQLWrapper sends it.
        assert_eq!(
            choose(
                &graph_offers(),
                Some("json-ld,application/ld+json,application/x-json+ld"),
                None
            ),
            Ok(Representation::Rdf(jsonld()))
        );
        assert_eq!(
            choose(&result_offers(), Some("bogus,csv"), None),
            Ok(Representation::Results(QueryResultsFormat::Csv))
        );
    }

    #[test]
    fn nothing_acceptable_is_an_error_and_zero_quality_excludes() {
        assert!(matches!(
            choose(&graph_offers(), None, Some("image/png")),
            Err(NegotiationError::NotAcceptable { .. })
        ));
        assert_eq!(
            choose(&graph_offers(), None, Some("text/turtle;q=0, */*")),
            Ok(Representation::Rdf(RdfFormat::NTriples))
        );
    }

    #[test]
    fn missing_or_wildcard_accept_gets_the_default() {
        assert_eq!(
            choose(&result_offers(), None, None),
            Ok(Representation::Results(QueryResultsFormat::Json))
        );
        assert_eq!(
            choose(&graph_offers(), None, Some("*/*")),
            Ok(Representation::Rdf(RdfFormat::Turtle))
        );
        assert_eq!(
            choose(&result_offers(), None, Some("application/json")),
            Ok(Representation::Results(QueryResultsFormat::Json))
        );
    }
}
