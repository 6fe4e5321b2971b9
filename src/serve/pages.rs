//! The HTML pages: the home page, a resource's page, not-found, and the competence map. Written with maud, which
//! escapes every text it inserts, so a label holding `<script>` from a crafted document shows as text. The pages
//! carry no script at all (the Content-Security-Policy says so) and one stylesheet from this server.

use super::summary::StoreSummary;
use super::view::{Link, ResourceView, Value};
use super::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The Content-Security-Policy of every HTML page but the query editor: nothing runs, everything comes from here.
pub const PAGE_CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STYLESHEET: &str = include_str!("assets/site.css");
const WORDS: &str = include_str!("../../data/serve/ui.tsv");

/// The languages pages are offered in.
pub const LANGUAGES: &[&str] = &["kk", "ru", "en"];

/// The words of the pages by key and language (`data/serve/ui.tsv`).
#[derive(Debug, Clone, Default)]
pub struct PageWords {
    table: BTreeMap<String, BTreeMap<String, String>>,
}

impl PageWords {
    /// Reads `data/serve/ui.tsv` (from `$AKIMAT_KG_DATA` when it is set, else the built-in copy).
    pub fn load() -> Result<PageWords, crate::datafile::DataFileError> {
        Ok(PageWords::parse(&crate::datafile::text(
            "serve/ui.tsv",
            WORDS,
        )?))
    }

    /// Reads a table: a header line `key en kk ru`, then one row per key; `#` lines are comments.
    pub fn parse(text: &str) -> PageWords {
        let mut lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let header: Vec<String> = lines
            .next()
            .map(|h| h.split('\t').map(str::to_string).collect())
            .unwrap_or_default();
        let mut table = BTreeMap::new();
        for line in lines {
            let cells: Vec<&str> = line.split('\t').collect();
            let Some(key) = cells.first() else { continue };
            let mut by_lang = BTreeMap::new();
            for (i, cell) in cells.iter().enumerate().skip(1) {
                if let Some(lang) = header.get(i) {
                    if !cell.trim().is_empty() {
                        by_lang.insert(lang.clone(), cell.trim().to_string());
                    }
                }
            }
            table.insert(key.to_string(), by_lang);
        }
        PageWords { table }
    }

    /// The word for `key` in `lang`, English when missing, the key itself when unknown.
    pub fn get(&self, key: &str, lang: &str) -> String {
        self.table
            .get(key)
            .and_then(|m| m.get(lang).or_else(|| m.get("en")))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.table.keys()
    }
}

/// The page language: `?lang=`, else the first of kk, ru, en in `Accept-Language`, else Kazakh.
pub fn language(uri: &Uri, headers: &HeaderMap) -> String {
    if let Some(l) = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.to_ascii_lowercase())
    {
        if LANGUAGES.contains(&l.as_str()) {
            return l;
        }
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, usize, &str)> = None;
    for (i, part) in accept.split(',').enumerate() {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        let q = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|v| v.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        if let Some(l) = LANGUAGES.iter().find(|l| **l == primary) {
            if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, l));
            }
        }
    }
    best.map(|(_, _, l)| l.to_string())
        .unwrap_or_else(|| "kk".into())
}

