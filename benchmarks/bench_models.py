"""Benchmark: eduqa.attribution.random_intercept against statsmodels MixedLM, same data, same
run; and random_intercept alone at province-like scale.

    .venv/bin/python benchmarks/bench_models.py [--skip-mixedlm]

Targets (issue 13): at least 300x faster than MixedLM on 300k rows / 1,500 schools, and at most
0.2 s on 1M rows / 5,000 schools, both timed after a warm-up call (the first call in a process
pays one-off import and allocation costs, reported separately). Writes
benchmarks/out/models.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.attribution import random_intercept

FORMULA = "z ~ rural + town + shortage_rate + out_of_field_share + prior_z"


def county(n_rows: int, n_schools: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    school = np.sort(rng.integers(0, n_schools, n_rows))
    kind = rng.choice([0, 1, 2], n_schools, p=[0.3, 0.4, 0.3])
    shortage = np.clip(0.03 + 0.08 * kind + rng.normal(0, 0.05, n_schools), 0, 0.8)
    oof = np.clip(0.03 + 0.1 * kind + rng.normal(0, 0.05, n_schools), 0, 0.9)
    prior = rng.normal(0, 1, n_rows)
    z = (-0.15 * (kind == 1)[school] - 0.3 * (kind == 2)[school] - 1.0 * shortage[school]
         - 0.8 * oof[school] + 0.7 * prior + rng.normal(0, 0.25, n_schools)[school]
         + rng.normal(0, 0.6, n_rows))
    return pd.DataFrame({"school_code": school, "town": (kind == 1)[school].astype(float),
                         "rural": (kind == 2)[school].astype(float),
                         "shortage_rate": shortage[school], "out_of_field_share": oof[school],
                         "prior_z": prior, "z": z})


def timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-mixedlm", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}; "
          f"formula: {FORMULA}")
    results = {}
    city = county(300_000, 1_500)
    results["first call (warm-up, 300k)"], _ = timed(
        lambda: random_intercept(city, FORMULA, "school_code"))
    ours_seconds, ours = timed(lambda: random_intercept(city, FORMULA, "school_code"))
    results["random_intercept 300k/1500"] = ours_seconds
    if not args.skip_mixedlm:
        import statsmodels.formula.api as smf

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs_seconds, theirs = timed(lambda: smf.mixedlm(
                FORMULA, city, groups=city["school_code"]).fit(reml=True))
        results["MixedLM 300k/1500"] = theirs_seconds
        results["speed-up"] = theirs_seconds / ours_seconds
        results["max |Δ fixed effect|"] = float(np.max(np.abs(ours.params.to_numpy()
                                                              - theirs.fe_params.to_numpy())))
        results["relative Δ τ²"] = abs(ours.group_var / theirs.cov_re.iloc[0, 0] - 1)
        # which optimum is better, judged by MixedLM's own likelihood function
        from statsmodels.regression.mixed_linear_model import MixedLMParams

        at_ours = MixedLMParams.from_components(
            fe_params=ours.params.to_numpy(),
            cov_re=np.array([[ours.group_var / ours.resid_var]]))
        model = theirs.model
        results["MixedLM converged"] = float(bool(theirs.converged))
        results["MixedLM llf at its fit"] = float(theirs.llf)
        results["MixedLM llf at eduqa's fit"] = float(model.loglike(at_ours, profile_fe=False))
    province = county(1_000_000, 5_000, seed=1)
    results["random_intercept 1M/5000"], _ = timed(
        lambda: random_intercept(province, FORMULA, "school_code"))
    for name, value in results.items():
        print(f"{name:<30}{value:>20.12g}")
    if "speed-up" in results:
        print(f"target speed-up >= 300x: {'met' if results['speed-up'] >= 300 else 'NOT met'}")
    print(f"target 1M/5000 <= 0.2 s: "
          f"{'met' if results['random_intercept 1M/5000'] <= 0.2 else 'NOT met'}")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "models.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
