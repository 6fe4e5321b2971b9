"""Real Python clients against a running `akimat-kg serve`: SPARQLWrapper and rdflib's SPARQLStore query the
endpoint; rdflib parses the RDF the server sends (CONSTRUCT results, dereferenced resources, JSON-LD). Prints
what it found as JSON for the Rust test to check.

usage: python3 tests/python/clients.py ENDPOINT BASE INSTITUTION_IRI
"""

import json
import sys

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, TURTLE, XML, SPARQLWrapper

endpoint, base, institution = sys.argv[1], sys.argv[2], sys.argv[3]
PREFIXES = """PREFIX akg: <https://w3id.org/akimat-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
LABELS = PREFIXES + 'SELECT ?i ?l WHERE { ?i a akg:StateInstitution ; skos:prefLabel ?l FILTER(lang(?l) = "kk") } ORDER BY ?l'
DESCRIBE = "CONSTRUCT { <%s> ?p ?o } WHERE { <%s> ?p ?o }" % (institution, institution)
out = {}


def wrapper(query, fmt, method="GET"):
    w = SPARQLWrapper(endpoint)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    return w.query().convert()


# SPARQLWrapper: SELECT as JSON (GET and POST), XML and CSV.
res = wrapper(LABELS, JSON)
out["wrapper_json_labels"] = [b["l"]["value"] for b in res["results"]["bindings"]]
res = wrapper(LABELS, JSON, method="POST")
out["wrapper_post_rows"] = len(res["results"]["bindings"])
res = wrapper(LABELS, XML)
out["wrapper_xml_rows"] = len(res.getElementsByTagName("result"))
res = wrapper(LABELS, CSV)
out["wrapper_csv_rows"] = len(res.decode("utf-8").strip().splitlines()) - 1
res = wrapper(PREFIXES + "ASK { ?p a akg:Provision }", JSON)
out["wrapper_ask"] = res["boolean"]

# SPARQLWrapper: CONSTRUCT as Turtle and as JSON-LD (expanded, no context), parsed by rdflib.
g = wrapper(DESCRIBE, TURTLE)
if isinstance(g, bytes):
    g = rdflib.Graph().parse(data=g, format="turtle")
out["wrapper_turtle_triples"] = len(g)
g = wrapper(DESCRIBE, JSONLD)
if isinstance(g, bytes):
    g = rdflib.Graph().parse(data=g, format="json-ld")
out["wrapper_jsonld_triples"] = len(g)
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
out["wrapper_jsonld_labels"] = sorted(
    "%s@%s" % (o, o.language) for o in g.objects(rdflib.URIRef(institution), SKOS.prefLabel)
)

# rdflib's SPARQLStore: the endpoint as a read-only graph.
store = SPARQLStore(endpoint, returnFormat="json")
graph = rdflib.Graph(store=store)
rows = list(graph.query(LABELS))
out["sparqlstore_rows"] = len(rows)
out["sparqlstore_first"] = str(rows[0][1]) if rows else None
out["sparqlstore_triples_about"] = len(list(graph.triples((rdflib.URIRef(institution), None, None))))

# rdflib dereferencing the institution's IRI with content negotiation, in several formats.
for name, fmt in [("turtle", "turtle"), ("xml", "xml"), ("json-ld", "json-ld"), ("nt", "nt")]:
    accept = {
        "turtle": "text/turtle",
        "xml": "application/rdf+xml",
        "json-ld": "application/ld+json",
        "nt": "application/n-triples",
    }[name]
    import urllib.request

    req = urllib.request.Request(institution, headers={"Accept": accept})
    with urllib.request.urlopen(req) as resp:
        body = resp.read()
        ctype = resp.headers.get("Content-Type")
    d = rdflib.Graph().parse(data=body, format=fmt, publicID=institution)
    out["deref_%s_triples" % name] = len(d)
    out["deref_%s_type" % name] = ctype

print(json.dumps(out, ensure_ascii=False))
