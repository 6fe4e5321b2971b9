//! Synthetic regulations for scale benchmarks and robustness tests, made by recombining the real corpus.
//!
//! Each generated act takes a real regulation of the corpus (a Kazakh–Russian pair with its sidecar, or a Kazakh
//! text) and changes: its administrative unit (a made-up district name in place of the real one, in its Kazakh
//! form and its Russian adjective, a different one for every act), the number of its approving act (so that every generated act is an act of its
//! own), and about a third of its numbered items (`1) …`), which are replaced by items of other regulations in the
//! same language, with the citations they hold. Everything is drawn from a ChaCha8 generator seeded by the caller:
//! the same seed gives the same corpus, byte for byte.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};

/// A real regulation to recombine.
#[derive(Debug, Clone)]
struct Template {
    /// Kazakh text, and its file name (`kaz.md`, `….txt`).
    kk: (String, String),
    /// Russian text (`rus.md`), for pairs.
    ru: Option<String>,
    /// Sidecar text (`meta.yaml`), for pairs.
    meta: Option<String>,
    /// The approving act's number as written.
    number: Option<String>,
    /// The unit to replace: Kazakh proper name and Russian stem (capitalised, `Алгинск`).
    unit: Option<(String, String)>,
}

/// What a generated act changes in its template: the unit (the made-up one's Kazakh name and Russian stem) and
/// the approving act's number, and the Kazakh unit words (`аудан`, `қала`) a replaced name stands before.
struct Change<'a> {
    unit: (String, String),
    number: String,
    unit_words: &'a [String],
}

