//! Stage 5: extraction of the facts MODEL.md names from a parsed document.
//!
//! Input: the [`Document`] tree, its [`NormText`] and the decoded original. Output: an [`Extraction`], the
//! documented, stable extraction report (`akimat-kg extract --format json`): the approving resolution, the
//! institution with its names, legal form, unit, founder, address, working hours and financing, its subordinate
//! organisations, its provisions and the legal acts cited. Extraction reads the tree, never the raw text again.

pub mod citations;
pub mod dates;
pub mod lang;
pub mod provisions;
pub mod units;

use crate::lexicon::{words, Lang, Lexicon};
use crate::normalize::NormText;
use crate::parse::{Block, Document, Paragraph};
use citations::{find_citations, ActRef, Citation, Segment};
use provisions::{collapse, Provision};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;
use units::{find_units, slug, with_region, RegionRef, UnitRef};

/// A local body: the akimat, maslikhat or akim of a unit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BodyRef {
    /// `akimat`, `maslikhat` or `akim`.
    pub kind: String,
    /// The unit it governs.
    pub unit: UnitRef,
}

/// A signature under the resolution.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Signatory {
    /// Role as written.
    pub role: String,
    /// Name as written.
    pub name: String,
}

/// The resolution (or decision) that approves the regulation.
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// `AkimatResolution`, `MaslikhatDecision` or `AkimDecision`.
    pub act_type: String,
    /// The body that passed it.
    pub issuer: Option<BodyRef>,
    /// ISO date.
    pub date: Option<String>,
    /// Number as written.
    pub number: Option<String>,
    /// Signatures.
    pub signatories: Vec<Signatory>,
    /// Acts it repeals.
    pub repeals: Vec<ActRef>,
    /// Whom it charges with control of its execution, as written.
    pub controlled_by: Option<String>,
    /// Its entry-into-force clause, as written.
    pub entry_into_force: Option<String>,
    /// The rule of that clause (`akg:` local name).
    pub entry_rule: Option<String>,
}

/// A postal address, split into the parts the text gives.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Address {
    /// The address as written.
    pub full: String,
    /// Six-digit postcode.
    pub post_code: Option<String>,
    /// Region.
    pub admin_unit_l1: Option<String>,
    /// District or city.
    pub admin_unit_l2: Option<String>,
    /// Locality, without its unit word.
    pub post_name: Option<String>,
    /// Street.
    pub thoroughfare: Option<String>,
    /// House number.
    pub locator: Option<String>,
}

/// An organisation named by the document.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Organisation {
    /// Proper name without legal-form words and outer quotes.
    pub name: String,
    /// Slug of its legal form, if stated.
    pub legal_form: Option<String>,
    /// Slug naming it inside its unit (its kind of body, or its transliterated name).
    pub kind_slug: String,
    /// Whether it is an enterprise rather than an institution.
    pub enterprise: bool,
}

/// The institution the regulation is about.
#[derive(Debug, Clone, Serialize)]
pub struct Institution {
    /// Name, form and kind.
    pub org: Organisation,
    /// Russian name, when the text states it.
    pub name_ru: Option<String>,
    /// The unit it serves.
    pub unit: Option<UnitRef>,
    /// Its founder.
    pub founder: Option<BodyRef>,
    /// `Stated` or `InferredFromApproval`.
    pub founder_source: Option<String>,
    /// Its address.
    pub address: Option<Address>,
    /// Working hours, as written.
    pub working_hours: Option<String>,
    /// `LocalBudget` or `RepublicanBudget`.
    pub financing_source: Option<String>,
    /// The financing sentence, as written.
    pub financing_text: Option<String>,
}

/// Where a citation stands.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase", tag = "in", content = "at")]
pub enum CitedFrom {
    /// The resolution's preamble or points.
    Resolution,
    /// The regulation's text outside provisions.
    Regulation,
    /// A provision (index into [`Extraction::provisions`]).
    Provision(usize),
}

/// A citation and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct CitationAt {
    /// Where it stands.
    pub from: CitedFrom,
    /// Whether it names an act the resolution repeals (then it is `eli:repeals`, not `eli:cites`).
    pub repealed: bool,
    /// The citation.
    #[serde(flatten)]
    pub citation: Citation,
}

