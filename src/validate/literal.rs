//! Literal checks used by `sh:datatype` and `sh:languageIn`.
//!
//! SHACL requires `sh:datatype` to reject ill-formed literals such as
//! `"abc"^^xsd:integer`. oxigraph keeps such literals as opaque text, so the
//! lexical forms of the common XSD datatypes are checked here. Datatypes not
//! listed are accepted with any lexical form.

use regex::Regex;
use std::sync::LazyLock;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

static INTEGER: LazyLock<Regex> = LazyLock::new(|| re(r"[+-]?[0-9]+"));
static DECIMAL: LazyLock<Regex> = LazyLock::new(|| re(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"));
static FLOAT: LazyLock<Regex> =
    LazyLock::new(|| re(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN"));
static DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?"));
static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?",
    )
});
static TIME: LazyLock<Regex> =
    LazyLock::new(|| re(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?"));
static G_YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"));
static G_YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| re(r"-?[0-9]{4,}-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?"));
static LANGUAGE: LazyLock<Regex> = LazyLock::new(|| re(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*"));

/// Compiles a pattern anchored at both ends; the patterns above are constants.
fn re(pattern: &str) -> Regex {
    Regex::new(&format!("^(?:{pattern})$"))
        .unwrap_or_else(|e| unreachable!("bad built-in regex: {e}"))
}

/// Whether `lexical` is a valid lexical form of the datatype `datatype` (an IRI).
pub(crate) fn is_well_formed(lexical: &str, datatype: &str) -> bool {
    let Some(local) = datatype.strip_prefix(XSD) else {
        return true;
    };
    match local {
        "integer" => INTEGER.is_match(lexical),
        "nonPositiveInteger" => integer_in(lexical, None, Some(0)),
        "negativeInteger" => integer_in(lexical, None, Some(-1)),
        "nonNegativeInteger" => integer_in(lexical, Some(0), None),
        "positiveInteger" => integer_in(lexical, Some(1), None),
        "long" => integer_in(lexical, Some(i64::MIN.into()), Some(i64::MAX.into())),
        "int" => integer_in(lexical, Some(i32::MIN.into()), Some(i32::MAX.into())),
        "short" => integer_in(lexical, Some(i16::MIN.into()), Some(i16::MAX.into())),
        "byte" => integer_in(lexical, Some(i8::MIN.into()), Some(i8::MAX.into())),
        "unsignedLong" => integer_in(lexical, Some(0), Some(u64::MAX.into())),
        "unsignedInt" => integer_in(lexical, Some(0), Some(u32::MAX.into())),
        "unsignedShort" => integer_in(lexical, Some(0), Some(u16::MAX.into())),
        "unsignedByte" => integer_in(lexical, Some(0), Some(u8::MAX.into())),
        "decimal" => DECIMAL.is_match(lexical),
        "float" | "double" => FLOAT.is_match(lexical),
        "boolean" => matches!(lexical, "true" | "false" | "1" | "0"),
        "date" => DATE
            .captures(lexical)
            .is_some_and(|c| valid_date(&c[1], &c[2], &c[3])),
        "dateTime" | "dateTimeStamp" => DATE_TIME.captures(lexical).is_some_and(|c| {
            (local == "dateTime" || c.get(8).is_some())
                && valid_date(&c[1], &c[2], &c[3])
                && valid_time(&c[4], &c[5], &c[6], c.get(7).map(|m| m.as_str()))
        }),
        "time" => TIME
            .captures(lexical)
            .is_some_and(|c| valid_time(&c[1], &c[2], &c[3], c.get(4).map(|m| m.as_str()))),
        "gYear" => G_YEAR.is_match(lexical),
        "gYearMonth" => G_YEAR_MONTH
            .captures(lexical)
            .is_some_and(|c| (1..=12).contains(&num(&c[1]))),
        "language" => LANGUAGE.is_match(lexical),
        _ => true,
    }
}

/// An integer lexical form whose value lies in `[min, max]`.
fn integer_in(lexical: &str, min: Option<i128>, max: Option<i128>) -> bool {
    if !INTEGER.is_match(lexical) {
        return false;
    }
    match lexical.parse::<i128>() {
        Ok(v) => min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m),
        // Too large for i128: only fine if unbounded on that side.
        Err(_) if lexical.starts_with('-') => min.is_none(),
        Err(_) => max.is_none(),
    }
}

fn num(digits: &str) -> u32 {
    digits.parse().unwrap_or(u32::MAX)
}

fn valid_date(year: &str, month: &str, day: &str) -> bool {
    let year: i64 = year.parse().unwrap_or(1);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match num(month) {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&num(day))
}

fn valid_time(hour: &str, minute: &str, second: &str, fraction: Option<&str>) -> bool {
    let (h, m, s) = (num(hour), num(minute), num(second));
    let midnight = h == 24
        && m == 0
        && s == 0
        && fraction.is_none_or(|f| f.trim_matches(['.', '0']).is_empty());
    midnight || (h < 24 && m < 60 && s < 60)
}

/// SPARQL `langMatches` (RFC 4647 basic filtering), as used by `sh:languageIn`.
pub(crate) fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    tag.len() >= range.len()
        && tag.is_char_boundary(range.len())
        && tag[..range.len()].eq_ignore_ascii_case(range)
        && (tag.len() == range.len() || tag.as_bytes()[range.len()] == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_forms() {
        let xsd = |l: &str| format!("{XSD}{l}");
        assert!(is_well_formed("42", &xsd("integer")));
        assert!(!is_well_formed("4.2", &xsd("integer")));
        assert!(!is_well_formed("-1", &xsd("nonNegativeInteger")));
        assert!(!is_well_formed("300", &xsd("byte")));
        assert!(is_well_formed("2024-02-29", &xsd("date")));
        assert!(!is_well_formed("2023-02-29", &xsd("date")));
        assert!(is_well_formed(
            "2024-01-31T23:59:59.5+06:00",
            &xsd("dateTime")
        ));
        assert!(!is_well_formed(
            "2024-01-31T23:59:59",
            &xsd("dateTimeStamp")
        ));
        assert!(!is_well_formed("2024-01-31", &xsd("dateTime")));
        assert!(is_well_formed("anything", "http://example.org/custom"));
    }

    #[test]
    fn language_ranges() {
        assert!(lang_matches("en-US", "en"));
        assert!(lang_matches("EN", "en"));
        assert!(!lang_matches("eng", "en"));
        assert!(lang_matches("kk", "*"));
    }
}
