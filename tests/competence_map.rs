//! The competence map: `map`, `compare` and `gaps` on the shipped data, agreeing with the queries in `queries/`,
//! and the heat map as a browser shows it.

mod common;
use akimat_kg::competence::{self, Matrix};
use akimat_kg::lexicon::Lexicon;
use common::*;
use std::path::Path;
use std::process::Command;

const AKSU: &str = "org/pavlodar/aksu-city/internal-policy-department";
const AKTOGAY: &str = "org/karaganda/aktogai-district/akim-apparatus";

/// The shipped regulations ingested into a store on disk, for the command line.
fn store_on_disk() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = kg(
        dir.path(),
        &["ingest", "--quiet", regulations().to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

fn kg(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_akimat-kg"))
        .arg("--store")
        .arg(dir.join("store"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn the_matrix_holds_the_known_competences() {
    let m = competence::matrix(shipped().inner(), "kk").unwrap();
    let holds = |unit: &str, area: &str, body: &str| {
        m.cell(&iri(unit), area)
            .iter()
            .any(|h| h.institution == iri(body))
    };
    assert!(holds("unit/pavlodar/aksu-city", "religion", AKSU));
    assert!(holds("unit/pavlodar/aksu-city", "youth-policy", AKSU));
    assert!(holds(
        "unit/karaganda/aktogai-district",
        "anti-terrorism-extremism",
        AKTOGAY
    ));
    assert!(holds(
        "unit/karaganda/aktogai-district",
        "records-management",
        AKTOGAY
    ));
    // Six provisions of the Aksu department are about religion; no Aktogay provision is.
    let religion = m.cell(&iri("unit/pavlodar/aksu-city"), "religion");
    assert_eq!((religion[0].provisions, religion.len()), (6, 1));
    assert!(m
        .cell(&iri("unit/karaganda/aktogai-district"), "religion")
        .is_empty());
    // Areas carry their Kazakh names from the scheme.
    let rel = m.areas.iter().find(|a| a.slug == "religion").unwrap();
    assert_eq!((rel.label.as_str(), rel.cofog.as_str()), ("Дін", "08"));
}

#[test]
fn map_command_and_matrix_query_agree() {
    let dir = store_on_disk();
    let json = stdout(&kg(dir.path(), &["map", "--format", "json"]));
    let from_command: Matrix = {
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        // Rebuild the cells as (unit, area, institution, provisions) from the JSON.
        let mut cells = Vec::new();
        for (unit, areas) in v["cells"].as_object().unwrap() {
            for (area, holders) in areas.as_object().unwrap() {
                for h in holders.as_array().unwrap() {
                    cells.push((
                        unit.clone(),
                        area.clone(),
                        h["institution"].as_str().unwrap().to_string(),
                        h["provisions"].as_u64().unwrap(),
                    ));
                }
            }
        }
        cells.sort();
        let m = competence::matrix(shipped().inner(), "kk").unwrap();
        let mut direct = Vec::new();
        for (unit, areas) in &m.cells {
            for (area, holders) in areas {
                for h in holders {
                    direct.push((
                        unit.clone(),
                        area.clone(),
                        h.institution.clone(),
                        h.provisions,
                    ));
                }
            }
        }
        direct.sort();
        assert_eq!(cells, direct);
        m
    };
    // And the query file itself, run as an analyst would, gives the same rows.
    let rows = rows(
        shipped(),
        &std::fs::read_to_string(root().join("queries/competence-matrix.rq")).unwrap(),
    );
    let mut from_query: Vec<(String, String, String, u64)> = rows
        .iter()
        .map(|r| {
            (
                r[0].clone(),
                r[3].rsplit('/').next().unwrap().to_string(),
                r[4].clone(),
                r[6].parse().unwrap(),
            )
        })
        .collect();
    from_query.sort();
    let mut from_matrix = Vec::new();
    for (unit, areas) in &from_command.cells {
        for (area, holders) in areas {
            for h in holders {
                from_matrix.push((
                    unit.clone(),
                    area.clone(),
                    h.institution.clone(),
                    h.provisions,
                ));
            }
        }
    }
    from_matrix.sort();
    assert_eq!(from_query, from_matrix);
    // CSV: one row per cell and body.
    let csv = stdout(&kg(dir.path(), &["map", "--format", "csv"]));
    assert_eq!(csv.lines().count(), from_matrix.len() + 1);
}

#[test]
fn gaps_command_and_query_agree_and_name_the_districts_without_an_area() {
    let dir = store_on_disk();
    let json = stdout(&kg(
        dir.path(),
        &["gaps", "--level", "district", "--format", "json"],
    ));
    let from_command: Vec<(String, String)> = serde_json::from_str::<serde_json::Value>(&json)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["area"].as_str().unwrap().to_string(),
                g["unit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let q = std::fs::read_to_string(root().join("queries/competence-gaps.rq")).unwrap();
    let mut from_query: Vec<(String, String)> = rows(shipped(), &q)
        .into_iter()
        .filter(|r| r[0].ends_with("#District"))
        .map(|r| (r[1].rsplit('/').next().unwrap().to_string(), r[2].clone()))
        .collect();
    from_query.sort();
    let mut sorted = from_command.clone();
    sorted.sort();
    assert_eq!(sorted, from_query);
    // Aktogay's akim apparatus is the only district body with an anti-terrorism function: the maslikhat
    // apparatuses of the other six districts lack one.
    let anti_terror: Vec<&str> = from_command
        .iter()
        .filter(|(a, _)| a == "anti-terrorism-extremism")
        .map(|(_, u)| u.as_str())
        .collect();
    assert_eq!(anti_terror.len(), 6, "{anti_terror:?}");
    assert!(!anti_terror.contains(&iri("unit/karaganda/aktogai-district").as_str()));
    assert!(anti_terror.contains(&iri("unit/aktobe/alga-district").as_str()));
    // Unknown levels are refused with the known ones listed.
    let bad = kg(dir.path(), &["gaps", "--level", "galaxy"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown level \"galaxy\": use one of"));
}

#[test]
fn compare_command_and_query_agree_and_pair_similar_provisions() {
    let lex = Lexicon::get();
    let c = competence::compare(shipped().inner(), &iri(AKSU), &iri(AKTOGAY), lex).unwrap();
    // The query file compares the same two bodies.
    let q = std::fs::read_to_string(root().join("queries/competence-compare.rq")).unwrap();
    let rows = rows(shipped(), &q);
    assert_eq!(rows.len(), c.areas.len());
    for (r, a) in rows.iter().zip(&c.areas) {
        assert!(r[0].ends_with(&format!("/{}", a.area)));
        assert_eq!(r[1], a.a.as_ref().map_or(0, |s| s.provisions).to_string());
        assert_eq!(r[3], a.b.as_ref().map_or(0, |s| s.provisions).to_string());
    }
    let only_a: Vec<&str> = c.only_a().map(|x| x.area.as_str()).collect();
    assert!(
        only_a.contains(&"religion") && only_a.contains(&"youth-policy"),
        "{only_a:?}"
    );
    let only_b: Vec<&str> = c.only_b().map(|x| x.area.as_str()).collect();
    assert!(only_b.contains(&"project-management"), "{only_b:?}");
    // Both fight corruption; their closest provisions are paired.
    let corruption = c.shared().find(|x| x.area == "anti-corruption").unwrap();
    let best = &corruption.pairs[0];
    assert_eq!((best.a.0.as_str(), best.b.0.as_str()), ("21.9", "17.18"));
    assert!(best.similarity >= 0.5, "{best:?}");
    // The command finds the bodies by name and says the same.
    let dir = store_on_disk();
    let text = stdout(&kg(
        dir.path(),
        &[
            "compare",
            "Ақсу қаласының ішкі саясат бөлімі",
            "Ақтоғай ауданы әкімінің аппараты",
        ],
    ));
    assert!(
        text.contains("only A (8):") && text.contains("religion"),
        "{text}"
    );
    let bad = kg(dir.path(), &["compare", "аппараты", "Ақсу"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("names"),
        "ambiguous name is refused"
    );
}

/// Headless Chromium from Debian's packages (`.ci/run` installs it); `CHROMIUM` names another binary.
fn chromium() -> String {
    let bin = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&bin).exists(),
        "{bin} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM"
    );
    bin
}

fn headless(profile: &Path) -> Command {
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1600,1000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn the_heat_map_renders_in_headless_chromium() {
    let dir = store_on_disk();
    let page = dir.path().join("map.html");
    let o = kg(
        dir.path(),
        &["map", "--format", "html", "-o", page.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let url = format!("file://{}", page.display());
    // The DOM after the page's script ran: the script marks the body ready, and the Aksu × religion cell holds
    // the department's six provisions.
    let profile = tempfile::tempdir().unwrap();
    let dom = headless(profile.path())
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("data-ready=\"yes\""),
        "the page's script did not run"
    );
    let row_start = dom
        .find(&format!(
            "<tr data-unit=\"{}\"",
            iri("unit/pavlodar/aksu-city")
        ))
        .expect("Aksu row");
    let row = &dom[row_start..row_start + dom[row_start..].find("</tr>").unwrap()];
    let cell_start = row.find("data-area=\"religion\"").expect("religion cell");
    let cell = &row[cell_start..row[cell_start..].find("</td>").unwrap() + cell_start];
    assert!(cell.contains("data-provisions=\"6\""), "{cell}");
    assert!(cell.contains(&iri(AKSU)), "{cell}");
    // A screenshot of it.
    let shot = dir.path().join("map.png");
    let profile = tempfile::tempdir().unwrap();
    let o = headless(profile.path())
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // 1600 × 1000 pixels, as asked.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1600, 1000));
    assert!(
        png.len() > 20_000,
        "a blank page compresses smaller: {} bytes",
        png.len()
    );
}
