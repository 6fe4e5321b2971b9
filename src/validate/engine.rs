//! Evaluation of shapes against the data store.
//!
//! For each shape with targets, the focus nodes are collected with one index
//! scan per target, then the value nodes of each focus node are read once per
//! shape (one index lookup per focus node) and every constraint of the shape is
//! checked in Rust on those values. `sh:class` lookups of `rdf:type` are cached,
//! and `sh:minInclusive`/`sh:maxInclusive` are decided for all distinct values of
//! a shape with one SPARQL query per chunk, so that they follow SPARQL's
//! comparison rules (numeric promotion, dates with time zones, …).

use super::literal::{is_well_formed, lang_matches};
use super::shapes::{Constraint, Path, Shape, Target};
use super::{ShapesGraph, ValidateError, ValidationResult};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{Literal, NamedOrBlankNodeRef, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

/// Literals per `sh:minInclusive`/`sh:maxInclusive` SPARQL query.
const COMPARISON_CHUNK: usize = 500;

/// State of one validation run.
pub(crate) struct Engine<'a> {
    store: &'a Store,
    shapes: &'a ShapesGraph,
    /// For every class used by `sh:targetClass` or `sh:class`: the class and all
    /// its `rdfs:subClassOf*` subclasses.
    class_closures: HashMap<Term, HashSet<Term>>,
    /// `rdf:type` values of nodes already looked up for `sh:class`.
    types: HashMap<Term, Vec<Term>>,
    /// Empty store on which comparison queries are evaluated.
    comparison_store: Option<Store>,
    results: Vec<ValidationResult>,
}

/// The value nodes of one focus node.
struct FocusValues {
    focus: Term,
    values: Vec<Term>,
}

impl<'a> Engine<'a> {
    pub fn new(store: &'a Store, shapes: &'a ShapesGraph) -> Result<Self, ValidateError> {
        let mut engine = Self {
            store,
            shapes,
            class_closures: HashMap::new(),
            types: HashMap::new(),
            comparison_store: None,
            results: Vec::new(),
        };
        engine.compute_class_closures()?;
        Ok(engine)
    }

    /// Validates every active shape that has targets.
    pub fn run(mut self) -> Result<Vec<ValidationResult>, ValidateError> {
        let shapes = self.shapes;
        for (index, shape) in shapes.shapes.iter().enumerate() {
            if shape.deactivated || shape.targets.is_empty() {
                continue;
            }
            let focus = self.focus_nodes(shape)?;
            self.validate_shape(index, &focus)?;
        }
        Ok(self.results)
    }

    /// Reads the `rdfs:subClassOf` hierarchy (data and shapes graph) once and
    /// computes the subclass closure of every class the shapes mention.
    fn compute_class_closures(&mut self) -> Result<(), ValidateError> {
        let mut classes = HashSet::new();
        for shape in &self.shapes.shapes {
            for target in &shape.targets {
                if let Target::Class(c) = target {
                    classes.insert(c.clone());
                }
            }
            for constraint in &shape.constraints {
                if let Constraint::Class(c) = constraint {
                    classes.insert(c.clone());
                }
            }
        }
        if classes.is_empty() {
            return Ok(());
        }
        let mut subclasses: HashMap<Term, Vec<Term>> = HashMap::new();
        for (sub, sup) in &self.shapes.subclass_of {
            subclasses.entry(sup.clone()).or_default().push(sub.clone());
        }
        for quad in self
            .store
            .quads_for_pattern(None, Some(rdfs::SUB_CLASS_OF), None, None)
        {
            let quad = quad?;
            subclasses
                .entry(quad.object)
                .or_default()
                .push(quad.subject.into());
        }
        for class in classes {
            let mut closure = HashSet::from([class.clone()]);
            let mut stack = vec![class.clone()];
            while let Some(c) = stack.pop() {
                for sub in subclasses.get(&c).into_iter().flatten() {
                    if closure.insert(sub.clone()) {
                        stack.push(sub.clone());
                    }
                }
            }
            self.class_closures.insert(class, closure);
        }
        Ok(())
    }

