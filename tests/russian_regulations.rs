//! Russian texts read with the same completeness as Kazakh ones: resolution parts, signatures, stamps, chapters,
//! provisions, founder, location, financing; and the Russian excerpts of the corpus, each with its quirk.

mod common;
use akimat_kg::extract::Extraction;
use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::process_file;
use common::*;
use std::collections::BTreeMap;

fn extraction(rel: &str) -> Extraction {
    process_file(&regulations().join(rel), Lexicon::get())
        .unwrap_or_else(|e| panic!("{e}"))
        .extraction
}

fn kinds(e: &Extraction) -> BTreeMap<String, usize> {
    let mut k = BTreeMap::new();
    for p in &e.provisions {
        *k.entry(p.kind.clone()).or_default() += 1;
    }
    k
}

#[test]
fn two_signature_decision_with_stamp_chapters_and_provisions() {
    let e = extraction("pairs/100818/rus.md");
    assert_eq!(e.lang.tag(), "ru");
    let r = e.resolution.as_ref().unwrap();
    assert_eq!(r.act_type, "MaslikhatDecision");
    assert_eq!(r.date.as_deref(), Some("2016-02-29"));
    assert_eq!(r.number.as_deref(), Some("218"));
    let signs: Vec<(&str, &str)> = r
        .signatories
        .iter()
        .map(|s| (s.role.as_str(), s.name.as_str()))
        .collect();
    assert_eq!(
        signs,
        [
            ("Председатель сессии", "Б. Тажімұратов"),
            ("Секретарь маслихата", "Б. Турлыбаев")
        ]
    );
    assert_eq!(
        r.entry_rule.as_deref(),
        Some("TenDaysAfterFirstOfficialPublication")
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Положение о государственном учреждении «Аппарат Байганинского районного маслихата»")
    );
    let k = kinds(&e);
    assert_eq!(k["Mission"], 1);
    assert_eq!(k["Goal"], 2);
    assert_eq!(k["Function"], 11);
    assert_eq!(k["RightOrDuty"], 3);
    assert_eq!(k["HeadPower"], 26);
    let i = e.institution.unwrap();
    assert_eq!(i.org.legal_form.as_deref(), Some("state-institution"));
    assert_eq!(i.financing_source.as_deref(), Some("LocalBudget"));
    assert_eq!(i.founder_source.as_deref(), Some("InferredFromApproval"));
}

#[test]
fn chapters_of_a_markdown_render_are_read_from_its_headings() {
    let p = process_file(&regulations().join("pairs/98181/rus.md"), Lexicon::get()).unwrap();
    let chapters: Vec<(Option<&str>, Option<&str>)> = p
        .doc
        .chapters
        .iter()
        .map(|c| {
            (
                c.number.as_deref(),
                c.heading.as_ref().map(|h| h.text.as_str()),
            )
        })
        .collect();
    assert_eq!(
        chapters,
        [
            (Some("1"), Some("Общие положения")),
            (
                Some("2"),
                Some("Миссия, основные задачи, функции, права и обязанности аппарата маслихата")
            ),
            (
                Some("3"),
                Some("Организация деятельности аппарата маслихата")
            ),
            (Some("4"), Some("Имущество аппарата маслихата")),
            (
                Some("5"),
                Some("Реорганизация и упразднение аппарата маслихата")
            ),
        ]
    );
    assert_eq!(
        p.doc.stamp.unwrap().text,
        "Утвержден решением областного маслихата от 11 декабря 2015 года № 365"
    );
    // The Kazakh name, stated over two lines of the "full name" paragraph.
    assert_eq!(
        p.extraction.institution.unwrap().name_kk.as_deref(),
        Some("Ақтөбе облыстық мәслихатының аппараты")
    );
}

