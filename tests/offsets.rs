//! Every provision's and citation's offsets point at its text in the decoded original.

mod common;
use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::process_file;
use akimat_kg::read::discover;
use common::*;

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_provision_slice_contains_its_text() {
    let (files, _) = discover(&[regulations()]);
    let mut checked = 0;
    for f in files {
        let p = process_file(&f, Lexicon::get()).unwrap_or_else(|e| panic!("{e}"));
        let chars: Vec<char> = p.decoded.text.chars().collect();
        for prov in &p.extraction.provisions {
            assert!(
                prov.char_start < prov.char_end && prov.char_end <= chars.len(),
                "{}: {:?}",
                f.display(),
                prov
            );
            let slice: String = chars[prov.char_start..prov.char_end].iter().collect();
            assert!(
                collapse(&slice).contains(&prov.text),
                "{} provision {}: slice {:?} does not hold {:?}",
                f.display(),
                prov.number,
                slice,
                prov.text
            );
            checked += 1;
        }
        for c in &p.extraction.citations {
            let slice: String = chars[c.citation.char_start..c.citation.char_end]
                .iter()
                .collect();
            assert!(
                !slice.trim().is_empty(),
                "{}: empty citation slice",
                f.display()
            );
        }
    }
    // The shipped regulations hold a few hundred provisions; all were checked.
    assert!(checked > 300, "only {checked} provisions");
}

#[test]
fn provision_offsets_are_in_the_graph() {
    let s = shipped();
    let missing = rows(s, "SELECT ?p WHERE { ?p a akg:Provision . FILTER NOT EXISTS { ?p akg:charStart ?a ; akg:charEnd ?b } }");
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn offsets_read_per_source_graph_point_at_that_sources_text() {
    // A provision of a regulation read in both languages has one pair of offsets per source; each named graph
    // holds its own, next to the text in its language.
    let r = rows(
        shipped(),
        &format!(
            "SELECT ?file ?s ?e ?t WHERE {{
               GRAPH ?g {{ ?p a akg:Provision ; akg:charStart ?s ; akg:charEnd ?e ; akg:text ?t }}
               GRAPH <{}> {{ ?g akg:sourcePath ?file ; dct:language ?lang }}
               FILTER(lang(?t) = ?lang) }}",
            iri("graph/meta")
        ),
    );
    let mut texts: std::collections::HashMap<String, Vec<char>> = Default::default();
    let mut russian = 0;
    for row in &r {
        let chars = texts.entry(row[0].clone()).or_insert_with(|| {
            // The source is named by its path below the folder given to ingest.
            let bytes = std::fs::read(regulations().join(&row[0])).unwrap();
            akimat_kg::decode::decode(&bytes)
                .unwrap()
                .text
                .chars()
                .collect()
        });
        let (s, e): (usize, usize) = (row[1].parse().unwrap(), row[2].parse().unwrap());
        let slice: String = chars[s..e].iter().collect();
        assert!(
            collapse(&slice).contains(&row[3]),
            "{}: {slice:?} / {:?}",
            row[0],
            row[3]
        );
        russian += usize::from(row[0].ends_with("rus.md"));
    }
    assert!(r.len() > 600, "{} provisions with offsets", r.len());
    assert!(russian > 250, "{russian} from Russian sources");
}
