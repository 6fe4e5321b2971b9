//! A linear classifier kept as a table (`data/lexicon/competence-model.tsv`): for each competence area a bias and
//! the weights of named features, and a decision threshold on the probability (the model's, and an area's own where
//! training chose one). The table is written by
//! `akimat-kg train-competence` and read here, so that the weights can be looked at, diffed and replaced without
//! touching the code. What the features are is decided by the extractor (`extract::competences::features`); this
//! module only scores a list of them.

use super::LexiconError;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;
use std::fmt::Write as _;

/// One logistic model per area over shared sparse features.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinearModel {
    /// The areas the model decides, in table order.
    pub areas: Vec<String>,
    /// Each area's bias (the score of a text with no known feature).
    pub bias: Vec<f64>,
    /// For each feature, its weight in each area where it has one.
    pub weights: FxHashMap<String, Vec<(usize, f64)>>,
    /// An area is given when its probability reaches this.
    pub threshold: f64,
    /// Areas whose own threshold training chose instead (by leaving one region out at a time).
    pub area_thresholds: HashMap<String, f64>,
    /// The settings the model was trained with, as written in its table (`stem=6 …`), so that the features are
    /// computed as they were in training.
    pub settings: HashMap<String, String>,
}

/// The pseudo-features of the table: an area's bias, the model's threshold and training settings.
const BIAS: &str = "(bias)";
const THRESHOLD: &str = "(threshold)";
const SETTING: &str = "(setting)";

impl LinearModel {
    /// Whether the model decides nothing (no table, or an empty one): the rules alone classify then.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// The threshold of area number `a`: its own, else the model's.
    pub fn threshold_of(&self, a: usize) -> f64 {
        self.areas
            .get(a)
            .and_then(|area| self.area_thresholds.get(area))
            .copied()
            .unwrap_or(self.threshold)
    }

    /// A training setting as a number, or `default` when the table does not give it.
    pub fn setting(&self, name: &str, default: usize) -> usize {
        self.settings
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    /// Reads the table: `area`, `feature`, `weight` (tab-separated, `#` comments, a header). `(bias)` rows give an
    /// area's bias, the `*`/`(threshold)` row the threshold, an area's `(threshold)` row its own, `*`/`(setting)` rows
    /// `name=value` training settings.
    pub fn parse(table: &str, text: &str) -> Result<LinearModel, LexiconError> {
        let mut model = LinearModel {
            threshold: 0.5,
            ..LinearModel::default()
        };
        for (n, line) in crate::datafile::rows(text) {
            let bad = |message: String| LexiconError::Row {
                table: table.to_string(),
                message: format!("line {n}: {message}"),
            };
            let f: Vec<&str> = line.split('\t').collect();
            let [area, feature, value] = f[..] else {
                return Err(bad(format!(
                    "expected 3 columns (area, feature, weight), found {}",
                    f.len()
                )));
            };
            if area == "*" && feature == SETTING {
                let (k, v) = value.split_once('=').ok_or_else(|| {
                    bad(format!("a setting is written name=value, not {value:?}"))
                })?;
                model.settings.insert(k.to_string(), v.to_string());
                continue;
            }
            let weight: f64 = value
                .parse()
                .ok()
                .filter(|w: &f64| w.is_finite())
                .ok_or_else(|| bad(format!("weight {value:?} is not a number")))?;
            if feature == THRESHOLD && !(0.0..=1.0).contains(&weight) {
                return Err(bad(format!("threshold {weight} is not a probability")));
            }
            if area == "*" {
                if feature != THRESHOLD {
                    return Err(bad(format!("unknown model setting {feature:?}")));
                }
                model.threshold = weight;
                continue;
            }
            if feature == THRESHOLD {
                model.area_thresholds.insert(area.to_string(), weight);
                continue;
            }
            let a = match model.areas.iter().position(|x| x == area) {
                Some(a) => a,
                None => {
                    model.areas.push(area.to_string());
                    model.bias.push(0.0);
                    model.areas.len() - 1
                }
            };
            if feature == BIAS {
                model.bias[a] = weight;
            } else {
                model
                    .weights
                    .entry(feature.to_string())
                    .or_default()
                    .push((a, weight));
            }
        }
        if let Some(area) = model
            .area_thresholds
            .keys()
            .find(|a| !model.areas.contains(a))
        {
            return Err(LexiconError::Row {
                table: table.to_string(),
                message: format!("a threshold for {area:?}, an area with no bias or weights"),
            });
        }
        Ok(model)
    }

    /// The table, as [`LinearModel::parse`] reads it, under a comment `header`.
    pub fn to_table(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            let _ = writeln!(out, "# {line}");
        }
        out.push_str("area\tfeature\tweight\n");
        let _ = writeln!(out, "*\t{THRESHOLD}\t{:.4}", self.threshold);
        let mut settings: Vec<_> = self.settings.iter().collect();
        settings.sort();
        for (k, v) in settings {
            let _ = writeln!(out, "*\t{SETTING}\t{k}={v}");
        }
        let mut features: Vec<&String> = self.weights.keys().collect();
        features.sort();
        for (a, area) in self.areas.iter().enumerate() {
            let _ = writeln!(out, "{area}\t{BIAS}\t{:.4}", self.bias[a]);
            if let Some(t) = self.area_thresholds.get(area) {
                let _ = writeln!(out, "{area}\t{THRESHOLD}\t{t:.4}");
            }
            for f in &features {
                for (_, w) in self.weights[*f].iter().filter(|(x, _)| *x == a) {
                    let _ = writeln!(out, "{area}\t{f}\t{w:.4}");
                }
            }
        }
        out
    }

