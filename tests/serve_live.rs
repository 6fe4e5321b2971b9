//! `akimat-kg serve` while the store changes: another process ingests into the same store while the server
//! answers, and the new data shows without a restart; SPARQL Update when (and only when) the server was started
//! for it, with its token.

mod server;

use server::{copy_store, count, get, query, root, run, shared, Server};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[test]
fn serves_while_another_process_ingests_and_sees_the_new_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    copy_store(&shared().path, &store);
    let base = shared().base.clone();
    let s = Server::start(&store, &base, server::free_port(), &["--refresh", "0.2"]);
    let pavlodar_aktogai = "SELECT (COUNT(*) AS ?n) WHERE { ?i a akg:StateInstitution ; dct:spatial ?u . ?u skos:prefLabel \"Ақтоғай ауданы\"@kk ; schema:containedInPlace/skos:prefLabel \"Павлодар облысы\"@kk }";
    assert_eq!(count(&s, pavlodar_aktogai), 0);
    let before = count(&s, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");

    // Readers hammer the server for as long as the ingest runs.
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::new()));
    let readers: Vec<_> = (0..3)
        .map(|i| {
            let (stop, answered, failures, url) = (
                stop.clone(),
                answered.clone(),
                failures.clone(),
                s.url.clone(),
            );
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let q = format!(
                        "SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # reader {i} {}",
                        answered.load(Ordering::Relaxed)
                    );
                    match server::curl(&[
                        "-G",
                        "--data-urlencode",
                        &format!("query={q}"),
                        "-H",
                        "Accept: text/csv",
                        &format!("{url}/sparql"),
                    ]) {
                        Ok(r) if r.status == 200 => {
                            answered.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(r) => {
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{}: {}", r.status, r.text()))
                        }
                        Err(e) => failures.lock().unwrap().push(e),
                    }
                }
            })
        })
        .collect();
    let doc = root().join("tests/fixtures/crafted/pavlodar-aktogai/rus.md");
    run(&[
        "--store",
        store.to_str().unwrap(),
        "--base",
        &base,
        "ingest",
        "--quiet",
        doc.to_str().unwrap(),
    ]);
    // The server picks the new data up by itself.
    let started = Instant::now();
    while count(&s, pavlodar_aktogai) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the new institution never showed:\n{}",
            s.stderr_text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "readers failed while ingesting: {failures:?}"
    );
    assert!(
        answered.load(Ordering::Relaxed) > 5,
        "readers answered {}",
        answered.load(Ordering::Relaxed)
    );
    assert_eq!(count(&s, pavlodar_aktogai), 1);
    // Queries answered in the server and in its workers may see new data up to one --refresh apart (a worker
    // opens its view when it next gets a job): the server's own view follows within that time.
    let started = Instant::now();
    while count(&s, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") <= before {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the server's own view never grew"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Its page is there too, and the log tells the reopening.
    let iri = query(
        &s,
        &pavlodar_aktogai.replace("(COUNT(*) AS ?n)", "?i"),
        "text/csv",
    )
    .text();
    let iri = iri.lines().nth(1).unwrap().trim();
    let path = iri.strip_prefix(base.as_str()).unwrap();
    let page = get(&["-H", "Accept: text/html", &s.at(&format!("/{path}"))]);
    assert_eq!(page.status, 200, "{}\n{}", page.text(), s.stderr_text());
    assert!(s.log_lines().iter().any(|l| l["event"] == "store reopened"));
}

#[test]
fn updates_need_the_option_and_the_token_and_keep_the_union() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    copy_store(&shared().path, &store);
    let base = shared().base.clone();
    // --allow-update without a token does not start.
    let out = std::process::Command::new(server::bin())
        .args([
            "--store",
            store.to_str().unwrap(),
            "--base",
            &base,
            "serve",
            "--allow-update",
            "--bind",
            "127.0.0.1:0",
        ])
        .env_remove("AKIMAT_KG_UPDATE_TOKEN")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--update-token"));

    let s = Server::start(
        &store,
        &base,
        server::free_port(),
        &["--allow-update", "--update-token", "s3cret"],
    );
    let insert = "INSERT DATA { GRAPH <http://example.org/corrections> { <http://example.org/s> skos:prefLabel \"түзету\"@kk } }";
    let post = |token: Option<&str>, update: &str| {
        let mut args = vec![
            "-H".to_string(),
            "Content-Type: application/sparql-update".to_string(),
        ];
        if let Some(t) = token {
            args.extend(["-H".to_string(), format!("Authorization: Bearer {t}")]);
        }
        args.extend([
            "--data-binary".to_string(),
            update.to_string(),
            s.at("/sparql"),
        ]);
        get(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    assert_eq!(post(None, insert).status, 401);
    assert_eq!(post(Some("wrong"), insert).status, 401);
    let into_default = post(
        Some("s3cret"),
        "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
    );
    assert_eq!(into_default.status, 403, "{}", into_default.text());
    assert!(into_default.text().contains("default graph"));
    let load = post(
        Some("s3cret"),
        "LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <http://example.org/g>",
    );
    assert_eq!(load.status, 403);
    let ok = post(Some("s3cret"), insert);
    assert_eq!(ok.status, 204, "{}", ok.text());
    // The new triple is in its graph and in the union, and cached answers moved on.
    assert_eq!(
        count(
            &s,
            "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/s> skos:prefLabel ?l }"
        ),
        1
    );
    assert_eq!(
        count(
            &s,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/corrections> { ?s ?p ?o } }"
        ),
        1
    );
    let removed = post(
        Some("s3cret"),
        "DROP GRAPH <http://example.org/corrections>",
    );
    assert_eq!(removed.status, 204);
    assert_eq!(
        count(
            &s,
            "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/s> skos:prefLabel ?l }"
        ),
        0
    );
}
