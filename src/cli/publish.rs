//! `akimat-kg publish`: pushes the named graphs to a remote triple store.

use crate::http::{ClientOptions, Retry};
use crate::publish::remote::{Auth, Remote};
use crate::publish::{self, Event, Method, PublishOptions};
use crate::rdf::iri::Base;
use crate::store::KgStore;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of `publish`.
#[derive(clap::Args)]
pub struct PublishArgs {
    /// The remote SPARQL query endpoint (read back for what it holds, and for the final check).
    #[arg(long)]
    endpoint: String,
    /// The remote Graph Store Protocol endpoint (Oxigraph: …/store; Fuseki: …/DATASET/data; GraphDB:
    /// …/repositories/REPO/rdf-graphs/service; Virtuoso: …/sparql-graph-crud-auth).
    #[arg(long)]
    graph_store: Option<String>,
    /// The remote SPARQL Update endpoint, used where the Graph Store Protocol is missing (Oxigraph: …/update;
    /// Fuseki: …/DATASET/update; GraphDB: …/repositories/REPO/statements; Virtuoso: …/sparql-auth).
    #[arg(long)]
    update_endpoint: Option<String>,
    /// Graphs to publish, as graph IRIs or document paths; repeatable. Default: every named graph.
    #[arg(long = "graph")]
    graphs: Vec<String>,
    /// Send every graph, also those the remote holds in the same version already.
    #[arg(long)]
    all: bool,
    /// Do not send the default graph (the union of the named graphs): for a remote that reads the union of its
    /// graphs as its default graph. Such a store counts a triple held by several graphs several times, so queries
    /// without DISTINCT may answer with repeats there.
    #[arg(long)]
    no_default_graph: bool,
    /// Triples per SPARQL Update request.
    #[arg(long, default_value_t = 10_000)]
    batch: usize,
    /// User for HTTP Basic authentication.
    #[arg(long, requires = "password")]
    user: Option<String>,
    /// Password for HTTP Basic authentication.
    #[arg(
        long,
        env = "AKIMAT_KG_PUBLISH_PASSWORD",
        hide_env_values = true,
        requires = "user"
    )]
    password: Option<String>,
    /// Bearer token.
    #[arg(
        long,
        env = "AKIMAT_KG_PUBLISH_TOKEN",
        hide_env_values = true,
        conflicts_with = "user"
    )]
    token: Option<String>,
    /// Seconds one request may take.
    #[arg(long, default_value_t = 300.0)]
    timeout: f64,
    /// Retries of a request that timed out or got 429 or 5xx.
    #[arg(long, default_value_t = 4)]
    retries: u32,
    /// Seconds before the first retry; doubled for each next one.
    #[arg(long, default_value_t = 2.0)]
    backoff: f64,
    /// PEM file of certificates to trust beside the system's; repeatable.
    #[arg(long)]
    ca_cert: Vec<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// Runs `publish`.
