#!/usr/bin/env python3
"""Writes a Word document from a plain-text regulation, as an office would publish it: one paragraph per line
(each split into several runs, as Word does after edits), lines copied from tables (cells split by tab-pipe-tab)
as a real table, a header with the page title. Used by tests/inputs.rs; needs python-docx.

    make_docx.py TEXT_FILE DOCX_FILE
"""
import sys

import docx


def main(src, dst):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Әділет"
    for line in open(src, encoding="utf-8").read().splitlines():
        if not line.strip():
            continue
        if "\t|\t" in line:
            cells = [c.strip() for c in line.split("\t|\t")]
            table = document.add_table(rows=1, cols=len(cells))
            for cell, text in zip(table.rows[0].cells, cells):
                cell.text = text
            continue
        paragraph = document.add_paragraph()
        words = line.strip().split(" ")
        half = len(words) // 2
        if half:
            paragraph.add_run(" ".join(words[:half]) + " ")
        paragraph.add_run(" ".join(words[half:]))
    document.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
