"""Benchmark (a simulation): coverage of the teacher view's 95% intervals for planted teacher
effects (issue 36, point 1), 200 seeded counties per design, and the same counties with the
old aggregation of each teacher's classes as independent pieces (the peer).

    .venv/bin/python benchmarks/bench_teachers.py [--reps 200]

Each county: 40 schools, teacher SD 0.15, school SD 0.35, pupil SD 1, classes of 25–45 pupils.
Designs: two teachers × two classes per school; one teacher per class (four per school); two
teachers × two classes with a class SD of 0.1 beside the teacher's. Target: coverage ≥ 93% in
every design. Writes benchmarks/out/teachers.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa import attribution
from eduqa.models.nested import nested_random_intercept
from eduqa.synth.teachers import teacher_design

DESIGNS = {
    "2 teachers x 2 classes": {"teachers": 2, "classes": 2},
    "1 teacher per class": {"teachers": 4, "classes": 1},
    "2 x 2, class SD 0.1": {"teachers": 2, "classes": 2, "class_sd": 0.1},
}


def _old(county) -> pd.DataFrame:
    """The former method: the pupil-weighted mean of the classes' effects of a three-level
    model, with √Σ (n_c/N)² se_c² as if the classes' errors were independent."""
    scores = county.scores
    z = (scores["score"] - scores["score"].mean()) / scores["score"].std()
    fit = nested_random_intercept(scores.assign(z=z), "z ~ 1")
    joined = county.assignments.merge(fit.class_effects, on=["school_code", "class"])
    weight = joined["n"] / joined.groupby("teacher_key")["n"].transform("sum")
    grouped = joined.assign(e=weight * joined["effect"], v=weight ** 2 * joined["se"] ** 2)
    table = grouped.groupby(["teacher_key", "school_code"])[["e", "v"]].sum().reset_index()
    se = np.sqrt(table["v"])
    return table.assign(ci_low=table["e"] - 1.96 * se, ci_high=table["e"] + 1.96 * se)


def _hits(view: pd.DataFrame, county) -> tuple[int, int, float]:
    planted = view.merge(county.truth, on=["teacher_key", "school_code"])["effect"] / (
        county.scores["score"].std() / 10)
    inside = (view["ci_low"].to_numpy() <= planted) & (planted <= view["ci_high"].to_numpy())
    return int(inside.sum()), len(view), float((view["ci_high"] - view["ci_low"]).mean())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=200)
    args = parser.parse_args()
    results = {}
    print(f"{'design':26} {'coverage':>9} {'width':>7} {'old coverage':>13} {'old width':>10}"
          f" {'s/county':>9}")
    for name, design in DESIGNS.items():
        new, old, widths, old_widths = [0, 0], [0, 0], [], []
        started = time.perf_counter()
        seconds = 0.0
        for seed in range(args.reps):
            county = teacher_design(seed, **design)
            tick = time.perf_counter()
            view = attribution.teacher_view(county.scores, county.assignments)
            seconds += time.perf_counter() - tick
            hit, total, width = _hits(view, county)
            new[0] += hit
            new[1] += total
            widths.append(width)
            hit, total, width = _hits(_old(county), county)
            old[0] += hit
            old[1] += total
            old_widths.append(width)
        results[name] = {"reps": args.reps, "coverage": new[0] / new[1],
                         "mean_width": float(np.mean(widths)),
                         "old_coverage": old[0] / old[1],
                         "old_mean_width": float(np.mean(old_widths)),
                         "seconds_per_county": seconds / args.reps,
                         "total_seconds": time.perf_counter() - started}
        r = results[name]
        print(f"{name:26} {r['coverage']:9.3f} {r['mean_width']:7.3f} {r['old_coverage']:13.3f}"
              f" {r['old_mean_width']:10.3f} {r['seconds_per_county']:9.3f}")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "teachers.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    failed = [n for n, r in results.items() if r["coverage"] < 0.93]
    if failed:
        raise SystemExit(f"coverage below 93% in: {', '.join(failed)}")


if __name__ == "__main__":
    main()
