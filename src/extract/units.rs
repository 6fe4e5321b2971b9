//! Administrative units named in a text (`Ақтоғай ауданы`, `Павлодар облысы Ақсу қаласының`, `Байзақ аудандық
//! мәслихаты`, `сельского округа Карабулак Алгинского района`), settled against the national gazetteer
//! (`data/reference/gazetteer.tsv`): a unit the gazetteer knows gets its id whatever language or spelling names
//! it; one it lacks gets an id from the language-neutral key of its name, always inside its parent unit.

use crate::gazetteer::{Found, Query};
use crate::lexicon::{lowercase, stem_close, words, Lang, Lexicon};
use serde::Serialize;
use std::ops::ControlFlow;

/// A region or city of republican significance.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegionRef {
    /// Its gazetteer id, the IRI path below `unit/`.
    pub slug: String,
    /// `Region` or `CityOfRepublicanSignificance`.
    pub unit_type: String,
    /// Kazakh name (`Қарағанды облысы`).
    pub label_kk: String,
    /// Russian name.
    pub label_ru: String,
    /// Russian name in the genitive (`Павлодарской области`).
    pub ru_genitive: String,
}

/// How a unit's identity was settled.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Identity {
    /// Not settled yet (a mention before [`settle`]).
    Open,
    /// A unit of the gazetteer, found by its name.
    Gazetteer,
    /// A unit of the gazetteer, found through the key of its name (another spelling or language).
    GazetteerByKey,
    /// Not in the gazetteer: known by the key of its name inside its parent.
    Key,
    /// Not in the gazetteer and no parent known: the document's own.
    Unresolved,
}

/// An administrative unit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitRef {
    /// The unit's name in the nominative, in the document's language (`Ақтоғай ауданы`, `Алгинский район`).
    pub label: String,
    /// Language of the label.
    pub lang: Lang,
    /// The proper name, in the nominative for Russian adjectives (`Ақтоғай`, `Алгинский`).
    pub proper: String,
    /// `akg:` unit type local name.
    pub unit_type: String,
    /// The last segment of the unit's IRI path (`aktogai-district`); empty for a region itself.
    pub slug: String,
    /// The region: the unit's top ancestor, or the unit itself when it is a region.
    pub region: Option<RegionRef>,
    /// The path of the unit's parent when that parent is not its region (a rural district's district).
    pub parent_path: Option<String>,
    /// The unit's gazetteer id, when the gazetteer knows it.
    pub gazetteer: Option<String>,
    /// The language-neutral key of its name.
    pub key: String,
    /// How its identity was settled.
    pub identity: Identity,
    /// Kazakh name, when known (from a Kazakh text or the gazetteer).
    pub label_kk: Option<String>,
    /// Russian name in the nominative, when known.
    pub label_ru: Option<String>,
    /// Russian name in the genitive, when known (for the names of the unit's bodies).
    pub ru_genitive: Option<String>,
    /// KATO code, where a source states it.
    pub kato: Option<String>,
    /// For a unit whose place is unknown, the document it was read in: such a unit is the document's own, never
    /// merged with a same-named unit elsewhere.
    pub scope: Option<String>,
    /// The unit as the text names it, before it was settled: what [`settle`] starts again from when a unit found by
    /// its name alone lies outside the document's region.
    #[serde(skip)]
    pub named: Option<Box<UnitRef>>,
}

impl UnitRef {
    /// Whether the unit is a region or a city of republican significance.
    pub fn is_region(&self) -> bool {
        self.slug.is_empty()
    }

    /// The unit's path below `unit/`: its gazetteer id (`karaganda/aktogai-district`, `pavlodar`), else its
    /// parent's path and its key (`akmola/zerendi-district/krblk-rural-district`); a unit whose place is unknown
    /// lies in its document's scope, `unresolved/<document>/aktogai-district`.
    pub fn path(&self) -> String {
        if let Some(id) = &self.gazetteer {
            return id.clone();
        }
        let unresolved = format!(
            "unresolved/{}",
            self.scope.as_deref().unwrap_or("unknown-document")
        );
        let parent = self
            .parent_path
            .clone()
            .or_else(|| self.region.as_ref().map(|r| r.slug.clone()))
            .unwrap_or(unresolved);
        if self.slug.is_empty() {
            parent
        } else {
            format!("{parent}/{}", self.slug)
        }
    }

    /// The unit's level: 0 for a region, 1 for a district or city, 2 below that, 3 for a settlement.
    fn level(&self) -> u8 {
        level(&self.unit_type)
    }
}

