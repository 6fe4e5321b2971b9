//! Stage 0 for documents that are not on disk yet: fetching acts from the server-rendered Әділет pages.
//!
//! For each act ID, every requested language version (`/{kaz|rus}/docs/{ID}` on the configured host) is
//! downloaded politely (see [`crate::http`]), read ([`page`]), and saved under the cache folder as
//! `<cache>/<ID>/kaz.txt`, `rus.txt` and a `meta.json` sidecar (the ID, titles, requisites lines, statuses,
//! notes, source URLs and HTTP validators) that `ingest` reads like any sidecar. An ID is saved whole or not at all:
//! its files are written to a temporary folder that replaces the old one by a rename, so an interrupted run leaves
//! either the previous version or the new one. A saved ID is skipped on the next run (the run is resumable);
//! `refresh` asks the server again with `If-None-Match` / `If-Modified-Since`.

use crate::decode::html::{self as page, read_page, Page};
use crate::http::{self, ClientOptions, HttpError, Retry};
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::HeaderName;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The host of the server-rendered pages (docs/domain.md: the main host became a single-page app behind a login).
pub const DEFAULT_HOST: &str = "https://old.adilet.zan.kz";

/// A browser's User-Agent: the site answers scripts that announce themselves differently.
pub const DEFAULT_USER_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

/// Largest page accepted, in bytes.
pub const MAX_PAGE_BYTES: u64 = 64 << 20;

/// A language version of an act on Әділет.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageLang {
    /// Kazakh.
    Kaz,
    /// Russian.
    Rus,
}

impl PageLang {
    /// The path segment and file stem (`kaz`, `rus`).
    pub fn code(self) -> &'static str {
        match self {
            PageLang::Kaz => "kaz",
            PageLang::Rus => "rus",
        }
    }

    /// Both, in the order they are fetched.
    pub const ALL: [PageLang; 2] = [PageLang::Kaz, PageLang::Rus];
}

