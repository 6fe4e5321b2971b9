//! Real regulations of other regions and years (`data/country/`): the Kazakh and Russian versions of each act meet in
//! one approving act, one regulation, one institution with a name in each language and one founder, with no row of
//! reference data added for them; and as many of their provisions as can be paired carry both texts.

mod common;
use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::{ingest_file_with, IngestOptions, IngestStatus};
use akimat_kg::read::inputs;
use akimat_kg::store::KgStore;
use common::*;
use std::collections::BTreeMap;

/// The corpus in a new store; the names of the files that failed (a text that is not a regulation).
fn ingest_corpus() -> (tempfile::TempDir, KgStore, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let store = KgStore::open(&dir.path().join("store"), &base()).unwrap();
    let (files, errors) = inputs(&[root().join("data/country")]);
    assert!(errors.is_empty(), "{errors:?}");
    let mut failed = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.name.contains("/08-local-decisions/"))
    {
        if let IngestStatus::Failed(_) = ingest_file_with(
            &store,
            &base(),
            f,
            Lexicon::get(),
            &IngestOptions::default(),
        ) {
            failed.push(f.name.rsplit('/').nth(1).unwrap_or("").to_string());
        }
    }
    (dir, store, failed)
}

/// The roles one graph names: regulation, approving act, institution, founder.
fn roles(store: &akimat_kg::store::KgStore, graph: &str) -> Vec<Vec<String>> {
    rows(
        store,
        &format!(
            "SELECT ?reg ?act ?inst ?founder WHERE {{ GRAPH <{graph}> {{
               ?reg eli:type_document akg:Regulation .
               OPTIONAL {{ ?act akg:approves ?reg }}
               OPTIONAL {{ ?inst akg:foundingDocument ?reg OPTIONAL {{ ?inst schema:founder ?founder }} }} }} }}"
        ),
    )
}

/// Acts of the corpus whose two versions do not meet yet, each with why (the texts are read apart, not the units):
/// each is asserted to stay apart, so that a newly broken act cannot hide among them.
const APART: &[(&str, &str)] = &[
    // None since the regulation is found after another annex (a council's composition, a department's structure)
    // and the acts approving several regulations give the first one's body: the Astana urban planning council of
    // 2004 (21074) and the Mangystau finance bodies of 1999 (4115) meet. (The Mangystau small assembly of peoples,
    // 1998: its Kazakh text approves only the assembly's composition, with no point approving its regulation, and
    // is set aside as another act; its Russian text is stored.)
];

#[test]
fn the_two_versions_of_each_regulation_meet() {
    let (_dir, store, failed) = ingest_corpus();
    // One text is no regulation the extractor can read (a 1993 national act's order, its Kazakh version): refused
    // with its reason, while the others are stored.
    assert_eq!(failed.len(), 1, "{failed:?}");
    let graphs = rows(
        &store,
        "SELECT ?g ?code ?lang WHERE { GRAPH ?m { ?g dct:identifier ?code ; dct:language ?lang ; akg:sourceDigest ?d } }",
    );
    let mut acts: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for r in graphs {
        acts.entry(r[1].clone())
            .or_default()
            .insert(r[2].clone(), r[0].clone());
    }
    let (mut met, mut apart, mut provisions, mut both_texts) = (Vec::new(), Vec::new(), 0, 0);
    let mut units = std::collections::BTreeSet::new();
    for (code, versions) in &acts {
        let (Some(kk), Some(ru)) = (versions.get("kk"), versions.get("ru")) else {
            continue;
        };
        let (a, b) = (roles(&store, kk), roles(&store, ru));
        let one = a.len() == 1 && a == b && a[0].iter().all(|v| !v.is_empty());
        if !one {
            apart.push(code.as_str());
            continue;
        }
        let [_, act, inst, _] = &a[0][..] else {
            unreachable!()
        };
        let names = rows(
            &store,
            &format!("SELECT DISTINCT (lang(?n) AS ?l) WHERE {{ <{inst}> skos:prefLabel ?n }} ORDER BY ?l"),
        );
        assert_eq!(names, [["kk"], ["ru"]], "{code}: {inst}");
        units.insert(value(
            &store,
            &format!("SELECT ?u WHERE {{ <{act}> eli:passed_by/akg:bodyOf ?u }}"),
        ));
        let texts = rows(
            &store,
            &format!(
                "SELECT ?p (COUNT(DISTINCT lang(?t)) AS ?n) WHERE {{ ?p eli:is_part_of <{}> ; akg:text ?t }} GROUP BY ?p",
                a[0][0]
            ),
        );
        provisions += texts.len();
        both_texts += texts.iter().filter(|r| r[1] == "2").count();
        // Tolebi 2016: the Russian list of the head's powers skips `8)` (`7)` then `9)`), the Kazakh one does not;
        // the items meet by their place in the list, so every provision carries both texts.
        if code == "99100" {
            assert!(texts.iter().all(|r| r[1] == "2"), "{texts:?}");
            // Each keeps one number, the Kazakh version's (the shapes allow one).
            let twice = rows(
                &store,
                &format!(
                    "SELECT ?p WHERE {{ ?p eli:is_part_of <{}> ; eli:number ?n }} GROUP BY ?p HAVING (COUNT(?n) > 1)",
                    a[0][0]
                ),
            );
            assert!(twice.is_empty(), "{twice:?}");
        }
        met.push(code.as_str());
    }
    // A unit below a region has its region in its IRI path (`unit/atyrau/inder-district`).
    let below = units
        .iter()
        .filter(|u| {
            u.rsplit_once("/unit/")
                .is_some_and(|(_, path)| path.contains('/'))
        })
        .count();
    println!(
        "{} acts in both languages meet, {} apart; {both_texts} of {provisions} of their provisions carry both texts; \
         approving bodies of {} units ({below} districts and cities below a region)",
        met.len(),
        apart.len(),
        units.len()
    );
    let expected: Vec<&str> = APART.iter().map(|(c, _)| *c).collect();
    assert_eq!(apart, expected, "apart: {apart:?}");
    assert!(met.len() >= 34, "{met:?}");
    // Approving bodies of districts, cities and regions across the corpus, every one the gazetteer's.
    assert!(units.len() >= 26, "{units:?}");
    assert!(below >= 19, "{units:?}");
    // 97 %: 1189 of 1224 on 2026-12-07, since a list run into its paragraph gives a provision per clause (1186 of
    // 1225 before). Of the 35 left, most stand in texts whose versions differ (an item one version has and the other
    // lacks, a list one version states and the other does not) or are lists of held-out acts not read in one
    // language.
    assert!(
        both_texts * 100 >= provisions * 97,
        "{both_texts} of {provisions}"
    );
}
