//! Competence mapping across units: which body holds which competence area in which unit (the matrix behind
//! `akimat-kg map`), where an area held at one level of unit is held by no body of another unit of that level
//! (`gaps`), and two bodies side by side (`compare`). Every answer comes from the queries shipped in `queries/`
//! (`competence-matrix.rq`, `competence-gaps.rq`, `competence-compare.rq`), so SPARQL users get the same answers.

pub mod html;
pub mod similarity;

use crate::lexicon::{Lang, Lexicon};
use crate::query::{plain, select, QueryError};
use crate::rdf::vocab::{AKG, COMP};
use oxigraph::model::Term;
use oxigraph::store::Store;
use serde::Serialize;
use std::collections::BTreeMap;

/// The matrix query, as shipped in `queries/`.
pub const MATRIX_QUERY: &str = include_str!("../../queries/competence-matrix.rq");
/// The gaps query, as shipped in `queries/`.
pub const GAPS_QUERY: &str = include_str!("../../queries/competence-gaps.rq");
/// The profile query, as shipped in `queries/` (for every institution).
pub const PROFILE_QUERY: &str = include_str!("../../queries/competence-profile.rq");
/// The profile of one institution (`?institution`, bound by [`profile`]): the rows [`PROFILE_QUERY`] gives for it,
/// read from the body's own provisions (an index lookup). The shipped query reads every provision in a few passes,
/// the quicker way for all bodies at once, but a body's page would then read the whole store.
const ONE_PROFILE_QUERY: &str = "PREFIX akg: <https://w3id.org/akimat-kg/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?institution ?area (COUNT(DISTINCT ?p) AS ?provisions) (SUM(?w) AS ?weight) WHERE {
  ?p akg:assignedTo ?institution ; dct:subject ?area ; akg:provisionKind ?kind .
  OPTIONAL { ?kind akg:competenceWeight ?kw }
  BIND(COALESCE(?kw, 1.0) AS ?w)
}
GROUP BY ?institution ?area
ORDER BY DESC(?weight) ?area";
/// The comparison query, as shipped in `queries/` (with two example bodies, replaced by [`compare`]).
pub const COMPARE_QUERY: &str = include_str!("../../queries/competence-compare.rq");

/// A competence-map request that cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    /// A query failed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A body named on the command line is not in the store, or several are.
    #[error("{0}")]
    Body(String),
    /// A level of unit that does not exist.
    #[error("unknown level {0:?}: use one of {1}")]
    Level(String, String),
}

/// A competence area.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Area {
    /// Its slug (`religion`).
    pub slug: String,
    /// Its IRI.
    pub iri: String,
    /// Its name in the chosen language.
    pub label: String,
    /// The COFOG division it belongs to (`08`).
    pub cofog: String,
}

/// A body holding an area in a unit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Holder {
    /// The institution.
    pub institution: String,
    /// Its name (Kazakh where known, else Russian).
    pub name: String,
    /// How many of its provisions fall in the area.
    pub provisions: u64,
    /// Their weight (akg:competenceWeight of their kinds, summed).
    pub weight: f64,
}

/// A row of the matrix: a unit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnitRow {
    /// The unit.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// Its region, for a unit below a region.
    pub region: Option<String>,
    /// The region's name.
    pub region_name: Option<String>,
}

/// The matrix of units × areas.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Matrix {
    /// The units, by name.
    pub units: Vec<UnitRow>,
    /// The areas some body holds, in the order of the scheme (COFOG division, then name).
    pub areas: Vec<Area>,
    /// For each (unit, area slug) held, the bodies holding it, heaviest first.
    pub cells: BTreeMap<String, BTreeMap<String, Vec<Holder>>>,
}

