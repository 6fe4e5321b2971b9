//! Stage 5: extraction of the facts docs/model.md names from a parsed document.
//!
//! Input: the [`Document`] tree, its [`NormText`] and the decoded original. Output: an [`Extraction`], the
//! documented, stable extraction report (`akimat-kg extract --format json`): the approving resolution, the
//! institution with its names, legal form, unit, founder, address, working hours and financing, its subordinate
//! organisations, its provisions and the legal acts cited. Extraction reads the tree, never the raw text again.

pub mod citations;
pub mod competences;
pub mod dates;
pub mod institution;
pub mod lang;
pub mod metadata;
pub mod provisions;
pub mod resolution;
pub mod units;

use crate::classify::Classification;
use crate::lexicon::{lowercase, Lang, Lexicon};
use crate::normalize::NormText;
use crate::parse::{Document, Paragraph};
use crate::read::sidecar::Sidecar;
use citations::{find_citations, ActRef, Citation, Context, Mention, NotCited, Segment};
use institution::{institution, subordinates};
use provisions::Provision;
use resolution::{resolution, resolution_with_repeals};
use serde::Serialize;
use units::{find_units, RegionRef, UnitRef};

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
#[derive(Debug, Clone, Default, Serialize)]
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
    /// Acts it amends.
    pub amends: Vec<ActRef>,
    /// Whom it charges with control of its execution, as written.
    pub controlled_by: Option<String>,
    /// Its entry-into-force clause, as written.
    pub entry_into_force: Option<String>,
    /// The rule of that clause (`akg:` local name).
    pub entry_rule: Option<String>,
    /// Its ID in the Әділет database, from the document's sidecar (the text never states it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adilet_id: Option<String>,
    /// The page the text was fetched from, from the document's sidecar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_page: Option<String>,
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
    /// Kazakh name: the text's own in a Kazakh text, the one its "full name" paragraph states in a Russian text.
    pub name_kk: Option<String>,
    /// Russian name: the text's own in a Russian text, the one its "full name" paragraph states in a Kazakh text.
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
    /// The document's header and notes: its title, requisites line and notes of amendment and repeal.
    Header,
}

/// How the document's act stands to the act a citation names.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Relation {
    /// It cites it (`eli:cites`).
    Cites,
    /// It rests on it: a legal ground stated in the resolution's preamble (`eli:cites` and `eli:based_on`).
    Ground,
    /// Its points repeal it (`eli:repeals`).
    Repeals,
    /// Its points amend it (`eli:amends`).
    Amends,
    /// The cited act repealed the document's act (a note or requisites line: `Утратило силу решением …`).
    RepealedBy,
    /// The cited act amended the document's act (`Ескерту. … өзгерістер енгізілді`).
    AmendedBy,
}

/// A citation and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct CitationAt {
    /// Where it stands.
    pub from: CitedFrom,
    /// How the document's act stands to the cited act.
    pub relation: Relation,
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
    /// The other words naming types of acts (`осы қаулы`, `заңнамасына`), each with why it is not a citation.
    pub not_cited: Vec<Mention>,
    /// What kind of act the document is ([`crate::classify`]), when it was classed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<Classification>,
}

impl Extraction {
    /// The report of a document that is not extracted (another act than a regulation's): its language and class.
    pub fn skipped(lang: Lang, class: Classification) -> Extraction {
        Extraction {
            lang,
            truncated: false,
            warnings: Vec::new(),
            resolution: None,
            title: None,
            institution: None,
            subordinates: Vec::new(),
            provisions: Vec::new(),
            citations: Vec::new(),
            not_cited: Vec::new(),
            class: Some(class),
        }
    }

