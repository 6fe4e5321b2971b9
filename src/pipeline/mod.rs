//! The whole path of a document, stage by stage: read → decode → normalise → parse → extract → map to RDF → store.
//! Each step's error names the file; one bad document never stops or spoils the others.

use crate::classify::{ActClass, Classification};
use crate::decode::{decode, DecodeError, Decoded};
use crate::extract::{extract, ExtractError, Extraction};
use crate::lexicon::{Lang, Lexicon};
use crate::normalize::{normalize, NormText};
use crate::parse::{parse, Document};
use crate::rdf::iri::Base;
use crate::rdf::{document_graph, document_quads, provenance_quads, Provenance};
use crate::read::sidecar::Sidecar;
use crate::read::{read, Input, ReadError};
use crate::store::{KgStore, NewDocument, StoreError};
use oxigraph::model::Quad;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub mod batch;

/// A document taken through every stage but the store.
pub struct ExtractedDocument {
    /// Where it was read from.
    pub path: PathBuf,
    /// The name the graph knows it by (its path relative to the folder it was found in).
    pub name: String,
    /// Its decoded text.
    pub decoded: Decoded,
    /// Its normalised copy.
    pub norm: NormText,
    /// Its structure.
    pub doc: Document,
    /// What was extracted.
    pub extraction: Extraction,
    /// `sha256:<hex>` of its bytes.
    pub digest: String,
    /// Its sidecar metadata, when it has one that could be read.
    pub sidecar: Option<Sidecar>,
    /// The digest of its sidecar file (see [`SidecarFile::digest`]).
    pub sidecar_digest: Option<String>,
}

/// A document's sidecar file, looked for and read once.
#[derive(Debug, Default)]
pub struct SidecarFile {
    /// What it says, when it could be read and understood.
    pub sidecar: Option<Sidecar>,
    /// The warning to give when it exists but cannot be used (the document is still processed without it).
    pub problem: Option<String>,
    /// The digest of the file as it is on disk, readable or not, so that a sidecar that is fixed, added or removed
    /// makes the document be read again; `None` when there is no sidecar.
    pub digest: Option<String>,
}

/// The sidecar of a document, if any.
pub fn sidecar_of(path: &Path) -> SidecarFile {
    let Some(file) = crate::read::sidecar::sidecar_path(path) else {
        return SidecarFile::default();
    };
    match crate::read::sidecar::load(&file) {
        Ok(s) => SidecarFile {
            digest: Some(s.digest.clone()),
            sidecar: Some(s),
            problem: None,
        },
        // Not understood: its bytes still decide whether the stored graph is current.
        Err(e) => SidecarFile {
            sidecar: None,
            problem: Some(format!("sidecar not used: {e}")),
            digest: Some(
                std::fs::read(&file).map_or_else(|e| format!("unreadable: {e}"), |b| digest(&b)),
            ),
        },
    }
}

/// Why a document could not be taken through the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// It could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Its bytes are not text.
    #[error("{path}: {cause}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// The cause (part of the message, so that the error prints as one line).
        cause: DecodeError,
    },
    /// It is not a regulation the extractor can read.
    #[error("{path}: {cause}")]
    Extract {
        /// The file.
        path: PathBuf,
        /// The cause (part of the message).
        cause: ExtractError,
    },
    /// A bug in akimat-kg met this document; nothing of it was stored.
    #[error("{path}: internal error, please report it with this file: {message}")]
    Internal {
        /// The file.
        path: PathBuf,
        /// The panic message.
        message: String,
    },
    /// The store failed while writing it.
    #[error("{path}: {cause}")]
    Store {
        /// The file.
        path: PathBuf,
        /// The cause (part of the message).
        cause: StoreError,
    },
}

/// `sha256:<hex>` of some bytes (kept in [`crate::read`], the first stage that needs it).
pub use crate::read::digest;

/// Takes bytes through decode, normalise, parse and extract, with the document's sidecar (as read by
/// [`sidecar_of`]) when it has one. A bug that panics inside the stages is caught and reported as this document's
/// error, so that it cannot take the other documents down with it.
pub fn process_bytes(
    path: &Path,
    bytes: &[u8],
    lex: &Lexicon,
    sidecar: SidecarFile,
) -> Result<ExtractedDocument, DocError> {
    extract_guarded(path, bytes, digest(bytes), lex, sidecar)
}

