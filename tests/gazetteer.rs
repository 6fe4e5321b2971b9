//! The national gazetteer (`data/reference/gazetteer.tsv`) and the language-neutral key of unit names: the table
//! agrees with the counts its sources state, its names are unique where they must be, units it lacks still meet
//! across languages through the key, and same-named units of different parents stay apart.

mod common;
use akimat_kg::extract::units::{find_units, Identity};
use akimat_kg::gazetteer::Period;
use akimat_kg::lexicon::{Lang, Lexicon};
use akimat_kg::pipeline::{process_bytes, SidecarFile};
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn lex() -> &'static Lexicon {
    Lexicon::get()
}

/// Whether two periods overlap in time.
fn overlap(a: &Period, b: &Period) -> bool {
    let starts_before_end = |x: &Period, y: &Period| match (&x.from, &y.to) {
        (Some(f), Some(t)) => f <= t,
        _ => true,
    };
    starts_before_end(a, b) && starts_before_end(b, a)
}

#[test]
fn counts_per_region_are_those_the_sources_state() {
    let text = std::fs::read_to_string(root().join("data/reference/gazetteer-counts.tsv")).unwrap();
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (region, as_of) = (f[0], Some(f[1]));
        let (districts, cities): (usize, usize) = (f[2].parse().unwrap(), f[3].parse().unwrap());
        let count = |unit_type: &str| {
            let mut ids: Vec<&str> = lex()
                .gazetteer
                .periods
                .iter()
                .filter(|p| p.unit_type == unit_type && p.parent.as_deref() == Some(region))
                .filter(|p| p.covers(as_of))
                .map(|p| p.id.as_str())
                .collect();
            ids.dedup();
            ids.len()
        };
        assert_eq!(
            (count("District"), count("CityOfRegionalSignificance")),
            (districts, cities),
            "{region} on {}: districts and cities of regional significance, as {}",
            f[1],
            f[4]
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked} stated counts");
    // Every region, city of republican significance and today's district is there.
    let current = |t: &str| {
        lex()
            .gazetteer
            .ids()
            .into_iter()
            .filter(|id| {
                lex()
                    .gazetteer
                    .current(id)
                    .is_some_and(|p| p.unit_type == t && p.to.is_none())
            })
            .count()
    };
    assert_eq!(current("Region"), 17);
    assert_eq!(current("CityOfRepublicanSignificance"), 3);
    assert!(current("District") >= 165, "{}", current("District"));
}

#[test]
fn names_are_unique_within_their_parent_and_every_row_names_its_source() {
    let g = &lex().gazetteer;
    let mut by_parent: BTreeMap<Option<&str>, Vec<&Period>> = BTreeMap::new();
    for p in &g.periods {
        assert!(!p.source.trim().is_empty(), "{}: no source", p.id);
        by_parent.entry(p.parent.as_deref()).or_default().push(p);
    }
    let mut pairs = 0;
    for siblings in by_parent.values() {
        for (i, a) in siblings.iter().enumerate() {
            for b in &siblings[i + 1..] {
                if a.id == b.id || !overlap(a, b) {
                    continue;
                }
                pairs += 1;
                // Within one parent and one type family, a name in either language names one unit.
                if akimat_kg::gazetteer::family(&a.unit_type)
                    != akimat_kg::gazetteer::family(&b.unit_type)
                {
                    continue;
                }
                assert!(
                    (a.kk.as_str(), a.ru.as_str()) != (b.kk.as_str(), b.ru.as_str()),
                    "{} and {} share their names",
                    a.id,
                    b.id
                );
                assert_ne!(a.kk, b.kk, "{} and {}", a.id, b.id);
                assert_ne!(a.ru, b.ru, "{} and {}", a.id, b.id);
            }
        }
    }
    assert!(pairs > 1000, "{pairs} pairs compared");
    // The key tells every two units of one parent apart too.
    assert_eq!(g.key_collisions(), Vec::<(String, String, String)>::new());
}