    /// Keeps what an act that amends or repeals an approving act is stored with: its requisites, signatories, the
    /// acts it amends, repeals and names in its header, preamble and points; no regulation, institution or
    /// provisions (what its text changes in a regulation is not a regulation of its own).
    pub fn act_only(mut self) -> Extraction {
        self.title = None;
        self.institution = None;
        self.subordinates.clear();
        self.provisions.clear();
        self.citations
            .retain(|c| matches!(c.from, CitedFrom::Resolution | CitedFrom::Header));
        self.warnings.retain(|w| w != NO_INSTITUTION);
        self
    }
}

/// The warning of a text in which no institution is found.
const NO_INSTITUTION: &str = "no institution name found";

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

/// Extracts the facts of one parsed document. A sidecar, when the document has one, is checked against the text
/// and fills what the text leaves out (see [`metadata`]).
pub fn extract(
    doc: &Document,
    norm: &NormText,
    original: &str,
    lex: &Lexicon,
    sidecar: Option<&Sidecar>,
) -> Result<Extraction, ExtractError> {
    let lang = supported_lang(norm)?;
    let original_chars: Vec<char> = original.chars().collect();
    let mut warnings = Vec::new();
    let region = region_of(doc, lex, lang, sidecar);
    let mut resolution = resolution(doc, lex, lang, region.as_ref(), &mut warnings);
    if let Some(s) = sidecar {
        metadata::reconcile(&mut resolution, s, lex, lang, &mut warnings);
    }
    let mut institution = institution(
        doc,
        lex,
        lang,
        region.as_ref(),
        resolution.as_ref(),
        &original_chars,
    );
    let subordinates = subordinates(doc, lex, lang);
    let mut provisions = provisions::provisions(doc, norm, &original_chars, lex, &mut warnings);
    for p in &mut provisions {
        p.competences =
            competences::classify(&norm.text[p.norm_start..p.norm_end], &p.kind, lang, lex);
    }

    // Citations: preamble and points belong to the resolution; paragraphs to the regulation or a provision.
    let mut citer = Citer {
        norm,
        ctx: Context {
            lex,
            lang,
            region: region.as_ref(),
            own_body: resolution.as_ref().and_then(|r| r.issuer.as_ref()),
            date: resolution.as_ref().and_then(|r| r.date.as_deref()),
        },
        citations: Vec::new(),
        not_cited: Vec::new(),
        repeal_annex: None,
    };
    citer.header(doc);
    citer.resolution(doc);
    citer.regulation(doc, &provisions);
    let Citer {
        mut citations,
        mut not_cited,
        ..
    } = citer;

    // `осы Заңына`, `указанным решением`: the act named last before, of a fitting type.
    back_references(&mut citations, &mut not_cited, &provisions);
    // Repealed acts: the citations of points that repeal.
    let resolution = resolution_with_repeals(resolution, &mut citations, &mut not_cited);
    let mut extraction = finish(
        doc,
        lang,
        warnings,
        resolution,
        &mut institution,
        subordinates,
        provisions,
        citations,
    )?;
    extraction.not_cited = not_cited;
    scope_unresolved_units(&mut extraction, original);
    Ok(extraction)
}

/// The language of a text the extractor reads, or why it reads none.
fn supported_lang(norm: &NormText) -> Result<Lang, ExtractError> {
    match lang::detect(&norm.text) {
        lang::Detected::Supported(l) => Ok(l),
        lang::Detected::Latin => Err(ExtractError::UnsupportedLanguage(
            "Latin script, not Kazakh or Russian".into(),
        )),
        lang::Detected::Unknown => Err(ExtractError::NotARegulation),
    }
}

/// The region the text names, else the one its sidecar's requisites line names (in either language).
fn region_of(
    doc: &Document,
    lex: &Lexicon,
    lang: Lang,
    sidecar: Option<&Sidecar>,
) -> Option<RegionRef> {
    document_region(doc, lex, lang).or_else(|| {
        let requisites = sidecar?.requisites(lang)?;
        let l = match lang::detect(requisites) {
            lang::Detected::Supported(l) => l,
            _ => return None,
        };
        find_units(requisites, lex, l)
            .into_iter()
            .find(|m| m.unit.is_region())
            .and_then(|m| m.unit.region)
    })
}

