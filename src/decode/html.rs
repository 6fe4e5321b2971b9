//! HTML documents, above all the server-rendered Әділет pages (fetched, or saved from a browser): the body text
//! with its paragraph boundaries and numbering, the notes set apart from it, and the header (title, status,
//! requisites line). Other HTML is read from its `<body>`.
//!
//! The page's shape (docs/domain.md): the body is a `div` whose classes start with `container_gamma` and `text`
//! (`text_new`, `text_upd`, `text_yts`, … after the status), holding an `<article>` of `<p id="zNNN">`
//! paragraphs; notes are elements with a class starting with `note`; the header holds an `<h1>` title, a
//! `<span class="status status_…">` and a `<p>` requisites line. Class names are matched by prefix, so a new
//! suffix does not break reading.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

/// What one page holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Page {
    /// The `<h1>` title.
    pub title: Option<String>,
    /// The status badge.
    pub status: Option<Status>,
    /// The requisites line of the header (type, issuer, date, number, registration, repeal).
    pub requisites: Option<String>,
    /// The body as text: one block (paragraph, heading, list item, table row) per line, blocks separated by an
    /// empty line, `<br>` a line break, table cells separated by `\t|\t` as in texts copied from tables.
    pub text: String,
    /// The notes found in the body, in order, each as one line of text; they are not part of `text`.
    pub notes: Vec<String>,
}

/// The status of an act as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    /// The suffix of the `status_…` class (`new`, `upd`, `yts`, …), or of the body's `text_…` class.
    pub code: String,
    /// The badge's words (`Жаңа`, `Обновленный`, `Күшін жойған`, …).
    pub label: String,
}

impl Status {
    /// Whether the act is no longer in force (`status_yts`, or the words for "repealed" in either language).
    pub fn is_repealed(&self) -> bool {
        self.code == "yts" || label_means_repealed(&self.label)
    }
}

/// Whether a status badge's words say "repealed" (Күшін жойған / Утративший силу): a `repealed_status` phrase of
/// `data/lexicon/keywords.tsv`.
pub fn label_means_repealed(label: &str) -> bool {
    let l = crate::text::lowercase(label);
    crate::lexicon::Lexicon::try_get().is_ok_and(|lex| lex.has("repealed_status", &l))
}

/// A page that cannot be read as an act.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// No body container: a login page, the single-page app's shell, an error page.
    #[error("no document body in the page (no div with classes container_gamma and text…); a login page or the wrong host?")]
    NoBody,
    /// The body holds no text.
    #[error("the document body of the page is empty")]
    EmptyBody,
}

