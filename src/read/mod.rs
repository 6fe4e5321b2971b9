//! Stage 1: finding the documents to ingest and reading their bytes.
//!
//! Input: paths given by the user (files or folders). Output: [`SourceFile`]s, each a path and its raw bytes.
//! Folders are walked recursively and every file with a document's extension is taken, in a stable order; a file
//! named explicitly is taken whatever its name, its content decides how it is read (see [`crate::decode`]).

pub mod sidecar;

/// `sha256:<hex>` of some bytes: the identity of a source file's content, wherever it lies.
pub fn digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

use std::path::{Path, PathBuf};

/// Extensions of the documents taken from folders.
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text", "docx", "html", "htm"];

/// Default cap on one document's size, in bytes (the largest regulation of the corpus is 80 kB).
pub const DEFAULT_MAX_BYTES: u64 = 20 << 20;

/// A document as found on disk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its raw bytes.
    pub bytes: Vec<u8>,
}

/// A path could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path does not exist or cannot be read.
    #[error("{path}: {cause}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// A folder could not be walked.
    #[error("{path}: {message}")]
    Walk {
        /// The folder.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// The file is larger than the cap.
    #[error(
        "{path}: {size} bytes, more than the {limit} bytes a document may have (--max-doc-bytes)"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The cap.
        limit: u64,
    },
}

/// Whether a path has a supported extension and is not a repository's own documentation (a walk passes it by).
pub fn is_supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SUPPORTED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        && !is_repository_file(path)
}

/// A repository's own documentation (`README.md`, `LICENSE.md`, …), which a walk of a checkout of published acts
/// passes by: it is about the repository, not an act. Named explicitly, such a file is still read.
fn is_repository_file(path: &Path) -> bool {
    const NAMES: &[&str] = &[
        "readme",
        "license",
        "licence",
        "changelog",
        "contributing",
        "code_of_conduct",
        "security",
        "authors",
        "notice",
    ];
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| NAMES.contains(&s.to_ascii_lowercase().as_str()))
}

/// A document to read: where its file is, and the name the graph knows it by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// Its path relative to the folder it was found in (`pairs/100709/kaz.md`), or its file name when it was named
    /// itself: the same on every machine, so that no local path reaches the graph.
    pub name: String,
}

impl Input {
    /// A file named by itself: known by its file name.
    pub fn file(path: &Path) -> Input {
        Input {
            path: path.to_path_buf(),
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.to_string_lossy().into_owned()),
        }
    }

    /// A file found under a folder: known by its path relative to the folder, with `/` between its parts.
    pub fn under(root: &Path, path: PathBuf) -> Input {
        let name = match path.strip_prefix(root) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
            _ => return Input::file(&path),
        };
        Input { path, name }
    }
}

/// The files of [`inputs`], without their names.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ReadError>) {
    let (files, errors) = inputs(paths);
    (files.into_iter().map(|i| i.path).collect(), errors)
}

/// Expands files and folders into the list of documents to read, sorted and without duplicates, each with the
/// name the graph will know it by. A file named explicitly is taken whatever its extension; folders contribute
/// their files with a document's extension. Unreadable entries are returned as errors next to the list, so one bad
/// path never hides the rest.
pub fn inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<ReadError>) {
    let mut files: Vec<Input> = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(cause) => errors.push(ReadError::Io {
                path: path.clone(),
                cause,
            }),
            Ok(meta) if meta.is_dir() => {
                for entry in walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name()
                {
                    match entry {
                        Ok(e) if e.file_type().is_file() && is_supported(e.path()) => {
                            files.push(Input::under(path, e.into_path()))
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(ReadError::Walk {
                            path: e.path().unwrap_or(path).to_path_buf(),
                            message: e.to_string(),
                        }),
                    }
                }
            }
            Ok(_) => files.push(Input::file(path)),
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    (files, errors)
}

/// Reads one document of at most [`DEFAULT_MAX_BYTES`].
pub fn read(path: &Path) -> Result<SourceFile, ReadError> {
    read_at_most(path, DEFAULT_MAX_BYTES)
}

/// Reads one document, refusing it when it is larger than `limit` bytes (checked before reading, and while
/// reading for a file that grows meanwhile).
pub fn read_at_most(path: &Path, limit: u64) -> Result<SourceFile, ReadError> {
    use std::io::Read;
    let io = |cause| ReadError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let too_large = |size| ReadError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(SourceFile {
        path: path.to_path_buf(),
        bytes,
    })
}
