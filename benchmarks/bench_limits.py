"""Benchmark: item exports at their limits (issue 34, point 4).

1. A hostile item export: a 10,000,000-row long-layout Parquet file of 小题分 (about 7 MB on
   disk) named as the demo's 2025-spring-g9 数学 item export, its pupils not the season's.
   ``eduqa validate`` must refuse it in seconds (it used to read it whole and log every row:
   2.5 min, 7-8 GB). The peer in the same run is ``eduqa validate`` of the unchanged demo.
2. A city's item export processed: 400,000 pupils × 25 questions, the long layout's
   10,000,000 rows of Parquet cleaned by ``clean_items`` in a process of its own; target a
   peak of at most 1 GB for that process. The peer is the same pupils' wide export.
3. The widening of a long export on codes against the row-wise oracle of tests/.

    .venv/bin/python benchmarks/bench_limits.py [--rows 10000000] [--city-pupils 400000]

Prints the times and peak memory of each, and the hostile file's message.
"""

from __future__ import annotations

import argparse
import json
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


def _long_items(path: Path, rows: int, questions: int) -> None:
    """``rows`` rows of (学籍号, 学校, 班级, 题号, 得分): the paper's ``questions`` per pupil,
    the pupils not the season's (every row is excluded and logged)."""
    rng = np.random.default_rng(34)
    pupils = rows // questions + 1
    ids = pa.array([f"G{i:012d}" for i in range(pupils)]).dictionary_encode()
    index = np.arange(rows) // questions
    table = pa.table({
        "学籍号": ids.take(pa.array(index)),
        "学校": pa.array(["县城第一中学"] * 1).dictionary_encode().take(
            pa.array(np.zeros(rows, dtype=np.int32))),
        "班级": pa.array(["1班"]).dictionary_encode().take(pa.array(np.zeros(rows, dtype=np.int32))),
        "题号": pa.array((np.arange(rows) % questions + 1).astype(np.int16)),
        "得分": pa.array(rng.integers(0, 5, rows).astype(np.int8)),
    })
    pq.write_table(table, path, compression="zstd")


def _validate(project: Path) -> tuple[float, float, str, int]:
    """Seconds, peak MB of the validate process (its own VmHWM), its message, its exit
    code."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", "validate", str(project)],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    *lines, last = done.stderr.strip().splitlines() or [""]
    peak = json.loads(last)["peak_mb"] if last.startswith("{") else float("nan")
    message = "\n".join(lines) if last.startswith("{") else done.stderr
    return seconds, peak, (message or done.stdout).strip(), done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--widen-pupils", type=int, default=80_000,
                        help="pupils of the long export widened (x 25 questions)")
    parser.add_argument("--city-pupils", type=int, default=400_000,
                        help="pupils of the city's item export cleaned (x 25 questions)")
    parser.add_argument("--questions", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=2, metavar=("STEP", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.child[0] == "hostile":
        _long_items(Path(args.child[1]), args.rows, args.questions)
        return
    if args.child and args.child[0] == "validate":  # (``eduqa validate``, then its peak)
        from eduqa.cli import main as eduqa

        code = eduqa(["--project", args.child[1], "--lang", "en", "validate", SEASON])
        print(json.dumps({"peak_mb": _peak_mb()}), file=sys.stderr)
        sys.exit(code)
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        peer = _project(Path(folder) / "peer")
        hostile = _project(Path(folder) / "hostile")
        items = hostile / "data" / "raw" / SEASON / "items-math.parquet"
        blueprint = (hostile / 'data' / 'raw' / SEASON / 'blueprint-math.csv').read_text(
            encoding='utf-8')
        # (written by a process of its own: a child forked from a large parent would
        # inherit its peak memory figure)
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--questions",
                        str(len(blueprint.strip().splitlines()) - 1), "--child", "hostile",
                        str(items)], check=True)
        params = hostile / "params" / f"{SEASON}.yaml"
        params.write_text(params.read_text(encoding="utf-8").replace(
            "items-math.csv", "items-math.parquet"), encoding="utf-8")
        size = items.stat().st_size / 1e6
        peer_s, peer_mb, _, peer_code = _validate(peer)
        s, mb, message, code = _validate(hostile)
    print(f"item export: {args.rows:,} rows of long-layout Parquet, {size:.1f} MB")
    print(f"validate, demo season (peer): {peer_s:6.2f} s, peak {peer_mb:7.0f} MB, exit {peer_code}")
    print(f"validate, hostile export:     {s:6.2f} s, peak {mb:7.0f} MB, exit {code}")
    print(f"ratio hostile / peer: {s / peer_s:.2f}")
    print("message:", message[:600] if message else "(none)")
    _city(args.city_pupils)
    _widening(args.widen_pupils)


CITY_QUESTIONS = 25


def _city(pupils: int) -> None:
    """A city's 数学 item export, ``pupils`` x 25 questions, cleaned by ``clean_items`` in a
    process of its own (long layout, Parquet: 10,000,000 rows at 400,000 pupils), against the
    same pupils' wide export (the peer); 1,000 of the pupils are not in the score export. The
    files are written by another process first, so the peak is the cleaning's."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, __file__, "--city-pupils", str(pupils), "--child",
                        "write", folder], check=True)
        figures = {}
        for layout in ("wide", "long"):
            done = subprocess.run([sys.executable, __file__, "--child", layout, folder],
                                  check=True, capture_output=True, text=True)
            figures[layout] = json.loads(done.stdout.strip().splitlines()[-1])
    for layout, f in figures.items():
        print(f"clean_items, {layout} city export of {f['rows']:,} rows ({pupils:,} pupils): "
              f"{f['seconds']:6.2f} s, peak {f['peak_mb']:5.0f} MB (scores loaded: "
              f"{f['base_mb']:.0f} MB), {f['kept']:,} pupils kept, {f['logged']:,} rows logged")
    print(f"ratio long / wide: time {figures['long']['seconds'] / figures['wide']['seconds']:.2f},"
          f" peak memory {figures['long']['peak_mb'] / figures['wide']['peak_mb']:.2f}")


