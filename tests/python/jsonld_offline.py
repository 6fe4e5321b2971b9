"""Reads JSON-LD with the network cut, with rdflib and with PyLD, and compares the quads each gives with those of a
reference file of the same data (N-Quads, N-Triples or Turtle) read by rdflib. A document that needs a remote
context fails here, as it would for a client offline.

usage: python3 tests/python/jsonld_offline.py JSONLD REFERENCE REFERENCE_FORMAT [JSONLD REFERENCE FORMAT ...]
Prints one JSON object per JSON-LD file: quad counts, whether each reader agrees, and a few differences.
"""

import json
import socket
import sys


def refuse(*args, **kwargs):
    raise OSError("the network is cut for this test")


# Cut the network before any library can open a connection.
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

import rdflib  # noqa: E402
from rdflib.compare import isomorphic  # noqa: E402
from pyld import jsonld  # noqa: E402


def no_loader(url, options=None):
    raise RuntimeError("this document needs %s, and the network is cut" % url)


jsonld.set_document_loader(no_loader)


def quads(dataset):
    out = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        g = getattr(g, "identifier", g)
        if g is None or str(g) == "urn:x-rdflib:default":
            g = None
        out.add((s, p, o, g))
    return out


def read(data, fmt):
    d = rdflib.Dataset()
    d.parse(data=data, format=fmt)
    return quads(d)


def same(a, b):
    """Equal quad sets; graphs holding blank nodes are compared up to blank-node renaming."""
    if a == b:
        return True
    graphs = {q[3] for q in a} | {q[3] for q in b}
    for g in graphs:
        ta = {q[:3] for q in a if q[3] == g}
        tb = {q[:3] for q in b if q[3] == g}
        if ta == tb:
            continue
        if not any(isinstance(t, rdflib.BNode) for q in ta | tb for t in q):
            return False
        ga, gb = rdflib.Graph(), rdflib.Graph()
        for t in ta:
            ga.add(t)
        for t in tb:
            gb.add(t)
        if not isomorphic(ga, gb):
            return False
    return True


def sample(a, b):
    return sorted(" ".join(t.n3() if t is not None else "-" for t in q) for q in a - b)[:3]


results = []
args = sys.argv[1:]
for i in range(0, len(args), 3):
    path, ref_path, ref_format = args[i : i + 3]
    text = open(path, encoding="utf-8").read()
    reference = read(open(ref_path, encoding="utf-8").read(), ref_format)
    r = {"file": path, "reference": len(reference)}
    try:
        by_rdflib = read(text, "json-ld")
        r["rdflib"] = len(by_rdflib)
        r["rdflib_equal"] = same(by_rdflib, reference)
        r["rdflib_missing"] = sample(reference, by_rdflib)
        r["rdflib_extra"] = sample(by_rdflib, reference)
    except Exception as e:  # reported to the Rust test, which names the file
        r["rdflib_error"] = repr(e)[:500]
    try:
        nquads = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads"})
        by_pyld = read(nquads, "nquads")
        r["pyld"] = len(by_pyld)
        r["pyld_equal"] = same(by_pyld, reference)
        r["pyld_missing"] = sample(reference, by_pyld)
        r["pyld_extra"] = sample(by_pyld, reference)
    except Exception as e:
        r["pyld_error"] = repr(e)[:500]
    results.append(r)

print(json.dumps(results, ensure_ascii=False))
