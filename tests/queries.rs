//! Every ready-made query in queries/ runs on the shipped data and gives the answers the documents hold.

mod common;
use common::*;

fn run(name: &str) -> Vec<Vec<String>> {
    let path = root().join("queries").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with('#'),
        "{name} must open with a header comment"
    );
    rows(shipped(), &text)
}

fn row_with<'a>(rows: &'a [Vec<String>], needle: &str) -> Option<&'a Vec<String>> {
    rows.iter().find(|r| r.iter().any(|c| c == needle))
}

#[test]
fn every_query_file_is_tested() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rq"))
        .collect();
    names.sort();
    // Each is run here (`run("…")`) or read by name in another test file, where its answer is asserted.
    let mut sources = String::new();
    for e in std::fs::read_dir(root().join("tests")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "rs")
            && path.file_name() != Some("queries.rs".as_ref())
        {
            sources.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    let here = include_str!("queries.rs");
    for n in &names {
        let run_here = here.contains(&format!("run(\"{n}\")"));
        let read_elsewhere = sources.contains(&format!("queries/{n}"));
        assert!(run_here || read_elsewhere, "{n} has no test");
    }
    assert!(names.len() >= 8);
}

#[test]
fn institutions_by_unit() {
    let r = run("institutions-by-unit.rq");
    let aktogay = row_with(&r, "Ақтоғай ауданы әкімінің аппараты").expect("Aktogay");
    assert_eq!(aktogay[0], "Қарағанды облысы");
    assert_eq!(aktogay[1], "Ақтоғай ауданы");
    let aksu = row_with(&r, "Ақсу қаласының ішкі саясат бөлімі").expect("Aksu");
    assert_eq!(aksu[0], "Павлодар облысы");
    assert_eq!(aksu[1], "Ақсу қаласы");
    let baizak = row_with(&r, "Байзақ аудандық мәслихаты аппараты").expect("Baizak");
    assert_eq!(baizak[0], "Жамбыл облысы");
}

#[test]
fn founders() {
    let r = run("founders.rq");
    let aksu = row_with(&r, "Ақсу қаласының ішкі саясат бөлімі").unwrap();
    assert_eq!(aksu[2], iri("body/pavlodar/aksu-city/akimat"));
    assert!(aksu[4].ends_with("#Stated"));
    let aktogay = row_with(&r, "Ақтоғай ауданы әкімінің аппараты").unwrap();
    assert!(aktogay[4].ends_with("#InferredFromApproval"));
}

#[test]
fn functions_of_institution() {
    let r = run("functions-of-institution.rq");
    assert_eq!(r.len(), 20);
    assert_eq!(r[0][1], "14.1");
    assert_eq!(r[19][1], "14.20");
    assert!(r[18][3].starts_with("терроризмге қарсы комиссияның"));
}

#[test]
fn subordinate_organisations() {
    let r = run("subordinate-organisations.rq");
    assert_eq!(
        row_with(&r, "Жастар бастамасын дамыту орталығы").unwrap(),
        &vec![
            "Ақсу қаласының ішкі саясат бөлімі".to_string(),
            "Жастар бастамасын дамыту орталығы".to_string(),
            "https://w3id.org/akimat-kg/legal-form/communal-state-institution".to_string()
        ]
    );
}

#[test]
fn cited_acts() {
    let r = run("cited-acts.rq");
    // The Law on local state administration is the most cited act of the shipped regulations.
    assert_eq!(r[0][0], iri("eli/law/2001/01/23/148"));
    let n: u32 = r[0][5].parse().unwrap();
    assert!(n >= 8, "{r:?}");
    assert!(row_with(&r, &iri("eli/government-resolution/2021/09/01/590")).is_some());
}

#[test]
fn repealed_acts() {
    let r = run("repealed-acts.rq");
    let row =
        row_with(&r, &iri("eli/pavlodar/aksu-city/akimat/2018/09/13/605-9")).expect("Aksu repeal");
    assert_eq!(
        row[0],
        iri("eli/pavlodar/aksu-city/akimat/2022/05/31/403-3")
    );
    assert_eq!(row[4], "2018-09-13");
}

#[test]
fn institutions_without_address() {
    let r = run("institutions-without-address.rq");
    assert!(row_with(&r, "Ақтоғай ауданы әкімінің аппараты").is_none());
    assert!(row_with(&r, "Ақсу қаласының ішкі саясат бөлімі").is_none());
    // The excerpts of the polyclinic, the schools, the Mangystau maslikhat apparatus and agriculture
    // administration stop before their addresses; every full text states one. The Aktobe maslikhat apparatus's
    // excerpt (006) has none either, but its full text (pair 98181) gives the address of the same institution.
    let names: Vec<&str> = r.iter().map(|row| row[1].as_str()).collect();
    assert_eq!(
        names,
        [
            "Аппарат Мангистауского областного маслихата",
            "Управление сельского хозяйства Мангистауской области",
            "Школа – гимназия №44 имени Динмухамеда Конаева отдела образования города Уральска",
            "Школа-лицей № 35",
            "№ 7 Қалалық емхана",
            "№5 ҚББМО"
        ],
        "{r:?}"
    );
}

