//! Ingesting many files: several threads read and extract while one writes, and the graphs of new documents are
//! added in batches through the store's bulk loader ([`crate::store::BulkAdd`]), each batch in one atomic step.
//! Documents the store already holds are replaced one transaction each, as [`super::ingest_file_with`] does.
//!
//! A document's outcome is reported once it is in the store (or has failed), so a "stored" line is never printed
//! for a graph a killed process did not keep.

use super::{
    prepare, DocError, ExtractionSummary, GraphToWrite, IngestOptions, IngestStatus, PreparedFile,
};
use crate::classify::ActClass;
use crate::lexicon::Lexicon;
use crate::rdf::iri::Base;
use crate::read::Input;
use crate::store::{BulkAdd, KgStore, StoreError};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::time::{Duration, Instant};

/// PreparedFile documents that may wait for the writer.
const IN_FLIGHT: usize = 256;

/// How to ingest a list of files.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// What applies to each file.
    pub ingest: IngestOptions,
    /// No file is started once this much time has passed since `started`.
    pub budget: Option<Duration>,
    /// When the run started (the time budget counts from it).
    pub started: Instant,
    /// New documents are written once their quads reach this number (and at the end).
    pub batch_quads: usize,
    /// Threads that read and extract.
    pub jobs: usize,
}

/// Default of [`BatchOptions::batch_quads`]: about 1,000 regulations. Larger batches mean fewer table files for
/// RocksDB to compact but a longer wait for the last one (on 10,000 generated regulations 1,000,000 beat 500,000
/// and 3,000,000); memory hardly depends on it, since quads go to disk as table files while a batch fills.
pub const DEFAULT_BATCH_QUADS: usize = 1_000_000;

impl BatchOptions {
    /// Defaults: no budget, [`DEFAULT_BATCH_QUADS`], one thread per core.
    pub fn new(ingest: IngestOptions) -> BatchOptions {
        BatchOptions {
            ingest,
            budget: None,
            started: Instant::now(),
            batch_quads: DEFAULT_BATCH_QUADS,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// What a run did.
#[derive(Debug, Default)]
pub struct BatchReport {
    /// Files whose graph was written.
    pub stored: usize,
    /// Files whose stored graph was up to date.
    pub unchanged: usize,
    /// Files that failed.
    pub failed: usize,
    /// Files of other acts than regulations', not stored.
    pub skipped: usize,
    /// Files read by the class of their act (stored or skipped; unchanged files are not read again).
    pub classes: std::collections::BTreeMap<ActClass, usize>,
    /// Files not started because the time budget was spent, in the order given.
    pub left: Vec<PathBuf>,
    /// Graphs of another language version rewritten so that the versions of one act share their resources.
    pub aligned: usize,
    /// Files whose act and language another file of the run holds too (the later one replaced the earlier).
    pub same_graph: Vec<(PathBuf, PathBuf)>,
}

/// Ingests files: makes sure the ontology graph is current, then prepares the files on `opts.jobs` threads, groups
/// the new documents into batches on this one, and writes on a thread of its own (the store's only writer, so
/// that batches and replacements reach it in order), calling `on` with each file's outcome as soon as it is final.
/// Fails only when the ontology graph cannot be written (the store is unusable); a document's failure is its
/// outcome.
pub fn ingest_files(
    store: &KgStore,
    base: &Base,
    files: &[Input],
    lex: &Lexicon,
    opts: &BatchOptions,
    mut on: impl FnMut(&Path, IngestStatus),
) -> Result<BatchReport, StoreError> {
    store.ensure_reference(base, lex)?;
    let batch = Batch {
        store,
        base,
        files,
        lex,
        opts,
    };
    let mut report = BatchReport::default();
    let aligned = AtomicUsize::new(0);
    // The graphs this run prepared, with the file of each: two files of one act and language replace each other.
    let mut touched: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    let mut same_graph: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut taken = vec![false; files.len()];
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        // Room for the documents prepared while the writer is busy (a regulation's graph is some 300 kB in memory).
        let (tx, rx) = sync_channel::<(usize, PreparedFile)>(IN_FLIGHT);
        for _ in 0..opts.jobs.max(1) {
            let tx = tx.clone();
            let (batch, next) = (&batch, &next);
            scope.spawn(move || batch.prepare_files(next, tx));
        }
        drop(tx);
        // The writer takes documents as they come; outcomes come back unbounded, so the writer never waits on
        // this side.
        let (ready, ready_rx) = sync_channel::<Box<GraphToWrite>>(IN_FLIGHT);
        let (done_tx, done) = channel::<(PathBuf, IngestStatus)>();
        let batch_quads = opts.batch_quads;
        let aligned = &aligned;
        scope.spawn(move || write(store, base, ready_rx, batch_quads, &done_tx, aligned));
        let mut record = |(path, outcome): (PathBuf, IngestStatus)| {
            report.count(&outcome);
            on(&path, outcome);
        };
        for (i, prepared) in rx {
            taken[i] = true;
            let path = files[i].path.clone();
            match prepared {
                PreparedFile::Unchanged(_) => record((path, IngestStatus::Unchanged)),
                PreparedFile::Skipped(c) => record((path, IngestStatus::Skipped(c))),
                PreparedFile::Failed(e) => record((path, IngestStatus::Failed(e))),
                PreparedFile::ToWrite(r) => {
                    if let Some(earlier) = touched.insert(r.doc.graph.clone(), path.clone()) {
                        same_graph.push((earlier, path.clone()));
                    }
                    // The writer ends only when this side hangs up, so sending cannot fail.
                    drop(ready.send(r))
                }
            }
            done.try_iter().for_each(&mut record);
        }
        drop(ready);
        done.iter().for_each(&mut record);
    });
    report.left = files
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(f, _)| f.path.clone())
        .collect();
    report.same_graph = same_graph;
    report.aligned = aligned.into_inner();
    // The tallies of the bodies the bulk loads touched are recounted now, once (and any a killed run left pending);
    // a failure to do so is the run's error, and the pending mark has the next writer recount them.
    store.settle_tallies()?;
    Ok(report)
}