impl Matrix {
    /// The bodies holding an area in a unit.
    pub fn cell(&self, unit: &str, area: &str) -> &[Holder] {
        self.cells
            .get(unit)
            .and_then(|m| m.get(area))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The heaviest cell (for scaling the heat map).
    pub fn max_weight(&self) -> f64 {
        self.cells
            .values()
            .flat_map(|m| m.values())
            .map(|h| h.iter().map(|x| x.weight).sum::<f64>())
            .fold(0.0, f64::max)
    }
}

fn cell(row: &[Option<Term>], i: usize) -> Option<String> {
    row.get(i).and_then(|t| t.as_ref()).map(plain)
}

fn number(row: &[Option<Term>], i: usize) -> f64 {
    cell(row, i).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

/// The areas of the scheme with their names in a language (English where the language has none).
pub fn areas(store: &Store, lang: &str) -> Result<Vec<Area>, QueryError> {
    let q = format!(
        "SELECT ?c ?label ?en ?notation WHERE {{
           ?c skos:inScheme <{COMP}scheme> ; skos:broader ?division .
           ?division skos:notation ?notation .
           OPTIONAL {{ ?c skos:prefLabel ?label . FILTER(lang(?label) = \"{lang}\") }}
           OPTIONAL {{ ?c skos:prefLabel ?en . FILTER(lang(?en) = \"en\") }}
         }} ORDER BY ?notation ?c"
    );
    let (_, rows) = select(store, &q, "competence areas")?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let iri = cell(r, 0)?;
            let slug = iri.strip_prefix(COMP)?.to_string();
            Some(Area {
                label: cell(r, 1)
                    .or_else(|| cell(r, 2))
                    .unwrap_or_else(|| slug.clone()),
                slug,
                iri,
                cofog: cell(r, 3).unwrap_or_default(),
            })
        })
        .collect())
}

/// The matrix of units × areas, from `queries/competence-matrix.rq`.
pub fn matrix(store: &Store, lang: &str) -> Result<Matrix, QueryError> {
    let (_, rows) = select(store, MATRIX_QUERY, "queries/competence-matrix.rq")?;
    let mut units: BTreeMap<String, UnitRow> = BTreeMap::new();
    let mut cells: BTreeMap<String, BTreeMap<String, Vec<Holder>>> = BTreeMap::new();
    for r in &rows {
        let (Some(unit), Some(area)) = (cell(r, 0), cell(r, 3)) else {
            continue;
        };
        let slug = area.strip_prefix(COMP).unwrap_or(&area).to_string();
        units.entry(unit.clone()).or_insert_with(|| UnitRow {
            unit: unit.clone(),
            name: cell(r, 1).unwrap_or_else(|| unit.clone()),
            region: cell(r, 2),
            region_name: cell(r, 8),
        });
        cells
            .entry(unit)
            .or_default()
            .entry(slug)
            .or_default()
            .push(Holder {
                institution: cell(r, 4).unwrap_or_default(),
                name: cell(r, 5).unwrap_or_default(),
                provisions: number(r, 6) as u64,
                weight: number(r, 7),
            });
    }
    let held: std::collections::BTreeSet<&String> = cells.values().flat_map(|m| m.keys()).collect();
    let areas = areas(store, lang)?
        .into_iter()
        .filter(|a| held.contains(&a.slug))
        .collect();
    let mut units: Vec<UnitRow> = units.into_values().collect();
    units.sort_by(|a, b| a.name.cmp(&b.name).then(a.unit.cmp(&b.unit)));
    Ok(Matrix {
        units,
        areas,
        cells,
    })
}

/// The competence profile of one institution, as `queries/competence-profile.rq` gives it: each area its provisions
/// fall in, with how many provisions and their weight, heaviest first.
pub fn profile(store: &Store, institution: &str) -> Result<Vec<(String, u64, f64)>, QueryError> {
    let err = |message: String| QueryError::Evaluation {
        source_name: format!("the competence profile of {institution}"),
        message,
    };
    let node = oxigraph::model::NamedNode::new(institution).map_err(|e| err(e.to_string()))?;
    let prepared = oxigraph::sparql::SparqlEvaluator::new()
        .parse_query(ONE_PROFILE_QUERY)
        .map_err(|e| err(e.to_string()))?
        .substitute_variable(
            oxigraph::sparql::Variable::new_unchecked("institution"),
            node,
        );
    let mut out = Vec::new();
    if let oxigraph::sparql::QueryResults::Solutions(solutions) = prepared
        .on_store(store)
        .execute()
        .map_err(|e| err(e.to_string()))?
    {
        for s in solutions {
            let s = s.map_err(|e| err(e.to_string()))?;
            let area = s.get("area").map(plain).unwrap_or_default();
            let n = s
                .get("provisions")
                .map(plain)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let w = s
                .get("weight")
                .map(plain)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0);
            out.push((area, n, w));
        }
    }
    Ok(out)
}

/// An area held at a level of unit that a unit of that level lacks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gap {
    /// The level (`District`, `Region`, …).
    pub level: String,
    /// The area's slug.
    pub area: String,
    /// The unit where no body holds it.
    pub unit: String,
}

/// The unit type (`akg:` local name) of a level as the command line names it: the slugs of
/// `data/lexicon/unit-types.tsv` (`district`, `city`, `region`, `rural-district`, …) and `republican-city`.
pub fn level_type(level: &str, lex: &Lexicon) -> Result<String, MapError> {
    if level == "republican-city" {
        return Ok("CityOfRepublicanSignificance".into());
    }
    if let Some(u) = lex.unit_words.iter().find(|u| u.slug == level) {
        return Ok(u.unit_type.clone());
    }
    let mut known: Vec<&str> = lex.unit_words.iter().map(|u| u.slug.as_str()).collect();
    known.push("republican-city");
    known.sort();
    known.dedup();
    Err(MapError::Level(level.to_string(), known.join(", ")))
}

/// The gaps, from `queries/competence-gaps.rq`, at one level or all.
pub fn gaps(store: &Store, level: Option<&str>) -> Result<Vec<Gap>, QueryError> {
    let (_, rows) = select(store, GAPS_QUERY, "queries/competence-gaps.rq")?;
    let mut out: Vec<Gap> = rows
        .iter()
        .filter_map(|r| {
            Some(Gap {
                level: cell(r, 0)?.strip_prefix(AKG)?.to_string(),
                area: cell(r, 1)?.strip_prefix(COMP)?.to_string(),
                unit: cell(r, 2)?,
            })
        })
        .filter(|g| level.is_none_or(|l| g.level == l))
        .collect();
    out.sort();
    Ok(out)
}

/// One body's part of an area in a comparison.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Side {
    /// Provisions in the area.
    pub provisions: u64,
    /// Their weight.
    pub weight: f64,
}

