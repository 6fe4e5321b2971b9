//! `akimat-kg publish` against real remote stores started by the tests on 127.0.0.1: the Oxigraph server
//! (`oxigraph serve`, from the `oxigraph` package on PyPI) by the Graph Store Protocol and by SPARQL Update, and
//! `akimat-kg serve --allow-update` (an Update endpoint behind a bearer token, with no writable Graph Store and a
//! body limit) for the fallback, authentication and a publish that fails half-way.

mod server;

use server::{
    bin, copy_dir, free_port, graph_counts, output_text, parse_graph_counts, root, Server,
    GRAPH_COUNTS,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BASE: &str = "https://w3id.org/akimat-kg/";

/// An `oxigraph serve` process on a fresh folder, killed when dropped.
struct Oxigraph {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Oxigraph {
    fn start() -> Oxigraph {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(oxigraph_bin())
            .args(["serve", "--location"])
            .arg(dir.path().join("remote"))
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the oxigraph server (pip install oxigraph) must be on PATH");
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while server::curl(&[&format!("{url}/query?query=ASK%7B%7D")])
            .map_or(true, |r| r.status != 200)
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "oxigraph did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Oxigraph {
            child,
            url,
            _dir: dir,
        }
    }
}

impl Drop for Oxigraph {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `oxigraph` command: `$OXIGRAPH`, else on the PATH, else in the scripts folder of `python3` (where pip puts
/// it when that folder is not on the PATH).
fn oxigraph_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("OXIGRAPH") {
        return PathBuf::from(p);
    }
    if Command::new("oxigraph")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return PathBuf::from("oxigraph");
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('scripts'))",
        ])
        .output()
        .expect("python3");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("oxigraph")
}

/// A copy of the shipped regulations and a store ingested from it.
fn local() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("regulations");
    copy_dir(&root().join("data/regulations"), &data);
    let store = dir.path().join("store");
    server::ingest(&store, &data);
    (dir, data, store)
}

/// Changes one word of one shipped document (pairs/100709/rus.md) and ingests the folder again.
fn edit_one_document_and_ingest(data: &Path, store: &Path) {
    let doc = data.join("pairs/100709/rus.md");
    let edited = std::fs::read_to_string(&doc)
        .unwrap()
        .replacen("Аппарат", "Аппарат (ред.)", 1);
    std::fs::write(&doc, edited).unwrap();
    server::ingest(store, data);
}

fn publish(store: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args([
            "--store",
            store.to_str().unwrap(),
            "publish",
            "--quiet",
            "--retries",
            "1",
            "--backoff",
            "0.1",
        ])
        .args(args)
        .output()
        .unwrap()
}

/// Rows of a SELECT answer in CSV, without the header, sorted.
fn sorted_rows(csv: &str) -> Vec<String> {
    let mut rows: Vec<String> = csv.lines().skip(1).map(str::to_string).collect();
    rows.sort();
    rows
}

fn local_csv(store: &Path, query_file: &Path) -> String {
    server::run(&[
        "--store",
        store.to_str().unwrap(),
        "query",
        "--format",
        "csv",
        query_file.to_str().unwrap(),
    ])
}

fn remote_csv(endpoint: &str, query: &str) -> String {
    let r = server::curl(&[
        "-X",
        "POST",
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={query}"),
        endpoint,
    ])
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    r.text()
}

/// Every graph of the remote store as a sorted set of N-Triples lines.
fn remote_graphs(o: &Oxigraph) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for g in parse_graph_counts(&remote_csv(&format!("{}/query", o.url), GRAPH_COUNTS)).keys() {
        let r = server::curl(&[
            "-G",
            "-H",
            "Accept: application/n-triples",
            "--data-urlencode",
            &format!("graph={g}"),
            &format!("{}/store", o.url),
        ])
        .unwrap();
        assert_eq!(r.status, 200);
        out.insert(g.clone(), r.text().lines().map(str::to_string).collect());
    }
    out
}