/// The extraction report of one document.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    /// Language of the text.
    pub lang: Lang,
    /// Whether the text stops mid-sentence.
    pub truncated: bool,
    /// Problems met, for the reader and the provenance record.
    pub warnings: Vec<String>,
    /// The approving resolution.
    pub resolution: Option<Resolution>,
    /// The regulation's title.
    pub title: Option<String>,
    /// The institution.
    pub institution: Option<Institution>,
    /// Its subordinate organisations.
    pub subordinates: Vec<Organisation>,
    /// Its provisions.
    pub provisions: Vec<Provision>,
    /// Legal acts cited.
    pub citations: Vec<CitationAt>,
}

/// Why a document yields nothing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    /// The text is in a language the extractor does not read.
    #[error("unsupported language ({0}); akimat-kg reads Kazakh and Russian regulations")]
    UnsupportedLanguage(String),
    /// The text holds no resolution, institution or provision.
    #[error("not a regulation: no approving resolution, institution or provisions found")]
    NotARegulation,
}

static CONTROL_KK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:бақылау|қадағалау)\s+(.+?)\s+(?:жүктелсін|жүктелсiн)").unwrap()
});
static CONTROL_RU: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)возложить\s+на\s+(.+?)\.?$").unwrap());
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{6})\b").unwrap());
static LOCATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)[\s,]*(?:№\s*)?(\d+\s?[А-ЯA-Z]?(?:/\d+)?)\.?$").unwrap());

/// Extracts the facts of one parsed document.
pub fn extract(
    doc: &Document,
    norm: &NormText,
    original: &str,
    lex: &Lexicon,
) -> Result<Extraction, ExtractError> {
    let lang = match lang::detect(&norm.text) {
        lang::Detected::Supported(l) => l,
        lang::Detected::Latin => {
            return Err(ExtractError::UnsupportedLanguage(
                "Latin script, not Kazakh or Russian".into(),
            ))
        }
        lang::Detected::Unknown => return Err(ExtractError::NotARegulation),
    };
    let original_chars: Vec<char> = original.chars().collect();
    let mut warnings = Vec::new();
    let region = document_region(doc, lex, lang);
    let resolution = resolution(doc, lex, lang, region.as_ref(), &mut warnings);
    let mut institution = institution(
        doc,
        lex,
        lang,
        region.as_ref(),
        resolution.as_ref(),
        &original_chars,
    );
    let subordinates = subordinates(doc, lex);
    let provisions = provisions::provisions(doc, norm, &original_chars, lex);

    // Citations: preamble and points belong to the resolution; paragraphs to the regulation or a provision.
    let mut citations = Vec::new();
    let mut cite = |start: usize, end: usize, from: &dyn Fn(&Citation) -> CitedFrom| {
        let seg = Segment { norm, start, end };
        for c in find_citations(&seg, lex, lang, region.as_ref()) {
            citations.push(CitationAt {
                from: from(&c),
                repealed: false,
                citation: c,
            });
        }
    };
    let resolution_from = |_: &Citation| CitedFrom::Resolution;
    if let Some(p) = &doc.preamble {
        cite(p.start, p.end, &resolution_from);
    }
    for point in &doc.points {
        cite(point.block.start, point.block.end, &resolution_from);
    }
    let provision_of = |c: &Citation| {
        provisions
            .iter()
            .position(|p| p.norm_start <= c.start && c.end <= p.norm_end.max(p.norm_start + 1))
            .map(CitedFrom::Provision)
            .unwrap_or(CitedFrom::Regulation)
    };
    for para in doc.paragraphs() {
        let (s, e) = paragraph_span(para);
        cite(s, e, &provision_of);
    }

    // Repealed acts: the citations of points that repeal.
    let resolution = resolution_with_repeals(resolution, doc, &mut citations, lex);
    finish(
        doc,
        lang,
        warnings,
        resolution,
        &mut institution,
        subordinates,
        provisions,
        citations,
    )
}

#[allow(clippy::too_many_arguments)]
fn finish(
    doc: &Document,
    lang: Lang,
    mut warnings: Vec<String>,
    resolution: Option<Resolution>,
    institution: &mut Option<Institution>,
    subordinates: Vec<Organisation>,
    provisions: Vec<Provision>,
    citations: Vec<CitationAt>,
) -> Result<Extraction, ExtractError> {
    if resolution.is_none() && institution.is_none() && provisions.is_empty() {
        return Err(ExtractError::NotARegulation);
    }
    if institution.is_none() {
        warnings.push("no institution name found".into());
    }
    if let Some(r) = &resolution {
        if r.date.is_none() {
            warnings.push("approving resolution without a date".into());
        }
        if r.issuer.is_none() {
            warnings.push("approving body not found".into());
        }
    }
    for issue in &doc.issues {
        warnings.push(format!("line {}: {}", issue.line, issue.message));
    }
    Ok(Extraction {
        lang,
        truncated: doc.truncated,
        warnings,
        resolution,
        title: doc.title.as_ref().map(|t| t.text.clone()),
        institution: institution.take(),
        subordinates,
        provisions,
        citations,
    })
}

