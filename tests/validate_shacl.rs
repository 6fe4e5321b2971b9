//! Integration tests of the SHACL validator (`akimat_kg::validate`).
//!
//! Data is loaded into named graphs (and sometimes the default graph) of an
//! in-memory store to show that validation works on the union of all graphs.

use akimat_kg::validate::{
    validate, Severity, ShapesGraph, ValidateError, ValidationReport, ValidationResult,
};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode};
use oxigraph::store::Store;

const PREFIXES: &str = "\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
";

/// Loads each `(graph, turtle)` pair into its own named graph (`""` = default graph).
fn store(graphs: &[(&str, &str)]) -> Store {
    let store = Store::new().unwrap();
    for (graph, turtle) in graphs {
        let graph_name = if graph.is_empty() {
            GraphName::DefaultGraph
        } else {
            NamedNode::new(format!("http://example.org/graph/{graph}"))
                .unwrap()
                .into()
        };
        let parser = RdfParser::from_format(RdfFormat::Turtle).with_default_graph(graph_name);
        store
            .load_from_slice(parser, &format!("{PREFIXES}{turtle}"))
            .unwrap();
    }
    store
}

fn shapes(turtle: &str) -> ShapesGraph {
    ShapesGraph::from_turtle(&format!("{PREFIXES}{turtle}"), "shapes.ttl").unwrap()
}

fn run(shapes_ttl: &str, graphs: &[(&str, &str)]) -> ValidationReport {
    validate(&store(graphs), &shapes(shapes_ttl)).unwrap()
}

/// `<http://example.org/{local}>`, the form used in results.
fn ex(local: &str) -> String {
    format!("<http://example.org/{local}>")
}

/// (focus node, path, constraint) of every result.
fn summary(report: &ValidationReport) -> Vec<(String, Option<String>, String)> {
    report
        .results
        .iter()
        .map(|r| {
            (
                r.focus_node.clone(),
                r.result_path.clone(),
                r.constraint.clone(),
            )
        })
        .collect()
}

fn expect(focus: &str, path: Option<&str>, constraint: &str) -> (String, Option<String>, String) {
    (ex(focus), path.map(ex), constraint.to_owned())
}

/// Asserts a report with exactly one result and returns it.
fn single(report: &ValidationReport) -> &ValidationResult {
    assert_eq!(
        report.results.len(),
        1,
        "expected one result, got:\n{report}"
    );
    &report.results[0]
}