    /// The distinct focus nodes selected by the targets of `shape`.
    fn focus_nodes(&self, shape: &Shape) -> Result<Vec<Term>, ValidateError> {
        let mut focus = Vec::new();
        let mut seen = HashSet::new();
        let mut add = |term: Term| {
            if seen.insert(term.clone()) {
                focus.push(term);
            }
        };
        for target in &shape.targets {
            match target {
                Target::Node(node) => add(node.clone()),
                Target::Class(class) => {
                    for c in &self.class_closures[class] {
                        for quad in self.store.quads_for_pattern(
                            None,
                            Some(rdf::TYPE),
                            Some(c.as_ref()),
                            None,
                        ) {
                            add(quad?.subject.into());
                        }
                    }
                }
                Target::SubjectsOf(p) => {
                    for quad in self
                        .store
                        .quads_for_pattern(None, Some(p.as_ref()), None, None)
                    {
                        add(quad?.subject.into());
                    }
                }
                Target::ObjectsOf(p) => {
                    for quad in self
                        .store
                        .quads_for_pattern(None, Some(p.as_ref()), None, None)
                    {
                        add(quad?.object);
                    }
                }
            }
        }
        Ok(focus)
    }

    /// Validates `focus` nodes against the shape at `index`, including its
    /// `sh:property` shapes.
    fn validate_shape(&mut self, index: usize, focus: &[Term]) -> Result<(), ValidateError> {
        let shapes = self.shapes;
        let shape = &shapes.shapes[index];
        if shape.deactivated || focus.is_empty() {
            return Ok(());
        }
        let groups = match &shape.path {
            Some(path) => focus
                .iter()
                .map(|f| {
                    Ok(FocusValues {
                        focus: f.clone(),
                        values: self.values(f, path)?,
                    })
                })
                .collect::<Result<Vec<_>, ValidateError>>()?,
            // On a node shape the only value node is the focus node itself.
            None => focus
                .iter()
                .map(|f| FocusValues {
                    focus: f.clone(),
                    values: vec![f.clone()],
                })
                .collect(),
        };
        let in_range = self.range_checks(shape, &groups)?;
        for group in &groups {
            self.check(shape, group, &in_range)?;
        }
        if !shape.properties.is_empty() {
            // Property shapes of a property shape apply to its value nodes.
            let nested = match shape.path {
                Some(_) => distinct(groups.into_iter().flat_map(|g| g.values)),
                None => focus.to_vec(),
            };
            for &child in &shape.properties {
                self.validate_shape(child, &nested)?;
            }
        }
        Ok(())
    }

    /// The distinct value nodes of `focus` for `path` (over all graphs).
    fn values(&self, focus: &Term, path: &Path) -> Result<Vec<Term>, ValidateError> {
        let mut values = Vec::new();
        match path {
            Path::Predicate(p) => {
                if let Some(subject) = as_subject(focus) {
                    for quad in
                        self.store
                            .quads_for_pattern(Some(subject), Some(p.as_ref()), None, None)
                    {
                        values.push(quad?.object);
                    }
                }
            }
            Path::Inverse(p) => {
                for quad in
                    self.store
                        .quads_for_pattern(None, Some(p.as_ref()), Some(focus.as_ref()), None)
                {
                    values.push(quad?.subject.into());
                }
            }
        }
        // The same triple may be stored in several graphs.
        Ok(if values.len() > 1 {
            distinct(values)
        } else {
            values
        })
    }

    /// For each `sh:minInclusive`/`sh:maxInclusive` constraint of `shape` (by
    /// position), the set of value nodes that satisfy it.
    fn range_checks(
        &mut self,
        shape: &Shape,
        groups: &[FocusValues],
    ) -> Result<BTreeMap<usize, HashSet<Literal>>, ValidateError> {
        let mut passing = BTreeMap::new();
        for (position, constraint) in shape.constraints.iter().enumerate() {
            let (operator, bound) = match constraint {
                Constraint::MinInclusive(bound) => (">=", bound),
                Constraint::MaxInclusive(bound) => ("<=", bound),
                _ => continue,
            };
            let mut literals = HashSet::new();
            for value in groups.iter().flat_map(|g| &g.values) {
                if let Term::Literal(l) = value {
                    literals.insert(l.clone());
                }
            }
            let literals: Vec<Literal> = literals.into_iter().collect();
            passing.insert(position, self.compare_all(&literals, operator, bound)?);
        }
        Ok(passing)
    }