/// Reads the citations of a document's parts, each with where it stands and how the document's act stands to the
/// act it names, and the words naming act types that are not citations.
struct Citer<'a> {
    norm: &'a NormText,
    ctx: Context<'a>,
    citations: Vec<CitationAt>,
    not_cited: Vec<Mention>,
    /// The annex listing the acts a point repeals (see [`Citer::annex_of_repeals`]), as a byte range.
    repeal_annex: Option<(usize, usize)>,
}

impl Citer<'_> {
    /// Reads the citations of `norm.text[start..end]`.
    fn cite(
        &mut self,
        start: usize,
        end: usize,
        from: &dyn Fn(&Citation) -> CitedFrom,
        relation: Relation,
    ) {
        let seg = Segment {
            norm: self.norm,
            start,
            end,
        };
        let found = find_citations(&seg, &self.ctx);
        for c in found.citations {
            self.citations.push(CitationAt {
                from: from(&c),
                relation,
                citation: c,
            });
        }
        self.not_cited.extend(found.not_cited);
    }

    /// The approval stamp, the header and the notes: the act's own requisites are not a citation of another act;
    /// notes say which acts amended or repealed this one, and an amending act's title names the act it amends.
    fn header(&mut self, doc: &Document) {
        let (lex, text) = (self.ctx.lex, &self.norm.text);
        // The approval stamp may name an earlier act besides this one (`Утверждены решением … от 12 апреля 2002 года
        // № 18/188`, under the stamp of the amending decision); the act's own stamp is dropped later
        // (`resolution_with_repeals`).
        if let Some(b) = &doc.stamp {
            self.cite(b.start, b.end, &|_| CitedFrom::Header, Relation::Cites);
        }
        // Each sentence of a header line or note is read on its own (`Решение … № 365. Зарегистрировано … Утратило
        // силу решением … № 308`): its words say how the act it names stands to this one.
        for b in doc.header.iter().chain(&doc.notes) {
            for (start, end) in sentences(text, b.start, b.end) {
                let lower = lowercase(&text[start..end]);
                let relation = if lex.has("repealed_by", &lower) {
                    Relation::RepealedBy
                } else if lex.has("amended_by", &lower) {
                    Relation::AmendedBy
                } else if lex.has("amending_title", &lower) {
                    Relation::Amends
                } else {
                    Relation::Cites
                };
                self.cite(start, end, &|_| CitedFrom::Header, relation);
            }
        }
    }

    /// The resolution's preamble (its legal grounds) and points (which may repeal or amend the acts they name).
    fn resolution(&mut self, doc: &Document) {
        let lex = self.ctx.lex;
        let resolution_from = |_: &Citation| CitedFrom::Resolution;
        if let Some(p) = &doc.preamble {
            self.cite(p.start, p.end, &resolution_from, Relation::Ground);
        }
        for point in &doc.points {
            let lower = lowercase(&point.block.text);
            let relation = if lex.has("repeal", &lower) {
                Relation::Repeals
            } else if lex.has("amend", &lower) {
                Relation::Amends
            } else {
                Relation::Cites
            };
            self.cite(
                point.block.start,
                point.block.end,
                &resolution_from,
                relation,
            );
            if relation == Relation::Repeals
                && self.repeal_annex.is_none()
                && lex.has("annex_ref", &lower)
            {
                self.repeal_annex = self.annex_of_repeals(point.block.end);
                if let Some((start, end)) = self.repeal_annex {
                    self.cite(start, end, &resolution_from, Relation::Repeals);
                }
            }
        }
    }

    /// The annex a repealing point refers its list to (`… согласно приложению 3 к настоящему решению`, `Осы
    /// шешімнің 3-қосымшасына сәйкес …`: an `annex_ref` of keywords.tsv): the lines after the first heading below
    /// the points that names repealed acts (`Перечень признанных утратившими силу …`, `… күші жойылды деп танылған
    /// тізбесі`: a `repealed_list` phrase), up to the next heading or approval stamp.
    fn annex_of_repeals(&self, after: usize) -> Option<(usize, usize)> {
        let (lex, norm) = (self.ctx.lex, self.norm);
        let lines = &norm.lines;
        let h = lines.iter().position(|l| {
            l.start >= after
                && l.heading > 0
                && lex.has("repealed_list", &lowercase(&norm.text[l.start..l.end]))
        })?;
        let end = lines[h + 1..]
            .iter()
            .find(|l| l.heading > 0 || l.quoted)
            .map_or(norm.text.len(), |l| l.start);
        Some((lines[h].end, end))
    }

    /// The regulation's paragraphs, each citation in the provision it stands in, and the rest of its text.
    fn regulation(&mut self, doc: &Document, provisions: &[Provision]) {
        let provision_of = |c: &Citation| {
            provisions
                .iter()
                .position(|p| p.norm_start <= c.start && c.end <= p.norm_end.max(p.norm_start + 1))
                .map(CitedFrom::Provision)
                .unwrap_or(CitedFrom::Regulation)
        };
        // The annex of repealed acts was read with the points that refer to it.
        let annex = self.repeal_annex;
        let outside = |s: usize, e: usize| annex.is_none_or(|(a, b)| e <= a || s >= b);
        for para in doc.paragraphs() {
            let (s, e) = paragraph_span(para);
            if outside(s, e) {
                self.cite(s, e, &provision_of, Relation::Cites);
            }
        }
        // The title, the chapter headings and the lines the parser could not place are read too, so that every word
        // naming an act type is accounted for.
        let regulation_from = |_: &Citation| CitedFrom::Regulation;
        let other_blocks = doc
            .title
            .iter()
            .chain(doc.chapters.iter().filter_map(|c| c.heading.as_ref()))
            .chain(&doc.unplaced);
        for b in other_blocks.filter(|b| outside(b.start, b.end)) {
            self.cite(b.start, b.end, &regulation_from, Relation::Cites);
        }
    }
}

