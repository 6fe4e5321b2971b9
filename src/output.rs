//! How commands write what the library answers: CSV, aligned tables, JSON and readable reports, in one place so
//! that every command writes the same kind of answer the same way. Commands choose; this module writes.

use crate::competence::{Comparison, Gap, Matrix, Side};
use serde::Serialize;
use std::io::Write;

/// A value as pretty JSON with a final newline.
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// The competence map as CSV: one row per unit, area and body.
pub fn map_csv(m: &Matrix) -> std::io::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "unit",
        "unit_name",
        "region",
        "area",
        "area_name",
        "institution",
        "name",
        "provisions",
        "weight",
    ])?;
    for u in &m.units {
        for a in &m.areas {
            for h in m.cell(&u.unit, &a.slug) {
                w.write_record([
                    u.unit.as_str(),
                    &u.name,
                    u.region.as_deref().unwrap_or(""),
                    &a.slug,
                    &a.label,
                    &h.institution,
                    &h.name,
                    &h.provisions.to_string(),
                    &h.weight.to_string(),
                ])?;
            }
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    String::from_utf8(bytes).map_err(std::io::Error::other)
}

/// The competence gaps as CSV.
pub fn gaps_csv(out: &mut dyn Write, gaps: &[Gap]) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["level", "area", "unit"])?;
    for g in gaps {
        w.write_record([&g.level, &g.area, &g.unit])?;
    }
    w.flush()
}

/// The competence gaps as an aligned table with their count.
pub fn gaps_table(out: &mut dyn Write, gaps: &[Gap]) -> std::io::Result<()> {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(["level", "area", "unit without it"]);
    for g in gaps {
        table.add_row([&g.level, &g.area, &g.unit]);
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{} gaps", gaps.len())
}

/// The readable report of `compare`.
pub fn comparison_text(out: &mut dyn Write, c: &Comparison) -> std::io::Result<()> {
    writeln!(out, "A: {}\nB: {}", c.a, c.b)?;
    let list = |out: &mut dyn Write, title: &str, items: Vec<String>| -> std::io::Result<()> {
        writeln!(out, "\n{title} ({}):", items.len())?;
        for i in items {
            writeln!(out, "  {i}")?;
        }
        Ok(())
    };
    let side = |s: &Option<Side>| {
        s.as_ref()
            .map(|s| format!("{} provisions, weight {}", s.provisions, s.weight))
            .unwrap_or_default()
    };
    list(
        out,
        "shared areas",
        c.shared()
            .map(|x| format!("{:<34} A: {:<28} B: {}", x.area, side(&x.a), side(&x.b)))
            .collect(),
    )?;
    list(
        out,
        "only A",
        c.only_a()
            .map(|x| format!("{:<34} {}", x.area, side(&x.a)))
            .collect(),
    )?;
    list(
        out,
        "only B",
        c.only_b()
            .map(|x| format!("{:<34} {}", x.area, side(&x.b)))
            .collect(),
    )?;
    writeln!(
        out,
        "\nmost similar provisions of the shared areas (texts in {}):",
        c.lang
    )?;
    for x in c.shared() {
        writeln!(out, "  {}:", x.area)?;
        for p in x.pairs.iter().take(3) {
            let cut = |t: &str| t.chars().take(100).collect::<String>();
            writeln!(out, "    {:.2}  A {} {}", p.similarity, p.a.0, cut(&p.a.1))?;
            writeln!(out, "          B {} {}", p.b.0, cut(&p.b.1))?;
        }
    }
    Ok(())
}