fn resolution_with_repeals(
    resolution: Option<Resolution>,
    doc: &Document,
    citations: &mut [CitationAt],
    lex: &Lexicon,
) -> Option<Resolution> {
    let mut res = resolution?;
    for point in &doc.points {
        let lower = point.block.text.to_lowercase();
        if !lex.has("repeal", &lower) {
            continue;
        }
        for c in citations.iter_mut() {
            let cit = &c.citation;
            if c.from == CitedFrom::Resolution
                && point.block.start <= cit.start
                && cit.end <= point.block.end
            {
                res.repeals.push(cit.act.clone());
                c.repealed = true;
            }
        }
    }
    Some(res)
}

fn paragraph_span(p: &Paragraph) -> (usize, usize) {
    let mut end = p.head.end;
    fn last_end(items: &[crate::parse::Item], end: &mut usize) {
        for i in items {
            *end = (*end).max(i.block.end);
            last_end(&i.children, end);
        }
    }
    last_end(&p.items, &mut end);
    for x in &p.extra {
        end = end.max(x.end);
    }
    (p.head.start, end)
}

/// The region of the document: the first region named in the stamp, header, preamble or body.
fn document_region(doc: &Document, lex: &Lexicon, lang: Lang) -> Option<RegionRef> {
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(doc.stamp.iter().map(|b| b.text.as_str()));
    texts.extend(doc.header.iter().map(|b| b.text.as_str()));
    texts.extend(doc.preamble.iter().map(|b| b.text.as_str()));
    for p in doc.paragraphs() {
        texts.push(&p.head.text);
    }
    texts.iter().find_map(|t| {
        find_units(t, lex, lang)
            .into_iter()
            .find(|m| m.unit.is_region())
            .and_then(|m| m.unit.region)
    })
}

/// The local body named just before a body word (әкімдігі, мәслихаты) in a text.
fn body_in(text: &str, lex: &Lexicon, lang: Lang, region: Option<&RegionRef>) -> Option<BodyRef> {
    let lower = text.to_lowercase();
    let ws = words(&lower);
    for (s, _, w) in &ws {
        let kind = if lex.phrases("body_akimat").any(|p| w.starts_with(p)) {
            "akimat"
        } else if lex.phrases("body_maslikhat").any(|p| w.starts_with(p)) {
            "maslikhat"
        } else {
            continue;
        };
        // Russian names the unit after the body word, Kazakh before it.
        let scope = match lang {
            Lang::Kk => &text[..*s],
            Lang::Ru => &text[*s..],
        };
        let mentions = find_units(scope, lex, lang);
        let mention = match lang {
            Lang::Kk => mentions.last(),
            Lang::Ru => mentions.first(),
        };
        if let Some(m) = mention {
            let unit = with_region(m.unit.clone(), region);
            return Some(BodyRef {
                kind: kind.to_string(),
                unit,
            });
        }
    }
    // Adjectival forms (Байзақ аудандық мәслихаты): the unit word is part of the body's name.
    let mentions = find_units(text, lex, lang);
    let m = mentions.first()?;
    let after = &lower[m.end.min(lower.len())..];
    let next = words(after).into_iter().next()?;
    let kind = if lex.phrases("body_maslikhat").any(|p| next.2.starts_with(p)) {
        "maslikhat"
    } else if lex.phrases("body_akimat").any(|p| next.2.starts_with(p)) {
        "akimat"
    } else {
        return None;
    };
    Some(BodyRef {
        kind: kind.into(),
        unit: with_region(m.unit.clone(), region),
    })
}

