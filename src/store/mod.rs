//! Stage 7: the embedded Oxigraph store.
//!
//! Input: the quads of one document's graph and its provenance. Output: the store, where each document's graph is
//! written whole together with its provenance record, new ones in atomic bulk loads ([`BulkAdd`]) and stored ones
//! replaced in one transaction each, so that a reader sees either the old graph or the new one, never a mix. The
//! metadata graph (`<base>graph/meta`) says which graph came from which file. The default graph is kept equal to
//! the union of all named graphs, as a set (see [`sync_union`]).

pub mod tally;

use crate::rdf::iri::{meta_graph, Base};
use crate::rdf::vocab::{term, AKG, PROV};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};

/// A store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store folder could not be opened (missing, locked by another process, corrupted).
    #[error("cannot open the store at {path}: {message}")]
    Open {
        /// The folder.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// A read or write failed.
    #[error("store error: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// [`BulkAdd::add`] was given a graph the store or the batch already holds (a bug in the caller: such a
    /// document must be replaced through [`KgStore::replace_document`]).
    #[error("the store already holds the graph {0}; it can only be replaced, not added")]
    NotNew(String),
    /// The store was written by an older akimat-kg whose graphs and provenance named local files.
    #[error(
        "the store at {path} was made by an older akimat-kg, which named its graphs after local file paths; \
         ingest into a new store (--store NEW_DIR), or run `akimat-kg ingest --rebuild PATH…` to empty this one and \
         ingest again"
    )]
    OldFormat {
        /// The store folder.
        path: PathBuf,
    },
    /// A bulk load failed; none of its documents was stored.
    #[error("the bulk load of {documents} documents failed, none of them was stored: {message}")]
    Bulk {
        /// Documents in the failed load.
        documents: usize,
        /// The cause.
        message: String,
    },
}

/// Quads (with their default-graph copies) handed to the bulk loader at a time; each such chunk is sorted into
/// table files by a thread of its own, two at most at once.
const BULK_CHUNK: usize = 400_000;

/// Room for the quads of the document that fills a chunk: the buffer is allocated once at this size, so that it
/// is not grown (copied and its fresh pages zeroed again) while it fills.
const BULK_SLACK: usize = 20_000;

/// New documents being added through Oxigraph's bulk loader: their quads, provenance records and default-graph
/// copies are sorted into RocksDB table files by background threads while more documents come, and
/// [`BulkAdd::commit`] ingests the files of every index in one atomic step (RocksDB records the ingestion of
/// several column families in its manifest at once). A process killed before that step leaves the store as it
/// was (the table files left behind are removed by the next [`KgStore::open`]); after it, every document of the
/// batch is whole. Several times faster than one transaction per document, whose writes go through the memtable of
/// every index, and bounded in memory: a document's quads are not kept once handed over.
pub struct BulkAdd<'a> {
    kg: &'a KgStore,
    loader: Option<oxigraph::store::BulkLoader<'a>>,
    buffer: Vec<Quad>,
    graphs: std::collections::HashSet<String>,
    quads: usize,
    failed: Option<String>,
    /// The bodies whose competence tallies the documents added touch ([`tally`]).
    touched: tally::Touched,
}

