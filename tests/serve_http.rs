//! `akimat-kg serve` over HTTP, with curl as the client: the SPARQL 1.1 Protocol in every result format, the Graph
//! Store Protocol and the dumps, linked data in HTML and RDF, the vocabularies, the dataset description, and the
//! safety rules (escaping, no federation, timeout, body limit, read-only).

mod server;

use oxigraph::io::{JsonLdProfileSet, LoadedDocument, RdfFormat, RdfParser};
use oxigraph::model::{Dataset, Quad};
use server::{count, curl, get, query, shared, Server};
use std::time::{Duration, Instant};

const AKSU: &str = "org/pavlodar/aksu-city/internal-policy-department";

fn jsonld() -> RdfFormat {
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    }
}

/// Parses RDF; a JSON-LD context is fetched from the server that sent the document.
fn parse(format: RdfFormat, body: &[u8], server: &Server) -> Vec<Quad> {
    let url = server.url.clone();
    let base = shared().base.clone();
    let mut parser = RdfParser::from_format(format).for_slice(body);
    if matches!(format, RdfFormat::JsonLd { .. }) {
        parser = parser.with_document_loader(move |iri| {
            // The context lives at BASE/context.jsonld; this server answers for the base.
            let path = iri.strip_prefix(base.as_str()).unwrap_or(iri);
            let r = get(&[&format!("{url}/{path}")]);
            assert_eq!(r.status, 200, "context {iri}");
            Ok(LoadedDocument {
                url: iri.to_string(),
                content: r.body,
                format: jsonld(),
            })
        });
    }
    parser
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{format} does not parse: {e}"))
}

fn canonical(quads: Vec<Quad>) -> Vec<String> {
    let mut d: Dataset = quads.into_iter().collect();
    d.canonicalize(oxrdf::dataset::CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: oxrdf::dataset::CanonicalizationHashAlgorithm::Sha256,
    });
    let mut lines: Vec<String> = d.iter().map(|q| q.to_string()).collect();
    lines.sort();
    lines
}

#[test]
fn select_answers_in_each_result_format_by_accept_and_by_format() {
    let s = Server::shared(&[]);
    let q = "SELECT ?l WHERE { ?i a akg:StateInstitution ; skos:prefLabel ?l FILTER(lang(?l) = \"kk\") } ORDER BY ?l";
    let n = count(
        &s,
        "SELECT (COUNT(*) AS ?n) WHERE { ?i a akg:StateInstitution ; skos:prefLabel ?l FILTER(lang(?l) = \"kk\") }",
    ) as usize;
    assert!(n >= 10, "{n} institutions with a Kazakh name");
    for (accept, media) in [
        (
            "application/sparql-results+json",
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ] {
        let r = query(&s, q, accept);
        assert_eq!(r.status, 200, "{accept}: {}", r.text());
        assert_eq!(r.media_type(), media, "{accept}");
        let text = r.text();
        let rows = match media {
            "application/sparql-results+json" => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                v["results"]["bindings"].as_array().unwrap().len()
            }
            "application/sparql-results+xml" => text.matches("<result>").count(),
            _ => text.lines().count() - 1,
        };
        assert_eq!(rows, n, "{accept}");
        assert!(
            text.contains("Ақсу қаласының ішкі саясат бөлімі"),
            "{accept}"
        );
    }
    // The `format` parameter wins over Accept.
    let r = get(&[
        "-G",
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={q}"),
        "--data-urlencode",
        "format=tsv",
        &s.at("/sparql"),
    ]);
    assert_eq!(r.media_type(), "text/tab-separated-values");
    // ASK, and an Accept that nothing fits.
    let r = query(
        &s,
        "ASK { ?s a akg:Provision }",
        "application/sparql-results+xml",
    );
    assert!(r.text().contains("<boolean>true</boolean>"), "{}", r.text());
    let r = query(&s, q, "image/png");
    assert_eq!(r.status, 406, "{}", r.text());
    assert!(r.text().contains("application/sparql-results+json"));
}