/// Two provisions of a shared area paired by similarity.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pair {
    /// The first body's provision: its number and text.
    pub a: (String, String),
    /// The second body's.
    pub b: (String, String),
    /// Their similarity (see [`similarity`]).
    pub similarity: f64,
}

/// An area in a comparison.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Compared {
    /// The area's slug.
    pub area: String,
    /// The first body's part, if it holds the area.
    pub a: Option<Side>,
    /// The second body's part.
    pub b: Option<Side>,
    /// For a shared area, its most similar provisions paired, most similar first.
    pub pairs: Vec<Pair>,
}

/// Two bodies compared.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    /// The first body.
    pub a: String,
    /// The second body.
    pub b: String,
    /// The language of the texts paired.
    pub lang: String,
    /// Every area either holds.
    pub areas: Vec<Compared>,
}

impl Comparison {
    /// The areas both hold.
    pub fn shared(&self) -> impl Iterator<Item = &Compared> {
        self.areas.iter().filter(|c| c.a.is_some() && c.b.is_some())
    }

    /// The areas only the first holds.
    pub fn only_a(&self) -> impl Iterator<Item = &Compared> {
        self.areas.iter().filter(|c| c.a.is_some() && c.b.is_none())
    }

    /// The areas only the second holds.
    pub fn only_b(&self) -> impl Iterator<Item = &Compared> {
        self.areas.iter().filter(|c| c.a.is_none() && c.b.is_some())
    }
}

/// A body named on the command line: its IRI, or a name (Kazakh or Russian, whole or a unique part of it).
pub fn find_body(store: &Store, name: &str) -> Result<String, MapError> {
    if name.starts_with("http://") || name.starts_with("https://") {
        let q = format!(
            "ASK {{ <{}> akg:foundingDocument ?r }}",
            name.replace('>', "")
        );
        if let oxigraph::sparql::QueryResults::Boolean(true) =
            crate::query::execute(store, &q, "compare")?
        {
            return Ok(name.to_string());
        }
        return Err(MapError::Body(format!(
            "{name}: no such institution in the store"
        )));
    }
    let (_, rows) = select(
        store,
        "SELECT DISTINCT ?i ?l WHERE { ?i akg:foundingDocument ?r ; skos:prefLabel ?l }",
        "compare",
    )?;
    let wanted = name.to_lowercase();
    let named: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| Some((cell(r, 0)?, cell(r, 1)?)))
        .collect();
    let exact: Vec<&(String, String)> = named
        .iter()
        .filter(|(_, l)| l.to_lowercase() == wanted)
        .collect();
    let found: Vec<&(String, String)> = if exact.is_empty() {
        named
            .iter()
            .filter(|(_, l)| l.to_lowercase().contains(&wanted))
            .collect()
    } else {
        exact
    };
    let mut iris: Vec<&str> = found.iter().map(|(i, _)| i.as_str()).collect();
    iris.sort();
    iris.dedup();
    match iris.as_slice() {
        [one] => Ok(one.to_string()),
        [] => Err(MapError::Body(format!(
            "{name:?}: no institution of that name in the store (give a name as in its regulation, or its IRI)"
        ))),
        many => Err(MapError::Body(format!(
            "{name:?} names {} institutions: {}; give one's IRI",
            many.len(),
            many.join(", ")
        ))),
    }
}

