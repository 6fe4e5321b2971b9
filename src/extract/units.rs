//! Administrative units named in a text (`Ақтоғай ауданы`, `Павлодар облысы Ақсу қаласының`, `Байзақ аудандық
//! мәслихаты`) and the regions they belong to.

use crate::lexicon::{words, Lang, Lexicon};
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
}

/// An administrative unit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitRef {
    /// The unit's name in the nominative, in the document's language (`Ақтоғай ауданы`).
    pub label: String,
    /// Language of the label.
    pub lang: Lang,
    /// The proper name (`Ақтоғай`).
    pub proper: String,
    /// `akg:` unit type local name.
    pub unit_type: String,
    /// IRI slug of the unit inside its region (`aktogai-district`); empty for a region itself.
    pub slug: String,
    /// The region: the unit's parent, or the unit itself when it is a region.
    pub region: Option<RegionRef>,
}

impl UnitRef {
    /// Whether the unit is a region or a city of republican significance.
    pub fn is_region(&self) -> bool {
        self.slug.is_empty()
    }

    /// The unit's path below `unit/`: `karaganda/aktogai-district`, `pavlodar`, `unknown-region/…`.
    pub fn path(&self) -> String {
        let region = self
            .region
            .as_ref()
            .map(|r| r.slug.as_str())
            .unwrap_or("unknown-region");
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
    for c in text.to_lowercase().chars() {
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
    let lower = name.to_lowercase();
    lex.regions
        .iter()
        .filter(|r| (r.unit_type == "CityOfRepublicanSignificance") == want_city)
        .find(|r| {
            r.kk.to_lowercase() == lower
                || r.ru.to_lowercase() == lower
                || (!r.ru_stem.is_empty() && lower.starts_with(&r.ru_stem.to_lowercase()))
        })
        .map(|r| region_ref(lex, r))
}

fn region_ref(lex: &Lexicon, r: &crate::lexicon::Region) -> RegionRef {
    let label = |lang: Lang, name: &str| {
        if r.unit_type == "CityOfRepublicanSignificance" {
            match lang {
                Lang::Kk => format!("{name} қаласы"),
                Lang::Ru => format!("город {name}"),
            }
        } else {
            lex.unit_words
                .iter()
                .find(|u| u.unit_type == "Region" && u.phrase.lang == lang)
                .map(|u| u.label.replace("{}", name))
                .unwrap_or_else(|| name.to_string())
        }
    };
    RegionRef {
        slug: r.slug.clone(),
        unit_type: r.unit_type.clone(),
        label_kk: label(Lang::Kk, &r.kk),
        label_ru: label(Lang::Ru, &r.ru),
    }
}

/// Finds the units named in `text`, in order. Units below a region carry no region unless the mention names a
/// region itself; [`with_region`] gives them the document's.
pub fn find_units(text: &str, lex: &Lexicon, lang: Lang) -> Vec<UnitMention> {
    let ws = words(text);
    let mut out: Vec<UnitMention> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let Some(uw) = lex
            .unit_words
            .iter()
            .filter(|u| u.phrase.lang == lang)
            .find(|u| {
                let slice: Vec<&str> = ws[i..]
                    .iter()
                    .take(u.phrase.stems.len())
                    .map(|w| w.2.as_str())
                    .collect();
                u.phrase.find_in(&slice) == Some(0)
            })
        else {
            i += 1;
            continue;
        };
        let n_words = uw.phrase.stems.len();
        // The proper name stands right before, capitalised, with only spaces or an opening quote between.
        let proper_of = |k: usize| -> Option<(usize, String)> {
            let (s, e, _) = &ws[k];
            let gap = &text[*e..ws[k + 1].0];
            let original = &text[*s..*e];
            let capital = original
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            (gap.trim().is_empty() && capital).then(|| (*s, original.to_string()))
        };
        if i == 0 {
            i += n_words;
            continue;
        }
        let Some((mut start, mut proper)) = proper_of(i - 1) else {
            i += n_words;
            continue;
        };
        if ["республикасы", "республикасының", "республика"]
            .contains(&proper.to_lowercase().as_str())
        {
            i += n_words;
            continue;
        }
        // Two-word names: regions like Батыс Қазақстан, and hyphenated or numbered names.
        if i >= 2 {
            if let Some((s2, p2)) = proper_of(i - 2) {
                let two = format!("{p2} {proper}");
                if lex.regions.iter().any(|r| r.kk == two || r.ru == two) {
                    start = s2;
                    proper = two;
                }
            }
        }
        let end = ws[i + n_words - 1].1;
        let is_city = uw.unit_type == "CityOfRegionalSignificance";
        let unit = if uw.unit_type == "Region" {
            region_by_name(lex, &proper, false).map(|r| UnitRef {
                label: r_label(&r, lang),
                lang,
                proper: proper.clone(),
                unit_type: "Region".into(),
                slug: String::new(),
                region: Some(r),
            })
        } else if let Some(r) = is_city
            .then(|| region_by_name(lex, &proper, true))
            .flatten()
        {
            Some(UnitRef {
                label: r_label(&r, lang),
                lang,
                proper: proper.clone(),
                unit_type: "CityOfRepublicanSignificance".into(),
                slug: String::new(),
                region: Some(r),
            })
        } else {
            Some(UnitRef {
                label: uw.label.replace("{}", &proper),
                lang,
                proper: proper.clone(),
                unit_type: uw.unit_type.clone(),
                slug: format!("{}-{}", slug(&proper), uw.slug),
                region: None,
            })
        };
        if let Some(unit) = unit {
            out.push(UnitMention { unit, start, end });
        }
        i += n_words;
    }
    out
}

fn r_label(r: &RegionRef, lang: Lang) -> String {
    match lang {
        Lang::Kk => r.label_kk.clone(),
        Lang::Ru => r.label_ru.clone(),
    }
}

/// Gives units without a region the document's region.
pub fn with_region(mut unit: UnitRef, region: Option<&RegionRef>) -> UnitRef {
    if unit.region.is_none() {
        unit.region = region.cloned();
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
                ("District", "unknown-region/aktogai-district".to_string()),
                ("Village", "unknown-region/aktogai-village".to_string())
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
    fn slugs_are_ascii() {
        assert_eq!(slug("Ақтоғай"), "aktogai");
        assert_eq!(
            slug("Жастар бастамасын дамыту орталығы"),
            "zhastar-bastamasyn-damytu-ortalygy"
        );
    }
}
