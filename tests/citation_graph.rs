//! The legal-act layer of the graph: one node per act however it is cited, never one node for two acts, and no
//! word naming an act type silently dropped.

mod common;
use akimat_kg::extract::citations::{find_citations, Context, Resolved, Segment};
use akimat_kg::lexicon::{words, Lang, Lexicon};
use akimat_kg::normalize::normalize;
use akimat_kg::pipeline::process_file;
use akimat_kg::read::discover;
use common::*;
use std::collections::BTreeSet;

#[test]
fn one_law_cited_by_title_in_kazakh_by_date_and_number_in_russian_and_with_a_pinpoint_is_one_node()
{
    let store = shipped();
    let graph = |rel: &str| graph_of(store, &regulations().join(rel));
    let law = iri("eli/law/2001/01/23/148");
    let cited = |rel: &str| {
        rows(
            store,
            &format!(
                "SELECT DISTINCT ?target ?text WHERE {{ GRAPH <{}> {{ ?r akg:citedAct <{law}> ; akg:citedResource ?target ; akg:citationText ?text }} }} ORDER BY ?target",
                graph(rel)
            ),
        )
    };
    // Aksu (Kazakh) names the Law by its title alone, with article 31 paragraph 2.
    let aksu = cited("kk-aksu-internal-policy.txt");
    assert_eq!(aksu[0][0], iri("eli/law/2001/01/23/148/art_31/par_2"));
    assert!(
        !aksu[0][1].contains("2001") && !aksu[0][1].contains("148"),
        "{aksu:?}"
    );
    // Pair 100818 (Russian) by date and number: `от 23 января 2001 года № 148`.
    let baiganin = cited("pairs/100818/rus.md");
    assert!(
        baiganin.iter().any(|r| r[1].contains("№ 148")),
        "{baiganin:?}"
    );
    // Excerpt 007 (Kazakh) with a pinpoint on two articles.
    let excerpt = cited("excerpts/007_kk.txt");
    let targets: BTreeSet<&str> = excerpt.iter().map(|r| r[0].as_str()).collect();
    assert!(
        targets.contains(iri("eli/law/2001/01/23/148/art_6").as_str()),
        "{excerpt:?}"
    );
    assert!(
        targets.contains(iri("eli/law/2001/01/23/148/art_25").as_str()),
        "{excerpt:?}"
    );
    // All reach the one node, which carries the Law's date, number and titles in both languages.
    assert_eq!(
        value(
            store,
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ <{law}> eli:date_document ?d ; eli:id_local \"148\" }}")
        ),
        "1"
    );
    let titles = rows(
        store,
        &format!("SELECT (lang(?t) AS ?l) WHERE {{ <{law}> eli:title ?t }} ORDER BY ?l"),
    );
    assert_eq!(titles, [vec!["kk".to_string()], vec!["ru".to_string()]]);
    assert_eq!(
        rows(
            store,
            "SELECT ?law WHERE { ?law eli:type_document akg:Law ; eli:id_local \"148\" }"
        )
        .len(),
        1
    );
}

fn cite(text: &str, lang: Lang) -> Vec<akimat_kg::extract::citations::Citation> {
    let lex = Lexicon::get();
    let norm = normalize(text);
    let seg = Segment {
        norm: &norm,
        start: 0,
        end: norm.text.len(),
    };
    let ctx = Context {
        lex,
        lang,
        region: None,
        own_body: None,
        date: None,
    };
    find_citations(&seg, &ctx).citations
}