fn unsupported(shapes_ttl: &str) -> (String, String) {
    match ShapesGraph::from_turtle(&format!("{PREFIXES}{shapes_ttl}"), "shapes.ttl") {
        Err(ValidateError::Unsupported { shape, feature }) => (shape, feature),
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

/// A small akimat dataset spread over two named graphs and the default graph.
const AGENCIES_TYPES: &str = "
ex:Akimat rdfs:subClassOf ex:Agency .
ex:almaty a ex:Akimat .
ex:astana a ex:Agency .
ex:almatyRegion a ex:Region .
ex:astanaRegion a ex:Region .
";
const AGENCIES_PROPS: &str = "
ex:almaty ex:name \"Akimat of Almaty\"@en, \"Алматы қаласының әкімдігі\"@kk ;
    ex:code \"ALA-01\" ; ex:founded \"1997-12-10\"^^xsd:date ; ex:staff 120 ;
    ex:region ex:almatyRegion ; ex:status ex:Active .
ex:astana ex:name \"Akimat of Astana\"@en ;
    ex:code \"ast-02\" ; ex:founded \"1998-06-10\"^^xsd:date ; ex:staff 200 ;
    ex:region ex:astanaRegion ; ex:status ex:Active .
";
const AGENCY_SHAPES: &str = "
ex:AgencyShape a sh:NodeShape ;
    rdfs:label \"Agency\" ; sh:name \"agency\" ;
    sh:targetClass ex:Agency ;
    sh:nodeKind sh:IRI ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype rdf:langString ;
                  sh:languageIn (\"en\" \"kk\" \"ru\") ; sh:uniqueLang true ;
                  sh:minLength 3 ; sh:maxLength 100 ; sh:order 1 ] ;
    sh:property [ sh:path ex:code ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
                  sh:pattern \"^[a-z]{3}-[0-9]{2}$\" ; sh:flags \"i\" ] ;
    sh:property [ sh:path ex:founded ; sh:maxCount 1 ; sh:datatype xsd:date ;
                  sh:minInclusive \"1991-12-16\"^^xsd:date ] ;
    sh:property [ sh:path ex:staff ; sh:datatype xsd:integer ; sh:minInclusive 1 ; sh:maxInclusive 10000 ] ;
    sh:property [ sh:path ex:region ; sh:minCount 1 ; sh:class ex:Region ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path ex:status ; sh:in (ex:Active ex:Dissolved) ; sh:hasValue ex:Active ] .
ex:RegionShape a sh:NodeShape ;
    sh:targetClass ex:Region ;
    sh:property [ sh:path [ sh:inversePath ex:region ] ; sh:minCount 1 ; sh:maxCount 1 ; sh:class ex:Agency ] .
";

#[test]
fn conforming_dataset_has_no_results() {
    let report = run(
        AGENCY_SHAPES,
        &[("types", AGENCIES_TYPES), ("props", AGENCIES_PROPS)],
    );
    assert!(report.conforms, "{report}");
    assert!(report.results.is_empty());
    assert_eq!(report.to_string(), "conforms\n");
}

#[test]
fn union_includes_default_graph_and_counts_duplicate_triples_once() {
    // The same triple in two graphs is one value for sh:maxCount.
    let report = run(
        AGENCY_SHAPES,
        &[
            ("types", AGENCIES_TYPES),
            ("", AGENCIES_PROPS),
            (
                "copy",
                "ex:almaty ex:code \"ALA-01\" ; ex:founded \"1997-12-10\"^^xsd:date .",
            ),
        ],
    );
    assert!(report.conforms, "{report}");
}

#[test]
fn min_count_violation() {
    let report = run(
        "ex:S sh:targetClass ex:Agency ; sh:property [ sh:path ex:code ; sh:minCount 1 ] .",
        &[
            ("a", "ex:a a ex:Agency . ex:b a ex:Agency ."),
            ("b", "ex:b ex:code \"B\" ."),
        ],
    );
    let r = single(&report);
    assert_eq!(summary(&report), [expect("a", Some("code"), "sh:minCount")]);
    assert_eq!(r.value, None);
    assert_eq!(r.severity, Severity::Violation);
    assert_eq!(
        r.source_shape,
        format!("{} sh:property [ sh:path {} ]", ex("S"), ex("code"))
    );
    assert!(!report.conforms);
}

#[test]
fn max_count_violation() {
    let report = run(
        "ex:S sh:targetClass ex:Agency ; sh:property [ sh:path ex:code ; sh:maxCount 1 ] .",
        &[
            (
                "a",
                "ex:a a ex:Agency ; ex:code \"A1\" . ex:b a ex:Agency ; ex:code \"B\" .",
            ),
            ("b", "ex:a ex:code \"A1\", \"A2\" . ex:b ex:code \"B\" ."),
        ],
    );
    // "A1" is stored in both graphs but counts once; ex:b's duplicate "B" too.
    assert_eq!(single(&report).message, "expected at most 1 value, found 2");
    assert_eq!(summary(&report), [expect("a", Some("code"), "sh:maxCount")]);
}

#[test]
fn datatype_violations_including_ill_formed_literals() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:staff ; sh:property [ sh:path ex:staff ; sh:datatype xsd:integer ] .",
        &[("a", "ex:a ex:staff \"many\" . ex:b ex:staff 12 . ex:c ex:staff \"1x\"^^xsd:integer .")],
    );
    assert_eq!(
        summary(&report),
        [
            expect("a", Some("staff"), "sh:datatype"),
            expect("c", Some("staff"), "sh:datatype")
        ]
    );
    assert_eq!(report.results[0].value.as_deref(), Some("\"many\""));
    assert!(report.results[1].message.contains("ill-formed"), "{report}");
}

#[test]
fn datatype_lang_string() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:name ; sh:property [ sh:path ex:name ; sh:datatype rdf:langString ] .",
        &[("a", "ex:a ex:name \"Almaty\"@en . ex:b ex:name \"Astana\" .")],
    );
    let r = single(&report);
    assert_eq!(summary(&report), [expect("b", Some("name"), "sh:datatype")]);
    assert_eq!(r.value.as_deref(), Some("\"Astana\""));
}

