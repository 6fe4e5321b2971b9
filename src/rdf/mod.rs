//! Stage 6: mapping an [`Extraction`] to RDF quads in the terms of docs/model.md.
//!
//! Input: the extraction report of one document and the IRI of its named graph. Output: the quads of that graph,
//! sorted and without duplicates, and the provenance record that goes into the metadata graph.

pub mod iri;
pub mod jsonld;
pub mod vocab;

use crate::extract::citations::ActRef;
use crate::extract::units::UnitRef;
use crate::extract::{BodyRef, CitedFrom, Extraction, Organisation, Relation, Resolution};
use crate::lexicon::{Lang, Lexicon};
use crate::read::sidecar::Sidecar;
use iri::Base;
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use std::collections::HashMap;
use vocab::*;

/// Collects the quads of one graph.
struct Emitter {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Emitter {
    fn add(&mut self, s: &str, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(
            NamedNode::new_unchecked(s),
            p,
            o,
            self.graph.clone(),
        ));
    }
    fn iri(&mut self, s: &str, p: NamedNode, o: &str) {
        self.add(s, p, NamedNode::new_unchecked(o));
    }
    fn class(&mut self, s: &str, ns: &str, local: &str) {
        self.add(s, a(), term(ns, local));
    }
    fn text(&mut self, s: &str, p: NamedNode, value: &str, lang: Lang) {
        if let Ok(l) = Literal::new_language_tagged_literal(value, lang.tag()) {
            self.add(s, p, l);
        }
    }
    fn string(&mut self, s: &str, p: NamedNode, value: &str) {
        self.add(s, p, Literal::new_simple_literal(value));
    }
    fn typed(&mut self, s: &str, p: NamedNode, value: &str, datatype: &str) {
        self.add(s, p, Literal::new_typed_literal(value, term(XSD, datatype)));
    }
    fn integer(&mut self, s: &str, p: NamedNode, value: i64) {
        self.add(s, p, Literal::from(value));
    }
}

struct Mapper<'a> {
    e: Emitter,
    base: &'a Base,
    lex: &'a Lexicon,
    lang: Lang,
}