#[test]
fn the_published_graph_answers_every_query_as_the_local_store_and_a_republish_sends_only_what_changed(
) {
    let (_dir, data, store) = local();
    let ox = Oxigraph::start();
    let endpoints = [
        "--endpoint",
        &format!("{}/query", ox.url),
        "--graph-store",
        &format!("{}/store", ox.url),
        "--update-endpoint",
        &format!("{}/update", ox.url),
    ]
    .map(|s| s.to_string());
    let endpoints: Vec<&str> = endpoints.iter().map(String::as_str).collect();

    let out = publish(&store, &endpoints);
    let t = output_text(&out);
    assert!(out.status.success(), "{t}");
    let local = graph_counts(&store);
    assert_eq!(
        local.len(),
        31,
        "27 documents, the ontology, the gazetteer, the metadata graph and the competence tallies: {local:?}"
    );
    // 31 named graphs and the default graph.
    assert!(t.contains("32 graphs sent, 0 unchanged, 0 failed; remote check: every graph holds as many quads as here"), "{t}");
    assert_eq!(t.matches("(graph store PUT)").count(), 32, "{t}");
    // The same quads per graph, by the remote's own count.
    assert_eq!(
        parse_graph_counts(&remote_csv(&format!("{}/query", ox.url), GRAPH_COUNTS)),
        local
    );
    // Nothing published names a file of this machine: no `file:` IRI, no local folder.
    let published: String = remote_graphs(&ox)
        .into_values()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(published.len() > 100_000);
    for local_path in [
        "file://",
        &data.to_string_lossy(),
        &_dir.path().to_string_lossy(),
    ] {
        assert!(
            !published.contains(local_path),
            "the published graphs hold {local_path:?}"
        );
    }

    // Every ready-made query gives the same answer there as here.
    let mut compared = 0;
    for e in std::fs::read_dir(root().join("queries")).unwrap() {
        let path = e.unwrap().path();
        let here = local_csv(&store, &path);
        let there = remote_csv(
            &format!("{}/query", ox.url),
            &std::fs::read_to_string(&path).unwrap(),
        );
        assert_eq!(
            sorted_rows(&here),
            sorted_rows(&there),
            "{}",
            path.display()
        );
        compared += usize::from(here.lines().count() > 1);
    }
    assert!(compared >= 15, "only {compared} queries gave rows");

    // Nothing changed: nothing is sent.
    let out = publish(&store, &endpoints);
    assert!(
        output_text(&out).contains("0 graphs sent, 32 unchanged"),
        "{}",
        output_text(&out)
    );

    // One document changes and is ingested again: only its graph (and the metadata graph, which describes it, and
    // the default graph, the union) goes, and on the remote only those two named graphs change, the metadata only
    // in what it says of that graph.
    let before = remote_graphs(&ox);
    edit_one_document_and_ingest(&data, &store);
    let out = publish(&store, &endpoints);
    let t = output_text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("3 graphs sent, 29 unchanged, 0 failed"), "{t}");
    let after = remote_graphs(&ox);
    let changed: Vec<&String> = before.keys().filter(|g| before[*g] != after[*g]).collect();
    let doc_graph = changed
        .iter()
        .find(|g| g.contains("100709"))
        .expect("the document's graph changed");
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(
        changed.iter().any(|g| g.ends_with("graph/meta")),
        "{changed:?}"
    );
    let meta = changed.iter().find(|g| g.ends_with("graph/meta")).unwrap();
    let diff: BTreeSet<&String> = before[*meta].symmetric_difference(&after[*meta]).collect();
    assert!(!diff.is_empty());
    assert!(
        diff.iter()
            .all(|l| l.starts_with(&format!("<{doc_graph}>"))),
        "{diff:?}"
    );
    // And the remote now holds what the local store holds.
    assert_eq!(
        parse_graph_counts(&remote_csv(&format!("{}/query", ox.url), GRAPH_COUNTS)),
        graph_counts(&store)
    );
}

