//! Sidecar metadata: a `meta.yaml`, `meta.yml` or `meta.json` beside a document (for the whole folder), or
//! `<document>.meta.yaml` / `.meta.json` for one document, as public law-text repositories publish them: the act's
//! code, its title in each language, its requisites line (type, issuer, date, number, registration, repeal), the
//! date of approval and the source URL of each language version. The pipeline records what the sidecar states as
//! provenance and checks it against what the text says.

use crate::lexicon::Lang;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Names of the folder-wide sidecar files, in the order they are looked for.
const FOLDER_SIDECARS: &[&str] = &["meta.yaml", "meta.yml", "meta.json"];

/// What a sidecar file states. Every field is as written there; none is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sidecar {
    /// The sidecar file.
    pub path: PathBuf,
    /// `sha256:<hex>` of its bytes.
    pub digest: String,
    /// The act's code in its source database (`act_code`, `id`).
    pub code: Option<String>,
    /// Titles by language (`title: {kaz: …, rus: …}`, or one title for any language).
    pub titles: Vec<(Option<Lang>, String)>,
    /// The requisites line (`requisite`, once or by language): type, issuer, date, number, registration, repeal.
    pub requisites: Vec<(Option<Lang>, String)>,
    /// Date of approval (`approved_on`, `date`), as written.
    pub date: Option<String>,
    /// Number (`number`), as written.
    pub number: Option<String>,
    /// Issuer codes (`approved_by`, `issuer`), as written.
    pub issuers: Vec<String>,
    /// Source URLs by language (`source: {kaz: …, rus: …}`, `url`).
    pub sources: Vec<(Option<Lang>, String)>,
    /// The act's ID in the Әділет database (`adilet_id`), kept exactly as written: both language versions fetched
    /// under one ID are one act.
    pub adilet_id: Option<String>,
    /// The act's status as its source page states it, by language (`status: {kaz: Жаңа, rus: Новый}`).
    pub statuses: Vec<(Option<Lang>, String)>,
    /// Notes the source page carried beside the text (amendment and repeal notes), by language (`notes: {kaz:
    /// [...], rus: [...]}`): provenance, not provisions.
    pub notes: Vec<(Option<Lang>, String)>,
}

impl Sidecar {
    /// The title for a language: that language's, else one given for any language.
    pub fn title(&self, lang: Lang) -> Option<&str> {
        pick(&self.titles, lang)
    }

    /// The source URL for a language: that language's, else one given for any language.
    pub fn source(&self, lang: Lang) -> Option<&str> {
        pick(&self.sources, lang)
    }

    /// The requisites line for a language: that language's, else one given for any language, else any.
    pub fn requisites(&self, lang: Lang) -> Option<&str> {
        pick(&self.requisites, lang).or_else(|| self.requisites.first().map(|(_, r)| r.as_str()))
    }

    /// The status for a language: that language's, else one given for any language.
    pub fn status(&self, lang: Lang) -> Option<&str> {
        pick(&self.statuses, lang)
    }

    /// The notes for a language: that language's and those given for any language.
    pub fn notes(&self, lang: Lang) -> impl Iterator<Item = &str> {
        self.notes
            .iter()
            .filter(move |(l, _)| l.is_none() || *l == Some(lang))
            .map(|(_, n)| n.as_str())
    }
}

fn pick(values: &[(Option<Lang>, String)], lang: Lang) -> Option<&str> {
    values
        .iter()
        .find(|(l, _)| *l == Some(lang))
        .or_else(|| values.iter().find(|(l, _)| l.is_none()))
        .map(|(_, v)| v.as_str())
}

/// A sidecar that cannot be read. The document it describes is still ingested; the problem becomes a warning.
#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    /// The file could not be read.
    #[error("{path}: {cause}")]
    Io {
        /// The sidecar file.
        path: PathBuf,
        /// The cause (part of the message).
        cause: std::io::Error,
    },
    /// The file is not valid YAML or JSON, or not a mapping.
    #[error("{path}: {message}")]
    Syntax {
        /// The sidecar file.
        path: PathBuf,
        /// What is wrong, with its line where the parser gives one.
        message: String,
    },
}

/// The sidecar that describes a document, if there is one: `<file>.meta.yaml|yml|json` first, else the folder's
/// `meta.yaml|yml|json`.
pub fn sidecar_path(document: &Path) -> Option<PathBuf> {
    let folder = document.parent().unwrap_or(Path::new("."));
    let name = document.file_name()?.to_string_lossy().into_owned();
    let own = ["yaml", "yml", "json"]
        .iter()
        .map(|ext| folder.join(format!("{name}.meta.{ext}")));
    let shared = FOLDER_SIDECARS.iter().map(|f| folder.join(f));
    own.chain(shared).find(|p| p.is_file())
}

