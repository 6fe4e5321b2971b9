//! The national gazetteer (`data/reference/gazetteer.tsv`): every region, city and district of Kazakhstan (and the
//! smaller units public sources list) with its names in both languages and its history, so that a unit named by a
//! 2014 text and by a 2024 text, in Kazakh or in Russian, is one node.
//!
//! A unit is one `id` (its IRI path below `unit/`, chosen once and never changed); each row of the table is one
//! period of it: its type, parent, names and KATO code between two dates. Names are matched on their proper part
//! (`Ақкөл` of `Ақкөл ауданы`, `Аккольский` of `Аккольский район`), in the language of the text, then through the
//! language-neutral [`key`] of the name.

pub mod key;

use crate::text::{lowercase, Lang};
use key::NameKey;
use std::collections::HashMap;

/// One period of a unit: a row of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The unit's id (its IRI path below `unit/`).
    pub id: String,
    /// `akg:` unit type local name.
    pub unit_type: String,
    /// The parent's id in this period (none for regions and cities of republican significance).
    pub parent: Option<String>,
    /// Kazakh name in the nominative (`Ақкөл ауданы`).
    pub kk: String,
    /// Russian name in the nominative (`Аккольский район`, `район Биржан сал`).
    pub ru: String,
    /// Russian name in the genitive (`Аккольского района`), for the names of the unit's bodies.
    pub ru_genitive: String,
    /// Other Kazakh names of the period (spellings texts use).
    pub kk_alt: Vec<String>,
    /// Other Russian names of the period.
    pub ru_alt: Vec<String>,
    /// KATO code, where a source states it.
    pub kato: Option<String>,
    /// First day of the period (ISO), if known.
    pub from: Option<String>,
    /// Last day of the period (ISO), if it ended.
    pub to: Option<String>,
    /// Where the row comes from.
    pub source: String,
    /// The language-neutral key of its official Kazakh name.
    pub key: String,
}

impl Period {
    /// Whether the period covers a date (ISO); every period covers an unknown date.
    pub fn covers(&self, date: Option<&str>) -> bool {
        let Some(d) = date else { return true };
        self.from.as_deref().is_none_or(|f| f <= d) && self.to.as_deref().is_none_or(|t| d <= t)
    }

    /// The names of the period in a language, the official one first.
    pub fn names(&self, lang: Lang) -> impl Iterator<Item = &str> {
        let (main, alt) = match lang {
            Lang::Kk => (&self.kk, &self.kk_alt),
            Lang::Ru => (&self.ru, &self.ru_alt),
        };
        std::iter::once(main.as_str()).chain(alt.iter().map(String::as_str))
    }
}

/// The gazetteer could not be read.
#[derive(Debug, thiserror::Error)]
#[error("reference/gazetteer.tsv: line {line}: {message}")]
pub struct GazetteerError {
    /// The line of the table.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Which unit types a unit word of a text can name: a text's `қала` / `город` is a city of any significance, its
/// `аудан` / `район` a district or a district of a city.
pub fn family(unit_type: &str) -> &'static str {
    match unit_type {
        "Region" => "region",
        "CityOfRepublicanSignificance"
        | "CityOfRegionalSignificance"
        | "CityOfDistrictSignificance" => "city",
        "District" | "CityDistrict" => "district",
        "RuralDistrict" => "rural-district",
        "Town" => "town",
        "Village" => "village",
        _ => "other",
    }
}

/// A name as the gazetteer compares it: lowercase, folded by `key` (`ё` as `е`), hyphens and dots as spaces,
/// single spaces.
fn normal(name: &str, key: &NameKey) -> String {
    key.fold(&lowercase(name))
        .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a text says of a unit, to be looked up.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// The proper name as the text gives it, in the nominative (`Ақкөл`, `Аккольский`, `Биржан сал`).
    pub proper: &'a str,
    /// The text's language.
    pub lang: Lang,
    /// The unit type the text's unit word names.
    pub unit_type: &'a str,
    /// A unit the text places it in (its region, its district), by id, if the text says.
    pub within: Option<&'a str>,
    /// The date of the text (ISO), if known: names and parents of that day are preferred.
    pub date: Option<&'a str>,
}

/// How a unit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// By one of its names in the text's language.
    Name,
    /// Through the language-neutral key of its name (another spelling, or the other language's name).
    Key,
}

/// A row of the table, with the header's column names.
struct Row<'a> {
    cols: &'a [String],
    fields: Vec<&'a str>,
    /// The row's line in the table.
    line: usize,
}