impl Mapper<'_> {
    /// A unit of the gazetteer, with its current names, type, KATO code and parent (and the parent's, up to its
    /// region), so that every document states a gazetteer unit alike.
    fn gazetteer_unit(&mut self, id: &str) -> String {
        let iri = self.base.iri(&format!("unit/{id}"));
        let Some(p) = self.lex.gazetteer.current(id) else {
            return iri;
        };
        self.e.class(&iri, AKG, "AdministrativeUnit");
        self.e.iri(
            &iri,
            term(AKG, "unitType"),
            &format!("{AKG}{}", p.unit_type),
        );
        self.e.text(&iri, term(SKOS, "prefLabel"), &p.kk, Lang::Kk);
        self.e.text(&iri, term(SKOS, "prefLabel"), &p.ru, Lang::Ru);
        self.e.string(&iri, term(AKG, "gazetteerId"), id);
        if let Some(k) = &p.kato {
            self.e.string(&iri, term(AKG, "kato"), k);
        }
        if let Some(parent) = p.parent.clone() {
            let parent = self.gazetteer_unit(&parent);
            self.e.iri(&iri, term(SCHEMA, "containedInPlace"), &parent);
        }
        iri
    }

    fn unit(&mut self, u: &UnitRef) -> String {
        if let Some(id) = &u.gazetteer {
            return self.gazetteer_unit(id);
        }
        if u.is_region() {
            if let Some(r) = &u.region {
                return self.gazetteer_unit(&r.slug);
            }
        }
        let iri = self.base.unit(u);
        self.e.class(&iri, AKG, "AdministrativeUnit");
        self.e.iri(
            &iri,
            term(AKG, "unitType"),
            &format!("{AKG}{}", u.unit_type),
        );
        // A unit the gazetteer lacks: its names as the texts give them, and the key that joins them.
        let mut labelled = false;
        for (label, lang) in [(&u.label_kk, Lang::Kk), (&u.label_ru, Lang::Ru)] {
            if let Some(l) = label {
                self.e.text(&iri, term(SKOS, "prefLabel"), l, lang);
                labelled = true;
            }
        }
        if !labelled {
            self.e.text(&iri, term(SKOS, "prefLabel"), &u.label, u.lang);
        }
        if !u.key.is_empty() {
            self.e.string(&iri, term(AKG, "nameKey"), &u.key);
        }
        if let Some(k) = &u.kato {
            self.e.string(&iri, term(AKG, "kato"), k);
        }
        let parent = match (&u.parent_path, &u.region) {
            (Some(pp), _) if self.lex.gazetteer.current(pp).is_some() => {
                Some(self.gazetteer_unit(pp))
            }
            (Some(pp), _) => Some(self.base.iri(&format!("unit/{pp}"))),
            (None, Some(r)) => Some(self.gazetteer_unit(&r.slug)),
            (None, None) => None,
        };
        if let Some(parent) = parent {
            self.e.iri(&iri, term(SCHEMA, "containedInPlace"), &parent);
        }
        iri
    }

    fn body(&mut self, b: &BodyRef) -> String {
        let iri = self.base.body(b);
        let unit = self.unit(&b.unit);
        let class = match b.kind.as_str() {
            "maslikhat" => "Maslikhat",
            "akim" => "Akim",
            _ => "Akimat",
        };
        self.e.class(&iri, AKG, class);
        let u = &b.unit;
        let kk = self
            .lex
            .body_label(&b.kind, Lang::Kk, u.label_kk.as_deref(), None);
        let ru = self.lex.body_label(
            &b.kind,
            Lang::Ru,
            u.ru_genitive.as_deref(),
            u.label_ru.as_deref(),
        );
        for (label, lang) in [(kk, Lang::Kk), (ru, Lang::Ru)] {
            if let Some(l) = label {
                self.e.text(&iri, term(SKOS, "prefLabel"), &l, lang);
            }
        }
        self.e.iri(&iri, term(AKG, "bodyOf"), &unit);
        iri
    }

    fn act(&mut self, act: &ActRef) -> String {
        let iri = self.base.act(act, self.lex);
        self.e.class(&iri, ELI, "LegalResource");
        self.e.iri(
            &iri,
            term(ELI, "type_document"),
            &format!("{AKG}{}", act.act_type),
        );
        let reference = act.reference.as_deref().and_then(|id| self.lex.act(id));
        let (date, number) = match reference {
            Some(r) => (r.date.clone(), r.number.clone()),
            None => (act.date.clone(), act.number.clone()),
        };
        if let Some(d) = &date {
            self.e.typed(&iri, term(ELI, "date_document"), d, "date");
        }
        if let Some(n) = &number {
            self.e.string(&iri, term(ELI, "id_local"), n);
        }
        match reference {
            Some(r) => {
                // Its Әділет ID and pages, where the table knows them.
                if let Some(id) = &r.adilet {
                    self.e.string(&iri, term(AKG, "adiletId"), id);
                    for lang in ["kaz", "rus"] {
                        let page = ADILET_PAGE
                            .replace("{lang}", lang)
                            .replace("{id}", &iri::path_segment(id));
                        self.e.iri(&iri, term(RDFS, "seeAlso"), &page);
                    }
                }
                // One title per language, from the reference table, so every document agrees.
                let mut done = Vec::new();
                for (lang, title) in &r.labels {
                    if !done.contains(lang) {
                        self.e.text(&iri, term(ELI, "title"), title, *lang);
                        done.push(*lang);
                    }
                }
            }
            None => {
                if let Some(t) = &act.title {
                    self.e.text(&iri, term(ELI, "title"), t, self.lang);
                }
            }
        }
        if let Some(b) = &act.issuer {
            let body = self.body(b);
            self.e.iri(&iri, term(ELI, "passed_by"), &body);
        }
        iri
    }

    /// The approving resolution: its node, signatories, control and entry-into-force clauses, Әділет ID, source
    /// page and rule of entry into force, and the acts it repeals and amends. Its IRI.
    fn resolution(&mut self, r: &Resolution, act: &ActRef, graph: &str) -> String {
        let lang = self.lang;
        let iri = self.approving_act_node(r, act, graph);
        for s in &r.signatories {
            self.e.string(&iri, term(AKG, "signatoryName"), &s.name);
            if !s.role.is_empty() {
                self.e.text(&iri, term(AKG, "signatoryRole"), &s.role, lang);
            }
        }
        if let Some(c) = &r.controlled_by {
            self.e
                .text(&iri, term(AKG, "executionControlledBy"), c, lang);
        }
        if let Some(c) = &r.entry_into_force {
            self.e.text(&iri, term(AKG, "entryIntoForce"), c, lang);
        }
        if let Some(id) = &r.adilet_id {
            self.e.string(&iri, term(AKG, "adiletId"), id);
        }
        if let Some(url) = &r.source_page {
            if let Ok(n) = NamedNode::new(url) {
                self.e.add(&iri, term(DCT, "source"), n);
            }
        }
        if let Some(rule) = &r.entry_rule {
            self.e.iri(
                &iri,
                term(AKG, "entryIntoForceRule"),
                &format!("{AKG}{rule}"),
            );
        }
        for old in &r.repeals {
            let old_iri = self.act(old);
            self.e.iri(&iri, term(ELI, "repeals"), &old_iri);
        }
        for old in &r.amends {
            let old_iri = self.act(old);
            self.e.iri(&iri, term(ELI, "amends"), &old_iri);
        }
        iri
    }

    /// The node of the approving act: the act its requisites name, else the document's own act.
    fn approving_act_node(&mut self, r: &Resolution, act: &ActRef, graph: &str) -> String {
        // An approving act known by neither date nor number (a stamp with blanks, an excerpt without its
        // requisites) cannot be told from the issuer's other acts, nor from another edition for the same
        // institution: it is the document's own.
        let own = match (&r.date, &r.number, &r.adilet_id) {
            // Known by its Әділет ID only: the ID names one act in every language.
            (None, None, Some(id)) => Some(
                self.base
                    .iri(&format!("eli/adilet/{}", iri::path_segment(id))),
            ),
            (None, None, None) => Some(format!("{graph}/approving-act")),
            _ => None,
        };
        match own {
            Some(iri) => {
                self.e.class(&iri, ELI, "LegalResource");
                self.e.iri(
                    &iri,
                    term(ELI, "type_document"),
                    &format!("{AKG}{}", act.act_type),
                );
                if let Some(b) = &act.issuer {
                    let body = self.body(b);
                    self.e.iri(&iri, term(ELI, "passed_by"), &body);
                }
                iri
            }
            None => self.act(act),
        }
    }

    /// The regulation: the annex of the approving resolution, else the institution's, with its title, and its date
    /// and issuer from the resolution; an act kept as an act only (`act_only`) gets no regulation node. Its IRI.
    fn regulation(
        &mut self,
        ex: &Extraction,
        res_iri: Option<&str>,
        inst_iri: Option<&str>,
        act_only: bool,
    ) -> String {
        let reg_iri = match (res_iri, inst_iri) {
            (Some(r), _) => format!("{r}/annex"),
            (None, Some(i)) => format!("{i}/regulation"),
            (None, None) => self.base.iri("eli/unknown/regulation"),
        };
        if !act_only {
            self.e.class(&reg_iri, ELI, "LegalResource");
            self.e.iri(
                &reg_iri,
                term(ELI, "type_document"),
                &format!("{AKG}Regulation"),
            );
        }
        if let Some(t) = &ex.title {
            self.e.text(&reg_iri, term(ELI, "title"), t, self.lang);
        }
        if let (Some(res), false) = (res_iri, act_only) {
            self.e.iri(res, term(AKG, "approves"), &reg_iri);
            self.e.iri(&reg_iri, term(ELI, "is_annex_of"), res);
            if let Some(r) = &ex.resolution {
                if let Some(d) = &r.date {
                    self.e
                        .typed(&reg_iri, term(ELI, "date_document"), d, "date");
                }
                if let Some(b) = &r.issuer {
                    let body = self.body(b);
                    self.e.iri(&reg_iri, term(ELI, "passed_by"), &body);
                }
            }
        }
        reg_iri
    }

    /// The institution's own quads: its names, founding document, unit, founder, address, working hours,
    /// financing and subordinates.
    fn institution(
        &mut self,
        i: &crate::extract::Institution,
        iri: &str,
        reg_iri: &str,
        subordinates: &[Organisation],
    ) {
        // Its names in both languages, where the text gives them: the text's own and the one it states for the
        // other language, so that the Kazakh and the Russian text of one regulation label it alike.
        for (name, l) in [(&i.name_kk, Lang::Kk), (&i.name_ru, Lang::Ru)] {
            if let Some(n) = name {
                self.e.text(iri, term(SKOS, "prefLabel"), n, l);
            }
        }
        self.e.iri(iri, term(AKG, "foundingDocument"), reg_iri);
        if let Some(u) = i.unit.as_ref() {
            let u = self.unit(u);
            self.e.iri(iri, term(DCT, "spatial"), &u);
        }
        if let Some(f) = &i.founder {
            let b = self.body(f);
            self.e.iri(iri, term(SCHEMA, "founder"), &b);
        }
        if let Some(s) = &i.founder_source {
            self.e
                .iri(iri, term(AKG, "founderSource"), &format!("{AKG}{s}"));
        }
        if let Some(a) = &i.address {
            let addr = format!("{iri}/address");
            self.e.iri(iri, term(LOCN, "address"), &addr);
            self.e.class(&addr, LOCN, "Address");
            self.e
                .text(&addr, term(LOCN, "fullAddress"), &a.full, self.lang);
            if let Some(v) = &a.post_code {
                self.e.string(&addr, term(LOCN, "postCode"), v);
            }
            for (p, v) in [
                ("adminUnitL1", &a.admin_unit_l1),
                ("adminUnitL2", &a.admin_unit_l2),
                ("postName", &a.post_name),
                ("thoroughfare", &a.thoroughfare),
            ] {
                if let Some(v) = v {
                    self.e.text(&addr, term(LOCN, p), v, self.lang);
                }
            }
            if let Some(v) = &a.locator {
                self.e.string(&addr, term(LOCN, "locatorDesignator"), v);
            }
        }
        if let Some(w) = &i.working_hours {
            self.e.text(iri, term(AKG, "workingHours"), w, self.lang);
        }
        if let Some(s) = &i.financing_source {
            self.e
                .iri(iri, term(AKG, "financingSource"), &format!("{AKG}{s}"));
        }
        if let Some(t) = &i.financing_text {
            self.e.text(iri, term(AKG, "financingText"), t, self.lang);
        }
        for sub in subordinates {
            let s = self.organisation(sub, i.unit.as_ref());
            if s != iri {
                self.e.iri(iri, term(ORG, "hasSubOrganization"), &s);
                self.e.iri(&s, term(ORG, "subOrganizationOf"), iri);
            }
        }
    }

    /// The provisions of a regulation, numbered under it (`…/annex/par_18/sub_26`), each assigned to the institution;
    /// their IRIs in order.
    fn provisions(
        &mut self,
        provisions: &[crate::extract::provisions::Provision],
        reg_iri: &str,
        inst_iri: Option<&str>,
    ) -> Vec<String> {
        let mut provision_iris = Vec::with_capacity(provisions.len());
        let mut used: HashMap<String, usize> = HashMap::new();
        for p in provisions {
            let mut parts = p.number.split('.').filter(|s| !s.is_empty());
            let mut path = match parts.next() {
                Some(first) => format!("{reg_iri}/par_{}", iri::number_slug(first)),
                None => format!("{reg_iri}/prov"),
            };
            for part in parts {
                path.push_str(&format!("/sub_{}", iri::number_slug(part)));
            }
            let n = used.entry(path.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                path = format!("{path}-{n}");
            }
            self.e.class(&path, AKG, "Provision");
            self.e.class(&path, ELI, "LegalResourceSubdivision");
            self.e.iri(
                &path,
                term(AKG, "provisionKind"),
                &format!("{AKG}{}", p.kind),
            );
            self.e.iri(&path, term(ELI, "is_part_of"), reg_iri);
            if let Some(i) = inst_iri {
                self.e.iri(&path, term(AKG, "assignedTo"), i);
            }
            self.e.string(&path, term(ELI, "number"), &p.number);
            self.e
                .integer(&path, term(SCHEMA, "position"), i64::from(p.position));
            self.e.text(&path, term(AKG, "text"), &p.text, self.lang);
            for area in crate::extract::competences::areas(&p.competences) {
                self.e
                    .iri(&path, term(DCT, "subject"), &format!("{COMP}{area}"));
            }
            self.e
                .integer(&path, term(AKG, "charStart"), p.char_start as i64);
            self.e
                .integer(&path, term(AKG, "charEnd"), p.char_end as i64);
            provision_iris.push(path);
        }
        provision_iris
    }

    /// The citations of a document: each as `eli:cites` (and `eli:based_on`, `eli:repeals`, `eli:amends` by its
    /// relation) from the act, the regulation or the provision that makes it, down to the pinpoint, and as a record
    /// under the document's graph. An act kept as an act only (`act_only`) cites from itself alone.
    fn citations(
        &mut self,
        citations: &[crate::extract::CitationAt],
        graph: &str,
        (res_iri, reg_iri, act_only): (Option<&str>, &str, bool),
        provision_iris: &[String],
    ) {
        let mut k = 0;
        for c in citations {
            let citing = match (&c.from, &res_iri) {
                (CitedFrom::Resolution | CitedFrom::Header, Some(r)) => r.to_string(),
                (CitedFrom::Provision(k), _) => provision_iris[*k].clone(),
                _ if act_only => continue,
                _ => reg_iri.to_string(),
            };
            let act = self.act(&c.citation.act);
            let mut targets = Vec::new();
            for pin in &c.citation.pinpoints {
                let chain = self.base.pinpoint(&act, pin);
                let mut parent = act.clone();
                for (iri, number, kind) in &chain {
                    self.e.class(iri, ELI, "LegalResourceSubdivision");
                    self.e.iri(iri, term(ELI, "is_part_of"), &parent);
                    self.e.string(iri, term(ELI, "number"), number);
                    self.e
                        .iri(iri, term(AKG, "subdivisionType"), &format!("{AKG}{kind}"));
                    parent = iri.clone();
                }
                targets.push(parent);
            }
            if targets.is_empty() {
                targets.push(act.clone());
            }
            for target in targets {
                match c.relation {
                    Relation::Cites => self.e.iri(&citing, term(ELI, "cites"), &target),
                    Relation::Ground => {
                        self.e.iri(&citing, term(ELI, "cites"), &target);
                        self.e.iri(&citing, term(ELI, "based_on"), &target);
                    }
                    // Set on the resolution from its repeals and amendments above.
                    Relation::Repeals | Relation::Amends => {}
                    // The other act changed this one: the relation runs from it.
                    Relation::RepealedBy => self.e.iri(&act, term(ELI, "repeals"), &citing),
                    Relation::AmendedBy => self.e.iri(&act, term(ELI, "amends"), &citing),
                }
                k += 1;
                let rec = format!("{graph}/citation/{k}");
                self.e.iri(&citing, term(AKG, "hasCitation"), &rec);
                self.e.class(&rec, AKG, "Citation");
                self.e.iri(&rec, term(AKG, "citedResource"), &target);
                self.e.iri(&rec, term(AKG, "citedAct"), &act);
                self.e.iri(
                    &rec,
                    term(AKG, "resolution"),
                    &format!("{AKG}{:?}", c.citation.act.resolved()),
                );
                self.e
                    .text(&rec, term(AKG, "citationText"), &c.citation.text, self.lang);
                self.e
                    .integer(&rec, term(AKG, "charStart"), c.citation.char_start as i64);
                self.e
                    .integer(&rec, term(AKG, "charEnd"), c.citation.char_end as i64);
            }
        }
    }

    fn organisation(&mut self, o: &Organisation, unit: Option<&UnitRef>) -> String {
        let iri = self.base.org(unit, &o.kind_slug);
        let class = if o.enterprise {
            "StateEnterprise"
        } else {
            "StateInstitution"
        };
        self.e.class(&iri, AKG, class);
        self.e
            .text(&iri, term(SKOS, "prefLabel"), &o.name, self.lang);
        if let Some(f) = &o.legal_form {
            self.e
                .iri(&iri, term(AKG, "legalForm"), &format!("{FORM}{f}"));
        }
        iri
    }
}

