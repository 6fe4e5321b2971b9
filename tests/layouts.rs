//! One test per layout feature of the country's regulations, each on the real act that showed it, of
//! `data/country/` or of `tests/fixtures/acts/dev/` (the dev part of the split): lists under every heading
//! phrasing, mission as a sentence, old numbering under Roman chapters, acts with no enacting words, akims'
//! decisions, signatures as separate bold lines, registration details in brackets, act numbers with session and
//! convocation marks, chapters whose heading gives the kind, lists headed by their purpose before their kind, the
//! head's office heading its powers, a regulation after another annex, annex numbers in stamps, points with numbered
//! items, numbered headings over their own sub-numbers, titles marked as headings, and lists run into their
//! paragraph after its colon.

mod common;
use akimat_kg::extract::Extraction;
use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::process_file;
use common::*;

/// The extraction of one text of the act of `data/country` whose code is `code`.
fn act(code: &str, file: &str) -> Extraction {
    act_in("data/country", code, file)
}

/// The extraction of one text of the act under folder `under` whose code is `code`.
fn act_in(under: &str, code: &str, file: &str) -> Extraction {
    let dir = walk(&root().join(under))
        .into_iter()
        .find(|d| d.ends_with(&format!("-{code}")))
        .unwrap_or_else(|| panic!("act {code} not in {under}"));
    process_file(&root().join(&dir).join(file), Lexicon::get())
        .unwrap_or_else(|e| panic!("{dir}/{file}: {e}"))
        .extraction
}

/// The act folders under a folder (those holding a meta.yaml), as paths relative to the repository.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.join("meta.yaml").exists() {
                out.push(
                    p.strip_prefix(root())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            } else {
                out.extend(walk(&p));
            }
        }
    }
    out
}

/// The (kind, number) of the provisions whose number starts with `prefix`.
fn numbered(e: &Extraction, prefix: &str) -> Vec<(String, String)> {
    e.provisions
        .iter()
        .filter(|p| p.number.starts_with(prefix))
        .map(|p| (p.kind.clone(), p.number.clone()))
        .collect()
}

fn kinds(e: &Extraction, prefix: &str) -> Vec<String> {
    let mut k: Vec<String> = numbered(e, prefix).into_iter().map(|x| x.0).collect();
    k.dedup();
    k
}

/// `14. Миссией … является …` is one provision; `17. Права …:` and `18. Обязанности …:` lists give rights and duties.
/// In Kazakh `15. … негізгі міндеттері:` are tasks while `18. … міндеттері:` after the rights are duties.
#[test]
fn mission_sentence_rights_and_duties_lists_in_both_languages() {
    for file in ["rus.md", "kaz.md"] {
        let e = act("100628", file);
        assert_eq!(kinds(&e, "14"), ["Mission"], "{file}");
        assert_eq!(kinds(&e, "15."), ["Goal"], "{file}");
        assert_eq!(kinds(&e, "16."), ["Function"], "{file}");
        assert_eq!(kinds(&e, "17."), ["Right"], "{file}");
        assert_eq!(kinds(&e, "18."), ["Duty"], "{file}");
        assert!(
            numbered(&e, "17.").len() >= 5,
            "{file}: {:?}",
            numbered(&e, "17.")
        );
        assert!(
            numbered(&e, "18.").len() >= 5,
            "{file}: {:?}",
            numbered(&e, "18.")
        );
        // The head's powers, under the chairman's title.
        assert!(e.provisions.iter().any(|p| p.kind == "HeadPower"), "{file}");
    }
}

/// A function item that introduces unmarked lines (`1) аудит эффективности:` and its lines without numbers) gives
/// each line as a provision.
#[test]
fn unmarked_lines_under_an_item_are_provisions() {
    let e = act("100628", "rus.md");
    let audit: Vec<(String, String)> = numbered(&e, "16.1.");
    assert!(audit.len() >= 4, "{audit:?}");
}