pub fn run(args: &PublishArgs, store_path: &Path, base: &Base) -> Result<ExitCode> {
    let remote = remote_of(args)?;
    let store = KgStore::open_read_only(store_path, base)?;
    // Each graph asked for, with what was given for it (a file or an IRI), to name it in errors.
    let mut chosen: Vec<(String, String)> = Vec::new();
    for g in &args.graphs {
        let found = super::graphs_of(&store, g).with_context(|| format!("--graph {g}"))?;
        if found.is_empty() {
            bail!("--graph {g}: no graph in the store was made from this file's bytes; give the graph's IRI");
        }
        chosen.extend(found.into_iter().map(|iri| (g.clone(), iri)));
    }
    let bar = super::progress_bar(
        args.quiet,
        0,
        "{bar:40} {pos}/{len} triples {elapsed_precise} {wide_msg}",
    );
    let opts = PublishOptions {
        graphs: chosen.iter().map(|(_, iri)| iri.clone()).collect(),
        batch: args.batch,
        all: args.all,
        default_graph: !args.no_default_graph,
    };
    let result = publish::publish(&store, base, &remote, &opts, &mut |e| match e {
        Event::Start { graphs, triples } => {
            bar.set_length(triples);
            bar.suspend(|| eprintln!("sending {graphs} graphs, {triples} triples"));
        }
        Event::Graph(g) => bar.set_message(g),
        Event::Sent(n) => bar.inc(n),
        Event::Note(s) => bar.suspend(|| eprintln!("note: {s}")),
    });
    let report = match result {
        Err(publish::PublishError::UnknownGraph(iri)) => {
            let given = chosen
                .iter()
                .find(|(_, i)| *i == iri)
                .map_or(iri.as_str(), |(g, _)| g);
            bail!("{given}: no such graph in the local store (graph {iri})")
        }
        other => other?,
    };
    bar.finish_and_clear();
    print_report(&report);
    Ok(if report.is_complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The remote store the options name, with its client, credentials and retry policy; bad URLs and a batch of 0
/// are refused with the option named.
fn remote_of(args: &PublishArgs) -> Result<Remote> {
    for (name, url) in [
        ("endpoint", Some(&args.endpoint)),
        ("graph-store", args.graph_store.as_ref()),
        ("update-endpoint", args.update_endpoint.as_ref()),
    ] {
        if let Some(u) = url {
            if reqwest::Url::parse(u).map_or(true, |u| !matches!(u.scheme(), "http" | "https")) {
                bail!("--{name} {u}: expected an http:// or https:// URL");
            }
        }
    }
    if args.batch == 0 {
        bail!("--batch 0: expected at least 1 triple per request");
    }
    let auth = match (&args.user, &args.password, &args.token) {
        (Some(user), Some(password), _) => Auth::Basic {
            user: user.clone(),
            password: password.clone(),
        },
        (_, _, Some(t)) => Auth::Bearer(t.clone()),
        _ => Auth::None,
    };
    let client = crate::http::client(&ClientOptions {
        user_agent: format!("akimat-kg/{}", env!("CARGO_PKG_VERSION")),
        timeout: super::seconds("timeout", args.timeout, false)?,
        ca_certs: args.ca_cert.clone(),
        cookies: false,
    })?;
    Ok(Remote::new(
        client,
        args.endpoint.clone(),
        args.graph_store.clone(),
        args.update_endpoint.clone(),
        auth,
        Retry {
            retries: args.retries,
            backoff: super::seconds("backoff", args.backoff, false)?,
            max_backoff: std::time::Duration::from_secs(60),
        },
    ))
}

/// What a publish did, a line per graph sent, failed or left, and the summary line.
fn print_report(report: &publish::PublishReport) {
    for (g, n, m) in &report.sent {
        let how = match m {
            Method::GraphStore => "graph store PUT",
            Method::Update => "SPARQL update",
        };
        println!("sent      {g}: {n} triples ({how})");
    }
    for (g, e) in &report.failed {
        eprintln!("error: {g}: {e}");
    }
    if report.meta_partial {
        eprintln!("note: the metadata graph went without the records of the failed graphs; run again to finish");
    }
    for (g, local, remote) in &report.mismatched {
        eprintln!("error: {g}: {local} quads here, {remote} on the remote store");
    }
    for g in &report.missing {
        eprintln!("error: {g}: not on the remote store");
    }
    for g in &report.remote_only {
        println!("note: {g} is on the remote store but not here (left alone)");
    }
    let check = if report.mismatched.is_empty() && report.missing.is_empty() {
        "every graph holds as many quads as here".to_string()
    } else {
        format!(
            "{} graphs differ",
            report.mismatched.len() + report.missing.len()
        )
    };
    println!(
        "{} graphs sent, {} unchanged, {} failed; remote check: {check}",
        report.sent.len(),
        report.unchanged.len(),
        report.failed.len(),
    );
}
