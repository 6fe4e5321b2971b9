"""Validates RDF data against SHACL shapes with rudof (PyPI's pyrudof, rudof's own engine) and prints every result
as JSON: [focus node, constraint component IRI], blank nodes written "_:" (their labels are the reader's own).

usage: python3 tests/python/rudof_validate.py DATA.(ttl|nt) SHAPES.ttl
"""

import json
import sys

import pyrudof

data_path, shapes_path = sys.argv[1], sys.argv[2]
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
data_format = pyrudof.RDFFormat.NTriples if data_path.endswith(".nt") else pyrudof.RDFFormat.Turtle
rudof.read_data(open(data_path, encoding="utf-8").read(), format=data_format, reader_mode=pyrudof.ReaderMode.Strict)
rudof.read_shacl(open(shapes_path, encoding="utf-8").read(), reader_mode=pyrudof.ReaderMode.Strict)
report = rudof.validate_shacl()
out = []
for v in report.violations:
    focus = str(v.focus_node)
    out.append(["_:" if focus.startswith("_:") else focus, str(v.constraint_component)])
print(json.dumps({"conforms": report.conforms, "results": sorted(out)}, ensure_ascii=False))