impl BatchReport {
    /// Counts a file's outcome, and the class of its act where it was read.
    fn count(&mut self, outcome: &IngestStatus) {
        match outcome {
            IngestStatus::Stored { summary, .. } => {
                self.stored += 1;
                if let Some(c) = summary.class {
                    *self.classes.entry(c).or_default() += 1;
                }
            }
            IngestStatus::Unchanged => self.unchanged += 1,
            IngestStatus::Skipped(c) => {
                self.skipped += 1;
                *self.classes.entry(c.class).or_default() += 1;
            }
            IngestStatus::Failed(_) => self.failed += 1,
        }
    }
}

/// What a run reads, shared by its preparing threads.
struct Batch<'a> {
    store: &'a KgStore,
    base: &'a Base,
    files: &'a [Input],
    lex: &'a Lexicon,
    opts: &'a BatchOptions,
}

impl Batch<'_> {
    /// One preparing thread: prepares the next file no thread has taken and sends it with its place, until no
    /// file is left, the time budget is spent or the receiving side hangs up.
    fn prepare_files(&self, next: &AtomicUsize, tx: SyncSender<(usize, PreparedFile)>) {
        let opts = self.opts;
        let spent = || opts.budget.is_some_and(|b| opts.started.elapsed() >= b);
        loop {
            if spent() {
                break;
            }
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(input) = self.files.get(i) else {
                break;
            };
            let prepared = prepare(self.store, self.base, input, self.lex, &opts.ingest);
            if tx.send((i, prepared)).is_err() {
                break;
            }
        }
    }
}

/// The writer: new documents go into the open bulk load, committed once it holds `batch_quads` quads, before a
/// document that is not new (replaced in its own transaction, after the documents before it) and at the end.
///
/// Each document first meets the other language version of its act ([`super::align_with`]): a Russian version
/// takes the IRIs of a Kazakh one this run wrote (their roles are kept here, so the pair need not wait for a
/// commit) or the store holds; a Kazakh version whose Russian version is already written has that one rewritten
/// in its own transaction (after committing the open bulk load, should the Russian one be in it).
fn write(
    store: &KgStore,
    base: &Base,
    ready: Receiver<Box<GraphToWrite>>,
    batch_quads: usize,
    done: &Sender<(PathBuf, IngestStatus)>,
    aligned: &AtomicUsize,
) {
    std::thread::scope(|scope| {
        let mut writer = Writer {
            store,
            base,
            batch_quads,
            done,
            aligned,
            commits: Commits {
                scope,
                done,
                under_way: None,
            },
            open: store.bulk_add(),
            waiting: Vec::new(),
            kazakh: std::collections::HashMap::new(),
        };
        for r in ready {
            writer.take(r);
        }
        writer.finish();
    })
}

/// The state of [`write`].
struct Writer<'scope, 'env> {
    store: &'env KgStore,
    base: &'env Base,
    batch_quads: usize,
    done: &'env Sender<(PathBuf, IngestStatus)>,
    /// Documents rewritten to meet the other language version of their act.
    aligned: &'env AtomicUsize,
    commits: Commits<'scope, 'env>,
    /// The open bulk load.
    open: BulkAdd<'env>,
    /// The documents of the open bulk load: where each came from, its quads and what it gave.
    waiting: Vec<(PathBuf, usize, ExtractionSummary)>,
    /// The roles of the Kazakh versions this run wrote, for their Russian versions to meet.
    kazakh: std::collections::HashMap<String, crate::reconcile::Roles>,
}

