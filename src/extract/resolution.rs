//! The approving resolution (or decision): its issuer, date and number from the approval stamp and the requisites
//! line, its signatories, whom it charges with control, when it enters into force, and the acts its points repeal.

use super::citations::{Mention, NotCited};
use super::dates;
use super::units::{find_units, with_region, RegionRef};
use super::{BodyRef, CitationAt, CitedFrom, Relation, Resolution, Signatory};
use crate::lexicon::{lower_same_len, lowercase, words, Lang, Lexicon};
use crate::parse::{Block, Document};

/// The local body named just before a body word (әкімдігі, мәслихаты) in a text; where the text names no akimat or
/// maslikhat, an akim (`облыс әкімінің шешімі`, `Решение акима области`), who issued decisions in the years before
/// akimats were collegial bodies and still does.
pub(crate) fn body_in(
    text: &str,
    lex: &Lexicon,
    lang: Lang,
    region: Option<&RegionRef>,
) -> Option<BodyRef> {
    body_of_kinds(text, lex, lang, region, false)
        .or_else(|| body_of_kinds(text, lex, lang, region, true))
}

/// The kind of local body a lowercase word names: an akimat or a maslikhat, or (when `akim` is asked) an akim.
fn body_word(w: &str, lex: &Lexicon, akim: bool) -> Option<&'static str> {
    let akimat = lex.phrases("body_akimat").any(|p| w.starts_with(p));
    if akim {
        (!akimat && lex.phrases("body_akim").any(|p| w.starts_with(p))).then_some("akim")
    } else if akimat {
        Some("akimat")
    } else if lex.phrases("body_maslikhat").any(|p| w.starts_with(p)) {
        Some("maslikhat")
    } else {
        None
    }
}

fn body_of_kinds(
    text: &str,
    lex: &Lexicon,
    lang: Lang,
    region: Option<&RegionRef>,
    akim: bool,
) -> Option<BodyRef> {
    let lower = lower_same_len(text);
    let ws = words(&lower);
    for (s, _, w) in &ws {
        let Some(kind) = body_word(w, lex, akim) else {
            continue;
        };
        // Kazakh names the unit before the body word. Russian names it after (`маслихата Алгинского района`),
        // unless an adjectival unit stands right before it (`Алгинского районного маслихата`).
        let before = find_units(&text[..*s], lex, lang);
        let adjectival = before
            .last()
            .filter(|m| text[m.end..*s].trim().is_empty())
            .cloned();
        let mention = match lang {
            Lang::Kk => before.last().cloned(),
            Lang::Ru => adjectival.or_else(|| find_units(&text[*s..], lex, lang).first().cloned()),
        };
        if let Some(m) = mention {
            let unit = with_region(m.unit, region, lex);
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
    let kind = body_word(&next.2, lex, akim)?;
    Some(BodyRef {
        kind: kind.into(),
        unit: with_region(m.unit.clone(), region, lex),
    })
}

/// The type of the act a local body of this kind passes: an akimat's resolution, a maslikhat's or an akim's decision.
pub(crate) fn act_type_of(kind: &str) -> &'static str {
    match kind {
        "maslikhat" => "MaslikhatDecision",
        "akim" => "AkimDecision",
        _ => "AkimatResolution",
    }
}

pub(crate) fn resolution(
    doc: &Document,
    lex: &Lexicon,
    lang: Lang,
    region: Option<&RegionRef>,
    warnings: &mut Vec<String>,
) -> Option<Resolution> {
    if doc.preamble.is_none() && doc.stamp.is_none() {
        return None;
    }
    // The stamp states issuer, date and number, and the header's requisites line repeats them. The preamble names
    // the issuer (`... әкімдігі ҚАУЛЫ ЕТЕДІ`) but its dates and numbers are those of the acts it cites, and a
    // header line that is the act's title (`О внесении изменения в решение ... от 12 апреля 2002 года`) names
    // another act's date: neither is read for the date and number.
    let requisites: Vec<&Block> = doc
        .stamp
        .iter()
        .chain(doc.header.iter().filter(|b| !lex.is_title(&b.text, lang)))
        .collect();
    let mut sources: Vec<&Block> = requisites.clone();
    sources.extend(doc.preamble.iter());
    let issuer = sources
        .iter()
        .find_map(|b| body_in(&b.text, lex, lang, region));
    let (date, number) = date_and_number(&requisites, lex);
    let act_type = approving_act_type(doc, lex, issuer.as_ref());
    let (controlled_by, entry_into_force, entry_rule) = closing_points(doc, lex, lang);
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
        amends: Vec::new(),
        controlled_by,
        entry_into_force,
        entry_rule,
        adilet_id: None,
        source_page: None,
    })
}

