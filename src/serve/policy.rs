//! What the endpoint refuses to run, told before evaluation: `SERVICE` (the server makes no requests to other
//! hosts on a user's behalf) and, in updates, `LOAD` for the same reason.

use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, GraphTarget, OrderExpression,
};
use spargebra::term::{GraphName, GraphNamePattern};
use spargebra::{GraphUpdateOperation, Query, Update};

/// Why a query or update is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The query calls another endpoint.
    #[error(
        "SERVICE {0} is refused: this endpoint does not query other hosts (federation is off)"
    )]
    Service(String),
    /// The update loads a document from the web.
    #[error("LOAD <{0}> is refused: this endpoint does not fetch documents from other hosts")]
    Load(String),
    /// The update writes the default graph, which the store keeps equal to the union of the named graphs.
    #[error("{0} is refused: the default graph is the union of the named graphs and is kept so by the server; \
write to a named graph (GRAPH <…> {{ … }}, WITH <…>, CLEAR GRAPH <…>)")]
    DefaultGraphWrite(&'static str),
    /// The text nests brackets deeper than the parser is let go.
    #[error("the query nests brackets {0} levels deep; at most {MAX_NESTING} are accepted")]
    TooDeep(usize),
}

/// Deepest nesting of `(`, `{` and `[` a query or update may have. The parser descends once per level; this keeps
/// it far from the end of its stack.
pub const MAX_NESTING: usize = 500;

/// Checks the text before parsing: brackets nested deeper than [`MAX_NESTING`] (outside strings and comments)
/// refuse it.
pub fn check_text(text: &str) -> Result<(), Refusal> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' | '\'' => {
                // A string: skip to its closing quote (escapes honoured; long strings close at the first match,
                // which can only make the count smaller).
                let mut escaped = false;
                for d in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
            }
            '(' | '{' | '[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_NESTING {
        Err(Refusal::TooDeep(deepest))
    } else {
        Ok(())
    }
}

/// Checks a query: the first `SERVICE` anywhere in it (in sub-queries, `EXISTS` filters, `OPTIONAL`s …) refuses it.
pub fn check_query(query: &Query) -> Result<(), Refusal> {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    check_pattern(pattern)
}

/// Whether the engine stops the query by itself at its timeout. Oxigraph checks its cancellation token whenever it
/// reads the store, but not inside joins, sorts and groups held in memory; a query is interruptible when its work
/// outside store reads stays proportional to what it reads: no joins of any kind (`Join`, `OPTIONAL`, `MINUS`,
/// `LATERAL`, `EXISTS`), no property paths, basic graph patterns of at most one triple pattern, `UNION`s of such.
/// Lookups of one resource and filters over one pattern (the bulk of linked-data traffic) are; the rest run in a
/// query worker that can be killed.
pub fn is_interruptible(query: &Query) -> bool {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    interruptible_pattern(pattern)
}

fn interruptible_pattern(pattern: &GraphPattern) -> bool {
    match pattern {
        GraphPattern::Bgp { patterns } => patterns.len() <= 1,
        GraphPattern::Values { .. } => true,
        GraphPattern::Path { .. }
        | GraphPattern::Join { .. }
        | GraphPattern::LeftJoin { .. }
        | GraphPattern::Lateral { .. }
        | GraphPattern::Minus { .. }
        | GraphPattern::Service { .. } => false,
        GraphPattern::Union { left, right } => {
            interruptible_pattern(left) && interruptible_pattern(right)
        }
        GraphPattern::Filter { expr, inner } => !has_exists(expr) && interruptible_pattern(inner),
        GraphPattern::Extend {
            inner, expression, ..
        } => !has_exists(expression) && interruptible_pattern(inner),
        GraphPattern::OrderBy { inner, expression } => {
            expression.iter().all(|e| {
                let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = e;
                !has_exists(e)
            }) && interruptible_pattern(inner)
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            aggregates.iter().all(|(_, a)| match a {
                AggregateExpression::FunctionCall { expr, .. } => !has_exists(expr),
                AggregateExpression::CountSolutions { .. } => true,
            }) && interruptible_pattern(inner)
        }
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => interruptible_pattern(inner),
    }
}

/// Whether an expression holds an `EXISTS` (a pattern evaluated per row).
fn has_exists(expression: &Expression) -> bool {
    !exists_patterns(expression).is_empty()
}