/// Reads a page.
pub fn read_page(html: &str) -> Result<Page, PageError> {
    let doc = Html::parse_document(html);
    let root = doc.root_element();
    let body = root
        .descendent_elements()
        .find(|e| {
            class_with_prefix(e, "container_gamma").is_some()
                && class_with_prefix(e, "text").is_some()
        })
        .ok_or(PageError::NoBody)?;
    let article = body
        .descendent_elements()
        .find(|e| e.value().name() == "article")
        .unwrap_or(body);
    let (text, notes) = render(article);
    if text.trim().is_empty() {
        return Err(PageError::EmptyBody);
    }

    let h1 = root
        .descendent_elements()
        .find(|e| e.value().name() == "h1");
    let title = h1
        .map(|h| collapse(&h.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let status = root
        .descendent_elements()
        .find_map(|e| {
            let code = class_with_prefix(&e, "status_")?
                .trim_start_matches("status_")
                .to_string();
            Some(Status {
                code,
                label: collapse(&e.text().collect::<String>()),
            })
        })
        .or_else(|| {
            let code = class_with_prefix(&body, "text_")?
                .trim_start_matches("text_")
                .to_string();
            Some(Status {
                code,
                label: String::new(),
            })
        });
    let requisites = h1.and_then(|h| requisites_near(h, body));
    Ok(Page {
        title,
        status,
        requisites,
        text,
        notes,
    })
}

/// Reads any HTML document: an Әділет page as [`read_page`] does; another page from its whole `<body>`, with a
/// warning saying so.
pub fn read_html(html: &str) -> Result<(Page, Vec<String>), PageError> {
    match read_page(html) {
        Err(PageError::NoBody) => {}
        other => return other.map(|p| (p, Vec::new())),
    }
    let doc = Html::parse_document(html);
    let root = doc.root_element();
    let body = root
        .descendent_elements()
        .find(|e| e.value().name() == "body")
        .unwrap_or(root);
    let (text, notes) = render(body);
    if text.trim().is_empty() {
        return Err(PageError::EmptyBody);
    }
    let title = root
        .descendent_elements()
        .find(|e| e.value().name() == "h1" || e.value().name() == "title")
        .map(|h| collapse(&h.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    Ok((
        Page {
            title,
            status: None,
            requisites: None,
            text,
            notes,
        },
        vec!["HTML without an Әділет document body (div.container_gamma.text): the whole page body was read".into()],
    ))
}

/// The first class of an element that starts with a prefix.
fn class_with_prefix<'a>(e: &ElementRef<'a>, prefix: &str) -> Option<&'a str> {
    e.value().classes().find(|c| c.starts_with(prefix))
}

/// The requisites line: the first non-empty `<p>` of the header, the nearest `div` around the title, outside the
/// body and the status badge.
fn requisites_near(h1: ElementRef<'_>, body: ElementRef<'_>) -> Option<String> {
    let header = h1
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "div")?;
    // When the title's container also holds the body, only what comes before the body is header.
    let holds_body = body.ancestors().any(|a| a.id() == header.id());
    header
        .descendent_elements()
        .take_while(|e| !holds_body || e.id() != body.id())
        .filter(|e| {
            e.value().name() == "p"
                && class_with_prefix(e, "status").is_none()
                && class_with_prefix(e, "note").is_none()
        })
        .map(|p| collapse(&p.text().collect::<String>()))
        .find(|t| !t.is_empty())
}

/// Whitespace as HTML shows it: runs of spaces, tabs and line ends as one space, trimmed. No-break spaces are
/// kept (the normaliser treats them).
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Elements whose content is never text of the act.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "button", "form", "select",
];

/// Elements that stand on lines of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "article",
    "section",
    "blockquote",
    "pre",
    "header",
    "footer",
    "center",
    "caption",
    "hr",
];

/// Renders an element as text and notes, walking the tree without recursion (a page nested ten thousand levels
/// deep costs nothing more than a flat one).
fn render(root: ElementRef<'_>) -> (String, Vec<String>) {
    let mut renderer = Renderer::default();
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => renderer.open(node),
            Edge::Close(node) => renderer.close(node),
        }
    }
    renderer.finish()
}

/// The state of [`render`]'s walk.
#[derive(Default)]
struct Renderer {
    /// The lines written so far; an empty one sets blocks apart.
    lines: Vec<String>,
    /// The line being written.
    line: String,
    notes: Vec<String>,
    /// The node whose subtree is being skipped.
    skipping: Option<ego_tree::NodeId>,
    /// The node whose subtree is taken as a note, and the note's text so far.
    note: Option<(ego_tree::NodeId, String)>,
    /// Cells seen so far in each open table row.
    cells: Vec<usize>,
}

