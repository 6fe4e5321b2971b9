//! The ontology defines every term the data uses, and the shapes accept the shipped data and name what is broken.

mod common;
use akimat_kg::validate::{validate, ShapesGraph};
use common::*;
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;

const AKG: &str = "https://w3id.org/akimat-kg/ontology#";

fn ask(store: &Store, query: &str) -> bool {
    matches!(
        oxigraph::sparql::SparqlEvaluator::new()
            .parse_query(query)
            .unwrap()
            .on_store(store)
            .execute()
            .unwrap(),
        oxigraph::sparql::QueryResults::Boolean(true)
    )
}

fn ontology() -> Store {
    let s = Store::new().unwrap();
    s.load_from_slice(RdfFormat::Turtle, akimat_kg::ONTOLOGY.as_bytes())
        .unwrap();
    s.load_from_slice(RdfFormat::Turtle, akimat_kg::LEGAL_FORMS.as_bytes())
        .unwrap();
    s
}

#[test]
fn every_akg_term_used_in_the_data_is_defined_in_the_ontology() {
    let data = shipped();
    // Every IRI in the akg: namespace, in any position.
    let used = rows(
        data,
        "SELECT DISTINCT ?t WHERE { { ?t ?p ?o } UNION { ?s ?t ?o } UNION { ?s ?p ?t } FILTER(isIRI(?t) && STRSTARTS(STR(?t), 'https://w3id.org/akimat-kg/ontology#')) }",
    );
    assert!(used.len() > 30, "{used:?}");
    let onto = ontology();
    let mut undefined = Vec::new();
    for t in &used {
        let q = format!(
            "ASK {{ <{}> a ?k ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
            t[0]
        );
        let defined = ask(&onto, &q);
        if !defined {
            undefined.push(t[0].clone());
        }
    }
    assert!(undefined.is_empty(), "undefined akg: terms: {undefined:?}");
    // And every legal form used is a concept of the scheme.
    for f in rows(data, "SELECT DISTINCT ?f WHERE { ?i akg:legalForm ?f }") {
        let q = format!(
            "ASK {{ <{}> <http://www.w3.org/2004/02/skos/core#inScheme> ?s }}",
            f[0]
        );
        let ok = ask(&onto, &q);
        assert!(ok, "{} not in the legal-form scheme", f[0]);
    }
}