fn resolution(
    doc: &Document,
    lex: &Lexicon,
    lang: Lang,
    region: Option<&RegionRef>,
    warnings: &mut Vec<String>,
) -> Option<Resolution> {
    if doc.preamble.is_none() && doc.stamp.is_none() {
        return None;
    }
    // The stamp states issuer, date and number; the header's requisites line and the preamble are fallbacks.
    let mut sources: Vec<&Block> = Vec::new();
    sources.extend(doc.stamp.iter());
    sources.extend(doc.header.iter());
    sources.extend(doc.preamble.iter());
    let issuer = sources
        .iter()
        .find_map(|b| body_in(&b.text, lex, lang, region));
    let date = sources
        .iter()
        .find_map(|b| dates::dates(&b.text, lex).into_iter().next().map(|d| d.iso));
    let number = sources
        .iter()
        .find_map(|b| dates::numbers(&b.text).into_iter().next().map(|n| n.0));
    let preamble_lower = doc
        .preamble
        .as_ref()
        .map(|p| p.text.to_lowercase())
        .unwrap_or_default();
    let stamp_lower = doc
        .stamp
        .as_ref()
        .map(|p| p.text.to_lowercase())
        .unwrap_or_default();
    let kind = issuer.as_ref().map(|b| b.kind.as_str()).unwrap_or_else(|| {
        if lex.has("body_maslikhat", &preamble_lower) || lex.has("decision_word", &stamp_lower) {
            "maslikhat"
        } else {
            "akimat"
        }
    });
    let act_type = match kind {
        "maslikhat" => "MaslikhatDecision",
        "akim" => "AkimDecision",
        _ => "AkimatResolution",
    };
    let mut controlled_by = None;
    let mut entry_into_force = None;
    let mut entry_rule = None;
    for p in &doc.points {
        let lower = p.block.text.to_lowercase();
        if controlled_by.is_none() && lex.has("control", &lower) {
            let re = match lang {
                Lang::Kk => &*CONTROL_KK,
                Lang::Ru => &*CONTROL_RU,
            };
            controlled_by = Some(
                re.captures(&p.block.text)
                    .map(|c| c[1].to_string())
                    .unwrap_or_else(|| p.block.text.clone()),
            );
        }
        if entry_into_force.is_none() && lex.has("entry_into_force", &lower) {
            entry_into_force = Some(p.block.text.clone());
            entry_rule = [
                "eif_ten_days",
                "eif_first_publication",
                "eif_registration",
                "eif_signing",
            ]
            .iter()
            .find(|k| lex.has(k, &lower))
            .map(|k| {
                match *k {
                    "eif_ten_days" => "TenDaysAfterFirstOfficialPublication",
                    "eif_first_publication" => "OnFirstOfficialPublication",
                    "eif_registration" => "OnStateRegistration",
                    _ => "OnSigning",
                }
                .to_string()
            });
        }
    }
    if doc.points.is_empty() {
        warnings.push("resolution without numbered points".into());
    }
    Some(Resolution {
        act_type: act_type.into(),
        issuer,
        date,
        number,
        signatories: doc
            .signatures
            .iter()
            .map(|s| Signatory {
                role: s.role.clone(),
                name: s.name.clone(),
            })
            .collect(),
        repeals: Vec::new(),
        controlled_by,
        entry_into_force,
        entry_rule,
    })
}

/// The quoted names in a text, each with the legal form that follows it and whether that form is in the genitive
/// (the name is then an owner of what follows, not the subject).
fn named_orgs(text: &str, lex: &Lexicon) -> Vec<(Organisation, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some((name, after)) = next_quoted(rest) {
        let after_words: Vec<String> = words(&rest[after..])
            .into_iter()
            .take(8)
            .map(|w| w.2)
            .collect();
        let refs: Vec<&str> = after_words.iter().map(String::as_str).collect();
        let form = lex
            .legal_forms
            .iter()
            .find(|f| f.phrase.find_in(&refs) == Some(0));
        let legal_form = form.map(|f| f.form.clone());
        let genitive = form
            .and_then(|f| refs.get(f.phrase.stems.len() - 1))
            .is_some_and(|w| {
                ["ның", "нің", "дың", "дің", "тың", "тің"]
                    .iter()
                    .any(|g| w.ends_with(g))
            });
        let name = name.trim().to_string();
        if !name.is_empty() && name.chars().count() < 200 {
            let enterprise = legal_form
                .as_deref()
                .is_some_and(|f| f.contains("enterprise"));
            out.push((
                Organisation {
                    kind_slug: kind_slug(&name, lex),
                    name,
                    legal_form,
                    enterprise,
                },
                genitive,
            ));
        }
        offset += after;
        rest = &text[offset..];
    }
    out
}