/// The generator's failure.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The corpus folder could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// The tables of `data/` could not be loaded.
    #[error("the tables of data/: {0}")]
    Lexicon(#[from] crate::lexicon::LexiconLoadError),
    /// `data/synth/words.tsv` could not be read.
    #[error(transparent)]
    SynthWords(#[from] crate::datafile::DataFileError),
    /// The corpus holds nothing to recombine.
    #[error("{0}: no regulations to recombine (expected pairs/*/kaz.md with rus.md and meta.yaml, or *.txt)")]
    Empty(PathBuf),
}

/// The words of `data/synth/words.tsv`: parts of made-up district names and the words that find what a template
/// names.
#[derive(Debug, Clone, Default)]
struct SynthWords {
    /// Parts of made-up names, joined in order (an empty part is left out).
    parts: [Vec<String>; 4],
    /// SynthWords of the line that states the approving act's number.
    annex: Vec<String>,
    /// Kazakh unit words after a unit's name (`аудан`, `қала`).
    unit: Vec<String>,
    /// Russian adjective endings dropped to get a name's stem.
    ru_endings: Vec<String>,
    /// What makes a Russian adjective's stem of a Kazakh name (`ск`).
    ru_adjective: String,
    /// Kazakh letters and the Russian ones they become.
    letters: Vec<(char, char)>,
}

const WORDS_FILE: &str = "synth/words.tsv";

impl SynthWords {
    /// Reads the table (from `$AKIMAT_KG_DATA` when it is set); an error names the line.
    fn load() -> Result<SynthWords, crate::datafile::DataFileError> {
        let text = crate::datafile::text(WORDS_FILE, include_str!("../data/synth/words.tsv"))?;
        let mut w = SynthWords::default();
        for (line, row) in crate::datafile::rows(&text) {
            let bad = |message: String| crate::datafile::DataFileError {
                file: WORDS_FILE.into(),
                line,
                message,
            };
            let f: Vec<&str> = row.split('\t').map(str::trim).collect();
            let [kind, value, to] = f[..] else {
                return Err(bad(format!(
                    "expected 3 columns (kind, value, as), found {}",
                    f.len()
                )));
            };
            let value = if value == "-" { "" } else { value }.to_string();
            let one = |v: &str| {
                let mut cs = v.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => Ok(c),
                    _ => Err(bad(format!("{v:?} is not one letter"))),
                }
            };
            match kind {
                "part1" | "part2" | "part3" | "part4" => {
                    w.parts[usize::from(kind.as_bytes()[4] - b'1')].push(value)
                }
                "annex-word" => w.annex.push(value),
                "unit-word" => w.unit.push(value),
                "ru-ending" => w.ru_endings.push(value),
                "ru-adjective" => w.ru_adjective = value,
                "letter" => w.letters.push((one(&value)?, one(to)?)),
                other => return Err(bad(format!("unknown kind {other:?}"))),
            }
        }
        if let Some(i) = w.parts.iter().position(Vec::is_empty) {
            return Err(crate::datafile::DataFileError {
                file: WORDS_FILE.into(),
                line: 0,
                message: format!("no rows of part{}", i + 1),
            });
        }
        Ok(w)
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Documents (files of text).
    pub documents: usize,
    /// Bytes of text.
    pub bytes: u64,
}

/// Writes `count` documents recombined from the corpus at `corpus` into `out` (one folder per act: `NNNNNN/` with
/// `kaz.md`, `rus.md` and `meta.yaml`, or a `kaz.txt`), drawn from `seed`.
pub fn generate(corpus: &Path, out: &Path, count: usize, seed: u64) -> Result<Written, SynthError> {
    let words = SynthWords::load()?;
    let templates = load(corpus, &words)?;
    let mut pools: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    for t in &templates {
        pools[0].extend(items(&t.kk.0));
        if let Some(ru) = &t.ru {
            pools[1].extend(items(ru));
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| SynthError::Io { path, cause }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
    let mut written = Written::default();
    let mut act = 0usize;
    while written.documents < count {
        act += 1;
        let t = templates.choose(&mut rng).expect("templates are not empty");
        let change = Change {
            unit: district(act, &words),
            number: format!("{}", 1000 + act),
            unit_words: &words.unit,
        };
        let folder = out.join(format!("{act:06}"));
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
        let mut files = vec![(
            t.kk.1.clone(),
            rewrite(&t.kk.0, t, &change, &pools[0], &mut rng, false),
        )];
        if let (Some(ru), true) = (&t.ru, written.documents + 1 < count) {
            files.push((
                "rus.md".into(),
                rewrite(ru, t, &change, &pools[1], &mut rng, true),
            ));
            if let Some(meta) = &t.meta {
                let meta = substitute(meta, t, &change, true)
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("source:") && !l.contains("zan.gov.kz"))
                    .map(|l| {
                        if l.starts_with("act_code:") {
                            format!("act_code: 'synthetic-{act}'")
                        } else {
                            l.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                files.push(("meta.yaml".into(), meta + "\n"));
            }
        }
        for (name, text) in files {
            let path = folder.join(&name);
            std::fs::write(&path, &text).map_err(io(&path))?;
            if name != "meta.yaml" {
                written.documents += 1;
                written.bytes += text.len() as u64;
            }
        }
    }
    Ok(written)
}

/// Reads the templates: `pairs/*/` with `kaz.md`, `rus.md`, `meta.yaml`, and the `*.txt` at the top.
fn load(corpus: &Path, words: &SynthWords) -> Result<Vec<Template>, SynthError> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|cause| SynthError::Io {
            path: p.to_path_buf(),
            cause,
        })
    };
    let units = units(words)?;
    let mut out = Vec::new();
    let pairs = corpus.join("pairs");
    if let Ok(entries) = std::fs::read_dir(&pairs) {
        let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        dirs.sort();
        for d in dirs {
            let (kk, ru, meta) = (d.join("kaz.md"), d.join("rus.md"), d.join("meta.yaml"));
            if !(kk.is_file() && ru.is_file() && meta.is_file()) {
                continue;
            }
            let (kk, ru, meta) = (read(&kk)?, read(&ru)?, read(&meta)?);
            let number = first_number(&meta);
            let unit = units
                .iter()
                .filter(|(_, stem)| ru.contains(stem.as_str()))
                .filter(|(k, _)| unit_mentions(&kk, k, words) > 0)
                .max_by_key(|(k, _)| unit_mentions(&kk, k, words))
                .cloned();
            out.push(Template {
                kk: (kk, "kaz.md".into()),
                ru: Some(ru),
                meta: Some(meta),
                number,
                unit,
            });
        }
    }
    if let Ok(entries) = std::fs::read_dir(corpus) {
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for f in files {
            let kk = read(&f)?;
            let number = kk
                .lines()
                .find(|l| l.contains('№') && words.annex.iter().any(|w| l.contains(w.as_str())))
                .and_then(first_number);
            let unit = units
                .iter()
                .filter(|(k, _)| unit_mentions(&kk, k, words) > 0)
                .max_by_key(|(k, _)| unit_mentions(&kk, k, words))
                .cloned();
            out.push(Template {
                kk: (kk, "kaz.txt".into()),
                ru: None,
                meta: None,
                number,
                unit,
            });
        }
    }
    if out.is_empty() {
        return Err(SynthError::Empty(corpus.to_path_buf()));
    }
    Ok(out)
}

/// The districts and cities of the gazetteer: Kazakh proper name and the stem of the Russian name (`Алгинск` of
/// `Алгинский район`, `Аксу` of `город Аксу`).
fn units(words: &SynthWords) -> Result<Vec<(String, String)>, SynthError> {
    let lex = crate::lexicon::Lexicon::try_get()?;
    let mut out: Vec<(String, String)> = lex
        .gazetteer
        .periods
        .iter()
        .filter(|p| {
            matches!(
                p.unit_type.as_str(),
                "District" | "CityOfRegionalSignificance"
            )
        })
        .map(|p| {
            let kk = lex.proper_name(&p.kk, crate::lexicon::Lang::Kk);
            let ru = lex.proper_name(&p.ru, crate::lexicon::Lang::Ru);
            let stem = words
                .ru_endings
                .iter()
                .find_map(|e| ru.strip_suffix(e.as_str()))
                .unwrap_or(&ru)
                .to_string();
            (kk, stem)
        })
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// How often a text names a unit by its Kazakh name and a unit word (`Алға ауданы`, `Ақсу қаласының`).
fn unit_mentions(text: &str, kk: &str, words: &SynthWords) -> usize {
    text.match_indices(kk)
        .filter(|(i, _)| whole_word(text, *i, kk.len()))
        .filter(|(i, _)| {
            let rest = text[i + kk.len()..].trim_start();
            words.unit.iter().any(|w| rest.starts_with(w.as_str()))
        })
        .count()
}

/// The first `№ N` of a text.
fn first_number(text: &str) -> Option<String> {
    let at = text.find('№')?;
    let rest = text[at + '№'.len_utf8()..].trim_start();
    let n: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '/' || *c == '-')
        .collect();
    (!n.is_empty()).then_some(n)
}

/// Whether the `len` bytes at `i` of a text stand as a word of their own (not inside a longer word).
fn whole_word(text: &str, i: usize, len: usize) -> bool {
    let before = text[..i].chars().next_back();
    let after = text[i + len..].chars().next();
    !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
}

/// The texts of the numbered items (`1) …`) of a text, as whole lines without their number.
fn items(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let t = l.trim_start();
            let close = t.find(") ")?;
            (close > 0 && close <= 3 && t[..close].chars().all(|c| c.is_ascii_digit()))
                .then(|| t[close + 2..].to_string())
        })
        .filter(|s| s.chars().count() > 20)
        .collect()
}

