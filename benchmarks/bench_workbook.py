"""Memory of writing tables.xlsx: one class-level sheet of N rows (a national season has
some 640,000 classes), written by eduqa.report.tables.write_workbook.

    .venv/bin/python benchmarks/bench_workbook.py [--rows 200000]

Writes the sheet at ``--rows`` and at four times as many, each in a fresh process, and prints
for each the time, the process's peak RSS above what it held before (psutil every 0.01 s) and,
as the peer, the table's own size in memory (pandas, deep). Targets: what the writing adds
does not grow with the rows (at 4 x the rows at most 1.25 x as much: rows go to disk as they
are written, a block at a time, not kept until the book closes), and at 4 x the rows it is at
most twice the table's own size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eduqa.report import tables  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # (one size, as a child)
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(measure(arguments.one)))
        return
    sizes = [arguments.rows, 4 * arguments.rows]
    figures = [json.loads(subprocess.run([sys.executable, __file__, "--one", str(n)],
                                         check=True, capture_output=True,
                                         text=True).stdout) for n in sizes]
    print(f"{'rows':<34}" + "".join(f"{n:>14,}" for n in sizes))
    for key, title, form in (("seconds", "seconds", "{:>14.2f}"),
                             ("added", "peak MB added by the writing", "{:>14.0f}"),
                             ("table", "peer: the table in memory, MB", "{:>14.0f}")):
        print(f"{title:<34}" + "".join(form.format(f[key]) for f in figures))
    growth = figures[1]["added"] / figures[0]["added"]
    ratio = figures[1]["added"] / figures[1]["table"]
    print(f"{'added at 4 x the rows / at 1 x':<34}{growth:>14.2f}")
    print(f"{'added / table at 4 x the rows':<34}{ratio:>14.2f}")
    print(f"target added does not grow with the rows (<= 1.25): "
          f"{'met' if growth <= 1.25 else 'NOT met'}")
    print(f"target added <= 2 x the table at {sizes[1]:,} rows: "
          f"{'met' if ratio <= 2 else 'NOT met'}")


def measure(n: int) -> dict:
    """Write the sheet of ``n`` rows in this process: seconds, MB added, the table's MB."""
    process, peak = psutil.Process(), [0.0]

    def sample():
        while True:
            peak[0] = max(peak[0], process.memory_info().rss / 2**20)
            time.sleep(0.01)

    threading.Thread(target=sample, daemon=True).start()
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "school_code": [f"9{i % 80000:09d}" for i in range(n)],
        "school_name": [f"第{i % 80000}学校" for i in range(n)],
        "class": [f"{i % 8 + 1}班" for i in range(n)], "n_sat": rng.integers(1, 60, n),
        "mean": rng.normal(70, 10, n), "pass_rate": rng.uniform(0, 1, n),
        "excellent_rate": rng.uniform(0, 1, n), "low_rate": rng.uniform(0, 1, n),
        "composite": rng.normal(0, 1, n), "rank": np.arange(n),
        "small_group": rng.uniform(0, 1, n) < 0.1})
    table_mb = frame.memory_usage(deep=True).sum() / 2**20
    time.sleep(0.1)
    before = process.memory_info().rss / 2**20
    peak[0] = before
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        tables.write_workbook({"class_total": frame}, Path(folder) / "tables.xlsx")
    seconds = time.perf_counter() - started
    time.sleep(0.05)
    return {"seconds": seconds, "added": peak[0] - before, "table": table_mb}


if __name__ == "__main__":
    main()
