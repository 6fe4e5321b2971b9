//! The query editor at `/ui`: YASGUI 4 (`vendor/yasgui`, compiled in, so it works with no internet) pointed at this
//! server's `/sparql`, with one tab per ready-made query of `queries/` (served as `/ui/queries.json`).

use super::error::ApiError;
use super::pages;
use super::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use maud::html;
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/queries.rs"));

const YASGUI_JS: &str = include_str!("../../vendor/yasgui/yasgui.min.js");
const YASGUI_CSS: &str = include_str!("../../vendor/yasgui/yasgui.min.css");
const INIT_JS: &str = include_str!("assets/ui-init.js");

/// The editor page's Content-Security-Policy: scripts and connections to this server only.
pub const UI_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `GET /ui`.
pub async fn page(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    let lang = pages::language(&uri, &headers);
    let w = &state.words;
    let page = html! {
        (maud::DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (w.get("query_ui", &lang)) " · akimat-kg" }
                link rel="stylesheet" href="/assets/site.css";
                link rel="stylesheet" href="/ui/yasgui.min.css";
            }
            body.ui {
                header.top {
                    a.brand href={"/?lang=" (lang)} { "akimat-kg" }
                    nav {
                        strong { (w.get("query_ui", &lang)) }
                        a href={"/map?lang=" (lang)} { (w.get("competence_map", &lang)) }
                        a href={"/ontology?lang=" (lang)} { (w.get("ontology", &lang)) }
                        a href="/.well-known/void" { "VoID" }
                    }
                }
                div #yasgui {}
                script src="/ui/yasgui.min.js" {}
                script src="/ui/init.js" {}
            }
        }
    };
    let mut r = page.into_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(UI_CSP),
    );
    r
}

/// The ready-made queries as JSON: name, the first comment line as title, text.
pub fn queries_json() -> serde_json::Value {
    serde_json::Value::Array(
        QUERIES
            .iter()
            .map(|(name, text)| {
                let title = text
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix('#'))
                    .map(str::trim)
                    .unwrap_or("");
                serde_json::json!({ "name": name, "title": title, "query": text })
            })
            .collect(),
    )
}

/// `GET /ui/<file>`: the editor's script and stylesheet, its start-up script, the queries.
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, content_type): (String, &'static str) = match file.as_str() {
        "yasgui.min.js" => (YASGUI_JS.to_string(), "text/javascript; charset=utf-8"),
        "yasgui.min.css" => (YASGUI_CSS.to_string(), "text/css; charset=utf-8"),
        "init.js" => (INIT_JS.to_string(), "text/javascript; charset=utf-8"),
        "queries.json" => (
            queries_json().to_string(),
            "application/json; charset=utf-8",
        ),
        _ => return ApiError::NotFound(format!("no file /ui/{file}")).into_response(),
    };
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_query_file_is_offered() {
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "rq")
            })
            .count();
        assert_eq!(super::QUERIES.len(), files);
        let json = super::queries_json();
        let first = &json[0];
        assert!(!first["title"].as_str().unwrap().is_empty());
        assert!(first["query"].as_str().unwrap().contains("SELECT"));
    }
}