#[test]
fn every_ontology_term_has_kazakh_russian_and_english_labels() {
    let onto = ontology();
    let q = format!(
        "SELECT ?t WHERE {{ ?t a ?k . FILTER(STRSTARTS(STR(?t), '{AKG}')) FILTER NOT EXISTS {{ ?t <http://www.w3.org/2000/01/rdf-schema#label> ?kk , ?ru , ?en . FILTER(lang(?kk)='kk' && lang(?ru)='ru' && lang(?en)='en') }} }}"
    );
    let r = akimat_kg::query::select(&onto, &q, "test").unwrap().1;
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn shipped_data_conforms_to_the_shapes() {
    let shapes = ShapesGraph::from_turtle(akimat_kg::SHAPES, "ontology/shapes.ttl").unwrap();
    let report = validate(shipped().inner(), &shapes).unwrap();
    assert!(report.conforms, "{report}");
}

#[test]
fn a_broken_graph_gets_its_violations_named() {
    let store = Store::new().unwrap();
    let data = r#"
        @prefix akg: <https://w3id.org/akimat-kg/ontology#> .
        @prefix eli: <http://data.europa.eu/eli/ontology#> .
        @prefix locn: <http://www.w3.org/ns/locn#> .
        @prefix schema: <https://schema.org/> .
        <https://ex.org/p1> a akg:Provision , eli:LegalResourceSubdivision ;
            eli:is_part_of <https://ex.org/reg> ; eli:number "1" ; schema:position 0 ;
            akg:text "мәтін"@kk ; akg:charStart 1 ; akg:charEnd 5 ; akg:assignedTo <https://ex.org/i> .
        <https://ex.org/reg> a eli:LegalResource ; eli:type_document akg:Regulation .
        <https://ex.org/a> a locn:Address ; locn:fullAddress "x" ; locn:postCode "12AB" .
    "#;
    store
        .load_from_reader(
            oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
                .with_default_graph(oxigraph::model::NamedNode::new("https://ex.org/g").unwrap()),
            data.as_bytes(),
        )
        .unwrap();
    let shapes = ShapesGraph::from_turtle(akimat_kg::SHAPES, "ontology/shapes.ttl").unwrap();
    let report = validate(&store, &shapes).unwrap();
    assert!(!report.conforms);
    let found: Vec<(String, Option<String>, String)> = report
        .results
        .iter()
        .map(|r| {
            (
                r.focus_node.clone(),
                r.result_path.clone(),
                r.constraint.clone(),
            )
        })
        .collect();
    let has = |focus: &str, path: &str, c: &str| {
        found.iter().any(|(f, p, k)| {
            f.contains(focus) && p.as_deref().is_some_and(|p| p.contains(path)) && k == c
        })
    };
    assert!(has("ex.org/p1", "provisionKind", "sh:minCount"), "{report}");
    assert!(has("ex.org/p1", "position", "sh:minInclusive"), "{report}");
    assert!(has("ex.org/a", "postCode", "sh:pattern"), "{report}");
    let printed = report.to_string();
    assert!(
        printed.contains("provisionKind") && printed.contains("postCode"),
        "{printed}"
    );
}

#[test]
fn the_competence_scheme_has_every_area_of_the_model_labelled_and_grouped() {
    let s = Store::new().unwrap();
    s.load_from_slice(RdfFormat::Turtle, akimat_kg::COMPETENCES.as_bytes())
        .unwrap();
    let model = "education, health, social-protection, employment, agriculture, veterinary, land-relations, \
        architecture-urban-planning, construction, housing-utilities, transport-roads, entrepreneurship-industry, \
        tourism, culture, languages, sport, youth-policy, religion, internal-policy, information-media, \
        digitalisation-public-services, finance-budget, economy-planning, public-procurement, state-property, \
        civil-service-hr, legal-support, records-management, citizens-appeals, anti-corruption, \
        anti-terrorism-extremism, emergencies-civil-defence, mobilisation-defence, environment-natural-resources, \
        energy, water, public-order, control-of-execution, coordination, protocol-events, awards, advertising, \
        volunteering, project-management, state-symbols, peaceful-assemblies, socio-economic-development, \
        analytics-research, internal-control-service-quality";
    let comp = "https://w3id.org/akimat-kg/competence/";
    for slug in model.split(',').map(str::trim) {
        let q = format!(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
             ASK {{ <{comp}{slug}> a skos:Concept ; skos:inScheme <{comp}scheme> ; skos:definition ?d ;
                    skos:prefLabel ?kk , ?ru , ?en ; skos:broader ?div .
                    ?div skos:topConceptOf <{comp}scheme> ; skos:notation ?n .
                    FILTER(lang(?kk) = 'kk' && lang(?ru) = 'ru' && lang(?en) = 'en') }}"
        );
        assert!(ask(&s, &q), "{slug}");
    }
    for n in 1..=10 {
        let q = format!(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
             ASK {{ <{comp}cofog-{n:02}> skos:notation \"{n:02}\" ; skos:topConceptOf <{comp}scheme> }}"
        );
        assert!(ask(&s, &q), "cofog-{n:02}");
    }
    // Every area a provision of the shipped data falls in is in the scheme, and every rule names one.
    let used = rows(shipped(), "SELECT DISTINCT ?c WHERE { ?p dct:subject ?c }");
    assert!(used.len() > 20);
    for c in used {
        assert!(
            ask(&s, &format!("ASK {{ <{}> ?p ?o }}", c[0])),
            "{} not in the scheme",
            c[0]
        );
    }
    for rule in &akimat_kg::lexicon::Lexicon::get().competence_rules {
        assert!(
            model.split(',').any(|m| m.trim() == rule.area),
            "rule on line {} names an unknown area {}",
            rule.line,
            rule.area
        );
    }
}
