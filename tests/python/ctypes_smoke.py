#!/usr/bin/env python3
"""ctypes_smoke.py — embeds Hearth from Python through its C API (hearth/host.h) alone.

  python3 ctypes_smoke.py LIBHEARTH_PATH PLUGIN_DIR

Loads libhearth with ctypes, opens a runtime on a scratch SQLite store whose only plugin
folder is PLUGIN_DIR, and drives the C example plugin (nl.hearth.example.hello-c): events
in, rows stored, questions answered, errors reported and freed with hearth_free(). It then
reopens the same store to see the rows survive and the migration not run twice, and checks
that a bad storage backend is refused with a message naming the key.

Prints what it checked; exits 1 with "FAIL: ..." on the first failed check.
"""
import ctypes
import json
import re
import sqlite3
import sys
import tempfile
from pathlib import Path

# --- The C ABI, mirrored -----------------------------------------------------------------

# enum hearth_status (hearth/status.h)
HEARTH_OK = 0
HEARTH_ERROR_NOT_FOUND = -2
# enum hearth_plugin_state (hearth/host.h)
HEARTH_PLUGIN_STATE_ACTIVE = 0
STATE_NAMES = {0: "ACTIVE", 1: "REFUSED", 2: "FAILED", 3: "STOPPED"}
# enum hearth_plugin_kind (hearth/plugin.h)
HEARTH_PLUGIN_KIND_OTHER = 0

HELLO_PLUGIN_ID = "nl.hearth.example.hello-c"
GREET_EVENT_TYPE = "nl.hearth.example.greet/1"
# The greeting configured for the plugin, and the runtime clock the test fixes.
CONFIGURED_GREETING = "Hoi"
FIXED_CLOCK_MS = 1767225600000  # 2026-01-01T00:00:00Z
SUBJECTS = ["tenancy:0001", "tenancy:0002", "tenancy:0003"]

# The version header, for the ABI numbers the library must report.
VERSION_HEADER = Path(__file__).resolve().parents[2] / "plugin-api/include/hearth/version.h"


class HearthPluginInfo(ctypes.Structure):
    """struct hearth_plugin_info (hearth/host.h)."""

    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("state", ctypes.c_uint32),
        ("kind", ctypes.c_uint32),
        ("abi_major", ctypes.c_uint32),
        ("abi_minor", ctypes.c_uint32),
        ("reserved", ctypes.c_uint32),
        ("id", ctypes.c_char_p),
        ("name", ctypes.c_char_p),
        ("vendor", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
        ("path", ctypes.c_char_p),
        ("message", ctypes.c_char_p),
    ]


class HearthEvent(ctypes.Structure):
    """struct hearth_event (hearth/event.h)."""

    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("occurred_at_ms", ctypes.c_int64),
        ("type", ctypes.c_char_p),
        ("subject", ctypes.c_char_p),
        ("source", ctypes.c_char_p),
        ("payload", ctypes.c_char_p),
        ("sequence", ctypes.c_uint64),
    ]


# int64_t (*now)(void *user_data), for hearth_runtime_set_clock().
CLOCK_FUNCTION = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p)

# Text the library allocates comes back as a raw pointer (c_void_p), never c_char_p:
# ctypes would copy a c_char_p into bytes and lose the pointer hearth_free() needs.
OUT_TEXT = ctypes.POINTER(ctypes.c_void_p)
RUNTIME = ctypes.c_void_p