#[test]
fn post_form_and_direct_body_are_read_and_bad_requests_are_named() {
    let s = Server::shared(&[]);
    let q = "SELECT (COUNT(*) AS ?n) WHERE { ?p a akg:Provision }";
    let by_get = count(&s, q);
    assert!(by_get > 300, "{by_get} provisions");
    let form = get(&[
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        &format!("query={q}"),
        &s.at("/sparql"),
    ]);
    assert_eq!(form.status, 200, "{}", form.text());
    assert_eq!(form.text().lines().nth(1).unwrap(), by_get.to_string());
    let direct = get(&[
        "-H",
        "Accept: text/csv",
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        q,
        &s.at("/sparql"),
    ]);
    assert_eq!(direct.text().lines().nth(1).unwrap(), by_get.to_string());
    let syntax = get(&[
        "-G",
        "--data-urlencode",
        "query=SELECT WHERE {",
        &s.at("/sparql"),
    ]);
    assert_eq!(syntax.status, 400);
    assert!(syntax.text().contains("syntax error"), "{}", syntax.text());
    let missing = get(&[&s.at("/sparql")]);
    assert_eq!(missing.status, 400);
    assert!(missing.text().contains("`query`"));
    let twice = get(&[
        "-G",
        "--data-urlencode",
        "query=ASK {}",
        "--data-urlencode",
        "query=ASK {}",
        &s.at("/sparql"),
    ]);
    assert_eq!(twice.status, 400);
    assert!(twice.text().contains("more than once"));
    let odd_type = get(&[
        "-H",
        "Content-Type: text/plain",
        "--data-binary",
        "ASK {}",
        &s.at("/sparql"),
    ]);
    assert_eq!(odd_type.status, 415);
    let bad_graph = get(&[
        "-G",
        "--data-urlencode",
        "query=ASK {}",
        "--data-urlencode",
        "default-graph-uri=not an iri",
        &s.at("/sparql"),
    ]);
    assert_eq!(bad_graph.status, 400);
    assert!(bad_graph.text().contains("default-graph-uri"));
    // A browser opening the endpoint lands in the editor.
    let browser = get(&["-H", "Accept: text/html", &s.at("/sparql")]);
    assert_eq!(browser.status, 303);
    assert_eq!(browser.header("location"), Some("/ui"));
}