    /// Each area's probability for a text with these features (a feature given twice counts once).
    pub fn probabilities(&self, features: &[String]) -> Vec<f64> {
        let mut scores = self.bias.clone();
        // Features the model knows are told apart by their row (one hash of the text per feature, and most
        // features of a text are not in the model at all).
        let mut seen: FxHashSet<*const Vec<(usize, f64)>> = FxHashSet::default();
        for f in features {
            let Some(row) = self.weights.get(f.as_str()) else {
                continue;
            };
            if !seen.insert(row as *const _) {
                continue;
            }
            for (a, w) in row {
                scores[*a] += w;
            }
        }
        scores.into_iter().map(sigmoid).collect()
    }

    /// The features that weigh most for an area on a text, strongest first, with their weights.
    pub fn strongest(&self, features: &[String], area: usize, n: usize) -> Vec<(String, f64)> {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<(String, f64)> = features
            .iter()
            .filter(|f| seen.insert(*f))
            .filter_map(|f| {
                let w = self.weights.get(f)?.iter().find(|(a, _)| *a == area)?.1;
                Some((f.clone(), w))
            })
            .filter(|(_, w)| *w > 0.0)
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.truncate(n);
        out
    }
}

/// The logistic function.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_as_it_was_written() {
        let mut m = LinearModel {
            areas: vec!["finance-budget".into(), "religion".into()],
            bias: vec![-2.0, -3.0],
            threshold: 0.4,
            ..LinearModel::default()
        };
        m.weights
            .insert("w:бюджет".into(), vec![(0, 3.5), (1, -0.25)]);
        m.settings.insert("stem".into(), "6".into());
        m.area_thresholds.insert("religion".into(), 0.55);
        let back = LinearModel::parse("t", &m.to_table("trained today")).unwrap();
        assert_eq!(back, m);
        assert_eq!((back.threshold_of(0), back.threshold_of(1)), (0.4, 0.55));
        let p = back.probabilities(&["w:бюджет".into(), "w:бюджет".into()]);
        assert!((p[0] - sigmoid(1.5)).abs() < 1e-9, "{p:?}");
        assert_eq!(
            back.strongest(&["w:бюджет".into()], 0, 3),
            [("w:бюджет".to_string(), 3.5)]
        );
        assert!(back.strongest(&["w:бюджет".into()], 1, 3).is_empty());
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let e = LinearModel::parse("m.tsv", "area\tfeature\tweight\nx\tw:a\tmany\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.tsv: line 2: weight \"many\" is not a number"
        );
        let e =
            LinearModel::parse("m.tsv", "area\tfeature\tweight\n*\t(threshold)\t2\n").unwrap_err();
        assert!(e.to_string().contains("line 2: threshold 2"), "{e}");
        let e = LinearModel::parse(
            "m.tsv",
            "area\tfeature\tweight\nx\t(bias)\t-1\ny\t(threshold)\t0.5\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.tsv: a threshold for \"y\", an area with no bias or weights"
        );
    }
}
