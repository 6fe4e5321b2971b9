//! The competence matrix as one self-contained HTML page: a heat map of units × areas that a browser opens from
//! disk, with no request to any other host. Each cell shows how many provisions of the unit's bodies fall in the
//! area, coloured by their weight; hovering lists the bodies, clicking opens the heaviest body's page (its IRI);
//! clicking a column header sorts the units by that area (or by name). Every text from the documents is escaped.

use super::Matrix;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2733; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
p.note { color: #55606d; margin: 0 0 1rem; max-width: 70rem; }
table { border-collapse: collapse; font-size: .8rem; }
th, td { border: 1px solid #d5dbe1; padding: .25rem .35rem; }
thead th { position: sticky; top: 0; background: #f4f6f8; cursor: pointer; }
thead th.area { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; height: 22rem;
  vertical-align: bottom; text-align: left; }
th.unit small { color: #6b7580; font-weight: normal; }
th.unit { text-align: left; white-space: nowrap; background: #fafbfc; }
td { text-align: center; min-width: 1.6rem; }
td a { color: inherit; text-decoration: none; display: block; }
td.empty { color: #c0c6cc; }
th[aria-sort] { background: #e3e8ed; }
";

const SCRIPT: &str = "
(function () {
  var table = document.getElementById('map');
  var body = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  function key(row, col) {
    if (col === 0) { return row.cells[0].textContent; }
    return -parseFloat(row.cells[col].getAttribute('data-weight') || '0');
  }
  for (var i = 0; i < headers.length; i++) {
    headers[i].addEventListener('click', (function (col) {
      return function () {
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a, col), y = key(b, col);
          if (x < y) { return -1; }
          if (x > y) { return 1; }
          return a.cells[0].textContent < b.cells[0].textContent ? -1 : 1;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        for (var j = 0; j < headers.length; j++) { headers[j].removeAttribute('aria-sort'); }
        headers[col].setAttribute('aria-sort', col === 0 ? 'ascending' : 'descending');
      };
    })(i));
  }
  document.body.setAttribute('data-ready', 'yes');
})();
";

/// The heat-map page of a matrix.
pub fn render(m: &Matrix, title: &str) -> String {
    let max = m.max_weight().max(f64::MIN_POSITIVE);
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"kk\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!("<title>{}</title>\n", escape(title)));
    h.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    h.push_str(&format!("<h1>{}</h1>\n", escape(title)));
    h.push_str(&format!(
        "<p class=\"note\">{} units × {} competence areas. A cell counts the provisions of the unit's bodies in the area; \
         its colour is their weight (functions 1, goals and duties 0.75, rights 0.5, the head's powers 0.25), the \
         heaviest cell darkest. Hover a cell for its bodies, click it to open the heaviest body's page, click a \
         column header to sort.</p>\n",
        m.units.len(),
        m.areas.len()
    ));
    h.push_str("<table id=\"map\">\n<thead><tr><th class=\"unit\" scope=\"col\">Unit</th>");
    for a in &m.areas {
        h.push_str(&format!(
            "<th class=\"area\" scope=\"col\" data-area=\"{}\" title=\"{}\">{}</th>",
            escape(&a.slug),
            escape(&format!("{} (COFOG {})", a.iri, a.cofog)),
            escape(&a.label)
        ));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for u in &m.units {
        let region = u
            .region_name
            .as_deref()
            .map(|r| format!(" <small>{}</small>", escape(r)))
            .unwrap_or_default();
        h.push_str(&format!(
            "<tr data-unit=\"{}\"><th class=\"unit\" scope=\"row\"><a href=\"{}\">{}</a>{region}</th>",
            escape(&u.unit),
            escape(&u.unit),
            escape(&u.name)
        ));
        for a in &m.areas {
            let holders = m.cell(&u.unit, &a.slug);
            if holders.is_empty() {
                h.push_str(&format!(
                    "<td class=\"empty\" data-area=\"{}\" data-weight=\"0\" data-provisions=\"0\">·</td>",
                    escape(&a.slug)
                ));
                continue;
            }
            let weight: f64 = holders.iter().map(|x| x.weight).sum();
            let provisions: u64 = holders.iter().map(|x| x.provisions).sum();
            let alpha = 0.12 + 0.88 * (weight / max);
            let ink = if alpha > 0.55 { "#ffffff" } else { "#1d2733" };
            let who: Vec<String> = holders
                .iter()
                .map(|x| {
                    format!(
                        "{} — {} provisions, weight {}",
                        x.name, x.provisions, x.weight
                    )
                })
                .collect();
            h.push_str(&format!(
                "<td data-area=\"{}\" data-weight=\"{weight}\" data-provisions=\"{provisions}\" data-bodies=\"{}\" \
                 title=\"{}\" style=\"background: rgba(178, 34, 34, {alpha:.3}); color: {ink}\"><a href=\"{}\">{provisions}</a></td>",
                escape(&a.slug),
                escape(&holders.iter().map(|x| x.institution.as_str()).collect::<Vec<_>>().join(" ")),
                escape(&format!("{}\n{}", a.label, who.join("\n"))),
                escape(&holders[0].institution)
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    h.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_text_is_escaped() {
        assert_eq!(
            escape("<script>alert(\"x\") & 'y'</script>"),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }
}