impl Row<'_> {
    /// An error at this row.
    fn bad(&self, message: String) -> GazetteerError {
        GazetteerError {
            line: self.line,
            message,
        }
    }

    /// The trimmed value of a column.
    fn col(&self, name: &str) -> Result<&str, GazetteerError> {
        self.cols
            .iter()
            .position(|c| c == name)
            .map(|p| self.fields[p].trim())
            .ok_or_else(|| self.bad(format!("no column {name:?} in the header")))
    }

    /// The value of a date column (ISO), if given.
    fn date(&self, name: &str) -> Result<Option<String>, GazetteerError> {
        let v = opt(self.col(name)?);
        if let Some(d) = &v {
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(self.bad(format!("`{name}` is not a date (YYYY-MM-DD): {d:?}")));
            }
        }
        Ok(v)
    }

    /// The period the row gives (its key not yet made): as many fields as columns, an id and both names, and a
    /// known unit type.
    fn period(&self) -> Result<Period, GazetteerError> {
        if self.fields.len() != self.cols.len() {
            return Err(self.bad(format!(
                "expected {} columns ({}), found {}",
                self.cols.len(),
                self.cols.join(", "),
                self.fields.len()
            )));
        }
        let p = Period {
            id: self.col("id")?.to_string(),
            unit_type: self.col("type")?.to_string(),
            parent: opt(self.col("parent")?),
            kk: self.col("kk")?.to_string(),
            ru: self.col("ru")?.to_string(),
            ru_genitive: self.col("ru_genitive")?.to_string(),
            kk_alt: list(self.col("kk_alt")?),
            ru_alt: list(self.col("ru_alt")?),
            kato: opt(self.col("kato")?),
            from: self.date("from")?,
            to: self.date("to")?,
            source: self.col("source")?.to_string(),
            key: String::new(),
        };
        if p.id.is_empty() || p.kk.is_empty() || p.ru.is_empty() {
            return Err(self.bad("`id`, `kk` and `ru` must not be empty".into()));
        }
        if family(&p.unit_type) == "other" {
            return Err(self.bad(format!("unknown unit type {:?}", p.unit_type)));
        }
        Ok(p)
    }
}

/// A value, unless empty or `-`.
fn opt(v: &str) -> Option<String> {
    (v != "-" && !v.is_empty()).then(|| v.to_string())
}

/// A list of values separated by ` | ` (none for empty or `-`).
fn list(v: &str) -> Vec<String> {
    opt(v)
        .map(|v| v.split(" | ").map(|s| s.trim().to_string()).collect())
        .unwrap_or_default()
}

/// The gazetteer, loaded once.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// All periods, in table order.
    pub periods: Vec<Period>,
    /// The places in `periods` of each unit's periods, by id.
    by_id: HashMap<String, Vec<usize>>,
    /// Periods by (language, normal proper name).
    by_name: HashMap<(Lang, String), Vec<usize>>,
    /// Periods by the key of any of their names.
    by_key: HashMap<String, Vec<usize>>,
    /// The name-key rules the table was read with, for folding the names looked up.
    key: NameKey,
}

