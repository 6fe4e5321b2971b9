//! Stage 7, between mapping to RDF and the store: the language versions of one act meet in one set of resources.
//!
//! Input: a document's quads ready to be written, and what the store (or the run) holds of the other language
//! version of its act. Output: the document's quads, and the other version's, named alike.
//!
//! Most IRIs are the same in both versions already: they come from language-neutral facts (the gazetteer's units,
//! the key of a unit's name, the kinds of bodies, dates and numbers). Where a fact is named from words of one
//! language — a unit neither the gazetteer nor the key joins, an institution of an unknown kind whose
//! other-language name the text does not state, a subordinate named in Russian only — the two versions of one act
//! (their graphs are named from the act: `graph/code/100709/kk` and `…/ru`) are aligned by role: the approving act,
//! the regulation, the institution, its unit and that unit's parents, the issuer and the founder and their units, a
//! lone subordinate left over on each side, and the provisions of a paragraph the two versions number differently
//! but list as many of (by their place in it). The Russian version takes the Kazakh version's IRIs (the state
//! language's names give the slugs): renamed before it is written when the Kazakh version is there already, or
//! rewritten in the same transaction that writes the Kazakh version when that comes second. The Kazakh graph is
//! never renamed, and the alignment reads roles, not the order of arrival, so kk→ru, ru→kk and one run give one
//! dataset, and no reader ever sees the two versions of an act apart once both are in.

use crate::lexicon::Lang;
use crate::rdf::iri::Base;
use crate::rdf::vocab::{AKG, DCT, ELI, ORG, SCHEMA};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The roles one version of an act names, as IRIs of its graph.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Roles {
    /// The approving act.
    pub act: Option<String>,
    /// The regulation.
    pub regulation: Option<String>,
    /// The institution.
    pub institution: Option<String>,
    /// The unit the institution serves, then its parents, nearest first.
    pub units: Vec<String>,
    /// The body that passed the approving act.
    pub issuer: Option<String>,
    /// The unit of that body, then its parents.
    pub issuer_units: Vec<String>,
    /// The institution's founder.
    pub founder: Option<String>,
    /// The unit of the founder, then its parents.
    pub founder_units: Vec<String>,
    /// The institution's subordinate organisations.
    pub subordinates: BTreeSet<String>,
    /// The approving act's date and number as the version states them: two versions that state different ones are
    /// not one act (a version replaced while the other still waits), and are not aligned.
    pub act_date: Option<String>,
    /// See `act_date`.
    pub act_number: Option<String>,
    /// The regulation's provisions by paragraph (`par_21`): their IRI paths below the regulation (`par_21/sub_9`),
    /// in the order of the text.
    pub provisions: BTreeMap<String, Vec<String>>,
}

/// The graph of the other language version of an act: `…/kk` ↔ `…/ru`.
pub fn partner(graph: &str) -> Option<String> {
    if let Some(stem) = graph.strip_suffix("/kk") {
        Some(format!("{stem}/ru"))
    } else {
        graph.strip_suffix("/ru").map(|stem| format!("{stem}/kk"))
    }
}