fn level(unit_type: &str) -> u8 {
    match unit_type {
        "Region" | "CityOfRepublicanSignificance" => 0,
        "District" | "CityOfRegionalSignificance" | "CityDistrict" => 1,
        "RuralDistrict" | "CityOfDistrictSignificance" => 2,
        _ => 3,
    }
}

/// A unit found at a place in a text.
#[derive(Debug, Clone)]
pub struct UnitMention {
    /// The unit.
    pub unit: UnitRef,
    /// Byte range of the mention (proper name and unit word).
    pub start: usize,
    /// End of the range.
    pub end: usize,
}

/// ASCII slug of a name: Kazakh and Russian letters transliterated by `data/lexicon/transliteration.tsv`, other
/// characters turned into hyphens.
pub fn slug(text: &str) -> String {
    let letters = crate::text::letters_or_builtin();
    let mut out = String::new();
    for c in lowercase(text).chars() {
        match letters.latin(c) {
            Some(t) => out.push_str(t),
            None if c.is_ascii_alphanumeric() => out.push(c),
            None => out.push('-'),
        }
    }
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '-' && (collapsed.is_empty() || collapsed.ends_with('-')) {
            continue;
        }
        collapsed.push(c);
    }
    collapsed.trim_end_matches('-').to_string()
}

/// The region of the gazetteer with this id, as a [`RegionRef`] (its current names).
pub fn region_ref(lex: &Lexicon, id: &str) -> Option<RegionRef> {
    let p = lex.gazetteer.current(id)?;
    (level(&p.unit_type) == 0).then(|| RegionRef {
        slug: p.id.clone(),
        unit_type: p.unit_type.clone(),
        label_kk: p.kk.clone(),
        label_ru: p.ru.clone(),
        ru_genitive: p.ru_genitive.clone(),
    })
}

/// A region named with a typo (`Мангистаукого`): the one region whose Russian stem is one letter away, if only one.
fn region_by_typo(lex: &Lexicon, proper: &str) -> Option<RegionRef> {
    let lower = lowercase(proper);
    let mut ids: Vec<&str> = lex
        .gazetteer
        .periods
        .iter()
        .filter(|p| p.unit_type == "Region")
        .filter(|p| {
            let ru = lowercase(&lex.proper_name(&p.ru, Lang::Ru));
            // The adjective's stem (`мангистау` of `мангистауская`), less its longest nominative ending of
            // ru-adjective-endings.tsv.
            let stem = lex
                .ru_endings
                .iter()
                .map(|(_, _, nominative)| nominative.as_str())
                .filter(|n| ru.ends_with(n))
                .max_by_key(|n| n.len())
                .map_or(ru.as_str(), |n| &ru[..ru.len() - n.len()]);
            stem.chars().count() >= 6 && stem_close(&lower, stem)
        })
        .map(|p| p.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    match ids[..] {
        [one] => region_ref(lex, one),
        _ => None,
    }
}

/// Finds the units named in `text`, in order, each settled against the gazetteer as far as the text itself tells
/// (a unit named next to its parent, `Зеренді ауданы Қарабұлақ ауылдық округі`, is looked up inside it). Units not
/// settled here are settled with the document's context by [`settle`].
pub fn find_units(text: &str, lex: &Lexicon, lang: Lang) -> Vec<UnitMention> {
    let mut out = mentions(text, lex, lang);
    // Units named side by side (only spaces and commas between) form a chain: a unit of a higher level is the parent
    // of the next lower ones, whichever comes first (`Акмолинская область, Зерендинский район` and `сельского
    // округа Карабулак Алгинского района`).
    let mut parents: Vec<Option<usize>> = vec![None; out.len()];
    let mut run_start = 0;
    for i in 0..out.len() {
        let joined = i > 0
            && text[out[i - 1].end..out[i].start]
                .chars()
                .all(|c| c.is_whitespace() || c == ',' || c == '|');
        if !joined {
            run_start = i;
        }
        // The nearest unit of the run of a higher level, looking both ways.
        let mut best: Option<usize> = None;
        let mut j = run_start;
        while j < out.len() {
            if j > i
                && !text[out[j - 1].end..out[j].start]
                    .chars()
                    .all(|c| c.is_whitespace() || c == ',' || c == '|')
            {
                break;
            }
            if j != i && out[j].unit.level() < out[i].unit.level() {
                let better = best.is_none_or(|b| {
                    out[j].unit.level() > out[b].unit.level()
                        || (out[j].unit.level() == out[b].unit.level()
                            && j.abs_diff(i) < b.abs_diff(i))
                });
                if better {
                    best = Some(j);
                }
            }
            j += 1;
        }
        parents[i] = best;
    }
    // Settle from the top down, so that a parent is known before its children.
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| out[i].unit.level());
    for i in order {
        let parent = parents[i].map(|p| out[p].unit.clone());
        if let Some(p) = parent {
            let region = p.region.clone();
            out[i].unit = settle_in(out[i].unit.clone(), region.as_ref(), Some(&p), lex, false);
        } else if !out[i].unit.is_region() {
            // Named alone: the one unit of the country of that name, if only one; the document's region may place
            // it elsewhere later (see `settle`).
            let named = out[i].unit.clone();
            let mut settled = settle_in(named.clone(), None, None, lex, false);
            if settled.gazetteer.is_some() {
                settled.named = Some(Box::new(named));
            }
            out[i].unit = settled;
        }
    }
    out
}