/// A 2001 akim's decision with no enacting words (`… в целях …` then points), Roman-numbered chapters, tasks and
/// functions under old headings (`атқаратын қызмет түрлері`, `возлагаются следующие функции`), and a signature of a
/// name alone in bold.
#[test]
fn an_old_akim_decision_with_roman_chapters() {
    for file in ["rus.md", "kaz.md"] {
        let e = act("8517", file);
        let r = e.resolution.as_ref().unwrap();
        assert_eq!(r.act_type, "AkimDecision", "{file}");
        assert_eq!(r.issuer.as_ref().unwrap().kind, "akim", "{file}");
        assert_eq!(r.date.as_deref(), Some("2001-02-13"), "{file}");
        assert_eq!(r.number.as_deref(), Some("28"), "{file}");
        assert_eq!(kinds(&e, "4."), ["Goal"], "{file}");
        assert_eq!(kinds(&e, "5."), ["Function"], "{file}");
        assert_eq!(numbered(&e, "5.").len(), 5, "{file}");
        let names: Vec<&str> = r.signatories.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["С. Кулагин"], "{file}");
    }
}

/// A Kazakh akim's decision whose preamble ends `… мақсаттарында:` and whose points enact (`… өзгертілсін`).
#[test]
fn a_preamble_without_enacting_words() {
    let e = act("11293", "kaz.md");
    let r = e.resolution.as_ref().unwrap();
    assert_eq!(r.act_type, "AkimDecision");
    assert_eq!(r.number.as_deref(), Some("68"));
    assert_eq!(r.date.as_deref(), Some("2001-04-10"));
    assert_eq!(r.signatories.len(), 1);
}

/// A maslikhat decision signed on separate bold lines (`**Председатель сессии**` / `**Е.Беркинбаев**`), numbered
/// with its session and convocation (`№5-29/VІ`), repealing an act whose registration and publication dates stand
/// in brackets between its number and its type word (Kazakh).
#[test]
fn bold_signatures_numbers_with_marks_and_bracketed_registration() {
    for file in ["rus.md", "kaz.md"] {
        let e = act("103755", file);
        let r = e.resolution.as_ref().unwrap();
        assert_eq!(r.number.as_deref(), Some("5-29/VІ"), "{file}");
        assert_eq!(r.signatories.len(), 2, "{file}: {:?}", r.signatories);
        assert!(
            r.signatories[0].name.contains("Беркинбаев")
                || r.signatories[0].name.contains("Беркінбаев")
        );
        let repealed: Vec<Option<&str>> = r.repeals.iter().map(|a| a.date.as_deref()).collect();
        assert_eq!(repealed, [Some("2015-07-21")], "{file}");
        assert!(
            r.repeals[0]
                .number
                .as_deref()
                .unwrap_or("")
                .starts_with("44-314/"),
            "{file}"
        );
    }
}

/// A 1998 regulation numbered `5.5.1` under Roman chapters (an assembly's: its rights are read though it is no
/// institution).
#[test]
fn decimal_numbering_under_roman_chapters() {
    let e = act("1973", "rus.md");
    let rights = numbered(&e, "5.5.");
    assert!(rights.len() >= 3, "{rights:?}");
    assert!(rights.iter().all(|(k, _)| k == "Right"), "{rights:?}");
    assert!(
        e.institution.is_none(),
        "a quoted member's organisation is no institution"
    );
}

/// `18. Права и обязанности …:` split by the sentences `Ревизионная комиссия вправе:` and `… обязана:` into rights
/// and duties (with escaped Markdown markers `1\)`), and functions whose item `2) контроль:` introduces unmarked lines.
#[test]
fn rights_and_duties_under_sentences_and_unmarked_sub_items() {
    let e = act("85902", "rus.md");
    assert_eq!(kinds(&e, "18.1."), ["Right"]);
    assert_eq!(numbered(&e, "18.1.").len(), 9);
    assert_eq!(kinds(&e, "18.2."), ["Duty"]);
    assert_eq!(numbered(&e, "18.2.").len(), 4);
    assert_eq!(numbered(&e, "17.2.").len(), 5);
    // `1) оценка: исполнения …;` and the lowercase line after it, `реализации …`: an item and its sub-item.
    assert_eq!(numbered(&e, "17.1").len(), 2);
}