impl BulkAdd<'_> {
    /// Whether a document of this graph may be added: neither the store nor this batch holds it.
    pub fn is_new(&self, graph: &str) -> Result<bool, StoreError> {
        let g = NamedNode::new_unchecked(graph);
        Ok(!self.graphs.contains(graph)
            && self.kg.record(graph)?.is_none()
            && !self.kg.store.contains_named_graph(g.as_ref())?)
    }

    /// Adds a document, which the caller has checked with [`BulkAdd::is_new`]; fails with [`StoreError::NotNew`]
    /// when this batch holds its graph already. Any other failure spoils the whole batch: its table files are
    /// dropped and [`BulkAdd::commit`] fails, writing nothing.
    pub fn add(&mut self, doc: NewDocument) -> Result<(), StoreError> {
        if self.graphs.contains(&doc.graph) {
            return Err(StoreError::NotNew(doc.graph));
        }
        if let Some(message) = &self.failed {
            return Err(StoreError::Bulk {
                documents: self.graphs.len(),
                message: message.clone(),
            });
        }
        self.quads += doc.quads.len() + doc.provenance.len();
        if self.buffer.capacity() == 0 {
            self.buffer.reserve_exact(BULK_CHUNK + BULK_SLACK);
        }
        if self.graphs.is_empty() {
            // Removed once the tallies of the batch are written: a process killed in between leaves it.
            self.buffer.extend(tally::pending_mark(&self.kg.tallies));
        }
        for q in &doc.quads {
            self.touched.note(q.as_ref());
        }
        for q in doc.quads.into_iter().chain(doc.provenance) {
            let union = Quad::new(
                q.subject.clone(),
                q.predicate.clone(),
                q.object.clone(),
                GraphName::DefaultGraph,
            );
            self.buffer.push(q);
            self.buffer.push(union);
        }
        self.graphs.insert(doc.graph);
        if self.buffer.len() >= BULK_CHUNK {
            if let Err(e) = self.hand_over() {
                // Dropping the loader removes the table files it made.
                self.loader = None;
                self.buffer = Vec::new();
                self.failed = Some(e.to_string());
                return Err(e);
            }
        }
        Ok(())
    }

    /// The graphs of the documents added.
    pub fn graphs(&self) -> &std::collections::HashSet<String> {
        &self.graphs
    }

    /// Quads of the documents added (without their default-graph copies).
    pub fn quads(&self) -> usize {
        self.quads
    }

    fn hand_over(&mut self) -> Result<(), StoreError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let kg = self.kg;
        // The loader cuts what it is given into batches of (memory in MB × 1,000 / threads) quads and starts a
        // thread for each, the last one however small; sized at twice a chunk, a chunk is one batch, never a full
        // one and a few leftover quads, each of which would make a set of table files of its own.
        let loader = self.loader.get_or_insert_with(|| {
            kg.store
                .bulk_loader()
                .with_num_threads(2)
                .with_max_memory_size_in_megabytes(2 * 2 * BULK_CHUNK / 1000)
        });
        loader.load_quads(std::mem::take(&mut self.buffer))?;
        Ok(())
    }

    /// Writes every document added, in one atomic step, or none. The bodies they touch are left for
    /// [`KgStore::settle_tallies`] to recount once, when the run's last bulk load is in: recounting after each load
    /// would interleave transactions with the loads, and RocksDB then flushes and compacts before every ingestion
    /// of table files (a 10,000-document ingest took several times longer). Until then the batch's pending mark
    /// says the tallies may be out of date.
    pub fn commit(mut self) -> Result<(), StoreError> {
        if let Some(message) = self.failed.take() {
            return Err(StoreError::Bulk {
                documents: self.graphs.len(),
                message,
            });
        }
        self.hand_over()?;
        if let Some(loader) = self.loader.take() {
            loader.commit()?;
            let touched = std::mem::take(&mut self.touched);
            // A poisoned lock only means another commit panicked; the bodies it noted are still to recount.
            let mut deferred = self.kg.deferred.lock().unwrap_or_else(|e| e.into_inner());
            deferred.merge(touched);
        }
        Ok(())
    }
}

/// A document whose graph the store does not hold yet, ready to be added with [`BulkAdd::add`].
#[derive(Debug)]
pub struct NewDocument {
    /// Its named graph.
    pub graph: String,
    /// The quads of its graph.
    pub quads: Vec<Quad>,
    /// Its provenance record (in the metadata graph).
    pub provenance: Vec<Quad>,
}