/// A real regulation (the Алға maslikhat apparatus, pairs/100709) made to name another district: its Kazakh and
/// Russian texts, with the district's and region's names in the forms the texts use.
fn regulation_naming(district: &Period, region: &Period) -> (String, String) {
    let dir = regulations().join("pairs/100709");
    let kk_proper = lex().proper_name(&district.kk, Lang::Kk);
    let kk = std::fs::read_to_string(dir.join("kaz.md"))
        .unwrap()
        .replace("Ақтөбе облысы", &region.kk)
        .replace("Алға", &kk_proper);
    let ru = std::fs::read_to_string(dir.join("rus.md"))
        .unwrap()
        .replace(
            "Алгинского районного маслихата",
            &format!("маслихата {}", district.ru_genitive),
        )
        .replace(
            "Алгинский районный маслихат",
            &format!("маслихат {}", district.ru_genitive),
        )
        .replace(
            "Алгинское районное управление",
            &format!("управление {}", district.ru_genitive),
        )
        .replace("Алгинский район", &district.ru)
        .replace("Актюбинской области", &region.ru_genitive)
        .replace("Актюбинская область", &region.ru)
        .replace("Алға", &kk_proper);
    (kk, ru)
}

/// The unit path and institution IRI a text gives, read with `lex`.
fn read(text: &str, name: &str, lex: &Lexicon) -> (String, Identity, String) {
    let p = process_bytes(
        Path::new(name),
        text.as_bytes(),
        lex,
        SidecarFile::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let Some(i) = p.extraction.institution else {
        return ("(no institution)".into(), Identity::Open, String::new());
    };
    let Some(unit) = i.unit else {
        return ("(no unit)".into(), Identity::Open, i.org.name);
    };
    (
        unit.path(),
        unit.identity,
        base().org(Some(&unit), &i.org.kind_slug),
    )
}

/// Districts whose two names no key joins, so that they meet only through the gazetteer: the Kazakh and the
/// Russian name are different words or forms (Ертіс / Иртышский, Жаңақала / Жангалинский, Сарқан / Саркандский,
/// Бөкей ордасы / Бокейординский, Т. Рысқұлов / Турар Рыскуловский), or the Russian text names the district after its
/// unit word with a lowercase word in the name (`района Биржан сал`, `района Шал акына`), which is read as a name
/// only when the gazetteer knows it.
const DIFFERENT_WORDS: &[&str] = &[
    "akmola/birzhan-sal-district",
    "north-kazakhstan/shal-akyn-district",
    "pavlodar/ertis-district",
    "west-kazakhstan/bokei-ordasy-district",
    "west-kazakhstan/zhanakala-district",
    "zhambyl/t-ryskulov-district",
    "zhetysu/sarkan-district",
];

#[test]
fn each_district_left_out_of_the_gazetteer_still_meets_across_languages_through_the_key() {
    // A copy of data/ whose gazetteer lacks one district at a time.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for sub in ["lexicon", "reference", "encodings", "serve"] {
        let from = root().join("data").join(sub);
        if !from.exists() {
            continue;
        }
        std::fs::create_dir_all(data.join(sub)).unwrap();
        for e in std::fs::read_dir(&from).unwrap() {
            let e = e.unwrap();
            if e.path().is_file() {
                std::fs::copy(e.path(), data.join(sub).join(e.file_name())).unwrap();
            }
        }
    }
    let table = std::fs::read_to_string(root().join("data/reference/gazetteer.tsv")).unwrap();
    let g = &lex().gazetteer;
    let districts: Vec<&Period> = g
        .ids()
        .into_iter()
        .filter_map(|id| g.current(id))
        .filter(|p| p.unit_type == "District" && p.to.is_none())
        .collect();
    assert!(districts.len() >= 165, "{}", districts.len());
    let mut met = 0;
    let mut apart = Vec::new();
    for d in &districts {
        let region_id = g
            .ancestors(&d.id, d.from.as_deref())
            .last()
            .unwrap_or_else(|| panic!("{} has no region", d.id))
            .to_string();
        let region = g.current(&region_id).unwrap();
        // The table without the district's rows and the units inside it.
        let inside = format!("{}/", d.id);
        let without: String = table
            .lines()
            .filter(|l| {
                let mut cols = l.split('\t');
                let (id, _, parent) = (cols.next(), cols.next(), cols.next().unwrap_or(""));
                let id = id.unwrap_or("");
                id != d.id && !id.starts_with(&inside) && parent != d.id
            })
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(data.join("reference/gazetteer.tsv"), without).unwrap();
        let reduced = Lexicon::from_dir(&data).unwrap();
        assert!(reduced.gazetteer.current(&d.id).is_none());
        let (kk, ru) = regulation_naming(d, region);
        let (kk_unit, kk_how, kk_org) = read(&kk, "kaz.md", &reduced);
        let (ru_unit, ru_how, ru_org) = read(&ru, "rus.md", &reduced);
        let both_key = kk_how == Identity::Key && ru_how == Identity::Key;
        if kk_org == ru_org && both_key && kk_unit.starts_with(&format!("{region_id}/")) {
            met += 1;
        } else {
            apart.push(format!(
                "{}: {kk_unit} {kk_how:?} {kk_org} / {ru_unit} {ru_how:?} {ru_org}",
                d.id
            ));
        }
        // With the whole gazetteer, every district meets: it is the gazetteer's own.
        let (full_kk, _, full_kk_org) = read(&kk, "kaz.md", lex());
        let (_, _, full_ru_org) = read(&ru, "rus.md", lex());
        assert_eq!(full_kk, d.id, "{}", d.id);
        assert_eq!(full_kk_org, full_ru_org, "{}", d.id);
    }
    let listed: Vec<&str> = apart.iter().map(|a| a.split(':').next().unwrap()).collect();
    // Every district meets but those whose two names are different words; and each of those truly stays apart,
    // so the list cannot hide a district the key joins.
    assert_eq!(listed, DIFFERENT_WORDS, "{apart:#?}");
    println!(
        "{met} of {} districts meet through the key alone",
        districts.len()
    );
    assert!(
        met * 100 >= districts.len() * 90,
        "{met} of {}",
        districts.len()
    );
}

