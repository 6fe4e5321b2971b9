//! Shared by the server tests: a store built by the real binary, a real `akimat-kg serve` started on 127.0.0.1 and
//! stopped when the test ends, and `curl` as the client.
#![allow(dead_code)]

use std::fs::File;
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_akimat-kg")
}

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A port free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A store built from the shipped regulations and the crafted `<script>` document, with a base
/// `http://127.0.0.1:<port>/` whose port is kept for the server that plays the published site.
pub struct SharedStore {
    /// The store folder.
    pub path: PathBuf,
    /// Its base.
    pub base: String,
    /// The port of the base.
    pub port: u16,
    _dir: tempfile::TempDir,
}

/// Runs the binary; panics with its output if it fails.
pub fn run(args: &[&str]) -> String {
    let out = Command::new(bin()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "akimat-kg {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `ingest --quiet` on a folder into a store to the end; panics if it fails; returns what it printed.
pub fn ingest(store: &Path, folder: &Path) -> String {
    run(&[
        "--store",
        store.to_str().unwrap(),
        "ingest",
        "--quiet",
        folder.to_str().unwrap(),
    ])
}

/// `export` of a store in a format, as text; panics if it fails.
pub fn export(store: &Path, format: &str) -> String {
    run(&[
        "--store",
        store.to_str().unwrap(),
        "export",
        "--format",
        format,
    ])
}

/// Builds a store with the given base from the shipped data and the crafted document.
pub fn build_store(dir: &Path, base: &str) -> PathBuf {
    let path = dir.join("store");
    let store = path.to_str().unwrap();
    let regulations = root().join("data/regulations");
    let crafted = root().join("tests/fixtures/serve");
    run(&[
        "--store",
        store,
        "--base",
        base,
        "ingest",
        "--quiet",
        regulations.to_str().unwrap(),
        crafted.to_str().unwrap(),
    ]);
    path
}

/// The store shared by the tests of one test binary (servers open it read-only, so they can share it).
pub fn shared() -> &'static SharedStore {
    static STORE: OnceLock<SharedStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}/");
        let path = build_store(dir.path(), &base);
        SharedStore {
            path,
            base,
            port,
            _dir: dir,
        }
    })
}