#[test]
fn class_violation_respects_subclasses_from_data_and_shapes() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:region ; sh:property [ sh:path ex:region ; sh:class ex:Region ] .
         ex:District rdfs:subClassOf ex:Region .",
        &[
            ("a", "ex:a ex:region ex:r1 . ex:b ex:region ex:r2 . ex:c ex:region ex:r3 . ex:d ex:region ex:r4 ."),
            (
                "b",
                "ex:r1 a ex:Region . ex:r2 a ex:District . ex:r3 a ex:City . ex:r4 a ex:Okrug .
                 ex:Okrug rdfs:subClassOf ex:District .",
            ),
        ],
    );
    let r = single(&report);
    assert_eq!(summary(&report), [expect("c", Some("region"), "sh:class")]);
    assert_eq!(r.value, Some(ex("r3")));
}

#[test]
fn node_kind_violation() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:region ; sh:property [ sh:path ex:region ; sh:nodeKind sh:IRI ] .",
        &[("a", "ex:a ex:region ex:r1 . ex:b ex:region [ ex:label \"anonymous\" ] .")],
    );
    let r = single(&report);
    assert_eq!(
        summary(&report),
        [expect("b", Some("region"), "sh:nodeKind")]
    );
    assert!(r.value.as_deref().unwrap().starts_with("_:"), "{report}");
}

#[test]
fn in_violation() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:status ; sh:property [ sh:path ex:status ; sh:in (ex:Active ex:Dissolved) ] .",
        &[("a", "ex:a ex:status ex:Active . ex:b ex:status ex:Unknown .")],
    );
    assert_eq!(summary(&report), [expect("b", Some("status"), "sh:in")]);
    assert_eq!(single(&report).value, Some(ex("Unknown")));
}

#[test]
fn has_value_violation() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:status ; sh:property [ sh:path ex:status ; sh:hasValue ex:Active ] .",
        &[("a", "ex:a ex:status ex:Active, ex:Audited . ex:b ex:status ex:Dissolved .")],
    );
    assert_eq!(
        summary(&report),
        [expect("b", Some("status"), "sh:hasValue")]
    );
    assert_eq!(single(&report).value, None);
}

#[test]
fn pattern_violation_with_case_insensitive_flag() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:code ;
            sh:property [ sh:path ex:code ; sh:pattern \"^[a-z]{3}-[0-9]{2}$\" ; sh:flags \"i\" ] .",
        &[("a", "ex:a ex:code \"ALA-01\" . ex:b ex:code \"ast-02\" . ex:c ex:code \"KAR_03\" .")],
    );
    assert_eq!(summary(&report), [expect("c", Some("code"), "sh:pattern")]);
    assert_eq!(single(&report).value.as_deref(), Some("\"KAR_03\""));
}

#[test]
fn pattern_is_case_sensitive_without_flags() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:code ; sh:property [ sh:path ex:code ; sh:pattern \"^[a-z]{3}-[0-9]{2}$\" ] .",
        &[("a", "ex:a ex:code \"ALA-01\" . ex:b ex:code \"ast-02\" .")],
    );
    assert_eq!(summary(&report), [expect("a", Some("code"), "sh:pattern")]);
}