#[test]
fn acts_with_the_same_number_on_other_dates_or_from_other_issuers_stay_apart() {
    let c = cite(
        "в соответствии с решением Алгинского районного маслихата Актюбинской области от 12 февраля 2016 года № 5; \
         решением Алгинского районного маслихата Актюбинской области от 1 марта 2017 года № 5; \
         решением Мугалжарского районного маслихата Актюбинской области от 12 февраля 2016 года № 5; \
         постановлением акимата Актюбинской области от 12 февраля 2016 года № 5; \
         Законом Республики Казахстан от 1 марта 2011 года № 413-IV; \
         Законом Республики Казахстан от 1 марта 2011 года № 414-IV; \
         Законом Республики Казахстан «О противодействии терроризму»; \
         Законом Республики Казахстан «О противодействии экстремизму».",
        Lang::Ru,
    );
    let nodes: Vec<String> = c
        .iter()
        .map(|c| base().act(&c.act, Lexicon::get()))
        .collect();
    assert_eq!(
        nodes,
        [
            iri("eli/aktobe/alga-district/maslikhat/2016/02/12/5"),
            iri("eli/aktobe/alga-district/maslikhat/2017/03/01/5"),
            iri("eli/aktobe/mugalzhar-district/maslikhat/2016/02/12/5"),
            iri("eli/aktobe/akimat/2016/02/12/5"),
            iri("eli/law/2011/03/01/413-iv"),
            iri("eli/law/2011/03/01/414-iv"),
            // Titles alone, resolved through data/reference/acts.tsv to the acts' dates and numbers.
            iri("eli/law/1999/07/13/416"),
            iri("eli/law/2005/02/18/31"),
        ]
    );
    // A number that the reference table gives another act of the same date does not merge into it.
    assert_eq!(c[5].act.reference, None);
    assert_eq!(c[5].act.resolved(), Resolved::DateAndNumber);
}

#[test]
fn every_word_naming_an_act_type_is_a_citation_or_set_aside_with_its_reason() {
    let lex = Lexicon::get();
    let (files, _) = discover(&[regulations()]);
    let (mut words_seen, mut citations, mut unresolved) = (0, 0, 0);
    for f in files {
        let p = process_file(&f, lex).unwrap_or_else(|e| panic!("{e}"));
        let lang = p.extraction.lang;
        // Count the words of the normalised text that an act-type pattern of the language names.
        let lower = akimat_kg::lexicon::lower_same_len(&p.norm.text);
        let named = words(&p.norm.text)
            .iter()
            .filter(|(s, _, _)| {
                lex.act_types
                    .iter()
                    .any(|t| t.lang == lang && t.regex.is_match(&lower[*s..]))
            })
            .count();
        let anchors: BTreeSet<usize> = p
            .extraction
            .citations
            .iter()
            .map(|c| c.citation.anchor)
            .collect();
        assert_eq!(
            anchors.len() + p.extraction.not_cited.len(),
            named,
            "{}: {} citation words and {} set aside, but {named} words name act types",
            f.display(),
            anchors.len(),
            p.extraction.not_cited.len()
        );
        words_seen += named;
        citations += p.extraction.citations.len();
        unresolved += p
            .extraction
            .citations
            .iter()
            .filter(|c| c.citation.act.resolved() == Resolved::Unresolved)
            .count();
    }
    assert!(words_seen > 250, "{words_seen}");
    // Every citation either resolves or is listed as unresolved: the store's records say the same.
    let store = shipped();
    let records = value(
        store,
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a akg:Citation }",
    );
    let with_status = value(
        store,
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a akg:Citation ; akg:resolution ?s }",
    );
    assert_eq!(records, with_status);
    let listed = rows(store, include_str!("../queries/unresolved-citations.rq")).len();
    assert_eq!(listed, unresolved);
    assert!(citations > 110, "{citations}");
}

#[test]
fn a_title_missing_from_the_reference_table_is_kept_as_its_own_node_and_listed() {
    let c = cite(
        "Қазақстан Республикасының «Жергілікті өзін-өзі басқарудың жаңа түрлері туралы» Заңына сәйкес",
        Lang::Kk,
    );
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].act.resolved(), Resolved::Unresolved);
    assert_eq!(
        base().act(&c[0].act, Lexicon::get()),
        iri("eli/unresolved/law/zhergilikti-ozin-ozi-baskarudyn-zhana-turleri-turaly")
    );
}
