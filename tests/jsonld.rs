//! Every JSON-LD the tool gives — `export`, the dumps, `/sparql` answers and resource pages, expanded by default and
//! compacted when asked — read with the network cut by three independent readers (sophia's parser with no document
//! loader, rdflib and PyLD, both from PyPI, installed by `.ci/run`) gives the quads of the N-Quads, N-Triples or
//! Turtle of the same data.

mod server;

use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use server::{get, query, root, run, shared, Server};
use std::path::{Path, PathBuf};
use std::process::Command;

const AKSU: &str = "org/pavlodar/aksu-city/internal-policy-department";
const COMPACTED: &str = "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#compacted\"";

/// Quads canonicalised with RDFC-1.0 (blank nodes relabelled by the data), as sorted N-Quads lines.
fn canonical(quads: impl IntoIterator<Item = oxigraph::model::Quad>) -> Vec<String> {
    let mut d = oxrdf::Dataset::new();
    for q in quads {
        d.insert(&q);
    }
    d.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    });
    let mut lines: Vec<String> = d.iter().map(|q| q.to_string()).collect();
    lines.sort();
    lines
}

/// A file's quads, canonicalised.
fn canonical_file(path: &Path, format: RdfFormat) -> Vec<String> {
    canonical(
        RdfParser::from_format(format)
            .for_reader(std::fs::File::open(path).unwrap())
            .map(|q| q.unwrap_or_else(|e| panic!("{}: {e}", path.display()))),
    )
}

/// Saves a server answer to a file, checking its status and media type.
fn save(dir: &Path, name: &str, reply: server::Reply, media_type: &str) -> PathBuf {
    assert_eq!(reply.status, 200, "{name}: {}", reply.text());
    assert_eq!(reply.media_type(), media_type, "{name}");
    let path = dir.join(name);
    std::fs::write(&path, &reply.body).unwrap();
    path
}

#[test]
fn every_json_ld_reads_offline_into_the_quads_of_the_same_data() {
    let store = shared();
    let s = Server::start(&store.path, &store.base, store.port, &[]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let st = store.path.to_str().unwrap();
    let file = |name: &str| d.join(name).to_str().unwrap().to_string();

    // What `export` writes.
    run(&[
        "--store",
        st,
        "export",
        "--format",
        "jsonld",
        "-o",
        &file("export.jsonld"),
    ]);
    run(&[
        "--store",
        st,
        "export",
        "--format",
        "nquads",
        "-o",
        &file("export.nq"),
    ]);

    // The dumps, expanded and compacted.
    save(
        d,
        "dump.jsonld",
        get(&[&s.at("/dump.jsonld")]),
        "application/ld+json",
    );
    let dump_compacted = save(
        d,
        "dump-compacted.jsonld",
        get(&["-H", &format!("Accept: {COMPACTED}"), &s.at("/dump.jsonld")]),
        "application/ld+json",
    );
    save(
        d,
        "dump.nq",
        get(&[&s.at("/dump.nq")]),
        "application/n-quads",
    );

    // A CONSTRUCT over every institution and its provisions.
    let q = "CONSTRUCT { ?i ?p ?o . ?x ?xp ?xo } WHERE { ?i a akg:StateInstitution ; ?p ?o . \
             OPTIONAL { ?x akg:assignedTo ?i ; ?xp ?xo } }";
    save(
        d,
        "construct.jsonld",
        query(&s, q, "application/ld+json"),
        "application/ld+json",
    );
    save(
        d,
        "construct-compacted.jsonld",
        query(&s, q, COMPACTED),
        "application/ld+json",
    );
    save(
        d,
        "construct.ttl",
        query(&s, q, "text/turtle"),
        "text/turtle",
    );

    // A resource page.
    let page = s.at(&format!("/{AKSU}"));
    let negotiated = |accept: &str| get(&["-H", &format!("Accept: {accept}"), &page]);
    let json = "application/ld+json";
    save(d, "resource.jsonld", negotiated(json), json);
    save(d, "resource-compacted.jsonld", negotiated(COMPACTED), json);
    save(d, "resource.ttl", negotiated("text/turtle"), "text/turtle");

    let pairs: [(&str, &str, RdfFormat, &str); 7] = [
        ("export.jsonld", "export.nq", RdfFormat::NQuads, "nquads"),
        ("dump.jsonld", "dump.nq", RdfFormat::NQuads, "nquads"),
        (
            "dump-compacted.jsonld",
            "dump.nq",
            RdfFormat::NQuads,
            "nquads",
        ),
        (
            "construct.jsonld",
            "construct.ttl",
            RdfFormat::Turtle,
            "turtle",
        ),
        (
            "construct-compacted.jsonld",
            "construct.ttl",
            RdfFormat::Turtle,
            "turtle",
        ),
        (
            "resource.jsonld",
            "resource.ttl",
            RdfFormat::Turtle,
            "turtle",
        ),
        (
            "resource-compacted.jsonld",
            "resource.ttl",
            RdfFormat::Turtle,
            "turtle",
        ),
    ];

    // Plain JSON-LD is expanded: no context at all, so nothing to fetch.
    for name in [
        "export.jsonld",
        "dump.jsonld",
        "construct.jsonld",
        "resource.jsonld",
    ] {
        let text = std::fs::read_to_string(d.join(name)).unwrap();
        assert!(!text.contains("@context"), "{name} has a context");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(v.is_array(), "{name}: expanded JSON-LD is an array");
    }
    // Compacted JSON-LD embeds its context.
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&dump_compacted).unwrap()).unwrap();
    assert!(v["@context"].is_object(), "the context is embedded");

    // sophia, with no document loader.
    for (json, reference, format, _) in &pairs {
        let expected = canonical_file(&d.join(reference), *format);
        assert!(expected.len() > 50, "{reference}: {} quads", expected.len());
        let text = std::fs::read_to_string(d.join(json)).unwrap();
        let nquads = akimat_kg::rdf::jsonld::to_nquads(&text)
            .unwrap_or_else(|e| panic!("sophia cannot read {json}: {e}"))
            .join("\n");
        let got = canonical(
            RdfParser::from_format(RdfFormat::NQuads)
                .for_slice(nquads.as_bytes())
                .map(|q| q.unwrap()),
        );
        let missing: Vec<_> = expected
            .iter()
            .filter(|l| !got.contains(l))
            .take(3)
            .collect();
        let extra: Vec<_> = got
            .iter()
            .filter(|l| !expected.contains(l))
            .take(3)
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "sophia reads {json} into other quads than {reference}: missing {missing:?}, extra {extra:?}"
        );
    }

    // rdflib and PyLD, with the network cut.
    let mut cmd = Command::new("python3");
    cmd.arg(root().join("tests/python/jsonld_offline.py"));
    for (json, reference, _, format) in &pairs {
        cmd.arg(d.join(json)).arg(d.join(reference)).arg(format);
    }
    let out = cmd.output().expect("python3 runs");
    assert!(
        out.status.success(),
        "tests/python/jsonld_offline.py failed (pip install rdflib PyLD; .ci/run does):\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results.len(), pairs.len());
    for r in &results {
        for reader in ["rdflib", "pyld"] {
            assert_eq!(
                r[format!("{reader}_equal")],
                true,
                "{reader} on {}: {r}",
                r["file"]
            );
            assert_eq!(r[reader], r["reference"], "{reader} on {}", r["file"]);
        }
    }
}
