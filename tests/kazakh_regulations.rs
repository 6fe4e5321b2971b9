//! The acceptance facts of the two full Kazakh regulations, read from the graph the pipeline builds.

mod common;
use common::*;

const AKTOGAY: &str = "org/karaganda/aktogai-district/akim-apparatus";
const AKSU: &str = "org/pavlodar/aksu-city/internal-policy-department";

fn aktogay() -> (tempfile::TempDir, akimat_kg::store::KgStore) {
    build_store(&[doc("kk-aktogay-akim-apparatus.txt")])
}

fn aksu() -> (tempfile::TempDir, akimat_kg::store::KgStore) {
    build_store(&[doc("kk-aksu-internal-policy.txt")])
}

fn provision_counts(store: &akimat_kg::store::KgStore, inst: &str) -> Vec<(String, String)> {
    rows(
        store,
        &format!(
            "SELECT ?k (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p akg:assignedTo <{}> ; akg:provisionKind ?k }} GROUP BY ?k ORDER BY ?k",
            iri(inst)
        ),
    )
    .into_iter()
    .map(|r| (r[0].rsplit('#').next().unwrap().to_string(), r[1].clone()))
    .collect()
}

#[test]
fn aktogay_institution_label_form_and_postcode() {
    let (_d, s) = aktogay();
    let i = iri(AKTOGAY);
    assert_eq!(
        value(
            &s,
            &format!("SELECT ?l WHERE {{ <{i}> a akg:StateInstitution ; skos:prefLabel ?l }}")
        ),
        "Ақтоғай ауданы әкімінің аппараты"
    );
    assert_eq!(
        value(
            &s,
            &format!("SELECT ?l WHERE {{ <{i}> skos:prefLabel ?l FILTER(lang(?l) = 'kk') }}")
        ),
        "Ақтоғай ауданы әкімінің аппараты"
    );
    assert_eq!(
        value(&s, &format!("SELECT ?f WHERE {{ <{i}> akg:legalForm ?f }}")),
        "https://w3id.org/akimat-kg/legal-form/state-institution"
    );
    assert_eq!(
        value(
            &s,
            &format!("SELECT ?p WHERE {{ <{i}> locn:address/locn:postCode ?p }}")
        ),
        "100200"
    );
}

#[test]
fn aktogay_resolution_issuer_date_number_and_signatory() {
    let (_d, s) = aktogay();
    let r = rows(
        &s,
        "SELECT ?res ?date ?n ?body ?unit ?region ?role ?name WHERE {
           ?res akg:approves ?reg ; eli:date_document ?date ; eli:id_local ?n ; eli:passed_by ?body ;
                akg:signatoryRole ?role ; akg:signatoryName ?name .
           ?body a akg:Akimat ; akg:bodyOf ?unit . ?unit akg:unitType akg:District ; schema:containedInPlace ?region .
           ?region skos:prefLabel ?rl FILTER(lang(?rl) = 'kk') }",
    );
    assert_eq!(r.len(), 1, "{r:?}");
    let r = &r[0];
    assert_eq!(r[1], "2024-02-02");
    assert_eq!(r[2], "04/02");
    assert_eq!(r[3], iri("body/karaganda/aktogai-district/akimat"));
    assert_eq!(r[4], iri("unit/karaganda/aktogai-district"));
    assert_eq!(r[5], iri("unit/karaganda"));
    assert_eq!(r[6], "Аудан әкімі");
    assert_eq!(r[7], "Р.Кенжебеков");
    assert_eq!(
        value(
            &s,
            &format!(
                "SELECT ?l WHERE {{ <{}> skos:prefLabel ?l FILTER(lang(?l)='kk') }}",
                iri("unit/karaganda")
            )
        ),
        "Қарағанды облысы"
    );
}

#[test]
fn aktogay_founder_is_inferred_from_approval() {
    let (_d, s) = aktogay();
    let i = iri(AKTOGAY);
    let r = rows(
        &s,
        &format!("SELECT ?f ?src WHERE {{ <{i}> schema:founder ?f ; akg:founderSource ?src }}"),
    );
    assert_eq!(
        r,
        vec![vec![
            iri("body/karaganda/aktogai-district/akimat"),
            "https://w3id.org/akimat-kg/ontology#InferredFromApproval".to_string()
        ]]
    );
}

