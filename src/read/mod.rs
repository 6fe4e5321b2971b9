//! Stage 1: finding the documents to ingest and reading their bytes.
//!
//! Input: paths given by the user (files or folders). Output: [`SourceFile`]s, each a path and its raw bytes.
//! Folders are walked recursively and every supported file is taken, in a stable order.

pub mod sidecar;

use std::path::{Path, PathBuf};

/// Extensions of the documents the pipeline reads.
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];

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
    /// A file given by name has an extension the pipeline does not read.
    #[error("{path}: unsupported file type (expected one of: {})", SUPPORTED_EXTENSIONS.join(", "))]
    Unsupported {
        /// The file.
        path: PathBuf,
    },
}

/// Whether a path has a supported extension.
pub fn is_supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SUPPORTED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Expands files and folders into the list of documents to read, sorted and without duplicates.
/// A file named explicitly is taken whatever its extension only if it is supported; folders contribute their
/// supported files. Unreadable entries are returned as errors next to the list, so one bad path never hides the rest.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ReadError>) {
    let mut files = Vec::new();
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
                            files.push(e.into_path())
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(ReadError::Walk {
                            path: e.path().unwrap_or(path).to_path_buf(),
                            message: e.to_string(),
                        }),
                    }
                }
            }
            Ok(_) if is_supported(path) => files.push(path.clone()),
            Ok(_) => errors.push(ReadError::Unsupported { path: path.clone() }),
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// Reads one document.
pub fn read(path: &Path) -> Result<SourceFile, ReadError> {
    let bytes = std::fs::read(path).map_err(|cause| ReadError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        bytes,
    })
}