#[test]
fn construct_answers_in_each_rdf_format_with_the_same_triples() {
    let s = Server::shared(&[]);
    let iri = format!("{}{AKSU}", shared().base);
    let q = format!("CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}");
    let expected = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ <{iri}> ?p ?o }}"),
    ) as usize;
    assert!(expected > 8);
    let mut reference: Option<Vec<String>> = None;
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/ld+json", jsonld()),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/n-quads", RdfFormat::NQuads),
        ("application/trig", RdfFormat::TriG),
    ] {
        let r = query(&s, &q, accept);
        assert_eq!(r.status, 200, "{accept}: {}", r.text());
        assert_eq!(r.media_type(), accept);
        let quads = parse(format, &r.body, &s);
        assert_eq!(quads.len(), expected, "{accept}");
        let c = canonical(quads);
        match &reference {
            None => reference = Some(c),
            Some(first) => assert_eq!(&c, first, "{accept} differs from Turtle"),
        }
    }
    // Plain JSON-LD is the expanded form: an array of nodes with every IRI written out and no context.
    let r = query(&s, &q, "application/ld+json");
    assert_eq!(
        r.header("content-type"),
        Some("application/ld+json; profile=\"http://www.w3.org/ns/json-ld#expanded\"")
    );
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let node = &v.as_array().expect("expanded JSON-LD is an array")[0];
    assert_eq!(node["@id"], iri);
    assert_eq!(
        node["http://www.w3.org/2004/02/skos/core#prefLabel"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(!r.text().contains("@context"));
    // Asked for, it is compacted against the project's context, which the document embeds.
    let compacted = query(
        &s,
        &q,
        "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#compacted\"",
    );
    assert_eq!(
        compacted.header("content-type"),
        Some("application/ld+json; profile=\"http://www.w3.org/ns/json-ld#compacted\"")
    );
    let v: serde_json::Value = serde_json::from_slice(&compacted.body).unwrap();
    assert_eq!(v["@context"]["akg"], "https://w3id.org/akimat-kg/ontology#");
    let node = &v["@graph"][0];
    assert_eq!(node["prefLabel"]["kk"], "Ақсу қаласының ішкі саясат бөлімі");
    assert_eq!(node["legalForm"], "form:state-institution");
    assert_eq!(
        canonical(parse(jsonld(), &compacted.body, &s)),
        reference.unwrap(),
        "compacted JSON-LD gives the triples of the Turtle answer"
    );
}

#[test]
fn dataset_parameters_choose_the_graphs() {
    let s = Server::shared(&[]);
    // The graph of the Aksu regulation, from its provenance.
    let r = query(
        &s,
        "SELECT ?g WHERE { GRAPH ?g { ?i a akg:StateInstitution ; skos:prefLabel \"Ақсу қаласының ішкі саясат бөлімі\"@kk } }",
        "text/csv",
    );
    let graph = r.text().lines().nth(1).unwrap().trim().to_string();
    let in_graph = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
    );
    let all = count(&s, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    assert!(in_graph > 100 && in_graph < all, "{in_graph} of {all}");
    let only = get(&[
        "-G",
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        "query=SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--data-urlencode",
        &format!("default-graph-uri={graph}"),
        &s.at("/sparql"),
    ]);
    assert_eq!(only.text().lines().nth(1).unwrap(), in_graph.to_string());
    // named-graph-uri alone: the default graph is empty, GRAPH sees the one named.
    let named = get(&[
        "-G",
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        "query=SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        "--data-urlencode",
        &format!("named-graph-uri={graph}"),
        &s.at("/sparql"),
    ]);
    assert_eq!(named.text().lines().nth(1).unwrap(), in_graph.to_string());
}

#[test]
fn graph_store_and_dumps_stream_every_format_and_gzip_when_asked() {
    let s = Server::shared(&[]);
    let named = count(
        &s,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    ) as usize;
    let union = count(&s, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") as usize;
    let nq = get(&[&s.at("/dump.nq")]);
    assert_eq!(nq.status, 200);
    assert_eq!(nq.media_type(), "application/n-quads");
    assert_eq!(
        nq.header("content-disposition"),
        Some("attachment; filename=\"akimat-kg.nq\"")
    );
    let dataset = parse(RdfFormat::NQuads, &nq.body, &s);
    assert_eq!(dataset.len(), named);
    // No quad names a file of this machine: no `file:` IRI, neither the repository's folder nor the store's.
    let text = nq.text();
    for local_path in [
        "file://".to_string(),
        server::root().to_string_lossy().into_owned(),
        server::shared().path.to_string_lossy().into_owned(),
    ] {
        assert!(!text.contains(&local_path), "the dump holds {local_path:?}");
    }
    let reference = canonical(dataset);
    for (path, format, size) in [
        ("/dump.trig", RdfFormat::TriG, named),
        ("/dump.jsonld", jsonld(), named),
        ("/dump.ttl", RdfFormat::Turtle, union),
        ("/dump.nt", RdfFormat::NTriples, union),
        ("/dump.rdf", RdfFormat::RdfXml, union),
        ("/store?default", RdfFormat::Turtle, union),
    ] {
        let r = get(&[&s.at(path)]);
        assert_eq!(r.status, 200, "{path}");
        let quads = parse(format, &r.body, &s);
        assert_eq!(quads.len(), size, "{path}");
        if size == named {
            assert_eq!(
                canonical(quads),
                reference,
                "{path} is not the N-Quads dump"
            );
        }
    }
    // gzip only when asked, and the same bytes once inflated.
    let gz = get(&["-H", "Accept-Encoding: gzip", &s.at("/dump.nq")]);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert!(
        gz.body.len() * 4 < nq.body.len(),
        "gzip should shrink N-Quads a lot"
    );
    let inflated = get(&["--compressed", &s.at("/dump.nq")]);
    assert_eq!(inflated.body, nq.body);
    // One named graph by the Graph Store Protocol, and the errors.
    let graph = format!("{}graph/meta", shared().base);
    let g = get(&[
        "-G",
        "--data-urlencode",
        &format!("graph={graph}"),
        "-H",
        "Accept: application/n-triples",
        &s.at("/store"),
    ]);
    assert_eq!(g.status, 200, "{}", g.text());
    let in_meta = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
    );
    assert_eq!(
        parse(RdfFormat::NTriples, &g.body, &s).len() as u64,
        in_meta
    );
    let missing = get(&[
        "-G",
        "--data-urlencode",
        "graph=http://example.org/none",
        &s.at("/store"),
    ]);
    assert_eq!(missing.status, 404);
    let both = get(&[
        "-G",
        "--data-urlencode",
        "graph=http://example.org/none",
        "--data-urlencode",
        "default",
        &s.at("/store"),
    ]);
    assert_eq!(both.status, 400);
    let put = get(&[
        "-X",
        "PUT",
        "--data-binary",
        "<a> <b> <c> .",
        &s.at("/store"),
    ]);
    assert_eq!(put.status, 405);
    // ETag revalidation.
    let tag = nq.header("etag").unwrap().to_string();
    let again = get(&["-H", &format!("If-None-Match: {tag}"), &s.at("/dump.nq")]);
    assert_eq!(again.status, 304);
}

#[test]
fn an_institution_dereferences_to_a_page_and_to_rdf() {
    let s = Server::shared(&[]);
    let base = &shared().base;
    let iri = format!("{base}{AKSU}");
    let provisions = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?p akg:assignedTo <{iri}> }}"),
    );
    let functions = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?p akg:assignedTo <{iri}> ; akg:provisionKind akg:Function }}"),
    );
    assert!(
        provisions > 40 && functions > 10,
        "{provisions} provisions, {functions} functions"
    );
    let html = get(&[
        "-H",
        "Accept: text/html",
        "-H",
        "Accept-Language: ru",
        &s.at(&format!("/{AKSU}")),
    ]);
    assert_eq!(html.status, 200);
    assert_eq!(html.media_type(), "text/html");
    assert!(html
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    let page = html.text();
    assert!(page.contains("<html lang=\"ru\">"));
    assert!(
        page.contains("<h1>Отдел внутренней политики города Аксу</h1>"),
        "the Russian name as title"
    );
    // Every provision is listed, under its kind, with a link to its own page.
    assert_eq!(page.matches("class=\"number\"").count() as u64, provisions);
    assert!(page.contains("Пункты положения"));
    assert!(page.contains("Профиль компетенций"));
    // Links to neighbours are local paths, with their labels.
    assert!(
        page.contains("href=\"/unit/pavlodar/aksu-city?lang=ru\""),
        "unit link"
    );
    assert!(page.contains("href=\"/body/pavlodar/aksu-city/akimat?lang=ru\""));
    // The source document and its provenance.
    // The source document is named by its path below the folder given to ingest, never by a local path.
    assert!(
        page.contains(">kk-aksu-internal-policy.txt<"),
        "source document named"
    );
    assert!(!page.contains("file://"), "a local path on the page");
    assert!(page.contains("sha256:"));
    // A provision's page shows where its text stands in the source.
    let provision = get(&[
        "-H",
        "Accept: text/html",
        &s.at(&format!(
            "/{}",
            page.split("class=\"number\" href=\"/")
                .nth(1)
                .unwrap()
                .split('?')
                .next()
                .unwrap()
        )),
    ]);
    assert_eq!(provision.status, 200);
    assert!(provision.text().contains("<code>") && provision.text().contains('–'));

    let ttl = get(&["-H", "Accept: text/turtle", &s.at(&format!("/{AKSU}"))]);
    assert_eq!(ttl.media_type(), "text/turtle");
    assert!(ttl.header("vary").unwrap().contains("Accept"));
    let quads = parse(RdfFormat::Turtle, &ttl.body, &s);
    let outgoing = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ <{iri}> ?p ?o }}"),
    );
    let incoming = count(
        &s,
        &format!("SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p <{iri}> }}"),
    );
    assert_eq!(quads.len() as u64, outgoing + incoming);
    for (accept, format) in [
        ("application/ld+json", jsonld()),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/n-triples", RdfFormat::NTriples),
    ] {
        let r = get(&[
            "-H",
            &format!("Accept: {accept}"),
            &s.at(&format!("/{AKSU}")),
        ]);
        assert_eq!(
            canonical(parse(format, &r.body, &s)),
            canonical(quads.clone()),
            "{accept}"
        );
    }
    let by_param = get(&[&s.at(&format!("/{AKSU}?format=jsonld"))]);
    assert_eq!(by_param.media_type(), "application/ld+json");
    // An IRI nothing has: 404 in both worlds.
    let none = get(&["-H", "Accept: text/html", &s.at("/org/nowhere")]);
    assert_eq!(none.status, 404);
    assert!(none.text().contains(&format!("{base}org/nowhere")));
    assert_eq!(
        get(&["-H", "Accept: text/turtle", &s.at("/org/nowhere")]).status,
        404
    );
}