    /// The literals `l` for which SPARQL `l <operator> bound` is true.
    fn compare_all(
        &mut self,
        literals: &[Literal],
        operator: &str,
        bound: &Literal,
    ) -> Result<HashSet<Literal>, ValidateError> {
        let mut passing = HashSet::new();
        if literals.is_empty() {
            return Ok(passing);
        }
        if self.comparison_store.is_none() {
            self.comparison_store = Some(Store::new()?);
        }
        let Some(store) = &self.comparison_store else {
            return Ok(passing);
        };
        for chunk in literals.chunks(COMPARISON_CHUNK) {
            // Values are referenced by position: oxigraph may return literals
            // in canonical form, which would not match the input.
            let mut query = String::from("SELECT ?i WHERE { VALUES (?i ?v) {");
            for (i, literal) in chunk.iter().enumerate() {
                let _ = write!(query, " ({i} {literal})");
            }
            let _ = write!(query, " }} FILTER(?v {operator} {bound}) }}");
            let QueryResults::Solutions(solutions) = SparqlEvaluator::new()
                .parse_query(&query)?
                .on_store(store)
                .execute()?
            else {
                continue;
            };
            for solution in solutions {
                if let Some(Term::Literal(i)) = solution?.get("i") {
                    if let Some(literal) =
                        i.value().parse::<usize>().ok().and_then(|i| chunk.get(i))
                    {
                        passing.insert(literal.clone());
                    }
                }
            }
        }
        Ok(passing)
    }