#[test]
fn control_entry_into_force_and_location_in_russian() {
    let e = extraction("pairs/79210/rus.md");
    let r = e.resolution.as_ref().unwrap();
    assert_eq!(
        r.controlled_by.as_deref(),
        Some("постоянную комиссию Байзакского районного маслихата по вопросам социально-экономического развития района, по бюджету, местным налогам и вопросам городского хозяйства")
    );
    // Права and Обязанности are two lists under one paragraph of powers.
    let k = kinds(&e);
    assert_eq!((k["Right"], k["Duty"]), (5, 4));
    let a = e.institution.unwrap().address.unwrap();
    assert_eq!(a.post_code.as_deref(), Some("080100"));
    assert_eq!(a.admin_unit_l1.as_deref(), Some("Жамбылская область"));
    assert_eq!(a.admin_unit_l2.as_deref(), Some("Байзакский район"));
    assert_eq!(a.post_name.as_deref(), Some("Сарыкемер"));
    assert_eq!(a.thoroughfare.as_deref(), Some("улица Байзак батыра"));
    assert_eq!(a.locator.as_deref(), Some("107"));
}

#[test]
fn a_heading_ending_with_a_full_stop_and_a_paragraph_glued_to_the_line_before() {
    // `21. Полномочия секретаря маслихата …».` heads the secretary's powers; paragraph 22 runs on inside the
    // last of them.
    let e = extraction("pairs/91255/rus.md");
    assert_eq!(kinds(&e)["HeadPower"], 12);
    let last = e
        .provisions
        .iter()
        .rfind(|p| p.kind == "HeadPower")
        .unwrap();
    assert_eq!(last.number, "21.12");
    assert!(
        last.text
            .ends_with("в соответствии с действующим законодательством"),
        "{}",
        last.text
    );
    assert!(e
        .warnings
        .iter()
        .any(|w| w.contains("paragraph 22 runs on inside the line before it")));
}

#[test]
fn an_excerpt_shares_its_institution_and_act_with_the_full_text_it_never_saw() {
    // Excerpt 006 (a web page) and pair 98181 (a repository render) are one decision of the Aktobe maslikhat.
    let e = extraction("excerpts/006_ru.txt");
    let r = e.resolution.as_ref().unwrap();
    assert_eq!(r.date.as_deref(), Some("2015-12-11"));
    assert_eq!(r.number.as_deref(), Some("365"));
    assert!(e.truncated);
    let store = shipped();
    let inst = iri("org/aktobe/maslikhat-apparatus");
    let act = iri("eli/aktobe/maslikhat/2015/12/11/365");
    let graphs = rows(
        store,
        &format!("SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{inst}> akg:foundingDocument <{act}/annex> }} }} ORDER BY ?g"),
    );
    assert_eq!(graphs.len(), 3, "006_ru, 98181 kaz and rus: {graphs:?}");
}

#[test]
fn amending_decision_takes_its_own_date_not_the_amended_ones_and_a_misspelt_region() {
    // The title names the amended decision of 2002; the requisites line and the stamp name this one. The stamp
    // misspells the region (`Мангистаукого`).
    let e = extraction("excerpts/009_ru.txt");
    let r = e.resolution.as_ref().unwrap();
    assert_eq!(r.date.as_deref(), Some("2024-09-30"));
    assert_eq!(r.number.as_deref(), Some("15/162"));
    let issuer = r.issuer.as_ref().unwrap();
    assert_eq!(
        (issuer.kind.as_str(), issuer.unit.path()),
        ("maslikhat", "mangystau".to_string())
    );
    assert_eq!(
        e.institution.unwrap().org.name,
        "Аппарат Мангистауского областного маслихата"
    );
}