#[test]
fn a_label_holding_a_script_tag_is_shown_as_text() {
    let s = Server::shared(&[]);
    let r = query(
        &s,
        "SELECT ?i WHERE { ?i a akg:StateInstitution ; skos:prefLabel ?l FILTER(CONTAINS(?l, \"<script>\")) }",
        "text/csv",
    );
    let iri = r
        .text()
        .lines()
        .nth(1)
        .expect("the crafted institution is in the store")
        .trim()
        .to_string();
    let path = iri.strip_prefix(shared().base.as_str()).unwrap();
    for lang in ["kk", "ru"] {
        let page = get(&[
            "-H",
            "Accept: text/html",
            &s.at(&format!("/{path}?lang={lang}")),
        ])
        .text();
        assert!(
            !page.contains("<script>alert(1)</script>"),
            "raw script in the page"
        );
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "the label shown as text"
        );
        assert!(!page.to_lowercase().contains("<script"));
    }
    let home = get(&[&s.at("/?lang=kk")]).text();
    assert!(home.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!home.to_lowercase().contains("<script"));
    // The competence map has a sorting script of its own, but the label is text there too.
    let map = get(&[&s.at("/map")]).text();
    assert!(
        map.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the crafted body on the map"
    );
    assert!(!map.contains("<script>alert(1)"));
}