/// Gives every unit whose region is unknown its document's scope (a short digest of the text), so that
/// `Ақтоғай ауданы` of a text naming no region never shares a node with the Ақтоғай ауданы of another region.
fn scope_unresolved_units(ex: &mut Extraction, original: &str) {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(original.as_bytes());
    let tag: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let mut units: Vec<&mut UnitRef> = Vec::new();
    if let Some(r) = ex.resolution.as_mut() {
        units.extend(r.issuer.as_mut().map(|b| &mut b.unit));
        for a in r.repeals.iter_mut().chain(r.amends.iter_mut()) {
            units.extend(a.issuer.as_mut().map(|b| &mut b.unit));
        }
    }
    if let Some(i) = ex.institution.as_mut() {
        units.extend(i.unit.as_mut());
        units.extend(i.founder.as_mut().map(|b| &mut b.unit));
    }
    for c in &mut ex.citations {
        units.extend(c.citation.act.issuer.as_mut().map(|b| &mut b.unit));
    }
    for u in units {
        if u.region.is_none() && u.parent_path.is_none() && u.gazetteer.is_none() && !u.is_region()
        {
            u.scope = Some(tag.clone());
        }
    }
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
        warnings.push(NO_INSTITUTION.into());
    }
    unit_warnings(institution, &resolution, &mut warnings);
    if lang == Lang::Ru {
        russian_only_subordinates(&subordinates, &mut warnings);
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
        not_cited: Vec::new(),
        class: None,
    })
}