#[test]
fn provisions_by_kind() {
    let r = run("provisions-by-kind.rq");
    let aktogay: Vec<(String, String)> = r
        .iter()
        .filter(|row| row[0] == "Ақтоғай ауданы әкімінің аппараты")
        .map(|row| {
            (
                row[1].rsplit('#').next().unwrap().to_string(),
                row[2].clone(),
            )
        })
        .collect();
    assert_eq!(
        aktogay,
        [
            ("Duty", "5"),
            ("Function", "20"),
            ("Goal", "3"),
            ("HeadPower", "19"),
            ("Right", "2")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

#[test]
fn acts_resting_on_article() {
    // Only Aksu's resolution cites article 31 (its paragraph 2) of the 2001 Law.
    let r = run("acts-resting-on-article.rq");
    assert_eq!(
        r,
        [vec![
            iri("org/pavlodar/aksu-city/internal-policy-department"),
            "Ақсу қаласының ішкі саясат бөлімі".to_string(),
            iri("eli/pavlodar/aksu-city/akimat/2022/05/31/403-3"),
            iri("eli/law/2001/01/23/148/art_31/par_2"),
        ]]
    );
}

#[test]
fn cited_articles() {
    let r = run("cited-articles.rq");
    // Article 24 of the 2001 Law: the five maslikhat regulations whose secretary's powers rest on it (each cited
    // by its Kazakh and Russian provision, one node per provision number).
    assert_eq!(r[0][1], iri("eli/law/2001/01/23/148/art_24"));
    assert_eq!(r[0][3], "5");
    let art31 = row_with(&r, &iri("eli/law/2001/01/23/148/art_31")).unwrap();
    assert_eq!(art31[3], "1");
}

#[test]
fn repeal_chains() {
    let r = run("repeal-chains.rq");
    let pairs: Vec<(String, String)> = r.iter().map(|r| (r[0].clone(), r[2].clone())).collect();
    // Aksu's 2022 resolution repeals the 2018 one (a point); the Aktobe and Baiganin decisions were repealed by
    // later ones (their notes and requisites lines).
    assert_eq!(
        pairs,
        [
            (
                iri("eli/aktobe/baiganin-district/maslikhat/2016/06/07/21"),
                iri("eli/aktobe/baiganin-district/maslikhat/2016/02/29/218")
            ),
            (
                iri("eli/aktobe/maslikhat/2018/06/27/308"),
                iri("eli/aktobe/maslikhat/2015/12/11/365")
            ),
            (
                iri("eli/pavlodar/aksu-city/akimat/2022/05/31/403-3"),
                iri("eli/pavlodar/aksu-city/akimat/2018/09/13/605-9")
            ),
        ]
    );
}

#[test]
fn citations_by_document_act_and_unresolved() {
    let by_doc = run("citations-by-document.rq");
    let by_act = run("citations-by-act.rq");
    let unresolved = run("unresolved-citations.rq");
    // Every citation record is listed once per document, and the per-act counts add up to the same total.
    let total: usize = by_act.iter().map(|r| r[5].parse::<usize>().unwrap()).sum();
    assert_eq!(total, by_doc.len());
    assert!(by_doc.len() > 110, "{}", by_doc.len());
    // The corpus names no act that cannot be identified.
    assert!(unresolved.is_empty(), "{unresolved:?}");
    let law = row_with(&by_act, &iri("eli/law/2001/01/23/148")).unwrap();
    assert_eq!(law[7], "ReferenceTable");
}

#[test]
fn language_mismatches() {
    // Every shipped pair pairs up, provision by provision (tests/bilingual.rs shows the query finding a
    // provision missing from one version).
    let r = run("language-mismatches.rq");
    assert!(r.is_empty(), "{r:?}");
    // Eight regulations are read in both languages.
    let both = rows(
        shipped(),
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?r WHERE { ?p eli:is_part_of ?r ; akg:text ?t } GROUP BY ?r HAVING (COUNT(DISTINCT lang(?t)) = 2) } }",
    );
    assert_eq!(both[0][0], "8");
}

/// The profile of one body (its page on the server) is exactly its rows of the profile query, for every body.
#[test]
fn one_institutions_profile_is_its_rows_of_the_profile_query() {
    let r = run("competence-profile.rq");
    let mut bodies: Vec<&String> = r.iter().map(|row| &row[0]).collect();
    bodies.dedup();
    assert!(bodies.len() >= 10, "{} bodies", bodies.len());
    for body in bodies {
        let expected: Vec<(String, u64, f64)> = r
            .iter()
            .filter(|row| &row[0] == body)
            .map(|row| {
                (
                    row[1].clone(),
                    row[2].parse().unwrap(),
                    row[3].parse().unwrap(),
                )
            })
            .collect();
        let got = akimat_kg::competence::profile(shipped().inner(), body).unwrap();
        assert_eq!(got, expected, "{body}");
    }
}

#[test]
fn competence_profile() {
    let r = run("competence-profile.rq");
    let aksu: Vec<&Vec<String>> = r
        .iter()
        .filter(|row| row[0] == iri("org/pavlodar/aksu-city/internal-policy-department"))
        .collect();
    // The internal policy department is mainly about internal policy: its heaviest area.
    assert!(aksu[0][1].ends_with("/internal-policy"), "{aksu:?}");
    // Twenty of its provisions, as its hand labels (data/labels/shipped-areas.tsv) give.
    assert_eq!(aksu[0][2], "20");
    let religion = aksu
        .iter()
        .find(|row| row[1].ends_with("/religion"))
        .unwrap();
    assert_eq!(religion[2], "6");
}