impl Writer<'_, '_> {
    /// Takes one document: meets the other language version of its act, then adds it to the open bulk load if it
    /// is new, else writes it in its own transaction after everything before it.
    fn take(&mut self, mut r: Box<GraphToWrite>) {
        match self.align(&mut r) {
            Ok(true) => {
                self.aligned.fetch_add(1, Ordering::Relaxed);
            }
            Ok(false) => {}
            Err(cause) => {
                let path = r.path.clone();
                let _ = self.done.send((
                    path.clone(),
                    IngestStatus::Failed(DocError::Store { path, cause }),
                ));
                return;
            }
        }
        let graph = &r.doc.graph;
        let new = !r.replaced
            && r.partner.is_none()
            && !self.commits.holds(graph)
            && self.open.is_new(graph).unwrap_or(false);
        if !new {
            // Everything before it goes first, so that a replacement sees the store as the files say.
            self.commit_open();
            self.commits.wait();
            let _ = self.done.send((r.path.clone(), r.write(self.store)));
            return;
        }
        self.add_new(*r);
    }

    /// Meets the other language version of the document's act (see [`write`]): whether the document was
    /// rewritten to meet it.
    fn align(&mut self, r: &mut GraphToWrite) -> Result<bool, StoreError> {
        let versions = crate::reconcile::versions(&r.doc.graph);
        match &versions {
            Some((crate::lexicon::Lang::Ru, kk)) => {
                super::align_with(self.store, self.base, r, self.kazakh.get(kk))
            }
            Some((crate::lexicon::Lang::Kk, ru)) => {
                // Its Russian version may wait in the open bulk load or the commit under way: in first.
                if self.open.graphs().contains(ru) || self.commits.holds(ru) {
                    self.commit_open();
                    self.commits.wait();
                }
                let result = super::align_with(self.store, self.base, r, None);
                self.kazakh.insert(
                    r.doc.graph.clone(),
                    crate::reconcile::Roles::of(&r.doc.quads),
                );
                result
            }
            None => Ok(false),
        }
    }

    /// Adds a new document to the open bulk load, committed once it holds `batch_quads` quads.
    fn add_new(&mut self, r: GraphToWrite) {
        let GraphToWrite {
            path, doc, summary, ..
        } = r;
        let quads = doc.quads.len();
        let added = self.open.add(doc);
        // A failed add spoils the open bulk load: its commit then fails, and says so for every document.
        self.waiting.push((path, quads, summary));
        if added.is_err() || self.open.quads() >= self.batch_quads {
            self.commit_open();
        }
    }

    /// Commits the open bulk load (once the commit under way is done) and opens another.
    fn commit_open(&mut self) {
        self.commits.start(
            std::mem::replace(&mut self.open, self.store.bulk_add()),
            std::mem::take(&mut self.waiting),
        );
    }

    /// Commits the last bulk load and waits for it.
    fn finish(mut self) {
        self.commits.start(self.open, self.waiting);
        self.commits.wait();
    }
}

/// Bulk loads being committed: each on a thread of its own while the next batch fills, one at a time.
struct Commits<'scope, 'env> {
    scope: &'scope std::thread::Scope<'scope, 'env>,
    done: &'env Sender<(PathBuf, IngestStatus)>,
    /// The commit under way and the graphs it writes.
    under_way: Option<(std::thread::ScopedJoinHandle<'scope, ()>, HashSet<String>)>,
}

impl<'env> Commits<'_, 'env> {
    /// Whether the commit under way writes this graph.
    fn holds(&self, graph: &str) -> bool {
        self.under_way
            .as_ref()
            .is_some_and(|(_, graphs)| graphs.contains(graph))
    }

    /// Waits for the commit under way, if any.
    fn wait(&mut self) {
        if let Some((handle, _)) = self.under_way.take() {
            // Its thread reports every document it writes; a panic there would be a bug in Oxigraph or here.
            let _ = handle.join();
        }
    }

    /// Commits a bulk load once the one under way is done.
    fn start(&mut self, open: BulkAdd<'env>, waiting: Vec<(PathBuf, usize, ExtractionSummary)>) {
        self.wait();
        if waiting.is_empty() {
            return;
        }
        let graphs = open.graphs().clone();
        let done = self.done.clone();
        let handle = self
            .scope
            .spawn(move || report(open.commit(), waiting, &done));
        self.under_way = Some((handle, graphs));
    }
}

/// Sends the outcome of a commit for each of its documents.
fn report(
    result: Result<(), StoreError>,
    waiting: Vec<(PathBuf, usize, ExtractionSummary)>,
    done: &Sender<(PathBuf, IngestStatus)>,
) {
    let result = result.map_err(|e| e.to_string());
    let documents = waiting.len();
    for (path, quads, summary) in waiting {
        let outcome = match &result {
            Ok(()) => IngestStatus::Stored {
                quads,
                summary,
                replaced: false,
            },
            Err(message) => IngestStatus::Failed(DocError::Store {
                path: path.clone(),
                cause: StoreError::Bulk {
                    documents,
                    message: message.clone(),
                },
            }),
        };
        let _ = done.send((path, outcome));
    }
}
