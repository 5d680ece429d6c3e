#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora from the shared fixtures, at run time (nothing is
copied into the repository): make_seeds.py FIXTURES_DIR OUT_DIR.

  OUT/vera  VERA messages built with the codes of fixtures/vera/Referentiedata.csv, each
            prefixed with the byte that picks the resource (see host-adapters/vera/fuzz_vera.cpp),
            and the fixtures' JSON documents as documents;
  OUT/csv   CSV exports in the mapping's columns with the reference data's codes, and the
            head of Referentiedata.csv itself (a real ';'-separated file);
  OUT/text  dates, amounts, identifiers and JSON snippets for the common checks.
"""
import csv
import json
import os
import sys


def codes(fixtures, soort):
    path = os.path.join(fixtures, "vera", "Referentiedata.csv")
    with open(path, encoding="utf-8") as table:
        return [row["Code"] for row in csv.DictReader(table, delimiter=";") if row["Soort"] == soort]


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as out:
        out.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def main(fixtures, out):
    tenancy = [{"naam": "huurovereenkomst", "waarde": "HO-1"}]
    # Resource order as vera_resources(): the first byte selects one, the last value a document.
    resources = ["signaleringen", "zaken", "overeenkomsten", "betalingsregelingen", "externe-incassos",
                 "huuropzeggingen", "onderhoudsorders"]
    vera = os.path.join(out, "vera")
    for i, soort in enumerate(codes(fixtures, "SIGNALERINGSOORT")):
        for j, detail in enumerate(codes(fixtures, "SIGNALERINGDETAILSOORT")[:4]):
            message = {"id": f"S-{i}-{j}", "soort": {"code": soort}, "detailSoort": {"code": detail},
                       "status": {"code": "ACT"}, "begindatum": "2024-03-01T09:30:00Z",
                       "extra-attributen": tenancy}
            write(vera, f"signalering-{soort}-{detail}", bytes([0]) + json.dumps(message).encode())
            write(vera, f"document-{soort}-{detail}",
                  bytes([len(resources)]) + json.dumps({"signaleringen": [message]}).encode())
    for i, (soort, detail) in enumerate(zip(codes(fixtures, "ZAAKTYPESOORT") * 5, codes(fixtures, "ZAAKTYPEDETAILSOORT"))):
        zaak = {"id": f"Z-{i}", "begindatum": "2024-02-10T08:00:00Z",
                "zaaktype": {"soort": {"code": soort}, "detailSoort": {"code": detail}},
                "zaakstatussen": [{"soort": {"code": "INB"}, "begindatum": "2024-02-12T10:00:00Z"}],
                "rollen": [{"soort": {"code": "MEL"}, "relatie": {"id": "R-1", "bsn": "111222333"}}],
                "overeenkomsten": [{"id": "HO-1"}]}
        write(vera, f"zaak-{i}", bytes([1]) + json.dumps(zaak).encode())
    write(vera, "overeenkomst", bytes([2]) + json.dumps(
        {"id": "HO-1", "soort": {"code": "HUU"}, "begindatum": "2019-04-01", "eenheden": [{"id": "VHE-1"}]}).encode())
    for status in codes(fixtures, "BETALINGSREGELINGSTATUS"):
        write(vera, f"regeling-{status}", bytes([3]) + json.dumps(
            {"id": "BR-1", "status": {"code": status}, "afspraakdatum": "2024-04-02", "saldo": 612.5,
             "eindeReden": {"code": "VOL"}, "overeenkomst": {"id": "HO-1"}}).encode())
    write(vera, "incasso", bytes([4]) + json.dumps(
        {"id": "EI-1", "soort": {"code": "DEU"}, "overdrachtsdatum": "2024-05-06", "bedrag": 1450,
         "overeenkomsten": [{"id": "HO-1"}]}).encode())
    write(vera, "opzegging", bytes([5]) + json.dumps(
        {"id": "HZ-1", "status": {"code": "GOE"}, "redenOpzegging": {"code": "COR"}, "opzegdatum": "2024-05-20",
         "huurovereenkomst": {"id": "HO-1"}}).encode())
    write(vera, "onderhoudsorder", bytes([6]) + json.dumps(
        {"id": "OO-1", "begindatum": "2024-05-01T08:00:00Z", "overeenkomst": {"id": "HO-1"},
         "onderhoudstaken": [{"id": "T", "status": {"code": "OND"}, "detailStatus": {"code": "AFW"},
                              "afspraken": [{"begindatum": "2024-05-03T09:00:00Z"}]}]}).encode())
    for folder in ("signalen",):
        path = os.path.join(fixtures, folder)
        for name in sorted(os.listdir(path)) if os.path.isdir(path) else []:
            if name.endswith(".json"):
                with open(os.path.join(path, name), "rb") as source:
                    write(vera, f"fixture-{name}", bytes([len(resources)]) + source.read()[:65536])

    csv_folder = os.path.join(out, "csv")
    rows = ["id;contract;datum;soort;bedrag;bsn"]
    for i, code in enumerate(["HUURACHTERSTAND", "GELUIDSOVERLAST", "GEEN_TOEGANG", "NOTITIE"]
                             + codes(fixtures, "SIGNALERINGSOORT")):
        rows.append(f'R-{i};HO-{i % 3};2024-03-0{1 + i % 9};{code};"{i},50";111222333')
    write(csv_folder, "export", bytes([0]) + ("\n".join(rows) + "\n").encode())
    write(csv_folder, "export-comma", bytes([1]) + ("\n".join(r.replace(";", ",") for r in rows) + "\n").encode())
    with open(os.path.join(fixtures, "vera", "Referentiedata.csv"), "rb") as table:
        write(csv_folder, "referentiedata-head", bytes([0]) + table.read()[:32768])

    text = os.path.join(out, "text")
    for i, value in enumerate(["2024-03-01", "2024-03-01T09:30:00.250+01:00", "612,50", "111222333", "10000021",
                               '{"id":"x","a":[1,2.5,null,true]}', "\u00e9\u20ac\U0001F3E0"]):
        write(text, f"seed-{i}", value)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_seeds.py FIXTURES_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