#[test]
fn without_a_graph_store_updates_go_in_batches_and_a_half_failed_publish_is_finished_by_running_it_again(
) {
    let (_dir, _data, store) = local();
    let local = graph_counts(&store);

    // Oxigraph by SPARQL Update only, 500 triples per request: graphs larger than that go through a staging
    // graph and one MOVE; the result is the same, graph for graph and triple for triple.
    let ox = Oxigraph::start();
    let out = publish(
        &store,
        &[
            "--endpoint",
            &format!("{}/query", ox.url),
            "--update-endpoint",
            &format!("{}/update", ox.url),
            "--batch",
            "500",
        ],
    );
    let t = output_text(&out);
    assert!(out.status.success(), "{t}");
    assert_eq!(t.matches("(SPARQL update)").count(), 32, "{t}");
    assert!(
        local.values().any(|&n| n > 500),
        "some graph needs several batches"
    );
    let remote = remote_graphs(&ox);
    assert_eq!(
        remote.len(),
        31,
        "no staging graph left behind: {:?}",
        remote.keys()
    );
    let ontology = format!("{BASE}graph/ontology");
    let export = server::query_csv(
        &store,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ontology}> {{ ?s ?p ?o }} }}"),
    );
    assert_eq!(sorted_rows(&export), [remote[&ontology].len().to_string()]);

    // akimat-kg serve as the remote: updates only with the token, no writable Graph Store (the PUT is refused,
    // so publish falls back to Update), and a 200 kB body limit that the larger graphs exceed. It keeps its
    // default graph the union of its named graphs itself, so the default graph is not sent.
    let remote_dir = tempfile::tempdir().unwrap();
    let remote_store = remote_dir.path().join("remote");
    let empty = remote_dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    server::ingest(&remote_store, &empty);
    let port = free_port();
    let token = "s3cret";
    let endpoints = |url: &str| {
        vec![
            "--endpoint".to_string(),
            format!("{url}/sparql"),
            "--graph-store".into(),
            format!("{url}/store"),
            "--update-endpoint".into(),
            format!("{url}/sparql"),
            "--batch".into(),
            "100000".into(),
            "--no-default-graph".into(),
        ]
    };
    let mut serve = Server::start(
        &remote_store,
        BASE,
        port,
        &[
            "--allow-update",
            "--update-token",
            token,
            "--max-body",
            "200000",
        ],
    );
    let args = endpoints(&serve.url);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    // No token: refused, every graph named, nothing claimed.
    let out = publish(&store, &args);
    let t = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("SPARQL Update is used from now on"), "{t}");
    assert!(t.contains("HTTP 401"), "{t}");

    // With the token: the graphs under the limit go, the larger ones fail with 413 and are named; the metadata
    // graph goes without their records.
    let mut with_token = args.clone();
    with_token.extend(["--token", token]);
    let out = publish(&store, &with_token);
    let t = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let failed: Vec<&str> = t
        .lines()
        .filter(|l| l.starts_with("error: ") && l.contains("HTTP 413"))
        .collect();
    assert!(!failed.is_empty() && failed.len() < 28, "{t}");
    assert!(
        t.contains("went without the records of the failed graphs"),
        "{t}"
    );

    // The limit raised, the same command again: only the failed graphs, the metadata graph and the aggregate graph
    // are sent. The remote is an akimat-kg store, which recounted its tallies from the documents it had (the
    // failed ones missing), so its aggregate graph differs from this one until it is sent again.
    serve.terminate(Duration::from_secs(10));
    let serve = Server::start(
        &remote_store,
        BASE,
        port,
        &["--allow-update", "--update-token", token],
    );
    assert_eq!(serve.url, args[1].trim_end_matches("/sparql"));
    let out = publish(&store, &with_token);
    let t = output_text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains(&format!("{} graphs sent", failed.len() + 2)),
        "failed before:\n{}\nnow:\n{t}",
        failed.join("\n")
    );
    assert!(
        t.contains("sent      https://w3id.org/akimat-kg/graph/aggregates:"),
        "{t}"
    );
    assert!(t.contains("every graph holds as many quads as here"), "{t}");
}

