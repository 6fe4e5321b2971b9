//! Reconciling an extraction with the sidecar metadata of its document (see [`crate::read::sidecar`]): the date,
//! number and issuer of the approving act that the sidecar states are checked against what the text says. Where the
//! text is silent the sidecar's value is taken; where the text gives another date or number, the sidecar's is taken
//! too (it is the registry's record of the act, one for both language versions, where a text may mistype it); the
//! text's issuer is kept. Every disagreement or borrowing becomes a warning, so the reader sees which source said
//! what.

use super::dates::{dates, numbers};
use super::lang::{detect, Detected};
use super::resolution::body_in;
use super::Resolution;
use crate::lexicon::Lexicon;
use crate::read::sidecar::Sidecar;

/// What a sidecar states about the approving act, read from its fields and its requisites line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stated {
    /// ISO date.
    pub date: Option<String>,
    /// Another date the sidecar gives the act (its date field, where its requisites line says otherwise).
    pub other_date: Option<String>,
    /// Number as written.
    pub number: Option<String>,
    /// The issuing body, as `kind` and unit path (`maslikhat` of `aktobe/alga-district`).
    pub issuer: Option<super::BodyRef>,
    /// The language of the requisites line.
    pub lang: Option<crate::lexicon::Lang>,
}

/// Reads the approving act's date, number and issuer from a sidecar's fields and its requisites line (`Решение
/// маслихата Алгинского района Актюбинской области от 12 февраля 2016 года № 261. …`), whose first date and number
/// are the act's own (later ones are its registration and repeal).
pub fn stated(sidecar: &Sidecar, lex: &Lexicon, lang: crate::lexicon::Lang) -> Stated {
    let requisites = sidecar.requisites(lang).unwrap_or("");
    let iso = |d: &str| {
        let ok = d.len() == 10
            && d.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        ok.then(|| d.to_string())
    };
    // The requisites line first: the registry's date field is at times a day early (a midnight stored in another
    // time zone: `approved_on: 1999-08-31` for an act `от 1 сентября 1999 года`), though the line too may be wrong
    // where the field is right (`от 21 декабря 2014` for an act of 11 December): both are kept, and a text that
    // agrees with either keeps its date.
    let line_date = dates(requisites, lex).into_iter().next().map(|d| d.iso);
    let field_date = sidecar.date.as_deref().and_then(iso);
    let date = line_date.clone().or_else(|| field_date.clone());
    let other_date = field_date.filter(|d| Some(d) != date.as_ref());
    let number = sidecar
        .number
        .clone()
        .or_else(|| numbers(requisites).into_iter().next().map(|n| n.0));
    let lang = match detect(requisites) {
        Detected::Supported(l) => Some(l),
        _ => None,
    };
    let issuer = match detect(requisites) {
        Detected::Supported(lang) => {
            // The region of the requisites line, for units named without theirs.
            let region = super::units::find_units(requisites, lex, lang)
                .into_iter()
                .find(|m| m.unit.is_region())
                .and_then(|m| m.unit.region);
            body_in(requisites, lex, lang, region.as_ref())
        }
        _ => None,
    };
    Stated {
        date,
        other_date,
        number,
        issuer,
        lang,
    }
}

