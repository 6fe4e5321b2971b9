//! The command line: parses arguments, calls the library, prints. Every decision lives in the library.

mod fetch;
mod publish;

use crate::lexicon::Lexicon;
use crate::pipeline::{self, IngestStatus};
use crate::query::{self, ResultFormat};
use crate::rdf::iri::Base;
use crate::rdf::vocab::{DEFAULT_BASE, PREFIXES};
use crate::read::inputs;
use crate::store::KgStore;
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const ABOUT: &str = "Turns the regulations of Kazakhstan's local state bodies into a linked-data \
knowledge graph in an embedded SPARQL store.";

const LONG_ABOUT: &str = "Turns the regulations of Kazakhstan's local state bodies into a linked-data \
knowledge graph in an embedded SPARQL store.

A typical session:
  akimat-kg ingest data/regulations          # read every regulation into the store
  akimat-kg stats                            # what the store holds
  akimat-kg query queries/functions-of-institution.rq
  akimat-kg validate                         # check the graph against ontology/shapes.ttl
  akimat-kg export --format turtle -o kg.ttl

The store is a folder (Oxigraph on RocksDB); choose it with --store or AKIMAT_KG_STORE. Each source document is one \
named graph; queries see the union of all graphs as their default graph.";

#[derive(Parser)]
#[command(name = "akimat-kg", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    /// The store folder (created by `ingest` if missing).
    #[arg(
        long,
        global = true,
        env = "AKIMAT_KG_STORE",
        default_value = "akimat-kg-store"
    )]
    store: PathBuf,
    /// The base of the IRIs the graph mints.
    #[arg(long, global = true, env = "AKIMAT_KG_BASE", default_value = DEFAULT_BASE)]
    base: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reads regulations (files or folders, recursively) into the store, one named graph per document.
    ///
    /// Folders contribute their .txt, .md, .docx, .html and .htm files; a file named explicitly is read whatever its
    /// name. The format (plain text, Markdown, Word, HTML such as a saved Әділет page) and the encoding (UTF-8,
    /// UTF-16, windows-1251, KZ-1048) are found from the content. A file whose bytes and extractor version are those
    /// of the graph already stored is skipped, so ingesting twice changes nothing and an interrupted run is finished
    /// by running it again; a changed file has its graph replaced whole in one transaction. A file that fails is
    /// reported with its reason and the others are still stored; the exit code is 1 when any file failed or was
    /// left for lack of time.
    Ingest(IngestArgs),
    /// Extracts one document without a store and prints what it found.
    ///
    /// `json` is the extraction report (institution, resolution, provisions with offsets, citations, warnings);
    /// `tree` is the parsed structure; the RDF formats print the document's named graph.
    Extract {
        /// The document.
        file: PathBuf,
        /// Output format.
        #[arg(long, short, value_enum, default_value = "json")]
        format: ExtractFormat,
        /// Instead of the report, show for every provision the competence areas it was put into, with the rule of
        /// data/lexicon/competence-rules.tsv (by line) and the words that matched it.
        #[arg(long, conflicts_with = "format")]
        explain: bool,
    },
    /// Says what kind of act each document is, and why, without extracting or storing anything: an act approving
    /// regulations, an amendment or repeal of such an act, a regulation's text alone, or another act (which
    /// `ingest` skips). Takes files and folders as `ingest` does: one line per file (class, file, reason), then the
    /// counts by class.
    Classify {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Runs a SPARQL query over the union of all graphs.
    Query {
        /// A file holding the query (`-` for standard input).
        file: Option<PathBuf>,
        /// The query text itself.
        #[arg(short = 'e', long = "expr", conflicts_with = "file")]
        expr: Option<String>,
        /// Result format.
        #[arg(long, short, value_enum, default_value = "table")]
        format: ResultFormat,
    },
    /// Writes the whole store in an RDF format (to standard output unless -o is given).
    ///
    /// Quad formats (nquads, trig) keep the named graphs; triple formats write the union of all graphs.
    Export {
        /// RDF format.
        #[arg(long, short, value_enum, default_value = "nquads")]
        format: DumpFormat,
        /// Output file.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Counts what the store holds: documents, institutions, units, provisions by kind, acts, citations.
    Stats,
    /// Lists the units the documents name that the national gazetteer (data/reference/gazetteer.tsv) lacks, with
    /// every name the texts give them, the key of their name and their parent (queries/unknown-units.rq): where the
    /// gazetteer can grow from what was ingested.
    Units {
        /// Result format.
        #[arg(long, short, value_enum, default_value = "table")]
        format: ResultFormat,
    },
    /// Trains the competence classifier from the hand labels of data/labels/ and writes its weights
    /// (data/lexicon/competence-model.tsv).
    ///
    /// The labelled provisions of data/country/ are read by the extractor and paired with their labels; those of the
    /// held-out regions (data/country/studied.tsv) are never trained on. Settings are chosen by leaving one training
    /// region out at a time; the chosen model is fitted on all the training regions and measured, with the rules
    /// alone, on the held-out part. The report goes to standard output and into the table's header.
    TrainCompetence {
        /// The data folder whose labels, corpus and split are read (its parent holds the documents' paths).
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Where the model's table is written.
        #[arg(long, short, default_value = "data/lexicon/competence-model.tsv")]
        output: PathBuf,
        /// Report only: write no table.
        #[arg(long)]
        dry_run: bool,
    },
    /// The competence map: administrative units × competence areas, each cell the bodies holding the area in the
    /// unit with their provision counts and weights (queries/competence-matrix.rq).
    ///
    /// csv: one row per unit, area and body; json: units, areas and cells; html: a self-contained heat map page
    /// that a browser opens from disk (sortable, with links to the bodies).
    Map {
        /// Output format.
        #[arg(long, short, value_enum, default_value = "html")]
        format: MapFormat,
        /// Output file (standard output by default).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Language of the area names: kk, ru or en.
        #[arg(long, default_value = "kk")]
        lang: String,
    },
    /// Two bodies side by side: the competence areas they share and those only one holds, and for each shared area
    /// their most similar provisions paired.
    ///
    /// A body is given by its IRI or by its name (Kazakh or Russian, whole or a part that names one body).
    Compare {
        /// The first body.
        a: String,
        /// The second body.
        b: String,
        /// Output format.
        #[arg(long, short, value_enum, default_value = "text")]
        format: CompareFormat,
    },
    /// The competence areas that some body holds at a level of unit, and the units of that level where no body
    /// holds them (queries/competence-gaps.rq).
    Gaps {
        /// The level: district, city, region, republican-city, rural-district, city-district, town or village
        /// (all levels when omitted).
        #[arg(long)]
        level: Option<String>,
        /// Result format.
        #[arg(long, short, value_enum, default_value = "table")]
        format: GapsFormat,
    },
    /// Lists the citations of legal acts: per document (default), per act, or those that identify no act.
    ///
    /// Every citation is listed with how it reached its act: through the reference table (data/reference/acts.tsv),
    /// by date and number, by its issuer, or unresolved (kept as its own node with the text as written). The
    /// lists are the queries queries/citations-by-document.rq, citations-by-act.rq and unresolved-citations.rq.
    Citations {
        /// Group the citations by act instead of listing them per document.
        #[arg(long, value_enum, default_value = "document")]
        by: CitationView,
        /// Only the citations that identify no act (the curator's list for the reference table).
        #[arg(long, conflicts_with = "by")]
        unresolved: bool,
        /// Result format.
        #[arg(long, short, value_enum, default_value = "table")]
        format: ResultFormat,
    },
    /// Validates the store against SHACL shapes; exits with 1 when there are violations.
    Validate {
        /// Shapes file (Turtle); the project's ontology/shapes.ttl by default.
        #[arg(long)]
        shapes: Option<PathBuf>,
    },
    /// Removes a document's graph: give its file path or its graph IRI.
    Remove {
        /// The document's path or graph IRI.
        doc: String,
    },
    /// Serves the store over HTTP: SPARQL endpoint, linked data, dumps, query editor.
    ///
    /// /sparql (SPARQL 1.1 Protocol), /store (Graph Store Protocol, read), /dump.nq|trig|ttl|nt|jsonld|rdf, every
    /// IRI BASE+p at /p (HTML or RDF by Accept), /ontology, /competence/, /legal-form/, /.well-known/void, /ui (the
    /// query editor), /map, /health. Read-only by default; the store is followed while `ingest` writes it from
    /// another process. Stops on SIGTERM or Ctrl-C. The access log is JSON lines on standard error.
    Serve(ServeArgs),
    /// A query worker of `serve` (started by the server itself; reads jobs on standard input).
    #[command(hide = true)]
    QueryWorker,
    /// Downloads acts (both language versions) from the server-rendered Әділет pages into a cache folder, with their
    /// header metadata as a sidecar, and ingests them with --ingest.
    ///
    /// Polite: a browser's User-Agent, a cookie jar, a pause between requests, retries with backoff on 429, 5xx and
    /// time-outs. An act is saved whole or not at all; acts already saved are skipped (run again to finish an
    /// interrupted run), or asked for again conditionally with --refresh. Exit code 1 when any act failed.
    Fetch(fetch::FetchArgs),
    /// Pushes the named graphs to a remote triple store by the Graph Store Protocol (PUT, one graph per request)
    /// or SPARQL Update, then checks the remote's quad count of every graph.
    ///
    /// Graphs the remote already holds in the same version are skipped. The default graph (here the union, as a
    /// set, of the named graphs) is sent too, so the queries of queries/ give the same answers there; leave it out
    /// with --no-default-graph for a store that reads the union of its graphs as the default graph. Exit code 1
    /// when any graph failed or differs.
    Publish(publish::PublishArgs),
}

/// The options of `ingest`.
#[derive(clap::Args, Debug)]
struct IngestArgs {
    /// Files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Re-extract even files whose graph is up to date.
    #[arg(long)]
    force: bool,
    /// Largest document read, in bytes; a larger one is refused with its size.
    #[arg(long, default_value_t = crate::read::DEFAULT_MAX_BYTES)]
    max_doc_bytes: u64,
    /// Seconds the run may take: no document is started after them, and those left are listed (run the same
    /// command again to go on).
    #[arg(long)]
    time_budget: Option<f64>,
    /// No progress bar (also when standard error is not a terminal).
    #[arg(long)]
    quiet: bool,
    /// Threads that read and extract documents (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// New documents are added to the store in batches of about this many quads, each batch in one atomic
    /// bulk load (a document's "stored" line is printed once its batch is in the store).
    #[arg(long, default_value_t = pipeline::batch::DEFAULT_BATCH_QUADS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    batch_quads: usize,
    /// Leave the store uncompacted. By default a run that writes at least `--batch-quads` quads ends by
    /// compacting the store: bulk loads leave many overlapping table files, which make reads several times
    /// slower until a writer compacts them (readers never do).
    #[arg(long)]
    no_compact: bool,
    /// Empty the store first (every graph and record), then ingest: the way to bring a store made by an older
    /// version, which named graphs after local files, to this version's layout.
    #[arg(long)]
    rebuild: bool,
}

/// The options of `serve`.
#[derive(clap::Args, Debug)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:7878")]
    bind: std::net::SocketAddr,
    /// Seconds a query may run before it is stopped (answered 503).
    #[arg(long, default_value_t = 30.0)]
    query_timeout: f64,
    /// Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) one answer may hold (more is answered 422).
    #[arg(long, default_value_t = 100_000)]
    max_results: usize,
    /// Largest request body accepted, in bytes (more is answered 413).
    #[arg(long, default_value_t = 1_048_576)]
    max_body: usize,
    /// Queries evaluated at once; others wait for a slot within their timeout.
    #[arg(long, default_value_t = 8)]
    max_concurrent_queries: usize,
    /// Megabytes of query answers kept in memory per store snapshot (0: no cache).
    #[arg(long, default_value_t = 64)]
    cache_mb: u64,
    /// Origin allowed to call the server from a browser (CORS); repeat for several, `*` for any, `none` for
    /// no CORS headers.
    #[arg(long = "cors-origin", default_value = "*")]
    cors_origin: Vec<String>,
    /// Turn SPARQL Update on (opens the store read-write: no other process can ingest meanwhile).
    #[arg(long)]
    allow_update: bool,
    /// The token an update must carry as `Authorization: Bearer <token>`.
    #[arg(long, env = "AKIMAT_KG_UPDATE_TOKEN", hide_env_values = true)]
    update_token: Option<String>,
    /// Seconds between looks for data written by other processes.
    #[arg(long, default_value_t = 1.0)]
    refresh: f64,
    /// Append the access log to this file instead of standard error.
    #[arg(long)]
    access_log: Option<PathBuf>,
    /// Licence of the dataset, as stated in /.well-known/void.
    #[arg(long, default_value = "https://creativecommons.org/licenses/by/4.0/")]
    license: String,
}