#[test]
fn vocabularies_answer_at_their_namespaces() {
    let s = Server::shared(&[]);
    let ttl = get(&["-H", "Accept: text/turtle", &s.at("/ontology")]);
    let quads = parse(RdfFormat::Turtle, &ttl.body, &s);
    let file = parse(RdfFormat::Turtle, akimat_kg::ONTOLOGY.as_bytes(), &s);
    assert_eq!(canonical(quads), canonical(file));
    let html = get(&["-H", "Accept: text/html", &s.at("/ontology?lang=en")]).text();
    assert!(html.contains("id=\"Provision\""), "anchors for #terms");
    assert!(html.contains("id=\"assignedTo\""));
    let comp = get(&["-H", "Accept: text/html", &s.at("/competence/?lang=ru")]).text();
    assert!(comp.contains("id=\"religion\"") && comp.contains("Религия"));
    let forms = get(&["-H", "Accept: application/ld+json", &s.at("/legal-form/")]);
    let v: serde_json::Value = serde_json::from_slice(&forms.body).unwrap();
    assert!(
        v.as_array().unwrap().len() >= 5,
        "expanded: one node per form and the scheme"
    );
    // A concept of a scheme is a resource like any other.
    let concept = get(&[
        "-H",
        "Accept: text/html",
        &s.at("/competence/religion?lang=en"),
    ]);
    assert_eq!(concept.status, 200);
    assert!(
        concept.text().contains("<h1>Religion</h1>"),
        "{}",
        concept.text()
    );
    let context = get(&[&s.at("/context.jsonld")]);
    assert_eq!(context.media_type(), "application/ld+json");
    assert_eq!(context.text(), akimat_kg::serve::CONTEXT);
}

