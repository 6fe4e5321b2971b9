//! Real clients against `akimat-kg serve` playing the published site (its base is the server's own address):
//! Python's SPARQLWrapper and rdflib (installed from PyPI by `.ci/run`), and headless Chromium driven through
//! Debian's chromedriver: the home page, a query run in the editor, an institution's page, with screenshots.

mod server;

use fantoccini::{ClientBuilder, Locator};
use server::{count, get, query, root, shared, Server};
use std::process::{Command, Stdio};
use std::time::Duration;

const AKSU: &str = "org/pavlodar/aksu-city/internal-policy-department";

/// The site server: the shared store served at the port of its base. One test at a time holds the port.
fn site() -> (std::sync::MutexGuard<'static, ()>, Server) {
    static PORT: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = PORT.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared();
    (guard, Server::start(&s.path, &s.base, s.port, &[]))
}

#[test]
fn python_sparqlwrapper_and_rdflib_query_and_parse() {
    let (_port, s) = site();
    let base = &shared().base;
    let institution = format!("{base}{AKSU}");
    let out = Command::new("python3")
        .arg(root().join("tests/python/clients.py"))
        .arg(s.at("/sparql"))
        .arg(base)
        .arg(&institution)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "tests/python/clients.py failed (pip install SPARQLWrapper rdflib; .ci/run does):\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // What curl sees, to compare with.
    let labels = query(
        &s,
        "SELECT ?i ?l WHERE { ?i a akg:StateInstitution ; skos:prefLabel ?l FILTER(lang(?l) = \"kk\") } ORDER BY ?l",
        "text/csv",
    );
    let rows = labels.text().trim().lines().count() - 1;
    assert!(rows >= 10);
    assert_eq!(v["wrapper_json_labels"].as_array().unwrap().len(), rows);
    assert_eq!(v["wrapper_post_rows"], rows);
    assert_eq!(v["wrapper_xml_rows"], rows);
    assert_eq!(v["wrapper_csv_rows"], rows);
    assert_eq!(v["sparqlstore_rows"], rows);
    assert_eq!(v["wrapper_ask"], true);
    assert!(v["wrapper_json_labels"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "Ақсу қаласының ішкі саясат бөлімі"));
    let about = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ <{institution}> ?p ?o }}"),
    );
    assert_eq!(v["wrapper_turtle_triples"], about);
    assert_eq!(v["wrapper_jsonld_triples"], about);
    assert_eq!(v["sparqlstore_triples_about"], about);
    assert_eq!(
        v["wrapper_jsonld_labels"],
        serde_json::json!([
            "Ақсу қаласының ішкі саясат бөлімі@kk",
            "Отдел внутренней политики города Аксу@ru"
        ])
    );
    let incoming = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p <{institution}> }}"),
    );
    for name in ["turtle", "xml", "json-ld", "nt"] {
        assert_eq!(
            v[format!("deref_{name}_triples")],
            about + incoming,
            "{name}"
        );
    }
    assert_eq!(
        v["deref_json-ld_type"],
        "application/ld+json; profile=\"http://www.w3.org/ns/json-ld#expanded\""
    );
}