/// What to fetch: an act ID, from the configured host or the host of a URL the user gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The act ID, exactly as given.
    pub id: String,
    /// The host of a URL given instead of an ID (`https://old.adilet.zan.kz`).
    pub host: Option<String>,
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// An argument is neither an act ID nor a document URL.
    #[error("{given:?}: not an act ID (letters and digits, like G22VT00016M) nor a URL of a document (…/kaz/docs/ID)")]
    BadTarget {
        /// What was given.
        given: String,
    },
    /// The ID list file could not be read.
    #[error("{path}: {cause}")]
    List {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: String,
    },
    /// The request failed for good.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: StatusCode,
    },
    /// The body could not be read, or is too large.
    #[error("{url}: {message}")]
    Body {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The page is not an act's page.
    #[error("{url}: {cause}")]
    Page {
        /// The URL.
        url: String,
        /// Why.
        cause: page::PageError,
    },
    /// The cache folder could not be written.
    #[error("{path}: {cause}")]
    Cache {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
}

/// Reads an argument: an act ID, or a document URL (`https://host/{kaz|rus|eng}/docs/{ID}[/tab]`). IDs are kept
/// exactly as written (never normalised): letters, digits, `-` and `_`.
pub fn parse_target(given: &str) -> Result<Target, FetchError> {
    let bad = || FetchError::BadTarget {
        given: given.to_string(),
    };
    let g = given.trim();
    let is_id = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if let Some(rest) = g
        .strip_prefix("https://")
        .or_else(|| g.strip_prefix("http://"))
    {
        let scheme = &g[..g.len() - rest.len()];
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let mut parts = rest.split('/');
        let host = parts.next().filter(|h| !h.is_empty()).ok_or_else(bad)?;
        let segments: Vec<&str> = parts.filter(|s| !s.is_empty()).collect();
        let at = segments.iter().position(|s| *s == "docs").ok_or_else(bad)?;
        let id = segments
            .get(at + 1)
            .copied()
            .filter(|s| is_id(s))
            .ok_or_else(bad)?;
        return Ok(Target {
            id: id.to_string(),
            host: Some(format!("{scheme}{host}")),
        });
    }
    if is_id(g) {
        Ok(Target {
            id: g.to_string(),
            host: None,
        })
    } else {
        Err(bad())
    }
}

/// Reads a list of targets, one per line; blank lines and lines starting with `#` are skipped. A bad line is an
/// error naming the file and line.
pub fn read_list(path: &Path) -> Result<Vec<Target>, FetchError> {
    let text = std::fs::read_to_string(path).map_err(|e| FetchError::List {
        path: path.to_path_buf(),
        cause: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(parse_target(line).map_err(|e| FetchError::List {
            path: path.to_path_buf(),
            cause: format!("line {}: {e}", n + 1),
        })?);
    }
    Ok(out)
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Scheme and host of the pages (`https://old.adilet.zan.kz`), without a trailing slash.
    pub host: String,
    /// Language versions to fetch.
    pub langs: Vec<PageLang>,
    /// Where fetched acts are saved.
    pub cache: PathBuf,
    /// Shortest pause between two requests.
    pub delay: Duration,
    /// Longest pause; each pause is drawn between `delay` and this.
    pub delay_max: Duration,
    /// Retry policy.
    pub retry: Retry,
    /// Client settings (User-Agent, time-out, CA certificates; cookies are always kept).
    pub client: ClientOptions,
    /// Ask again for IDs already saved (conditionally).
    pub refresh: bool,
}

/// The HTTP validators of a saved page, for conditional re-fetching.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// `ETag`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Last-Modified`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// When it was fetched (RFC 3339).
    pub fetched_at: String,
}

/// The sidecar written beside the texts of a fetched act (`meta.json`); field names are those the sidecar reader
/// knows ([`crate::read::sidecar`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The act's ID.
    pub adilet_id: String,
    /// Titles by language.
    pub title: BTreeMap<PageLang, String>,
    /// Requisites lines by language.
    pub requisite: BTreeMap<PageLang, String>,
    /// Status words by language.
    pub status: BTreeMap<PageLang, String>,
    /// Status codes (`new`, `upd`, `yts`) by language.
    pub status_code: BTreeMap<PageLang, String>,
    /// Whether the act is repealed, by the page of any language.
    pub repealed: bool,
    /// Notes by language, as provenance.
    pub notes: BTreeMap<PageLang, Vec<String>>,
    /// Page URLs by language.
    pub source: BTreeMap<PageLang, String>,
    /// HTTP validators by language.
    pub http: BTreeMap<PageLang, Validators>,
}

/// What happened to one ID.
#[derive(Debug)]
pub enum FetchStatus {
    /// Saved (new, or changed since the last fetch).
    Saved {
        /// Its folder.
        folder: PathBuf,
        /// Whether any page had changed since a previous fetch (false for a first fetch).
        replaced: bool,
        /// Whether the act is repealed.
        repealed: bool,
    },
    /// Asked again: the server said nothing changed.
    NotModified {
        /// Its folder.
        folder: PathBuf,
    },
    /// Already saved; not asked again.
    Skipped {
        /// Its folder.
        folder: PathBuf,
    },
}

/// A polite fetcher: one client with a cookie jar, and a pause between requests.
pub struct Fetcher {
    client: Client,
    opts: FetchOptions,
    last: Option<Instant>,
    seed: u64,
}

impl Fetcher {
    /// Sets up the client.
    pub fn new(opts: FetchOptions) -> Result<Fetcher, FetchError> {
        let mut client = opts.client.clone();
        client.cookies = true;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
            | 1;
        Ok(Fetcher {
            client: http::client(&client)?,
            opts,
            last: None,
            seed,
        })
    }

    /// The folder of an ID in the cache.
    pub fn folder(&self, id: &str) -> PathBuf {
        self.opts.cache.join(id)
    }

    /// Whether an ID is saved with every requested language.
    pub fn is_saved(&self, id: &str) -> bool {
        load_meta(&self.folder(id)).is_some_and(|m| {
            self.opts.langs.iter().all(|l| {
                m.source.contains_key(l)
                    && self.folder(id).join(format!("{}.txt", l.code())).is_file()
            })
        })
    }