#[test]
fn min_length_and_max_length_violations() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:code ; sh:property [ sh:path ex:code ; sh:minLength 3 ; sh:maxLength 6 ] .",
        &[("a", "ex:a ex:code \"AB\" . ex:b ex:code \"ӘКІМ-1\" . ex:c ex:code \"ABCDEFG\" .")],
    );
    // "ӘКІМ-1" is 6 characters (but 10 bytes): length counts characters.
    assert_eq!(
        summary(&report),
        [
            expect("a", Some("code"), "sh:minLength"),
            expect("c", Some("code"), "sh:maxLength")
        ]
    );
}

#[test]
fn language_in_violation() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:name ; sh:property [ sh:path ex:name ; sh:languageIn (\"en\" \"kk\") ] .",
        &[("a", "ex:a ex:name \"Almaty\"@en-GB, \"Алматы\"@kk . ex:b ex:name \"Астана\"@ru .")],
    );
    assert_eq!(
        summary(&report),
        [expect("b", Some("name"), "sh:languageIn")]
    );
    assert_eq!(single(&report).value.as_deref(), Some("\"Астана\"@ru"));
}

#[test]
fn unique_lang_violation() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:name ; sh:property [ sh:path ex:name ; sh:uniqueLang true ] .",
        &[
            (
                "a",
                "ex:a ex:name \"Almaty\"@en, \"Алматы\"@kk . ex:b ex:name \"Astana\"@en .",
            ),
            (
                "b",
                "ex:b ex:name \"Nur-Sultan\"@en . ex:a ex:name \"Almaty\"@en .",
            ),
        ],
    );
    assert_eq!(
        summary(&report),
        [expect("b", Some("name"), "sh:uniqueLang")]
    );
    assert!(single(&report).message.contains("\"en\""));
}

#[test]
fn min_inclusive_and_max_inclusive_violations() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:staff ;
            sh:property [ sh:path ex:staff ; sh:minInclusive 1 ; sh:maxInclusive 10000 ] ;
            sh:property [ sh:path ex:founded ; sh:minInclusive \"1991-12-16\"^^xsd:date ] .",
        &[(
            "a",
            "ex:a ex:staff 0 . ex:b ex:staff 5.5, 1.0e1 . ex:c ex:staff 20000 .
             ex:d ex:staff 10000 ; ex:founded \"1990-01-01\"^^xsd:date . ex:e ex:staff 1 ; ex:founded \"2001-01-01\"^^xsd:date .",
        )],
    );
    assert_eq!(
        summary(&report),
        [
            expect("a", Some("staff"), "sh:minInclusive"),
            expect("c", Some("staff"), "sh:maxInclusive"),
            expect("d", Some("founded"), "sh:minInclusive"),
        ]
    );
}

#[test]
fn incomparable_values_violate_min_inclusive() {
    let report = run(
        "ex:S sh:targetSubjectsOf ex:staff ; sh:property [ sh:path ex:staff ; sh:minInclusive 1 ] .",
        &[("a", "ex:a ex:staff \"many\" . ex:b ex:staff ex:someone .")],
    );
    assert_eq!(
        summary(&report),
        [
            expect("a", Some("staff"), "sh:minInclusive"),
            expect("b", Some("staff"), "sh:minInclusive")
        ]
    );
}

#[test]
fn subclass_targets() {
    // ex:Akimat ⊑ ex:Agency is declared in the data, ex:CityAkimat ⊑ ex:Akimat in the shapes graph.
    let report = run(
        "ex:S sh:targetClass ex:Agency ; sh:property [ sh:path ex:code ; sh:minCount 1 ] .
         ex:CityAkimat rdfs:subClassOf ex:Akimat .",
        &[
            ("ontology", "ex:Akimat rdfs:subClassOf ex:Agency ."),
            (
                "a",
                "ex:a a ex:Agency . ex:b a ex:Akimat . ex:c a ex:CityAkimat . ex:d a ex:Region .",
            ),
        ],
    );
    assert_eq!(
        summary(&report),
        [
            expect("a", Some("code"), "sh:minCount"),
            expect("b", Some("code"), "sh:minCount"),
            expect("c", Some("code"), "sh:minCount"),
        ]
    );
}