impl Gazetteer {
    /// Reads the table. `proper` turns a full name (`Ақкөл ауданы`) into its proper part (`Ақкөл`) by the unit
    /// words of the lexicon; `key` gives the language-neutral key of a proper name.
    pub fn parse(
        text: &str,
        proper: impl Fn(&str, Lang) -> String,
        key: &NameKey,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer {
            key: key.clone(),
            ..Gazetteer::default()
        };
        let mut header: Option<Vec<String>> = None;
        // The table line of each period, for the errors found once all are read.
        let mut lines = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let Some(cols) = &header else {
                header = Some(fields.iter().map(|s| s.to_string()).collect());
                continue;
            };
            let row = Row {
                cols,
                fields,
                line: i + 1,
            };
            let mut p = row.period()?;
            p.key = key.key(&proper(&p.kk, Lang::Kk), Lang::Kk);
            lines.push(i + 1);
            g.add(p, &proper);
        }
        for list in g.by_name.values_mut().chain(g.by_key.values_mut()) {
            list.dedup();
        }
        g.check_parents(&lines)?;
        Ok(g)
    }

    /// Adds a period, indexed by its unit's id, by the normal proper part of each of its names and by their keys.
    fn add(&mut self, p: Period, proper: &impl Fn(&str, Lang) -> String) {
        let at = self.periods.len();
        self.by_id.entry(p.id.clone()).or_default().push(at);
        for lang in [Lang::Kk, Lang::Ru] {
            for name in p.names(lang) {
                let proper = proper(name, lang);
                self.by_name
                    .entry((lang, normal(&proper, &self.key)))
                    .or_default()
                    .push(at);
                let k = self.key.key(&proper, lang);
                if !k.is_empty() {
                    self.by_key.entry(k).or_default().push(at);
                }
            }
        }
        self.periods.push(p);
    }

    /// Checks that every parent is a unit of the table; `lines` gives each period's line in the table.
    fn check_parents(&self, lines: &[usize]) -> Result<(), GazetteerError> {
        for (p, line) in self.periods.iter().zip(lines) {
            if let Some(parent) = &p.parent {
                if !self.by_id.contains_key(parent) {
                    return Err(GazetteerError {
                        line: *line,
                        message: format!("{}: parent {parent:?} is not in the table", p.id),
                    });
                }
            }
        }
        Ok(())
    }

    /// Whether a proper name is a name of some unit in a language.
    pub fn knows(&self, proper: &str, lang: Lang) -> bool {
        self.by_name
            .contains_key(&(lang, normal(proper, &self.key)))
    }

    /// The periods of a unit, in table order.
    pub fn unit(&self, id: &str) -> impl Iterator<Item = &Period> {
        self.by_id
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.periods[i])
    }

    /// The ids of all units, sorted.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.by_id.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
    }

    /// The period of a unit that covers a date, else its latest; its current period when no date is given.
    pub fn period(&self, id: &str, date: Option<&str>) -> Option<&Period> {
        if date.is_none() {
            return self.current(id);
        }
        let periods: Vec<&Period> = self.unit(id).collect();
        periods
            .iter()
            .find(|p| p.covers(date))
            .or_else(|| periods.iter().max_by(|a, b| a.from.cmp(&b.from)))
            .copied()
    }

    /// The unit's current period (the one without an end, else the latest).
    pub fn current(&self, id: &str) -> Option<&Period> {
        let periods: Vec<&Period> = self.unit(id).collect();
        periods
            .iter()
            .find(|p| p.to.is_none())
            .or_else(|| periods.iter().max_by(|a, b| a.from.cmp(&b.from)))
            .copied()
    }

    /// The chain of a unit's ancestors at a date, nearest first.
    pub fn ancestors(&self, id: &str, date: Option<&str>) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut at = self.period(id, date).and_then(|p| p.parent.as_deref());
        while let Some(p) = at {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            at = self.period(p, date).and_then(|q| q.parent.as_deref());
        }
        out
    }

    /// Whether a unit lies within another (at a date, or at any time when no period of that date places it so).
    pub fn lies_within(&self, id: &str, within: &str, date: Option<&str>) -> bool {
        if self.ancestors(id, date).contains(&within) {
            return true;
        }
        // A 2014 text names a district of a region it has since left: any period counts, with its parent's place in
        // that period.
        self.unit(id).any(|p| {
            p.parent.as_deref().is_some_and(|parent| {
                let then = p.from.as_deref().or(p.to.as_deref());
                parent == within || self.ancestors(parent, then).contains(&within)
            })
        })
    }

    /// The unit a text names, if one unit of the gazetteer fits: by name in the text's language, else by key;
    /// among several units of that name, the one within the place the text gives, of that date.
    pub fn find(&self, q: &Query<'_>, key: &NameKey) -> Option<(&str, Found)> {
        let by_name = self
            .by_name
            .get(&(q.lang, normal(q.proper, &self.key)))
            .map(|v| self.pick(v, q));
        if let Some(Some(id)) = by_name {
            return Some((id, Found::Name));
        }
        let k = key.key(q.proper, q.lang);
        if k.is_empty() {
            return None;
        }
        self.by_key
            .get(&k)
            .and_then(|v| self.pick(v, q))
            .map(|id| (id, Found::Key))
    }

    /// The one unit among these periods that fits the query's type, place and date.
    fn pick(&self, periods: &[usize], q: &Query<'_>) -> Option<&str> {
        let family = family(q.unit_type);
        let fitting: Vec<&Period> = periods
            .iter()
            .map(|&i| &self.periods[i])
            .filter(|p| crate::gazetteer::family(&p.unit_type) == family)
            .filter(|p| {
                q.within
                    .is_none_or(|w| p.id != w && self.lies_within(&p.id, w, q.date))
            })
            .collect();
        let mut ids: Vec<&str> = fitting.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > 1 {
            // Several units bear the name: those whose period of the text's date bears it.
            let dated: Vec<&str> = fitting
                .iter()
                .filter(|p| p.covers(q.date))
                .map(|p| p.id.as_str())
                .collect();
            ids.retain(|id| dated.contains(id));
            ids.dedup();
        }
        match ids[..] {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The unit a text names by one of its names in the text's language (never by key), if one unit fits.
    pub fn find_name(&self, q: &Query<'_>) -> Option<&str> {
        self.by_name
            .get(&(q.lang, normal(q.proper, &self.key)))
            .and_then(|v| self.pick(v, q))
    }

    /// Units of one parent and type family whose keys are equal, at any date: names the key cannot tell apart.
    pub fn key_collisions(&self) -> Vec<(String, String, String)> {
        let mut seen: HashMap<(String, &str, String), String> = HashMap::new();
        let mut out = Vec::new();
        for p in &self.periods {
            let k = p.key.clone();
            let parent = p.parent.clone().unwrap_or_default();
            let slot = (parent, family(&p.unit_type), k.clone());
            match seen.get(&slot) {
                Some(other) if other != &p.id => out.push((other.clone(), p.id.clone(), k)),
                Some(_) => {}
                None => {
                    seen.insert(slot, p.id.clone());
                }
            }
        }
        out
    }
}