impl Roles {
    /// The roles a version's quads name.
    pub fn of(quads: &[Quad]) -> Roles {
        let mut by_subject: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for q in quads {
            let o = match &q.object {
                Term::NamedNode(o) => o.as_str(),
                Term::Literal(l) => l.value(),
                _ => continue,
            };
            if let NamedOrBlankNode::NamedNode(s) = &q.subject {
                by_subject
                    .entry(s.as_str())
                    .or_default()
                    .push((q.predicate.as_str(), o));
            }
        }
        for v in by_subject.values_mut() {
            v.sort_unstable();
        }
        let objects = |s: &str, p: &str| -> Vec<String> {
            by_subject
                .get(s)
                .into_iter()
                .flatten()
                .filter(|(pp, _)| *pp == p)
                .map(|(_, o)| o.to_string())
                .collect()
        };
        let first = |s: &str, p: &str| objects(s, p).into_iter().next();
        let subject_with = |p: &str, o: &str| -> Option<String> {
            let mut found: Vec<&str> = by_subject
                .iter()
                .filter(|(_, po)| po.iter().any(|(pp, oo)| *pp == p && *oo == o))
                .map(|(s, _)| *s)
                .collect();
            found.sort_unstable();
            found.first().map(|s| s.to_string())
        };
        let chain = |unit: Option<String>| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            let mut at = unit;
            while let Some(u) = at {
                if out.len() == 3 || out.contains(&u) {
                    break;
                }
                at = first(&u, &format!("{SCHEMA}containedInPlace"));
                out.push(u);
            }
            out
        };
        let mut r = Roles {
            regulation: subject_with(&format!("{ELI}type_document"), &format!("{AKG}Regulation")),
            ..Roles::default()
        };
        if let Some(reg) = r.regulation.clone() {
            r.act = subject_with(&format!("{AKG}approves"), &reg);
            r.institution = subject_with(&format!("{AKG}foundingDocument"), &reg);
            r.provisions = provisions_of(&by_subject, &reg);
        }
        if let Some(i) = r.institution.clone() {
            r.units = chain(first(&i, &format!("{DCT}spatial")));
            r.founder = first(&i, &format!("{SCHEMA}founder"));
            if let Some(f) = &r.founder {
                r.founder_units = chain(first(f, &format!("{AKG}bodyOf")));
            }
            r.subordinates = objects(&i, &format!("{ORG}hasSubOrganization"))
                .into_iter()
                .collect();
        }
        if let Some(a) = r.act.clone() {
            r.act_date = first(&a, &format!("{ELI}date_document"));
            r.act_number = first(&a, &format!("{ELI}id_local"));
            r.issuer = first(&a, &format!("{ELI}passed_by"));
            if let Some(b) = &r.issuer {
                r.issuer_units = chain(first(b, &format!("{AKG}bodyOf")));
            }
        }
        r
    }
}

/// The Kazakh and the Russian graph of one act: which of the two a graph is, and its partner.
pub fn versions(graph: &str) -> Option<(Lang, String)> {
    let other = partner(graph)?;
    Some(if graph.ends_with("/kk") {
        (Lang::Kk, other)
    } else {
        (Lang::Ru, other)
    })
}

/// The provisions of regulation `reg` by paragraph, each list in the order of the text (`akg:charStart`).
fn provisions_of(
    by_subject: &HashMap<&str, Vec<(&str, &str)>>,
    reg: &str,
) -> BTreeMap<String, Vec<String>> {
    let (part_of, start, kind) = (
        format!("{ELI}is_part_of"),
        format!("{AKG}charStart"),
        format!("{AKG}provisionKind"),
    );
    let mut found: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for (s, po) in by_subject {
        let Some(path) = s.strip_prefix(reg).and_then(|p| p.strip_prefix('/')) else {
            continue;
        };
        let is_provision = po.iter().any(|(p, o)| *p == part_of && *o == reg)
            && po.iter().any(|(p, _)| *p == kind);
        if !is_provision {
            continue;
        }
        let at = po
            .iter()
            .find(|(p, _)| *p == start)
            .and_then(|(_, o)| o.parse().ok())
            .unwrap_or(i64::MAX);
        let paragraph = path.split('/').next().unwrap_or(path).to_string();
        found
            .entry(paragraph)
            .or_default()
            .push((at, path.to_string()));
    }
    found
        .into_iter()
        .map(|(par, mut list)| {
            list.sort();
            (par, list.into_iter().map(|(_, p)| p).collect())
        })
        .collect()
}