/// Reads and understands one sidecar file.
pub fn load(path: &Path) -> Result<Sidecar, SidecarError> {
    let bytes = std::fs::read(path).map_err(|cause| SidecarError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    let syntax = |message: String| SidecarError::Syntax {
        path: path.to_path_buf(),
        message,
    };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
        .map_err(|e| syntax(format!("not UTF-8 text ({e})")))?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let value: Value = if json {
        serde_json::from_str(text).map_err(|e| syntax(format!("invalid JSON: {e}")))?
    } else {
        serde_saphyr::from_str(text).map_err(|e| syntax(format!("invalid YAML: {e}")))?
    };
    let Value::Object(map) = value else {
        return Err(syntax(
            "expected a mapping of fields at the top level".into(),
        ));
    };
    let field = |names: &[&str]| names.iter().find_map(|n| map.get(*n));
    Ok(Sidecar {
        path: path.to_path_buf(),
        digest: super::digest(&bytes),
        code: field(&["act_code", "code", "id"]).and_then(scalar),
        titles: field(&["title", "titles"]).map(by_lang).unwrap_or_default(),
        requisites: field(&["requisite", "requisites"])
            .map(by_lang)
            .unwrap_or_default(),
        date: field(&["approved_on", "date"]).and_then(scalar),
        number: field(&["number"]).and_then(scalar),
        issuers: field(&["approved_by", "issuer"])
            .map(|v| match v {
                Value::Array(items) => items.iter().filter_map(scalar).collect(),
                other => scalar(other).into_iter().collect(),
            })
            .unwrap_or_default(),
        sources: field(&["source", "url", "sources"])
            .map(by_lang)
            .unwrap_or_default(),
        adilet_id: field(&["adilet_id"]).and_then(scalar),
        statuses: field(&["status"]).map(by_lang).unwrap_or_default(),
        notes: field(&["notes"]).map(by_lang).unwrap_or_default(),
    })
}

/// A scalar as text (strings, numbers, booleans); `None` for nulls, lists and mappings.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        // YAML reads unquoted `261` as a number; write it back as the integer it was, not `261.0`.
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Values given by language (`{kaz: …, rus: …}`, `{kk: …, ru: …}`) or once for any language; a value may be a
/// list, each of its scalars then counting as one value.
fn by_lang(v: &Value) -> Vec<(Option<Lang>, String)> {
    let values = |v: &Value| -> Vec<String> {
        match v {
            Value::Array(items) => items.iter().filter_map(scalar).collect(),
            other => scalar(other).into_iter().collect(),
        }
    };
    match v {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| {
                let lang = match k.to_lowercase().as_str() {
                    "kaz" | "kk" | "kz" => Some(Lang::Kk),
                    "rus" | "ru" => Some(Lang::Ru),
                    _ => return Vec::new(),
                };
                values(v).into_iter().map(|s| (lang, s)).collect()
            })
            .collect(),
        other => values(other).into_iter().map(|s| (None, s)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_sidecar_is_read_field_by_field() {
        let dir = tempfile::tempdir().unwrap();
        let meta = dir.path().join("meta.yaml");
        std::fs::write(
            &meta,
            "act_code: '100709'\nrequisite: Решение маслихата Алгинского района Актюбинской области от 12 февраля 2016 года № 261.\ntitle:\n  rus: Об утверждении Положения\n  kaz: '\"Алға\" Ережесін бекіту туралы'\napproved_on: 2016-02-12\napproved_by:\n- '153004000002'\nsource:\n  kaz: https://example.org/kaz\n  rus: https://example.org/rus\n",
        )
        .unwrap();
        let doc = dir.path().join("rus.md");
        assert_eq!(sidecar_path(&doc), Some(meta.clone()));
        let s = load(&meta).unwrap();
        assert_eq!(s.code.as_deref(), Some("100709"));
        assert_eq!(s.date.as_deref(), Some("2016-02-12"));
        assert_eq!(s.issuers, ["153004000002"]);
        assert_eq!(s.title(Lang::Kk), Some("\"Алға\" Ережесін бекіту туралы"));
        assert_eq!(s.source(Lang::Ru), Some("https://example.org/rus"));
        assert!(s.requisites(Lang::Kk).unwrap().ends_with("№ 261."));
    }

    #[test]
    fn a_broken_sidecar_names_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let meta = dir.path().join("meta.yaml");
        std::fs::write(&meta, "title: [unclosed\nsource: x\n").unwrap();
        let e = load(&meta).unwrap_err().to_string();
        assert!(e.starts_with(&meta.display().to_string()), "{e}");
        assert!(e.contains("invalid YAML"), "{e}");
        let json = dir.path().join("x.md.meta.json");
        std::fs::write(&json, "[1, 2]").unwrap();
        let e = load(&json).unwrap_err().to_string();
        assert!(e.contains("expected a mapping"), "{e}");
        // A document's own sidecar wins over the folder's.
        assert_eq!(sidecar_path(&dir.path().join("x.md")), Some(json));
    }
}
