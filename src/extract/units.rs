//! Administrative units named in a text (`Ақтоғай ауданы`, `Павлодар облысы Ақсу қаласының`, `Байзақ аудандық
//! мәслихаты`) and the regions they belong to.

use crate::lexicon::{lowercase, stem_close, words, Lang, Lexicon, Place};
use serde::Serialize;

/// A region or city of republican significance.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegionRef {
    /// IRI slug from the reference table.
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
    /// IRI slug of the unit inside its region (`aktogai-district`); empty for a region itself.
    pub slug: String,
    /// The region: the unit's parent, or the unit itself when it is a region.
    pub region: Option<RegionRef>,
    /// Kazakh name, when known (from a Kazakh text or `data/reference/units.tsv`).
    pub label_kk: Option<String>,
    /// Russian name in the nominative, when known.
    pub label_ru: Option<String>,
    /// Russian name in the genitive, when known (for the names of the unit's bodies).
    pub ru_genitive: Option<String>,
    /// KATO code, where a source states it.
    pub kato: Option<String>,
    /// For a unit whose region is unknown, the document it was read in: such a unit is the document's own, never
    /// merged with a same-named unit of another region.
    pub scope: Option<String>,
}

impl UnitRef {
    /// Whether the unit is a region or a city of republican significance.
    pub fn is_region(&self) -> bool {
        self.slug.is_empty()
    }