    /// Checks all constraints of `shape` on one focus node and its values.
    fn check(
        &mut self,
        shape: &Shape,
        group: &FocusValues,
        in_range: &BTreeMap<usize, HashSet<Literal>>,
    ) -> Result<(), ValidateError> {
        let values = &group.values;
        for (position, constraint) in shape.constraints.iter().enumerate() {
            match constraint {
                Constraint::MinCount(min) => {
                    if (values.len() as u64) < *min {
                        let message = format!(
                            "expected at least {min} {}, found {}",
                            noun(*min),
                            values.len()
                        );
                        self.report(shape, group, constraint, None, message);
                    }
                }
                Constraint::MaxCount(max) => {
                    if values.len() as u64 > *max {
                        let message = format!(
                            "expected at most {max} {}, found {}",
                            noun(*max),
                            values.len()
                        );
                        self.report(shape, group, constraint, None, message);
                    }
                }
                Constraint::HasValue(expected) => {
                    if !values.contains(expected) {
                        self.report(
                            shape,
                            group,
                            constraint,
                            None,
                            format!("missing required value {expected}"),
                        );
                    }
                }
                Constraint::UniqueLang => {
                    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                    for value in values {
                        if let Term::Literal(l) = value {
                            if let Some(lang) = l.language() {
                                *counts.entry(lang.to_ascii_lowercase()).or_default() += 1;
                            }
                        }
                    }
                    for (lang, _) in counts.into_iter().filter(|(_, n)| *n > 1) {
                        let message =
                            format!("language tag \"{lang}\" is used by more than one value");
                        self.report(shape, group, constraint, None, message);
                    }
                }
                _ => {
                    for value in values {
                        if let Some(message) =
                            self.value_failure(constraint, value, in_range.get(&position))?
                        {
                            self.report(shape, group, constraint, Some(value), message);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks a constraint that applies to each value node on its own; returns
    /// the default message if `value` fails.
    fn value_failure(
        &mut self,
        constraint: &Constraint,
        value: &Term,
        in_range: Option<&HashSet<Literal>>,
    ) -> Result<Option<String>, ValidateError> {
        let ok = match constraint {
            Constraint::Datatype(datatype) => match value {
                Term::Literal(l) => {
                    l.datatype() == datatype.as_ref()
                        && is_well_formed(l.value(), datatype.as_str())
                }
                _ => false,
            },
            Constraint::Class(class) => self.is_instance(value, class)?,
            Constraint::NodeKind(kind) => kind.matches(value),
            Constraint::In(allowed) => allowed.contains(value),
            Constraint::Pattern { regex, .. } => text(value).is_some_and(|t| regex.is_match(t)),
            Constraint::MinLength(min) => {
                text(value).is_some_and(|t| t.chars().count() as u64 >= *min)
            }
            Constraint::MaxLength(max) => {
                text(value).is_some_and(|t| t.chars().count() as u64 <= *max)
            }
            Constraint::LanguageIn(ranges) => match value {
                Term::Literal(l) => l
                    .language()
                    .is_some_and(|tag| ranges.iter().any(|r| lang_matches(tag, r))),
                _ => false,
            },
            Constraint::MinInclusive(_) | Constraint::MaxInclusive(_) => match value {
                Term::Literal(l) => in_range.is_some_and(|passing| passing.contains(l)),
                _ => false,
            },
            Constraint::MinCount(_)
            | Constraint::MaxCount(_)
            | Constraint::HasValue(_)
            | Constraint::UniqueLang => true,
        };
        if ok {
            return Ok(None);
        }
        Ok(Some(match constraint {
            Constraint::Datatype(datatype) => match value {
                Term::Literal(l) if l.datatype() == datatype.as_ref() => {
                    format!("ill-formed literal of datatype {datatype}")
                }
                _ => format!("value does not have datatype {datatype}"),
            },
            Constraint::Class(class) => format!("value is not an instance of {class}"),
            Constraint::NodeKind(kind) => format!("value is not of node kind {}", kind.name()),
            Constraint::In(_) => "value is not one of the allowed values (sh:in)".to_owned(),
            Constraint::Pattern { pattern, .. } => {
                format!("value does not match pattern {pattern:?}")
            }
            Constraint::MinLength(min) => format!("value is shorter than {min} characters"),
            Constraint::MaxLength(max) => format!("value is longer than {max} characters"),
            Constraint::LanguageIn(ranges) => {
                format!("language tag is not one of [{}]", ranges.join(", "))
            }
            Constraint::MinInclusive(bound) => {
                format!("value is not greater than or equal to {bound}")
            }
            Constraint::MaxInclusive(bound) => {
                format!("value is not less than or equal to {bound}")
            }
            _ => String::new(),
        }))
    }

    /// `value rdf:type/rdfs:subClassOf* class` (types are cached per node).
    fn is_instance(&mut self, value: &Term, class: &Term) -> Result<bool, ValidateError> {
        let Some(subject) = as_subject(value) else {
            return Ok(false);
        };
        if !self.types.contains_key(value) {
            let types = self
                .store
                .quads_for_pattern(Some(subject), Some(rdf::TYPE), None, None)
                .map(|q| q.map(|q| q.object))
                .collect::<Result<_, _>>()?;
            self.types.insert(value.clone(), types);
        }
        let closure = &self.class_closures[class];
        Ok(self.types[value].iter().any(|t| closure.contains(t)))
    }

    fn report(
        &mut self,
        shape: &Shape,
        group: &FocusValues,
        constraint: &Constraint,
        value: Option<&Term>,
        message: String,
    ) {
        self.results.push(ValidationResult {
            focus_node: group.focus.to_string(),
            result_path: shape.path.as_ref().map(Path::to_string),
            value: value.map(Term::to_string),
            source_shape: shape.label.clone(),
            constraint: constraint.name().to_owned(),
            severity: shape.severity,
            message: shape.message.clone().unwrap_or(message),
        });
    }
}

/// Removes duplicates, keeping the first occurrence.
fn distinct(terms: impl IntoIterator<Item = Term>) -> Vec<Term> {
    let mut seen = HashSet::new();
    terms
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

fn as_subject(term: &Term) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        Term::Literal(_) => None,
    }
}

/// SPARQL `str()` of an IRI or literal; blank nodes have none and fail
/// `sh:pattern`, `sh:minLength` and `sh:maxLength`.
fn text(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.value()),
        Term::BlankNode(_) => None,
    }
}

fn noun(n: u64) -> &'static str {
    if n == 1 {
        "value"
    } else {
        "values"
    }
}
