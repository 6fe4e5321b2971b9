//! What a resource page shows, as plain data: links, values, properties, provisions, profile and origins. The
//! resource handler ([`super::resource`]) fills it from the store; the page writer ([`super::pages`]) renders it.
//! Kept apart from both so that each depends on it and neither on the other.

/// A link to a resource, with what to show for it.
#[derive(Debug, Clone)]
pub struct Link {
    /// The IRI.
    pub iri: String,
    /// Where a browser goes: a path on this server, an external http(s) IRI, or nothing.
    pub href: Option<String>,
    /// Its label in the page's language (or its short IRI).
    pub label: String,
}

/// A value of a property.
#[derive(Debug, Clone)]
pub enum Value {
    /// A resource.
    Link(Link),
    /// A literal.
    Literal {
        /// Its text.
        text: String,
        /// Its language, if any.
        lang: Option<String>,
    },
}

/// A property with its values.
#[derive(Debug, Clone)]
pub struct Property {
    /// The property.
    pub predicate: Link,
    /// Its values, the page's language first.
    pub values: Vec<Value>,
}

/// Resources pointing at this one through one property.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The property.
    pub predicate: Link,
    /// The resources (at most 50 shown).
    pub subjects: Vec<Link>,
    /// How many there are in all.
    pub total: usize,
}

/// A provision for the institution page.
#[derive(Debug, Clone)]
pub struct ProvisionItem {
    /// Its page.
    pub link: Link,
    /// Its number as written.
    pub number: String,
    /// Its text in the page's language, or in the other.
    pub text: String,
    /// The language of that text.
    pub text_lang: String,
    /// Its competence areas.
    pub areas: Vec<Link>,
    /// Its order in its list.
    pub position: i64,
}

/// The provisions of one kind.
#[derive(Debug, Clone)]
pub struct ProvisionGroup {
    /// The kind.
    pub kind: Link,
    /// Its provisions in order.
    pub items: Vec<ProvisionItem>,
}

/// A row of the competence profile.
#[derive(Debug, Clone)]
pub struct ProfileRow {
    /// The area.
    pub area: Link,
    /// Provisions in it.
    pub provisions: u64,
    /// Their weight.
    pub weight: f64,
}

/// A source document the resource's triples come from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The named graph.
    pub graph: Link,
    /// Its provenance record: property label and value.
    pub record: Vec<(String, String)>,
}

/// Everything the HTML page of a resource shows.
#[derive(Debug, Clone)]
pub struct ResourceView {
    /// The IRI.
    pub iri: String,
    /// Its path on this server.
    pub here: String,
    /// The title: its label in the page's language, or its IRI.
    pub title: String,
    /// Its types.
    pub types: Vec<Link>,
    /// Its properties (not `rdf:type`).
    pub properties: Vec<Property>,
    /// What points at it (not the provisions of an institution).
    pub incoming: Vec<Incoming>,
    /// The provisions assigned to it, by kind.
    pub provisions: Vec<ProvisionGroup>,
    /// Its competence profile.
    pub profile: Vec<ProfileRow>,
    /// The source documents of its triples.
    pub origins: Vec<Origin>,
    /// Where its text stands in the source (`akg:charStart`, `akg:charEnd`).
    pub offsets: Option<(String, String)>,
}