    /// The unit's path below `unit/`: `karaganda/aktogai-district`, `pavlodar`; a unit whose region is unknown
    /// lies in its document's scope, `unresolved/<document>/aktogai-district`.
    pub fn path(&self) -> String {
        let unresolved = format!(
            "unresolved/{}",
            self.scope.as_deref().unwrap_or("unknown-document")
        );
        let region = self
            .region
            .as_ref()
            .map(|r| r.slug.as_str())
            .unwrap_or(&unresolved);
        if self.slug.is_empty() {
            region.to_string()
        } else {
            format!("{region}/{}", self.slug)
        }
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

/// ASCII slug of a name: Kazakh and Russian letters transliterated, other characters turned into hyphens.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in lowercase(text).chars() {
        let t: &str = match c {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'і' => "i",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' => "kh",
            'һ' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(t);
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

fn region_by_name(lex: &Lexicon, name: &str, want_city: bool) -> Option<RegionRef> {
    let lower = lowercase(name);
    let candidates = || {
        lex.regions
            .iter()
            .filter(move |r| (r.unit_type == "CityOfRepublicanSignificance") == want_city)
    };
    let exact = candidates().find(|r| {
        lowercase(&r.kk) == lower
            || lowercase(&r.ru) == lower
            || (!r.ru_stem.is_empty() && lower.starts_with(&lowercase(&r.ru_stem)))
    });
    // A typo in a region's name (`Мангистаукого`) still names it, when no other region is as close.
    let found = exact.or_else(|| {
        let close: Vec<_> = candidates()
            .filter(|r| !r.ru_stem.is_empty() && stem_close(&lower, &lowercase(&r.ru_stem)))
            .collect();
        (close.len() == 1).then(|| close[0])
    });
    found.map(|r| region_ref(lex, r))
}

fn region_ref(lex: &Lexicon, r: &crate::lexicon::Region) -> RegionRef {
    let label = |lang: Lang, name: &str| {
        if r.unit_type == "CityOfRepublicanSignificance" {
            match lang {
                Lang::Kk => format!("{name} қаласы"),
                Lang::Ru => format!("город {name}"),
            }
        } else {
            unit_label(lex, "Region", lang, name).unwrap_or_else(|| name.to_string())
        }
    };
    RegionRef {
        slug: r.slug.clone(),
        unit_type: r.unit_type.clone(),
        label_kk: label(Lang::Kk, &r.kk),
        label_ru: r.ru_label.clone(),
        ru_genitive: r.ru_genitive.clone(),
    }
}

/// The name of a unit of a type in a language, from the label pattern of its unit word (`{} ауданы`, `город {}`).
fn unit_label(lex: &Lexicon, unit_type: &str, lang: Lang, proper: &str) -> Option<String> {
    lex.unit_words
        .iter()
        .find(|u| u.unit_type == unit_type && u.phrase.lang == lang)
        .map(|u| u.label.replace("{}", proper))
}

/// Finds the units named in `text`, in order. Units below a region carry no region unless the mention names a
/// region itself; [`with_region`] gives them the document's and their names in the other language.
pub fn find_units(text: &str, lex: &Lexicon, lang: Lang) -> Vec<UnitMention> {
    let ws = words(text);
    let mut out: Vec<UnitMention> = Vec::new();
    let mut i = 0;
    // A proper name: a capitalised word with only spaces or a quote between it and the unit word (a bare number,
    // as in `№ 7 Қалалық емхана`, is not the name of a unit).
    let proper_at = |k: usize, gap: &str| -> Option<(usize, usize, String)> {
        let (s, e, _) = &ws[k];
        let original = &text[*s..*e];
        let capital = original.chars().next().is_some_and(char::is_uppercase);
        let gap_ok = gap.trim().is_empty() || gap.trim() == "." || gap.trim() == "«";
        (gap_ok && capital).then(|| (*s, *e, original.to_string()))
    };
    // Whether the word at `k` is itself a unit word (`района Актюбинской области`: `Актюбинской` names the region,
    // not the district).
    let unit_word_at = |k: usize| {
        lex.unit_words
            .iter()
            .filter(|u| u.phrase.lang == lang)
            .any(|u| {
                u.phrase
                    .stems
                    .first()
                    .is_some_and(|st| crate::lexicon::stem_matches(st, &ws[k].2))
            })
    };
    while i < ws.len() {
        // Every unit word that fits here, longest first (the table is sorted so): the name before it, else after it.
        let fitting: Vec<&crate::lexicon::UnitWord> = lex
            .unit_words
            .iter()
            .filter(|u| u.phrase.lang == lang)
            .filter(|u| {
                let slice: Vec<&str> = ws[i..]
                    .iter()
                    .take(u.phrase.stems.len())
                    .map(|w| w.2.as_str())
                    .collect();
                u.phrase.find_in(&slice) == Some(0)
            })
            .collect();
        if fitting.is_empty() {
            i += 1;
            continue;
        }
        let mut found = None;
        for uw in &fitting {
            let n_words = uw.phrase.stems.len();
            let last = i + n_words - 1;
            let hit = if uw.name_after {
                // `город Аксу`, `г.Уральска`, `сельского округа Карабулак`: the name follows the unit word.
                ws.get(last + 1).and_then(|next| {
                    let gap = &text[ws[last].1..next.0];
                    let followed_by_unit = last + 2 < ws.len() && unit_word_at(last + 2);
                    proper_at(last + 1, gap)
                        .filter(|_| !followed_by_unit)
                        .map(|(_, e, p)| (ws[i].0, e, p))
                })
            } else if i == 0 {
                None
            } else {
                let gap = &text[ws[i - 1].1..ws[i].0];
                proper_at(i - 1, gap).map(|(s, _, p)| (s, ws[last].1, p))
            };
            if let Some(h) = hit {
                found = Some((*uw, h));
                break;
            }
        }
        let Some((uw, (mut start, end, mut proper))) = found else {
            i += fitting[0].phrase.stems.len();
            continue;
        };
        let n_words = uw.phrase.stems.len();
        if ["республикасы", "республикасының", "республика"].contains(&lowercase(&proper).as_str())
        {
            i += n_words;
            continue;
        }
        // Two-word names: regions like Батыс Қазақстан, and hyphenated or numbered names.
        if !uw.name_after && i >= 2 {
            let gap = &text[ws[i - 2].1..ws[i - 1].0];
            if let Some((s2, _, p2)) = proper_at(i - 2, gap) {
                let two = format!("{p2} {proper}");
                if lex.regions.iter().any(|r| r.kk == two || r.ru == two) {
                    start = s2;
                    proper = two;
                }
            }
        }
        // Letterheads write names in capitals (`ХРОМТАУ АУДАНЫ`): the name is the same as `Хромтау`.
        proper = title_case(&proper);
        if let Some(gender) = &uw.gender {
            proper = lex.ru_nominative(&proper, gender);
        }
        let is_city = uw.unit_type == "CityOfRegionalSignificance";
        let region_unit = |r: RegionRef, unit_type: &str, proper: &str| UnitRef {
            label: r_label(&r, lang),
            lang,
            proper: proper.to_string(),
            unit_type: unit_type.into(),
            slug: String::new(),
            label_kk: Some(r.label_kk.clone()),
            label_ru: Some(r.label_ru.clone()),
            ru_genitive: Some(r.ru_genitive.clone()),
            kato: None,
            scope: None,
            region: Some(r),
        };
        let unit = if uw.unit_type == "Region" {
            region_by_name(lex, &proper, false).map(|r| region_unit(r, "Region", &proper))
        } else if let Some(r) = is_city
            .then(|| region_by_name(lex, &proper, true))
            .flatten()
        {
            Some(region_unit(r, "CityOfRepublicanSignificance", &proper))
        } else {
            // A name in the genitive after the unit word (`города Павлодара`) is brought to the nominative.
            if uw.genitive {
                proper = lex.ru_noun_nominative(&proper);
            }
            let own_label = uw.label.replace("{}", &proper);
            Some(UnitRef {
                label: own_label.clone(),
                lang,
                proper: proper.clone(),
                unit_type: uw.unit_type.clone(),
                slug: format!("{}-{}", slug(&proper), uw.slug),
                region: None,
                label_kk: (lang == Lang::Kk).then(|| own_label.clone()),
                label_ru: (lang == Lang::Ru).then(|| own_label.clone()),
                ru_genitive: None,
                kato: None,
                scope: None,
            })
        };
        if let Some(unit) = unit {
            out.push(UnitMention { unit, start, end });
        }
        i += n_words;
    }
    out
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

fn r_label(r: &RegionRef, lang: Lang) -> String {
    match lang {
        Lang::Kk => r.label_kk.clone(),
        Lang::Ru => r.label_ru.clone(),
    }
}

/// The rows of `data/reference/units.tsv` that a unit's name matches.
fn places<'a>(unit: &UnitRef, lex: &'a Lexicon) -> Vec<&'a Place> {
    let lower = lowercase(&unit.proper);
    lex.places
        .iter()
        .filter(|p| p.unit_type == unit.unit_type)
        .filter(|p| match unit.lang {
            Lang::Kk => lowercase(&p.kk) == lower,
            Lang::Ru => {
                lowercase(&p.ru) == lower
                    || p.ru_stems.iter().any(|s| lower.starts_with(s.as_str()))
            }
        })
        .collect()
}

/// Completes a unit found in a text: gives a unit without a region the document's, and, when the unit is in
/// `data/reference/units.tsv`, its names in both languages and the slug of its Kazakh name, so that the Kazakh and
/// Russian texts of one act name it alike. Where several rows match (Ақтоғай ауданы of two regions), the region
/// decides; without a region, only a name that matches the rows of a single region is completed.
pub fn with_region(mut unit: UnitRef, region: Option<&RegionRef>, lex: &Lexicon) -> UnitRef {
    if unit.is_region() {
        return unit;
    }
    if unit.region.is_none() {
        unit.region = region.cloned();
    }
    let candidates: Vec<&Place> = places(&unit, lex)
        .into_iter()
        .filter(|p| unit.region.as_ref().is_none_or(|r| r.slug == p.region))
        .collect();
    let Some(place) = candidates.first() else {
        return unit;
    };
    if candidates.iter().any(|p| p.region != place.region) {
        return unit;
    }
    if unit.region.is_none() {
        unit.region = lex
            .regions
            .iter()
            .find(|r| r.slug == place.region)
            .map(|r| region_ref(lex, r));
    }
    let suffix = lex
        .unit_words
        .iter()
        .find(|u| u.unit_type == unit.unit_type)
        .map(|u| u.slug.clone())
        .unwrap_or_default();
    unit.slug = format!("{}-{suffix}", slug(&place.kk));
    unit.label_kk = unit_label(lex, &unit.unit_type, Lang::Kk, &place.kk);
    unit.label_ru = unit_label(lex, &unit.unit_type, Lang::Ru, &place.ru);
    unit.ru_genitive = place.ru_genitive.clone();
    unit.kato = place.kato.clone();
    if let Some(l) = match unit.lang {
        Lang::Kk => &unit.label_kk,
        Lang::Ru => &unit.label_ru,
    } {
        unit.label = l.clone();
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
                // Found without their region, they are nobody's until a document gives them its own.
                (
                    "District",
                    "unresolved/unknown-document/aktogai-district".to_string()
                ),
                (
                    "Village",
                    "unresolved/unknown-document/aktogai-village".to_string()
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
    fn slugs_are_ascii() {
        assert_eq!(slug("Ақтоғай"), "aktogai");
        assert_eq!(
            slug("Жастар бастамасын дамыту орталығы"),
            "zhastar-bastamasyn-damytu-ortalygy"
        );
    }
}
