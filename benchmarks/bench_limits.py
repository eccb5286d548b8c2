"""Benchmark: a hostile item export (issue 34, point 4) — a 10,000,000-row long-layout Parquet
file of 小题分 (about 20 MB on disk) named as the demo's 2025-spring-g9 数学 item export.
``eduqa validate`` must refuse it in seconds (it used to read it whole: 2.5 min, 7-8 GB).
The peer in the same run is ``eduqa validate`` of the unchanged demo season.

    .venv/bin/python benchmarks/bench_limits.py [--rows 10000000]

Prints the time and the peak memory (of the validate process) of both, and the message.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
SEASON = "2025-spring-g9"


def _project(target: Path) -> Path:
    for part in ("params", "notebooks", "data/raw"):
        shutil.copytree(REPO / part, target / part)
    (target / "data" / "processed").mkdir(parents=True)
    (target / "reports").mkdir()
    return target


def _long_items(path: Path, rows: int) -> None:
    """``rows`` rows of (学籍号, 学校, 班级, 题号, 得分): 25 questions per pupil."""
    rng = np.random.default_rng(34)
    pupils = rows // 25 + 1
    ids = pa.array([f"G{i:012d}" for i in range(pupils)]).dictionary_encode()
    index = np.arange(rows) // 25
    table = pa.table({
        "学籍号": ids.take(pa.array(index)),
        "学校": pa.array(["县城第一中学"] * 1).dictionary_encode().take(
            pa.array(np.zeros(rows, dtype=np.int32))),
        "班级": pa.array(["1班"]).dictionary_encode().take(pa.array(np.zeros(rows, dtype=np.int32))),
        "题号": pa.array((np.arange(rows) % 25 + 1).astype(np.int16)),
        "得分": pa.array(rng.integers(0, 5, rows).astype(np.int8)),
    })
    pq.write_table(table, path, compression="zstd")


def _validate(project: Path) -> tuple[float, float, str, int]:
    """Seconds, peak MB of the validate process, its message, its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "eduqa", "--project", str(project),
                           "--lang", "en", "validate", SEASON], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, (done.stderr or done.stdout).strip(), \
        done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--widen-pupils", type=int, default=80_000,
                        help="pupils of the long export widened (x 25 questions)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        peer = _project(Path(folder) / "peer")
        hostile = _project(Path(folder) / "hostile")
        items = hostile / "data" / "raw" / SEASON / "items-math.parquet"
        _long_items(items, args.rows)
        params = hostile / "params" / f"{SEASON}.yaml"
        params.write_text(params.read_text(encoding="utf-8").replace(
            "items-math.csv", "items-math.parquet"), encoding="utf-8")
        size = items.stat().st_size / 1e6
        # (the peer first: RUSAGE_CHILDREN's peak is the largest child's so far)
        peer_s, peer_mb, _, peer_code = _validate(peer)
        s, mb, message, code = _validate(hostile)
    print(f"item export: {args.rows:,} rows of long-layout Parquet, {size:.1f} MB")
    print(f"validate, demo season (peer): {peer_s:6.2f} s, peak {peer_mb:7.0f} MB, exit {peer_code}")
    print(f"validate, hostile export:     {s:6.2f} s, peak {mb:7.0f} MB (at most), exit {code}")
    print(f"ratio hostile / peer: {s / peer_s:.2f}")
    print("message:", message[:600] if message else "(none)")
    _widening(args.widen_pupils)


def _widening(pupils: int, questions: int = 25) -> None:
    """A long item export of ``pupils`` x ``questions`` rows widened by eduqa (on codes)
    against the row-wise widening it replaced (kept in tests/ as the oracle), same frame."""
    import pandas as pd

    sys.path.insert(0, str(REPO / "tests"))
    from long_export_oracle import RowWiseLongExport

    from eduqa.paper import _LongExport

    rng = np.random.default_rng(34)
    frame = pd.DataFrame({
        "考号": np.repeat([f"G{i:010d}" for i in range(pupils)], questions),
        "学校": "一中", "题号": np.tile([str(q) for q in range(1, questions + 1)], pupils),
        "得分": rng.integers(0, 5, pupils * questions).astype(str)}).astype(object)
    rows = np.arange(2, len(frame) + 2)
    blueprint = pd.DataFrame({"question": [str(q) for q in range(1, questions + 1)]})
    found = {"question": "题号", "item_score": "得分"}
    seconds = {}
    for name, cls in (("codes", _LongExport), ("row-wise", RowWiseLongExport)):
        started = time.perf_counter()
        cls(frame, rows, "考号", found, blueprint, Path("x.csv"), "x.csv")
        seconds[name] = time.perf_counter() - started
    print(f"widening a long item export of {len(frame):,} rows: on codes "
          f"{seconds['codes']:.2f} s, row-wise {seconds['row-wise']:.2f} s "
          f"(ratio {seconds['row-wise'] / seconds['codes']:.1f})")


if __name__ == "__main__":
    main()
