#!/usr/bin/env python3
"""early_warning_embed.py — embedding Hearth in Python through its C API (hearth/host.h).

  python3 early_warning_embed.py LIBHEARTH CONFIG_SOURCE

LIBHEARTH is the runtime library (e.g. /usr/lib/libhearth.so.1); the bundled plugins are
loaded from lib/hearth/plugins next to it. CONFIG_SOURCE is Hearth's default configuration
folder (share/hearth/config when installed; config/ in the sources), for the early-warning
rule set.

What it does, as an integrator's program would:
  1. loads libhearth with ctypes and opens a runtime on a scratch folder (SQLite store);
  2. stores a unit and a tenancy (hearth_runtime_put_records, as a system actor);
  3. ingests one signal, rent arrears of EUR 2,000 from yesterday (hearth_runtime_ingest),
     and waits until the plugins have seen it (hearth_runtime_drain);
  4. reads the tenancy's early-warning flag as its housing consultant
     (hearth_runtime_call "nl.hearth.early-warning" "flags.for-tenancy") and prints it;
  5. shows that another consultant gets HEARTH_ERROR_NOT_FOUND, exactly like a tenancy
     that does not exist.
Exits 0 when all of that held, 1 with "FAIL: ..." otherwise.
"""
import ctypes
import json
import sys
import tempfile
import time
from pathlib import Path

# --- The C ABI, mirrored (hearth/status.h, actor.h, signals.h, host.h) ----------------------

HEARTH_OK = 0
HEARTH_ERROR_NOT_FOUND = -2
EARLY_WARNING = b"nl.hearth.early-warning"


class HearthActor(ctypes.Structure):
    """struct hearth_actor (hearth/actor.h): who a call is made for."""

    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("emergency", ctypes.c_uint32),
        ("user", ctypes.c_char_p),
        ("role", ctypes.c_char_p),
        ("organisation", ctypes.c_char_p),
        ("on_behalf_of", ctypes.c_char_p),
        ("access_point", ctypes.c_char_p),
    ]


class HearthSignal(ctypes.Structure):
    """struct hearth_signal (hearth/signals.h)."""

    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("reserved", ctypes.c_uint32),
        ("source", ctypes.c_char_p),
        ("external_id", ctypes.c_char_p),
        ("type", ctypes.c_char_p),
        ("detail", ctypes.c_char_p),
        ("tenancy_id", ctypes.c_char_p),
        ("occurred_at_ms", ctypes.c_int64),
        ("amount_cents", ctypes.c_int64),
        ("severity", ctypes.c_int32),
        ("reserved2", ctypes.c_uint32),
        ("legal_basis", ctypes.c_char_p),
        ("purpose", ctypes.c_char_p),
        ("reporter_user", ctypes.c_char_p),
    ]


class HearthIngestResult(ctypes.Structure):
    """struct hearth_ingest_result (hearth/signals.h)."""

    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("accepted", ctypes.c_uint32),
        ("duplicates", ctypes.c_uint32),
        ("rejected", ctypes.c_uint32),
        ("first_rejected", ctypes.c_uint32),
        ("reserved", ctypes.c_uint32),
        ("first_sequence", ctypes.c_uint64),
        ("last_sequence", ctypes.c_uint64),
    ]


RUNTIME = ctypes.c_void_p                 # hearth_runtime *
OUT_TEXT = ctypes.POINTER(ctypes.c_void_p)  # char ** the library allocates; free with hearth_free