#[test]
fn the_dataset_description_counts_what_the_endpoint_counts() {
    let s = Server::shared(&[]);
    let home = get(&[&s.at("/")]).text();
    assert!(home.contains("href=\"/.well-known/void\""));
    let r = get(&["-H", "Accept: text/turtle", &s.at("/.well-known/void")]);
    assert_eq!(r.status, 200);
    let store = oxigraph::store::Store::new().unwrap();
    store.load_from_slice(RdfFormat::Turtle, &r.body).unwrap();
    let value = |q: &str| -> String {
        let full = format!("PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/> {q}");
        let (_, rows) = akimat_kg::query::select(&store, &full, "void").unwrap();
        rows[0][0]
            .as_ref()
            .map(akimat_kg::query::plain)
            .unwrap_or_default()
    };
    let base = &shared().base;
    let triples = count(&s, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    assert_eq!(
        value("SELECT ?n WHERE { ?d a void:Dataset ; void:triples ?n }"),
        triples.to_string()
    );
    assert_eq!(
        value("SELECT ?e WHERE { ?d void:sparqlEndpoint ?e }"),
        format!("{base}sparql")
    );
    assert_eq!(
        value("SELECT (COUNT(?u) AS ?n) WHERE { ?d dcat:distribution/dcat:downloadURL ?u }"),
        "6"
    );
    assert_eq!(
        value("SELECT ?l WHERE { ?d dct:license ?l }"),
        "https://creativecommons.org/licenses/by/4.0/"
    );
    let documents = count(&s, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?m { ?g akg:sourceDigest ?d } FILTER(!STRENDS(STR(?g), \"graph/ontology\") && !STRENDS(STR(?g), \"graph/aggregates\")) }");
    assert_eq!(
        value("SELECT ?n WHERE { ?d void:documents ?n }"),
        documents.to_string()
    );
    let institutions = count(
        &s,
        "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a akg:StateInstitution }",
    );
    assert_eq!(
        value("SELECT ?n WHERE { ?d void:classPartition [ void:class <https://w3id.org/akimat-kg/ontology#StateInstitution> ; void:entities ?n ] }"),
        institutions.to_string()
    );
}

#[test]
fn service_is_refused_and_no_request_leaves_the_server() {
    let s = Server::shared(&[]);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let target = format!(
        "http://127.0.0.1:{}/sparql",
        listener.local_addr().unwrap().port()
    );
    for q in [
        format!("SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"),
        format!("SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <{target}> {{ ?s ?q ?r }} }} }} LIMIT 1"),
    ] {
        let r = query(&s, &q, "application/sparql-results+json");
        assert_eq!(r.status, 403, "{}", r.text());
        assert!(r.text().contains("SERVICE"), "{}", r.text());
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        listener.accept().is_err(),
        "the server connected to the SERVICE target"
    );
}

#[test]
fn a_query_past_the_timeout_is_stopped_within_a_second_of_it() {
    let s = Server::shared(&["--query-timeout", "2"]);
    // A cartesian product counted in memory: the engine does not look at its cancellation token inside it.
    let q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = Instant::now();
    let r = query(&s, q, "application/sparql-results+json");
    let took = started.elapsed();
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.text().contains("timeout of 2 s"), "{}", r.text());
    assert!(took < Duration::from_secs(3), "answered after {took:?}");
    assert!(took >= Duration::from_secs(2), "answered after {took:?}");
    // The worker that ran it is gone, and the server answers the next query.
    std::thread::sleep(Duration::from_millis(500));
    assert!(s.workers().is_empty(), "workers left: {:?}", s.workers());
    assert_eq!(
        query(&s, "ASK { ?s ?p ?o }", "application/sparql-results+json").status,
        200
    );
}

#[test]
fn lookups_run_in_the_server_and_joins_in_workers_and_both_keep_the_timeout() {
    // With a timeout of 5 ms, a scan of the whole store (run by the server itself) and a join over it (run by a
    // worker) are both stopped, however loaded the machine is.
    let s = Server::shared(&["--query-timeout", "0.005"]);
    // One triple pattern: the engine checks its token on every read, so the server runs it itself.
    let scan =
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), \"zzzz\")) }";
    let started = Instant::now();
    let r = query(&s, scan, "text/csv");
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        s.workers().is_empty(),
        "a worker was started for a one-pattern query"
    );
    let big_join = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?r }";
    let r = query(&s, big_join, "text/csv");
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(s);
    // With room to answer: a lookup stays in the server, a join goes to one worker. (The timing of a worker's start
    // is not part of this test: under load it alone can take more than 5 ms.)
    let s = Server::shared(&["--query-timeout", "30"]);
    let lookup = query(
        &s,
        "SELECT ?p WHERE { <http://example.org/none> ?p ?o }",
        "text/csv",
    );
    assert_eq!(lookup.status, 200, "{}", lookup.text());
    assert!(s.workers().is_empty());
    let join = query(
        &s,
        "SELECT ?o WHERE { <http://example.org/none> ?p ?x . ?x ?q ?o }",
        "text/csv",
    );
    assert_eq!(join.status, 200, "{}", join.text());
    assert_eq!(s.workers().len(), 1);
}