#[test]
fn implicit_class_target() {
    let report = run(
        "ex:Agency a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:code ; sh:minCount 1 ] .",
        &[("a", "ex:a a ex:Agency . ex:b a ex:Agency ; ex:code \"B\" .")],
    );
    assert_eq!(summary(&report), [expect("a", Some("code"), "sh:minCount")]);
}

#[test]
fn inverse_path() {
    let report = run(
        AGENCY_SHAPES,
        &[
            ("types", AGENCIES_TYPES),
            ("props", AGENCIES_PROPS),
            ("x", "ex:shymkentRegion a ex:Region ."),
        ],
    );
    let r = single(&report);
    assert_eq!(r.focus_node, ex("shymkentRegion"));
    assert_eq!(
        r.result_path.as_deref(),
        Some("^<http://example.org/region>")
    );
    assert_eq!(r.constraint, "sh:minCount");
    assert_eq!(
        r.source_shape,
        "<http://example.org/RegionShape> sh:property [ sh:path [ sh:inversePath <http://example.org/region> ] ]"
    );

    let report = run(
        "ex:S sh:targetClass ex:Region ; sh:property [ sh:path [ sh:inversePath ex:region ] ; sh:class ex:Agency ] .",
        &[("a", "ex:r a ex:Region . ex:a a ex:Agency ; ex:region ex:r . ex:p a ex:Person ; ex:region ex:r .")],
    );
    let r = single(&report);
    assert_eq!(
        summary(&report),
        [(
            ex("r"),
            Some(format!("^{}", ex("region"))),
            "sh:class".to_owned()
        )]
    );
    assert_eq!(r.value, Some(ex("p")));
}

#[test]
fn target_node_subjects_of_and_objects_of() {
    let shapes_ttl = "
        ex:ByNode sh:targetNode ex:almaty, ex:nowhere ; sh:property [ sh:path ex:code ; sh:minCount 1 ] .
        ex:BySubject sh:targetSubjectsOf ex:region ; sh:property [ sh:path ex:status ; sh:minCount 1 ] .
        ex:ByObject sh:targetObjectsOf ex:region ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .";
    let report = run(
        shapes_ttl,
        &[("a", "ex:almaty ex:code \"ALA\" ; ex:region ex:r1 . ex:astana ex:region ex:r2 ; ex:status ex:Active . ex:r1 ex:label \"R1\" .")],
    );
    assert_eq!(
        summary(&report),
        [
            expect("almaty", Some("status"), "sh:minCount"),
            expect("nowhere", Some("code"), "sh:minCount"),
            expect("r2", Some("label"), "sh:minCount"),
        ]
    );
}

