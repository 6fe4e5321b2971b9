//! The extraction report is a stable interface: the reports of the two full Kazakh regulations are kept in
//! tests/golden/ and compared field by field. After a deliberate change, refresh them with
//! `AKIMAT_KG_BLESS=1 cargo test --test golden` and review the diff.

mod common;
use akimat_kg::lexicon::Lexicon;
use akimat_kg::pipeline::process_file;
use common::*;
use serde_json::Value;

fn compare(path: &str, expected: &Value, actual: &Value, diffs: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => compare(&format!("{path}.{k}"), ev, av, diffs),
                    None => diffs.push(format!("{path}.{k}: missing")),
                }
            }
            for k in a.keys().filter(|k| !e.contains_key(*k)) {
                diffs.push(format!("{path}.{k}: new field"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                diffs.push(format!("{path}: {} items, expected {}", a.len(), e.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), ev, av, diffs);
            }
        }
        (e, a) if e != a => diffs.push(format!("{path}: {a} (expected {e})")),
        _ => {}
    }
}

fn check(doc_name: &str, golden: &str) {
    let p = process_file(&doc(doc_name), Lexicon::get()).unwrap();
    let actual = serde_json::to_value(&p.extraction).unwrap();
    let path = root().join("tests/golden").join(golden);
    if std::env::var_os("AKIMAT_KG_BLESS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
        return;
    }
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut diffs = Vec::new();
    compare("$", &expected, &actual, &mut diffs);
    assert!(
        diffs.is_empty(),
        "{} differs from {golden}:\n{}",
        doc_name,
        diffs.join("\n")
    );
}

#[test]
fn aktogay_report_matches_golden() {
    check(
        "kk-aktogay-akim-apparatus.txt",
        "kk-aktogay-akim-apparatus.json",
    );
}

#[test]
fn aksu_report_matches_golden() {
    check(
        "kk-aksu-internal-policy.txt",
        "kk-aksu-internal-policy.json",
    );
}