/// Warns of the institution's and resolution's units the gazetteer lacks, once each.
fn unit_warnings(
    institution: &Option<Institution>,
    resolution: &Option<Resolution>,
    warnings: &mut Vec<String>,
) {
    // A unit the gazetteer lacks is known by the key of its name: the Kazakh and the Russian text of one act meet
    // there as long as the two spellings give one key.
    let units = institution
        .iter()
        .flat_map(|i| i.unit.iter().chain(i.founder.iter().map(|b| &b.unit)))
        .chain(
            resolution
                .iter()
                .filter_map(|r| r.issuer.as_ref().map(|b| &b.unit)),
        );
    let mut seen = Vec::new();
    for u in units {
        if u.gazetteer.is_none() && !u.is_region() && !seen.contains(&u.label) {
            warnings.push(format!(
                "unit {:?} is not in data/reference/gazetteer.tsv: known by the key {:?} of its name{}",
                u.label,
                u.key,
                if u.region.is_some() || u.parent_path.is_some() {
                    format!(" inside {}", u.parent_path.as_deref().or(u.region.as_ref().map(|r| r.slug.as_str())).unwrap_or(""))
                } else {
                    " (its place is unknown: it stays this document's own)".to_string()
                }
            ));
            seen.push(u.label.clone());
        }
    }
}

/// Warns of the subordinates of a Russian text named in Russian only.
fn russian_only_subordinates(subordinates: &[Organisation], warnings: &mut Vec<String>) {
    // A subordinate whose kind the tables do not know takes its slug from its own (Russian) name.
    for o in subordinates
        .iter()
        .filter(|o| o.kind_slug == units::slug(&o.name))
    {
        warnings.push(format!(
            "subordinate {:?} is named in Russian only: its IRI comes from that name and will not meet the \
             Kazakh text's",
            o.name
        ));
    }
}

/// Reads the words pointing back to an act named before (`осы Заңына`, `настоящего Закона`, `указанным решением`)
/// as citations of the closest act of a fitting type named before them in the text; those with no such act stay
/// among the words not cited.
fn back_references(
    citations: &mut Vec<CitationAt>,
    not_cited: &mut Vec<Mention>,
    provisions: &[Provision],
) {
    let fits = |pattern: &str, act_type: &str| match pattern {
        "Resolution" => matches!(act_type, "GovernmentResolution" | "AkimatResolution"),
        "Decision" => matches!(act_type, "MaslikhatDecision" | "AkimDecision"),
        "Order" => act_type == "MinisterialOrder",
        other => other == act_type,
    };
    let mut kept = Vec::new();
    for m in not_cited.drain(..) {
        if m.reason != NotCited::BackReference {
            kept.push(m);
            continue;
        }
        let before = citations
            .iter()
            .filter(|c| c.citation.start < m.start && fits(&m.act_type, &c.citation.act.act_type))
            .max_by_key(|c| c.citation.start);
        let Some(prev) = before else {
            kept.push(m);
            continue;
        };
        let from = provisions
            .iter()
            .position(|p| p.norm_start <= m.start && m.start < p.norm_end.max(p.norm_start + 1))
            .map(CitedFrom::Provision)
            .unwrap_or(prev.from.clone());
        let citation = Citation {
            act: prev.citation.act.clone(),
            pinpoints: Vec::new(),
            text: m.word.clone(),
            anchor: m.start,
            back_reference: true,
            start: m.start,
            end: m.start + m.word.len(),
            char_start: m.char_start,
            char_end: m.char_end,
        };
        citations.push(CitationAt {
            from,
            relation: Relation::Cites,
            citation,
        });
    }
    *not_cited = kept;
    citations.sort_by_key(|c| c.citation.start);
}

/// The sentences of `text[start..end]` as byte ranges: split after a full stop followed by a space and a capital,
/// unless it closes an initial or abbreviation.
fn sentences(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = start;
    let part = &text[start..end];
    for (i, c) in part.char_indices() {
        let abs = start + i;
        if c == '.'
            && abs + 1 < end
            && citations::sentence_ends(&text[from..abs], &text[abs + 1..end])
        {
            out.push((from, abs + 1));
            from = abs + 2;
        }
    }
    if from < end {
        out.push((from, end));
    }
    out
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