/// Checks the approving act found in the text against the sidecar: fills its date, number and issuer where the text
/// gives none, and warns where the two disagree.
pub fn reconcile(
    resolution: &mut Option<Resolution>,
    sidecar: &Sidecar,
    lex: &Lexicon,
    lang: crate::lexicon::Lang,
    warnings: &mut Vec<String>,
) {
    // Named by its file name only: warnings are recorded in the graph, where no local path belongs.
    let file = sidecar.path.file_name().map_or_else(
        || "the sidecar".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let stated = stated_for(sidecar, lex, lang);
    let mut r = Reconciler { file, warnings };
    // A text whose approving act was not read (an old layout, an excerpt of the regulation alone) is still the
    // act the sidecar records: its type, issuer, date and number are the record's.
    if resolution.is_none()
        && stated.issuer.is_some()
        && (stated.date.is_some() || stated.number.is_some())
    {
        r.warnings.push(format!(
            "the approving act was not read in the text; {} records it",
            r.file
        ));
        *resolution = Some(Resolution {
            act_type: super::resolution::act_type_of(
                stated.issuer.as_ref().map_or("", |b| b.kind.as_str()),
            )
            .to_string(),
            ..Resolution::default()
        });
    }
    let Some(res) = resolution.as_mut() else {
        return;
    };
    res.adilet_id = sidecar.adilet_id.clone();
    if res.adilet_id.is_some() {
        res.source_page = sidecar.source(lang).map(str::to_string);
    }
    let other_date = stated.other_date.clone();
    r.check("date", &mut res.date, &stated.date, &|a, b| {
        a == b || other_date.as_deref() == Some(a)
    });
    r.check(
        "number",
        &mut res.number,
        &stated.number,
        &super::citations::numbers_agree,
    );
    r.issuer(res, &stated);
}

/// What a sidecar states about the approving act of a text in `lang`.
fn stated_for(sidecar: &Sidecar, lex: &Lexicon, lang: crate::lexicon::Lang) -> Stated {
    let mut stated = stated(sidecar, lex, lang);
    // A requisites line in the other language names the unit in that language: usable only when the unit's node
    // does not depend on the language (a unit of data/reference/gazetteer.tsv, or one known by the key of its name
    // inside its parent), else it would not be this text's.
    if stated.lang.is_some_and(|l| l != lang) {
        stated.issuer = stated.issuer.filter(|b| {
            b.unit.is_region()
                || b.unit.gazetteer.is_some()
                || b.unit.identity == super::units::Identity::Key
        });
    }
    stated
}

/// Compares the text's approving act with the sidecar's record, warning of each borrowing and disagreement.
struct Reconciler<'w> {
    /// The sidecar's file name, as the warnings name it.
    file: String,
    warnings: &'w mut Vec<String>,
}

impl Reconciler<'_> {
    /// Checks a value of the approving act (`what`: date, number) against the sidecar's (`side`): takes the
    /// sidecar's where the text gives none or another one (`same` tells whether two values agree).
    fn check(
        &mut self,
        what: &str,
        text: &mut Option<String>,
        side: &Option<String>,
        same: &dyn Fn(&str, &str) -> bool,
    ) {
        let file = &self.file;
        match (&*text, side) {
            (None, Some(s)) => {
                self.warnings.push(format!(
                    "the text gives no {what} of the approving act; taken from {file}: {s}"
                ));
                *text = Some(s.clone());
            }
            // The sidecar is the registry's record of the act, one for both language versions: where a text
            // misreads or mistypes it (`№ 38/675-VI` in one version, `-VII` in the other), the record decides.
            (Some(t), Some(s)) if !same(t, s) => {
                self.warnings.push(format!(
                    "the text gives {what} {t} for the approving act, {file} states {s}; the sidecar's is taken"
                ));
                *text = Some(s.clone());
            }
            _ => {}
        }
    }

    /// Checks the approving body: takes the sidecar's where the text names none; keeps the text's where they differ.
    fn issuer(&mut self, res: &mut Resolution, stated: &Stated) {
        let file = &self.file;
        match (&res.issuer, &stated.issuer) {
            (None, Some(b)) => {
                self.warnings.push(format!(
                    "the text names no approving body; taken from {file}: {} of {}",
                    b.kind, b.unit.label
                ));
                res.act_type = super::resolution::act_type_of(&b.kind).to_string();
                res.issuer = Some(b.clone());
            }
            (Some(t), Some(s)) if t.kind != s.kind || t.unit.path() != s.unit.path() => {
                self.warnings.push(format!(
                    "the text names {} of {} as the approving body, {file} names {} of {}; the text's is kept",
                    t.kind,
                    t.unit.path(),
                    s.kind,
                    s.unit.path()
                ))
            }
            _ => {}
        }
    }
}
