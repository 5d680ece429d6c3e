#!/usr/bin/env python3
"""check_layout_coverage.py — every public struct and field has a layout expectation.

  check_layout_coverage.py HEADERS_DIR EXPECTED_LAYOUT_H

Reads every `typedef struct NAME { ... } NAME;` of the public headers in HEADERS_DIR and
asserts that EXPECTED_LAYOUT_H (tests/abi/expected_layout.h) lists the struct's size and
the offset of each of its fields, so that the static assertions in layout_c11.c and
layout_cxx.cpp guard all of them. Exits 1 naming what is missing or stale.
"""
import re
import sys
from pathlib import Path

STRUCT_PATTERN = re.compile(r"typedef\s+struct\s+(\w+)\s*\{(.*?)\}\s*(\w+)\s*;", re.S)
FUNCTION_POINTER_FIELD = re.compile(r"\(\s*\*\s*(\w+)\s*\)")
PLAIN_FIELD = re.compile(r"(\w+)\s*(\[[^\]]*\])?\s*$")


def without_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def header_structs(headers_dir):
    """{struct name: [field names in order]} of every public header."""
    structs = {}
    for header in sorted(Path(headers_dir).glob("*.h")):
        text = without_comments(header.read_text(encoding="utf-8"))
        for name, body, _typedef_name in STRUCT_PATTERN.findall(text):
            fields = []
            for declaration in body.split(";"):
                declaration = " ".join(declaration.split())
                if not declaration:
                    continue
                pointer = FUNCTION_POINTER_FIELD.search(declaration)
                plain = PLAIN_FIELD.search(declaration)
                fields.append(pointer.group(1) if pointer else plain.group(1))
            structs[name] = fields
    return structs


def expected_layout(expected_path):
    """({struct: size entry present}, {struct: [fields in expected_layout.h order]})."""
    text = without_comments(Path(expected_path).read_text(encoding="utf-8"))
    sized = set(re.findall(r"X\((\w+),\s*\d+,\s*\d+\)", text))
    fields = {}
    for struct, field in re.findall(r"X\((\w+),\s*([A-Za-z_]\w*),\s*\d+\)", text):
        fields.setdefault(struct, []).append(field)
    return sized, fields


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    structs = header_structs(argv[1])
    sized, expected_fields = expected_layout(argv[2])
    problems = []
    if not structs:
        problems.append(f"no public struct found in {argv[1]}")
    for name, fields in structs.items():
        if name not in sized:
            problems.append(f"{name}: no size entry in HEARTH_EXPECTED_SIZES")
        if expected_fields.get(name, []) != fields:
            problems.append(f"{name}: header fields {fields} but expected_layout.h lists "
                            f"{expected_fields.get(name, [])}")
    for name in sorted((sized | set(expected_fields)) - set(structs)):
        problems.append(f"{name}: listed in expected_layout.h but not in any public header")
    for problem in problems:
        print(f"FAIL: {problem}")
    if problems:
        print("Update tests/abi/expected_layout.h (sizes and offsets on LP64).")
        return 1
    print(f"OK: all {len(structs)} public structs and their fields have layout expectations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