/// A page: the header with navigation and language links, then `body`.
pub fn layout_page(words: &PageWords, lang: &str, title: &str, here: &str, body: Markup) -> String {
    let page = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · akimat-kg" }
                link rel="stylesheet" href="/assets/site.css";
            }
            body {
                header.top {
                    a.brand href={"/?lang=" (lang)} { "akimat-kg" }
                    nav {
                        a href="/ui" { (words.get("query_ui", lang)) }
                        a href={"/map?lang=" (lang)} { (words.get("competence_map", lang)) }
                        a href={"/ontology?lang=" (lang)} { (words.get("ontology", lang)) }
                        a href="/.well-known/void" { "VoID" }
                    }
                    nav.langs aria-label=(words.get("language", lang)) {
                        @for l in LANGUAGES {
                            @if *l == lang {
                                strong { (l) }
                            } @else {
                                a href={(here) "?lang=" (l)} hreflang=(l) { (l) }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    };
    page.into_string()
}

fn link(l: &Link, lang: &str) -> Markup {
    match &l.href {
        Some(h) if h.starts_with('/') => {
            let sep = if h.contains('?') { '&' } else { '?' };
            // Keep the fragment after the language parameter.
            let (path, fragment) = match h.split_once('#') {
                Some((p, f)) => (p.to_string(), format!("#{f}")),
                None => (h.clone(), String::new()),
            };
            html! { a href={(path) (sep) "lang=" (lang) (fragment)} title=(l.iri) { (l.label) } }
        }
        Some(h) => {
            html! { a.external href=(h) title=(l.iri) rel="nofollow noopener" { (l.label) } }
        }
        None => html! { span title=(l.iri) { (l.label) } },
    }
}

/// The home page.
pub async fn home(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    let lang = language(&uri, &headers);
    let summary = state
        .read(|state, snapshot| {
            state
                .summaries
                .get(snapshot)
                .map_err(|e| super::error::ApiError::Internal(e.to_string()))
        })
        .await;
    let summary = match summary {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let w = &state.words;
    let base = state.options.base.iri("");
    let by_unit = institutions_by_unit(&summary, &lang, &base);
    let body = html! {
        h1 { (w.get("site_title", &lang)) }
        p.lead { (w.get("site_intro", &lang)) }
        (counts_section(w, &lang, &summary))
        (services_section(w, &lang))
        (institutions_section(w, &lang, &by_unit))
    };
    html_response(layout_page(w, &lang, "akimat-kg", "/", body))
}

/// A name in the page's language, else in Kazakh, else in Russian, else any.
fn name_in(names: &BTreeMap<String, String>, lang: &str) -> String {
    names
        .get(lang)
        .or_else(|| names.get("kk"))
        .or_else(|| names.get("ru"))
        .or_else(|| names.values().next())
        .cloned()
        .unwrap_or_default()
}

/// The institutions of the store by the name of their unit (`—` for none), each with its name and its page's link
/// on this server.
fn institutions_by_unit(
    summary: &StoreSummary,
    lang: &str,
    base: &str,
) -> BTreeMap<String, Vec<(String, String)>> {
    let local = |iri: &str| -> String {
        iri.strip_prefix(base)
            .map(|r| format!("/{r}?lang={lang}"))
            .unwrap_or_else(|| iri.to_string())
    };
    let mut by_unit: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for i in &summary.institutions {
        let unit = if i.unit_names.is_empty() {
            "—".to_string()
        } else {
            name_in(&i.unit_names, lang)
        };
        by_unit
            .entry(unit)
            .or_default()
            .push((name_in(&i.names, lang), local(&i.iri)));
    }
    by_unit
}

/// The home page's counts: documents, institutions, provisions and triples.
fn counts_section(w: &PageWords, lang: &str, summary: &StoreSummary) -> Markup {
    html! {
        section {
            h2 { (w.get("counts", lang)) }
            ul.counts {
                li { strong { (summary.documents) } " " (w.get("documents", lang)) }
                li { strong { (summary.institutions.len()) } " " (w.get("institutions", lang).to_lowercase()) }
                li { strong { (summary.provisions) } " " (w.get("provisions_count", lang)) }
                li { strong { (summary.triples) } " " (w.get("triples", lang)) }
            }
        }
    }
}

/// The home page's columns of what the server offers: the endpoint, the downloads and the vocabularies.
fn services_section(w: &PageWords, lang: &str) -> Markup {
    let dumps: Vec<(String, &str)> = super::negotiate::dataset_offers()
        .iter()
        .map(|r| (format!("/dump.{}", r.extension()), r.media_type()))
        .collect();
    html! {
        section.columns {
            div {
                h2 { (w.get("endpoint", lang)) }
                ul {
                    li { a href="/ui" { (w.get("query_ui", lang)) } }
                    li { code { "/sparql" } " — SPARQL 1.1 Protocol" }
                    li { code { "/store" } " — Graph Store Protocol" }
                    li { a href="/.well-known/void" { (w.get("void", lang)) } }
                    li { a href="/context.jsonld" { (w.get("context", lang)) } }
                }
            }
            div {
                h2 { (w.get("downloads", lang)) }
                ul {
                    @for (href, media) in &dumps {
                        li { a href=(href) { (href) } " " small { (media) } }
                    }
                }
            }
            div {
                h2 { (w.get("ontology", lang)) }
                ul {
                    li { a href={"/ontology?lang=" (lang)} { (w.get("ontology", lang)) } }
                    li { a href={"/competence/?lang=" (lang)} { (w.get("competences", lang)) } }
                    li { a href={"/legal-form/?lang=" (lang)} { (w.get("legal_forms", lang)) } }
                    li { a href={"/map?lang=" (lang)} { (w.get("competence_map", lang)) } }
                }
            }
        }
    }
}

/// The home page's list of institutions, under the names of their units.
fn institutions_section(
    w: &PageWords,
    lang: &str,
    by_unit: &BTreeMap<String, Vec<(String, String)>>,
) -> Markup {
    html! {
        section {
            h2 { (w.get("institutions", lang)) }
            @for (unit, list) in by_unit {
                h3 { (unit) }
                ul {
                    @for (n, href) in list {
                        li { a href=(href) { (n) } }
                    }
                }
            }
        }
    }
}

/// Wraps a page with its headers.
pub fn html_response(page: String) -> Response {
    let mut r = page.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    r
}

/// A resource's page.
pub fn resource(words: &PageWords, lang: &str, v: &ResourceView) -> String {
    let here = v.here.split('#').next().unwrap_or("/").to_string();
    let body = html! {
        (resource_heading(words, lang, v, &here))
        (properties_section(words, lang, v))
        (provisions_section(words, lang, v))
        (profile_section(words, lang, v))
        (incoming_section(words, lang, v))
        (provenance_section(words, lang, v))
    };
    layout_page(words, lang, &v.title, &here, body)
}

/// The top of a resource's page: its title, IRI and types, and links to its RDF in each format.
fn resource_heading(w: &PageWords, lang: &str, v: &ResourceView, here: &str) -> Markup {
    let formats = [
        ("Turtle", "ttl"),
        ("JSON-LD", "jsonld"),
        ("N-Triples", "nt"),
        ("RDF/XML", "rdf"),
    ];
    html! {
        h1 { (v.title) }
        p.iri { code { (v.iri) } }
        @if !v.types.is_empty() {
            p.types {
                (w.get("type", lang)) ": "
                @for (i, t) in v.types.iter().enumerate() {
                    @if i > 0 { ", " }
                    (link(t, lang))
                }
            }
        }
        p.formats {
            (w.get("formats", lang)) ": "
            @for (i, (name, ext)) in formats.iter().enumerate() {
                @if i > 0 { " · " }
                a href={(here) "?format=" (ext)} { (name) }
            }
        }
    }
}

/// The resource's properties and their values (nothing when it has none).
fn properties_section(w: &PageWords, lang: &str, v: &ResourceView) -> Markup {
    html! {
        @if !v.properties.is_empty() {
            section {
                h2 { (w.get("properties", lang)) }
                table.properties {
                    @for p in &v.properties {
                        tr {
                            th { (link(&p.predicate, lang)) }
                            td {
                                ul.values {
                                    @for value in &p.values {
                                        li {
                                            @match value {
                                                Value::Link(l) => { (link(l, lang)) }
                                                Value::Literal { text, lang: Some(tag) } => {
                                                    span lang=(tag) { (text) } " " small.tag { (tag) }
                                                }
                                                Value::Literal { text, lang: None } => { span { (text) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An institution's provisions by kind, each with its competence areas (nothing when it has none).
fn provisions_section(w: &PageWords, lang: &str, v: &ResourceView) -> Markup {
    html! {
        @if !v.provisions.is_empty() {
            section.provisions {
                h2 { (w.get("provisions", lang)) }
                @for g in &v.provisions {
                    h3 { (link(&g.kind, lang)) " " small { "(" (g.items.len()) ")" } }
                    ol.provisions {
                        @for item in &g.items {
                            li {
                                a.number href={(item.link.href.clone().unwrap_or_default()) "?lang=" (lang)} { (item.number) }
                                " "
                                span lang=(item.text_lang) { (item.text) }
                                @if !item.areas.is_empty() {
                                    " "
                                    span.areas {
                                        @for a in &item.areas { span.area { (link(a, lang)) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The competence profile: provisions and weight per area, the weight also as a meter (nothing when empty).
fn profile_section(w: &PageWords, lang: &str, v: &ResourceView) -> Markup {
    let max_weight = v.profile.iter().map(|r| r.weight).fold(0.0, f64::max);
    html! {
        @if !v.profile.is_empty() {
            section.profile {
                h2 { (w.get("profile", lang)) }
                table {
                    tr { th { (w.get("area", lang)) } th { (w.get("provisions_count", lang)) } th { (w.get("weight", lang)) } }
                    @for r in &v.profile {
                        tr {
                            td { (link(&r.area, lang)) }
                            td.num { (r.provisions) }
                            td.num {
                                meter min="0" max=(format!("{max_weight:.2}")) value=(format!("{:.2}", r.weight)) {}
                                " " (format!("{:.1}", r.weight))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The resources that point to this one, by property, with how many more there are (nothing when none do).
fn incoming_section(w: &PageWords, lang: &str, v: &ResourceView) -> Markup {
    html! {
        @if !v.incoming.is_empty() {
            section {
                h2 { (w.get("incoming", lang)) }
                table.properties {
                    @for inc in &v.incoming {
                        tr {
                            th { (link(&inc.predicate, lang)) }
                            td {
                                ul.values {
                                    @for s in &inc.subjects { li { (link(s, lang)) } }
                                    @if inc.total > inc.subjects.len() {
                                        li.more { "… " (inc.total - inc.subjects.len()) " " (w.get("more", lang)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where the resource comes from: its offsets in the source text and its graphs' provenance records (nothing
/// when neither is known).
fn provenance_section(w: &PageWords, lang: &str, v: &ResourceView) -> Markup {
    html! {
        @if !v.origins.is_empty() || v.offsets.is_some() {
            section.provenance {
                h2 { (w.get("provenance", lang)) }
                @if let Some((start, end)) = &v.offsets {
                    p { (w.get("offsets", lang)) ": " code { (start) "–" (end) } }
                }
                @for o in &v.origins {
                    h3 { (w.get("graph", lang)) ": " (link(&o.graph, lang)) }
                    table.properties {
                        @for (k, val) in &o.record {
                            tr { th { (k) } td { code { (val) } } }
                        }
                    }
                }
            }
        }
    }
}

/// The page for an IRI nothing in the graph has.
pub fn not_found(words: &PageWords, lang: &str, iri: &str) -> String {
    let body = html! {
        h1 { (words.get("not_found", lang)) }
        p { (words.get("not_found_text", lang)) }
        p.iri { code { (iri) } }
        p { a href={"/?lang=" (lang)} { (words.get("home", lang)) } }
    };
    layout_page(words, lang, &words.get("not_found", lang), "/", body)
}

/// `/assets/site.css`.
pub async fn stylesheet() -> Response {
    let mut r = STYLESHEET.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// `/map`: the competence heat map of `akimat-kg map`, with links to the bodies on this server.
pub async fn competence_map(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let lang = language(&uri, &headers);
    let job_lang = lang.clone();
    let base = state.options.base.iri("");
    let job = state
        .read(move |_, snapshot| {
            crate::competence::matrix(&snapshot.store, &job_lang)
                .map(|m| crate::competence::html::render(&m, "akimat-kg"))
                .map_err(|e| super::error::ApiError::Internal(e.to_string()))
        })
        .await;
    match job {
        Ok(page) => {
            // The map links bodies by IRI; on this server their pages are local paths.
            let page = page.replace(&format!("href=\"{base}"), "href=\"/");
            let mut r = page.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            // The map sorts its columns with a small inline script of its own.
            r.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
                ),
            );
            r
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_all_three_languages() {
        let w = PageWords::load().unwrap();
        assert!(w.keys().count() > 30);
        for key in w.keys() {
            for lang in LANGUAGES {
                let word = w.table[key].get(*lang);
                assert!(word.is_some_and(|s| !s.is_empty()), "{key} has no {lang}");
            }
        }
    }

    #[test]
    fn language_from_parameter_then_header() {
        let uri: Uri = "/x?lang=ru".parse().unwrap();
        assert_eq!(language(&uri, &HeaderMap::new()), "ru");
        let uri: Uri = "/x".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de-DE, en;q=0.5, ru-RU;q=0.8"),
        );
        assert_eq!(language(&uri, &h), "ru");
        assert_eq!(language(&uri, &HeaderMap::new()), "kk");
        let uri: Uri = "/x?lang=<script>"
            .parse()
            .unwrap_or_else(|_| "/x".parse().unwrap());
        assert_eq!(language(&uri, &HeaderMap::new()), "kk");
    }
}
