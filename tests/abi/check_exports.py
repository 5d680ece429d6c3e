#!/usr/bin/env python3
"""check_exports.py — asserts what a shared object exports, from `nm -D --defined-only`.

  check_exports.py plugin MODULE
      The only defined dynamic function (text symbol) is hearth_get_plugin_entry.
  check_exports.py library LIBRARY HOST_HEADER
      Every defined dynamic function starts with "hearth_", and the set of exported
      functions is exactly the HEARTH_API functions declared in HOST_HEADER (host.h).

Exits 0 when the assertion holds, 1 with the offending symbols when it does not, 2 when
nm cannot read the file.
"""
import re
import subprocess
import sys

# nm symbol types that are code: T/t text, W/w weak (inline/template code), i indirect.
FUNCTION_TYPES = {"T", "t", "W", "w", "i"}
PLUGIN_ENTRY_SYMBOL = "hearth_get_plugin_entry"


def defined_dynamic_symbols(path):
    """Returns [(type, name)] of the defined symbols in the dynamic symbol table."""
    completed = subprocess.run(
        ["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.stderr.write(f"nm -D --defined-only {path} failed:\n{completed.stderr}")
        sys.exit(2)
    symbols = []
    for line in completed.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 2:
            # "ADDRESS TYPE NAME" (ADDRESS may be absent for absolute symbols)
            symbol_type, name = fields[-2], fields[-1]
            symbols.append((symbol_type, name.split("@")[0]))
    return symbols


def exported_functions(path):
    """Names of the defined dynamic symbols that are functions."""
    return sorted({name for kind, name in defined_dynamic_symbols(path) if kind in FUNCTION_TYPES})


def declared_host_functions(header_path):
    """Names of the functions declared with HEARTH_API in host.h."""
    with open(header_path, encoding="utf-8") as header:
        text = header.read()
    return sorted(set(re.findall(r"HEARTH_API\s[^;(]*?\b(hearth_\w+)\s*\(", text)))


def check_plugin(module_path):
    functions = exported_functions(module_path)
    if functions != [PLUGIN_ENTRY_SYMBOL]:
        print(f"FAIL: {module_path} must export exactly [{PLUGIN_ENTRY_SYMBOL}], exports {functions}")
        return 1
    others = [f"{kind} {name}" for kind, name in defined_dynamic_symbols(module_path)
              if kind not in FUNCTION_TYPES]
    if others:
        print(f"FAIL: {module_path} also exports data symbols: {others}")
        return 1
    print(f"OK: {module_path} exports only {PLUGIN_ENTRY_SYMBOL}")
    return 0


def check_library(library_path, header_path):
    functions = exported_functions(library_path)
    failures = []
    outside_prefix = [name for name in functions if not name.startswith("hearth_")]
    if outside_prefix:
        failures.append(f"functions without the hearth_ prefix: {outside_prefix}")
    declared = declared_host_functions(header_path)
    if not declared:
        failures.append(f"found no HEARTH_API function in {header_path}")
    missing = sorted(set(declared) - set(functions))
    if missing:
        failures.append(f"host.h functions the library does not export: {missing}")
    undeclared = sorted(set(name for name in functions if name.startswith("hearth_")) - set(declared))
    if undeclared:
        failures.append(f"exported hearth_ functions that host.h does not declare: {undeclared}")
    if failures:
        for failure in failures:
            print(f"FAIL: {library_path}: {failure}")
        return 1
    print(f"OK: {library_path} exports exactly the {len(declared)} functions of host.h")
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "plugin":
        return check_plugin(argv[2])
    if len(argv) == 4 and argv[1] == "library":
        return check_library(argv[2], argv[3])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