/// The made-up district of act number `act` (1-based): a Kazakh proper name, different for each act up to the
/// product of the parts' counts (20,736 with the shipped table), and the Russian stem of its adjective.
fn district(act: usize, words: &SynthWords) -> (String, String) {
    let combos: usize = words.parts.iter().map(Vec::len).product();
    // A fixed permutation of the combinations (7919 is prime to 12^4), so that neighbours differ in every part.
    let mut k = (act.wrapping_mul(7919)) % combos;
    let mut kk = String::new();
    for part in &words.parts {
        kk.push_str(&part[k % part.len()]);
        k /= part.len();
    }
    let mut ru: String = kk
        .chars()
        .map(|c| {
            words
                .letters
                .iter()
                .find(|(k, _)| *k == c)
                .map_or(c, |(_, r)| *r)
        })
        .collect();
    ru.push_str(&words.ru_adjective);
    (kk, ru)
}

/// The unit and the act number changed.
fn substitute(text: &str, t: &Template, change: &Change<'_>, russian: bool) -> String {
    let (unit, number) = (&change.unit, &change.number);
    let mut out = text.to_string();
    if let Some((kk, stem)) = &t.unit {
        if russian {
            out = out.replace(stem.as_str(), &unit.1);
        } else {
            out = replace_unit(&out, kk, &unit.0, change.unit_words);
        }
    }
    if let Some(n) = &t.number {
        out = out
            .replace(&format!("№ {n}"), &format!("№ {number}"))
            .replace(&format!("№{n}"), &format!("№{number}"));
    }
    out
}

/// `text` with the unit name `word` replaced by `by` where it stands as a word of its own before one of
/// `unit_words`.
fn replace_unit(text: &str, word: &str, by: &str, unit_words: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, _) in text.match_indices(word) {
        let rest = text[i + word.len()..].trim_start();
        if !whole_word(text, i, word.len())
            || !unit_words.iter().any(|w| rest.starts_with(w.as_str()))
        {
            continue;
        }
        out.push_str(&text[last..i]);
        out.push_str(by);
        last = i + word.len();
    }
    out.push_str(&text[last..]);
    out
}

/// A template's text with the unit and number changed and about a third of its items drawn from the pool.
fn rewrite(
    text: &str,
    t: &Template,
    change: &Change<'_>,
    pool: &[String],
    rng: &mut ChaCha8Rng,
    russian: bool,
) -> String {
    let text = substitute(text, t, change, russian);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let indent = &line[..line.len() - t.len()];
        let swapped = t
            .find(") ")
            .filter(|&c| c > 0 && c <= 3 && t[..c].chars().all(|c| c.is_ascii_digit()));
        match swapped {
            Some(c) if !pool.is_empty() && rng.random_bool(0.33) => {
                let item = pool.choose(rng).map_or("", String::as_str);
                out.push_str(indent);
                out.push_str(&t[..c + 2]);
                out.push_str(item);
                out.push('\n');
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/regulations");
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let wa = generate(&corpus, a.path(), 30, 7).unwrap();
        let wb = generate(&corpus, b.path(), 30, 7).unwrap();
        assert_eq!((wa.documents, wa.bytes), (wb.documents, wb.bytes));
        assert_eq!(wa.documents, 30);
        for e in walkdir::WalkDir::new(a.path())
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let rel = e.path().strip_prefix(a.path()).unwrap();
            assert_eq!(
                std::fs::read(e.path()).unwrap(),
                std::fs::read(b.path().join(rel)).unwrap()
            );
        }
    }
}