#[test]
fn results_past_the_cap_are_refused_with_the_option_named() {
    let s = Server::shared(&["--max-results", "50"]);
    let r = query(&s, "SELECT * WHERE { ?s ?p ?o }", "text/csv");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("--max-results"));
    let fits = query(
        &s,
        "SELECT * WHERE { ?s ?p ?o } LIMIT 50",
        "application/sparql-results+json",
    );
    assert_eq!(fits.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&fits.body).unwrap();
    assert_eq!(v["results"]["bindings"].as_array().unwrap().len(), 50);
}

#[test]
fn a_hundred_megabyte_body_is_refused_before_it_is_read() {
    let s = Server::shared(&[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.rq");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let at = format!("@{}", file.display());
    for chunked in [false, true] {
        let started = Instant::now();
        let mut args = vec![
            "-H",
            "Content-Type: application/sparql-query",
            "--data-binary",
            &at,
        ];
        if chunked {
            args.extend(["-H", "Transfer-Encoding: chunked"]);
        }
        let url = s.at("/sparql");
        args.push(&url);
        let r = curl(&args).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status, 413, "chunked={chunked}: {}", r.text());
        assert!(r.text().contains("--max-body"), "{}", r.text());
        assert!(started.elapsed() < Duration::from_secs(10));
    }
    assert_eq!(query(&s, "ASK { ?s ?p ?o }", "text/csv").status, 200);
}

#[test]
fn deep_nesting_is_refused_and_the_server_lives_on() {
    let s = Server::shared(&[]);
    let q = format!(
        "SELECT * WHERE {{ FILTER({}1{}) }}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deep.rq");
    std::fs::write(&file, q).unwrap();
    let r = get(&[
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        &format!("@{}", file.display()),
        &s.at("/sparql"),
    ]);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("levels deep"));
    assert_eq!(query(&s, "ASK { ?s ?p ?o }", "text/csv").status, 200);
}