def declare(lib):
    """Sets argtypes/restype of the host.h functions used here."""
    actor = ctypes.POINTER(HearthActor)
    signatures = {
        "hearth_free": (None, [ctypes.c_void_p]),
        "hearth_status_name": (ctypes.c_char_p, [ctypes.c_int32]),
        "hearth_runtime_open": (ctypes.c_int32, [ctypes.c_char_p, ctypes.POINTER(RUNTIME), OUT_TEXT]),
        "hearth_runtime_load_plugins": (ctypes.c_int32, [RUNTIME, OUT_TEXT]),
        "hearth_runtime_put_records": (
            ctypes.c_int32, [RUNTIME, actor, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint32), OUT_TEXT]),
        "hearth_runtime_ingest": (
            ctypes.c_int32,
            [RUNTIME, actor, ctypes.POINTER(ctypes.POINTER(HearthSignal)), ctypes.c_uint32,
             ctypes.POINTER(HearthIngestResult), OUT_TEXT]),
        "hearth_runtime_drain": (ctypes.c_int32, [RUNTIME, ctypes.c_uint32]),
        "hearth_runtime_call": (
            ctypes.c_int32,
            [RUNTIME, actor, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, OUT_TEXT, OUT_TEXT]),
        "hearth_runtime_close": (None, [RUNTIME]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes


class Failed(Exception):
    """A step did not do what this example expects."""


class Hearth:
    """libhearth, loaded, with text handling that frees what the library allocates."""

    def __init__(self, library_path):
        self.lib = ctypes.CDLL(str(library_path))
        declare(self.lib)

    def take(self, pointer):
        """Copies library-allocated text and frees it with hearth_free(); None for NULL."""
        if not pointer.value:
            return None
        text = ctypes.string_at(pointer.value).decode("utf-8")
        self.lib.hearth_free(pointer.value)
        pointer.value = None
        return text

    def check(self, status, error, what):
        """Raises Failed unless status is HEARTH_OK; frees the error text either way."""
        message = self.take(error)
        if status != HEARTH_OK:
            name = self.lib.hearth_status_name(status).decode()
            raise Failed(f"{what}: {name} ({status}): {message}")

    def call(self, runtime, actor, plugin_id, operation, args):
        """hearth_runtime_call: returns (status, answer on HEARTH_OK or the reason)."""
        result, error = ctypes.c_void_p(), ctypes.c_void_p()
        status = self.lib.hearth_runtime_call(runtime, ctypes.byref(actor), plugin_id,
                                              operation.encode(), json.dumps(args).encode(),
                                              ctypes.byref(result), ctypes.byref(error))
        answer, reason = self.take(result), self.take(error)
        return status, answer if status == HEARTH_OK else reason


def make_actor(role, user, organisation="corp:example"):
    """An actor for calls from this program (access point "example:python")."""
    return HearthActor(ctypes.sizeof(HearthActor), 0, user.encode(), role.encode(),
                       organisation.encode(), None, b"example:python")


def write_config(folder, config_source):
    """A site configuration on a scratch folder: SQLite store, bundled plugins, the rule set."""
    (folder / "hearth.ini").write_text(
        "[runtime]\n"
        f"data_dir = {folder / 'data'}\n"
        "[plugins]\n"
        "bundled = true\n"
        "[plugin.nl.hearth.early-warning]\n"
        f"rule_set = {config_source / 'scoring' / 'default.ini'}\n"
        f"protected_attributes = {config_source / 'scoring' / 'protected-attributes.txt'}\n"
        "[plugin.nl.hearth.coordinator-handoff]\n"
        f"config_dir = {config_source / 'handoff'}\n",
        encoding="utf-8")


def run(library_path, config_source):
    hearth = Hearth(library_path)
    with tempfile.TemporaryDirectory(prefix="hearth-python-example-") as scratch:
        folder = Path(scratch)
        write_config(folder, config_source)

        runtime, error = RUNTIME(), ctypes.c_void_p()
        hearth.check(hearth.lib.hearth_runtime_open(str(folder).encode(), ctypes.byref(runtime),
                                                    ctypes.byref(error)), error, "open")
        try:
            hearth.check(hearth.lib.hearth_runtime_load_plugins(runtime, ctypes.byref(error)),
                         error, "load plugins")

            system = make_actor("system", "system:example")
            records = [
                {"kind": "unit", "id": "unit-1", "street": "Voorbeeldstraat", "house_number": "1",
                 "neighbourhood_code": "BU03630000"},
                {"kind": "tenancy", "id": "T-1", "unit_id": "unit-1", "start_date": "2020-01-01",
                 "portfolio_owner": "consultant-1"},
            ]
            stored = ctypes.c_uint32()
            hearth.check(hearth.lib.hearth_runtime_put_records(
                runtime, ctypes.byref(system), json.dumps(records).encode(), ctypes.byref(stored),
                ctypes.byref(error)), error, "put records")
            print(f"stored {stored.value} records")

            yesterday_ms = int(time.time() * 1000) - 86_400_000
            signal = HearthSignal(ctypes.sizeof(HearthSignal), 0, b"example:python", b"debt-1",
                                  b"SCH", b"BET", b"T-1", yesterday_ms, 200_000, 0, 0,
                                  b"avg-6-1-f", b"early-warning", None)
            batch = (ctypes.POINTER(HearthSignal) * 1)(ctypes.pointer(signal))
            outcome = HearthIngestResult(struct_size=ctypes.sizeof(HearthIngestResult))
            hearth.check(hearth.lib.hearth_runtime_ingest(runtime, ctypes.byref(system), batch, 1,
                                                          ctypes.byref(outcome), ctypes.byref(error)),
                         error, "ingest")
            if outcome.accepted != 1:
                raise Failed(f"ingest accepted {outcome.accepted} signals, not 1")
            print("ingested 1 signal: rent arrears of EUR 2,000")
            hearth.check(hearth.lib.hearth_runtime_drain(runtime, 30_000), ctypes.c_void_p(), "drain")

            consultant = make_actor("housing_consultant", "consultant-1")
            status, answer = hearth.call(runtime, consultant, EARLY_WARNING, "flags.for-tenancy",
                                         {"tenancy_id": "T-1", "lang": "en"})
            if status != HEARTH_OK:
                raise Failed(f"flags.for-tenancy: status {status}: {answer}")
            flags = json.loads(answer)
            level = flags["current"]["level"]
            if level != "amber" or len(flags["flags"]) != 1:
                raise Failed(f"expected one amber flag, got: {answer}")
            flag = flags["flags"][0]
            print(f"tenancy T-1: {level}, score {flags['current']['score']}; "
                  f"flag {flag['id']} is {flag['status']}")
            explanation = flag["explanation"]
            for line in explanation["lines"] + [explanation["summary"], explanation["advice"]]:
                print(f"  {line}")

            stranger = make_actor("housing_consultant", "consultant-2")
            status, reason = hearth.call(runtime, stranger, EARLY_WARNING, "flags.for-tenancy",
                                         {"tenancy_id": "T-1"})
            if status != HEARTH_ERROR_NOT_FOUND:
                raise Failed(f"another consultant got status {status}: {reason}")
            print(f"another consultant: not found ({reason})")
        finally:
            hearth.lib.hearth_runtime_close(runtime)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        run(Path(argv[1]), Path(argv[2]).resolve())
    except (Failed, KeyError, ValueError) as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