/// How `map` writes the matrix.
#[derive(Clone, Copy, ValueEnum)]
enum MapFormat {
    /// One row per unit, area and body.
    Csv,
    /// Units, areas and cells.
    Json,
    /// A self-contained heat-map page.
    Html,
}

/// How `compare` writes its answer.
#[derive(Clone, Copy, ValueEnum)]
enum CompareFormat {
    /// A readable report.
    Text,
    /// The comparison as JSON.
    Json,
}

/// How `gaps` writes its list.
#[derive(Clone, Copy, ValueEnum)]
enum GapsFormat {
    /// An aligned table.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
}

/// How `citations` lists them.
#[derive(Clone, Copy, ValueEnum)]
enum CitationView {
    /// Every citation, per document, in the order of the text.
    Document,
    /// Per act: how many citations and documents name it.
    Act,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Json,
    Tree,
    Turtle,
    Trig,
    Nquads,
    Ntriples,
    Jsonld,
    Rdfxml,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum DumpFormat {
    Nquads,
    Trig,
    Turtle,
    Ntriples,
    Jsonld,
    Rdfxml,
}

impl DumpFormat {
    /// The RDF format this name stands for.
    fn rdf(self) -> RdfFormat {
        match self {
            DumpFormat::Nquads => RdfFormat::NQuads,
            DumpFormat::Trig => RdfFormat::TriG,
            DumpFormat::Turtle => RdfFormat::Turtle,
            DumpFormat::Ntriples => RdfFormat::NTriples,
            DumpFormat::Jsonld => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            DumpFormat::Rdfxml => RdfFormat::RdfXml,
        }
    }
}

impl ExtractFormat {
    /// The RDF format of the graph, or `None` for the report and the tree.
    fn rdf(self) -> Option<RdfFormat> {
        Some(
            match self {
                ExtractFormat::Json | ExtractFormat::Tree => return None,
                ExtractFormat::Turtle => DumpFormat::Turtle,
                ExtractFormat::Trig => DumpFormat::Trig,
                ExtractFormat::Nquads => DumpFormat::Nquads,
                ExtractFormat::Ntriples => DumpFormat::Ntriples,
                ExtractFormat::Jsonld => DumpFormat::Jsonld,
                ExtractFormat::Rdfxml => DumpFormat::Rdfxml,
            }
            .rdf(),
        )
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    // A bug met while processing one document is reported as that document's error (see
    // `pipeline::process_bytes`); keep the report to one line instead of the default multi-line panic message.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("internal error{location} (please report it)");
    }));
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader of the output went away (`… | head`): nothing more to say.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn base(cli: &Cli) -> Result<Base> {
    Base::new(&cli.base).context("--base")
}