/// The approving act of an extraction as an [`ActRef`], when the text names one.
fn approving_act(ex: &Extraction) -> Option<ActRef> {
    ex.resolution.as_ref().map(|r| ActRef {
        act_type: r.act_type.clone(),
        date: r.date.clone(),
        number: r.number.clone(),
        title: None,
        issuer: r.issuer.clone(),
        reference: None,
        form: None,
    })
}

/// The named graph of a document: from the act it holds and its language, never from where its file lies, so that
/// the same document gives the same graph on any machine and from any folder, and its two language versions give
/// two graphs of one act. The act is known by its Әділет ID, else by the code its sidecar gives, else by its
/// issuer, date and number (`graph/eli/pavlodar/aksu-city/akimat/2022/05/31/403-3/kk`); a document that names no
/// act is known by the digest of its bytes (`graph/doc/<hex>/kk`).
pub fn document_graph(
    ex: &Extraction,
    sidecar: Option<&Sidecar>,
    digest: &str,
    base: &Base,
    lex: &Lexicon,
) -> String {
    let lang = ex.lang.tag();
    if let Some(id) = sidecar.and_then(|s| s.adilet_id.as_deref()) {
        return base.iri(&format!("graph/adilet/{}/{lang}", iri::path_segment(id)));
    }
    if let Some(code) = sidecar.and_then(|s| s.code.as_deref()) {
        return base.iri(&format!("graph/code/{}/{lang}", iri::path_segment(code)));
    }
    if let Some(act) = approving_act(ex).filter(|a| a.date.is_some() || a.number.is_some()) {
        let act_iri = base.act(&act, lex);
        if let Some(path) = act_iri.strip_prefix(base.as_str()) {
            return base.iri(&format!("graph/{path}/{lang}"));
        }
    }
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    base.iri(&format!("graph/doc/{}/{lang}", &hex[..hex.len().min(16)]))
}

