//! ORDER BY applied to decoded solutions, outside the evaluator.
//!
//! Oxigraph's evaluator sorts solutions in its own encoding and turns both terms of every comparison back into
//! strings, a store read for each IRI and long literal: sorting 140,000 rows by two IRIs reads the store some ten
//! million times (about 15 s on a 10,000-document store), more than evaluating the query. Every row is decoded once
//! anyway when it is written out, so a SELECT whose outermost ORDER BY sorts by projected variables is evaluated
//! without it ([`split`]) and its decoded rows are sorted here ([`Order::sort`]) by the same rules the evaluator
//! applies (SPARQL 1.1 §15.1 with Oxigraph's choices where the specification leaves the order open: unbound
//! first, then blank nodes, IRIs and literals; literals compared by value where SPARQL's `<` compares them, else
//! by lexical form, datatype and language). Ties keep the evaluation order.
//!
//! Queries sorted by an expression other than a variable, by a variable they do not project, or cut by LIMIT or
//! OFFSET (which would need every row decoded to keep a few) are left to the evaluator.

use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolutionIter};
use oxsdatatypes::{Decimal, Double, Float};
use spareval::ExpressionTerm;
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use spargebra::Query;
use std::cmp::Ordering;
use std::sync::Arc;

/// A decoded row: a value or nothing for each projected variable.
type Row = Vec<Option<Term>>;

/// A row's key values, as the evaluator reads them.
type Key = Vec<Option<ExpressionTerm>>;

/// The ORDER BY taken out of a query: for each key, the column of its variable in the query's projection and
/// whether it sorts descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    keys: Vec<(usize, bool)>,
}

/// Takes the outermost ORDER BY out of a SELECT query when it can be applied to the decoded rows instead (see the
/// module's documentation); returns what it took, or `None` with the query left untouched.
pub fn split(query: &mut Query) -> Option<Order> {
    let Query::Select { pattern, .. } = query else {
        return None;
    };
    // SELECT [DISTINCT|REDUCED] … ORDER BY is Project(OrderBy(…)), under Distinct or Reduced.
    let project = match pattern {
        GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } => inner.as_mut(),
        other => other,
    };
    let GraphPattern::Project { inner, variables } = project else {
        return None;
    };
    let GraphPattern::OrderBy { expression, .. } = inner.as_ref() else {
        return None;
    };
    let keys = expression
        .iter()
        .map(|e| {
            let (Expression::Variable(v), descending) = (match e {
                OrderExpression::Asc(x) => (x, false),
                OrderExpression::Desc(x) => (x, true),
            }) else {
                return None;
            };
            variables
                .iter()
                .position(|p| p == v)
                .map(|column| (column, descending))
        })
        .collect::<Option<Vec<_>>>()?;
    match std::mem::take(inner.as_mut()) {
        GraphPattern::OrderBy { inner: sorted, .. } => **inner = *sorted,
        other => **inner = other,
    }
    Some(Order { keys })
}

/// The results of a query [`split`] took `order` from, in that order (other results as they are); see
/// [`Order::sort`] for `cap`.
pub fn apply<'a>(
    order: Option<&Order>,
    results: QueryResults<'a>,
    cap: usize,
) -> Result<QueryResults<'a>, QueryEvaluationError> {
    match (order, results) {
        (Some(order), QueryResults::Solutions(s)) => {
            Ok(QueryResults::Solutions(order.sort(s, cap)?))
        }
        (_, results) => Ok(results),
    }
}

