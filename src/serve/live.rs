//! The store as the server sees it: a snapshot that follows what other processes write.
//!
//! `ingest` holds the store's write lock while it runs, so the server opens the store read-only (RocksDB's
//! read-only mode takes no lock). A read-only handle sees the store as it was when it was opened, so the server
//! watches the store folder (the names, sizes and times of RocksDB's `CURRENT`, `MANIFEST-*`, write-ahead `*.log` and
//! `*.sst` files) and, when they change, opens a fresh handle and swaps it in. Requests already running keep the
//! snapshot they started with; the next ones see the new data. A write-ahead log is replayed only up to its last
//! whole record, and every document is written in one transaction, so a snapshot never holds half a document.
//!
//! With `--allow-update` the server is the writer: it opens the store read-write (no other process can ingest
//! meanwhile) and bumps the generation itself after each update.

use arc_swap::ArcSwap;
use oxigraph::store::Store;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The store could not be opened or followed.
#[derive(Debug, thiserror::Error)]
pub enum LiveStoreError {
    /// There is no store in the folder.
    #[error("no store at {0}: run `akimat-kg ingest` first or pass --store")]
    Missing(PathBuf),
    /// Opening failed.
    #[error("cannot open the store at {path}: {message}")]
    Open {
        /// The folder.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// The folder could not be listed.
    #[error("cannot read the store folder {path}: {cause}")]
    List {
        /// The folder.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
}

/// One opened view of the store.
pub struct Snapshot {
    /// The Oxigraph store handle.
    pub store: Store,
    /// Increases by one with every reopen or update; part of cache keys.
    pub generation: u64,
    /// A digest of the store's files when this view was opened: the same data on disk gives the same tag, across
    /// server restarts too. Used in `ETag`s.
    pub tag: String,
    /// When this view was opened.
    pub opened: SystemTime,
}

/// The store, reopened when another process changes it.
pub struct LiveStore {
    path: PathBuf,
    writable: bool,
    current: ArcSwap<Snapshot>,
    fingerprint: Mutex<String>,
    generation: AtomicU64,
}

impl LiveStore {
    /// Opens the store in `path`: read-only (following other writers), or read-write when `writable`.
    pub fn open(path: &Path, writable: bool) -> Result<LiveStore, LiveStoreError> {
        if !path.join("CURRENT").exists() {
            return Err(LiveStoreError::Missing(path.to_path_buf()));
        }
        let fingerprint = fingerprint(path)?;
        let store = open_store(path, writable)?;
        let snapshot = Snapshot {
            store,
            generation: 0,
            tag: tag_of(&fingerprint, 0, writable),
            opened: SystemTime::now(),
        };
        Ok(LiveStore {
            path: path.to_path_buf(),
            writable,
            current: ArcSwap::from_pointee(snapshot),
            fingerprint: Mutex::new(fingerprint),
            generation: AtomicU64::new(0),
        })
    }

    /// The view requests should use now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Whether the server writes the store itself (`--allow-update`).
    pub fn writable(&self) -> bool {
        self.writable
    }

    /// The store folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Looks at the store folder and, if another process changed it, opens a fresh view. Returns whether it
    /// did. A failed reopen (a writer in the middle of renaming its manifest, say) keeps the current view and is
    /// tried again at the next call.
    pub fn refresh(&self) -> Result<bool, LiveStoreError> {
        if self.writable {
            return Ok(false);
        }
        let now = fingerprint(&self.path)?;
        let mut seen = self.fingerprint.lock().unwrap_or_else(|e| e.into_inner());
        if *seen == now {
            return Ok(false);
        }
        let store = open_store(&self.path, false)?;
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.current.store(Arc::new(Snapshot {
            store,
            generation,
            tag: tag_of(&now, generation, false),
            opened: SystemTime::now(),
        }));
        *seen = now;
        Ok(true)
    }

    /// After the server itself wrote the store: a new generation over the same handle, so caches and `ETag`s
    /// move on.
    pub fn bump(&self) {
        let current = self.snapshot();
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let store = current.store.clone();
        self.current.store(Arc::new(Snapshot {
            store,
            generation,
            tag: tag_of("written", generation, true),
            opened: SystemTime::now(),
        }));
    }
}

fn open_store(path: &Path, writable: bool) -> Result<Store, LiveStoreError> {
    let opened = if writable {
        Store::open(path)
    } else {
        Store::open_read_only(path)
    };
    opened.map_err(|e| {
        let message = e.to_string();
        LiveStoreError::Open {
            path: path.to_path_buf(),
            message: if writable && message.to_ascii_lowercase().contains("lock") {
                format!(
                    "{message} (another process holds the store; --allow-update needs it alone)"
                )
            } else {
                message
            },
        }
    })
}

/// What changes in a RocksDB folder when data is written: names, sizes and modification times of the files that
/// hold data. RocksDB's own info logs (`LOG*`) are left out: opening a handle writes them; so are the table files
/// a bulk load is still writing ([`crate::store::is_bulk_load_file`]): they are not part of the store until
/// ingested, which changes the manifest, and reopening at every write to them would only load the writer's folder
/// with read-only opens.
fn fingerprint(path: &Path) -> Result<String, LiveStoreError> {
    let list_err = |cause| LiveStoreError::List {
        path: path.to_path_buf(),
        cause,
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(path).map_err(list_err)? {
        let entry = entry.map_err(list_err)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let relevant = name == "CURRENT"
            || name.starts_with("MANIFEST-")
            || name.ends_with(".log")
            || (name.ends_with(".sst") && !crate::store::is_bulk_load_file(&name));
        if !relevant {
            continue;
        }
        // A file may vanish between listing and stat (compaction); it simply does not count.
        let Ok(meta) = entry.metadata() else { continue };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        entries.push(format!("{name}\t{}\t{modified}", meta.len()));
    }
    entries.sort();
    Ok(entries.join("\n"))
}

fn tag_of(fingerprint: &str, generation: u64, writable: bool) -> String {
    let mut h = Sha256::new();
    h.update(fingerprint.as_bytes());
    if writable {
        // A writable server's data changes without its files telling; the generation and start time tell.
        h.update(generation.to_le_bytes());
        h.update(format!("{:?}", SystemTime::now()).as_bytes());
    }
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}