    /// Fetches one act, every requested language, and saves it whole; on any failure nothing of it is written and
    /// the previous version, if any, stays. `note` hears about retries.
    pub fn fetch(
        &mut self,
        target: &Target,
        note: &mut dyn FnMut(String),
    ) -> Result<FetchStatus, FetchError> {
        let folder = self.folder(&target.id);
        let previous = load_meta(&folder);
        if previous.is_some() && !self.opts.refresh && self.is_saved(&target.id) {
            return Ok(FetchStatus::Skipped { folder });
        }
        let host = target
            .host
            .clone()
            .unwrap_or_else(|| self.opts.host.clone());
        let host = host.trim_end_matches('/').to_string();
        let mut meta = Meta {
            adilet_id: target.id.clone(),
            ..Meta::default()
        };
        let mut texts: Vec<(PageLang, String)> = Vec::new();
        let mut changed = false;
        for &lang in &self.opts.langs.clone() {
            let url = format!("{host}/{}/docs/{}", lang.code(), target.id);
            let old = previous
                .as_ref()
                .filter(|_| folder.join(format!("{}.txt", lang.code())).is_file())
                .and_then(|m| m.http.get(&lang).cloned());
            match self.get(&url, old.as_ref(), note)? {
                Got::NotModified => {
                    let prev = previous
                        .as_ref()
                        .expect("validators come from a previous fetch");
                    let text_path = folder.join(format!("{}.txt", lang.code()));
                    let text =
                        std::fs::read_to_string(&text_path).map_err(|cause| FetchError::Cache {
                            path: text_path.clone(),
                            cause,
                        })?;
                    copy_lang(prev, &mut meta, lang);
                    texts.push((lang, text));
                }
                Got::Page { page, validators } => {
                    changed = true;
                    record(&mut meta, lang, &url, &page, validators);
                    texts.push((lang, page.text.clone()));
                }
            }
        }
        meta.repealed = meta.status_code.values().any(|c| c == "yts")
            || meta.status.values().any(|s| page::label_means_repealed(s));
        if !changed {
            return Ok(FetchStatus::NotModified { folder });
        }
        save(&self.opts.cache, &target.id, &meta, &texts)?;
        Ok(FetchStatus::Saved {
            folder,
            replaced: previous.is_some(),
            repealed: meta.repealed,
        })
    }

    /// Waits out the pause since the last request.
    fn pause(&mut self) {
        if let Some(last) = self.last {
            let span = self.opts.delay_max.saturating_sub(self.opts.delay);
            // xorshift: a pause drawn between delay and delay_max, so requests do not come like clockwork.
            self.seed ^= self.seed << 13;
            self.seed ^= self.seed >> 7;
            self.seed ^= self.seed << 17;
            let frac = (self.seed % 1_000_000) as f64 / 1_000_000.0;
            let wait = self.opts.delay + span.mul_f64(frac);
            let elapsed = last.elapsed();
            if elapsed < wait {
                std::thread::sleep(wait - elapsed);
            }
        }
        self.last = Some(Instant::now());
    }