#[test]
fn same_named_units_of_different_parents_stay_apart() {
    let path_of = |text: &str, lang: Lang, proper: &str| -> String {
        find_units(text, lex(), lang)
            .into_iter()
            .find(|m| m.unit.proper.starts_with(proper))
            .map(|m| m.unit.path())
            .unwrap_or_else(|| panic!("{proper} in {text}"))
    };
    for (a, b, lang, proper, pa, pb) in [
        (
            "Карагандинская область, Актогайский район",
            "Павлодарская область, Актогайский район",
            Lang::Ru,
            "Актогай",
            "karaganda/aktogai-district",
            "pavlodar/aktogai-district",
        ),
        (
            "Алматы облысы, Жамбыл ауданы",
            "Солтүстік Қазақстан облысы, Жамбыл ауданы",
            Lang::Kk,
            "Жамбыл",
            "almaty-region/zhambyl-district",
            "north-kazakhstan/zhambyl-district",
        ),
        (
            "Ақмола облысы, Есіл ауданы",
            "Солтүстік Қазақстан облысы Есіл ауданы",
            Lang::Kk,
            "Есіл",
            "akmola/esil-district",
            "north-kazakhstan/esil-district",
        ),
    ] {
        assert_eq!(path_of(a, lang, proper), pa);
        assert_eq!(path_of(b, lang, proper), pb);
    }
    // Named without a region, such a name is no one unit: it stays the document's own.
    let alone = find_units("Жамбыл ауданы", lex(), Lang::Kk);
    assert!(alone[0].unit.gazetteer.is_none());
}