/// The gazetteer as the quads of its graph: each unit with its current names, type, KATO code and parent, its
/// former names as `skos:altLabel`, and each period (`<unit>/period/<n>`, oldest first) with its names, type,
/// parent, dates and source.
pub fn gazetteer_quads(g: &crate::gazetteer::Gazetteer, base: &Base, graph: &str) -> Vec<Quad> {
    let mut e = Emitter {
        graph: NamedNode::new_unchecked(graph).into(),
        quads: Vec::new(),
    };
    for id in g.ids() {
        let iri = base.iri(&format!("unit/{id}"));
        let Some(current) = g.current(id) else {
            continue;
        };
        e.class(&iri, AKG, "AdministrativeUnit");
        e.iri(
            &iri,
            term(AKG, "unitType"),
            &format!("{AKG}{}", current.unit_type),
        );
        e.text(&iri, term(SKOS, "prefLabel"), &current.kk, Lang::Kk);
        e.text(&iri, term(SKOS, "prefLabel"), &current.ru, Lang::Ru);
        e.string(&iri, term(AKG, "gazetteerId"), id);
        if let Some(k) = &current.kato {
            e.string(&iri, term(AKG, "kato"), k);
        }
        if let Some(parent) = &current.parent {
            e.iri(
                &iri,
                term(SCHEMA, "containedInPlace"),
                &base.iri(&format!("unit/{parent}")),
            );
        }
        let mut periods: Vec<&crate::gazetteer::Period> = g.unit(id).collect();
        periods.sort_by(|a, b| a.from.cmp(&b.from));
        for (n, p) in periods.iter().enumerate() {
            for lang in [Lang::Kk, Lang::Ru] {
                for name in p.names(lang) {
                    let current_name = match lang {
                        Lang::Kk => &current.kk,
                        Lang::Ru => &current.ru,
                    };
                    if name != current_name {
                        e.text(&iri, term(SKOS, "altLabel"), name, lang);
                    }
                }
            }
            let period = format!("{iri}/period/{}", n + 1);
            e.class(&period, AKG, "UnitPeriod");
            e.iri(&period, term(AKG, "periodOf"), &iri);
            e.iri(
                &period,
                term(AKG, "unitType"),
                &format!("{AKG}{}", p.unit_type),
            );
            e.text(&period, term(SKOS, "prefLabel"), &p.kk, Lang::Kk);
            e.text(&period, term(SKOS, "prefLabel"), &p.ru, Lang::Ru);
            if let Some(parent) = &p.parent {
                e.iri(
                    &period,
                    term(SCHEMA, "containedInPlace"),
                    &base.iri(&format!("unit/{parent}")),
                );
            }
            if let Some(d) = &p.from {
                e.typed(&period, term(SCHEMA, "startDate"), d, "date");
            }
            if let Some(d) = &p.to {
                e.typed(&period, term(SCHEMA, "endDate"), d, "date");
            }
            if let Some(k) = &p.kato {
                e.string(&period, term(AKG, "kato"), k);
            }
            if !p.source.is_empty() {
                e.string(&period, term(DCT, "source"), &p.source);
            }
        }
    }
    let mut quads = e.quads;
    quads.sort_by_cached_key(|q| q.to_string());
    quads.dedup();
    quads
}

