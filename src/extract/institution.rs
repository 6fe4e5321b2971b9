//! The institution a regulation is about and the organisations it names: names in both languages (the Kazakh and
//! the Russian text each state the other's name in their "full name" paragraph), legal form, the unit served,
//! founder, address, working hours, financing, and the organisations in its charge.

use super::provisions::collapse;
use super::resolution::body_in;
use super::units::{find_units, settle, slug, RegionRef, UnitRef};
use super::{Address, BodyRef, Institution, Organisation, Resolution};
use crate::lexicon::{lower_same_len, lowercase, words, Lang, LegalFormPhrase, Lexicon};
use crate::parse::quotes::{quoted_spans, Quote};
use crate::parse::{Block, Document, Paragraph};
use regex::Regex;
use std::sync::LazyLock;

static POSTCODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{6})\b").unwrap());

/// The quoted names in a text, each with its legal form and whether that form is a Kazakh genitive. The legal form
/// follows the name in Kazakh (`«…» мемлекеттік мекемесі`) and precedes it in Russian (`государственное учреждение
/// «…»`); both places are looked at, the language's own first. Quoted titles of acts (`«О …»`, `«… туралы»`) are
/// not names.
pub(crate) fn named_orgs(text: &str, lex: &Lexicon, lang: Lang) -> Vec<(Organisation, bool)> {
    let (spans, _) = quoted_spans(text);
    // Outermost quotes name organisations (`«Ақсу қаласының «Болашақ» жастар орталығы»` is one name); a name quoted
    // inside an act's title (`«Об утверждении Положения … «Аппарат …»»`) counts too.
    // (A quote whose closing mark is lost encloses nothing: only spans that close count as enclosing.)
    // Whether each span is an act's title, decided once (a line of many names asks it of each span many times).
    let titles: Vec<bool> = spans
        .iter()
        .map(|s| {
            lex.is_title(&text[s.open..s.close], Lang::Kk)
                || lex.is_title(&text[s.open..s.close], Lang::Ru)
        })
        .collect();
    let keep = |q: &Quote| {
        spans
            .iter()
            .zip(&titles)
            .filter(|(outer, _)| outer.open < q.open && q.close < outer.close)
            .all(|(_, title)| *title)
    };
    spans
        .iter()
        .zip(&titles)
        .filter(|(q, title)| !**title && keep(q))
        .filter_map(|(q, _)| named_org(text, q, lex, lang))
        .collect()
}

/// The organisation the quoted name `q` of a text names, with its legal form and whether that form is a Kazakh
/// genitive; none when the quotes hold no name (nothing, 200 characters or more; an act's title is left out by the
/// caller).
fn named_org(text: &str, q: &Quote, lex: &Lexicon, lang: Lang) -> Option<(Organisation, bool)> {
    let name = text[q.open..q.close].trim();
    if name.is_empty() || name.chars().count() >= 200 {
        return None;
    }
    let after_text = {
        let rest = &text[q.close..];
        let mut to = rest.len().min(300);
        while !rest.is_char_boundary(to) {
            to -= 1;
        }
        &rest[..to]
    };
    let after_words: Vec<String> = words(after_text).into_iter().take(8).map(|w| w.2).collect();
    let after: Vec<&str> = after_words.iter().map(String::as_str).collect();
    let form_after = lex
        .legal_forms
        .iter()
        .find(|f| f.phrase.matches_at(&after, 0));
    let form_before = legal_form_before(text, q.open, lex);
    let (form, genitive) = match (lang, form_after, form_before) {
        (Lang::Ru, _, Some(f)) | (_, None, Some(f)) => (Some(f), false),
        (_, Some(f), _) => {
            // A legal form in the Kazakh genitive (`мекемесінің`, `genitive_ending` of keywords.tsv) makes the
            // name before it an owner of what follows, not the subject.
            let last = after.get(f.phrase.stems.len() - 1);
            let genitive = last.is_some_and(|w| {
                lex.phrases_in("genitive_ending", Lang::Kk)
                    .any(|g| w.ends_with(g))
            });
            (Some(f), genitive)
        }
        (_, None, None) => (None, false),
    };
    let legal_form = form.map(|f| f.form.clone());
    let enterprise = legal_form
        .as_deref()
        .is_some_and(|f| f.contains("enterprise"));
    Some((
        Organisation {
            // Decided for the organisations kept (`with_kind`): a text names many, and the kind costs a reading of
            // the name's units.
            kind_slug: String::new(),
            name: name.to_string(),
            legal_form,
            enterprise,
        },
        genitive,
    ))
}