#[test]
fn constraints_on_node_shape_apply_to_focus_node() {
    let report = run(
        "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:region ; sh:nodeKind sh:IRI ; sh:class ex:Region ;
             sh:pattern \"/r[0-9]+$\" .",
        &[("a", "ex:a ex:region ex:r1, ex:region9, \"r2\" . ex:r1 a ex:Region . ex:region9 a ex:Region .")],
    );
    let mut got: Vec<_> = report
        .results
        .iter()
        .map(|r| {
            (
                r.focus_node.as_str(),
                r.result_path.as_deref(),
                r.value.as_deref(),
                r.constraint.as_str(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("\"r2\"", None, Some("\"r2\""), "sh:class"),
            ("\"r2\"", None, Some("\"r2\""), "sh:nodeKind"),
            ("\"r2\"", None, Some("\"r2\""), "sh:pattern"),
            (
                "<http://example.org/region9>",
                None,
                Some("<http://example.org/region9>"),
                "sh:pattern"
            ),
        ]
    );
}

#[test]
fn nested_property_shapes_validate_value_nodes() {
    let report = run(
        "ex:S sh:targetClass ex:Agency ;
            sh:property [ sh:path ex:region ; sh:property [ sh:path ex:label ; sh:minCount 1 ] ] .",
        &[("a", "ex:a a ex:Agency ; ex:region ex:r1 . ex:b a ex:Agency ; ex:region ex:r2 . ex:r1 ex:label \"R1\" .")],
    );
    assert_eq!(
        summary(&report),
        [expect("r2", Some("label"), "sh:minCount")]
    );
}

#[test]
fn severity_and_message() {
    let report = run(
        "ex:S sh:targetClass ex:Agency ; sh:severity sh:Violation ;
            sh:property [ sh:path ex:code ; sh:minCount 1 ; sh:severity sh:Warning ;
                          sh:message \"Код не указан\"@ru, \"Code is missing\"@en ] ;
            sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Info ] .",
        &[("a", "ex:a a ex:Agency .")],
    );
    assert!(
        report.conforms,
        "warnings and infos do not break conformance"
    );
    let got: Vec<_> = report
        .results
        .iter()
        .map(|r| (r.severity, r.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Severity::Warning, "Code is missing"),
            (Severity::Info, "expected at least 1 value, found 0")
        ]
    );
    assert_eq!(report.count(Severity::Warning), 1);
    assert!(
        report
            .to_string()
            .ends_with("0 violations, 1 warning, 1 info (conforms)\n"),
        "{report}"
    );

    let report = run(
        "ex:S sh:targetClass ex:Agency ; sh:minLength 100 ;
            sh:message \"Код не указан\"@ru, \"IRI too short\"@en ; sh:severity sh:Warning .",
        &[("a", "ex:a a ex:Agency .")],
    );
    let r = single(&report);
    assert_eq!(
        (r.severity, r.message.as_str()),
        (Severity::Warning, "IRI too short")
    );
    assert!(
        report
            .to_string()
            .ends_with("0 violations, 1 warning (conforms)\n"),
        "{report}"
    );
}

#[test]
fn deactivated_shapes_are_skipped() {
    let report = run(
        "ex:S sh:targetClass ex:Agency ; sh:deactivated true ; sh:property [ sh:path ex:code ; sh:minCount 1 ] .
         ex:T sh:targetClass ex:Agency ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:deactivated true ] ;
                                         sh:property [ sh:path ex:staff ; sh:minCount 1 ] .",
        &[("a", "ex:a a ex:Agency .")],
    );
    assert_eq!(
        summary(&report),
        [expect("a", Some("staff"), "sh:minCount")]
    );
}

#[test]
fn report_display_and_sorting() {
    let report = run(
        "ex:S sh:targetClass ex:Agency ;
            sh:property [ sh:path ex:code ; sh:minCount 1 ] ;
            sh:property [ sh:path ex:name ; sh:datatype rdf:langString ] .",
        &[(
            "a",
            "ex:b a ex:Agency ; ex:name \"B\" . ex:a a ex:Agency ; ex:code \"A\" ; ex:name \"A\" .",
        )],
    );
    assert_eq!(
        summary(&report),
        [
            expect("a", Some("name"), "sh:datatype"),
            expect("b", Some("code"), "sh:minCount"),
            expect("b", Some("name"), "sh:datatype"),
        ]
    );
    let text = report.to_string();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(
        lines[1],
        "Violation  <http://example.org/b>  path <http://example.org/code>  (sh:minCount) expected at least 1 value, found 0"
    );
    assert!(lines[0].starts_with(
        "Violation  <http://example.org/a>  path <http://example.org/name>  value \"A\"  (sh:datatype) "
    ));
    assert_eq!(lines[3], "3 violations, 0 warnings");
}

#[test]
fn report_serializes_to_json() {
    let report = run(
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:code ; sh:minCount 1 ] .",
        &[("a", "ex:b ex:code \"B\" .")],
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["conforms"], false);
    assert_eq!(json["results"][0]["constraint"], "sh:minCount");
    assert_eq!(json["results"][0]["severity"], "Violation");
    assert_eq!(json["results"][0]["focus_node"], ex("a"));
}