#[test]
fn a_merger_is_about_the_institution_that_remains_and_the_preamble_dates_are_not_the_acts() {
    let e = extraction("excerpts/012_ru.txt");
    let r = e.resolution.as_ref().unwrap();
    assert_eq!(r.act_type, "AkimatResolution");
    // The excerpt starts at the preamble: its dates are those of the acts it cites.
    assert_eq!(r.date, None);
    assert_eq!(r.number, None);
    let i = e.institution.unwrap();
    assert_eq!(
        i.org.name,
        "Управление сельского хозяйства Мангистауской области"
    );
    assert_eq!(i.org.kind_slug, "agriculture-administration");
    assert_eq!(i.unit.unwrap().path(), "mangystau");
    let cited: Vec<(&str, Option<&str>, Option<&str>)> = e
        .citations
        .iter()
        .map(|c| {
            (
                c.citation.act.act_type.as_str(),
                c.citation.act.date.as_deref(),
                c.citation.act.number.as_deref(),
            )
        })
        .collect();
    assert!(
        cited.contains(&("GovernmentResolution", Some("2021-09-01"), Some("590"))),
        "{cited:?}"
    );
    assert!(
        cited.contains(&("AkimatResolution", Some("2025-01-16"), Some("11-02/09"))),
        "{cited:?}"
    );
}

#[test]
fn a_charter_with_a_stamp_above_a_title_over_three_lines() {
    let e = extraction("excerpts/013_ru.txt");
    assert_eq!(
        e.title.as_deref(),
        Some("УСТАВ КОММУНАЛЬНОГО ГОСУДАРСТВЕННОГО УЧРЕЖДЕНИЯ «Школа – гимназия №44 имени Динмухамеда Конаева отдела образования города Уральска»")
    );
    let i = e.institution.as_ref().unwrap();
    assert_eq!(
        i.org.legal_form.as_deref(),
        Some("communal-state-institution")
    );
    assert_eq!(i.unit.as_ref().unwrap().path(), "west-kazakhstan/oral-city");
    // `Постановлением акимата г.Уральска ЗКО №______ от_____ 2020 г.`: the body is known, date and number are blank.
    let r = e.resolution.as_ref().unwrap();
    assert_eq!(
        r.issuer.as_ref().unwrap().unit.path(),
        "west-kazakhstan/oral-city"
    );
    assert_eq!((r.date.as_deref(), r.number.as_deref()), (None, None));
    // Such an act is the document's own: never minted as "undated" among the akimat's acts, nor merged with
    // another undated edition for the same institution.
    let store = shipped();
    let inst = iri("org/west-kazakhstan/oral-city/shkola-gimnaziya-44-imeni-dinmukhameda-konaeva-otdela-obrazovaniya-goroda-uralska");
    let graph = graph_of(store, &regulations().join("excerpts/013_ru.txt"));
    assert_eq!(
        value(
            store,
            &format!("SELECT ?a WHERE {{ <{inst}> akg:foundingDocument ?r . ?a akg:approves ?r }}")
        ),
        format!("{graph}/approving-act")
    );
}

#[test]
fn a_russian_text_quoting_kazakh_names_is_russian_and_its_founder_is_stated() {
    let p = process_file(&regulations().join("excerpts/014_ru.txt"), Lexicon::get()).unwrap();
    // `Глава 1. ОБЩИЕ ПОЛОЖЕНИЯ.`
    let first = &p.doc.chapters[0];
    assert_eq!(first.number.as_deref(), Some("1"));
    assert_eq!(first.heading.as_ref().unwrap().text, "ОБЩИЕ ПОЛОЖЕНИЯ.");
    let e = p.extraction;
    assert_eq!(e.lang.tag(), "ru");
    let i = e.institution.unwrap();
    assert_eq!(i.founder_source.as_deref(), Some("Stated"));
    let f = i.founder.unwrap();
    assert_eq!(
        (f.kind.as_str(), f.unit.path()),
        ("akimat", "west-kazakhstan".to_string())
    );
}

#[test]
fn an_english_text_is_reported_as_unsupported_not_half_extracted() {
    let path = root().join("tests/fixtures/001_en.txt");
    let err = process_file(&path, Lexicon::get()).err().expect("an error");
    let msg = err.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "{msg}");
    assert!(msg.contains("unsupported language"), "{msg}");
}