/// The patterns of the `EXISTS` an expression holds, at any depth.
fn exists_patterns(expression: &Expression) -> Vec<&GraphPattern> {
    let mut out = Vec::new();
    let mut todo = vec![expression];
    while let Some(e) = todo.pop() {
        match e {
            Expression::Exists(p) => out.push(p.as_ref()),
            Expression::NamedNode(_)
            | Expression::Literal(_)
            | Expression::Variable(_)
            | Expression::Bound(_) => {}
            Expression::Or(a, b)
            | Expression::And(a, b)
            | Expression::Equal(a, b)
            | Expression::SameTerm(a, b)
            | Expression::Greater(a, b)
            | Expression::GreaterOrEqual(a, b)
            | Expression::Less(a, b)
            | Expression::LessOrEqual(a, b)
            | Expression::Add(a, b)
            | Expression::Subtract(a, b)
            | Expression::Multiply(a, b)
            | Expression::Divide(a, b) => todo.extend([a.as_ref(), b.as_ref()]),
            Expression::UnaryPlus(e) | Expression::UnaryMinus(e) | Expression::Not(e) => {
                todo.push(e)
            }
            Expression::In(a, list) => {
                todo.push(a);
                todo.extend(list);
            }
            Expression::If(a, b, c) => todo.extend([a.as_ref(), b.as_ref(), c.as_ref()]),
            Expression::Coalesce(list) | Expression::FunctionCall(_, list) => todo.extend(list),
        }
    }
    out
}

/// Checks an update: `LOAD`, `SERVICE` in the `WHERE` of a `DELETE`/`INSERT`, and any write to the default graph
/// refuse it.
pub fn check_update(update: &Update) -> Result<(), Refusal> {
    for op in &update.operations {
        match op {
            GraphUpdateOperation::Load { source, .. } => {
                return Err(Refusal::Load(source.as_str().to_string()))
            }
            GraphUpdateOperation::InsertData { data } => {
                if data.iter().any(|q| q.graph_name == GraphName::DefaultGraph) {
                    return Err(Refusal::DefaultGraphWrite(
                        "INSERT DATA into the default graph",
                    ));
                }
            }
            GraphUpdateOperation::DeleteData { data } => {
                if data.iter().any(|q| q.graph_name == GraphName::DefaultGraph) {
                    return Err(Refusal::DefaultGraphWrite(
                        "DELETE DATA from the default graph",
                    ));
                }
            }
            GraphUpdateOperation::DeleteInsert {
                delete,
                insert,
                pattern,
                ..
            } => {
                if insert
                    .iter()
                    .any(|q| q.graph_name == GraphNamePattern::DefaultGraph)
                {
                    return Err(Refusal::DefaultGraphWrite("INSERT into the default graph"));
                }
                if delete
                    .iter()
                    .any(|q| q.graph_name == GraphNamePattern::DefaultGraph)
                {
                    return Err(Refusal::DefaultGraphWrite("DELETE from the default graph"));
                }
                check_pattern(pattern)?
            }
            GraphUpdateOperation::Clear { graph, .. }
            | GraphUpdateOperation::Drop { graph, .. } => {
                if *graph == GraphTarget::DefaultGraph {
                    return Err(Refusal::DefaultGraphWrite("CLEAR or DROP DEFAULT"));
                }
            }
            GraphUpdateOperation::Create { .. } => {}
        }
    }
    Ok(())
}

fn check_pattern(pattern: &GraphPattern) -> Result<(), Refusal> {
    match pattern {
        GraphPattern::Service { name, .. } => Err(Refusal::Service(name.to_string())),
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => {
            Ok(())
        }
        GraphPattern::Join { left, right }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            check_pattern(left)?;
            check_pattern(right)
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            check_pattern(left)?;
            check_pattern(right)?;
            expression.as_ref().map_or(Ok(()), check_expression)
        }
        GraphPattern::Filter { expr, inner } => {
            check_expression(expr)?;
            check_pattern(inner)
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => {
            check_expression(expression)?;
            check_pattern(inner)
        }
        GraphPattern::OrderBy { inner, expression } => {
            for e in expression {
                let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = e;
                check_expression(e)?;
            }
            check_pattern(inner)
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            for (_, a) in aggregates {
                if let AggregateExpression::FunctionCall { expr, .. } = a {
                    check_expression(expr)?;
                }
            }
            check_pattern(inner)
        }
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => check_pattern(inner),
    }
}