/// Two bodies compared: the areas either holds (from `queries/competence-compare.rq`), and, for each shared area,
/// their provisions in it paired most similar first (each provision in at most one pair), in the language both
/// bodies' texts have (Kazakh first).
pub fn compare(store: &Store, a: &str, b: &str, lex: &Lexicon) -> Result<Comparison, QueryError> {
    let query = COMPARE_QUERY
        .replace(
            "<https://w3id.org/akimat-kg/org/pavlodar/aksu-city/internal-policy-department>",
            &format!("<{a}>"),
        )
        .replace(
            "<https://w3id.org/akimat-kg/org/karaganda/aktogai-district/akim-apparatus>",
            &format!("<{b}>"),
        );
    let (_, rows) = select(store, &query, "queries/competence-compare.rq")?;
    let (ta, tb) = (provision_texts(store, a)?, provision_texts(store, b)?);
    let has = |t: &[ProvisionText], l: &str| t.iter().any(|x| x.3 == l);
    let lang = ["kk", "ru"]
        .into_iter()
        .find(|l| has(&ta, l) && has(&tb, l))
        .unwrap_or("kk");
    let lang_enum = if lang == "ru" { Lang::Ru } else { Lang::Kk };
    let side = |n: f64, w: f64| {
        (n > 0.0).then_some(Side {
            provisions: n as u64,
            weight: w,
        })
    };
    let mut areas = Vec::new();
    for r in &rows {
        let Some(area) = cell(r, 0) else { continue };
        let a_side = side(number(r, 1), number(r, 2));
        let b_side = side(number(r, 3), number(r, 4));
        let pairs = if a_side.is_some() && b_side.is_some() {
            let (pa, pb) = (in_area(&ta, &area, lang), in_area(&tb, &area, lang));
            pair_most_similar(&pa, &pb, lang_enum, lex)
        } else {
            Vec::new()
        };
        areas.push(Compared {
            area: area.strip_prefix(COMP).unwrap_or(&area).to_string(),
            a: a_side,
            b: b_side,
            pairs,
        });
    }
    Ok(Comparison {
        a: a.to_string(),
        b: b.to_string(),
        lang: lang.to_string(),
        areas,
    })
}

/// A body's provision in an area: area IRI, number, text, and the text's language.
type ProvisionText = (String, String, String, String);

/// A body's provisions with their areas and texts, in every language, by area and number.
fn provision_texts(store: &Store, who: &str) -> Result<Vec<ProvisionText>, QueryError> {
    let q = format!(
        "SELECT ?area ?number ?text (lang(?text) AS ?lang) WHERE {{
               ?p akg:assignedTo <{who}> ; dct:subject ?area ; eli:number ?number ; akg:text ?text }}
             ORDER BY ?area ?number"
    );
    let (_, rows) = select(store, &q, "compare")?;
    Ok(rows
        .iter()
        .filter_map(|r| Some((cell(r, 0)?, cell(r, 1)?, cell(r, 2)?, cell(r, 3)?)))
        .collect())
}

/// The numbers and texts of the provisions in an area, in a language.
fn in_area(texts: &[ProvisionText], area: &str, lang: &str) -> Vec<(String, String)> {
    texts
        .iter()
        .filter(|x| x.0 == area && x.3 == lang)
        .map(|x| (x.1.clone(), x.2.clone()))
        .collect()
}

/// Pairs two bodies' provisions (number, text) of one area, most similar first, each provision in at most one pair
/// and no pair of similarity 0.
fn pair_most_similar(
    pa: &[(String, String)],
    pb: &[(String, String)],
    lang: Lang,
    lex: &Lexicon,
) -> Vec<Pair> {
    let mut scored: Vec<(f64, usize, usize)> = Vec::new();
    for (i, x) in pa.iter().enumerate() {
        for (j, y) in pb.iter().enumerate() {
            scored.push((similarity::similarity(&x.1, &y.1, lang, lex), i, j));
        }
    }
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_a, mut used_b) = (vec![false; pa.len()], vec![false; pb.len()]);
    let mut pairs = Vec::new();
    for (score, i, j) in scored {
        if used_a[i] || used_b[j] || score <= 0.0 {
            continue;
        }
        used_a[i] = true;
        used_b[j] = true;
        pairs.push(Pair {
            a: pa[i].clone(),
            b: pb[j].clone(),
            similarity: (score * 1000.0).round() / 1000.0,
        });
    }
    pairs
}