/// The units named in a text, each with its name and type, regions settled.
fn mentions(text: &str, lex: &Lexicon, lang: Lang) -> Vec<UnitMention> {
    MentionReader {
        text,
        ws: words(text),
        lex,
        lang,
    }
    .read()
}

/// A name found next to a unit word: the byte range of name and unit word together, the name as written, and the
/// index of the name's word nearest the unit word.
type NameHit = (usize, usize, String, usize);

/// What reading one text's unit mentions needs at hand: the text, its words (byte range, lowercase form), the
/// lexicon and the text's language.
struct MentionReader<'a> {
    text: &'a str,
    ws: Vec<(usize, usize, String)>,
    lex: &'a Lexicon,
    lang: Lang,
}

impl MentionReader<'_> {
    /// Every mention, in order: at each word, the first unit word that fits with a name next to it.
    fn read(&self) -> Vec<UnitMention> {
        let mut out = Vec::new();
        let lower: Vec<&str> = self.ws.iter().map(|w| w.2.as_str()).collect();
        let mut i = 0;
        while i < self.ws.len() {
            let fitting = self.fitting(&lower, i);
            let Some(longest) = fitting.first() else {
                i += 1;
                continue;
            };
            let found = fitting
                .iter()
                .find_map(|uw| self.name_of(i, uw).map(|hit| (*uw, hit)));
            let Some((uw, hit)) = found else {
                i += longest.phrase.stems.len();
                continue;
            };
            out.extend(self.mention(uw, hit));
            i += uw.phrase.stems.len();
        }
        out
    }

    /// Every unit word of the text's language that starts at word `i` of the text's `lower` words, longest first (the
    /// table is sorted so).
    fn fitting(&self, lower: &[&str], i: usize) -> Vec<&crate::lexicon::UnitWord> {
        self.lex.unit_words_at(self.lang, lower, i)
    }

    /// A proper name: a capitalised word with only spaces or a quote between it and the unit word (a bare number,
    /// as in `№ 7 Қалалық емхана`, is not the name of a unit).
    fn proper_at(&self, k: usize, gap: &str) -> Option<(usize, usize, String)> {
        let (s, e, _) = &self.ws[k];
        let original = &self.text[*s..*e];
        let capital = original.chars().next().is_some_and(char::is_uppercase);
        let gap_ok = gap.trim().is_empty() || gap.trim() == "." || gap.trim() == "«";
        (gap_ok && capital).then(|| (*s, *e, original.to_string()))
    }

    /// Whether the word at `k` is itself a unit word (`района Актюбинской области`: `Актюбинской` names the region,
    /// not the district).
    fn unit_word_at(&self, k: usize) -> bool {
        self.lex
            .unit_words
            .iter()
            .filter(|u| u.phrase.lang == self.lang)
            .any(|u| {
                u.phrase
                    .stems
                    .first()
                    .is_some_and(|st| crate::lexicon::stem_matches(st, &self.ws[k].2))
            })
    }

    /// Whether a word is one that never names a unit (`not_unit_name` of `data/lexicon/keywords.tsv`).
    fn not_a_name(&self, word: &str) -> bool {
        self.lex.phrases("not_unit_name").any(|p| p == word)
    }

    /// The name of the unit word `uw` starting at word `i`: after it or before it, as the unit word takes it.
    fn name_of(&self, i: usize, uw: &crate::lexicon::UnitWord) -> Option<NameHit> {
        let last = i + uw.phrase.stems.len() - 1;
        if uw.name_after {
            self.name_following(i, last)
        } else if i == 0 {
            None
        } else {
            self.name_preceding(i, last, uw)
        }
    }

    /// `город Аксу`, `г.Уральска`, `сельского округа Карабулак`: the name follows the unit word ending at `last`.
    fn name_following(&self, i: usize, last: usize) -> Option<NameHit> {
        let (text, ws) = (self.text, &self.ws);
        let next = ws.get(last + 1)?;
        let gap = &text[ws[last].1..next.0];
        // `района Актюбинской области`: an adjective agreeing with the next unit word names that unit.
        let adjective_of_next = last + 2 < ws.len()
            && self.unit_word_at(last + 2)
            && self
                .lex
                .ru_endings
                .iter()
                .any(|(_, oblique, _)| next.2.ends_with(oblique.as_str()));
        self.proper_at(last + 1, gap)
            .filter(|_| !adjective_of_next)
            .map(|(_, e, p)| match self.name_run(last + 1) {
                // `района Магжана Жумабаева`: a name of two capitalised words.
                Some((e2, p2)) => (ws[i].0, e2, p2, last + 1),
                None => (ws[i].0, e, p, last + 1),
            })
            // `сельского округа имени Карима Мынбаева`: the person's name after the word.
            .or_else(|| {
                self.named_after(last + 1, true)
                    .map(|(_, e, p)| (ws[i].0, e, p, last + 1))
            })
    }

    /// `Ақтоғай ауданы`, `Алгинского района`: the name stands before the unit word starting at `i`.
    fn name_preceding(
        &self,
        i: usize,
        last: usize,
        uw: &crate::lexicon::UnitWord,
    ) -> Option<NameHit> {
        let (text, ws) = (self.text, &self.ws);
        let end = ws[last].1;
        let gap = &text[ws[i - 1].1..ws[i].0];
        self.proper_at(i - 1, gap)
            .map(|(s, _, p)| (s, end, p, i - 1))
            // A name of several words whose last is not capitalised (`Біржан сал`, `Шал ақын`): only one the
            // gazetteer knows.
            .or_else(|| {
                gap.trim()
                    .is_empty()
                    .then(|| self.longer_name(i - 1, uw))
                    .flatten()
                    .map(|(s, _, p)| (s, end, p, i - 1))
            })
            // `Кәрім Мыңбаев атындағы ауылдық округ`: the person's name before the word.
            .or_else(|| {
                self.named_after(i - 1, false)
                    .map(|(s, _, p)| (s, end, p, i - 1))
            })
            .map(|hit| self.two_capitalised(i, hit))
            .or_else(|| self.capitalised_and_lowercase(i, end, gap))
    }

    /// `Мағжан Жұмабаев ауданы`: two capitalised words before the unit word at `i`, when the gazetteer knows
    /// neither name; else the one-word `hit` as found.
    fn two_capitalised(&self, i: usize, hit: NameHit) -> NameHit {
        let (text, ws) = (self.text, &self.ws);
        let (_, e0, p0, w0) = &hit;
        let two = i.checked_sub(2).and_then(|k| {
            let inner = &text[ws[k].0..ws[i - 1].1];
            let single = *p0 == text[ws[i - 1].0..ws[i - 1].1];
            let usable = self.lang == Lang::Kk
                && single
                && inner.split_whitespace().count() == 2
                && &text[ws[k].1..ws[i - 1].0] == " "
                && !self.lex.gazetteer_knows(p0, self.lang)
                && !self.lex.gazetteer_knows(inner, self.lang)
                && !self.unit_word_at(k)
                && !self.not_a_name(&ws[k].2);
            usable
                .then(|| self.proper_at(k, " "))
                .flatten()
                .map(|(s, _, _)| (s, *e0, inner.to_string(), *w0))
        });
        two.unwrap_or(hit)
    }

    /// `Шал ақын ауданы`, `Бөкей ордасы ауданы`: a capitalised word and a lowercase one before the unit word at `i`
    /// (which ends at byte `end`; `gap` is what stands between the name and it).
    fn capitalised_and_lowercase(&self, i: usize, end: usize, gap: &str) -> Option<NameHit> {
        let (text, ws) = (self.text, &self.ws);
        let k = i.checked_sub(2)?;
        let inner = &text[ws[k].0..ws[i - 1].1];
        let joined = inner.split_whitespace().count() == 2;
        let usable = self.lang == Lang::Kk
            && !self.unit_word_at(i - 1)
            && !self.not_a_name(&ws[i - 1].2)
            && gap.trim().is_empty();
        (joined && usable)
            .then(|| self.proper_at(k, " "))
            .flatten()
            .map(|(s, _, _)| (s, end, inner.to_string(), i - 1))
    }

    /// The mention a unit word and its name make: the name completed and brought to the nominative, a region or
    /// city of republican significance settled at once. None for what names no unit (`Қазақстан Республикасының
    /// облысы`, a region the gazetteer does not know).
    fn mention(&self, uw: &crate::lexicon::UnitWord, hit: NameHit) -> Option<UnitMention> {
        let (mut start, mut end, mut proper, name_word) = hit;
        // `Қазақстан Республикасының облысы`: the republic is no proper name of a unit.
        if self.not_a_name(&lowercase(&proper)) {
            return None;
        }
        // Names of two or three words (Батыс Қазақстан, Бөкей ордасы, Т. Рысқұлов, район Биржан сал): the longest
        // the gazetteer knows, reading away from the unit word.
        if let Some((s, e, name)) = self.longer_name(name_word, uw) {
            if uw.name_after {
                end = e;
            } else {
                start = s;
            }
            proper = name;
        }
        let proper = self.nominative(uw, &proper);
        let own_label = uw.label.replace("{}", &proper);
        let lang = self.lang;
        let unit = UnitRef {
            label: own_label.clone(),
            lang,
            proper: proper.clone(),
            unit_type: uw.unit_type.clone(),
            slug: format!("{}-{}", slug(&proper), uw.slug),
            region: None,
            parent_path: None,
            gazetteer: None,
            key: self.lex.name_key.key(&proper, lang),
            identity: Identity::Open,
            label_kk: (lang == Lang::Kk).then(|| own_label.clone()),
            label_ru: (lang == Lang::Ru).then(|| own_label.clone()),
            ru_genitive: None,
            kato: None,
            scope: None,
            named: None,
        };
        let unit = self.settle_top(uw, unit)?;
        Some(UnitMention { unit, start, end })
    }

    /// A name as the gazetteer and the labels write it: in the usual case, Russian adjectives and nouns in the
    /// nominative.
    fn nominative(&self, uw: &crate::lexicon::UnitWord, proper: &str) -> String {
        let (lex, lang) = (self.lex, self.lang);
        // Letterheads write names in capitals (`ХРОМТАУ АУДАНЫ`): the name is the same as `Хромтау`.
        let mut proper = title_case(proper);
        if let Some(gender) = &uw.gender {
            proper = lex.ru_nominative(&proper, gender);
        }
        // A name in the genitive after the unit word (`города Павлодара`) is brought to the nominative, unless the
        // gazetteer knows it as written (`района Магжана Жумабаева`).
        if uw.genitive && !lex.gazetteer_knows(&proper, lang) {
            proper = lex.ru_noun_nominative(&proper);
        } else if uw.name_after && lang == Lang::Ru && !lex.gazetteer_knows(&proper, lang) {
            // After an abbreviation (`г.Уральска`) the case is not told by the unit word: the nominative when the
            // gazetteer knows it.
            let nominative = lex.ru_noun_nominative(&proper);
            if lex.gazetteer_knows(&nominative, lang) {
                proper = nominative;
            }
        }
        proper
    }

    /// Regions and cities of republican significance are settled at once: their names are unique. A region the
    /// gazetteer does not know is not a unit this project can place (None); other units pass as they are.
    fn settle_top(&self, uw: &crate::lexicon::UnitWord, unit: UnitRef) -> Option<UnitRef> {
        let lex = self.lex;
        if !matches!(
            uw.unit_type.as_str(),
            "Region" | "CityOfRegionalSignificance"
        ) {
            return Some(unit);
        }
        let q = Query {
            proper: &unit.proper,
            lang: self.lang,
            unit_type: &uw.unit_type,
            within: None,
            date: None,
        };
        let region = lex
            .gazetteer
            .find(&q, &lex.name_key)
            .and_then(|(id, _)| region_ref(lex, id))
            .or_else(|| {
                (uw.unit_type == "Region")
                    .then(|| region_by_typo(lex, &unit.proper))
                    .flatten()
            });
        match region {
            Some(r) => Some(UnitRef {
                label: match self.lang {
                    Lang::Kk => r.label_kk.clone(),
                    Lang::Ru => r.label_ru.clone(),
                },
                unit_type: r.unit_type.clone(),
                slug: String::new(),
                gazetteer: Some(r.slug.clone()),
                identity: Identity::Gazetteer,
                label_kk: Some(r.label_kk.clone()),
                label_ru: Some(r.label_ru.clone()),
                ru_genitive: Some(r.ru_genitive.clone()),
                kato: lex.gazetteer.current(&r.slug).and_then(|p| p.kato.clone()),
                region: Some(r),
                ..unit
            }),
            None if uw.unit_type == "Region" => None,
            None => Some(unit),
        }
    }

    /// After a name that follows its unit word, a second capitalised word of the name (`района Магжана Жумабаева`,
    /// `района Үлкен Нарын`), unless it names the next unit (`города Аксу Павлодарской области`) or is no name: the
    /// end of the two words and their text.
    fn name_run(&self, at: usize) -> Option<(usize, String)> {
        let (text, ws, lex) = (self.text, &self.ws, self.lex);
        let word = &text[ws[at].0..ws[at].1];
        if lex.gazetteer_knows(word, Lang::Ru)
            || lex.gazetteer_knows(&lex.ru_noun_nominative(word), Lang::Ru)
        {
            return None;
        }
        let next = ws.get(at + 1)?;
        let gap = &text[ws[at].1..next.0];
        // A capitalised word, not an abbreviation in capitals (`г.Уральска ЗКО`).
        let written = &text[next.0..next.1];
        let capital = written.chars().next().is_some_and(char::is_uppercase)
            && written.chars().skip(1).any(char::is_lowercase);
        let names_next_unit = at + 2 < ws.len() && self.unit_word_at(at + 2);
        let usable = gap == " "
            && capital
            && !self.unit_word_at(at + 1)
            && !names_next_unit
            && !self.not_a_name(&next.2);
        usable.then(|| (next.1, text[ws[at].0..next.1].to_string()))
    }

    /// A unit named after a person (`Кәрім Мыңбаев атындағы`, `имени Карима Мынбаева`): when the word at `at` is a
    /// `named_after` phrase of `data/lexicon/keywords.tsv`, that word with the one or two capitalised words standing
    /// before it (`forward` false) or after it (`forward` true). Its byte range and text.
    fn named_after(&self, at: usize, forward: bool) -> Option<(usize, usize, String)> {
        let (text, ws) = (self.text, &self.ws);
        let marker = ws.get(at)?;
        self.lex
            .phrases("named_after")
            .any(|p| p == marker.2)
            .then_some(())?;
        let capital = |k: usize| {
            ws.get(k).is_some_and(|w| {
                text[w.0..w.1]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            })
        };
        let mut names = Vec::new();
        for step in 1..=2 {
            let k = if forward {
                at + step
            } else {
                at.checked_sub(step)?
            };
            let prev = if forward { k - 1 } else { k + 1 };
            let gap = if forward {
                text.get(ws[prev].1..ws.get(k)?.0)?
            } else {
                text.get(ws[k].1..ws[prev].0)?
            };
            if !capital(k) || !gap.chars().all(|c| c.is_whitespace() || c == '.') {
                break;
            }
            names.push(k);
        }
        let far = *names.last()?;
        let (s, e) = if forward {
            (marker.0, ws[far].1)
        } else {
            (ws[far].0, marker.1)
        };
        Some((s, e, text[s..e].to_string()))
    }

    /// A name of two or three words around `name_word` (away from the unit word) that the gazetteer knows, if any:
    /// its byte range and text.
    fn longer_name(
        &self,
        name_word: usize,
        uw: &crate::lexicon::UnitWord,
    ) -> Option<(usize, usize, String)> {
        let (text, ws, lex) = (self.text, &self.ws, self.lex);
        for extra in [2usize, 1] {
            let (first, last) = if uw.name_after {
                (name_word, name_word + extra)
            } else {
                let Some(first) = name_word.checked_sub(extra) else {
                    continue;
                };
                (first, name_word)
            };
            if last >= ws.len() {
                continue;
            }
            let (s, e) = (ws[first].0, ws[last].1);
            // Only spaces, dots and hyphens between the words.
            let inner = &text[s..e];
            if inner.contains(['\n', ',', ';', '«', '»', '"']) {
                continue;
            }
            let mut name = inner.to_string();
            if let Some(gender) = &uw.gender {
                name = lex.ru_nominative(&name, gender);
            }
            if lex.gazetteer_knows(&name, self.lang) {
                return Some((s, e, inner.to_string()));
            }
        }
        None
    }
}