/// `16. Құқықтары мен міндеттері:` and an unmarked line introducing the items (`мемлекеттік мекеме өз функцияларын
/// жүзеге асыру үшін:`, `для осуществления своих функций государственное учреждение имеет право:`): the items are the
/// paragraph's provisions in both languages, numbered alike so that the two versions meet (Bulandy 2014).
#[test]
fn items_under_an_unmarked_introducing_line_are_provisions() {
    let kk = act("85137", "kaz.md");
    let ru = act("85137", "rus.md");
    let numbers =
        |e: &Extraction| -> Vec<String> { numbered(e, "16.").into_iter().map(|x| x.1).collect() };
    assert_eq!(numbers(&kk), ["16.1.1", "16.1.2", "16.1.3", "16.1.4"]);
    assert_eq!(numbers(&kk), numbers(&ru));
    assert_eq!(kinds(&kk, "16."), ["RightOrDuty"]);
    // The Russian line says `имеет право`: its items are rights.
    assert_eq!(kinds(&ru, "16."), ["Right"]);
}

/// `14. Мемлекеттік мекеменің негізгі міндеттері … қамтамасыз ету болып табылады.`: the tasks stated as a sentence,
/// like the Russian `14. Задачи государственного учреждения: …`, are one Goal (Bestogai rural district 2014).
#[test]
fn tasks_stated_as_a_sentence_are_one_goal() {
    for file in ["kaz.md", "rus.md"] {
        let e = act("81565", file);
        assert_eq!(
            numbered(&e, "14"),
            [("Goal".to_string(), "14".to_string())],
            "{file}"
        );
    }
}

/// `15. Мемлекеттік мекеменің атқаратын міндеттері:` (the tasks it performs) lists functions, as the Russian
/// `15. Государственное учреждение выполняет следующие функции:` says (Bestogai rural district 2014).
#[test]
fn the_tasks_an_institution_performs_are_its_functions() {
    for file in ["kaz.md", "rus.md"] {
        assert_eq!(kinds(&act("81565", file), "15."), ["Function"], "{file}");
    }
}

/// A 1999 regulation whose chapters carry the kinds (`## 2. Задачи Комиссии`, `## 2. Комиссияның міндеттері`): each
/// numbered paragraph of the chapter is one task; `4. Основные направления деятельности` makes the list of paragraph
/// 17 functions although its own words (`В соответствии со своими задачами Комиссия:`) name tasks only as its measure.
#[test]
fn chapter_headings_give_their_kind_to_plain_paragraphs() {
    for file in ["rus.md", "kaz.md"] {
        let e = act("5971", file);
        for n in ["3", "4", "5", "6", "7"] {
            assert_eq!(
                numbered(&e, n)
                    .into_iter()
                    .filter(|(_, num)| num == n)
                    .collect::<Vec<_>>(),
                [("Goal".to_string(), n.to_string())],
                "{file}"
            );
        }
        assert_eq!(kinds(&e, "17."), ["Function"], "{file}");
        assert!(numbered(&e, "17.").len() >= 7, "{file}");
        // `1. Общие положения` and `3. Состав Комиссии` name no kind: their paragraphs are not provisions.
        let composition: Vec<&str> = e
            .provisions
            .iter()
            .map(|p| p.number.split('.').next().unwrap_or_default())
            .filter(|n| matches!(*n, "1" | "2" | "8" | "9" | "10" | "11" | "12" | "13" | "14"))
            .collect();
        assert!(composition.is_empty(), "{file}: {composition:?}");
    }
}

/// A list headed by its purpose before its kind (`12. Облфинуправление для реализации основных задач и осуществления
/// функций … имеет право`, `… негiзгi мiндеттерiн iске асыру мен функциясын жүзеге асыру үшiн … құқықтары бар:`) is
/// a list of rights, not of tasks.
#[test]
fn a_heading_that_names_tasks_as_its_purpose_heads_rights() {
    for file in ["rus.md", "kaz.md"] {
        let e = act("4115", file);
        assert_eq!(kinds(&e, "12."), ["Right"], "{file}");
        assert!(numbered(&e, "12.").len() >= 11, "{file}");
        assert_eq!(kinds(&e, "11."), ["Goal"], "{file}");
        assert_eq!(kinds(&e, "10."), ["Function"], "{file}");
    }
    // `Кеңестер өздеріне жүктелген міндеттерге … сәйкес төмендегі жұмыстарды жүзеге асырады:` are functions.
    assert_eq!(kinds(&act("7726", "kaz.md"), "7."), ["Function"]);
}