/// The Russian version's quads named as the Kazakh version names the same roles (unchanged when they agree). A
/// provision met by its place takes the Kazakh version's number: the Russian number is left out, so that the
/// provision keeps one `eli:number`.
pub fn align(ru: &[Quad], kk: &Roles, base: &Base) -> Vec<Quad> {
    let ru_roles = Roles::of(ru);
    let alias = aliases(&ru_roles, kk, base);
    if alias.is_empty() {
        return ru.to_vec();
    }
    let by_place: BTreeSet<String> = provision_pairs(&ru_roles, kk)
        .into_iter()
        .map(|(from, _)| from)
        .collect();
    let number = format!("{ELI}number");
    ru.iter()
        .filter(|q| {
            !(q.predicate.as_str() == number
                && matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if by_place.contains(s.as_str())))
        })
        .map(|q| rename(q, &alias))
        .collect()
}

/// The IRI prefixes to rename in the Russian version (`from` → `to`), from the roles both versions name. A unit
/// renamed renames what is named after it: its bodies, organisations and local acts (`body/<unit>/…`,
/// `org/<unit>/…`, `eli/<unit>/…`).
pub fn aliases(ru: &Roles, kk: &Roles, base: &Base) -> BTreeMap<String, String> {
    let differ = |a: &Option<String>, b: &Option<String>, same: &dyn Fn(&str, &str) -> bool| matches!((a, b), (Some(a), Some(b)) if !same(a, b));
    if differ(&ru.act_date, &kk.act_date, &|a, b| a == b)
        || differ(
            &ru.act_number,
            &kk.act_number,
            &crate::extract::citations::numbers_agree,
        )
    {
        return BTreeMap::new();
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut pair = |a: &Option<String>, b: &Option<String>| {
        if let (Some(a), Some(b)) = (a, b) {
            pairs.push((a.clone(), b.clone()));
        }
    };
    pair(&ru.act, &kk.act);
    pair(&ru.regulation, &kk.regulation);
    pair(&ru.institution, &kk.institution);
    pair(&ru.issuer, &kk.issuer);
    pair(&ru.founder, &kk.founder);
    for (a, b) in [
        (&ru.units, &kk.units),
        (&ru.issuer_units, &kk.issuer_units),
        (&ru.founder_units, &kk.founder_units),
    ] {
        // Units pair level by level only when both chains are as long: a chain that stops early names another
        // place.
        if a.len() == b.len() {
            for (x, y) in a.iter().zip(b) {
                pairs.push((x.clone(), y.clone()));
            }
        }
    }
    // A subordinate each version names and the other does not: paired when it is the only one left.
    let only_ru: Vec<&String> = ru.subordinates.difference(&kk.subordinates).collect();
    let only_kk: Vec<&String> = kk.subordinates.difference(&ru.subordinates).collect();
    if let ([a], [b]) = (&only_ru[..], &only_kk[..]) {
        pairs.push(((*a).clone(), (*b).clone()));
    }
    pairs.extend(provision_pairs(ru, kk));
    // Units rename what is named after them.
    let unit_ns = base.iri("unit/");
    let mut derived = Vec::new();
    for (a, b) in &pairs {
        if let (Some(pa), Some(pb)) = (a.strip_prefix(&unit_ns), b.strip_prefix(&unit_ns)) {
            for ns in ["body/", "org/", "eli/"] {
                derived.push((
                    base.iri(&format!("{ns}{pa}")),
                    base.iri(&format!("{ns}{pb}")),
                ));
            }
        }
    }
    pairs.extend(derived);
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut conflicting: BTreeSet<String> = BTreeSet::new();
    for (a, b) in pairs {
        if a == b {
            continue;
        }
        match out.get(&a) {
            Some(existing) if existing != &b => {
                conflicting.insert(a);
            }
            _ => {
                out.insert(a, b);
            }
        }
    }
    for c in conflicting {
        out.remove(&c);
    }
    out
}

/// Provisions that the two versions number differently (`7)` then `9)` in one, `7)` then `8)` in the other) pair
/// by their place in the paragraph, when both list as many: the Russian IRI and the Kazakh one.
fn provision_pairs(ru: &Roles, kk: &Roles) -> Vec<(String, String)> {
    let (Some(rr), Some(kr)) = (&ru.regulation, &kk.regulation) else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    for (par, ru_list) in &ru.provisions {
        let Some(kk_list) = kk.provisions.get(par) else {
            continue;
        };
        if ru_list.len() == kk_list.len() && ru_list != kk_list {
            for (a, b) in ru_list.iter().zip(kk_list).filter(|(a, b)| a != b) {
                pairs.push((format!("{rr}/{a}"), format!("{kr}/{b}")));
            }
        }
    }
    pairs
}

/// An IRI renamed by the longest prefix of `alias` it starts with (a whole IRI, or one followed by `/`).
fn rename_iri(iri: &str, alias: &BTreeMap<String, String>) -> Option<String> {
    alias
        .iter()
        .filter(|(from, _)| {
            iri.strip_prefix(from.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|(from, _)| from.len())
        .map(|(from, to)| format!("{to}{}", &iri[from.len()..]))
}

/// A quad with its subject and object renamed.
fn rename(q: &Quad, alias: &BTreeMap<String, String>) -> Quad {
    let subject = match &q.subject {
        NamedOrBlankNode::NamedNode(n) => rename_iri(n.as_str(), alias)
            .map(|s| NamedOrBlankNode::NamedNode(NamedNode::new_unchecked(s)))
            .unwrap_or_else(|| q.subject.clone()),
        other => other.clone(),
    };
    let object = match &q.object {
        Term::NamedNode(n) => rename_iri(n.as_str(), alias)
            .map(|o| Term::NamedNode(NamedNode::new_unchecked(o)))
            .unwrap_or_else(|| q.object.clone()),
        other => other.clone(),
    };
    Quad::new(subject, q.predicate.clone(), object, q.graph_name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Base {
        Base::new("https://example.org/").unwrap()
    }

    #[test]
    fn partners_swap_the_language() {
        assert_eq!(
            partner("x/graph/code/1/kk").as_deref(),
            Some("x/graph/code/1/ru")
        );
        assert_eq!(
            partner("x/graph/code/1/ru").as_deref(),
            Some("x/graph/code/1/kk")
        );
        assert_eq!(partner("x/graph/ontology"), None);
    }

    #[test]
    fn a_unit_renames_its_bodies_and_acts_and_whole_iris_win_over_prefixes() {
        let b = base();
        let ru = Roles {
            institution: Some(b.iri("org/a/ugr-district/otdel-veterinarii")),
            units: vec![b.iri("unit/a/ugr-district"), b.iri("unit/a")],
            ..Roles::default()
        };
        let kk = Roles {
            institution: Some(b.iri("org/a/uigyr-district/veterinariia-bolimi")),
            units: vec![b.iri("unit/a/uigyr-district"), b.iri("unit/a")],
            ..Roles::default()
        };
        let alias = aliases(&ru, &kk, &b);
        let r = |iri: &str| rename_iri(&b.iri(iri), &alias);
        assert_eq!(
            r("org/a/ugr-district/otdel-veterinarii/address"),
            Some(b.iri("org/a/uigyr-district/veterinariia-bolimi/address"))
        );
        assert_eq!(
            r("body/a/ugr-district/maslikhat"),
            Some(b.iri("body/a/uigyr-district/maslikhat"))
        );
        assert_eq!(
            r("eli/a/ugr-district/maslikhat/2016/02/12/261/annex/par_1"),
            Some(b.iri("eli/a/uigyr-district/maslikhat/2016/02/12/261/annex/par_1"))
        );
        // Neither a longer name that only starts alike nor the region is renamed.
        assert_eq!(r("unit/a/ugr-districts"), None);
        assert_eq!(r("unit/a"), None);
    }

    #[test]
    fn a_name_claimed_by_two_targets_is_left_alone() {
        let b = base();
        let ru = Roles {
            issuer: Some(b.iri("body/x")),
            founder: Some(b.iri("body/x")),
            ..Roles::default()
        };
        let kk = Roles {
            issuer: Some(b.iri("body/y")),
            founder: Some(b.iri("body/z")),
            ..Roles::default()
        };
        assert!(aliases(&ru, &kk, &b).is_empty());
    }
}
