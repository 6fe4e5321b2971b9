//! The files of `data/` that code reads as a whole: from the folder `$AKIMAT_KG_DATA` names when it is set (so a
//! linguist can try a changed table without building), else the copy built into the binary. The lexicon's tables
//! are read the same way by [`crate::lexicon::Lexicon::try_get`].

use std::borrow::Cow;

/// A file of `data/` could not be read or understood: the file, the line (0 for the whole file) and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}{}: {message}", if *.line > 0 { format!(":{}", .line) } else { String::new() })]
pub struct DataFileError {
    /// The file: its path below `data/`, or the path read.
    pub file: String,
    /// The line, 1-based; 0 when the whole file is at fault.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The text of `data/<name>`: from `$AKIMAT_KG_DATA/<name>` when the variable is set, else `builtin`.
pub fn text(name: &str, builtin: &'static str) -> Result<Cow<'static, str>, DataFileError> {
    match std::env::var_os("AKIMAT_KG_DATA") {
        None => Ok(Cow::Borrowed(builtin)),
        Some(dir) => {
            let path = std::path::Path::new(&dir).join(name);
            std::fs::read_to_string(&path)
                .map(Cow::Owned)
                .map_err(|e| DataFileError {
                    file: path.display().to_string(),
                    line: 0,
                    message: e.to_string(),
                })
        }
    }
}

/// The rows of a TSV table of `data/`: every line after the header (the first line that is neither a `#` comment
/// nor blank), without comments and blank lines, each with its 1-based line number for error messages.
pub fn rows(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|(i, l)| (i + 1, l))
}