/// [`process_bytes`] for bytes whose digest the caller has computed already.
fn extract_guarded(
    path: &Path,
    bytes: &[u8],
    digest: String,
    lex: &Lexicon,
    sidecar: SidecarFile,
) -> Result<ExtractedDocument, DocError> {
    let run = || decode_to_extraction(path, bytes, digest, lex, sidecar);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(DocError::Internal {
                path: path.to_path_buf(),
                message,
            })
        }
    }
}

fn decode_to_extraction(
    path: &Path,
    bytes: &[u8],
    digest: String,
    lex: &Lexicon,
    file: SidecarFile,
) -> Result<ExtractedDocument, DocError> {
    let (problem, sidecar_digest) = (file.problem.clone(), file.digest.clone());
    let (decoded, sidecar, norm, doc) = decode_and_parse(path, bytes, &digest, file, lex)?;
    // The class first: another act than a regulation's is not extracted; an amendment or repeal of an approving
    // act keeps only what makes it an act. A text in no language the extractor reads is refused by `extract`.
    let class = class_of(&doc, &norm, sidecar.as_ref(), lex);
    let mut extraction = match class {
        Some((lang, c)) if c.class == ActClass::Other => Extraction::skipped(lang, c),
        _ => {
            let e =
                extract(&doc, &norm, &decoded.text, lex, sidecar.as_ref()).map_err(|cause| {
                    DocError::Extract {
                        path: path.to_path_buf(),
                        cause,
                    }
                })?;
            match class {
                Some((_, c)) if c.class.holds_regulation() => Extraction {
                    class: Some(c),
                    ..e
                },
                Some((_, c)) => Extraction {
                    class: Some(c),
                    ..e.act_only()
                },
                None => e,
            }
        }
    };
    extraction.warnings.extend(problem);
    extraction.warnings.extend(
        decoded
            .warnings
            .iter()
            .map(|w| format!("reading the file: {w}")),
    );
    Ok(ExtractedDocument {
        path: path.to_path_buf(),
        name: crate::read::Input::file(path).name,
        decoded,
        norm,
        doc,
        extraction,
        digest,
        sidecar,
        sidecar_digest,
    })
}

/// What the header of an HTML page states, as a sidecar of the page itself.
fn page_sidecar(path: &Path, digest: &str, page: &crate::decode::html::Page) -> Sidecar {
    Sidecar {
        path: path.to_path_buf(),
        digest: digest.to_string(),
        titles: page.title.iter().map(|t| (None, t.clone())).collect(),
        requisites: page.requisites.iter().map(|r| (None, r.clone())).collect(),
        statuses: page
            .status
            .iter()
            .filter(|s| !s.label.is_empty())
            .map(|s| (None, s.label.clone()))
            .collect(),
        notes: page.notes.iter().map(|n| (None, n.clone())).collect(),
        ..Sidecar::default()
    }
}

/// Reads a file and its sidecar and classes the act it holds (decode, normalise, parse, classify): what `ingest`
/// decides from before it extracts anything.
pub fn classify_file(path: &Path, lex: &Lexicon) -> Result<Classification, DocError> {
    let source = read(path)?;
    let (_, sidecar, norm, doc) = decode_and_parse(
        path,
        &source.bytes,
        &digest(&source.bytes),
        sidecar_of(path),
        lex,
    )?;
    match class_of(&doc, &norm, sidecar.as_ref(), lex) {
        Some((_, c)) => Ok(c),
        None => Err(DocError::Extract {
            path: path.to_path_buf(),
            cause: ExtractError::UnsupportedLanguage(
                "too few Kazakh or Russian words to read".into(),
            ),
        }),
    }
}

/// Decodes, normalises and parses a document's bytes, with its sidecar: the file's, else what the header of a saved
/// Әділет page states.
fn decode_and_parse(
    path: &Path,
    bytes: &[u8],
    digest: &str,
    file: SidecarFile,
    lex: &Lexicon,
) -> Result<(Decoded, Option<Sidecar>, NormText, Document), DocError> {
    let decoded = decode(bytes).map_err(|cause| DocError::Decode {
        path: path.to_path_buf(),
        cause,
    })?;
    let sidecar = document_sidecar(path, digest, file, &decoded);
    let norm = normalize(&decoded.text);
    let doc = parse(&norm, lex);
    Ok((decoded, sidecar, norm, doc))
}

