//! `akimat-kg fetch`: downloads acts from Әділет into the cache folder, and ingests them when asked.

use crate::fetch::{self, FetchOptions, FetchStatus, Fetcher, PageLang, Target};
use crate::http::{ClientOptions, Retry};
use crate::lexicon::Lexicon;
use crate::pipeline;
use crate::rdf::iri::Base;
use crate::store::KgStore;
use anyhow::{bail, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `fetch`.
#[derive(clap::Args)]
pub struct FetchArgs {
    /// Act IDs (`G22VT00016M`) or document URLs (`https://old.adilet.zan.kz/rus/docs/G22VT00016M`).
    ids: Vec<String>,
    /// A file with one ID or URL per line (`#` starts a comment).
    #[arg(long)]
    from_file: Option<PathBuf>,
    /// Scheme and host of the server-rendered pages.
    #[arg(long, env = "AKIMAT_KG_ADILET_HOST", default_value = fetch::DEFAULT_HOST)]
    host: String,
    /// Language versions to fetch.
    #[arg(long, value_delimiter = ',', default_value = "kaz,rus")]
    lang: Vec<LangArg>,
    /// Folder where fetched acts are saved, one subfolder per ID.
    #[arg(long, default_value = "adilet-cache")]
    cache: PathBuf,
    /// Ingest the fetched acts into the store (also those saved by an earlier run).
    #[arg(long)]
    ingest: bool,
    /// Ask again for IDs already saved (with If-None-Match / If-Modified-Since).
    #[arg(long)]
    refresh: bool,
    /// Shortest pause between two requests, in seconds.
    #[arg(long, default_value_t = 1.5)]
    delay: f64,
    /// Longest pause between two requests, in seconds (each pause is drawn between --delay and this).
    #[arg(long, default_value_t = 3.0)]
    delay_max: f64,
    /// Seconds one request may take, from connecting to the last byte.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Retries of a request that timed out or got 429 or 5xx.
    #[arg(long, default_value_t = 4)]
    retries: u32,
    /// Seconds before the first retry; doubled for each next one (a Retry-After from the server wins).
    #[arg(long, default_value_t = 2.0)]
    backoff: f64,
    /// Longest wait before a retry, in seconds.
    #[arg(long, default_value_t = 60.0)]
    max_backoff: f64,
    /// PEM file of certificates to trust beside the system's (a private CA, or an intermediate certificate the
    /// server fails to send); repeatable. Verification is never switched off.
    #[arg(long)]
    ca_cert: Vec<PathBuf>,
    /// The User-Agent header.
    #[arg(long, default_value = fetch::DEFAULT_USER_AGENT)]
    user_agent: String,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// A language on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Kaz,
    Rus,
}

/// Runs `fetch`.
pub fn run(
    args: &FetchArgs,
    store_path: &std::path::Path,
    base: &Base,
    lex: &Lexicon,
) -> Result<ExitCode> {
    let (targets, opts) = plan(args)?;
    let langs = opts.langs.clone();
    let cleaned = fetch::clean_cache(&args.cache);
    if cleaned > 0 {
        eprintln!(
            "note: cleaned {cleaned} leftovers of an interrupted run in {}",
            args.cache.display()
        );
    }
    let mut fetcher = Fetcher::new(opts)?;
    let store = if args.ingest {
        Some(KgStore::open(store_path, base)?)
    } else {
        None
    };
    let bar = super::progress_bar(
        args.quiet,
        targets.len() as u64,
        "{bar:40} {pos}/{len} {elapsed_precise} {wide_msg}",
    );
    let mut tally = Tally::default();
    for t in &targets {
        bar.set_message(t.id.clone());
        let folder = fetch_one(&mut fetcher, t, &bar, &mut tally);
        if let (Some(store), Some(folder)) = (&store, folder) {
            for lang in &langs {
                let file = folder.join(format!("{}.txt", lang.code()));
                let input = crate::read::Input::under(&args.cache, file);
                tally.ingest_failed += usize::from(!ingest_fetched(store, base, lex, &input, &bar));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if let Some(store) = &store {
        store.flush()?;
    }
    Ok(tally.print(targets.len(), args.ingest))
}

/// The acts to fetch, without repeats, and the fetcher's options, from the arguments.
fn plan(args: &FetchArgs) -> Result<(Vec<Target>, FetchOptions)> {
    let mut targets: Vec<Target> = Vec::new();
    if let Some(f) = &args.from_file {
        targets.extend(fetch::read_list(f)?);
    }
    for id in &args.ids {
        targets.push(fetch::parse_target(id)?);
    }
    if targets.is_empty() {
        bail!("nothing to fetch: give act IDs or URLs, or --from-file");
    }
    let mut seen = std::collections::HashSet::new();
    targets.retain(|t| seen.insert(t.id.clone()));
    if !args.host.starts_with("http://") && !args.host.starts_with("https://") {
        bail!("--host {}: expected http://… or https://…", args.host);
    }
    let delay = super::seconds("delay", args.delay, false)?;
    let mut langs: Vec<PageLang> = args
        .lang
        .iter()
        .map(|l| match l {
            LangArg::Kaz => PageLang::Kaz,
            LangArg::Rus => PageLang::Rus,
        })
        .collect();
    langs.sort();
    langs.dedup();
    let opts = FetchOptions {
        host: args.host.trim_end_matches('/').to_string(),
        langs,
        cache: args.cache.clone(),
        delay,
        delay_max: super::seconds("delay-max", args.delay_max, false)?.max(delay),
        retry: Retry {
            retries: args.retries,
            backoff: super::seconds("backoff", args.backoff, false)?,
            max_backoff: super::seconds("max-backoff", args.max_backoff, false)?,
        },
        client: ClientOptions {
            user_agent: args.user_agent.clone(),
            timeout: super::seconds("timeout", args.timeout, false)?,
            ca_certs: args.ca_cert.clone(),
            cookies: true,
        },
        refresh: args.refresh,
    };
    Ok((targets, opts))
}

/// Ingests one fetched file, with its line; whether it did not fail.
fn ingest_fetched(
    store: &KgStore,
    base: &Base,
    lex: &Lexicon,
    input: &crate::read::Input,
    bar: &indicatif::ProgressBar,
) -> bool {
    let opts = pipeline::IngestOptions::default();
    let file = input.path.display();
    match pipeline::ingest_file_with(store, base, input, lex, &opts) {
        pipeline::IngestStatus::Stored { quads, summary, .. } => {
            super::print_line(bar, format!("  ingested {file}: {quads} quads — {summary}"))
        }
        pipeline::IngestStatus::Unchanged => {}
        pipeline::IngestStatus::Skipped(c) => {
            super::print_line(bar, format!("  skipped {file}: {}", c.class))
        }
        pipeline::IngestStatus::Failed(e) => {
            bar.suspend(|| eprintln!("error: {e}"));
            return false;
        }
    }
    true
}

/// Counts of a run.
#[derive(Default)]
struct Tally {
    saved: usize,
    not_modified: usize,
    skipped: usize,
    failed: Vec<String>,
    ingest_failed: usize,
}

impl Tally {
    /// Prints the closing lines; the exit code.
    fn print(&self, acts: usize, ingest: bool) -> ExitCode {
        println!(
            "{acts} acts: {} saved, {} not modified, {} already saved, {} failed{}",
            self.saved,
            self.not_modified,
            self.skipped,
            self.failed.len(),
            if ingest {
                format!("; {} documents failed to ingest", self.ingest_failed)
            } else {
                String::new()
            }
        );
        if !self.failed.is_empty() {
            println!(
                "failed: {} (run the same command again to fetch only these)",
                self.failed.join(" ")
            );
        }
        ExitCode::from(u8::from(!self.failed.is_empty() || self.ingest_failed > 0))
    }
}

/// Fetches one act, with its line; the folder it is saved in, unless it failed.
fn fetch_one(
    fetcher: &mut Fetcher,
    t: &Target,
    bar: &indicatif::ProgressBar,
    tally: &mut Tally,
) -> Option<std::path::PathBuf> {
    let mut note = |s: String| bar.suspend(|| eprintln!("note: {s}"));
    match fetcher.fetch(t, &mut note) {
        Ok(FetchStatus::Saved {
            folder,
            replaced,
            repealed,
        }) => {
            tally.saved += 1;
            let verb = if replaced { "updated" } else { "saved" };
            let status = if repealed { " (repealed)" } else { "" };
            super::print_line(
                bar,
                format!("{verb:9} {} → {}{status}", t.id, folder.display()),
            );
            Some(folder)
        }
        Ok(FetchStatus::NotModified { folder }) => {
            tally.not_modified += 1;
            super::print_line(
                bar,
                format!("unchanged {} (the server says not modified)", t.id),
            );
            Some(folder)
        }
        Ok(FetchStatus::Skipped { folder }) => {
            tally.skipped += 1;
            super::print_line(
                bar,
                format!("skipped   {} (already in {})", t.id, folder.display()),
            );
            Some(folder)
        }
        Err(e) => {
            tally.failed.push(t.id.clone());
            bar.suspend(|| eprintln!("error: {}: {e}", t.id));
            None
        }
    }
}