#[test]
fn a_2014_text_and_a_2024_text_naming_one_district_meet() {
    // Before 2018 Сайрам ауданы was in Оңтүстік Қазақстан облысы, now in Түркістан облысы: one unit. Бородулиха
    // ауданы moved from East Kazakhstan to Abai region in 2022: one unit named in either.
    for (old, new, proper) in [
        (
            "Оңтүстік Қазақстан облысы, Сайрам ауданы",
            "Түркістан облысы, Сайрам ауданы",
            "Сайрам",
        ),
        (
            "Шығыс Қазақстан облысы, Бородулиха ауданы",
            "Абай облысы, Бородулиха ауданы",
            "Бородулиха",
        ),
    ] {
        let path = |t: &str| {
            find_units(t, lex(), Lang::Kk)
                .into_iter()
                .find(|m| m.unit.proper == proper)
                .map(|m| (m.unit.path(), m.unit.identity))
        };
        assert_eq!(path(old), path(new), "{old} / {new}");
        assert_eq!(path(new).unwrap().1, Identity::Gazetteer);
    }
    // The renamed region is one node under either name.
    let region = |t: &str, lang: Lang| {
        find_units(t, lex(), lang)
            .into_iter()
            .find(|m| m.unit.is_region())
            .map(|m| m.unit.path())
    };
    assert_eq!(
        region("Южно-Казахстанской области", Lang::Ru).as_deref(),
        Some("turkistan")
    );
    assert_eq!(
        region("Нұр-Сұлтан қаласы", Lang::Kk).as_deref(),
        Some("astana")
    );
}

#[test]
fn the_unknown_units_query_lists_units_known_by_key_with_their_names() {
    // The apparatus of a rural district's akim, which the gazetteer lacks, in Kazakh and in Russian (the Алға
    // regulation made to name it): one unit inside Алға ауданы, listed with both names.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("docs");
    std::fs::create_dir_all(&dir).unwrap();
    let pair = regulations().join("pairs/100709");
    let kk = std::fs::read_to_string(pair.join("kaz.md"))
        .unwrap()
        .replace(
            "Алға аудандық мәслихатының аппараты",
            "Алға ауданы Қарабұлақ ауылдық округі әкімінің аппараты",
        );
    let ru = std::fs::read_to_string(pair.join("rus.md"))
        .unwrap()
        .replace(
            "Аппарат Алгинского районного маслихата",
            "Аппарат акима Карабулакского сельского округа Алгинского района",
        );
    std::fs::write(dir.join("kaz.md"), kk).unwrap();
    std::fs::write(dir.join("rus.md"), ru).unwrap();
    let (_s, store) = build_store(&[dir]);
    let text = std::fs::read_to_string(root().join("queries/unknown-units.rq")).unwrap();
    let r = rows(&store, &text);
    assert_eq!(r.len(), 1, "{r:?}");
    let row = &r[0];
    assert_eq!(
        row[0],
        iri("unit/aktobe/alga-district/krblk-rural-district")
    );
    assert!(row[1].ends_with("RuralDistrict"), "{row:?}");
    assert_eq!(row[2], iri("unit/aktobe/alga-district"));
    assert_eq!(row[3], "krblk");
    let mut names: Vec<&str> = row[4].split(" | ").collect();
    names.sort();
    assert_eq!(
        names,
        ["Карабулакский сельский округ", "Қарабұлақ ауылдық округі"]
    );
    assert_eq!(row[5], "2");
    // The institution of both texts is one, in that unit.
    let institutions = rows(
        &store,
        "SELECT DISTINCT ?i WHERE { ?i a akg:StateInstitution ; dct:spatial ?u . ?u akg:nameKey ?k }",
    );
    assert_eq!(
        institutions,
        [[iri(
            "org/aktobe/alga-district/krblk-rural-district/akim-apparatus"
        )]]
    );
}

/// A row whose parent the table lacks is refused with that row's line (comments and the header counted).
#[test]
fn a_parent_missing_from_the_table_is_refused_with_its_line() {
    let text = std::fs::read_to_string(root().join("data/reference/gazetteer.tsv")).unwrap();
    let (at, row) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("abai/aksuat-district\tDistrict\tabai\t"))
        .unwrap();
    let broken = text.replace(row, &row.replacen("\tabai\t", "\tno-such-region\t", 1));
    let err = akimat_kg::gazetteer::Gazetteer::parse(
        &broken,
        |full, _| full.to_string(),
        &lex().name_key,
    )
    .unwrap_err();
    assert_eq!(err.line, at + 1, "{err}");
    assert!(err.to_string().contains("no-such-region"), "{err}");
}