/// The head's office as the subject of a list (`19. Аким сельского округа:`, `19. Ауылдық округінің әкімі:`, `17.
/// Кеңес хатшысы … бойынша:`) heads the head's powers; `Председатель и члены … освобождаются … вследствие:` does not.
#[test]
fn the_heads_office_heading_a_list_gives_head_powers() {
    for file in ["rus.md", "kaz.md"] {
        let e = act("81565", file);
        assert_eq!(kinds(&e, "19."), ["HeadPower"], "{file}");
        assert!(numbered(&e, "19.").len() >= 6, "{file}");
        assert_eq!(kinds(&act("7726", file), "17."), ["HeadPower"], "{file}");
        assert!(numbered(&act("98030", file), "26.").is_empty(), "{file}");
    }
}

/// A body named without quotes or legal form, by the short name its first paragraph defines (`1. Комиссия по
/// развитию … при акиме области (далее - Комиссия) является …`, `1. Облыстық Баспасөз орталығы (әрі қарай Баспасөз)
/// …`): that name is the institution's.
#[test]
fn the_name_a_first_paragraph_defines_is_the_institutions() {
    for (code, file, name) in [
        (
            "5971",
            "rus.md",
            "Комиссия по развитию малого предпринимательства при акиме области",
        ),
        (
            "5971",
            "kaz.md",
            "Облыс Әкімінің жанындағы шағын кәсіпкерлікті дамыту жөніндегі комиссия",
        ),
        ("8517", "rus.md", "Областной Пресс-центр"),
        ("8517", "kaz.md", "Облыстық Баспасөз орталығы"),
    ] {
        let e = act(code, file);
        let got = e.institution.as_ref().map(|i| i.org.name.as_str());
        assert_eq!(got, Some(name), "{code}/{file}");
        assert_eq!(e.institution.as_ref().unwrap().org.legal_form, None);
    }
}

/// An akimat resolution numbered with a letter prefix (`№ а-6/300`): its number, not the registration's after it
/// (`Зарегистрировано … № 4289`).
#[test]
fn an_act_number_with_a_letter_prefix() {
    for file in ["rus.md", "kaz.md"] {
        let e = act("81565", file);
        let number = e.resolution.as_ref().and_then(|r| r.number.as_deref());
        assert_eq!(number, Some("а-6/300"), "{file}");
    }
}

/// An act whose first annex is not the regulation (a council's composition, a department's structure): the
/// regulation's title is the later heading that names one, the other annex is set aside, and the institution is
/// the one that title names — in full where the first paragraph defines it in short (`Совет по связям …` in the
/// text, `… при акиме Акмолинской области` in the title).
#[test]
fn a_regulation_after_another_annex() {
    for (code, file, title_word, name) in [
        (
            "7726",
            "rus.md",
            "ПОЛОЖЕНИЕ",
            "Совет по связям с религиозными объединениями при акиме Акмолинской области",
        ),
        (
            "7726",
            "kaz.md",
            "ЕРЕЖЕ",
            "Ақмола облысы әкімінің жанындағы діни бірлестіктермен байланыс жөніндегі Кеңес",
        ),
        (
            "11293",
            "rus.md",
            "ПОЛОЖЕНИЕ",
            "Акмолинское областное управление экономики и развития малого бизнеса",
        ),
        (
            "11293",
            "kaz.md",
            "ЕРЕЖЕСІ",
            "Ақмола облыстық экономика және шағын бизнесті дамыту басқармасы",
        ),
    ] {
        let e = act(code, file);
        let title = e.title.as_deref().unwrap_or_default();
        assert!(title.contains(title_word), "{code}/{file}: {title}");
        let got = e.institution.as_ref().map(|i| i.org.name.as_str());
        assert_eq!(got, Some(name), "{code}/{file}");
        assert!(
            e.warnings.iter().any(|w| w.contains("another annex")),
            "{code}/{file}: {:?}",
            e.warnings
        );
    }
}