/// The language and class of a parsed document; `None` for a text in no language the extractor reads.
fn class_of(
    doc: &Document,
    norm: &NormText,
    sidecar: Option<&Sidecar>,
    lex: &Lexicon,
) -> Option<(Lang, Classification)> {
    match crate::extract::lang::detect(&norm.text) {
        crate::extract::lang::Detected::Supported(lang) => Some((
            lang,
            crate::classify::classify(doc, norm, lang, sidecar, lex),
        )),
        _ => None,
    }
}

/// A document's sidecar: its file's, else what the header of a saved Әділет page states.
fn document_sidecar(
    path: &Path,
    digest: &str,
    file: SidecarFile,
    decoded: &Decoded,
) -> Option<Sidecar> {
    file.sidecar.or_else(|| {
        decoded
            .page
            .as_ref()
            .filter(|p| p.requisites.is_some() || p.title.is_some())
            .map(|p| page_sidecar(path, digest, p))
    })
}

/// Reads a file and its sidecar and takes them through decode, normalise, parse and extract.
pub fn process_file(path: &Path, lex: &Lexicon) -> Result<ExtractedDocument, DocError> {
    let source = read(path)?;
    process_bytes(path, &source.bytes, lex, sidecar_of(path))
}

/// The quads of a processed document: its graph's name, its graph and its provenance record. The graph is named
/// from the act and the language the document holds ([`document_graph`]), and the provenance names the source
/// by its public address or its digest and its path relative to the folder it was found in, so that the same
/// documents give the same dataset on any machine, from any folder.
pub fn quads(
    p: &ExtractedDocument,
    base: &Base,
    lex: &Lexicon,
    generated_at: &str,
) -> (String, Vec<Quad>, Vec<Quad>) {
    let g = document_graph(&p.extraction, p.sidecar.as_ref(), &p.digest, base, lex);
    let quads = document_quads(&p.extraction, base, &g, lex);
    let source = p
        .sidecar
        .as_ref()
        .and_then(|s| s.source(p.extraction.lang))
        .filter(|url| oxigraph::model::NamedNode::new(*url).is_ok())
        .map(str::to_string)
        .unwrap_or_else(|| digest_iri(&p.digest));
    let sidecar_name = p.sidecar.as_ref().map(|s| sibling_name(&p.name, &s.path));
    let prov = provenance_quads(
        &Provenance {
            graph: &g,
            source: &source,
            name: &p.name,
            digest: &p.digest,
            lang: p.extraction.lang,
            generated_at,
            warnings: &p.extraction.warnings,
            sidecar: p.sidecar.as_ref(),
            sidecar_name: sidecar_name.as_deref(),
            sidecar_digest: p.sidecar_digest.as_deref(),
        },
        base,
    );
    (g, quads, prov)
}

/// The `ni:` IRI (RFC 6920, named information) of a digest `sha256:<hex>`: a name of the bytes themselves, the
/// same wherever they lie.
pub fn digest_iri(digest: &str) -> String {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::from("ni:///sha-256;");
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The name of a file beside a document (its sidecar) in the document's naming: the document's folder part and the
/// file's own name (`pairs/100709/meta.yaml` beside `pairs/100709/kaz.md`).
fn sibling_name(document_name: &str, file: &Path) -> String {
    let own = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match document_name.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{own}"),
        None => own,
    }
}

/// A short account of what a document gave.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ExtractionSummary {
    /// The institution's name.
    pub institution: Option<String>,
    /// Provisions by kind.
    pub provisions: BTreeMap<String, usize>,
    /// Number of citations.
    pub citations: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Whether the text was cut off.
    pub truncated: bool,
    /// What kind of act it is.
    pub class: Option<ActClass>,
}

impl ExtractionSummary {
    /// Summarises an extraction.
    pub fn of(e: &Extraction) -> ExtractionSummary {
        let mut provisions = BTreeMap::new();
        for p in &e.provisions {
            *provisions.entry(p.kind.clone()).or_insert(0) += 1;
        }
        ExtractionSummary {
            institution: e.institution.as_ref().map(|i| i.org.name.clone()),
            provisions,
            citations: e.citations.len(),
            warnings: e.warnings.len(),
            truncated: e.truncated,
            class: e.class.as_ref().map(|c| c.class),
        }
    }
}