/// What the store knows about an ingested document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    /// Its named graph.
    pub graph: String,
    /// Where it came from.
    pub source: String,
    /// Digest of its bytes.
    pub digest: String,
    /// Extractor version that made the graph.
    pub extractor: String,
    /// Digest of the sidecar metadata read with it, if any.
    pub sidecar_digest: Option<String>,
}

/// The knowledge graph store.
pub struct KgStore {
    store: Store,
    meta: NamedNode,
    /// The graphs of the competence tallies and their record ([`tally`]).
    tallies: tally::Graphs,
    /// Bodies that bulk loads touched, recounted by [`KgStore::settle_tallies`].
    deferred: std::sync::Mutex<tally::Touched>,
    path: PathBuf,
}

/// The layout of the store's graphs and provenance this version writes (`akg:storeFormat` of the metadata graph):
/// graphs named from acts and languages, sources named by public address or digest. Stores without it were made by
/// versions that named graphs after local file paths.
pub const STORE_FORMAT: &str = "2";

impl KgStore {
    /// Opens (creating if needed) the store in a folder.
    ///
    /// Opening takes RocksDB's lock on the folder, so no other process writes it meanwhile; the files a bulk load
    /// killed half-way left behind (`bulk-*.sst`, never part of the store) are then removed.
    pub fn open(path: &Path, base: &Base) -> Result<KgStore, StoreError> {
        let store = Store::open(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            message: explain_open_error(&e.to_string()),
        })?;
        remove_unfinished_bulk_files(path);
        Ok(KgStore {
            store,
            meta: NamedNode::new_unchecked(meta_graph(base)),
            tallies: tally::Graphs::new(base),
            deferred: Default::default(),
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing store for writing (as [`KgStore::open`]), failing if there is none.
    pub fn open_existing(path: &Path, base: &Base) -> Result<KgStore, StoreError> {
        ensure_exists(path)?;
        KgStore::open(path, base)
    }

    /// Opens an existing store for reading only, failing if there is none. It takes no lock, so it reads while
    /// another process ingests (seeing the store as it was when opened), and it starts none of RocksDB's background
    /// compactions: a process that only reads does not spend its time compacting what an ingest left.
    pub fn open_read_only(path: &Path, base: &Base) -> Result<KgStore, StoreError> {
        ensure_exists(path)?;
        let store = Store::open_read_only(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Ok(KgStore {
            store,
            meta: NamedNode::new_unchecked(meta_graph(base)),
            tallies: tally::Graphs::new(base),
            deferred: Default::default(),
            path: path.to_path_buf(),
        })
    }

    /// The Oxigraph store, for queries.
    pub fn inner(&self) -> &Store {
        &self.store
    }

    /// The record of an ingested document's graph, if any.
    pub fn record(&self, graph: &str) -> Result<Option<DocumentRecord>, StoreError> {
        let g = NamedNode::new_unchecked(graph);
        let value = |p: NamedNode| -> Result<Option<String>, StoreError> {
            let mut it = self.store.quads_for_pattern(
                Some(g.as_ref().into()),
                Some(p.as_ref()),
                None,
                Some(self.meta.as_ref().into()),
            );
            Ok(match it.next().transpose()? {
                Some(q) => Some(match q.object {
                    Term::NamedNode(n) => n.into_string(),
                    Term::Literal(l) => l.value().to_string(),
                    other => other.to_string(),
                }),
                None => None,
            })
        };
        let Some(digest) = value(term(AKG, "sourceDigest"))? else {
            return Ok(None);
        };
        Ok(Some(DocumentRecord {
            graph: graph.to_string(),
            source: value(term(PROV, "wasDerivedFrom"))?.unwrap_or_default(),
            digest,
            extractor: value(term(AKG, "extractorVersion"))?.unwrap_or_default(),
            sidecar_digest: value(term(AKG, "sidecarDigest"))?,
        }))
    }

    /// The record of a graph made from these source bytes (their digest), with this sidecar (its digest, or none)
    /// by this extractor version, if the store holds one: the document is then unchanged, wherever its file lies.
    pub fn record_of_source(
        &self,
        digest: &str,
        sidecar_digest: Option<&str>,
        extractor: &str,
    ) -> Result<Option<DocumentRecord>, StoreError> {
        let d = oxigraph::model::Literal::new_simple_literal(digest);
        let p = term(AKG, "sourceDigest");
        let graphs: Vec<NamedNode> = self
            .store
            .quads_for_pattern(
                None,
                Some(p.as_ref()),
                Some(d.as_ref().into()),
                Some(self.meta.as_ref().into()),
            )
            .filter_map(|q| match q {
                Ok(q) => match q.subject {
                    oxigraph::model::NamedOrBlankNode::NamedNode(n) => Some(Ok(n)),
                    _ => None,
                },
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?;
        for g in graphs {
            if let Some(r) = self.record(g.as_str())? {
                if r.extractor == extractor && r.sidecar_digest.as_deref() == sidecar_digest {
                    return Ok(Some(r));
                }
            }
        }
        Ok(None)
    }

    /// The graphs made from source bytes of this digest, whatever sidecar or extractor version.
    pub fn graphs_from_source(&self, digest: &str) -> Result<Vec<String>, StoreError> {
        let d = oxigraph::model::Literal::new_simple_literal(digest);
        let p = term(AKG, "sourceDigest");
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(
            None,
            Some(p.as_ref()),
            Some(d.as_ref().into()),
            Some(self.meta.as_ref().into()),
        ) {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = q?.subject {
                out.push(n.into_string());
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// All ingested documents (not the ontology graph).
    pub fn documents(&self) -> Result<Vec<DocumentRecord>, StoreError> {
        let digest = term(AKG, "sourceDigest");
        let mut graphs: Vec<String> = Vec::new();
        for q in self.store.quads_for_pattern(
            None,
            Some(digest.as_ref()),
            None,
            Some(self.meta.as_ref().into()),
        ) {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = q?.subject {
                graphs.push(n.into_string());
            }
        }
        graphs.sort();
        graphs.dedup();
        graphs.retain(|g| {
            !g.ends_with("/graph/ontology")
                && !g.ends_with("/graph/gazetteer")
                && !g.ends_with("/graph/aggregates")
        });
        let mut out = Vec::new();
        for g in graphs {
            if let Some(r) = self.record(&g)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// A document's graph and its provenance record, as stored.
    pub fn document(&self, graph: &str) -> Result<(Vec<Quad>, Vec<Quad>), StoreError> {
        let g = NamedNode::new_unchecked(graph);
        let quads: Vec<Quad> = self
            .store
            .quads_for_pattern(None, None, None, Some(g.as_ref().into()))
            .collect::<Result<_, _>>()?;
        let provenance: Vec<Quad> = self
            .store
            .quads_for_pattern(
                Some(g.as_ref().into()),
                None,
                None,
                Some(self.meta.as_ref().into()),
            )
            .collect::<Result<_, _>>()?;
        Ok((quads, provenance))
    }

    /// Replaces a document's graph and its provenance record in one transaction.
    pub fn replace_document(
        &self,
        graph: &str,
        quads: &[Quad],
        provenance: &[Quad],
    ) -> Result<(), StoreError> {
        self.replace_documents(&[(graph, quads, provenance)])
    }

    /// Replaces the graphs and provenance records of several documents in one transaction: all or none (the two
    /// language versions of one act, when one is aligned with the other).
    pub fn replace_documents(&self, docs: &[(&str, &[Quad], &[Quad])]) -> Result<(), StoreError> {
        let mut t = self.store.start_transaction()?;
        let mut touched = tally::Touched::default();
        for (graph, quads, provenance) in docs {
            let g = NamedNode::new_unchecked(*graph);
            let old = document_quads(&t, g.as_ref(), self.meta.as_ref())?;
            t.clear_graph(GraphNameRef::NamedNode(g.as_ref()))?;
            remove_record(&mut t, g.as_ref(), self.meta.as_ref())?;
            for q in quads.iter().chain(provenance.iter()) {
                t.insert(q);
            }
            note_changes(&mut touched, &old, quads);
            sync_union(&mut t, &old, quads.iter().chain(provenance.iter()))?;
        }
        self.commit_with_tallies(t, touched)
    }

    /// Starts adding documents whose graphs the store does not hold yet through Oxigraph's bulk loader; see
    /// [`BulkAdd`].
    pub fn bulk_add(&self) -> BulkAdd<'_> {
        BulkAdd {
            kg: self,
            loader: None,
            buffer: Vec::new(),
            graphs: std::collections::HashSet::new(),
            quads: 0,
            failed: None,
            touched: tally::Touched::default(),
        }
    }

    /// Removes a document's graph and its provenance record in one transaction. Returns whether it existed.
    pub fn remove_document(&self, graph: &str) -> Result<bool, StoreError> {
        let g = NamedNode::new_unchecked(graph);
        let existed =
            self.record(graph)?.is_some() || self.store.contains_named_graph(g.as_ref())?;
        let mut t = self.store.start_transaction()?;
        let old = document_quads(&t, g.as_ref(), self.meta.as_ref())?;
        t.remove_named_graph(g.as_ref())?;
        remove_record(&mut t, g.as_ref(), self.meta.as_ref())?;
        sync_union(&mut t, &old, std::iter::empty())?;
        let mut touched = tally::Touched::default();
        old.iter().for_each(|q| touched.note(q.as_ref()));
        self.commit_with_tallies(t, touched)?;
        Ok(existed)
    }

    /// Recounts the competence tallies a transaction's writes touched, inside it, and commits it; when it touched
    /// every body (a weight changed), recounts them all after the commit ([`tally::settle`]).
    fn commit_with_tallies(
        &self,
        mut t: oxigraph::store::Transaction<'_>,
        touched: tally::Touched,
    ) -> Result<(), StoreError> {
        let settle = tally::refresh_in(&mut t, &self.tallies, touched)?;
        t.commit()?;
        if settle {
            tally::settle(&self.store, &self.tallies)?;
        }
        Ok(())
    }

    /// Makes sure the store can take documents of this version: refuses a store of an older layout
    /// ([`StoreError::OldFormat`]), marks a new one with [`STORE_FORMAT`], and brings the ontology graph and the
    /// gazetteer graph up to date.
    pub fn ensure_reference(
        &self,
        base: &Base,
        lex: &crate::lexicon::Lexicon,
    ) -> Result<(), StoreError> {
        let format = term(AKG, "storeFormat");
        let marked = self
            .store
            .quads_for_pattern(
                Some(self.meta.as_ref().into()),
                Some(format.as_ref()),
                None,
                Some(self.meta.as_ref().into()),
            )
            .filter_map(Result::ok)
            .any(|q| matches!(&q.object, Term::Literal(l) if l.value() == STORE_FORMAT));
        if !marked {
            if !self.documents()?.is_empty() {
                return Err(StoreError::OldFormat {
                    path: self.path.clone(),
                });
            }
            let mut t = self.store.start_transaction()?;
            let q = Quad::new(
                self.meta.clone(),
                format,
                oxigraph::model::Literal::new_simple_literal(STORE_FORMAT),
                self.meta.clone(),
            );
            t.insert(&q);
            t.insert(
                oxigraph::model::Triple::from(q.clone())
                    .as_ref()
                    .in_graph(GraphNameRef::DefaultGraph),
            );
            t.commit()?;
        }
        self.ensure_ontology(base)?;
        self.ensure_gazetteer(base, lex)?;
        // Tallies a killed run left pending, or a store made before they existed.
        tally::settle(&self.store, &self.tallies)?;
        Ok(())
    }

    /// Whether the competence tallies may be out of date ([`tally::needs_settling`]).
    pub fn tallies_stale(&self) -> Result<bool, StoreError> {
        Ok(tally::needs_settling(
            &self.store,
            &self.tallies.aggregates,
        )?)
    }

    /// Recounts the competence tallies of the bodies bulk loads touched ([`tally::refresh_after_bulk`]), then
    /// any others that may be out of date ([`tally::settle`]); whether it recounted.
    pub fn settle_tallies(&self) -> Result<bool, StoreError> {
        let touched = std::mem::take(&mut *self.deferred.lock().unwrap_or_else(|e| e.into_inner()));
        let some = !touched.is_empty();
        if some {
            tally::refresh_after_bulk(&self.store, &self.tallies, touched)?;
        }
        Ok(tally::settle(&self.store, &self.tallies)? || some)
    }

    /// Removes every graph and record: the store is left empty, as a new one (for `ingest --rebuild`).
    pub fn clear(&self) -> Result<(), StoreError> {
        Ok(self.store.clear()?)
    }

    /// Makes sure the store holds the national gazetteer (`data/reference/gazetteer.tsv`) as the graph
    /// `<base>graph/gazetteer`: every unit with its current names, type, KATO code and parent, and each of its
    /// periods (names, type and parent between two dates, with the source). Replaced in one transaction when the
    /// loaded gazetteer differs from the stored one. Returns whether it was written.
    pub fn ensure_gazetteer(
        &self,
        base: &Base,
        lex: &crate::lexicon::Lexicon,
    ) -> Result<bool, StoreError> {
        let graph = base.iri("graph/gazetteer");
        let quads = crate::rdf::gazetteer_quads(&lex.gazetteer, base, &graph);
        let mut text = String::new();
        for q in &quads {
            text.push_str(&q.to_string());
            text.push('\n');
        }
        let digest = crate::read::digest(text.as_bytes());
        if self.record(&graph)?.is_some_and(|r| r.digest == digest) {
            return Ok(false);
        }
        let prov = self.built_in_provenance(&graph, &base.iri("gazetteer"), digest);
        self.replace_document(&graph, &quads, &prov)?;
        Ok(true)
    }

    /// The provenance of a graph built into the binary (the gazetteer, the ontology): where it comes from, the
    /// digest of its content and the extractor version, in the metadata graph.
    fn built_in_provenance(&self, graph: &str, source: &str, digest: String) -> [Quad; 3] {
        let g = NamedNode::new_unchecked(graph);
        let meta = self.meta.as_ref();
        [
            Quad::new(
                g.clone(),
                term(PROV, "wasDerivedFrom"),
                NamedNode::new_unchecked(source),
                meta,
            ),
            Quad::new(
                g.clone(),
                term(AKG, "sourceDigest"),
                oxigraph::model::Literal::new_simple_literal(digest),
                meta,
            ),
            Quad::new(
                g,
                term(AKG, "extractorVersion"),
                oxigraph::model::Literal::new_simple_literal(crate::EXTRACTOR_VERSION),
                meta,
            ),
        ]
    }

    /// Makes sure the store holds the project's ontology and SKOS schemes (`ontology/akg.ttl`,
    /// `ontology/competences.ttl`, `ontology/legal-forms.ttl`, compiled in) in the graph `<base>graph/ontology`, so
    /// that queries can read the labels of competence areas and legal forms and the weights of provision kinds.
    /// The graph is replaced in one transaction when the compiled-in version differs from the stored one; otherwise
    /// nothing is written. Returns whether it was written.
    pub fn ensure_ontology(&self, base: &Base) -> Result<bool, StoreError> {
        let graph = ontology_graph(base);
        let texts = [crate::ONTOLOGY, crate::COMPETENCES, crate::LEGAL_FORMS];
        let digest = crate::read::digest(texts.concat().as_bytes());
        if self.record(&graph)?.is_some_and(|r| r.digest == digest) {
            return Ok(false);
        }
        let g = NamedNode::new_unchecked(&graph);
        let mut quads = Vec::new();
        for (text, name) in texts
            .iter()
            .zip(["akg.ttl", "competences.ttl", "legal-forms.ttl"])
        {
            for q in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
                .with_default_graph(g.clone())
                .for_slice(text.as_bytes())
            {
                // The files are compiled in and checked by the tests; a syntax error is a bug in this build.
                let q = q.map_err(|e| StoreError::Open {
                    path: PathBuf::from(format!("ontology/{name}")),
                    message: e.to_string(),
                })?;
                quads.push(q);
            }
        }
        let prov = self.built_in_provenance(&graph, &base.iri("ontology"), digest);
        self.replace_document(&graph, &quads, &prov)?;
        Ok(true)
    }

    /// Number of quads in the store.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store.len()?)
    }

    /// Whether the store holds no quad.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.store.is_empty()?)
    }

    /// Compacts every index into sorted, non-overlapping table files (RocksDB's full compaction). Bulk loads add
    /// table files whose keys overlap, which each read must merge; on 10,000 generated regulations queries ran
    /// three to four times slower before it. Reads go on meanwhile; a process killed during it leaves the store as
    /// it was.
    pub fn compact(&self) -> Result<(), StoreError> {
        Ok(self.store.optimize()?)
    }

    /// Makes sure everything written is on disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.store.flush()?)
    }
}

/// Fails unless the folder holds a store.
fn ensure_exists(path: &Path) -> Result<(), StoreError> {
    if path.join("CURRENT").exists() {
        Ok(())
    } else {
        Err(StoreError::Open {
            path: path.to_path_buf(),
            message: "no store there yet; run `akimat-kg ingest` first or pass --store".into(),
        })
    }
}

/// The quads of a document: its graph and its provenance record.
fn document_quads(
    t: &oxigraph::store::Transaction<'_>,
    g: NamedNodeRef<'_>,
    meta: NamedNodeRef<'_>,
) -> Result<Vec<Quad>, StoreError> {
    let mut out: Vec<Quad> = t
        .quads_for_pattern(None, None, None, Some(g.into()))
        .collect::<Result<_, _>>()?;
    for q in t.quads_for_pattern(Some(g.into()), None, None, Some(meta.into())) {
        out.push(q?);
    }
    Ok(out)
}

/// Keeps the default graph equal to the union, as a set, of all named graphs (docs/model.md: queries see the union of
/// all graphs as their default graph). Oxigraph's own union view repeats a triple once per graph holding it, which
/// multiplies rows and slows joins, so the store materialises the union instead: a document's new triples are added
/// to the default graph, and each of its old triples leaves it unless another named graph still holds it. Runs
/// inside the document's transaction, so the union is never out of step with the graphs.
fn sync_union<'q>(
    t: &mut oxigraph::store::Transaction<'_>,
    old: &[Quad],
    new: impl Iterator<Item = &'q Quad>,
) -> Result<(), StoreError> {
    let mut added = std::collections::HashSet::new();
    for q in new {
        let triple = oxigraph::model::Triple::from(q.clone());
        t.insert(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
        added.insert(triple);
    }
    for q in old {
        let triple = oxigraph::model::Triple::from(q.clone());
        if added.contains(&triple) {
            continue;
        }
        let still_held = t
            .quads_for_pattern(
                Some(triple.subject.as_ref()),
                Some(triple.predicate.as_ref()),
                Some(triple.object.as_ref()),
                None,
            )
            .filter_map(Result::ok)
            .any(|other| !other.graph_name.is_default_graph());
        if !still_held {
            t.remove(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
        }
    }
    Ok(())
}

/// Notes for the tallies the quads a replacement removes or adds (those in both change nothing).
fn note_changes(touched: &mut tally::Touched, old: &[Quad], new: &[Quad]) {
    let before: std::collections::HashSet<&Quad> = old.iter().collect();
    let after: std::collections::HashSet<&Quad> = new.iter().collect();
    old.iter()
        .filter(|q| !after.contains(q))
        .chain(new.iter().filter(|q| !before.contains(q)))
        .for_each(|q| touched.note(q.as_ref()));
}

/// Brings the default graph back to the union, as a set, of the named graphs after writes that did not keep it so
/// (a SPARQL update through the server): removes default-graph triples no named graph holds and adds named-graph
/// triples the default graph lacks, inside the writer's transaction, then recounts the competence tallies of the
/// bodies the changed triples touch ([`tally::refresh_in`]). Reads the whole store; meant for small corrections.
/// Returns the numbers of triples removed and added, and whether every tally is to be recounted after the commit
/// ([`tally::settle`]).
pub fn resync_union(
    t: &mut oxigraph::store::Transaction<'_>,
    base: &Base,
) -> Result<(usize, usize, bool), StoreError> {
    let mut touched = tally::Touched::default();
    let defaults: Vec<Quad> = t
        .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
        .collect::<Result<_, _>>()?;
    let mut removed = 0;
    for q in &defaults {
        let held = t
            .quads_for_pattern(
                Some(q.subject.as_ref()),
                Some(q.predicate.as_ref()),
                Some(q.object.as_ref()),
                None,
            )
            .filter_map(Result::ok)
            .any(|other| !other.graph_name.is_default_graph());
        if !held {
            t.remove(q);
            touched.note(q.as_ref());
            removed += 1;
        }
    }
    let named: Vec<Quad> = t
        .quads_for_pattern(None, None, None, None)
        .filter_map(Result::ok)
        .filter(|q| !q.graph_name.is_default_graph())
        .collect();
    let mut added = 0;
    for q in named {
        let triple = oxigraph::model::Triple::from(q);
        let in_default = triple.as_ref().in_graph(GraphNameRef::DefaultGraph);
        if !t.contains(in_default)? {
            t.insert(in_default);
            touched.note(in_default);
            added += 1;
        }
    }
    let settle = tally::refresh_in(t, &tally::Graphs::new(base), touched)?;
    Ok((removed, added, settle))
}

fn remove_record(
    t: &mut oxigraph::store::Transaction<'_>,
    g: NamedNodeRef<'_>,
    meta: NamedNodeRef<'_>,
) -> Result<(), StoreError> {
    let old: Vec<Quad> = t
        .quads_for_pattern(Some(g.into()), None, None, Some(meta.into()))
        .collect::<Result<_, _>>()?;
    for q in &old {
        t.remove(q);
    }
    Ok(())
}

/// The IRI of the graph holding the competence tallies ([`tally`]).
pub fn aggregates_graph(base: &Base) -> String {
    base.iri("graph/aggregates")
}

/// The IRI of the graph holding the project's ontology and schemes.
pub fn ontology_graph(base: &Base) -> String {
    base.iri("graph/ontology")
}

/// Removes the table files of bulk loads that never reached their final step (the process was killed). Oxigraph
/// names them `bulk-<random>.sst` in the store folder and removes them itself once ingested; nothing in the store
/// refers to them. Best effort: a file that cannot be removed only wastes space.
fn remove_unfinished_bulk_files(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        if is_bulk_load_file(&entry.file_name().to_string_lossy()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a file of the store folder is a table file Oxigraph's bulk loader is writing (or a killed one left):
/// not part of the store until ingested.
pub fn is_bulk_load_file(name: &str) -> bool {
    name.starts_with("bulk-") && name.ends_with(".sst")
}

fn explain_open_error(message: &str) -> String {
    if message.contains("lock") || message.contains("LOCK") {
        format!("{message} (another akimat-kg process is using this store; wait for it or use another --store)")
    } else {
        message.to_string()
    }
}