/// Opens the store for reading only; warns when its competence tallies may be out of date (a store made before they
/// existed, or an ingest killed before writing them), since the competence answers read them.
fn open_for_reading(cli: &Cli) -> Result<KgStore> {
    let store = KgStore::open_read_only(&cli.store, &base(cli)?)?;
    if store.tallies_stale()? {
        eprintln!(
            "warning: the competence tallies of the store at {} may be out of date (profiles, the matrix, gaps and \
             provisions by kind read them); the next `akimat-kg ingest` into this store recounts them",
            cli.store.display()
        );
    }
    Ok(store)
}

fn run(cli: Cli) -> Result<ExitCode> {
    // The tables of data/ (the competence model alone is 6 MB) are loaded by the commands that read documents or
    // classify provisions, and checked before any document is read; queries, exports and the server's query
    // workers start without them.
    let tables = || -> Result<&'static Lexicon> {
        crate::decode::check_tables().context("the tables of data/ (or of AKIMAT_KG_DATA)")?;
        Lexicon::try_get().context("the tables of data/ (or of AKIMAT_KG_DATA)")
    };
    match &cli.command {
        Command::Ingest(args) => ingest_command(&cli, tables()?, args),
        Command::Extract {
            file,
            explain: true,
            ..
        } => explain_competences(tables()?, file),
        Command::Extract { file, format, .. } => extract(&cli, tables()?, file, *format),
        Command::Classify { paths } => classify_command(tables()?, paths),
        Command::Query { file, expr, format } => {
            query_command(&cli, file.as_deref(), expr.as_deref(), *format)
        }
        Command::Export { format, output } => export_command(&cli, *format, output.as_deref()),
        Command::Citations {
            by,
            unresolved,
            format,
        } => {
            let (name, text) = match (unresolved, by) {
                (true, _) => query::ready::UNRESOLVED_CITATIONS,
                (false, CitationView::Act) => query::ready::CITATIONS_BY_ACT,
                (false, CitationView::Document) => query::ready::CITATIONS_BY_DOCUMENT,
            };
            ready_query(&cli, name, text, *format)
        }
        Command::Map {
            format,
            output,
            lang,
        } => map_command(&cli, *format, output.as_deref(), lang),
        Command::Compare { a, b, format } => compare_command(&cli, tables()?, a, b, *format),
        Command::Gaps { level, format } => gaps_command(&cli, tables()?, level.as_deref(), *format),
        Command::Units { format } => {
            let (name, text) = query::ready::UNKNOWN_UNITS;
            ready_query(&cli, name, text, *format)
        }
        Command::TrainCompetence {
            data,
            output,
            dry_run,
        } => train_command(tables()?, data, output, *dry_run),
        Command::Stats => stats_command(&cli),
        Command::Validate { shapes } => validate_command(&cli, shapes.as_deref()),
        Command::Serve(args) => serve_command(&cli, args),
        Command::QueryWorker => worker_command(&cli),
        Command::Fetch(args) => fetch::run(args, &cli.store, &base(&cli)?, tables()?),
        Command::Publish(args) => publish::run(args, &cli.store, &base(&cli)?),
        Command::Remove { doc } => remove_command(&cli, doc),
    }
}