impl std::fmt::Display for ExtractionSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.class {
            // An amendment or a repeal is stored as an act: what it names is in its citations.
            Some(c) if !c.holds_regulation() => write!(f, "{c}")?,
            _ => write!(
                f,
                "{}",
                self.institution.as_deref().unwrap_or("(no institution)")
            )?,
        }
        let kinds: Vec<String> = self
            .provisions
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        if !kinds.is_empty() {
            write!(f, "; {}", kinds.join(", "))?;
        }
        write!(f, "; {} citations", self.citations)?;
        if self.truncated {
            write!(f, "; cut off")?;
        }
        if self.warnings > 0 {
            write!(f, "; {} warnings", self.warnings)?;
        }
        Ok(())
    }
}

/// What happened to one file during ingestion.
#[derive(Debug)]
pub enum IngestStatus {
    /// Its graph was written (new or replaced).
    Stored {
        /// Quads in its graph.
        quads: usize,
        /// What it gave.
        summary: ExtractionSummary,
        /// Whether an older graph was replaced.
        replaced: bool,
    },
    /// Same bytes and extractor as the graph already stored: nothing written.
    Unchanged,
    /// Another act than a regulation's: not stored. Its class and the reason.
    Skipped(Classification),
    /// It failed; nothing of it was written.
    Failed(DocError),
}

/// Ingests one file: processes it and replaces its graph, unless the store already holds the graph of the same
/// bytes and sidecar made by the same extractor version (then nothing is written, so re-ingesting is idempotent).
/// The file is known by its own name; then the language versions of its act are aligned ([`crate::reconcile`]).
pub fn ingest_file(
    store: &KgStore,
    base: &Base,
    path: &Path,
    lex: &Lexicon,
    force: bool,
) -> IngestStatus {
    let opts = IngestOptions {
        force,
        ..IngestOptions::default()
    };
    ingest_file_with(store, base, &Input::file(path), lex, &opts)
}

/// How to ingest a file.
#[derive(Debug, Clone, Copy)]
pub struct IngestOptions {
    /// Re-extract even when the stored graph is up to date.
    pub force: bool,
    /// Largest document read, in bytes.
    pub max_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            force: false,
            max_bytes: crate::read::DEFAULT_MAX_BYTES,
        }
    }
}

/// [`ingest_file`] with all its options. The graph is written in its own transaction; [`batch::ingest_files`]
/// is the faster way to ingest many files.
pub fn ingest_file_with(
    store: &KgStore,
    base: &Base,
    input: &Input,
    lex: &Lexicon,
    opts: &IngestOptions,
) -> IngestStatus {
    let path = &input.path;
    if let Err(cause) = store.ensure_reference(base, lex) {
        return IngestStatus::Failed(DocError::Store {
            path: path.to_path_buf(),
            cause,
        });
    }
    match prepare(store, base, input, lex, opts) {
        PreparedFile::Unchanged(_) => IngestStatus::Unchanged,
        PreparedFile::Skipped(c) => IngestStatus::Skipped(c),
        PreparedFile::Failed(e) => IngestStatus::Failed(e),
        PreparedFile::ToWrite(mut r) => match align_with(store, base, &mut r, None) {
            Ok(_) => r.write(store),
            Err(cause) => IngestStatus::Failed(DocError::Store {
                path: path.to_path_buf(),
                cause,
            }),
        },
    }
}