def _child(step: str, folder: str) -> None:
    import pandas as pd

    from eduqa.intake.records import student_key

    root = Path(folder)
    if step == "write":
        pupils = int(sys.argv[sys.argv.index("--city-pupils") + 1])
        rng = np.random.default_rng(34)
        ids = np.array([f"G{i:012d}" for i in range(pupils)], dtype=object)
        items = rng.integers(0, 5, (pupils, CITY_QUESTIONS)).astype(np.int8)
        known = pupils - 1_000  # (the last 1,000 pupils are not in the score export)
        pd.DataFrame({"student_key": student_key(pd.Series(ids[:known]), "bench").to_numpy(),
                      "school_code": "S1", "class": "1班", "subject": "数学",
                      "score": items[:known].sum(axis=1).astype(float), "status": "sat"}
                     ).to_parquet(root / "scores.parquet", index=False)
        dictionary = pa.array(ids).dictionary_encode()
        pq.write_table(pa.table({
            "学籍号": dictionary.take(pa.array(np.repeat(np.arange(pupils), CITY_QUESTIONS))),
            "学校": pa.array(["一中"]).dictionary_encode().take(
                pa.array(np.zeros(pupils * CITY_QUESTIONS, dtype=np.int32))),
            "题号": pa.array(np.tile(np.arange(1, CITY_QUESTIONS + 1, dtype=np.int16), pupils)),
            "得分": pa.array(items.ravel())}), root / "long.parquet", compression="zstd")
        pq.write_table(pa.table({"学籍号": dictionary, "学校": pa.array(["一中"] * pupils), **{
            str(q + 1): pa.array(items[:, q]) for q in range(CITY_QUESTIONS)}}),
            root / "wide.parquet", compression="zstd")
        return
    from eduqa.intake.items import clean_items

    scores = pd.read_parquet(root / "scores.parquet")
    base = _peak_mb()
    blueprint = pd.DataFrame({"question": [str(q) for q in range(1, CITY_QUESTIONS + 1)],
                              "full_marks": 4.0, "objective": False, "key": None})
    started = time.perf_counter()
    result = clean_items(root / f"{step}.parquet", "数学", blueprint, scores, "bench")
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": result.n_rows_in, "seconds": seconds, "base_mb": base,
                      "peak_mb": _peak_mb(),
                      "kept": len(result.items), "logged": len(result.log)}))


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    process that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _widening(pupils: int, questions: int = 25) -> None:
    """A long item export of ``pupils`` x ``questions`` rows widened by eduqa (on codes)
    against the row-wise widening it replaced (kept in tests/ as the oracle), same frame."""
    import pandas as pd

    sys.path.insert(0, str(REPO / "tests"))
    from long_export_oracle import RowWiseLongExport

    from eduqa.intake.items import _LongExport

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
