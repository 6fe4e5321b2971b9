//! Quoted spans in a text: «…», “…”, „…“ and straight "…" quotes, nested to any depth. A straight quote opens when
//! it follows a space or an opening bracket and precedes a letter, and closes otherwise, so that
//! `"О положении о государственном учреждении "Аппарат …"` pairs the way a reader pairs it.

/// A quoted span: byte range of the text inside the quotes, and its nesting depth (0 for the outermost).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// Byte offset just after the opening quote.
    pub open: usize,
    /// Byte offset of the closing quote.
    pub close: usize,
    /// 0 for a span inside no other span.
    pub depth: usize,
}

/// Every quoted span of `text`, ordered by opening position, and the byte offsets of closing quotes that close
/// nothing (their opening quote was lost).
pub fn quoted_spans(text: &str) -> (Vec<Quote>, Vec<usize>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut stack: Vec<usize> = Vec::new();
    let mut spans = Vec::new();
    let mut orphans = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|n| n.1);
        let opening = match c {
            '«' | '“' | '„' => true,
            '»' | '”' => false,
            '"' => {
                prev.is_none_or(|p| p.is_whitespace() || "(«“-–,".contains(p))
                    && next.is_some_and(|n| !n.is_whitespace())
            }
            _ => continue,
        };
        if opening {
            stack.push(i + c.len_utf8());
        } else if let Some(open) = stack.pop() {
            spans.push(Quote {
                open,
                close: i,
                depth: stack.len(),
            });
        } else {
            orphans.push(i);
        }
    }
    spans.sort_by_key(|q| q.open);
    (spans, orphans)
}

/// The outermost quoted spans of `text`, and the orphan closing quotes.
pub fn outer_quotes(text: &str) -> (Vec<Quote>, Vec<usize>) {
    let (spans, orphans) = quoted_spans(text);
    (
        spans.into_iter().filter(|q| q.depth == 0).collect(),
        orphans,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_straight_quotes_pair_as_a_reader_pairs_them() {
        let t = r#"от 12 апреля 2002 года № 18/188 "О положении о государственном учреждении "Аппарат маслихата"" следующее"#;
        let (spans, orphans) = quoted_spans(t);
        let inner: Vec<(&str, usize)> = spans
            .iter()
            .map(|q| (&t[q.open..q.close], q.depth))
            .collect();
        assert_eq!(
            inner,
            [
                (
                    r#"О положении о государственном учреждении "Аппарат маслихата""#,
                    0
                ),
                ("Аппарат маслихата", 1)
            ]
        );
        assert!(orphans.is_empty());
        let (spans, _) = quoted_spans("«Талғар аудандық «мәслихаттың» аппараты» мекемесі");
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].depth, 0);
    }
}
