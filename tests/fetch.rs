//! `akimat-kg fetch` against a local HTTP server on 127.0.0.1 that serves Әділет-shaped fixture pages
//! (tests/fixtures/adilet, built from the shipped corpus by make.py) and misbehaves as the real site does: 429 then
//! success, 503 twice then success, a redirect loop that only ends with the session cookie, a page that never
//! answers, a login page, a page that fails until the test repairs it.

mod server;

use akimat_kg::decode::html::read_page;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use server::{bin, output_text, root};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The misbehaving site.
#[derive(Default)]
struct Site {
    /// Requests per path.
    hits: Mutex<HashMap<String, u32>>,
    /// Whether TFLAKY's Russian page fails.
    broken: AtomicBool,
    /// Version of the pages of G16TEST0818 (changes their ETag and text).
    version: AtomicU32,
    /// Headers of the last request per path.
    seen: Mutex<HashMap<String, HeaderMap>>,
}

impl Site {
    fn hits(&self, path: &str) -> u32 {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures/adilet").join(name)).unwrap()
}

async fn doc(
    State(site): State<Arc<Site>>,
    UrlPath((lang, id)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/{lang}/docs/{id}");
    let n = {
        let mut hits = site.hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_insert(0);
        *n += 1;
        *n
    };
    site.seen
        .lock()
        .unwrap()
        .insert(path.clone(), headers.clone());
    if lang != "kaz" && lang != "rus" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let page = |name: &str| fixture(&format!("{name}.{lang}.html"));
    let html =
        |body: String| ([("content-type", "text/html; charset=utf-8")], body).into_response();
    match id.as_str() {
        "G16TEST0818" => {
            let v = site.version.load(Ordering::SeqCst);
            let etag = format!("\"v{v}\"");
            if headers.get("if-none-match").and_then(|h| h.to_str().ok()) == Some(etag.as_str()) {
                return (StatusCode::NOT_MODIFIED, [("etag", etag)]).into_response();
            }
            let mut body = page("G16TEST0818");
            if v > 1 {
                body = body.replace(
                    "Аппарат маслихата является юридическим лицом",
                    "Аппарат маслихата является ЮРИДИЧЕСКИМ лицом",
                );
            }
            (
                [
                    ("content-type", "text/html; charset=utf-8".to_string()),
                    ("etag", etag),
                    ("last-modified", "Tue, 01 Mar 2016 10:00:00 GMT".to_string()),
                ],
                body,
            )
                .into_response()
        }
        "G22TEST0403" if lang == "kaz" => html(page("G22TEST0403")),
        "T429" if n == 1 => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "1")],
            "slow down",
        )
            .into_response(),
        "T503" if n <= 2 => (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response(),
        "TLOOP" => {
            let has_cookie = headers
                .get_all("cookie")
                .iter()
                .any(|c| c.to_str().unwrap_or("").contains("JSESSIONID=s1"));
            if has_cookie {
                html(page("G16TEST0818"))
            } else {
                (
                    StatusCode::FOUND,
                    [
                        ("location", path.clone()),
                        ("set-cookie", "JSESSIONID=s1; Path=/; HttpOnly".into()),
                    ],
                )
                    .into_response()
            }
        }
        "THANG" => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
        "TLOGIN" => html(
            "<html><body><div id=\"app\"></div><script src=\"/app.js\"></script></body></html>"
                .into(),
        ),
        "TFLAKY" if lang == "rus" && site.broken.load(Ordering::SeqCst) => {
            (StatusCode::SERVICE_UNAVAILABLE, "down").into_response()
        }
        "T429" | "T503" | "TOK1" | "TOK2" | "TFLAKY" => html(page("G16TEST0818")),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Starts the site on 127.0.0.1; it stops when the test process ends.
fn start_site() -> (String, Arc<Site>) {
    let site = Arc::new(Site::default());
    site.version.store(1, Ordering::SeqCst);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let state = site.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let app = axum::Router::new()
                .route("/{lang}/docs/{id}", axum::routing::get(doc))
                .with_state(state);
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (format!("http://{addr}"), site)
}

/// Runs `fetch` with quick timings.
fn fetch(host: &str, dir: &Path, extra: &[&str]) -> (Output, Duration) {
    let cache = dir.join("cache");
    let store = dir.join("store");
    let start = Instant::now();
    let out = Command::new(bin())
        .args(["--store", store.to_str().unwrap(), "fetch", "--host", host])
        .args(["--cache", cache.to_str().unwrap()])
        .args(["--delay", "0", "--delay-max", "0.05", "--backoff", "0.2"])
        .args(extra)
        .output()
        .unwrap();
    (out, start.elapsed())
}

fn query(store: &Path, q: &str) -> Vec<String> {
    let out = Command::new(bin())
        .args([
            "--store",
            store.to_str().unwrap(),
            "query",
            "--format",
            "tsv",
            "-e",
            q,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", output_text(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_fixture_pages_read_as_the_structure_says() {
    let kaz = read_page(&fixture("G16TEST0818.kaz.html")).unwrap();
    assert_eq!(
        kaz.title.as_deref(),
        Some("«Байғанин аудандық мәслихатының аппараты» мемлекеттік мекемесінің Ережесін бекіту туралы")
    );
    let status = kaz.status.clone().unwrap();
    assert_eq!(
        (status.code.as_str(), status.label.as_str()),
        ("yts", "Күшін жойған")
    );
    assert!(status.is_repealed());
    assert!(kaz.requisites.as_deref().unwrap().starts_with(
        "Ақтөбе облысы Байғанин аудандық мәслихатының 2016 жылғы 29 ақпандағы № 218 шешімі."
    ));
    assert_eq!(kaz.notes.len(), 1);
    assert!(kaz.notes[0].starts_with("Ескерту. Күші жойылды"));
    assert!(
        !kaz.text.contains("Ескерту. Күші жойылды"),
        "a note left in the text"
    );
    assert!(
        !kaz.text.contains("dataLayer") && !kaz.text.contains("Әділет"),
        "page chrome in the text"
    );
    // Entities decoded; paragraphs one per line, separated by blank lines; numbering kept.
    assert!(kaz
        .text
        .contains("«Байғанин аудандық мәслихатының аппараты»"));
    assert!(
        kaz.text.contains("\n\n1. Қоса беріліп отырған «Байғанин"),
        "{}",
        &kaz.text[..600]
    );

    let rus = read_page(&fixture("G16TEST0818.rus.html")).unwrap();
    assert_eq!(rus.status.unwrap().label, "Утративший силу");
    assert!(rus.text.contains("\n\n15. Задачи:\n\n1) осуществление"));
    assert_eq!(rus.notes.len(), 1);

    let aksu = read_page(&fixture("G22TEST0403.kaz.html")).unwrap();
    let status = aksu.status.unwrap();
    assert_eq!((status.code.as_str(), status.is_repealed()), ("upd", false));
    assert_eq!(aksu.notes.len(), 2, "{:?}", aksu.notes);
    assert!(aksu.notes[1].starts_with("Ескерту. 3-тармақ жаңа редакцияда"));
    assert!(aksu.text.contains("\n\n3. Осы қаулының орындалуын бақылау қала әкімінің орынбасары Н.Ж. Байбакировке жүктелсін.\n\n"));
    // The signature table row comes back as the corpus wrote it.
    assert!(aksu.text.contains("Қала әкімі\t|\tН. Дүйсенбинов\n"));
}

/// The provisions of a document: kind, number and text.
fn provisions(path: &Path) -> Vec<(String, String, String)> {
    let lex = akimat_kg::lexicon::Lexicon::get();
    let p = akimat_kg::pipeline::process_file(path, lex).unwrap();
    p.extraction
        .provisions
        .iter()
        .map(|x| (x.kind.clone(), x.number.clone(), x.text.clone()))
        .collect()
}

#[test]
fn a_fetched_act_is_saved_with_its_metadata_and_ingests_as_one_act() {
    let (host, site) = start_site();
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = fetch(&host, dir.path(), &["G16TEST0818", "--ingest", "--quiet"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        output_text(&out).contains("1 acts: 1 saved"),
        "{}",
        output_text(&out)
    );
    let folder = dir.path().join("cache/G16TEST0818");
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("meta.json")).unwrap()).unwrap();
    assert_eq!(meta["adilet_id"], "G16TEST0818");
    assert_eq!(meta["repealed"], true);
    assert_eq!(meta["status"]["rus"], "Утративший силу");
    assert_eq!(
        meta["source"]["kaz"],
        format!("{host}/kaz/docs/G16TEST0818")
    );
    assert_eq!(meta["http"]["kaz"]["etag"], "\"v1\"");
    assert!(meta["notes"]["rus"][0]
        .as_str()
        .unwrap()
        .starts_with("Сноска. Утратило силу"));
    // A browser's User-Agent went with the request.
    let ua = site.seen.lock().unwrap()["/kaz/docs/G16TEST0818"]["user-agent"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(ua.starts_with("Mozilla/5.0"), "{ua}");

    // The fetched texts give the provisions the corpus files give, number for number and word for word.
    let corpus = root().join("data/regulations/pairs/100818");
    for lang in ["kaz", "rus"] {
        let fetched = provisions(&folder.join(format!("{lang}.txt")));
        let shipped = provisions(&corpus.join(format!("{lang}.md")));
        assert!(fetched.len() > 30, "{lang}: {} provisions", fetched.len());
        assert_eq!(fetched, shipped, "{lang}");
    }

    // In the store: one act, known by its Әділет ID, with both pages as sources; one institution in two languages;
    // the notes kept as provenance of the graphs, not as provisions.
    let store = dir.path().join("store");
    let acts = query(
        &store,
        "SELECT ?act (COUNT(DISTINCT ?src) AS ?n) WHERE { ?act akg:adiletId \"G16TEST0818\" ; dct:source ?src ; akg:approves ?reg } GROUP BY ?act",
    );
    assert_eq!(acts.len(), 1, "{acts:?}");
    assert!(acts[0].ends_with("\t2"), "{acts:?}");
    assert!(acts[0].contains("/2016/02/29/218"), "{acts:?}");
    let labels = query(
        &store,
        "SELECT ?i (COUNT(DISTINCT ?l) AS ?n) WHERE { ?i a akg:StateInstitution ; skos:prefLabel ?l } GROUP BY ?i",
    );
    assert_eq!(labels.len(), 1, "{labels:?}");
    assert!(labels[0].ends_with("\t2"), "{labels:?}");
    let notes = query(&store, "SELECT ?g ?note WHERE { GRAPH ?m { ?g akg:sourceNote ?note ; akg:adiletId \"G16TEST0818\" ; akg:statedStatus ?s } }");
    assert_eq!(notes.len(), 2, "{notes:?}");
    let leaked = query(&store, "SELECT ?p WHERE { ?p akg:text ?t FILTER(CONTAINS(?t, \"Утратило силу решением маслихата Байганинского района Актюбинской области от 07.06.2016\")) }");
    assert!(leaked.is_empty(), "{leaked:?}");
}

#[test]
fn retries_cookies_and_time_outs_are_handled_with_bounded_timings() {
    let (host, site) = start_site();
    let dir = tempfile::tempdir().unwrap();

    // 429 with Retry-After: 1, then success, for each language: each second attempt waits the second out.
    let (out, took) = fetch(&host, dir.path(), &["T429", "--quiet"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert_eq!(
        (site.hits("/kaz/docs/T429"), site.hits("/rus/docs/T429")),
        (2, 2)
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(8),
        "{took:?}"
    );
    assert!(
        output_text(&out).contains("HTTP 429 Too Many Requests; retrying in 1.0 s"),
        "{}",
        output_text(&out)
    );

    // 503 twice, then success, for each language: backoff 0.2 s then 0.4 s, twice.
    let (out, took) = fetch(&host, dir.path(), &["T503", "--quiet"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert_eq!(site.hits("/kaz/docs/T503"), 3);
    assert!(
        took >= Duration::from_millis(1200) && took < Duration::from_secs(8),
        "{took:?}"
    );

    // The redirect loop ends only for a client that keeps the cookie; one that does not gives up.
    let (out, _) = fetch(&host, dir.path(), &["TLOOP", "--quiet"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert_eq!(site.hits("/kaz/docs/TLOOP"), 2);
    let plain = akimat_kg::http::client(&akimat_kg::http::ClientOptions {
        user_agent: "test".into(),
        timeout: Duration::from_secs(5),
        ca_certs: Vec::new(),
        cookies: false,
    })
    .unwrap()
    .get(format!("{host}/kaz/docs/TLOOP"))
    .send();
    assert!(
        plain.is_err_and(|e| e.is_redirect()),
        "the loop is real without cookies"
    );

    // A page that never answers: every attempt times out, the act fails, the others of the run are saved.
    let (out, took) = fetch(
        &host,
        dir.path(),
        &[
            "THANG",
            "G22TEST0403",
            "--lang",
            "kaz",
            "--timeout",
            "1",
            "--retries",
            "1",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let t = output_text(&out);
    assert!(
        t.contains("error: THANG:") && t.contains("timed out") && t.contains("after 2 attempts"),
        "{t}"
    );
    assert!(t.contains("failed: THANG"), "{t}");
    assert!(
        took < Duration::from_secs(6),
        "two 1 s attempts and a 0.2 s backoff took {took:?}"
    );
    assert!(dir.path().join("cache/G22TEST0403/kaz.txt").is_file());
    assert!(!dir.path().join("cache/THANG").exists());

    // A login page instead of the act: refused with the URL named.
    let (out, _) = fetch(&host, dir.path(), &["TLOGIN", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        output_text(&out).contains(&format!("{host}/kaz/docs/TLOGIN: no document body")),
        "{}",
        output_text(&out)
    );
}

#[test]
fn a_refetch_is_conditional_and_replaces_only_what_changed() {
    let (host, site) = start_site();
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = fetch(&host, dir.path(), &["G16TEST0818", "--quiet"]);
    assert!(out.status.success(), "{}", output_text(&out));
    // Already saved: skipped without a request.
    let (out, _) = fetch(&host, dir.path(), &["G16TEST0818", "--quiet"]);
    assert!(
        output_text(&out).contains("already saved"),
        "{}",
        output_text(&out)
    );
    assert_eq!(site.hits("/kaz/docs/G16TEST0818"), 1);
    // --refresh asks with the validators; the server says not modified and nothing is rewritten.
    let kaz = dir.path().join("cache/G16TEST0818/rus.txt");
    let before = std::fs::metadata(&kaz).unwrap().modified().unwrap();
    let (out, _) = fetch(&host, dir.path(), &["G16TEST0818", "--refresh", "--quiet"]);
    assert!(
        out.status.success() && output_text(&out).contains("1 not modified"),
        "{}",
        output_text(&out)
    );
    let seen = site.seen.lock().unwrap()["/rus/docs/G16TEST0818"].clone();
    assert_eq!(seen["if-none-match"], "\"v1\"");
    assert_eq!(seen["if-modified-since"], "Tue, 01 Mar 2016 10:00:00 GMT");
    assert_eq!(std::fs::metadata(&kaz).unwrap().modified().unwrap(), before);
    // A new version: saved over the old one.
    site.version.store(2, Ordering::SeqCst);
    let (out, _) = fetch(&host, dir.path(), &["G16TEST0818", "--refresh", "--quiet"]);
    assert!(
        output_text(&out).contains("updated   G16TEST0818"),
        "{}",
        output_text(&out)
    );
    assert!(std::fs::read_to_string(&kaz)
        .unwrap()
        .contains("ЮРИДИЧЕСКИМ"));
}

#[test]
fn a_run_that_fails_half_way_leaves_nothing_half_written_and_a_rerun_finishes() {
    let (host, site) = start_site();
    let dir = tempfile::tempdir().unwrap();
    site.broken.store(true, Ordering::SeqCst);
    let (out, _) = fetch(
        &host,
        dir.path(),
        &[
            "TOK1",
            "TFLAKY",
            "TOK2",
            "--retries",
            "1",
            "--ingest",
            "--quiet",
        ],
    );
    let t = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("3 acts: 2 saved") && t.contains("1 failed") && t.contains("failed: TFLAKY"),
        "{t}"
    );
    // The Kazakh page of TFLAKY was fetched, but nothing of the act was written: no folder, no leftovers.
    assert_eq!(site.hits("/kaz/docs/TFLAKY"), 1);
    let entries: Vec<String> = std::fs::read_dir(dir.path().join("cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut entries = entries;
    entries.sort();
    assert_eq!(entries, ["TOK1", "TOK2"]);
    let store = dir.path().join("store");
    let graphs = query(
        &store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s akg:assignedTo ?i } }",
    );
    assert_eq!(graphs.len(), 4, "{graphs:?}");
    assert!(graphs.iter().all(|g| !g.contains("TFLAKY")));

    // Repaired: the rerun asks only for what failed, and stores it.
    site.broken.store(false, Ordering::SeqCst);
    let (out, _) = fetch(
        &host,
        dir.path(),
        &["TOK1", "TFLAKY", "TOK2", "--ingest", "--quiet"],
    );
    let t = output_text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("3 acts: 1 saved, 0 not modified, 2 already saved, 0 failed"),
        "{t}"
    );
    assert_eq!(site.hits("/kaz/docs/TOK1"), 1);
    let graphs = query(
        &store,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s akg:assignedTo ?i } }",
    );
    assert_eq!(graphs.len(), 6, "{graphs:?}");
}

#[test]
fn bad_arguments_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = fetch("http://127.0.0.1:9", dir.path(), &["not/an id"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        output_text(&out).contains("\"not/an id\": not an act ID"),
        "{}",
        output_text(&out)
    );
    let list = dir.path().join("ids.txt");
    std::fs::write(&list, "G1\n\nhttps://x/kaz/oops\n").unwrap();
    let (out, _) = fetch(
        "http://127.0.0.1:9",
        dir.path(),
        &["--from-file", list.to_str().unwrap()],
    );
    assert!(
        output_text(&out).contains("ids.txt: line 3"),
        "{}",
        output_text(&out)
    );
    let (out, _) = fetch("ftp://example", dir.path(), &["G1"]);
    assert!(
        output_text(&out).contains("--host ftp://example"),
        "{}",
        output_text(&out)
    );
    let (out, _) = fetch(
        "http://127.0.0.1:9",
        dir.path(),
        &["G1", "--ca-cert", "/nonexistent.pem"],
    );
    assert!(
        output_text(&out).contains("/nonexistent.pem"),
        "{}",
        output_text(&out)
    );
}