#[test]
fn the_sidecar_is_recorded_as_provenance() {
    let store = shipped();
    let g = graph_of(store, &regulations().join("pairs/100709/rus.md"));
    let r = rows(
        store,
        &format!(
            "SELECT ?src ?code ?date ?title WHERE {{ GRAPH <{}> {{ <{g}> dct:source ?src ; dct:identifier ?code ; akg:statedDate ?date ; dct:title ?title . FILTER(lang(?title) = 'ru') }} }}",
            iri("graph/meta")
        ),
    );
    assert_eq!(
        r,
        [vec![
            "https://zan.gov.kz/client/#!/doc/100709/rus/12.02.2016".to_string(),
            "100709".to_string(),
            "2016-02-12".to_string(),
            "Об утверждении Положения государственного учреждения «Аппарат Алгинского районного маслихата»".to_string()
        ]]
    );
}

#[test]
fn a_sidecar_that_disagrees_with_the_text_is_warned_about_and_its_date_and_number_are_taken() {
    // The sidecar is the registry's record of the act, one for both language versions: where a text gives another
    // date or number, the record's is taken, and a warning says so.
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("rus.md");
    std::fs::copy(regulations().join("pairs/100709/rus.md"), &doc).unwrap();
    std::fs::write(
        tmp.path().join("meta.yaml"),
        "requisite: Решение маслихата Алгинского района Актюбинской области от 13 февраля 2016 года № 262.\n",
    )
    .unwrap();
    let e = process_file(&doc, Lexicon::get()).unwrap().extraction;
    let r = e.resolution.unwrap();
    assert_eq!(r.date.as_deref(), Some("2016-02-13"));
    assert_eq!(r.number.as_deref(), Some("262"));
    let w = e.warnings.join("\n");
    assert!(
        w.contains("the text gives date 2016-02-12 for the approving act, meta.yaml states 2016-02-13; the sidecar's is taken"),
        "{w}"
    );
    assert!(w.contains("the text gives number 261"), "{w}");
    // No local path in a warning (warnings are recorded in the graph).
    assert!(
        !w.contains(&tmp.path().to_string_lossy().into_owned()),
        "{w}"
    );

    // A broken sidecar is a warning naming it; the document is still read.
    std::fs::write(tmp.path().join("meta.yaml"), "title: [broken\n").unwrap();
    let e = process_file(&doc, Lexicon::get()).unwrap().extraction;
    assert!(
        e.warnings
            .iter()
            .any(|w| w.starts_with("sidecar not used: ") && w.contains("meta.yaml")),
        "{:?}",
        e.warnings
    );
    assert_eq!(e.resolution.unwrap().number.as_deref(), Some("261"));
}

#[test]
fn a_letter_whose_lowercase_is_longer_breaks_nothing() {
    // `İ` (U+0130) lowercases to two characters; offsets of a lowercase copy must still fit the text.
    let text = std::fs::read_to_string(regulations().join("kk-aksu-internal-policy.txt"))
        .unwrap()
        .replace("Ақсу қаласы әкімдігінің", "İ Ақсу қаласы әкімдігінің")
        .replace("құрылтайшысы", "İ құрылтайшысы")
        .replace("орналасқан жері", "İ орналасқан жері");
    let p = akimat_kg::pipeline::process_bytes(
        std::path::Path::new("dotted-i.txt"),
        text.as_bytes(),
        Lexicon::get(),
        Default::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let i = p.extraction.institution.unwrap();
    assert_eq!(i.founder_source.as_deref(), Some("Stated"));
    assert_eq!(i.address.unwrap().post_code.as_deref(), Some("140100"));
    assert_eq!(
        p.extraction.resolution.unwrap().number.as_deref(),
        Some("403/3")
    );
}
