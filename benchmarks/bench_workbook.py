"""Memory of writing tables.xlsx: one class-level sheet of N rows (a national season has
some 640,000 classes), written by eduqa.tables.write_workbook.

    .venv/bin/python benchmarks/bench_workbook.py [--rows 200000]

Prints the time, the process's peak RSS above what it held before (psutil every 0.01 s) and,
as the peer in the same run, the table's own size in memory (pandas, deep): the ratio shows
how much the writing adds beyond the table it writes. Target: the writing adds at most twice
the table's own size (rows go to disk as they are written, not kept until the book closes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eduqa import tables  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    n = parser.parse_args().rows
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
    added = peak[0] - before
    print(f"{'rows':<40}{n:>12,}")
    print(f"{'seconds':<40}{seconds:>12.2f}")
    print(f"{'peak MB added by the writing':<40}{added:>12.0f}")
    print(f"{'peer: the table in memory, MB':<40}{table_mb:>12.0f}")
    ratio = added / table_mb
    print(f"{'added / table':<40}{ratio:>12.2f}")
    print(f"target added <= 2 x the table: {'met' if ratio <= 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
