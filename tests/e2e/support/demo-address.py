"""Prints the address of a demo tenancy's unit as one JSON object, read from the SQLite
store of a running `hearth serve` (read-only): the neighbour's report in the browser tests
names a real home by postcode and house number, as a neighbour would.

Usage: python3 demo-address.py STORE_FILE TENANCY_ID
"""
import json
import sqlite3
import sys


def main() -> int:
    store, tenancy = sys.argv[1], sys.argv[2]
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    row = connection.execute(
        "SELECT u.postcode, u.house_number, COALESCE(u.entrance, ''), t.portfolio_owner"
        " FROM hearth_tenancy t JOIN hearth_unit u ON u.id = t.unit_id WHERE t.id = ?",
        (tenancy,)).fetchone()
    if row is None:
        print(f"demo-address: no tenancy {tenancy} in {store}", file=sys.stderr)
        return 1
    print(json.dumps({"tenancy_id": tenancy, "postcode": row[0], "house_number": row[1],
                      "entrance": row[2], "portfolio_owner": row[3]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