/// Copies a folder and everything below it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Copies a store folder (for tests that write it).
pub fn copy_store(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A running server, stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Server {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// Its access log.
    pub log: PathBuf,
    /// Its standard error.
    pub stderr: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts `akimat-kg serve` on `port` over `store` with `base`, plus extra options; waits until `/health`
    /// answers.
    pub fn start(store: &Path, base: &str, port: u16, extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("access.log");
        let stderr = dir.path().join("stderr.log");
        let bind = format!("127.0.0.1:{port}");
        let mut args: Vec<String> = vec![
            "--store".into(),
            store.to_str().unwrap().into(),
            "--base".into(),
            base.into(),
            "serve".into(),
            "--bind".into(),
            bind,
            "--access-log".into(),
            log.to_str().unwrap().into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let child = Command::new(bin())
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut server = Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
            stderr,
            _dir: dir,
        };
        let started = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!(
                    "the server exited ({status}) before answering:\n{}",
                    server.stderr_text()
                );
            }
            if let Ok(r) = curl(&[&format!("{}/health", server.url)]) {
                if r.status == 200 {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not answer /health within 30 s:\n{}",
                server.stderr_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// Starts a server on the shared store, on a port of its own.
    pub fn shared(extra: &[&str]) -> Server {
        let s = shared();
        Server::start(&s.path, &s.base, free_port(), extra)
    }

    /// `url + path`.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// What the server wrote on standard error.
    pub fn stderr_text(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// The access log lines, parsed.
    pub fn log_lines(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Sends SIGTERM and waits up to `within` for the process to exit; returns its exit status.
    pub fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        if let Some(s) = self.child.try_wait().unwrap() {
            return Some(s);
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let started = Instant::now();
        while started.elapsed() < within {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// The query-worker processes this server has running now.
    pub fn workers(&self) -> Vec<u32> {
        let me = self.child.id().to_string();
        let mut out = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // Field 4 (after the command in parentheses) is the parent pid; field 3 the state (Z: a zombie).
            let Some(rest) = stat.rsplit_once(')').map(|x| x.1) else {
                continue;
            };
            let fields: Vec<&str> = rest.split_whitespace().collect();
            if fields.get(1) == Some(&me.as_str()) && fields.first() != Some(&"Z") {
                let cmdline =
                    std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                if cmdline.contains("query-worker") {
                    out.push(pid);
                }
            }
        }
        out
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.terminate(Duration::from_secs(5)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An HTTP response as curl saw it.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Reply {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The media type of the body, without parameters.
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    }
}

/// Runs `curl -s` with the arguments (which end with the URL) and reads status, headers and body.
pub fn curl(args: &[&str]) -> Result<Reply, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let head = dir.path().join("head");
    let body = dir.path().join("body");
    let out = Command::new("curl")
        .args(["-s", "-S", "--max-time", "60", "-D"])
        .arg(&head)
        .arg("-o")
        .arg(&body)
        .args(["-w", "%{http_code}"])
        .args(args)
        .output()
        .map_err(|e| format!("cannot run curl (apt-get install curl): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "curl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let status: u16 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    let mut headers = Vec::new();
    // With redirects or 100-continue there may be several header blocks; keep the last.
    let head_text = std::fs::read_to_string(&head).unwrap_or_default();
    for block in head_text.split("\r\n\r\n").filter(|b| !b.trim().is_empty()) {
        headers.clear();
        for line in block.lines().skip(1) {
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
    }
    let mut bytes = Vec::new();
    if let Ok(mut f) = File::open(&body) {
        f.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    }
    Ok(Reply {
        status,
        headers,
        body: bytes,
    })
}

/// `curl` that must succeed at the transport level.
pub fn get(args: &[&str]) -> Reply {
    curl(args).unwrap_or_else(|e| panic!("{e}"))
}

/// A GET of `/sparql?query=…` with an `Accept` header.
pub fn query(server: &Server, q: &str, accept: &str) -> Reply {
    get(&[
        "-G",
        "-H",
        &format!("Accept: {accept}"),
        "--data-urlencode",
        &format!("query={q}"),
        &server.at("/sparql"),
    ])
}

/// The single number a `SELECT (COUNT(…) AS ?n)` answers, as SPARQL JSON.
pub fn count(server: &Server, q: &str) -> u64 {
    let r = query(server, q, "application/sparql-results+json");
    assert_eq!(r.status, 200, "{}", r.text());
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    v["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Standard output and standard error of a finished command, one after the other.
pub fn output_text(o: &std::process::Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// SPARQL: quads per named graph.
pub const GRAPH_COUNTS: &str =
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g";

/// Graph and count from the CSV answer to [`GRAPH_COUNTS`].
pub fn parse_graph_counts(csv: &str) -> std::collections::BTreeMap<String, u64> {
    csv.lines()
        .skip(1)
        .filter_map(|l| {
            let (g, n) = l.trim_end().rsplit_once(',')?;
            Some((g.to_string(), n.parse().ok()?))
        })
        .collect()
}

/// The CSV answer to a query on a local store, by the binary's `query` command.
pub fn query_csv(store: &Path, sparql: &str) -> String {
    run(&[
        "--store",
        store.to_str().unwrap(),
        "query",
        "--format",
        "csv",
        "-e",
        sparql,
    ])
}

/// Quads per named graph of a local store, by the binary's `query` command.
pub fn graph_counts(store: &Path) -> std::collections::BTreeMap<String, u64> {
    parse_graph_counts(&query_csv(store, GRAPH_COUNTS))
}
