#!/usr/bin/env python3
"""run_abidiff_case.py — one case of the abidiff self-test.

  run_abidiff_case.py EXPECT CHECK_ABI_SCRIPT OLD_LIB NEW_LIB HEADERS_DIR [MUST_MENTION]

Runs `CHECK_ABI_SCRIPT --compare OLD_LIB NEW_LIB HEADERS_DIR` (the invocation and the
suppression file used for libhearth) and asserts its verdict:
  EXPECT=pass  the script exits 0;
  EXPECT=fail  the script exits 1 (an ABI change, not a tool error) and its report
               mentions MUST_MENTION, so it failed for the reason the case is about.
"""
import subprocess
import sys


def main(argv):
    if len(argv) not in (6, 7) or argv[1] not in ("pass", "fail"):
        sys.stderr.write(__doc__)
        return 2
    expect, script, old_library, new_library, headers_dir = argv[1:6]
    must_mention = argv[6] if len(argv) == 7 else None
    completed = subprocess.run(
        ["bash", script, "--compare", old_library, new_library, headers_dir],
        capture_output=True, text=True, check=False,
    )
    report = completed.stdout + completed.stderr
    print(report)
    if expect == "pass":
        if completed.returncode != 0:
            print(f"FAIL: expected no reported ABI change, check-abi exited {completed.returncode}")
            return 1
    else:
        if completed.returncode != 1:
            print(f"FAIL: expected an ABI change (exit 1), check-abi exited {completed.returncode}")
            return 1
        if must_mention is not None and must_mention not in report:
            print(f"FAIL: the report does not mention {must_mention!r}")
            return 1
    print(f"OK: check-abi judged {new_library} as expected ({expect})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