impl Order {
    /// Reads every solution and gives them back sorted. At most `cap` solutions are read: past it, the first
    /// `cap + 1` come back unsorted, so that a caller enforcing a result cap still sees it exceeded without the
    /// rest being read.
    pub fn sort<'a>(
        &self,
        solutions: QuerySolutionIter<'a>,
        cap: usize,
    ) -> Result<QuerySolutionIter<'a>, QueryEvaluationError> {
        let variables: Arc<[Variable]> = solutions.variables().into();
        let mut rows = Vec::new();
        for s in solutions {
            let s = s?;
            let row: Row = s.values().to_vec();
            rows.push(row);
            if rows.len() > cap {
                return Ok(QuerySolutionIter::from_tuples(
                    variables,
                    rows.into_iter().map(Ok),
                ));
            }
        }
        // Each key term is taken apart once, not at every comparison.
        let mut keyed: Vec<(Key, Row)> = rows
            .into_iter()
            .map(|row| {
                let key = self
                    .keys
                    .iter()
                    .map(|(column, _)| row[*column].clone().map(ExpressionTerm::from))
                    .collect();
                (key, row)
            })
            .collect();
        keyed.sort_by(|(a, _), (b, _)| {
            for (i, (_, descending)) in self.keys.iter().enumerate() {
                let o = compare(a[i].as_ref(), b[i].as_ref());
                let o = if *descending { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
        Ok(QuerySolutionIter::from_tuples(
            variables,
            keyed.into_iter().map(|(_, row)| Ok(row)),
        ))
    }
}

/// The order of two values of an ORDER BY key, as Oxigraph's evaluator orders them: unbound, blank nodes, IRIs,
/// literals; blank nodes and IRIs by their text; literals by value where SPARQL compares them with `<` (numbers of
/// any numeric type with each other, strings, strings of one language, dates and times, durations), otherwise by
/// lexical form (canonical for the types SPARQL knows), datatype and language.
pub fn compare(a: Option<&ExpressionTerm>, b: Option<&ExpressionTerm>) -> Ordering {
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Less,
        (Some(_), None) => return Ordering::Greater,
        (Some(a), Some(b)) => (a, b),
    };
    match (a, b) {
        (ExpressionTerm::BlankNode(x), ExpressionTerm::BlankNode(y)) => x.as_str().cmp(y.as_str()),
        (ExpressionTerm::NamedNode(x), ExpressionTerm::NamedNode(y)) => x.as_str().cmp(y.as_str()),
        _ if rank(a) != rank(b) => rank(a).cmp(&rank(b)),
        _ => by_value(a, b).unwrap_or_else(|| lexical(a).cmp(&lexical(b))),
    }
}

/// Blank nodes before IRIs before literals.
fn rank(t: &ExpressionTerm) -> u8 {
    match t {
        ExpressionTerm::BlankNode(_) => 0,
        ExpressionTerm::NamedNode(_) => 1,
        _ => 2,
    }
}

/// A literal's lexical form (canonical for the datatypes the evaluator parses), datatype and language.
fn lexical(t: &ExpressionTerm) -> (String, String, Option<String>) {
    let Term::Literal(l) = Term::from(t.clone()) else {
        return Default::default();
    };
    (
        l.value().to_string(),
        l.datatype().as_str().to_string(),
        l.language().map(str::to_string),
    )
}

/// A number of one of the four numeric types SPARQL compares with each other.
#[derive(Clone, Copy)]
enum Number {
    Integer(oxsdatatypes::Integer),
    Decimal(Decimal),
    Float(Float),
    Double(Double),
}

impl Number {
    fn of(t: &ExpressionTerm) -> Option<Number> {
        Some(match t {
            ExpressionTerm::IntegerLiteral(v) => Number::Integer(*v),
            ExpressionTerm::DecimalLiteral(v) => Number::Decimal(*v),
            ExpressionTerm::FloatLiteral(v) => Number::Float(*v),
            ExpressionTerm::DoubleLiteral(v) => Number::Double(*v),
            _ => return None,
        })
    }

    /// Integer, decimal, float, double: each type converts to those after it (XPath's numeric promotion).
    fn width(self) -> u8 {
        match self {
            Number::Integer(_) => 0,
            Number::Decimal(_) => 1,
            Number::Float(_) => 2,
            Number::Double(_) => 3,
        }
    }

    /// Both numbers in the wider of their two types, compared (`None` where one is NaN).
    fn compare(self, other: Number) -> Option<Ordering> {
        match self.width().max(other.width()) {
            3 => self.double().partial_cmp(&other.double()),
            2 => self.float()?.partial_cmp(&other.float()?),
            1 => self.decimal()?.partial_cmp(&other.decimal()?),
            _ => match (self, other) {
                (Number::Integer(a), Number::Integer(b)) => a.partial_cmp(&b),
                _ => None,
            },
        }
    }

    fn decimal(self) -> Option<Decimal> {
        match self {
            Number::Integer(v) => Some(v.into()),
            Number::Decimal(v) => Some(v),
            Number::Float(_) | Number::Double(_) => None,
        }
    }

    fn float(self) -> Option<Float> {
        match self {
            Number::Integer(v) => Some(v.into()),
            Number::Decimal(v) => Some(v.into()),
            Number::Float(v) => Some(v),
            Number::Double(_) => None,
        }
    }

    fn double(self) -> Double {
        match self {
            Number::Integer(v) => v.into(),
            Number::Decimal(v) => v.into(),
            Number::Float(v) => v.into(),
            Number::Double(v) => v,
        }
    }
}

/// The comparison SPARQL's `<` makes between two literals, where it makes one.
fn by_value(a: &ExpressionTerm, b: &ExpressionTerm) -> Option<Ordering> {
    use ExpressionTerm as E;
    if let (Some(x), Some(y)) = (Number::of(a), Number::of(b)) {
        return x.compare(y);
    }
    match (a, b) {
        (E::StringLiteral(x), E::StringLiteral(y)) => x.partial_cmp(y),
        (
            E::LangStringLiteral {
                value: x,
                language: lx,
            },
            E::LangStringLiteral {
                value: y,
                language: ly,
            },
        ) if lx == ly => x.partial_cmp(y),
        (E::DateTimeLiteral(x), E::DateTimeLiteral(y)) => x.partial_cmp(y),
        (E::DateLiteral(x), E::DateLiteral(y)) => x.partial_cmp(y),
        (E::TimeLiteral(x), E::TimeLiteral(y)) => x.partial_cmp(y),
        (E::GYearLiteral(x), E::GYearLiteral(y)) => x.partial_cmp(y),
        (E::GYearMonthLiteral(x), E::GYearMonthLiteral(y)) => x.partial_cmp(y),
        (E::GMonthLiteral(x), E::GMonthLiteral(y)) => x.partial_cmp(y),
        (E::GMonthDayLiteral(x), E::GMonthDayLiteral(y)) => x.partial_cmp(y),
        (E::GDayLiteral(x), E::GDayLiteral(y)) => x.partial_cmp(y),
        (E::DurationLiteral(x), E::DurationLiteral(y)) => x.partial_cmp(y),
        (E::DurationLiteral(x), E::YearMonthDurationLiteral(y)) => x.partial_cmp(y),
        (E::DurationLiteral(x), E::DayTimeDurationLiteral(y)) => x.partial_cmp(y),
        (E::YearMonthDurationLiteral(x), E::DurationLiteral(y)) => x.partial_cmp(y),
        (E::YearMonthDurationLiteral(x), E::YearMonthDurationLiteral(y)) => x.partial_cmp(y),
        (E::YearMonthDurationLiteral(x), E::DayTimeDurationLiteral(y)) => x.partial_cmp(y),
        (E::DayTimeDurationLiteral(x), E::DurationLiteral(y)) => x.partial_cmp(y),
        (E::DayTimeDurationLiteral(x), E::YearMonthDurationLiteral(y)) => x.partial_cmp(y),
        (E::DayTimeDurationLiteral(x), E::DayTimeDurationLiteral(y)) => x.partial_cmp(y),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, GraphNameRef, Literal, NamedNode, QuadRef};
    use oxigraph::sparql::SparqlEvaluator;
    use oxigraph::store::Store;

    fn parse(q: &str) -> Query {
        crate::query::parser().parse_query(q).unwrap()
    }

    #[test]
    fn an_order_by_projected_variables_is_taken_out() {
        let mut q = parse("SELECT DISTINCT ?b ?a WHERE { ?a ?p ?b } ORDER BY DESC(?a) ?b");
        let order = split(&mut q).unwrap();
        assert_eq!(order.keys, vec![(1, true), (0, false)]);
        assert!(!q.to_string().contains("ORDER BY"), "{q}");
        assert_eq!(q, parse("SELECT DISTINCT ?b ?a WHERE { ?a ?p ?b }"));
    }

    #[test]
    fn orders_the_rows_cannot_take_are_left_to_the_evaluator() {
        for text in [
            // An expression, not a variable.
            "SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)",
            // A variable the query does not project.
            "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?b",
            // LIMIT and OFFSET keep a few rows of the sorted whole.
            "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 3",
            "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a OFFSET 3",
            // No ORDER BY, or an ORDER BY inside a subquery only.
            "SELECT ?a WHERE { ?a ?p ?b }",
            "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }",
            "CONSTRUCT { ?a ?p ?b } WHERE { ?a ?p ?b } ORDER BY ?a",
            "ASK { ?a ?p ?b }",
        ] {
            let mut q = parse(text);
            let before = q.clone();
            assert_eq!(split(&mut q), None, "{text}");
            assert_eq!(q, before, "{text}");
        }
    }

    /// Terms of every kind the evaluator tells apart, including values SPARQL cannot compare with each other.
    fn terms() -> Vec<Term> {
        let xsd = |local: &str| {
            NamedNode::new(format!("http://www.w3.org/2001/XMLSchema#{local}")).unwrap()
        };
        let typed = |v: &str, t: &str| Term::from(Literal::new_typed_literal(v, xsd(t)));
        let lang =
            |v: &str, l: &str| Term::from(Literal::new_language_tagged_literal_unchecked(v, l));
        vec![
            NamedNode::new("http://example.org/a").unwrap().into(),
            NamedNode::new("http://example.org/b").unwrap().into(),
            BlankNode::new("b1").unwrap().into(),
            BlankNode::new("b2").unwrap().into(),
            Literal::new_simple_literal("a").into(),
            Literal::new_simple_literal("b").into(),
            Literal::new_simple_literal("10").into(),
            typed("ab", "string"),
            lang("a", "kk"),
            lang("b", "kk"),
            lang("a", "ru"),
            typed("2", "integer"),
            typed("10", "integer"),
            typed("-1", "integer"),
            typed("5", "int"),
            typed("7", "nonNegativeInteger"),
            typed("2.5", "decimal"),
            typed("10", "decimal"),
            typed("1e1", "float"),
            typed("3", "float"),
            typed("3.0", "double"),
            typed("NaN", "double"),
            typed("true", "boolean"),
            typed("false", "boolean"),
            typed("2024-01-01", "date"),
            typed("2024-01-02Z", "date"),
            typed("2023-12-31T10:00:00", "dateTime"),
            typed("2023-12-31T10:00:00+05:00", "dateTime"),
            typed("10:00:00", "time"),
            typed("2024", "gYear"),
            typed("2024-02", "gYearMonth"),
            typed("P1M", "duration"),
            typed("P1Y", "yearMonthDuration"),
            typed("PT1H", "dayTimeDuration"),
            typed("P1D", "duration"),
            typed("abc", "integer"),
            Literal::new_typed_literal("x", NamedNode::new("http://example.org/type").unwrap())
                .into(),
        ]
    }

    /// Oxigraph's own ORDER BY of two terms, the first one read first.
    fn evaluator_order(first: &Term, second: &Term, descending: bool) -> Vec<Term> {
        let p = NamedNode::new("http://example.org/p").unwrap();
        let store = Store::new().unwrap();
        for (n, t) in [first, second].into_iter().enumerate() {
            // Subjects s0, s1: the store gives the rows in this order.
            let s = NamedNode::new(format!("http://example.org/s{n}")).unwrap();
            store
                .insert(QuadRef::new(&s, &p, t, GraphNameRef::DefaultGraph))
                .unwrap();
        }
        let text = format!(
            "SELECT ?x WHERE {{ ?s <http://example.org/p> ?x }} ORDER BY {}(?x)",
            if descending { "DESC" } else { "ASC" }
        );
        let QueryResults::Solutions(rows) = SparqlEvaluator::new()
            .parse_query(&text)
            .unwrap()
            .on_store(&store)
            .execute()
            .unwrap()
        else {
            panic!("a SELECT")
        };
        rows.map(|r| r.unwrap().get("x").unwrap().clone()).collect()
    }

    /// For every pair of terms and both directions, [`compare`] agrees with Oxigraph's own ORDER BY: where the
    /// evaluator puts them in one order whichever it reads first, compare orders them so; where it keeps the order
    /// it read them in (two rows are too few for its sort to move equal ones), compare finds them equal.
    #[test]
    fn compare_orders_every_pair_as_the_evaluator_does() {
        let terms = terms();
        let mut strict = 0;
        let mut equal = 0;
        for (i, a) in terms.iter().enumerate() {
            for b in &terms[i + 1..] {
                for descending in [false, true] {
                    let ab = evaluator_order(a, b, descending);
                    let ba = evaluator_order(b, a, descending);
                    let ours = |x: &Term, y: &Term| {
                        let o = compare(
                            Some(&ExpressionTerm::from(x.clone())),
                            Some(&ExpressionTerm::from(y.clone())),
                        );
                        if descending {
                            o.reverse()
                        } else {
                            o
                        }
                    };
                    let direction = if descending { "DESC" } else { "ASC" };
                    if ab == ba {
                        assert_eq!(
                            ours(&ab[0], &ab[1]),
                            Ordering::Less,
                            "{direction}: the evaluator puts {} before {}",
                            ab[0],
                            ab[1]
                        );
                        strict += 1;
                    } else {
                        assert_eq!(
                            ours(&ab[0], &ab[1]),
                            Ordering::Equal,
                            "{direction}: the evaluator finds {} and {} equal",
                            ab[0],
                            ab[1]
                        );
                        equal += 1;
                    }
                }
            }
        }
        assert_eq!(strict + equal, terms.len() * (terms.len() - 1));
        assert!(
            equal > 0 && strict > equal,
            "{strict} strict, {equal} equal"
        );
    }

    #[test]
    fn unbound_values_come_first() {
        let one = ExpressionTerm::from(Term::from(Literal::from(1)));
        assert_eq!(compare(None, Some(&one)), Ordering::Less);
        assert_eq!(compare(Some(&one), None), Ordering::Greater);
        assert_eq!(compare(None, None), Ordering::Equal);
    }

    /// Sorting decoded rows gives what the evaluator's own ORDER BY gives, on a query with several keys, both
    /// directions, DISTINCT and unbound values.
    #[test]
    fn sorted_rows_match_the_evaluators_order() {
        let store = Store::new().unwrap();
        let ex = |l: &str| NamedNode::new(format!("http://example.org/{l}")).unwrap();
        let (kind, weight) = (ex("kind"), ex("weight"));
        for i in 0..60u32 {
            let s = ex(&format!("s{:02}", (i * 37) % 60));
            let k = Term::from(ex(&format!("k{}", i % 4)));
            store
                .insert(QuadRef::new(&s, &kind, &k, GraphNameRef::DefaultGraph))
                .unwrap();
            if i % 5 != 0 {
                let w = Term::from(Literal::from(i64::from(i % 7)));
                store
                    .insert(QuadRef::new(&s, &weight, &w, GraphNameRef::DefaultGraph))
                    .unwrap();
            }
        }
        let text = "SELECT DISTINCT ?k ?w ?s WHERE { ?s <http://example.org/kind> ?k \
                    OPTIONAL { ?s <http://example.org/weight> ?w } } ORDER BY ?k DESC(?w) ?s";
        let rows = |results: QueryResults<'_>| -> Vec<Vec<Option<Term>>> {
            let QueryResults::Solutions(s) = results else {
                panic!("a SELECT")
            };
            s.map(|r| r.unwrap().values().to_vec()).collect()
        };
        let expected = rows(
            SparqlEvaluator::new()
                .parse_query(text)
                .unwrap()
                .on_store(&store)
                .execute()
                .unwrap(),
        );
        let mut q = parse(text);
        let order = split(&mut q);
        assert!(order.is_some());
        let unsorted = SparqlEvaluator::new()
            .for_query(q)
            .on_store(&store)
            .execute()
            .unwrap();
        let got = rows(apply(order.as_ref(), unsorted, usize::MAX).unwrap());
        assert_eq!(got.len(), 60);
        assert!(
            got.iter().any(|r| r[1].is_none()),
            "some rows have no weight"
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn past_the_cap_rows_come_back_unsorted_and_no_more_are_read() {
        let store = Store::new().unwrap();
        let p = NamedNode::new("http://example.org/p").unwrap();
        for i in 0..10 {
            let s = NamedNode::new(format!("http://example.org/s{i}")).unwrap();
            store
                .insert(QuadRef::new(
                    &s,
                    &p,
                    &Term::from(Literal::from(10 - i)),
                    GraphNameRef::DefaultGraph,
                ))
                .unwrap();
        }
        let mut q = parse("SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o");
        let order = split(&mut q).unwrap();
        let QueryResults::Solutions(s) = SparqlEvaluator::new()
            .for_query(q)
            .on_store(&store)
            .execute()
            .unwrap()
        else {
            panic!("a SELECT")
        };
        assert_eq!(order.sort(s, 3).unwrap().count(), 4);
    }
}