/// A number of seconds given for `--name`: finite and not negative, and where `positive` above 0 and under a day
/// (a server's timeouts and intervals).
fn seconds(name: &str, v: f64, positive: bool) -> Result<std::time::Duration> {
    let fits = if positive {
        v.is_finite() && v > 0.0 && v < 86_400.0
    } else {
        v.is_finite() && v >= 0.0
    };
    match std::time::Duration::try_from_secs_f64(v) {
        Ok(d) if fits => Ok(d),
        _ if positive => bail!("--{name} must be a number of seconds above 0, got {v}"),
        _ => bail!("--{name} {v}: expected seconds, 0 or more"),
    }
}

/// `stats`.
fn stats_command(cli: &Cli) -> Result<ExitCode> {
    let store = open_for_reading(cli)?;
    print!("{}", crate::stats::stats(store.inner())?);
    Ok(ExitCode::SUCCESS)
}

/// The query worker the server starts (hidden command).
fn worker_command(cli: &Cli) -> Result<ExitCode> {
    let base = base(cli)?;
    crate::serve::worker::worker_main(&cli.store, &base.iri(""))
        .map_err(|e| anyhow::anyhow!("query worker: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on standard error: hidden when `quiet` or when standard error is not a terminal.
fn progress_bar(quiet: bool, length: u64, template: &str) -> indicatif::ProgressBar {
    if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(length);
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// The graphs a document given on the command line stands for: an IRI is itself; a file, the graphs made from its
/// bytes (graphs are named from acts, not files: a file is found by the digest of its bytes).
fn graphs_of(store: &KgStore, doc: &str) -> Result<Vec<String>> {
    if doc.starts_with("http://") || doc.starts_with("https://") {
        return Ok(vec![doc.to_string()]);
    }
    let bytes = std::fs::read(doc).context("cannot read the file")?;
    Ok(store.graphs_from_source(&pipeline::digest(&bytes))?)
}

/// `ingest`: the options as the pipeline takes them.
fn ingest_command(cli: &Cli, lex: &Lexicon, args: &IngestArgs) -> Result<ExitCode> {
    let mut opts = pipeline::batch::BatchOptions::new(pipeline::IngestOptions {
        force: args.force,
        max_bytes: args.max_doc_bytes,
    });
    opts.budget = args
        .time_budget
        .map(|s| seconds("time-budget", s, false))
        .transpose()?;
    opts.batch_quads = args.batch_quads;
    if let Some(j) = args.jobs {
        opts.jobs = usize::from(j);
    }
    ingest(
        cli,
        lex,
        &args.paths,
        &opts,
        args.quiet,
        !args.no_compact,
        args.rebuild,
    )
}

/// `classify`: the class of each file, then the counts; exit code 1 when a file could not be read.
fn classify_command(lex: &Lexicon, paths: &[PathBuf]) -> Result<ExitCode> {
    let (files, errors) = inputs(paths);
    for e in &errors {
        eprintln!("error: {e}");
    }
    let mut counts: std::collections::BTreeMap<crate::classify::ActClass, usize> =
        std::collections::BTreeMap::new();
    let mut failed = errors.len();
    for f in &files {
        match pipeline::classify_file(&f.path, lex) {
            Ok(c) => {
                println!("{}\t{}\t{}", c.class, f.name, c.reason);
                *counts.entry(c.class).or_default() += 1;
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
            }
        }
    }
    let counts: Vec<String> = counts.iter().map(|(c, n)| format!("{n} {c}")).collect();
    eprintln!(
        "{} files: {}; {failed} failed",
        files.len() + errors.len(),
        counts.join(", ")
    );
    Ok(ExitCode::from(u8::from(failed > 0)))
}

/// `query`: a query from a file, standard input or `-e`.
fn query_command(
    cli: &Cli,
    file: Option<&Path>,
    expr: Option<&str>,
    format: ResultFormat,
) -> Result<ExitCode> {
    let (text, name) = match (file, expr) {
        (_, Some(e)) => (e.to_string(), "-e".to_string()),
        (Some(f), None) if f.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
            (s, "<stdin>".to_string())
        }
        (Some(f), None) => (
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?,
            f.display().to_string(),
        ),
        (None, None) => bail!("give a query file or -e 'SPARQL'"),
    };
    ready_query(cli, &name, &text, format)
}

/// Runs one query on the store and writes its answer.
fn ready_query(cli: &Cli, name: &str, text: &str, format: ResultFormat) -> Result<ExitCode> {
    let store = open_for_reading(cli)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    query::run(store.inner(), text, name, format, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// Standard output, or a file created for writing.
fn output_to(output: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// `export`.
fn export_command(cli: &Cli, format: DumpFormat, output: Option<&Path>) -> Result<ExitCode> {
    let store = open_for_reading(cli)?;
    let mut out = output_to(output)?;
    export(store.inner(), format.rdf(), &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `map`.
fn map_command(
    cli: &Cli,
    format: MapFormat,
    output: Option<&Path>,
    lang: &str,
) -> Result<ExitCode> {
    let store = open_for_reading(cli)?;
    let m = crate::competence::matrix(store.inner(), lang)?;
    let text = match format {
        MapFormat::Json => serde_json::to_string_pretty(&m)? + "\n",
        MapFormat::Html => crate::competence::html::render(&m, "akimat-kg: competence map"),
        MapFormat::Csv => crate::output::map_csv(&m)?,
    };
    match output {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `compare`.
fn compare_command(
    cli: &Cli,
    lex: &Lexicon,
    a: &str,
    b: &str,
    format: CompareFormat,
) -> Result<ExitCode> {
    let store = open_for_reading(cli)?;
    let (a, b) = (
        crate::competence::find_body(store.inner(), a)?,
        crate::competence::find_body(store.inner(), b)?,
    );
    let c = crate::competence::compare(store.inner(), &a, &b, lex)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        CompareFormat::Json => crate::output::json(&mut out, &c)?,
        CompareFormat::Text => crate::output::comparison_text(&mut out, &c)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `gaps`.
fn gaps_command(
    cli: &Cli,
    lex: &Lexicon,
    level: Option<&str>,
    format: GapsFormat,
) -> Result<ExitCode> {
    let store = open_for_reading(cli)?;
    let level = level
        .map(|l| crate::competence::level_type(l, lex))
        .transpose()?;
    let gaps = crate::competence::gaps(store.inner(), level.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        GapsFormat::Json => crate::output::json(&mut out, &gaps)?,
        GapsFormat::Csv => crate::output::gaps_csv(&mut out, &gaps)?,
        GapsFormat::Table => crate::output::gaps_table(&mut out, &gaps)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `train-competence`.
fn train_command(lex: &Lexicon, data: &Path, output: &Path, dry_run: bool) -> Result<ExitCode> {
    let report = crate::train::train(data, lex, &crate::train::grid())?;
    let text = report.text();
    print!("{text}");
    if !dry_run {
        let header = format!(
            "The competence model: one logistic regression per area over word stems, stem pairs, the \
             provision's kind\nand the rules' areas. Written by `akimat-kg train-competence` from the labels \
             of data/labels/; do not edit by hand.\n\n{text}"
        );
        let table = report.model.to_table(&header);
        std::fs::write(output, table)
            .with_context(|| format!("cannot write {}", output.display()))?;
        eprintln!("wrote {}", output.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `validate`: the SHACL report and the language versions that do not pair up.
fn validate_command(cli: &Cli, shapes: Option<&Path>) -> Result<ExitCode> {
    let store = open_for_reading(cli)?;
    let (text, name) = match shapes {
        Some(p) => (
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
            p.display().to_string(),
        ),
        None => (crate::SHAPES.to_string(), "ontology/shapes.ttl".to_string()),
    };
    let shapes = crate::validate::ShapesGraph::from_turtle(&text, &name)?;
    let report = crate::validate::validate(store.inner(), &shapes)?;
    println!("{report}");
    // The two language versions of a regulation that do not pair up: shown as warnings, since the
    // graph then faithfully holds what the two texts say.
    let mismatches = crate::bilingual::mismatches(store.inner())?;
    if !mismatches.is_empty() {
        println!(
            "{} language mismatch{} (warnings; queries/language-mismatches.rq lists them too):",
            mismatches.len(),
            if mismatches.len() == 1 { "" } else { "es" }
        );
        for m in &mismatches {
            println!("Warning    {m}");
        }
    }
    Ok(if report.conforms {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `serve`.
fn serve_command(cli: &Cli, args: &ServeArgs) -> Result<ExitCode> {
    let ServeArgs {
        bind,
        query_timeout,
        max_results,
        max_body,
        max_concurrent_queries,
        cache_mb,
        cors_origin,
        allow_update,
        update_token,
        refresh,
        access_log,
        license,
    } = args;
    if oxigraph::model::NamedNode::new(license.as_str()).is_err() {
        bail!("--license must be an absolute IRI, got {license:?}");
    }
    let options = crate::serve::ServeOptions {
        store: cli.store.clone(),
        base: base(cli)?,
        bind: *bind,
        limits: crate::serve::Limits {
            timeout: seconds("query-timeout", *query_timeout, true)?,
            max_results: *max_results,
        },
        max_body: *max_body,
        max_concurrent_queries: *max_concurrent_queries,
        cache_bytes: cache_mb.saturating_mul(1024 * 1024),
        cors_origins: cors_origin
            .iter()
            .filter(|o| o.as_str() != "none")
            .cloned()
            .collect(),
        allow_update: *allow_update,
        update_token: update_token.clone(),
        refresh: seconds("refresh", *refresh, true)?,
        access_log: access_log.clone(),
        license: license.clone(),
    };
    crate::serve::run(options)?;
    Ok(ExitCode::SUCCESS)
}

/// `remove`: a document by its file (found by the digest of its bytes) or its graph's IRI.
fn remove_command(cli: &Cli, doc: &str) -> Result<ExitCode> {
    let base = base(cli)?;
    let store = KgStore::open_existing(&cli.store, &base)?;
    let graphs = graphs_of(&store, doc).with_context(|| doc.to_string())?;
    if graphs.is_empty() {
        eprintln!(
            "error: {doc}: no graph in the store was made from this file's bytes (changed since it was \
             ingested?); give the graph's IRI instead"
        );
        return Ok(ExitCode::from(1));
    }
    let mut missing = false;
    for graph in graphs {
        if store.remove_document(&graph)? {
            println!("removed {graph}");
        } else {
            eprintln!("error: {doc}: no such document in the store (graph {graph})");
            missing = true;
        }
    }
    Ok(if missing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What an ingest says besides its lines per file: documents the time budget left, two files of one act and
/// language, the Russian versions aligned with their Kazakh ones.
fn print_ingest_notes(report: &pipeline::batch::BatchReport, quiet: bool) {
    for file in &report.left {
        eprintln!("not ingested (time budget spent): {}", file.display());
    }
    for (earlier, later) in &report.same_graph {
        eprintln!(
            "warning: {} and {} hold the same act in the same language: the graph holds the later one",
            earlier.display(),
            later.display()
        );
    }
    if report.aligned > 0 && !quiet {
        eprintln!(
            "aligned {} Russian version{} with {} Kazakh version",
            report.aligned,
            if report.aligned == 1 { "" } else { "s" },
            if report.aligned == 1 { "its" } else { "their" }
        );
    }
}

/// Compacts the store after a large run and says how long it took. Bulk loads leave overlapping table files that
/// every read must merge; the writer compacts them, since the read-only commands never do.
fn compact_store(store: &KgStore, written: usize, quiet: bool) -> Result<String> {
    if !quiet {
        eprintln!("compacting the store after {written} quads written");
    }
    let started = std::time::Instant::now();
    store.compact()?;
    Ok(format!(
        "; store compacted in {:.1} s",
        started.elapsed().as_secs_f64()
    ))
}

/// `ingest`: reads the files into the store, a line per file, and the summary line.
fn ingest(
    cli: &Cli,
    lex: &Lexicon,
    paths: &[PathBuf],
    opts: &pipeline::batch::BatchOptions,
    quiet: bool,
    compact: bool,
    rebuild: bool,
) -> Result<ExitCode> {
    let base = base(cli)?;
    let (files, errors) = inputs(paths);
    let store = KgStore::open(&cli.store, &base)?;
    if rebuild {
        store.clear()?;
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    let bar = progress_bar(quiet, files.len() as u64, "{bar:40} {pos}/{len} {wide_msg}");
    let mut written = 0usize;
    let report =
        pipeline::batch::ingest_files(&store, &base, &files, lex, opts, |file, status| {
            written += print_ingested(&bar, file, status);
            bar.inc(1);
        })?;
    bar.finish_and_clear();
    store.flush()?;
    print_ingest_notes(&report, quiet);
    let compacted = if compact && written >= opts.batch_quads {
        compact_store(&store, written, quiet)?
    } else {
        String::new()
    };
    Ok(print_ingest_end(
        &report,
        files.len() + errors.len(),
        errors.len(),
        (written, &compacted),
        opts.budget.unwrap_or_default(),
    ))
}

/// The closing lines of `ingest`: counts of files, by class, and quads; the exit code (1 when a file failed or the
/// time budget left files unread).
fn print_ingest_end(
    report: &pipeline::batch::BatchReport,
    files: usize,
    errors: usize,
    (written, compacted): (usize, &str),
    budget: std::time::Duration,
) -> ExitCode {
    let failed = report.failed + errors;
    let left_note = if report.left.is_empty() {
        String::new()
    } else {
        format!(
            ", {} not ingested: the time budget of {:.0} s was spent (run the same command again to go on)",
            report.left.len(),
            budget.as_secs_f64()
        )
    };
    // The quads written, not the store's size: counting the store reads all of it (over a second for 10 million
    // quads); `akimat-kg stats` says what it holds.
    println!(
        "{files} files: {} stored, {} unchanged, {} skipped, {failed} failed{left_note}; {written} quads written{compacted}",
        report.stored,
        report.unchanged,
        report.skipped,
    );
    if !report.classes.is_empty() {
        let classes: Vec<String> = report
            .classes
            .iter()
            .map(|(c, n)| format!("{n} {c}"))
            .collect();
        println!("read by class: {}", classes.join(", "));
    }
    ExitCode::from(u8::from(failed > 0 || !report.left.is_empty()))
}

/// The line of one file ingested; the quads it wrote.
fn print_ingested(bar: &indicatif::ProgressBar, file: &Path, status: IngestStatus) -> usize {
    match status {
        IngestStatus::Stored {
            quads,
            summary,
            replaced,
        } => {
            let verb = if replaced { "replaced" } else { "stored" };
            print_line(
                bar,
                format!("{verb:9} {}: {quads} quads — {summary}", file.display()),
            );
            quads
        }
        IngestStatus::Unchanged => {
            print_line(bar, format!("unchanged {}", file.display()));
            0
        }
        IngestStatus::Skipped(c) => {
            print_line(
                bar,
                format!("skipped   {}: {} — {}", file.display(), c.class, c.reason),
            );
            0
        }
        IngestStatus::Failed(e) => {
            bar.suspend(|| eprintln!("error: {e}"));
            0
        }
    }
}

/// Prints a line above the progress bar, or plainly when there is no bar.
pub(crate) fn print_line(bar: &indicatif::ProgressBar, line: String) {
    if bar.is_hidden() {
        println!("{line}");
    } else {
        bar.println(line);
    }
}

/// `extract --explain`: every provision with its areas and what put it there: a rule and the words it matched, or
/// the model's probability with the rule or the features that weighed most.
fn explain_competences(lex: &Lexicon, file: &Path) -> Result<ExitCode> {
    let processed = pipeline::process_file(file, lex)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for p in &processed.extraction.provisions {
        let text: String = p.text.chars().take(90).collect();
        writeln!(out, "{} {} {}", p.kind, p.number, text)?;
        if p.competences.is_empty() {
            writeln!(out, "    (no area)")?;
        }
        for h in &p.competences {
            let why = match (h.rule, h.score) {
                (Some(rule), None) => format!(
                    "rule {rule:>4} of data/lexicon/competence-rules.tsv matched {:?}",
                    h.words
                ),
                (Some(rule), Some(score)) => format!(
                    "model {score:.3} of data/lexicon/competence-model.tsv, with rule {rule} matching {:?}",
                    h.words
                ),
                (None, score) => format!(
                    "model {:.3} of data/lexicon/competence-model.tsv, strongest features {}",
                    score.unwrap_or_default(),
                    h.words
                ),
            };
            writeln!(out, "    {:<34} {why}", h.area)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn extract(cli: &Cli, lex: &Lexicon, file: &Path, format: ExtractFormat) -> Result<ExitCode> {
    let processed = pipeline::process_file(file, lex)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match (format, format.rdf()) {
        (ExtractFormat::Tree, _) => {
            serde_json::to_writer_pretty(&mut out, &processed.doc)?;
            writeln!(out)?;
        }
        (_, None) => {
            serde_json::to_writer_pretty(&mut out, &processed.extraction)?;
            writeln!(out)?;
        }
        (_, Some(format)) => {
            let base = base(cli)?;
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let (_, quads, prov) = pipeline::quads(&processed, &base, lex, &now);
            let store = oxigraph::store::Store::new()?;
            let union: Vec<oxigraph::model::Quad> = quads
                .iter()
                .map(|q| {
                    oxigraph::model::Triple::from(q.clone())
                        .in_graph(oxigraph::model::GraphName::DefaultGraph)
                })
                .collect();
            store.extend(quads.into_iter().chain(prov).chain(union))?;
            export(&store, format, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes a store in a format. Quad formats get the named graphs (the default graph is their union, derived, and
/// left out so that a store loading the dump holds each triple once per document); triple formats get the default
/// graph, the union of all documents.
pub fn export(
    store: &oxigraph::store::Store,
    format: RdfFormat,
    out: &mut dyn Write,
) -> Result<()> {
    if let RdfFormat::JsonLd { .. } = format {
        // Expanded JSON-LD, one graph object per named graph: readable with no context and no network.
        let mut w = crate::rdf::jsonld::ExpandedWriter::new(out)?;
        for q in store.iter() {
            let q = q?;
            if !q.graph_name.is_default_graph() {
                w.add(q.as_ref())?;
            }
        }
        w.finish()?;
        return Ok(());
    }
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(
        format,
        RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml
    ) {
        for (p, ns) in PREFIXES {
            serializer = serializer.with_prefix(*p, *ns)?;
        }
    }
    let mut w = serializer.for_writer(out);
    if format.supports_datasets() {
        for q in store.iter() {
            let q = q?;
            if !q.graph_name.is_default_graph() {
                w.serialize_quad(&q)?;
            }
        }
    } else {
        for q in store.quads_for_pattern(
            None,
            None,
            None,
            Some(oxigraph::model::GraphNameRef::DefaultGraph),
        ) {
            let q = q?;
            w.serialize_triple(oxigraph::model::TripleRef::from(q.as_ref()))?;
        }
    }
    w.finish()?;
    Ok(())
}