/// An organisation with its kind of body, from its name.
fn with_kind(mut org: Organisation, lex: &Lexicon) -> Organisation {
    org.kind_slug = kind_of(&org.name, lex).unwrap_or_else(|| slug(&org.name));
    org
}

/// The legal form that ends right before the opening quote at `open` (`государственное учреждение «…»`).
fn legal_form_before<'l>(text: &str, open: usize, lex: &'l Lexicon) -> Option<&'l LegalFormPhrase> {
    // The legal form before the name is among the last few words: look at no more than 200 bytes, so that a
    // line of thousands of names is read in linear time.
    let before_text = {
        let upto = &text[..open];
        let upto = upto
            .char_indices()
            .next_back()
            .map_or("", |(i, _)| &upto[..i]);
        let mut from = upto.len().saturating_sub(200);
        while !upto.is_char_boundary(from) {
            from += 1;
        }
        &upto[from..]
    };
    let before_words: Vec<String> = words(before_text).into_iter().map(|w| w.2).collect();
    let gap_ok = before_text
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    lex.legal_forms.iter().find(|f| {
        let n = f.phrase.stems.len();
        gap_ok
            && before_words.len() >= n
            && f.phrase.matches_at(
                &before_words[before_words.len() - n..]
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
                0,
            )
    })
}

/// The kind of body an organisation is (`akim-apparatus`, `maslikhat-apparatus`, …) from its name, per
/// `data/lexicon/body-kinds.tsv`. The units the name contains are set aside first (`Алға аудандық`, `Алгинского
/// районного`), and the kind must be all that remains (`ішкі саясат бөлімі`, `Отдел внутренней политики`). So a
/// school `… білім бөлімінің №4 мектебі` is not an education department, and `Отдел финансов, экономики и
/// бюджетного планирования` is not a finance department: a name the table does not know whole has no kind.
pub fn kind_of(name: &str, lex: &Lexicon) -> Option<String> {
    let mut units: Vec<(usize, usize)> = Vec::new();
    for lang in [Lang::Kk, Lang::Ru] {
        units.extend(find_units(name, lex, lang).iter().map(|m| (m.start, m.end)));
    }
    let ws: Vec<String> = words(name)
        .into_iter()
        .filter(|(s, e, _)| !units.iter().any(|(us, ue)| s >= us && e <= ue))
        .map(|w| w.2)
        .collect();
    let refs: Vec<&str> = ws.iter().map(String::as_str).collect();
    lex.body_kinds
        .iter()
        .filter(|(_, p)| refs.len() == p.stems.len() && p.matches_at(&refs, 0))
        .max_by_key(|(_, p)| p.stems.len())
        .map(|(s, _)| s.clone())
}

/// A paragraph's whole text: its first line, items and following lines, joined by spaces.
fn paragraph_text(p: &Paragraph) -> String {
    fn items(out: &mut String, list: &[crate::parse::Item]) {
        for i in list {
            out.push(' ');
            out.push_str(&i.block.text);
            items(out, &i.children);
        }
    }
    let mut out = p.head.text.clone();
    items(&mut out, &p.items);
    for x in &p.extra {
        out.push(' ');
        out.push_str(&x.text);
    }
    out
}

/// The institution's name in a language, where the "full name" paragraph states it (`орыс тілінде - …`,
/// `на государственном языке - «…»`): a quoted name standing close after the language phrase, at most a legal form
/// between them (`имеет печать со своим наименованием на государственном языке, … «…»` names something else).
fn stated_name(paras: &[&Paragraph], key: &str, lex: &Lexicon) -> Option<String> {
    paras.iter().find_map(|p| {
        let text = paragraph_text(p);
        let lower = lowercase(&text);
        if lower.len() != text.len() {
            return None;
        }
        lex.phrases(key).find_map(|phrase| {
            let at = lower.find(phrase)? + phrase.len();
            let (spans, _) = quoted_spans(&text[at..]);
            let q = spans.iter().find(|q| q.depth == 0)?;
            let gap = &text[at..at + q.open];
            (gap.chars().count() <= 90 && !gap.contains([',', ';', '.']))
                .then(|| text[at + q.open..at + q.close].trim().to_string())
                .filter(|n| !n.is_empty())
        })
    })
}