/// A stamp that numbers its annex before the act (`Приложение № 1 к решению акима … № 598`, `… № 213 шешіміне №
/// 1 қосымша`): the act's number is the act's, so the text agrees with the sidecar and nothing is overruled.
#[test]
fn an_annex_number_is_not_the_acts() {
    for (code, file, number) in [("7726", "rus.md", "598"), ("5971", "rus.md", "46")] {
        let e = act(code, file);
        let got = e.resolution.as_ref().and_then(|r| r.number.as_deref());
        assert_eq!(got, Some(number), "{code}/{file}");
        assert!(
            !e.warnings
                .iter()
                .any(|w| w.contains("the text gives number")),
            "{code}/{file}: {:?}",
            e.warnings
        );
    }
}

/// A point that lists numbered items (`2. Акимам всех уровней:` / `1) …` / `2) …`) keeps them, and the points after
/// it and the signature are read (a 2002 akim's decision of the dev part's act fixtures).
#[test]
fn points_with_numbered_items() {
    let e = act_in("tests/fixtures/acts/dev/local-turkestan", "11437", "rus.md");
    let r = e.resolution.as_ref().unwrap();
    let names: Vec<&str> = r.signatories.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Б. Сапарбаев"]);
    assert!(r.controlled_by.is_some(), "{r:?}");
}

/// `1.1.` numbering under headings marked `##`: a heading `3. Права и полномочия Комиссии` whose next numbered line
/// is `3.1.` opens chapter 3 (even where a mistyped heading before it, `2.З.`, left paragraph 3 expected), so its
/// paragraphs are the commission's rights (a 1998 akim's decision of the dev part's act fixtures).
#[test]
fn a_numbered_heading_over_its_own_sub_numbers_opens_a_chapter() {
    let e = act_in("tests/fixtures/acts/dev/local-mangystau", "638", "rus.md");
    let rights: Vec<(String, String)> = numbered(&e, "3.");
    assert!(rights.len() >= 3, "{rights:?}");
    assert!(rights.iter().all(|(kind, _)| kind == "Right"), "{rights:?}");
}

/// A regulation's title marked as a heading is the heading's line alone: the sentence below it (`Настоящее положение
/// разработано на основании … "Инструкции по организации …"`) is the body, and the instruction it cites is not
/// taken for the institution (a 2003 akim's decision of the dev part's act fixtures).
#[test]
fn a_heading_title_is_not_joined_with_the_text_below() {
    let e = act_in("tests/fixtures/acts/dev/local-mangystau", "16362", "rus.md");
    let title = e.title.as_deref().unwrap_or_default();
    assert!(
        title.starts_with("ПОЛОЖЕНИЕ об областных службах"),
        "{title}"
    );
    assert!(!title.contains("Настоящее положение"), "{title}");
    let name = e.institution.as_ref().map(|i| i.org.name.as_str());
    assert!(!name.unwrap_or_default().contains("Инструкции"), "{name:?}");
}

/// A list run into its paragraph after the heading's colon, its clauses set apart by semicolons (`16. Секретарь
/// Комиссии: подготавливает …; обеспечивает …; координирует ….`), gives one provision per clause, numbered as the
/// Kazakh version numbers the same list set out line by line (`16\. Комиссияның хатшысы:` and three lines): the
/// Turkestan region's small business commission of 1999.
#[test]
fn a_list_run_into_its_paragraph_gives_a_provision_per_clause() {
    let ru = act("5971", "rus.md");
    let kk = act("5971", "kaz.md");
    let (ru16, kk16) = (numbered(&ru, "16"), numbered(&kk, "16"));
    assert_eq!(ru16.len(), 3, "{ru16:?}");
    assert_eq!(ru16, kk16);
    let texts: Vec<&str> = ru
        .provisions
        .iter()
        .filter(|p| p.number.starts_with("16."))
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "подготавливает предложения по повестке для заседания Комиссии",
            "обеспечивает и контролирует выполнение решений Комиссий",
            "координирует работу членов Комиссии и привлеченных к ее деятельности специалистов"
        ]
    );
}