/// The quads of one document's named graph.
pub fn document_quads(ex: &Extraction, base: &Base, graph: &str, lex: &Lexicon) -> Vec<Quad> {
    let mut m = Mapper {
        e: Emitter {
            graph: NamedNode::new_unchecked(graph).into(),
            quads: Vec::new(),
        },
        base,
        lex,
        lang: ex.lang,
    };
    let inst = ex.institution.as_ref();
    let unit = inst.and_then(|i| i.unit.as_ref());
    let inst_iri = inst.map(|i| m.organisation(&i.org, unit));

    // The approving resolution and its annex, the regulation.
    let res_iri = ex.resolution.as_ref().map(|r| {
        let act = approving_act(ex).expect("a resolution makes an approving act");
        m.resolution(r, &act, graph)
    });
    // An act that amends or repeals an approving act is stored as that act alone: no regulation of its own.
    let act_only = ex
        .class
        .as_ref()
        .is_some_and(|c| !c.class.holds_regulation());
    let reg_iri = m.regulation(ex, res_iri.as_deref(), inst_iri.as_deref(), act_only);

    // The institution.
    if let (Some(i), Some(iri)) = (inst, &inst_iri) {
        m.institution(i, iri, &reg_iri, &ex.subordinates);
    }

    // Provisions.
    let provision_iris = m.provisions(&ex.provisions, &reg_iri, inst_iri.as_deref());

    // Citations, from the resolution, the regulation or the exact provision. Citation records belong to the
    // source document (their offsets are offsets into it), so their IRIs sit under the document's graph.
    m.citations(
        &ex.citations,
        graph,
        (res_iri.as_deref(), &reg_iri, act_only),
        &provision_iris,
    );

    let mut quads = m.e.quads;
    quads.sort_by_cached_key(|q| q.to_string());
    quads.dedup();
    quads
}