#[test]
fn unsupported_features_are_errors() {
    let cases = [
        ("ex:S sh:targetClass ex:A ; sh:or ( [ sh:class ex:B ] [ sh:class ex:C ] ) .", "<http://example.org/S>", "sh:or"),
        ("ex:S sh:targetClass ex:A ; sh:node ex:T . ex:T sh:class ex:B .", "<http://example.org/S>", "sh:node"),
        ("ex:S sh:targetClass ex:A ; sh:closed true .", "<http://example.org/S>", "sh:closed"),
        ("ex:S sh:targetClass ex:A ; sh:sparql [ sh:select \"SELECT $this WHERE {}\" ] .", "<http://example.org/S>", "sh:sparql"),
        ("ex:S sh:targetClass ex:A ; sh:equals ex:p .", "<http://example.org/S>", "sh:equals"),
        ("ex:S sh:target [ a sh:SPARQLTarget ] .", "<http://example.org/S>", "sh:target"),
        (
            "ex:S sh:targetClass ex:A ; sh:property ex:P . ex:P sh:path ( ex:p ex:q ) ; sh:minCount 1 .",
            "<http://example.org/P>",
            "sequence path",
        ),
        (
            "ex:S sh:targetClass ex:A ; sh:property ex:P . ex:P sh:path [ sh:alternativePath ( ex:p ex:q ) ] .",
            "<http://example.org/P>",
            "sh:alternativePath",
        ),
        (
            "ex:S sh:targetClass ex:A ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:B ] ; sh:qualifiedMinCount 1 ] .",
            "<http://example.org/S> sh:property [ sh:path <http://example.org/p> ]",
            "sh:qualified",
        ),
        ("ex:S sh:targetClass ex:A ; sh:severity ex:Critical .", "<http://example.org/S>", "severity"),
    ];
    for (ttl, shape, feature) in cases {
        let (got_shape, got_feature) = unsupported(ttl);
        assert_eq!(got_shape, shape, "{ttl}");
        assert!(
            got_feature.contains(feature),
            "{ttl}: feature {got_feature:?}"
        );
    }
    let message = ShapesGraph::from_turtle(
        &format!("{PREFIXES}ex:S sh:targetClass ex:A ; sh:or ( ) ."),
        "shapes.ttl",
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        message,
        "shape <http://example.org/S>: unsupported SHACL feature sh:or"
    );
}

#[test]
fn malformed_shapes_are_errors() {
    for ttl in [
        "ex:S sh:targetClass ex:A ; sh:minCount 1 .", // minCount on a node shape
        "ex:S sh:targetClass ex:A ; sh:property [ sh:path ex:p ; sh:minCount \"one\" ] .",
        "ex:S sh:targetClass ex:A ; sh:property [ sh:minCount 1 ] .", // property shape without path
        "ex:S sh:targetClass ex:A ; sh:pattern \"[\" .",              // bad regex
        "ex:S sh:targetClass ex:A ; sh:in ex:notAList .",
    ] {
        let result = ShapesGraph::from_turtle(&format!("{PREFIXES}{ttl}"), "shapes.ttl");
        assert!(
            matches!(result, Err(ValidateError::InvalidShape { .. })),
            "{ttl}: {result:?}"
        );
    }
}

#[test]
fn turtle_syntax_error_names_source_and_line() {
    let turtle = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\
                  @prefix ex: <http://example.org/> .\n\
                  ex:S sh:targetClass ex:A ;\n\
                  \x20   sh:minCount 1 1 .\n";
    let error = ShapesGraph::from_turtle(turtle, "shapes/akimat.ttl").unwrap_err();
    let ValidateError::Syntax { file, line, .. } = &error else {
        panic!("expected a syntax error, got {error:?}");
    };
    assert_eq!((file.as_str(), *line), ("shapes/akimat.ttl", 4));
    assert!(
        error.to_string().starts_with("shapes/akimat.ttl:4:"),
        "{error}"
    );
}

#[test]
fn empty_shapes_graph_conforms() {
    let shapes = ShapesGraph::from_turtle("", "empty.ttl").unwrap();
    assert!(shapes.is_empty());
    let report = validate(&store(&[("a", AGENCIES_PROPS)]), &shapes).unwrap();
    assert!(report.conforms && report.results.is_empty());
}