/// The date (ISO) and number of the approving act from its requisites: from the same line where it gives both.
fn date_and_number(requisites: &[&Block], lex: &Lexicon) -> (Option<String>, Option<String>) {
    let dated = requisites
        .iter()
        .find(|b| !dates::dates(&b.text, lex).is_empty());
    let date = dated.and_then(|b| dates::dates(&b.text, lex).into_iter().next().map(|d| d.iso));
    let number = dated
        .and_then(|b| act_numbers(&b.text, lex).next())
        .or_else(|| {
            requisites
                .iter()
                .find_map(|b| act_numbers(&b.text, lex).next())
        });
    (date, number)
}

/// The act numbers of a requisites text, without an annex's own number (`Приложение № 1 к решению … № 11`,
/// `… № 11 шешіміне № 1 қосымша`): a number right after or right before an `annex_word` of keywords.tsv.
fn act_numbers<'t>(text: &'t str, lex: &'t Lexicon) -> impl Iterator<Item = String> + 't {
    let lower = lower_same_len(text);
    dates::numbers(text)
        .into_iter()
        .filter_map(move |(n, start, end)| {
            let before = lower[..start].trim_end();
            let after = lower[end..].trim_start();
            let annex = lex.phrases("annex_word").any(|w| {
                before.ends_with(w)
                    || after
                        .strip_prefix(w)
                        .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
            });
            (!annex).then_some(n)
        })
}

/// The type of the approving act: its issuer's, else a maslikhat's decision when the preamble names a maslikhat or
/// the stamp a decision, else an akimat's resolution.
fn approving_act_type(doc: &Document, lex: &Lexicon, issuer: Option<&BodyRef>) -> &'static str {
    let preamble_lower = doc
        .preamble
        .as_ref()
        .map(|p| lowercase(&p.text))
        .unwrap_or_default();
    let stamp_lower = doc
        .stamp
        .as_ref()
        .map(|p| lowercase(&p.text))
        .unwrap_or_default();
    let kind = issuer.map(|b| b.kind.as_str()).unwrap_or_else(|| {
        if lex.has("body_maslikhat", &preamble_lower) || lex.has("decision_word", &stamp_lower) {
            "maslikhat"
        } else {
            "akimat"
        }
    });
    act_type_of(kind)
}

/// From the resolution's points: whom it charges with control of its execution, its entry-into-force clause, and
/// that clause's rule (the first point stating each).
fn closing_points(
    doc: &Document,
    lex: &Lexicon,
    lang: Lang,
) -> (Option<String>, Option<String>, Option<String>) {
    let mut controlled_by = None;
    let mut entry_into_force = None;
    let mut entry_rule = None;
    for p in &doc.points {
        let lower = lowercase(&p.block.text);
        if controlled_by.is_none() && lex.has("control", &lower) {
            controlled_by = Some(
                lex.control_pattern(lang)
                    .and_then(|re| re.captures(&p.block.text))
                    .map(|c| c[1].to_string())
                    .unwrap_or_else(|| p.block.text.clone()),
            );
        }
        if entry_into_force.is_none() && lex.has("entry_into_force", &lower) {
            entry_into_force = Some(p.block.text.clone());
            entry_rule = entry_rule_of(&lower, lex);
        }
    }
    (controlled_by, entry_into_force, entry_rule)
}

/// The rule of an entry-into-force clause (lowercase), as an `akg:` local name.
fn entry_rule_of(lower: &str, lex: &Lexicon) -> Option<String> {
    [
        "eif_ten_days",
        "eif_first_publication",
        "eif_registration",
        "eif_signing",
    ]
    .iter()
    .find(|k| lex.has(k, lower))
    .map(|k| {
        match *k {
            "eif_ten_days" => "TenDaysAfterFirstOfficialPublication",
            "eif_first_publication" => "OnFirstOfficialPublication",
            "eif_registration" => "OnStateRegistration",
            _ => "OnSigning",
        }
        .to_string()
    })
}

pub(crate) fn resolution_with_repeals(
    resolution: Option<Resolution>,
    citations: &mut Vec<CitationAt>,
    not_cited: &mut Vec<Mention>,
) -> Option<Resolution> {
    // The act's own requisites line (`Решение … от 11 декабря 2015 года № 365. Зарегистрировано …`) names the act
    // itself: not a citation.
    if let Some(res) = &resolution {
        citations.retain(|c| {
            let own = c.from == CitedFrom::Header
                && c.citation.act.act_type == res.act_type
                && c.citation.act.date.is_some()
                && c.citation.act.date == res.date
                && c.citation.act.number == res.number;
            if own {
                not_cited.push(Mention {
                    word: c.citation.text.clone(),
                    act_type: c.citation.act.act_type.clone(),
                    reason: NotCited::SelfReference,
                    start: c.citation.start,
                    char_start: c.citation.char_start,
                    char_end: c.citation.char_end,
                });
            }
            !own
        });
    }
    let mut res = resolution?;
    for c in citations.iter() {
        match (c.from == CitedFrom::Resolution, c.relation) {
            (true, Relation::Repeals) => res.repeals.push(c.citation.act.clone()),
            (true, Relation::Amends) => res.amends.push(c.citation.act.clone()),
            _ => {}
        }
    }
    Some(res)
}