#[test]
fn bad_endpoints_and_unknown_graphs_are_named() {
    let (_dir, _data, store) = local();
    let out = publish(
        &store,
        &[
            "--endpoint",
            "ftp://x/query",
            "--update-endpoint",
            "http://127.0.0.1:9/u",
        ],
    );
    assert!(
        output_text(&out).contains("--endpoint ftp://x/query: expected an http"),
        "{}",
        output_text(&out)
    );
    let out = publish(&store, &["--endpoint", "http://127.0.0.1:9/query"]);
    assert!(
        output_text(&out).contains("nothing to write to"),
        "{}",
        output_text(&out)
    );
    let ox = Oxigraph::start();
    let out = publish(
        &store,
        &[
            "--endpoint",
            &format!("{}/query", ox.url),
            "--graph-store",
            &format!("{}/store", ox.url),
            "--graph",
            "no/such/file.md",
        ],
    );
    let t = output_text(&out);
    assert!(
        t.contains("--graph no/such/file.md: cannot read the file") && out.status.code() == Some(2),
        "{t}"
    );
    // A chosen graph by its file: only that one goes.
    let doc = _data.join("pairs/100709/kaz.md");
    let out = publish(
        &store,
        &[
            "--endpoint",
            &format!("{}/query", ox.url),
            "--graph-store",
            &format!("{}/store", ox.url),
            "--graph",
            doc.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success() && output_text(&out).contains("1 graphs sent"),
        "{}",
        output_text(&out)
    );
}

/// A real Virtuoso (Debian's `virtuoso-opensource`, installed by `.ci/run`) on a fresh database in a temporary
/// folder, its SQL and HTTP ports on 127.0.0.1, killed when dropped. Anonymous SPARQL Update and Graph Store writes
/// are granted through its own `isql` at start, as a publisher would configure a private instance.
struct Virtuoso {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Virtuoso {
    fn start() -> Virtuoso {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        let (sql, http) = (free_port(), free_port());
        let ini = dir.path().join("virtuoso.ini");
        std::fs::write(
            &ini,
            format!(
                "[Database]\nDatabaseFile = {d}/virtuoso.db\nErrorLogFile = {d}/virtuoso.log\n\
                 LockFile = {d}/virtuoso.lck\nTransactionFile = {d}/virtuoso.trx\n\
                 xa_persistent_file = {d}/virtuoso.pxa\n\
                 [TempDatabase]\nDatabaseFile = {d}/virtuoso-temp.db\nTransactionFile = {d}/virtuoso-temp.trx\n\
                 [Parameters]\nServerPort = 127.0.0.1:{sql}\nDisableUnixSocket = 1\nDirsAllowed = ., {d}\n\
                 NumberOfBuffers = 10000\nMaxDirtyBuffers = 6000\n\
                 [HTTPServer]\nServerPort = 127.0.0.1:{http}\nServerRoot = {d}\nServerThreads = 10\n\
                 [SPARQL]\nResultSetMaxRows = 1000000\nMaxQueryExecutionTime = 300\n\
                 MaxQueryCostEstimationTime = 0\n"
            ),
        )
        .unwrap();
        let bin = std::env::var("VIRTUOSO").unwrap_or_else(|_| "virtuoso-t".into());
        let child = Command::new(&bin)
            .args(["+foreground", "+configfile"])
            .arg(&ini)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{bin}: {e} (apt-get install virtuoso-opensource; .ci/run does)")
            });
        let url = format!("http://127.0.0.1:{http}");
        let started = Instant::now();
        while server::curl(&[&format!("{url}/sparql?query=ASK%7B%7D")])
            .map_or(true, |r| r.status != 200)
        {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "Virtuoso did not start: {}",
                std::fs::read_to_string(dir.path().join("virtuoso.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let grant = Command::new("isql-vt")
            .arg(format!("127.0.0.1:{sql}"))
            .args(["dba", "dba"])
            .arg("exec=GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")
            .output()
            .expect("isql-vt (virtuoso-opensource)");
        assert!(grant.status.success(), "{}", output_text(&grant));
        Virtuoso {
            child,
            url,
            _dir: dir,
        }
    }

    fn endpoint(&self) -> String {
        format!("{}/sparql", self.url)
    }

    /// Quads per graph, for the graphs under this dataset's base (Virtuoso keeps graphs of its own beside them).
    fn graph_counts(&self) -> BTreeMap<String, u64> {
        csv_rows(&remote_csv(&self.endpoint(), GRAPH_COUNTS))
            .into_iter()
            .filter(|r| r[0].starts_with(BASE))
            .map(|r| (r[0].clone(), r[1].parse::<f64>().unwrap() as u64))
            .collect()
    }

    /// Every graph under the base as a set of N-Triples lines, read back by CONSTRUCT.
    fn graphs(&self) -> BTreeMap<String, BTreeSet<String>> {
        self.graph_counts()
            .into_keys()
            .map(|g| {
                let r = server::curl(&[
                    "-G",
                    "-H",
                    "Accept: application/n-triples",
                    "--data-urlencode",
                    &format!(
                        "query=CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
                    ),
                    &self.endpoint(),
                ])
                .unwrap();
                assert_eq!(r.status, 200, "{}", r.text());
                let lines = r.text().lines().map(str::to_string).collect();
                (g, lines)
            })
            .collect()
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The rows of a CSV answer, sorted, each value as written except numbers, which are compared as numbers (stores
/// write `1.0` or `1`, and quote strings or not, as SPARQL's CSV format allows).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{e}: {text}"))
                .iter()
                .map(|v| match v.parse::<f64>() {
                    Ok(n) if !v.is_empty() => format!("{n:.6}"),
                    _ => v.to_string(),
                })
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn virtuoso_takes_the_publication_whole_answers_every_query_as_here_and_a_republish_replaces_one_graph(
) {
    let (_dir, data, store) = local();
    let v = Virtuoso::start();
    let endpoint = v.endpoint();
    let graph_store = format!("{}/sparql-graph-crud", v.url);
    // Virtuoso reads the union of its graphs as the default graph: no default graph of ours is sent.
    let args = [
        "--endpoint",
        &endpoint,
        "--graph-store",
        &graph_store,
        "--update-endpoint",
        &endpoint,
        "--no-default-graph",
    ];
    let out = publish(&store, &args);
    let t = output_text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("31 graphs sent, 0 unchanged, 0 failed; remote check: every graph holds as many quads as here"),
        "{t}"
    );
    assert_eq!(t.matches("(graph store PUT)").count(), 31, "{t}");
    // The same quads per graph, by Virtuoso's own count.
    let local = graph_counts(&store);
    assert_eq!(local.len(), 31);
    assert_eq!(v.graph_counts(), local);

    // Every ready-made query gives the same rows there as here.
    let mut compared = 0;
    for e in std::fs::read_dir(root().join("queries")).unwrap() {
        let path = e.unwrap().path();
        let here = csv_rows(&local_csv(&store, &path));
        let there = csv_rows(&remote_csv(
            &endpoint,
            &std::fs::read_to_string(&path).unwrap(),
        ));
        assert_eq!(here, there, "{}", path.display());
        compared += usize::from(!here.is_empty());
    }
    assert!(compared >= 15, "only {compared} queries gave rows");

    // Nothing changed: nothing is sent.
    let out = publish(&store, &args);
    assert!(
        output_text(&out).contains("0 graphs sent, 31 unchanged"),
        "{}",
        output_text(&out)
    );

    // One document changes: its graph and the metadata graph go, and only those change on Virtuoso.
    let before = v.graphs();
    edit_one_document_and_ingest(&data, &store);
    let out = publish(&store, &args);
    let t = output_text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("2 graphs sent, 29 unchanged, 0 failed"), "{t}");
    let after = v.graphs();
    let changed: Vec<&String> = before.keys().filter(|g| before[*g] != after[*g]).collect();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed.iter().any(|g| g.contains("100709")), "{changed:?}");
    assert!(
        changed.iter().any(|g| g.ends_with("graph/meta")),
        "{changed:?}"
    );
    assert_eq!(v.graph_counts(), graph_counts(&store));
}