/// What the metadata graph records about one document's graph.
pub struct Provenance<'a> {
    /// The document's named graph.
    pub graph: &'a str,
    /// Where it came from: its public address, else the `ni:` IRI of its digest.
    pub source: &'a str,
    /// Its path relative to the folder it was ingested from (never an absolute local path).
    pub name: &'a str,
    /// `sha256:<hex>` of the source bytes.
    pub digest: &'a str,
    /// Language of the text.
    pub lang: Lang,
    /// When the graph was generated (RFC 3339).
    pub generated_at: &'a str,
    /// Problems met while extracting.
    pub warnings: &'a [String],
    /// The sidecar metadata read with the document.
    pub sidecar: Option<&'a Sidecar>,
    /// The sidecar's path relative to the folder the document was ingested from.
    pub sidecar_name: Option<&'a str>,
    /// The digest of the sidecar file on disk, also when it could not be read.
    pub sidecar_digest: Option<&'a str>,
}

/// The provenance quads of one document, in the metadata graph.
pub fn provenance_quads(p: &Provenance<'_>, base: &Base) -> Vec<Quad> {
    let mut e = Emitter {
        graph: NamedNode::new_unchecked(iri::meta_graph(base)).into(),
        quads: Vec::new(),
    };
    let g = p.graph;
    e.class(g, PROV, "Entity");
    e.iri(g, term(PROV, "wasDerivedFrom"), p.source);
    e.string(g, term(AKG, "sourcePath"), p.name);
    e.typed(g, term(PROV, "generatedAtTime"), p.generated_at, "dateTime");
    e.string(g, term(AKG, "sourceDigest"), p.digest);
    e.string(g, term(DCT, "language"), p.lang.tag());
    e.string(g, term(AKG, "extractorVersion"), crate::EXTRACTOR_VERSION);
    for w in p.warnings {
        e.string(g, term(AKG, "extractionWarning"), w);
    }
    if let Some(d) = p.sidecar_digest {
        e.string(g, term(AKG, "sidecarDigest"), d);
    }
    if let Some(name) = p.sidecar_name {
        e.string(g, term(AKG, "sidecar"), name);
    }
    if let Some(s) = p.sidecar {
        sidecar_quads(&mut e, g, s, p.lang);
    }
    e.quads
}