/// Debian's chromedriver, on a free port, stopped when dropped.
struct Driver {
    child: std::process::Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        assert!(
            std::path::Path::new(&bin).exists(),
            "{bin} not found: install Debian's chromium-driver (apt-get install chromium-driver) or set CHROMEDRIVER"
        );
        let port = server::free_port();
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // From here the driver is stopped on drop, whatever happens.
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..100 {
            if server::curl(&[&format!("{}/status", driver.url)]).is_ok_and(|r| r.status == 200) {
                return driver;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chromedriver did not start");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Decodes a PNG and counts its distinct colours (a blank or broken page has a handful).
fn colours(png_bytes: &[u8]) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let mut seen = std::collections::HashSet::new();
    for px in bytes.chunks(step) {
        seen.insert(px.to_vec());
    }
    (info.width, info.height, seen.len())
}

#[test]
fn chromium_opens_the_home_page_runs_a_query_in_the_editor_and_opens_an_institution() {
    let (_port, s) = site();
    let driver = Driver::start();
    let shots = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let profile = tempfile::tempdir().unwrap();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,1000", "--lang=kk",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a chromedriver session");

        // The home page.
        client.goto(&s.at("/?lang=kk")).await.unwrap();
        let title = client.title().await.unwrap();
        assert_eq!(title, "akimat-kg · akimat-kg");
        let h1 = client.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        assert!(h1.contains("байланысқан деректер"), "{h1}");

        // The editor: the ready-made queries as tabs, the first run with the button, results in a table.
        client.goto(&s.at("/ui")).await.unwrap();
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("body[data-queries]"))
            .await
            .expect("the queries loaded into the editor");
        let tabs = client.find_all(Locator::Css(".tabsList .tab")).await.unwrap();
        let files = std::fs::read_dir(root().join("queries")).unwrap().count();
        assert_eq!(tabs.len(), files, "one tab per query of queries/");
        // Pick the tab of the institutions-by-unit query, then run it.
        let tab = client
            .find(Locator::XPath("//div[contains(@class,'tabsList')]//a[span[normalize-space()='institutions-by-unit']]"))
            .await
            .expect("a tab named institutions-by-unit");
        tab.click().await.unwrap();
        client
            .find(Locator::Css(".tabPanel.active .yasqe_queryButton"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let first_cell = client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(".tabPanel.active .yasr table.dataTable tbody tr td"))
            .await
            .expect("a results table");
        let _ = first_cell;
        let rows = client
            .find_all(Locator::Css(".tabPanel.active .yasr table.dataTable tbody tr"))
            .await
            .unwrap();
        assert!(rows.len() >= 5, "{} rows in the results table", rows.len());
        let table_text = client
            .find(Locator::Css(".tabPanel.active .yasr table.dataTable"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(table_text.contains("Ақсу"), "{table_text}");
        let shot = client.screenshot().await.unwrap();
        std::fs::write(shots.join("serve-editor.png"), &shot).unwrap();
        let (w, h, n) = colours(&shot);
        assert!(w >= 1000 && h >= 600 && n > 50, "editor screenshot {w}×{h}, {n} colours");
        // Nothing was fetched from other hosts: the editor loaded from this server alone.
        let foreign: serde_json::Value = client
            .execute(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(foreign, serde_json::json!([]), "requests to other hosts");

        // An institution's page, reached by its link on the home page.
        client.goto(&s.at("/?lang=ru")).await.unwrap();
        let link = client
            .find(Locator::Css(&format!("a[href='/{AKSU}?lang=ru']")))
            .await
            .expect("the institution on the home page");
        link.click().await.unwrap();
        let h1 = client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(h1, "Отдел внутренней политики города Аксу");
        let url = client.current_url().await.unwrap();
        assert_eq!(url.path(), format!("/{AKSU}"));
        let provisions = client.find_all(Locator::Css("ol.provisions li")).await.unwrap();
        let expected = count(
            &s,
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?p akg:assignedTo <{}{AKSU}> }}", shared().base),
        );
        assert_eq!(provisions.len() as u64, expected);
        let shot = client.screenshot().await.unwrap();
        std::fs::write(shots.join("serve-institution.png"), &shot).unwrap();
        let (w, h, n) = colours(&shot);
        assert!(w >= 1000 && h >= 600 && n > 50, "institution screenshot {w}×{h}, {n} colours");
        client.close().await.unwrap();
    });
    // The pages came from this server: the access log has them.
    let paths: Vec<String> = s
        .log_lines()
        .iter()
        .filter_map(|l| l["path"].as_str().map(str::to_string))
        .collect();
    for p in [
        "/ui",
        "/ui/yasgui.min.js",
        "/ui/queries.json",
        "/sparql",
        &format!("/{AKSU}"),
    ] {
        assert!(paths.iter().any(|x| x == p), "{p} not requested: {paths:?}");
    }
    let _ = get(&[&s.at("/health")]);
}