pub(crate) fn institution(
    doc: &Document,
    lex: &Lexicon,
    lang: Lang,
    region: Option<&RegionRef>,
    resolution: Option<&Resolution>,
    original: &[char],
) -> Option<Institution> {
    let mut org = institution_org(doc, lex, lang)?;
    let paras: Vec<&Paragraph> = doc.paragraphs().collect();

    // Names in both languages: the text's own, and the other language's where the text states it.
    let (name_kk, name_ru) = match lang {
        Lang::Kk => (
            Some(org.name.clone()),
            stated_name(&paras, "name_in_russian", lex),
        ),
        Lang::Ru => (
            stated_name(&paras, "name_in_kazakh", lex),
            Some(org.name.clone()),
        ),
    };
    // The IRI slug: the kind of body from any of its names, else the Kazakh name transliterated, so that the
    // Kazakh and the Russian text of one regulation name the institution alike.
    org.kind_slug = [name_kk.as_ref(), name_ru.as_ref(), Some(&org.name)]
        .into_iter()
        .flatten()
        .find_map(|n| kind_of(n, lex))
        .unwrap_or_else(|| slug(name_kk.as_deref().unwrap_or(&org.name)));

    // Each paragraph's first line, lowercase, read for several signals.
    let heads: Vec<String> = paras.iter().map(|p| lowercase(&p.head.text)).collect();
    let paras = Heads(&paras, &heads);
    let address = find_para(paras, "location", lex).map(|p| address(&p.head.text, lex, lang));
    let working_hours = find_para(paras, "working_hours", lex).map(|p| after_colon(&p.head.text));
    let (financing_source, financing_text) = financing(paras, lex, original);
    let (founder, founder_source) = founder(paras, lex, lang, region, resolution);
    let unit = served_unit(&org, lex, lang, region, resolution, founder.as_ref());
    Some(Institution {
        org,
        name_kk,
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

/// The institution as its name states it: from the title, else the approving point, else the first paragraphs.
fn institution_org(doc: &Document, lex: &Lexicon, lang: Lang) -> Option<Organisation> {
    let mut candidates: Vec<&str> = Vec::new();
    candidates.extend(doc.title.iter().map(|t| t.text.as_str()));
    // A first point that merges one institution into another (`Реорганизовать … «A» путем присоединения к …
    // «B»`) is about the one that remains.
    candidates.extend(doc.points.first().map(|p| {
        let t = p.block.text.as_str();
        let lower = lowercase(t);
        match lex.find("merge_target_after", &lower) {
            Some(at) if lower.len() == t.len() => &t[at..],
            _ => t,
        }
    }));
    for p in doc.paragraphs().take(3) {
        candidates.push(&p.head.text);
    }
    let named: Vec<Vec<(Organisation, bool)>> = candidates
        .iter()
        .map(|t| named_orgs(t, lex, lang))
        .collect();
    let titled = usize::from(doc.title.is_some());
    let org = named.iter().enumerate().find_map(|(i, orgs)| {
        // In a chain (`«Білім бөлімі» мемлекеттік мекемесінің «№ 4 мектеп» мемлекеттік мекемесі`) the institution is
        // the one whose legal form is not in the genitive. A quoted name without a legal form names the institution
        // only in the title: in the text it is as likely a newspaper, a centre or a member's organisation.
        orgs.iter()
            .find(|(o, genitive)| o.legal_form.is_some() && !genitive)
            .or(orgs.iter().find(|(o, _)| o.legal_form.is_some()))
            .or(orgs.first().filter(|_| i < titled))
            .map(|(o, _)| with_kind(o.clone(), lex))
    });
    let Some(mut org) = org else {
        return defined_name(doc, lex);
    };
    // A title may give the name without its legal form, which the first paragraphs then state.
    if org.legal_form.is_none() {
        if let Some((same, _)) = named
            .iter()
            .flatten()
            .find(|(o, _)| o.name == org.name && o.legal_form.is_some())
        {
            org.legal_form = same.legal_form.clone();
            org.enterprise = same.enterprise;
        }
    }
    Some(org)
}

/// The name the regulation's first paragraph (`1.`, `1.1.`) defines for the rest of its text, where no quoted name
/// gives it, as older regulations write it: `1. Комиссия по развитию … при акиме области (далее - Комиссия) является …`,
/// `1. Маңғыстау облыстық қаржы басқармасы (бұдан әрi - облқаржы басқармасы) …`. The name is all that stands
/// before the `defined_as` phrase (keywords.tsv): two to twenty words, starting with a capital letter.
fn defined_name(doc: &Document, lex: &Lexicon) -> Option<Organisation> {
    doc.paragraphs()
        .filter(|p| matches!(p.number.as_deref(), Some("1" | "1.1")))
        .find_map(|p| {
            let head = p.head.text.as_str();
            let lower = lower_same_len(head);
            let at = lex
                .phrases("defined_as")
                .filter_map(|d| lower.find(d))
                .min()?;
            let short = collapse(&head[..at]);
            let name = doc
                .title
                .as_ref()
                .and_then(|t| in_full(&short, &t.text, lex))
                .unwrap_or(short);
            let words = name.split_whitespace().count();
            let capital = name.chars().next().is_some_and(char::is_uppercase);
            (capital && (2..=20).contains(&words) && !name.contains(['.', ';', ':', '«', '"']))
                .then(|| Organisation {
                    kind_slug: kind_of(&name, lex).unwrap_or_else(|| slug(&name)),
                    name,
                    legal_form: None,
                    enterprise: false,
                })
        })
}

/// A name the first paragraph defines in short (`Совет по связям …`, `Облыс әкімінің жанындағы … Кеңес`) as the
/// regulation's title writes it in full (`ПОЛОЖЕНИЕ о Совете по связям … при акиме Акмолинской области`, `Ақмола
/// облысы әкімінің жанындағы … Кеңесі туралы ЕРЕЖЕ`): the title's words around the name's, up to the words that
/// frame a title (the regulation's word, `о`, `туралы` of keywords.tsv). Words sharing their first four letters
/// or more and differing in endings of up to three letters are one word (a case or possessive ending). The name
/// keeps its own forms, save its first word where the title puts words before it (`облысы` after `Ақмола`). None
/// when the title adds nothing.
fn in_full(name: &str, title: &str, lex: &Lexicon) -> Option<String> {
    let bare = |w: &str| lowercase(w.trim_matches(|c: char| !c.is_alphanumeric()));
    let same = |a: &str, b: &str| {
        let (a, b) = (bare(a), bare(b));
        let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        a == b
            || (common >= 4 && a.chars().count() - common <= 3 && b.chars().count() - common <= 3)
    };
    let frame = |w: &str| {
        let w = bare(w);
        ["regulation_title_word", "title_end", "title_first_word"]
            .iter()
            .any(|k| lex.phrases(k).any(|p| p == w))
    };
    let tw: Vec<&str> = title.split_whitespace().collect();
    let nw: Vec<&str> = name.split_whitespace().collect();
    let s = (0..(tw.len() + 1).saturating_sub(nw.len()))
        .find(|&s| nw.iter().zip(&tw[s..]).all(|(a, b)| same(a, b)))?;
    let (before, after) = (&tw[..s], &tw[s + nw.len()..]);
    let pre = &before[before.iter().rposition(|w| frame(w)).map_or(0, |k| k + 1)..];
    let post = &after[..after.iter().position(|w| frame(w)).unwrap_or(after.len())];
    if (pre.is_empty() && post.is_empty()) || pre.len() > 4 || post.len() > 8 {
        return None;
    }
    let mut words: Vec<&str> = pre.to_vec();
    words.extend(
        nw.iter()
            .enumerate()
            .map(|(k, w)| if k == 0 && !pre.is_empty() { tw[s] } else { w }),
    );
    words.extend(post);
    let full = words.join(" ");
    Some(
        full.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '»' && c != ')')
            .to_string(),
    )
}

/// The first paragraph whose first line holds a phrase of `key`.
fn find_para<'p>(paras: Heads<'_, 'p>, key: &str, lex: &Lexicon) -> Option<&'p Paragraph> {
    paras
        .iter()
        .find(|(_, head)| lex.has(key, head))
        .map(|(p, _)| p)
}

/// A document's paragraphs with their first lines in lowercase.
#[derive(Clone, Copy)]
struct Heads<'a, 'p>(&'a [&'p Paragraph], &'a [String]);

impl<'a, 'p> Heads<'a, 'p> {
    /// Each paragraph and its lowercase first line.
    fn iter(self) -> impl Iterator<Item = (&'p Paragraph, &'a str)> {
        self.0
            .iter()
            .copied()
            .zip(self.1.iter().map(String::as_str))
    }
}

/// The source of the institution's financing (`LocalBudget`, `RepublicanBudget`) and the sentence stating it, as
/// written in the original.
fn financing(
    paras: Heads<'_, '_>,
    lex: &Lexicon,
    original: &[char],
) -> (Option<String>, Option<String>) {
    let orig_text = |b: &Block| -> String {
        collapse(
            &original[b.char_start.min(original.len())..b.char_end.min(original.len())]
                .iter()
                .collect::<String>(),
        )
    };
    let financing = paras
        .iter()
        .find(|(_, l)| lex.has("financing", l) && lex.has("local_budget", l));
    let financing_source = financing.map(|(_, l)| {
        if lex.has("republican_budget", l) {
            "RepublicanBudget".to_string()
        } else {
            "LocalBudget".to_string()
        }
    });
    let financing_text = financing.map(|(p, _)| orig_text(&p.head));
    (financing_source, financing_text)
}

/// The founder and how it is known: stated in the text, else the body that approved the regulation.
fn founder(
    paras: Heads<'_, '_>,
    lex: &Lexicon,
    lang: Lang,
    region: Option<&RegionRef>,
    resolution: Option<&Resolution>,
) -> (Option<BodyRef>, Option<String>) {
    let stated = find_para(paras, "founder", lex).and_then(|p| {
        let lower = lower_same_len(&p.head.text);
        let at = lex.find("founder", &lower)?;
        body_in(&p.head.text[at..], lex, lang, region)
    });
    match (stated, resolution.and_then(|r| r.issuer.clone())) {
        (Some(b), _) => (Some(b), Some("Stated".to_string())),
        (None, Some(b)) => (Some(b), Some("InferredFromApproval".to_string())),
        (None, None) => (None, None),
    }
}

/// The unit the institution serves.
fn served_unit(
    org: &Organisation,
    lex: &Lexicon,
    lang: Lang,
    region: Option<&RegionRef>,
    resolution: Option<&Resolution>,
    founder: Option<&BodyRef>,
) -> Option<UnitRef> {
    // The unit served: the one the institution's name names (the last in Kazakh, the first in Russian), else the
    // approving body's, else the founder's. A rural district's akim apparatus is approved by the district akimat
    // but serves the rural district, so its name decides.
    let mentions = find_units(&org.name, lex, lang);
    let named = match lang {
        Lang::Kk => mentions.last(),
        Lang::Ru => mentions.first(),
    };
    let approving_unit = resolution.and_then(|r| r.issuer.as_ref().map(|b| &b.unit));
    named
        .map(|m| settle(m.unit.clone(), region, approving_unit, lex))
        .or_else(|| resolution.and_then(|r| r.issuer.as_ref().map(|b| b.unit.clone())))
        .or_else(|| founder.map(|b| b.unit.clone()))
}

fn after_colon(text: &str) -> String {
    let rest = text.split_once(':').map(|(_, r)| r).unwrap_or(text);
    rest.trim().trim_end_matches('.').trim().to_string()
}

/// Splits an address into parts.
fn address(text: &str, lex: &Lexicon, lang: Lang) -> Address {
    let lower = lower_same_len(text);
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
        let pl = lowercase(part);
        if part.is_empty() || lex.phrases("country").any(|c| pl == c) {
            continue;
        }
        if let Some(c) = POSTCODE.captures(part) {
            if a.post_code.is_none() {
                a.post_code = Some(c[1].to_string());
            }
            let without: String = part.replace(&c[1], "");
            let without = lowercase(without.trim());
            if without.is_empty() || lex.phrases("postcode_word").any(|w| without.contains(w)) {
                continue;
            }
        }
        if lex.phrases("street").any(|s| pl.contains(s)) {
            match crate::lexicon::patterns::patterns_or_builtin()
                .address_locator
                .captures(part)
            {
                Some(c)
                    if !c[1].trim().is_empty()
                        && lex.phrases("street").any(|s| lowercase(&c[1]).contains(s)) =>
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

pub(crate) fn subordinates(doc: &Document, lex: &Lexicon, lang: Lang) -> Vec<Organisation> {
    let mut out: Vec<Organisation> = Vec::new();
    let mut add = |orgs: Vec<(Organisation, bool)>| {
        for (o, _) in orgs {
            if !out.iter().any(|x| x.name == o.name) {
                out.push(with_kind(o, lex));
            }
        }
    };
    for chapter in &doc.chapters {
        let is_list = chapter
            .heading
            .as_ref()
            .is_some_and(|h| lex.has("subordinate_list", &lowercase(&h.text)));
        for p in &chapter.paragraphs {
            let lower = lower_same_len(&p.head.text);
            if is_list {
                add(named_orgs(&p.head.text, lex, lang));
                for item in &p.items {
                    add(named_orgs(&item.block.text, lex, lang));
                }
            } else if let Some(at) = lex.find("subordinate", &lower) {
                if lex.has("none", &lower) {
                    continue;
                }
                let tail = &p.head.text[at..];
                let tail = tail.split_once(':').map(|(_, r)| r).unwrap_or(tail);
                add(named_orgs(tail, lex, lang));
                for item in &p.items {
                    add(named_orgs(&item.block.text, lex, lang));
                }
            }
        }
    }
    out
}