#[test]
fn aktogay_cites_the_2001_law_by_date() {
    let (_d, s) = aktogay();
    let law = iri("eli/law/2001/01/23/148");
    let r = rows(
        &s,
        &format!("SELECT ?res WHERE {{ ?res akg:approves ?reg ; eli:cites <{law}> }}"),
    );
    assert_eq!(r.len(), 1);
    assert_eq!(
        value(
            &s,
            &format!("SELECT ?t WHERE {{ <{law}> eli:type_document ?t }}")
        ),
        "https://w3id.org/akimat-kg/ontology#Law"
    );
}

#[test]
fn aktogay_has_three_goals_two_rights_five_duties_twenty_functions_nineteen_head_powers() {
    let (_d, s) = aktogay();
    assert_eq!(
        provision_counts(&s, AKTOGAY),
        [
            ("Duty", "5"),
            ("Function", "20"),
            ("Goal", "3"),
            ("HeadPower", "19"),
            ("Right", "2")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // Spot checks: the 19th function and the numbering of a duty in the dash list.
    assert_eq!(
        value(
            &s,
            &format!(
                "SELECT ?t WHERE {{ ?p akg:assignedTo <{}> ; eli:number \"14.19\" ; akg:text ?t }}",
                iri(AKTOGAY)
            )
        ),
        "терроризмге қарсы комиссияның қызметін ұйымдастыру"
    );
    assert_eq!(
        value(&s, &format!("SELECT ?k WHERE {{ ?p akg:assignedTo <{}> ; eli:number \"13.2.4\" ; akg:provisionKind ?k }}", iri(AKTOGAY))),
        "https://w3id.org/akimat-kg/ontology#Duty"
    );
}

#[test]
fn aksu_labels_in_both_languages_and_postcode() {
    let (_d, s) = aksu();
    let i = iri(AKSU);
    let mut labels = rows(
        &s,
        &format!("SELECT ?l (lang(?l) AS ?g) WHERE {{ <{i}> skos:prefLabel ?l }}"),
    );
    labels.sort();
    assert_eq!(
        labels,
        vec![
            vec![
                "Ақсу қаласының ішкі саясат бөлімі".to_string(),
                "kk".to_string()
            ],
            vec![
                "Отдел внутренней политики города Аксу".to_string(),
                "ru".to_string()
            ]
        ]
    );
    assert_eq!(
        value(
            &s,
            &format!("SELECT ?p WHERE {{ <{i}> locn:address/locn:postCode ?p }}")
        ),
        "140100"
    );
    assert_eq!(
        value(
            &s,
            &format!("SELECT ?p WHERE {{ <{i}> locn:address/locn:postName ?p }}")
        ),
        "Ақсу"
    );
}

#[test]
fn aksu_founder_is_stated_akimat_of_aksu_in_pavlodar() {
    let (_d, s) = aksu();
    let i = iri(AKSU);
    let r = rows(
        &s,
        &format!("SELECT ?f ?src ?region WHERE {{ <{i}> schema:founder ?f ; akg:founderSource ?src . ?f akg:bodyOf/schema:containedInPlace ?region }}"),
    );
    assert_eq!(
        r,
        vec![vec![
            iri("body/pavlodar/aksu-city/akimat"),
            "https://w3id.org/akimat-kg/ontology#Stated".to_string(),
            iri("unit/pavlodar")
        ]]
    );
}

#[test]
fn aksu_subordinate_youth_centre() {
    let (_d, s) = aksu();
    let r = rows(
        &s,
        &format!("SELECT ?l ?f WHERE {{ <{}> org:hasSubOrganization ?s . ?s org:subOrganizationOf ?p ; skos:prefLabel ?l ; akg:legalForm ?f }}", iri(AKSU)),
    );
    assert_eq!(
        r,
        vec![vec![
            "Жастар бастамасын дамыту орталығы".to_string(),
            "https://w3id.org/akimat-kg/legal-form/communal-state-institution".to_string()
        ]]
    );
}

#[test]
fn aksu_repeals_the_2018_resolution() {
    let (_d, s) = aksu();
    let r = rows(&s, "SELECT ?old ?date ?n ?by WHERE { ?res akg:approves ?reg ; eli:repeals ?old . ?old eli:date_document ?date ; eli:id_local ?n ; eli:passed_by ?by }");
    assert_eq!(
        r,
        vec![vec![
            iri("eli/pavlodar/aksu-city/akimat/2018/09/13/605-9"),
            "2018-09-13".to_string(),
            "605/9".to_string(),
            iri("body/pavlodar/aksu-city/akimat")
        ]]
    );
}

#[test]
fn aksu_preamble_citations_with_pinpoints() {
    let (_d, s) = aksu();
    let mut cited: Vec<String> = rows(
        &s,
        "SELECT ?t WHERE { ?res akg:approves ?reg ; eli:cites ?t }",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    cited.sort();
    assert_eq!(
        cited,
        vec![
            iri("eli/government-resolution/2021/09/01/590"),
            iri("eli/law/2001/01/23/148/art_31/par_2"),
            iri("eli/law/2011/03/01/413-iv/art_18/sub_8"),
        ]
    );
    // The pinpoint chain reaches the act.
    let r = rows(
        &s,
        &format!(
            "SELECT ?a WHERE {{ <{}> eli:is_part_of+ ?a . ?a eli:date_document ?d }}",
            iri("eli/law/2001/01/23/148/art_31/par_2")
        ),
    );
    assert_eq!(r, vec![vec![iri("eli/law/2001/01/23/148")]]);
    assert_eq!(
        value(
            &s,
            &format!(
                "SELECT ?n WHERE {{ <{}> eli:id_local ?n }}",
                iri("eli/government-resolution/2021/09/01/590")
            )
        ),
        "590"
    );
}

#[test]
fn title_only_citation_resolves_to_the_dated_law_node_of_another_document() {
    let (_d, s) = build_store(&[
        doc("kk-aktogay-akim-apparatus.txt"),
        doc("kk-aksu-internal-policy.txt"),
    ]);
    let law = iri("eli/law/2001/01/23/148");
    let r = rows(&s, &format!("SELECT DISTINCT ?res WHERE {{ ?res akg:approves ?reg ; eli:cites ?t . ?t eli:is_part_of* <{law}> }} ORDER BY ?res"));
    assert_eq!(
        r,
        vec![
            vec![iri(
                "eli/karaganda/aktogai-district/akimat/2024/02/02/04-02"
            )],
            vec![iri("eli/pavlodar/aksu-city/akimat/2022/05/31/403-3")]
        ]
    );
}

#[test]
fn aksu_has_seventeen_goals_six_rights_four_duties_thirty_four_functions_nine_head_powers() {
    let (_d, s) = aksu();
    assert_eq!(
        provision_counts(&s, AKSU),
        [
            ("Duty", "4"),
            ("Function", "34"),
            ("Goal", "17"),
            ("HeadPower", "9"),
            ("Right", "6")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let p = iri("eli/pavlodar/aksu-city/akimat/2022/05/31/403-3/annex/par_18/sub_26");
    let r = rows(&s, &format!("SELECT ?n ?pos ?t WHERE {{ <{p}> eli:number ?n ; schema:position ?pos ; akg:text ?t }}"));
    assert_eq!(
        r,
        vec![vec![
            "18.26".to_string(),
            "26".to_string(),
            "қаланың терроризмге қарсы комиссия аппаратының қызметін ұйымдастыру, өңірдегі діни ахуалды зерттеу және талдау".to_string()
        ]]
    );
    assert_eq!(
        value(
            &s,
            &format!(
                "SELECT ?n WHERE {{ <{}> eli:number ?n }}",
                iri("eli/pavlodar/aksu-city/akimat/2022/05/31/403-3/annex/par_17/sub_1/sub_2")
            )
        ),
        "17.1.2"
    );
}