/// The next quoted string: its inner text and the byte offset just after the closing quote. Handles «…«…»…»
/// and "…" including names that contain quotes of the other kind.
fn next_quoted(text: &str) -> Option<(&str, usize)> {
    let (open_pos, open) = text
        .char_indices()
        .find(|(_, c)| matches!(c, '«' | '"' | '“'))?;
    let inner_start = open_pos + open.len_utf8();
    let mut depth = 1;
    for (i, c) in text[inner_start..].char_indices() {
        let abs = inner_start + i;
        match (open, c) {
            ('«', '«') => depth += 1,
            ('«', '»') | ('“', '”') => {
                depth -= 1;
                if depth == 0 {
                    return Some((&text[inner_start..abs], abs + c.len_utf8()));
                }
            }
            ('"', '"') | ('“', '"') => {
                return Some((&text[inner_start..abs], abs + 1));
            }
            _ => {}
        }
    }
    None
}

/// The slug naming an organisation inside its unit.
pub fn kind_slug(name: &str, lex: &Lexicon) -> String {
    let ws: Vec<String> = words(name).into_iter().map(|w| w.2).collect();
    let refs: Vec<&str> = ws.iter().map(String::as_str).collect();
    lex.body_kinds
        .iter()
        .find(|(_, p)| p.find_in(&refs).is_some())
        .map(|(s, _)| s.clone())
        .unwrap_or_else(|| slug(name))
}

fn institution(
    doc: &Document,
    lex: &Lexicon,
    lang: Lang,
    region: Option<&RegionRef>,
    resolution: Option<&Resolution>,
    original: &[char],
) -> Option<Institution> {
    // The name: from the title, else the approving point, else the first paragraphs.
    let mut candidates: Vec<&str> = Vec::new();
    candidates.extend(doc.title.iter().map(|t| t.text.as_str()));
    candidates.extend(doc.points.first().map(|p| p.block.text.as_str()));
    for p in doc.paragraphs().take(3) {
        candidates.push(&p.head.text);
    }
    let org = candidates.iter().find_map(|t| {
        let orgs = named_orgs(t, lex);
        // In a chain (`«Білім бөлімі» мемлекеттік мекемесінің «№ 4 мектеп» мемлекеттік мекемесі`) the institution is
        // the one whose legal form is not in the genitive.
        orgs.iter()
            .find(|(o, genitive)| o.legal_form.is_some() && !genitive)
            .or(orgs.iter().find(|(o, _)| o.legal_form.is_some()))
            .or(orgs.first())
            .map(|(o, _)| o.clone())
    })?;
    let paras: Vec<&Paragraph> = doc.paragraphs().collect();
    let find_para = |key: &str| {
        paras
            .iter()
            .find(|p| lex.has(key, &p.head.text.to_lowercase()))
            .copied()
    };
    let orig_text = |b: &Block| -> String {
        collapse(
            &original[b.char_start.min(original.len())..b.char_end.min(original.len())]
                .iter()
                .collect::<String>(),
        )
    };

    let name_ru = find_para("name_in_russian").and_then(|p| {
        let lower = p.head.text.to_lowercase();
        let at = lex.find("name_in_russian", &lower)?;
        next_quoted(&p.head.text[at..]).map(|(n, _)| n.trim().to_string())
    });
    let address = find_para("location").map(|p| address(&p.head.text, lex, lang));
    let working_hours = find_para("working_hours").map(|p| after_colon(&p.head.text));
    let financing = paras.iter().find(|p| {
        let l = p.head.text.to_lowercase();
        lex.has("financing", &l) && lex.has("local_budget", &l)
    });
    let financing_source = financing.map(|p| {
        if lex.has("republican_budget", &p.head.text.to_lowercase()) {
            "RepublicanBudget".to_string()
        } else {
            "LocalBudget".to_string()
        }
    });
    let financing_text = financing.map(|p| orig_text(&p.head));

    // Founder: stated in the text, else the body that approved the regulation.
    let stated = find_para("founder").and_then(|p| {
        let lower = p.head.text.to_lowercase();
        let at = lex.find("founder", &lower)?;
        body_in(&p.head.text[at..], lex, lang, region)
    });
    let (founder, founder_source) = match (stated, resolution.and_then(|r| r.issuer.clone())) {
        (Some(b), _) => (Some(b), Some("Stated".to_string())),
        (None, Some(b)) => (Some(b), Some("InferredFromApproval".to_string())),
        (None, None) => (None, None),
    };
    // The unit served: the approving body's, else the founder's, else one named in the institution's name.
    let unit = resolution
        .and_then(|r| r.issuer.as_ref().map(|b| b.unit.clone()))
        .or_else(|| founder.as_ref().map(|b| b.unit.clone()))
        .or_else(|| {
            find_units(&org.name, lex, lang)
                .into_iter()
                .last()
                .map(|m| with_region(m.unit, region))
        });
    Some(Institution {
        org,
        name_ru,
        unit,
        founder,
        founder_source,
        address,
        working_hours,
        financing_source,
        financing_text,
    })
}

