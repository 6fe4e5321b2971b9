//! Writing triples in the representation a client chose: Oxigraph's serializers with the project's prefixes,
//! expanded JSON-LD from [`crate::rdf::jsonld`], and compacted JSON-LD, with its context embedded, from
//! [`super::jsonld`].

use super::jsonld::Context;
use super::negotiate::Representation;
use crate::rdf::vocab::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;
use std::io::Write;

/// A serializer for `format` with the project's prefixes declared (for the formats that use them).
pub fn serializer(format: RdfFormat) -> RdfSerializer {
    let mut s = RdfSerializer::from_format(format);
    if matches!(
        format,
        RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml
    ) {
        for (p, ns) in PREFIXES {
            // The prefixes are constants checked by the tests; one that did not parse would just be left out.
            if let Ok(with) = s.clone().with_prefix(*p, *ns) {
                s = with;
            }
        }
    }
    s
}

/// Writes triples in `representation` (an RDF format) to `out`. `first` names the resource a JSON-LD document
/// puts first.
pub fn write_triples(
    triples: &[Triple],
    representation: Representation,
    context: &Context,
    first: Option<&str>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    match representation {
        Representation::Rdf(RdfFormat::JsonLd { .. })
            if super::negotiate::is_compacted(representation) =>
        {
            let doc = context.compact(triples, first);
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            out.write_all(b"\n")
        }
        Representation::Rdf(RdfFormat::JsonLd { .. }) => {
            let quads = triples.iter().map(|t| {
                oxigraph::model::QuadRef::new(
                    t.subject.as_ref(),
                    t.predicate.as_ref(),
                    t.object.as_ref(),
                    oxigraph::model::GraphNameRef::DefaultGraph,
                )
            });
            let doc = crate::rdf::jsonld::expanded(quads).map_err(std::io::Error::other)?;
            out.write_all(doc.as_bytes())?;
            out.write_all(b"\n")
        }
        Representation::Rdf(format) => {
            let mut w = serializer(format).for_writer(out);
            for t in triples {
                w.serialize_triple(t)?;
            }
            w.finish()?;
            Ok(())
        }
        other => Err(std::io::Error::other(format!(
            "{} is not an RDF format",
            other.media_type()
        ))),
    }
}

/// An HTTP answer of triples in a representation (`main` first where the format orders subjects), with its
/// `Content-Type` and `Vary: Accept`.
pub fn triples_response(
    triples: &[Triple],
    representation: Representation,
    context: &Context,
    main: Option<&str>,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let mut out = Vec::new();
    if let Err(e) = write_triples(triples, representation, context, main, &mut out) {
        return super::error::ApiError::Internal(e.to_string()).into_response();
    }
    let mut r = out.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(representation.content_type()),
    );
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    r
}