/// Checks the patterns inside an expression's `EXISTS`.
fn check_expression(expression: &Expression) -> Result<(), Refusal> {
    exists_patterns(expression)
        .into_iter()
        .try_for_each(check_pattern)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    fn query(q: &str) -> Result<(), Refusal> {
        check_query(&SparqlParser::new().parse_query(q).unwrap())
    }

    #[test]
    fn service_is_found_wherever_it_hides() {
        assert!(query("SELECT * { ?s ?p ?o }").is_ok());
        let hidden = [
            "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "SELECT * { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://x/> { ?s ?q ?r } } }",
            "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE <http://x/> { ?s ?q ?r } } }",
            "SELECT * { { SELECT ?s { SERVICE <http://x/> { ?s ?p ?o } } LIMIT 1 } }",
            "ASK { ?s ?p ?o BIND(IF(NOT EXISTS { SERVICE <http://x/> { ?s ?q ?r } }, 1, 2) AS ?v) }",
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { SERVICE <http://x/> { ?s ?p ?o } } }",
        ];
        for q in hidden {
            assert!(matches!(query(q), Err(Refusal::Service(_))), "{q}");
        }
        // A string that merely says SERVICE is not a call.
        assert!(query("SELECT * { ?s ?p \"SERVICE <http://x/>\" }").is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!(
            "SELECT * {{ FILTER({}1{}) }}",
            "(".repeat(600),
            ")".repeat(600)
        );
        // The braces of the group and of FILTER count too.
        assert_eq!(check_text(&deep), Err(Refusal::TooDeep(602)));
        let fine = format!(
            "SELECT * {{ FILTER({}1{}) }}",
            "(".repeat(100),
            ")".repeat(100)
        );
        assert!(check_text(&fine).is_ok());
        // Brackets in strings and comments do not count.
        let quoted = format!(
            "SELECT * {{ ?s ?p \"{}\" }} # {}",
            "(".repeat(900),
            "{".repeat(900)
        );
        assert!(check_text(&quoted).is_ok());
    }

    #[test]
    fn only_queries_without_joins_run_in_the_server() {
        let yes = [
            "SELECT ?p ?o { <http://x/a> ?p ?o }",
            "SELECT ?s ?l { ?s skos:prefLabel ?l FILTER(CONTAINS(LCASE(STR(?l)), \"аудан\")) } ORDER BY ?l LIMIT 10",
            "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://g/> { ?s ?p ?o } }",
            "SELECT * { { ?s a <http://x/A> } UNION { ?s a <http://x/B> } }",
            "ASK { ?s ?p ?o }",
        ];
        let no = [
            "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            "SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
            "SELECT * { ?s ?p ?o MINUS { ?s a ?c } }",
            "SELECT * { ?s ?p ?o FILTER NOT EXISTS { ?o ?q ?r } }",
            "SELECT * { ?s <http://x/p>* ?o }",
            "SELECT * { VALUES ?s { <http://x/a> } ?s ?p ?o }",
        ];
        let parse = |q: &str| crate::query::parser().parse_query(q).unwrap();
        for q in yes {
            assert!(is_interruptible(&parse(q)), "{q}");
        }
        for q in no {
            assert!(!is_interruptible(&parse(q)), "{q}");
        }
    }

    #[test]
    fn load_is_refused() {
        let u = SparqlParser::new()
            .parse_update("LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://g/>")
            .unwrap();
        assert!(matches!(check_update(&u), Err(Refusal::Load(_))));
        let ok = SparqlParser::new()
            .parse_update("INSERT DATA { GRAPH <http://g/> { <http://s> <http://p> 1 } }")
            .unwrap();
        assert!(check_update(&ok).is_ok());
        for bad in [
            "INSERT DATA { <http://s> <http://p> 1 }",
            "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CLEAR DEFAULT",
        ] {
            let u = SparqlParser::new().parse_update(bad).unwrap();
            assert!(
                matches!(check_update(&u), Err(Refusal::DefaultGraphWrite(_))),
                "{bad}"
            );
        }
        let with = SparqlParser::new()
            .parse_update("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
            .unwrap();
        assert!(check_update(&with).is_ok());
    }
}
