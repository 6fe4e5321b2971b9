//! Deterministic, readable instance IRIs: built from the facts (unit chain, body kind, date, number), never from
//! the order of ingestion or the language of the text, so that every document that names a thing names it alike.

use crate::extract::citations::{ActRef, Pinpoint};
use crate::extract::units::{slug, UnitRef};
use crate::extract::BodyRef;
use crate::lexicon::Lexicon;

/// The base under which instance IRIs are minted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base(String);

/// A base IRI that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("invalid base IRI {0:?}: it must be an absolute http(s) IRI ending with '/'")]
pub struct BaseError(pub String);

impl Base {
    /// Checks and wraps a base IRI.
    pub fn new(base: &str) -> Result<Base, BaseError> {
        let ok = (base.starts_with("http://") || base.starts_with("https://"))
            && base.ends_with('/')
            && oxigraph::model::NamedNode::new(base).is_ok()
            && !base.contains(['<', '>', '"', ' ', '{', '}', '|', '\\', '^', '`']);
        if ok {
            Ok(Base(base.to_string()))
        } else {
            Err(BaseError(base.to_string()))
        }
    }

    /// The base as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `base + path`.
    pub fn iri(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }

    /// An administrative unit.
    pub fn unit(&self, unit: &UnitRef) -> String {
        self.iri(&format!("unit/{}", unit.path()))
    }

    /// A local body.
    pub fn body(&self, body: &BodyRef) -> String {
        self.iri(&format!("body/{}/{}", body.unit.path(), body.kind))
    }

    /// An organisation inside a unit.
    pub fn org(&self, unit: Option<&UnitRef>, kind_slug: &str) -> String {
        let unit = unit
            .map(|u| u.path())
            .unwrap_or_else(|| "unknown-unit".into());
        self.iri(&format!("org/{unit}/{kind_slug}"))
    }

    /// A legal act: a local act by its issuer, date and number (a body's rules of procedure by its issuer alone);
    /// a national act by its type, date and number, or,
    /// when it resolved to a row of the reference table that knows neither, by the row's id; an act known only by
    /// its title under `eli/unresolved/`.
    pub fn act(&self, act: &ActRef, lex: &Lexicon) -> String {
        let reference = act.reference.as_deref().and_then(|id| lex.act(id));
        let (date, number) = match reference {
            Some(r) => (r.date.clone(), r.number.clone()),
            None => (act.date.clone(), act.number.clone()),
        };
        let date_path = date.as_deref().map(|d| d.replace('-', "/"));
        let number = number.as_deref().map(number_slug);
        // A body's own document known by its issuer alone: the rules of procedure of a maslikhat.
        if let (Some(form), Some(b), None, None) = (&act.form, &act.issuer, &date_path, &number) {
            return self.iri(&format!("eli/{}/{}/{form}", b.unit.path(), b.kind));
        }
        if act.is_local() {
            let issuer = match &act.issuer {
                Some(b) => format!("{}/{}", b.unit.path(), b.kind),
                None => format!("unknown-issuer/{}", type_slug(&act.act_type)),
            };
            let date_path = date_path.unwrap_or_else(|| "undated".into());
            let number = number.unwrap_or_else(|| "no-number".into());
            return self.iri(&format!("eli/{issuer}/{date_path}/{number}"));
        }
        let t = type_slug(&act.act_type);
        let title = act.title.as_deref().map(|t| truncate_slug(&slug(t)));
        let path = match (date_path, number, reference, title) {
            (Some(d), Some(n), _, _) => format!("{t}/{d}/{n}"),
            (None, Some(n), _, _) => format!("{t}/no-date/{n}"),
            (_, None, Some(r), _) if r.id == t => t.to_string(),
            (_, None, Some(r), _) => format!("{t}/{}", r.id),
            (Some(d), None, None, None) => format!("{t}/{d}"),
            (Some(d), None, None, Some(title)) => format!("{t}/{d}/{title}"),
            (None, None, None, Some(title)) => format!("unresolved/{t}/{title}"),
            (None, None, None, None) => format!("unresolved/{t}"),
        };
        self.iri(&format!("eli/{path}"))
    }

    /// A pinpoint inside an act: the IRIs of the chain article → paragraph → subparagraph, outermost first, each
    /// with its number and subdivision type.
    pub fn pinpoint(&self, act_iri: &str, pin: &Pinpoint) -> Vec<(String, String, &'static str)> {
        let mut out = Vec::new();
        let mut current = act_iri.to_string();
        for (part, value, kind) in [
            ("art", &pin.article, "Article"),
            ("par", &pin.paragraph, "Paragraph"),
            ("sub", &pin.subparagraph, "Subparagraph"),
        ] {
            if let Some(v) = value {
                current = format!("{current}/{part}_{}", number_slug(v));
                out.push((current.clone(), v.clone(), kind));
            }
        }
        out
    }
}

/// An identifier from elsewhere (an Әділет ID) as one IRI path segment: kept as written, with every character
/// but ASCII letters, digits, `-`, `.`, `_` and `~` percent-encoded, so that no ID is ever altered or merged with
/// another.
pub fn path_segment(id: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    /// RFC 3986's unreserved characters stay as they are.
    const ENCODED: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    utf8_percent_encode(id, ENCODED).to_string()
}

/// Slug of an act number: lowercase, `/` and spaces turned into hyphens.
pub fn number_slug(n: &str) -> String {
    slug(n)
}

fn truncate_slug(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Path segment for an act type.
pub fn type_slug(act_type: &str) -> &'static str {
    match act_type {
        "Law" => "law",
        "ConstitutionalLaw" => "constitutional-law",
        "Code" => "code",
        "Constitution" => "constitution",
        "PresidentialDecree" => "presidential-decree",
        "GovernmentResolution" => "government-resolution",
        "MinisterialOrder" => "ministerial-order",
        "AkimatResolution" => "akimat-resolution",
        "AkimDecision" => "akim-decision",
        "MaslikhatDecision" => "maslikhat-decision",
        "Regulation" => "regulation",
        _ => "act",
    }
}

/// The IRI of the graph holding provenance metadata.
pub fn meta_graph(base: &Base) -> String {
    base.iri("graph/meta")
}