/// Makes a document meet the other language version of its act ([`crate::reconcile`]): a Russian version takes the
/// IRIs of the Kazakh one, whose roles are given (`kk`, when the run has it) or read from the store; a Kazakh
/// version finds the Russian one in the store and has it rewritten in its own transaction ([`GraphToWrite::partner`]).
/// Returns whether a graph was renamed.
pub fn align_with(
    store: &KgStore,
    base: &Base,
    ready: &mut GraphToWrite,
    kk: Option<&crate::reconcile::Roles>,
) -> Result<bool, StoreError> {
    use crate::reconcile::{align, versions, Roles};
    let Some((lang, other)) = versions(&ready.doc.graph) else {
        return Ok(false);
    };
    match lang {
        Lang::Ru => {
            let stored;
            let kk = match kk {
                Some(k) => Some(k),
                None if store.record(&other)?.is_some() => {
                    stored = Roles::of(&store.document(&other)?.0);
                    Some(&stored)
                }
                None => None,
            };
            if let Some(k) = kk {
                let aligned = align(&ready.doc.quads, k, base);
                if aligned != ready.doc.quads {
                    ready.doc.quads = aligned;
                    return Ok(true);
                }
            }
        }
        Lang::Kk => {
            if store.record(&other)?.is_some() {
                let (quads, provenance) = store.document(&other)?;
                let aligned = align(&quads, &Roles::of(&ready.doc.quads), base);
                if aligned != quads {
                    ready.partner = Some(NewDocument {
                        graph: other,
                        quads: aligned,
                        provenance,
                    });
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// A file read, checked against the store and, when it needs writing, taken through every stage.
pub enum PreparedFile {
    /// The store holds the graph of the same bytes, sidecar and extractor: nothing to write. The graph's name.
    Unchanged(String),
    /// Another act than a regulation's: nothing to write. Its class and the reason.
    Skipped(Classification),
    /// It failed; nothing of it is to be written.
    Failed(DocError),
    /// Its graph, ready to be written.
    ToWrite(Box<GraphToWrite>),
}

/// A document's graph ready to be written.
pub struct GraphToWrite {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its graph and provenance record.
    pub doc: NewDocument,
    /// What it gave.
    pub summary: ExtractionSummary,
    /// Whether the store held a graph of it when it was read (then it is replaced, not added).
    pub replaced: bool,
    /// The other language version of its act, renamed to meet it, to be rewritten in the same transaction.
    pub partner: Option<NewDocument>,
}

impl GraphToWrite {
    /// Writes the graph in its own transaction, replacing the one stored (with its aligned partner, if any).
    pub fn write(self, store: &KgStore) -> IngestStatus {
        let d = &self.doc;
        let mut docs: Vec<(&str, &[Quad], &[Quad])> = vec![(&d.graph, &d.quads, &d.provenance)];
        if let Some(p) = &self.partner {
            docs.push((&p.graph, &p.quads, &p.provenance));
        }
        match store.replace_documents(&docs) {
            Ok(()) => IngestStatus::Stored {
                quads: d.quads.len(),
                summary: self.summary,
                replaced: self.replaced,
            },
            Err(cause) => IngestStatus::Failed(DocError::Store {
                path: self.path,
                cause,
            }),
        }
    }
}

/// Reads a file and, unless the store already holds a graph of the same bytes and sidecar made by the same
/// extractor version (or `opts.force`), takes it through every stage to its quads. Only reads the store, so several
/// threads can prepare files at once.
pub fn prepare(
    store: &KgStore,
    base: &Base,
    input: &Input,
    lex: &Lexicon,
    opts: &IngestOptions,
) -> PreparedFile {
    let path = &input.path;
    let source = match crate::read::read_at_most(path, opts.max_bytes) {
        Ok(s) => s,
        Err(e) => return PreparedFile::Failed(e.into()),
    };
    let store_failed = |cause| {
        PreparedFile::Failed(DocError::Store {
            path: path.to_path_buf(),
            cause,
        })
    };
    let d = digest(&source.bytes);
    let sidecar = sidecar_of(path);
    if !opts.force {
        match store.record_of_source(&d, sidecar.digest.as_deref(), crate::EXTRACTOR_VERSION) {
            Ok(Some(r)) => return PreparedFile::Unchanged(r.graph),
            Ok(None) => {}
            Err(cause) => return store_failed(cause),
        }
    }
    let mut processed = match extract_guarded(path, &source.bytes, d, lex, sidecar) {
        Ok(p) => p,
        Err(e) => return PreparedFile::Failed(e),
    };
    processed.name = input.name.clone();
    if let Some(c) = processed
        .extraction
        .class
        .as_ref()
        .filter(|c| c.class == ActClass::Other)
    {
        return PreparedFile::Skipped(c.clone());
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (graph, quads, provenance) = quads(&processed, base, lex, &now);
    let existing = match store.record(&graph) {
        Ok(r) => r,
        Err(cause) => return store_failed(cause),
    };
    PreparedFile::ToWrite(Box::new(GraphToWrite {
        path: path.to_path_buf(),
        doc: NewDocument {
            graph,
            quads,
            provenance,
        },
        summary: ExtractionSummary::of(&processed.extraction),
        replaced: existing.is_some(),
        partner: None,
    }))
}
