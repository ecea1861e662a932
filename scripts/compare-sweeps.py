#!/usr/bin/env python3
"""Compares the tables of two sweep folders value for value (e.g. before and after a refactoring).

    pip install duckdb   # once
    python3 scripts/compare-sweeps.py out-before/quickstart out-after/quickstart

For each table (runs, curves, datasets, critical, fits, verdicts) it compares the columns both
folders have (either layout: committed waves, or the partitioned layout of overparam compact, whose
partition columns are read from the folder names), leaving out those that differ between identical
runs (wall_ms, wall_us, warmup_ms, host, the wave partition and, if present, driver_session), as sorted
multisets of rows. Columns only one side
has are listed. Exit code 0 when every shared column is equal, 1 otherwise.
"""
import json
import os
import re
import sys

import duckdb

NONDETERMINISTIC = {"wall_ms", "wall_us", "warmup_ms", "host", "wave", "driver_session"}
TABLES = ["runs", "curves", "datasets", "critical", "fits", "verdicts"]


def layout_record(folder):
    """The folder's compaction record: the highest generation of compacted.json, compacted.2.json, ...
    (a later compaction writes the next one), or None when the folder was never compacted."""
    generations = {}
    for name in os.listdir(folder):
        m = re.fullmatch(r"compacted(?:\.([1-9][0-9]*))?\.json", name)
        if m and m.group(1) != "1":
            generations[int(m.group(1) or 1)] = name
    return os.path.join(folder, generations[max(generations)]) if generations else None


def committed(folder, table):
    """Parquet files of a table: for the tables written in waves, only what is committed: the files
    the compaction record lists (the partitioned layout, if the folder was compacted) and the committed
    waves it does not cover."""
    root = os.path.join(folder, table)
    if not os.path.isdir(root):
        return []
    layout_file = layout_record(folder)
    layout = json.load(open(layout_file)) if layout_file else {"waves": [], "tables": {}}
    listed = [os.path.join(root, f["path"]) for f in layout["tables"].get(table, {}).get("files", [])]
    covered = set("wave=%d" % w for w in layout["waves"])
    waves = [w for w in sorted(os.listdir(root)) if w.startswith("wave=") and w not in covered]
    if not waves and not listed:
        return [os.path.join(root, f) for f in sorted(os.listdir(root)) if f.endswith(".parquet")]
    ok = set(w for w in waves if os.path.exists(os.path.join(folder, "runs", w, "_SUCCESS")))
    return listed + [os.path.join(root, w, f) for w in waves if w in ok
                     for f in sorted(os.listdir(os.path.join(root, w))) if f.endswith(".parquet")]


def main(a, b):
    con = duckdb.connect()
    equal = True
    for table in TABLES:
        fa, fb = committed(a, table), committed(b, table)
        if not fa and not fb:
            continue
        if not fa or not fb:
            print(f"{table}: only in {'A' if fa else 'B'}")
            equal = False
            continue
        con.execute(f"CREATE OR REPLACE VIEW a AS SELECT * FROM read_parquet({fa!r}, union_by_name=true, hive_partitioning=true)")
        con.execute(f"CREATE OR REPLACE VIEW b AS SELECT * FROM read_parquet({fb!r}, union_by_name=true, hive_partitioning=true)")
        ca = [r[0] for r in con.execute("DESCRIBE a").fetchall()]
        cb = [r[0] for r in con.execute("DESCRIBE b").fetchall()]
        shared = [c for c in ca if c in cb and c not in NONDETERMINISTIC]
        cols = ", ".join(f'"{c}"' for c in shared)
        na = con.execute("SELECT count(*) FROM a").fetchone()[0]
        nb = con.execute("SELECT count(*) FROM b").fetchone()[0]
        diff = con.execute(f"SELECT count(*) FROM ((SELECT {cols} FROM a EXCEPT ALL SELECT {cols} FROM b) UNION ALL "
                           f"(SELECT {cols} FROM b EXCEPT ALL SELECT {cols} FROM a))").fetchone()[0]
        only_a = [c for c in ca if c not in cb]
        only_b = [c for c in cb if c not in ca]
        status = "equal" if diff == 0 and na == nb else f"DIFFERENT ({diff} rows differ)"
        equal = equal and diff == 0 and na == nb
        extra = (f"; only in A: {only_a}" if only_a else "") + (f"; only in B: {only_b}" if only_b else "")
        print(f"{table}: {na} vs {nb} rows, {len(shared)} shared columns: {status}{extra}")
    return 0 if equal else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