fn after_colon(text: &str) -> String {
    let rest = text.split_once(':').map(|(_, r)| r).unwrap_or(text);
    rest.trim().trim_end_matches('.').trim().to_string()
}

/// Splits an address into parts.
fn address(text: &str, lex: &Lexicon, lang: Lang) -> Address {
    let lower = text.to_lowercase();
    let at = lex.find("location", &lower).unwrap_or(0);
    let mut full = text[at..].to_string();
    if let Some((_, r)) = full.split_once(':') {
        full = r.to_string();
    }
    let full = full.trim().trim_end_matches('.').trim().to_string();
    let mut a = Address {
        full: full.clone(),
        ..Default::default()
    };
    for part in full.split(',') {
        let part = part.trim();
        let pl = part.to_lowercase();
        if part.is_empty() || lex.phrases("country").any(|c| pl == c) {
            continue;
        }
        if let Some(c) = POSTCODE.captures(part) {
            if a.post_code.is_none() {
                a.post_code = Some(c[1].to_string());
            }
            let without: String = part.replace(&c[1], "");
            let without = without.trim().to_lowercase();
            if without.is_empty()
                || without.starts_with("индекс")
                || without.ends_with("индексі")
                || without.contains("индекс")
            {
                continue;
            }
        }
        if lex.phrases("street").any(|s| pl.contains(s)) {
            match LOCATOR.captures(part) {
                Some(c)
                    if !c[1].trim().is_empty()
                        && lex
                            .phrases("street")
                            .any(|s| c[1].to_lowercase().contains(s)) =>
                {
                    a.thoroughfare = Some(c[1].trim().to_string());
                    a.locator = Some(c[2].trim().to_string());
                }
                _ => a.thoroughfare = Some(part.to_string()),
            }
            continue;
        }
        if let Some(m) = find_units(part, lex, lang).into_iter().next() {
            match m.unit.unit_type.as_str() {
                "Region" => a.admin_unit_l1 = Some(part.to_string()),
                "District" | "CityOfRegionalSignificance" | "CityOfRepublicanSignificance"
                    if a.admin_unit_l2.is_none() =>
                {
                    a.admin_unit_l2 = Some(part.to_string());
                    if m.unit.unit_type != "District" {
                        a.post_name = Some(m.unit.proper.clone());
                    }
                }
                _ => a.post_name = Some(m.unit.proper.clone()),
            }
            continue;
        }
        if a.locator.is_none()
            && part
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c == '№')
            && part.chars().count() <= 12
        {
            a.locator = Some(part.trim_start_matches('№').trim().to_string());
        }
    }
    a
}

fn subordinates(doc: &Document, lex: &Lexicon) -> Vec<Organisation> {
    let mut out: Vec<Organisation> = Vec::new();
    let mut add = |orgs: Vec<(Organisation, bool)>| {
        for (o, _) in orgs {
            if !out.iter().any(|x| x.name == o.name) {
                out.push(o);
            }
        }
    };
    for chapter in &doc.chapters {
        let is_list = chapter
            .heading
            .as_ref()
            .is_some_and(|h| lex.has("subordinate_list", &h.text.to_lowercase()));
        for p in &chapter.paragraphs {
            let lower = p.head.text.to_lowercase();
            if is_list {
                add(named_orgs(&p.head.text, lex));
                for item in &p.items {
                    add(named_orgs(&item.block.text, lex));
                }
            } else if let Some(at) = lex.find("subordinate", &lower) {
                if lex.has("none", &lower) {
                    continue;
                }
                let tail = &p.head.text[at..];
                let tail = tail.split_once(':').map(|(_, r)| r).unwrap_or(tail);
                add(named_orgs(tail, lex));
                for item in &p.items {
                    add(named_orgs(&item.block.text, lex));
                }
            }
        }
    }
    out
}