/// What a document's sidecar states, recorded on its graph: the sidecar file and digest, the act's code, titles,
/// requisites line, date, number and issuer codes, and the published source of the document's language version.
fn sidecar_quads(e: &mut Emitter, g: &str, s: &Sidecar, lang: Lang) {
    if let Some(c) = &s.code {
        e.string(g, term(DCT, "identifier"), c);
    }
    for (l, t) in &s.titles {
        match l {
            Some(l) => e.text(g, term(DCT, "title"), t, *l),
            None => e.string(g, term(DCT, "title"), t),
        }
    }
    if let Some(r) = s.requisites(lang) {
        e.string(g, term(AKG, "statedRequisites"), r);
    }
    if let Some(id) = &s.adilet_id {
        e.string(g, term(AKG, "adiletId"), id);
    }
    if let Some(status) = s.status(lang) {
        e.text(g, term(AKG, "statedStatus"), status, lang);
    }
    for note in s.notes(lang) {
        e.text(g, term(AKG, "sourceNote"), note, lang);
    }
    if let Some(d) = &s.date {
        if crate::validate::literal::is_well_formed(d, &format!("{XSD}date")) {
            e.typed(g, term(AKG, "statedDate"), d, "date");
        } else {
            e.string(g, term(AKG, "statedDate"), d);
        }
    }
    if let Some(n) = &s.number {
        e.string(g, term(AKG, "statedNumber"), n);
    }
    for i in &s.issuers {
        e.string(g, term(AKG, "statedIssuerCode"), i);
    }
    if let Some(url) = s.source(lang) {
        match NamedNode::new(url) {
            Ok(n) => e.add(g, term(DCT, "source"), n),
            Err(_) => e.string(g, term(DCT, "source"), url),
        }
    }
}
