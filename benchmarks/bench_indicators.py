"""Benchmark: eduqa.indicators.summarize at city scale (300k students x 6 subjects, 1,500
schools), against a plain-pandas peer (one groupby mean) in the same run.

    .venv/bin/python benchmarks/bench_indicators.py [--students 300000] [--schools 1500]

Prints a table and writes benchmarks/out/indicators.json. Target (indicators issue): under 10 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.indicators.exam import group_gap, summarize

SUBJECTS = {"chinese": 120.0, "math": 120.0, "english": 120.0, "physics": 100.0,
            "chemistry": 100.0, "history": 100.0}


def city(n_students: int, n_schools: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    school = rng.integers(0, n_schools, n_students)
    effect = rng.normal(0, 0.3, n_schools)[school]
    frames = []
    for subject, full in SUBJECTS.items():
        share = np.clip(0.65 + 0.16 * (effect + rng.normal(0, 1, n_students)), 0, 1)
        status = rng.choice(["sat", "absent", "voided", "exempt"], n_students,
                            p=[0.985, 0.01, 0.002, 0.003])
        frames.append(pd.DataFrame({
            "student_key": np.arange(n_students), "school_code": school,
            "subject": subject, "score": np.where(status == "sat", np.round(share * full),
                                                  np.nan), "status": status}))
    frame = pd.concat(frames, ignore_index=True)
    frame["school_code"] = "S" + frame["school_code"].astype(str).str.zfill(5)
    frame["urban_rural"] = np.where(frame["school_code"].str[-1].isin(list("0123")), "urban",
                                    np.where(frame["school_code"].str[-1].isin(list("456")),
                                             "town", "rural"))
    return frame


def timed(function, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=300_000)
    parser.add_argument("--schools", type=int, default=1_500)
    args = parser.parse_args()
    frame = city(args.students, args.schools)
    marks = dict(SUBJECTS)
    results = {
        "summarize by school": timed(lambda: summarize(frame, "school_code", marks,
                                                       min_group_size=10)),
        "summarize county": timed(lambda: summarize(frame, None, marks)),
        "urban-rural gaps (CR1)": timed(lambda: group_gap(frame, "urban_rural", marks,
                                                          reference="urban"), repeat=1),
        "peer: pandas groupby mean": timed(
            lambda: frame[frame["status"] == "sat"].groupby(["school_code", "subject"])[
                "score"].mean()),
    }
    peer = results["peer: pandas groupby mean"]
    print(f"rows: {len(frame):,} ({args.students:,} students x {len(SUBJECTS)} subjects), "
          f"schools: {args.schools:,}; machine: {platform.machine()}, "
          f"python {platform.python_version()}, pandas {pd.__version__}")
    print(f"{'step':<30}{'seconds':>10}{'x peer':>10}")
    for name, seconds in results.items():
        print(f"{name:<30}{seconds:>10.2f}{seconds / peer:>10.1f}")
    target = results["summarize by school"] < 10
    print(f"target summarize by school < 10 s: {'met' if target else 'NOT met'}")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "indicators.json").write_text(json.dumps(
        {"rows": len(frame), "students": args.students, "schools": args.schools,
         "seconds": results, "target_met": target}, indent=2))


if __name__ == "__main__":
    main()