    /// One page, with retries, conditionally when validators are known.
    fn get(
        &mut self,
        url: &str,
        old: Option<&Validators>,
        note: &mut dyn FnMut(String),
    ) -> Result<Got, FetchError> {
        let response = self.send(url, old, note)?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED && old.is_some() {
            return Ok(Got::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
        let validators = Validators {
            etag: header(&response, reqwest::header::ETAG),
            last_modified: header(&response, reqwest::header::LAST_MODIFIED),
            fetched_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        let charset = charset(&response);
        let bytes = read_body(response, url)?;
        // The header's charset, else a BOM, else UTF-8 (what the site sends).
        let (html, _, _) = charset.unwrap_or(encoding_rs::UTF_8).decode(&bytes);
        let page = read_page(&html).map_err(|cause| FetchError::Page {
            url: url.to_string(),
            cause,
        })?;
        Ok(Got::Page {
            page: Box::new(page),
            validators,
        })
    }

    /// Asks for a page once the pause is over, retrying as the policy says (a backoff counts as a pause).
    fn send(
        &mut self,
        url: &str,
        old: Option<&Validators>,
        note: &mut dyn FnMut(String),
    ) -> Result<Response, FetchError> {
        let client = self.client.clone();
        let make = || conditional_request(&client, url, old);
        self.pause();
        let retry = self.opts.retry;
        let mut last = self.last;
        let response = http::send(url, make, &retry, |why, wait| {
            note(format!(
                "{url}: {why}; retrying in {:.1} s",
                wait.as_secs_f64()
            ));
            // The backoff is a pause too; the next attempt counts from its end.
            last = Some(Instant::now() + wait);
        })?;
        self.last = last.map(|l| l.max(Instant::now()));
        Ok(response)
    }
}

/// A request for a page, conditional on the validators of the saved copy when they are known.
fn conditional_request(client: &Client, url: &str, old: Option<&Validators>) -> RequestBuilder {
    let mut r = client.get(url).header(
        reqwest::header::ACCEPT,
        "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    );
    if let Some(v) = old {
        if let Some(e) = &v.etag {
            r = r.header(reqwest::header::IF_NONE_MATCH, e);
        }
        if let Some(m) = &v.last_modified {
            r = r.header(reqwest::header::IF_MODIFIED_SINCE, m);
        }
    }
    r
}

/// A header of a response, when its value is text.
fn header(response: &Response, name: HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The encoding the `Content-Type` header names, if it names one.
fn charset(response: &Response) -> Option<&'static encoding_rs::Encoding> {
    header(response, reqwest::header::CONTENT_TYPE)
        .and_then(|ct| {
            ct.split(';').find_map(|p| {
                p.trim()
                    .strip_prefix("charset=")
                    .map(|c| c.trim_matches('"').to_string())
            })
        })
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
}

/// The body of a response, refused past [`MAX_PAGE_BYTES`].
fn read_body(response: Response, url: &str) -> Result<Vec<u8>, FetchError> {
    let mut bytes = Vec::new();
    response
        .take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FetchError::Body {
            url: url.to_string(),
            message: format!("reading the page failed: {e}"),
        })?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(FetchError::Body {
            url: url.to_string(),
            message: format!("page larger than {} MiB", MAX_PAGE_BYTES >> 20),
        });
    }
    Ok(bytes)
}

enum Got {
    NotModified,
    Page {
        page: Box<Page>,
        validators: Validators,
    },
}

fn record(meta: &mut Meta, lang: PageLang, url: &str, page: &Page, validators: Validators) {
    if let Some(t) = &page.title {
        meta.title.insert(lang, t.clone());
    }
    if let Some(r) = &page.requisites {
        meta.requisite.insert(lang, r.clone());
    }
    if let Some(s) = &page.status {
        if !s.label.is_empty() {
            meta.status.insert(lang, s.label.clone());
        }
        meta.status_code.insert(lang, s.code.clone());
    }
    if !page.notes.is_empty() {
        meta.notes.insert(lang, page.notes.clone());
    }
    meta.source.insert(lang, url.to_string());
    meta.http.insert(lang, validators);
}

fn copy_lang(from: &Meta, to: &mut Meta, lang: PageLang) {
    let copy = |a: &BTreeMap<PageLang, String>, b: &mut BTreeMap<PageLang, String>| {
        if let Some(v) = a.get(&lang) {
            b.insert(lang, v.clone());
        }
    };
    copy(&from.title, &mut to.title);
    copy(&from.requisite, &mut to.requisite);
    copy(&from.status, &mut to.status);
    copy(&from.status_code, &mut to.status_code);
    copy(&from.source, &mut to.source);
    if let Some(n) = from.notes.get(&lang) {
        to.notes.insert(lang, n.clone());
    }
    if let Some(v) = from.http.get(&lang) {
        to.http.insert(lang, v.clone());
    }
}

/// The sidecar of a saved act, if it is there and readable.
pub fn load_meta(folder: &Path) -> Option<Meta> {
    let bytes = std::fs::read(folder.join("meta.json")).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes an act's texts and sidecar into a fresh folder beside the cache entry, then puts it in place with
/// renames, so that the entry is never half-written.
fn save(
    cache: &Path,
    id: &str,
    meta: &Meta,
    texts: &[(PageLang, String)],
) -> Result<(), FetchError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| FetchError::Cache { path, cause }
    };
    std::fs::create_dir_all(cache).map_err(io(cache))?;
    let pid = std::process::id();
    let partial = cache.join(format!(".{id}.partial-{pid}"));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir(&partial).map_err(io(&partial))?;
    for (lang, text) in texts {
        let f = partial.join(format!("{}.txt", lang.code()));
        write_synced(&f, text.as_bytes()).map_err(io(&f))?;
    }
    let f = partial.join("meta.json");
    let json = serde_json::to_vec_pretty(meta).expect("the sidecar serialises");
    write_synced(&f, &json).map_err(io(&f))?;
    let target = cache.join(id);
    let old = cache.join(format!(".{id}.old-{pid}"));
    let had_old = target.exists();
    if had_old {
        std::fs::rename(&target, &old).map_err(io(&target))?;
    }
    if let Err(cause) = std::fs::rename(&partial, &target) {
        if had_old {
            let _ = std::fs::rename(&old, &target);
        }
        return Err(FetchError::Cache {
            path: target,
            cause,
        });
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Removes what interrupted runs left in the cache folder (`.ID.partial-…`; `.ID.old-…` put back where the entry
/// itself is missing). Returns how many were cleaned.
pub fn clean_cache(cache: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix('.') else {
            continue;
        };
        if rest.contains(".partial-") {
            if std::fs::remove_dir_all(e.path()).is_ok() {
                n += 1;
            }
        } else if let Some((id, _)) = rest.split_once(".old-") {
            let entry = cache.join(id);
            let done = if entry.exists() {
                std::fs::remove_dir_all(e.path()).is_ok()
            } else {
                std::fs::rename(e.path(), &entry).is_ok()
            };
            n += usize::from(done);
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_urls_are_read_and_never_normalised() {
        assert_eq!(
            parse_target("G22VT00016M").unwrap(),
            Target {
                id: "G22VT00016M".into(),
                host: None
            }
        );
        assert_eq!(parse_target("v15na005774").unwrap().id, "v15na005774");
        let t = parse_target("https://old.adilet.zan.kz/rus/docs/G25R003632A/info?x=1").unwrap();
        assert_eq!(t.id, "G25R003632A");
        assert_eq!(t.host.as_deref(), Some("https://old.adilet.zan.kz"));
        let t = parse_target("http://insecure.zan.kz/kaz/docs/V15NA005774").unwrap();
        assert_eq!(t.host.as_deref(), Some("http://insecure.zan.kz"));
        for bad in [
            "",
            "G22 VT",
            "../etc",
            "https://host/kaz/nodocs/X",
            "https:///kaz/docs/X",
            "ftp://x/docs/A",
        ] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_list_names_its_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("ids.txt");
        std::fs::write(&f, "# acts\nG22VT00016M\n\nnot an id!\n").unwrap();
        let e = read_list(&f).unwrap_err().to_string();
        assert!(e.contains("ids.txt") && e.contains("line 4"), "{e}");
        std::fs::write(&f, "\u{feff}G22VT00016M\n  V15NA005774  \n").unwrap();
        let ids: Vec<String> = read_list(&f).unwrap().into_iter().map(|t| t.id).collect();
        assert_eq!(ids, ["G22VT00016M", "V15NA005774"]);
    }

    #[test]
    fn a_save_replaces_the_entry_whole_and_leftovers_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let meta = Meta {
            adilet_id: "X1".into(),
            ..Meta::default()
        };
        save(dir.path(), "X1", &meta, &[(PageLang::Kaz, "бір".into())]).unwrap();
        save(dir.path(), "X1", &meta, &[(PageLang::Rus, "два".into())]).unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path().join("X1"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(names, ["meta.json", "rus.txt"]);
        assert_eq!(load_meta(&dir.path().join("X1")).unwrap(), meta);
        // What a killed run leaves: a partial folder, and an old entry moved aside before its replacement landed.
        std::fs::create_dir(dir.path().join(".X2.partial-7")).unwrap();
        std::fs::rename(dir.path().join("X1"), dir.path().join(".X1.old-7")).unwrap();
        assert_eq!(clean_cache(dir.path()), 2);
        assert!(dir.path().join("X1/rus.txt").is_file());
        assert!(!dir.path().join(".X2.partial-7").exists());
    }
}