#[test]
fn updates_are_refused_by_a_read_only_server() {
    let s = Server::shared(&[]);
    let r = get(&[
        "-H",
        "Content-Type: application/sparql-update",
        "-H",
        "Authorization: Bearer anything",
        "--data-binary",
        "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }",
        &s.at("/sparql"),
    ]);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("--allow-update"));
    let by_get = get(&[
        "-G",
        "--data-urlencode",
        "update=CLEAR ALL",
        &s.at("/sparql"),
    ]);
    assert_eq!(by_get.status, 400);
    assert_eq!(
        count(
            &s,
            "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/s> ?p ?o }"
        ),
        0
    );
}

#[test]
fn repeated_queries_come_from_the_cache_and_revalidate() {
    let s = Server::shared(&[]);
    let args = |extra: &[&str]| {
        let mut v: Vec<String> = vec![
            "-G".into(),
            "--data-urlencode".into(),
            "query=SELECT ?s WHERE { ?s a akg:Provision } LIMIT 5".into(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v.push(s.at("/sparql"));
        v
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        get(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let first = run(&[]);
    assert_eq!(first.header("x-cache"), Some("miss"));
    let second = run(&[]);
    assert_eq!(second.header("x-cache"), Some("hit"));
    assert_eq!(first.body, second.body);
    let tag = first.header("etag").unwrap().to_string();
    assert_eq!(run(&["-H", &format!("If-None-Match: {tag}")]).status, 304);
    // Another format is another answer.
    let csv = run(&["-H", "Accept: text/csv"]);
    assert_eq!(csv.header("x-cache"), Some("miss"));
    assert_ne!(csv.header("etag").unwrap(), tag);
}

#[test]
fn health_cors_and_the_access_log() {
    let s = Server::shared(&["--cors-origin", "https://example.org"]);
    let h = get(&[&s.at("/health")]);
    let v: serde_json::Value = serde_json::from_slice(&h.body).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["read_only"], true);
    let preflight = get(&[
        "-X",
        "OPTIONS",
        "-H",
        "Origin: https://example.org",
        "-H",
        "Access-Control-Request-Method: POST",
        &s.at("/sparql"),
    ]);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://example.org")
    );
    let other = get(&["-H", "Origin: https://elsewhere.example", &s.at("/health")]);
    assert_eq!(other.header("access-control-allow-origin"), None);
    let _ = get(&["-A", "log-test/1.0", &s.at("/nothing-here")]);
    std::thread::sleep(Duration::from_millis(200));
    let lines = s.log_lines();
    let line = lines
        .iter()
        .find(|l| l["path"] == "/nothing-here")
        .unwrap_or_else(|| panic!("no log line: {lines:?}"));
    assert_eq!(line["status"], 404);
    assert_eq!(line["method"], "GET");
    assert_eq!(line["user_agent"], "log-test/1.0");
    assert!(line["time"].as_str().unwrap().ends_with('Z'));
    assert!(line["ms"].is_number());
    assert!(lines.iter().any(|l| l["event"] == "listening"));
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut s = Server::shared(&[]);
    // A join runs in a query worker.
    assert_eq!(
        query(&s, "ASK { ?s a ?c . ?c ?p ?o }", "text/csv").status,
        200
    );
    let workers = s.workers();
    assert_eq!(workers.len(), 1, "one worker after one query with a join");
    let status = s
        .terminate(Duration::from_secs(10))
        .expect("stopped within 10 s");
    assert!(status.success(), "{status}");
    let events: Vec<String> = s
        .log_lines()
        .iter()
        .filter_map(|l| l["event"].as_str().map(str::to_string))
        .collect();
    assert!(events.contains(&"shutting down".to_string()), "{events:?}");
    assert_eq!(events.last().map(String::as_str), Some("stopped"));
    std::thread::sleep(Duration::from_millis(300));
    for pid in workers {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
                || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .unwrap_or_default()
                    .contains(") Z"),
            "worker {pid} outlived the server"
        );
    }
}