/// A name written all in capitals, in the usual case (`ХРОМТАУ` → `Хромтау`, `БАТЫС` → `Батыс`); other names as
/// written.
fn title_case(name: &str) -> String {
    if name.chars().filter(|c| c.is_alphabetic()).count() < 2
        || name.chars().any(char::is_lowercase)
    {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

/// Settles a unit found in a text with what the document tells: its region (`region`, the document's, when the
/// text named none next to the unit) and the unit it lies in (`within`: a parent named next to it, or the unit of
/// the body that approved the document, for units below that body's level). A unit of the gazetteer gets its id
/// and its names in both languages; one the gazetteer lacks gets a path from the key of its name inside its parent
/// (`akmola/zerendi-district/krblk-rural-district`), so that the Kazakh and the Russian text name it alike; one
/// with no known parent stays its document's own.
pub fn settle(
    unit: UnitRef,
    region: Option<&RegionRef>,
    within: Option<&UnitRef>,
    lex: &Lexicon,
) -> UnitRef {
    settle_in(unit, region, within, lex, true)
}

/// The region of a unit settled by its region alone (see [`settle`]).
pub fn with_region(unit: UnitRef, region: Option<&RegionRef>, lex: &Lexicon) -> UnitRef {
    settle(unit, region, None, lex)
}

/// [`settle`]; `last` says whether the document's context has been given (then a unit the gazetteer lacks is
/// placed by its key), or only the text next to the unit (then it stays open for the document to settle).
fn settle_in(
    mut unit: UnitRef,
    region: Option<&RegionRef>,
    within: Option<&UnitRef>,
    lex: &Lexicon,
    last: bool,
) -> UnitRef {
    if unit.is_region() {
        return unit;
    }
    if unit.identity != Identity::Open && unit.identity != Identity::Unresolved {
        match settled_by_text(unit, region, lex) {
            ControlFlow::Break(settled) => return settled,
            ControlFlow::Continue(named) => unit = named,
        }
    }
    // The parent the document gives, when it is above the unit's level.
    let within =
        within.filter(|w| w.level() < unit.level() && !w.path().starts_with("unresolved/"));
    let region = unit.region.clone().or_else(|| {
        within
            .and_then(|w| w.region.clone())
            .or_else(|| region.cloned())
    });
    let within_id: Option<String> = within
        .and_then(|w| w.gazetteer.clone())
        .or_else(|| region.as_ref().map(|r| r.slug.clone()));
    let q = Query {
        proper: &unit.proper,
        lang: unit.lang,
        unit_type: &unit.unit_type,
        within: within_id.as_deref(),
        date: None,
    };
    // Inside the place the text or the document gives, by name or key; with no place known, only a name that
    // stands for one unit of the whole country (a key alone is too loose to place a unit anywhere).
    let found = if q.within.is_some() {
        lex.gazetteer.find(&q, &lex.name_key)
    } else {
        lex.gazetteer.find_name(&q).map(|id| (id, Found::Name))
    };
    if let Some((id, how)) = found {
        let id = id.to_string();
        return from_gazetteer(unit, id, how, lex);
    }
    unit.region = region;
    if !last && within.is_none() {
        return unit;
    }
    by_key(unit, within, lex)
}

/// A unit the text has settled already: kept (`Break`), a document's region filling only what is missing; or, when
/// it was found by its name alone in another region than the document's, the unit as the text names it, to be read
/// again inside the document's region (`Continue`).
fn settled_by_text(
    mut unit: UnitRef,
    region: Option<&RegionRef>,
    lex: &Lexicon,
) -> ControlFlow<UnitRef, UnitRef> {
    // A unit found by its name alone, in another region than the document's: read again inside the document's.
    let elsewhere = match (&unit.named, &unit.gazetteer, region) {
        (Some(_), Some(id), Some(r)) => {
            id != &r.slug && !lex.gazetteer.lies_within(id, &r.slug, None)
        }
        _ => false,
    };
    match (elsewhere, unit.named.take()) {
        (true, Some(named)) => ControlFlow::Continue(*named),
        (_, named) => {
            // Settled by the text already; a document's region fills only what is missing.
            unit.named = named;
            if unit.region.is_none() {
                unit.region = region.cloned();
            }
            ControlFlow::Break(unit)
        }
    }
}

/// A unit the gazetteer holds as `id` (found by name or key): its id, type, region and names in both languages.
fn from_gazetteer(mut unit: UnitRef, id: String, how: Found, lex: &Lexicon) -> UnitRef {
    let p = lex
        .gazetteer
        .current(&id)
        .expect("a unit found in the gazetteer has a period");
    let top = lex
        .gazetteer
        .ancestors(&id, None)
        .last()
        .map(|s| s.to_string());
    unit.region = top.as_deref().and_then(|t| region_ref(lex, t));
    unit.parent_path = None;
    unit.unit_type = p.unit_type.clone();
    unit.slug = id.rsplit('/').next().unwrap_or(&id).to_string();
    unit.label_kk = Some(p.kk.clone());
    unit.label_ru = Some(p.ru.clone());
    unit.ru_genitive = Some(p.ru_genitive.clone());
    unit.kato = p.kato.clone();
    unit.label = match unit.lang {
        Lang::Kk => p.kk.clone(),
        Lang::Ru => p.ru.clone(),
    };
    unit.identity = match how {
        Found::Name => Identity::Gazetteer,
        Found::Key => Identity::GazetteerByKey,
    };
    unit.gazetteer = Some(id);
    unit
}

/// Not in the gazetteer: the key of its name, inside its parent (`within`, else its region); with neither it stays
/// unresolved.
fn by_key(mut unit: UnitRef, within: Option<&UnitRef>, lex: &Lexicon) -> UnitRef {
    let suffix = lex
        .unit_words
        .iter()
        .find(|u| u.unit_type == unit.unit_type)
        .map(|u| u.slug.clone())
        .unwrap_or_default();
    if unit.key.is_empty() {
        unit.key = slug(&unit.proper);
    }
    unit.slug = format!("{}-{suffix}", unit.key);
    unit.parent_path = within.filter(|w| !w.is_region()).map(UnitRef::path);
    unit.identity = if unit.parent_path.is_some() || unit.region.is_some() {
        Identity::Key
    } else {
        Identity::Unresolved
    };
    // Its name in the other language is not known: the text's own stays its only label.
    if unit.lang == Lang::Ru {
        unit.label_kk = None;
    }
    unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_regions_in_an_address() {
        let lex = Lexicon::embedded().unwrap();
        let m = find_units(
            "Қазақстан Республикасы, Қарағанды облысы, Ақтоғай ауданы, Ақтоғай ауылы, Әлихан Бөкейхан көшесі, 4",
            &lex,
            Lang::Kk,
        );
        let got: Vec<_> = m
            .iter()
            .map(|m| (m.unit.unit_type.as_str(), m.unit.path()))
            .collect();
        assert_eq!(
            got,
            [
                ("Region", "karaganda".to_string()),
                // The district named next to its region is the gazetteer's, the village inside it is known by key.
                ("District", "karaganda/aktogai-district".to_string()),
                (
                    "Village",
                    "karaganda/aktogai-district/aktg-village".to_string()
                )
            ]
        );
    }

    #[test]
    fn adjectival_maslikhat_and_republican_city() {
        let lex = Lexicon::embedded().unwrap();
        let m = find_units("«Байзақ аудандық мәслихаты аппараты»", &lex, Lang::Kk);
        assert_eq!(m[0].unit.label, "Байзақ ауданы");
        let m = find_units("Алматы қаласының әкімдігі", &lex, Lang::Kk);
        assert_eq!(m[0].unit.unit_type, "CityOfRepublicanSignificance");
        assert_eq!(m[0].unit.path(), "almaty");
    }

    #[test]
    fn names_after_the_unit_word_in_the_genitive_and_in_capitals() {
        let lex = Lexicon::embedded().unwrap();
        let labels = |text: &str, lang: Lang| -> Vec<String> {
            find_units(text, &lex, lang)
                .into_iter()
                .map(|m| m.unit.label)
                .collect()
        };
        assert_eq!(
            labels(
                "аппарат акима сельского округа Карабулак Алгинского района",
                Lang::Ru
            ),
            ["Карабулак сельский округ", "Алгинский район"]
        );
        assert_eq!(labels("акимата области Абай", Lang::Ru), ["область Абай"]);
        assert_eq!(
            labels(
                "акимата города Павлодара и акимата города Павлодар",
                Lang::Ru
            ),
            ["город Павлодар", "город Павлодар"]
        );
        assert_eq!(
            labels("маслихата района Актюбинской области", Lang::Ru),
            ["Актюбинская область"]
        );
        assert_eq!(
            labels("АҚТӨБЕ ОБЛЫСЫ ХРОМТАУ АУДАНЫ ӘКІМДІГІ", Lang::Kk),
            ["Ақтөбе облысы", "Хромтау ауданы"]
        );
    }

    #[test]
    fn a_rural_district_is_placed_in_the_district_named_beside_it() {
        let lex = Lexicon::embedded().unwrap();
        let kk = find_units("Алға ауданы Қарабұлақ ауылдық округі", &lex, Lang::Kk);
        let ru = find_units(
            "сельского округа Карабулак Алгинского района",
            &lex,
            Lang::Ru,
        );
        let rural = |m: &[UnitMention]| {
            m.iter()
                .find(|m| m.unit.unit_type == "RuralDistrict")
                .map(|m| m.unit.path())
        };
        assert_eq!(rural(&kk), rural(&ru));
        assert_eq!(
            rural(&kk).as_deref(),
            Some("aktobe/alga-district/krblk-rural-district")
        );
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Ақтоғай"), "aktogai");
        assert_eq!(
            slug("Жастар бастамасын дамыту орталығы"),
            "zhastar-bastamasyn-damytu-ortalygy"
        );
    }
}