impl Renderer {
    /// Ends the line being written (kept if it holds any text); with `blank`, also the block (an empty line).
    fn end_line(&mut self, blank: bool) {
        let t = self
            .line
            .trim_matches(|c: char| c.is_ascii_whitespace())
            .to_string();
        self.line.clear();
        if !t.is_empty() {
            self.lines.push(t);
        }
        if blank && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// A node as the walk enters it: its text goes to the note or the line; an element is handled by
    /// [`Renderer::open_element`]. Nothing inside a skipped element counts.
    fn open(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        if self.skipping.is_some() {
            return;
        }
        match node.value() {
            Node::Text(t) => {
                let target = match &mut self.note {
                    Some((_, n)) => n,
                    None => &mut self.line,
                };
                push_inline(target, &t[..]);
            }
            Node::Element(e) => self.open_element(node.id(), e),
            _ => {}
        }
    }

    /// An element as the walk enters it: it may start a skip or a note; in a note, a block or break is a space;
    /// else a break or row ends the line, a cell after the first is set apart by `\t|\t`, a block ends the block.
    fn open_element(&mut self, id: ego_tree::NodeId, e: &scraper::node::Element) {
        let name = e.name();
        if SKIPPED.contains(&name) {
            self.skipping = Some(id);
            return;
        }
        if self.note.is_none() && e.classes().any(|c| c.starts_with("note")) {
            self.note = Some((id, String::new()));
            return;
        }
        if let Some((_, n)) = &mut self.note {
            if name == "br" || BLOCKS.contains(&name) {
                n.push(' ');
            }
            return;
        }
        match name {
            "br" => self.end_line(false),
            "tr" => {
                self.end_line(false);
                self.cells.push(0);
            }
            "td" | "th" => {
                if let Some(n) = self.cells.last_mut() {
                    if *n > 0 {
                        self.line.push_str("\t|\t");
                    }
                    *n += 1;
                }
            }
            _ if BLOCKS.contains(&name) => self.end_line(true),
            _ => {}
        }
    }

    /// A node as the walk leaves it: the end of a skip, of a note (kept if it holds text), of a row or a block.
    fn close(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        if self.skipping == Some(node.id()) {
            self.skipping = None;
            return;
        }
        if self.skipping.is_some() {
            return;
        }
        if self.note.as_ref().is_some_and(|(id, _)| *id == node.id()) {
            if let Some((_, n)) = self.note.take() {
                let n = collapse(&n);
                if !n.is_empty() {
                    self.notes.push(n);
                }
            }
            return;
        }
        if self.note.is_some() {
            return;
        }
        if let Node::Element(e) = node.value() {
            match e.name() {
                "tr" => {
                    self.cells.pop();
                    self.end_line(false);
                }
                "td" | "th" => {}
                name if BLOCKS.contains(&name) => self.end_line(true),
                _ => {}
            }
        }
    }

    /// The text, without trailing empty lines and ending in a line end, and the notes.
    fn finish(mut self) -> (String, Vec<String>) {
        self.end_line(false);
        (super::joined_lines(self.lines), self.notes)
    }
}

/// Appends inline text: runs of ASCII whitespace become one space, and no space opens a line.
fn push_inline(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') && !out.ends_with('\t') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_cells_breaks_and_entities() {
        let html = r#"<html><body>
            <div class="container_alpha slogan"><h1>Title &laquo;A&raquo;</h1>
              <p>Решение от 1 марта 2011&nbsp;года № 5</p>
              <span class="status status_new">Новый</span></div>
            <div class="container_gamma text text_new"><article>
              <p id="z1">1. First
                 paragraph<br>continued</p>
              <p id="z2">2. Second <b>bold</b> and&#160;nbsp <span class="note">Сноска. Изменено.</span></p>
              <table><tr><td>Аким района</td><td>Р.Кенжебеков</td></tr></table>
              <script>var x = "<p>not text</p>";</script>
            </article></div></body></html>"#;
        let p = read_page(html).unwrap();
        assert_eq!(p.title.as_deref(), Some("Title «A»"));
        assert_eq!(
            p.requisites.as_deref(),
            Some("Решение от 1 марта 2011\u{a0}года № 5")
        );
        assert_eq!(
            p.status,
            Some(Status {
                code: "new".into(),
                label: "Новый".into()
            })
        );
        assert_eq!(
            p.text,
            "1. First paragraph\ncontinued\n\n2. Second bold and\u{a0}nbsp\n\nАким района\t|\tР.Кенжебеков\n"
        );
        assert_eq!(p.notes, ["Сноска. Изменено."]);
    }

    #[test]
    fn pages_without_a_body_are_refused() {
        assert_eq!(
            read_page("<html><body><div id=app></div><script src=app.js></script></body></html>"),
            Err(PageError::NoBody)
        );
        assert_eq!(
            read_page(r#"<div class="container_gamma text text_new"><article> </article></div>"#),
            Err(PageError::EmptyBody)
        );
        // Not HTML at all: still no panic, just no body.
        assert_eq!(read_page("\u{0}\u{1}%PDF-1.4"), Err(PageError::NoBody));
    }

    #[test]
    fn deep_nesting_is_no_problem() {
        let depth = 20_000;
        let html = format!(
            r#"<div class="container_gamma text text_upd"><article>{}deep{}</article></div>"#,
            "<span>".repeat(depth),
            "</span>".repeat(depth)
        );
        let p = read_page(&html).unwrap();
        assert_eq!(p.text, "deep\n");
        assert_eq!(p.status.unwrap().code, "upd");
    }
}