def declare_host_api(library):
    """Sets argtypes/restype of every host.h function this script calls."""
    signatures = {
        "hearth_free": (None, [ctypes.c_void_p]),
        "hearth_status_name": (ctypes.c_char_p, [ctypes.c_int32]),
        "hearth_library_version": (
            None,
            [ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_uint32),
             ctypes.POINTER(ctypes.c_char_p)],
        ),
        "hearth_runtime_open": (ctypes.c_int32, [ctypes.c_char_p, ctypes.POINTER(RUNTIME), OUT_TEXT]),
        "hearth_runtime_load_plugins": (ctypes.c_int32, [RUNTIME, OUT_TEXT]),
        "hearth_runtime_plugin_count": (ctypes.c_uint32, [RUNTIME]),
        "hearth_runtime_plugin_at": (
            ctypes.c_int32, [RUNTIME, ctypes.c_uint32, ctypes.POINTER(HearthPluginInfo)]),
        "hearth_runtime_publish": (ctypes.c_int32, [RUNTIME, ctypes.POINTER(HearthEvent), OUT_TEXT]),
        "hearth_runtime_drain": (ctypes.c_int32, [RUNTIME, ctypes.c_uint32]),
        "hearth_runtime_query": (
            ctypes.c_int32,
            [RUNTIME, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, OUT_TEXT, OUT_TEXT],
        ),
        "hearth_runtime_set_clock": (ctypes.c_int32, [RUNTIME, CLOCK_FUNCTION, ctypes.c_void_p]),
        "hearth_runtime_now_ms": (ctypes.c_int64, [RUNTIME]),
        "hearth_runtime_close": (None, [RUNTIME]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes


# --- Helpers ---------------------------------------------------------------------------------


class CheckFailed(Exception):
    """A check of this script did not hold."""


def require(condition, message):
    """Fails the run with `message` unless `condition` holds."""
    if not condition:
        raise CheckFailed(message)


class Hearth:
    """The loaded library, with the few conveniences the checks need."""

    def __init__(self, library_path):
        self.lib = ctypes.CDLL(library_path)
        declare_host_api(self.lib)

    def status_name(self, status):
        return self.lib.hearth_status_name(status).decode()

    def take_text(self, pointer):
        """Copies library-allocated text and frees it with hearth_free(); None for NULL."""
        if not pointer.value:
            return None
        text = ctypes.string_at(pointer.value).decode("utf-8")
        self.lib.hearth_free(pointer.value)
        pointer.value = None
        return text

    def expect_ok(self, status, error, what):
        """Fails unless `status` is HEARTH_OK; frees the error message either way."""
        message = self.take_text(error)
        require(status == HEARTH_OK,
                f"{what} returned {self.status_name(status)} ({status}): {message}")

    def open(self, config_dir):
        runtime = RUNTIME()
        error = ctypes.c_void_p()
        status = self.lib.hearth_runtime_open(str(config_dir).encode(), ctypes.byref(runtime),
                                              ctypes.byref(error))
        self.expect_ok(status, error, f"hearth_runtime_open({config_dir})")
        require(runtime.value, "hearth_runtime_open returned HEARTH_OK but no runtime")
        return runtime

    def load_plugins(self, runtime):
        error = ctypes.c_void_p()
        status = self.lib.hearth_runtime_load_plugins(runtime, ctypes.byref(error))
        self.expect_ok(status, error, "hearth_runtime_load_plugins")

    def plugins(self, runtime):
        """Every entry of hearth_runtime_plugin_at(), as dicts of decoded fields."""
        found = []
        for index in range(self.lib.hearth_runtime_plugin_count(runtime)):
            info = HearthPluginInfo()
            info.struct_size = ctypes.sizeof(HearthPluginInfo)
            status = self.lib.hearth_runtime_plugin_at(runtime, index, ctypes.byref(info))
            require(status == HEARTH_OK,
                    f"hearth_runtime_plugin_at({index}) returned {self.status_name(status)}")
            entry = {name: getattr(info, name) for name, _ in HearthPluginInfo._fields_}
            for name in ("id", "name", "vendor", "version", "path", "message"):
                require(entry[name] is not None, f"plugin {index}: {name} is NULL, not empty")
                entry[name] = entry[name].decode("utf-8")
            found.append(entry)
        return found

    def query(self, runtime, plugin_id, name, args_json):
        """Returns (status, result text or None, error text or None), both freed."""
        result = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = self.lib.hearth_runtime_query(
            runtime, plugin_id.encode(), name.encode(),
            None if args_json is None else args_json.encode(),
            ctypes.byref(result), ctypes.byref(error))
        return status, self.take_text(result), self.take_text(error)


def write_config(config_dir, plugin_dir, backend="sqlite"):
    """Writes config_dir/hearth.ini for a scratch store loading only plugin_dir."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "hearth.ini").write_text(
        "[storage]\n"
        f"backend = {backend}\n"
        f"sqlite_path = {config_dir / 'hearth.db'}\n"
        "\n"
        "[plugins]\n"
        "bundled = false\n"
        f"path = {plugin_dir}\n"
        "\n"
        "[log]\n"
        "level = warn\n"
        "\n"
        f"[plugin.{HELLO_PLUGIN_ID}]\n"
        f"greeting = {CONFIGURED_GREETING}\n",
        encoding="utf-8",
    )
    return config_dir


def header_abi_version():
    text = VERSION_HEADER.read_text(encoding="utf-8")
    major = int(re.search(r"#define HEARTH_ABI_MAJOR (\d+)u", text).group(1))
    minor = int(re.search(r"#define HEARTH_ABI_MINOR (\d+)u", text).group(1))
    return major, minor


# --- The checks -------------------------------------------------------------------------------


def check_library_identity(hearth):
    major, minor, release = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_char_p()
    hearth.lib.hearth_library_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(release))
    require((major.value, minor.value) == header_abi_version(),
            f"library ABI {major.value}.{minor.value} differs from version.h {header_abi_version()}")
    require(release.value, "hearth_library_version gave no release text")
    require(hearth.status_name(HEARTH_ERROR_NOT_FOUND) == "HEARTH_ERROR_NOT_FOUND",
            f"hearth_status_name(-2) is {hearth.status_name(HEARTH_ERROR_NOT_FOUND)!r}")
    hearth.lib.hearth_library_version(None, None, None)  # every pointer may be NULL
    print(f"ok: libhearth {release.value.decode()} speaks ABI {major.value}.{minor.value}")


def check_struct_mirrors():
    require(ctypes.sizeof(HearthPluginInfo) == 72, "HearthPluginInfo is not 72 bytes")
    require(ctypes.sizeof(HearthEvent) == 56, "HearthEvent is not 56 bytes")


def find_hello_plugin(hearth, runtime):
    plugins = hearth.plugins(runtime)
    require(len(plugins) >= 1, "hearth_runtime_plugin_count is 0 after loading PLUGIN_DIR")
    matching = [plugin for plugin in plugins if plugin["id"] == HELLO_PLUGIN_ID]
    summary = [(p["id"] or p["path"], STATE_NAMES.get(p["state"], p["state"]), p["message"])
               for p in plugins]
    require(len(matching) == 1, f"expected one {HELLO_PLUGIN_ID} among {summary}")
    hello = matching[0]
    require(hello["state"] == HEARTH_PLUGIN_STATE_ACTIVE,
            f"{HELLO_PLUGIN_ID} is {STATE_NAMES.get(hello['state'])}: {hello['message']}")
    require(hello["name"] == "Hello (C example)", f"name is {hello['name']!r}")
    require(hello["vendor"] == "Hearth", f"vendor is {hello['vendor']!r}")
    require(hello["version"] == "1.0.0", f"version is {hello['version']!r}")
    require(hello["kind"] == HEARTH_PLUGIN_KIND_OTHER, f"kind is {hello['kind']}")
    require((hello["abi_major"], hello["abi_minor"]) == header_abi_version(),
            f"module ABI is {hello['abi_major']}.{hello['abi_minor']}")
    require(hello["message"] == "", f"an active plugin has a message: {hello['message']!r}")
    require(Path(hello["path"]).name == "hearth_hello_c.so", f"path is {hello['path']!r}")
    return hello


def publish_greetings(hearth, runtime):
    for subject in SUBJECTS:
        event = HearthEvent()
        event.struct_size = ctypes.sizeof(HearthEvent)
        event.occurred_at_ms = hearth.lib.hearth_runtime_now_ms(runtime)
        event.type = GREET_EVENT_TYPE.encode()
        event.subject = subject.encode()
        event.payload = b"{}"
        error = ctypes.c_void_p()
        status = hearth.lib.hearth_runtime_publish(runtime, ctypes.byref(event), ctypes.byref(error))
        hearth.expect_ok(status, error, f"hearth_runtime_publish({subject})")
    status = hearth.lib.hearth_runtime_drain(runtime, 5000)
    require(status == HEARTH_OK, f"hearth_runtime_drain returned {hearth.status_name(status)}")


def check_greetings_query(hearth, runtime, expected_count):
    status, result, error = hearth.query(runtime, HELLO_PLUGIN_ID, "greetings", "{}")
    require(status == HEARTH_OK,
            f"query greetings returned {hearth.status_name(status)}: {error}")
    require(result is not None, "query greetings returned HEARTH_OK and no result")
    answer = json.loads(result)
    require(answer.get("count") == expected_count,
            f"greetings count is {answer.get('count')}, expected {expected_count}: {result}")
    require(answer.get("last_subject") == SUBJECTS[-1],
            f"last_subject is {answer.get('last_subject')!r}, expected {SUBJECTS[-1]!r}")
    print(f"ok: greetings -> {result}")


def check_echo_and_unknown_queries(hearth, runtime):
    args = '{"tenancy":"5f2c","flags":[1,2,{"level":"amber"}],"note":"h\\u00e9"}'
    status, result, error = hearth.query(runtime, HELLO_PLUGIN_ID, "echo", args)
    require(status == HEARTH_OK, f"query echo returned {hearth.status_name(status)}: {error}")
    require(result == args, f"echo changed its arguments: {result!r}")

    status, result, error = hearth.query(runtime, HELLO_PLUGIN_ID, "nope", "{}")
    require(status == HEARTH_ERROR_NOT_FOUND,
            f"query nope returned {hearth.status_name(status)}, expected HEARTH_ERROR_NOT_FOUND")
    require(error is not None and "nope" in error,
            f"the error of query nope does not name the query: {error!r}")
    print(f"ok: echo round-trips; nope -> HEARTH_ERROR_NOT_FOUND: {error}")

    status, _, error = hearth.query(runtime, "nl.hearth.example.no-such-plugin", "greetings", "{}")
    require(status == HEARTH_ERROR_NOT_FOUND,
            f"a query to a missing plugin returned {hearth.status_name(status)}: {error}")


def check_stored_rows(database_path):
    with sqlite3.connect(database_path) as database:
        rows = database.execute(
            "SELECT subject, greeting, created_at_ms FROM hello_greetings ORDER BY id").fetchall()
    expected = [(subject, CONFIGURED_GREETING, FIXED_CLOCK_MS) for subject in SUBJECTS]
    require(rows == expected, f"hello_greetings holds {rows}, expected {expected}")
    print(f"ok: {len(rows)} rows with the configured greeting and the runtime's clock")


def check_bad_backend_refused(hearth, config_dir, plugin_dir):
    write_config(config_dir, plugin_dir, backend="oracle")
    runtime = RUNTIME()
    error = ctypes.c_void_p()
    status = hearth.lib.hearth_runtime_open(str(config_dir).encode(), ctypes.byref(runtime),
                                            ctypes.byref(error))
    message = hearth.take_text(error)
    if status == HEARTH_OK:
        hearth.lib.hearth_runtime_close(runtime)
    require(status != HEARTH_OK, "hearth_runtime_open accepted storage.backend = oracle")
    require(message is not None and "storage.backend" in message,
            f"the refusal does not name storage.backend: {message!r}")
    print(f"ok: backend oracle refused with {hearth.status_name(status)}: {message}")


def run(library_path, plugin_dir):
    check_struct_mirrors()
    hearth = Hearth(library_path)
    check_library_identity(hearth)
    # Keeps the clock callback alive for as long as any runtime may call it.
    fixed_clock = CLOCK_FUNCTION(lambda user_data: FIXED_CLOCK_MS)

    with tempfile.TemporaryDirectory(prefix="hearth-ctypes-") as scratch:
        config_dir = write_config(Path(scratch) / "config", plugin_dir)

        runtime = hearth.open(config_dir)
        try:
            status = hearth.lib.hearth_runtime_set_clock(runtime, fixed_clock, None)
            require(status == HEARTH_OK, f"hearth_runtime_set_clock: {hearth.status_name(status)}")
            require(hearth.lib.hearth_runtime_now_ms(runtime) == FIXED_CLOCK_MS,
                    "hearth_runtime_now_ms does not read the clock that was set")
            hearth.load_plugins(runtime)
            find_hello_plugin(hearth, runtime)
            print(f"ok: {HELLO_PLUGIN_ID} is active")
            publish_greetings(hearth, runtime)
            check_greetings_query(hearth, runtime, expected_count=len(SUBJECTS))
            check_echo_and_unknown_queries(hearth, runtime)
        finally:
            hearth.lib.hearth_runtime_close(runtime)

        check_stored_rows(config_dir / "hearth.db")

        # The same store again: rows are kept and migration 1 is not applied twice.
        runtime = hearth.open(config_dir)
        try:
            hearth.load_plugins(runtime)
            find_hello_plugin(hearth, runtime)
            check_greetings_query(hearth, runtime, expected_count=len(SUBJECTS))
        finally:
            hearth.lib.hearth_runtime_close(runtime)
        print("ok: reopened store keeps its rows")

        check_bad_backend_refused(hearth, Path(scratch) / "oracle-config", plugin_dir)
    hearth.lib.hearth_runtime_close(None)  # NULL is allowed


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    try:
        run(argv[1], argv[2])
    except CheckFailed as failure:
        print(f"FAIL: {failure}")
        return 1
    except (OSError, AttributeError) as failure:  # library not loadable, symbol missing
        print(f"FAIL: {type(failure).__name__}: {failure}")
        return 1
    print("PASS: ctypes smoke test")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
