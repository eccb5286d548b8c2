"""CR2 with Bell–McCaffrey degrees of freedom: against a dense transcription of the formulas,
statsmodels' HC2 (one row per cluster), the Welch–Satterthwaite closed form, and null
simulations with few clusters in the smaller group."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from eduqa.indicators.exam import group_gap
from eduqa.models.cluster import cr2, cr2_constant

from conftest import dense_cr2 as _dense_cr2
from conftest import dense_cr2_interval


def test_cr2_equals_dense_transcription():
    rng = np.random.default_rng(3)
    codes = np.repeat(np.arange(9), rng.integers(2, 12, 9))
    n = len(codes)
    x = np.column_stack([np.ones(n), rng.normal(size=n), (codes < 3).astype(float),
                         np.repeat(rng.normal(size=9), np.bincount(codes))])
    e = rng.normal(size=n)
    e = e - x @ np.linalg.lstsq(x, e, rcond=None)[0]  # OLS residuals
    fast = cr2(x, e, codes, rho=0.0)
    cov, df = _dense_cr2(x, e, codes)
    np.testing.assert_allclose(fast.cov, cov, rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(fast.df, df, rtol=1e-8)


def test_cr2_with_one_row_per_cluster_is_statsmodels_hc2():
    rng = np.random.default_rng(5)
    x = sm.add_constant(rng.normal(size=(40, 2)))
    y = x @ [1.0, 0.5, -0.2] + rng.normal(size=40) * (1 + np.abs(x[:, 1]))
    fitted = sm.OLS(y, x).fit(cov_type="HC2")
    ours = cr2(x, fitted.resid, np.arange(40))
    np.testing.assert_allclose(ours.cov, fitted.cov_params(), rtol=1e-10)


def test_bm_df_of_a_mean_difference_is_welch_satterthwaite_under_equal_variances():
    # two groups of clusters with one row each: HC2 is Welch's variance and the BM df is the
    # Satterthwaite df with equal variances (working model)
    n1, n2 = 3, 11
    group = np.r_[np.ones(n1), np.zeros(n2)]
    x = np.column_stack([np.ones(n1 + n2), group])
    y = np.random.default_rng(1).normal(size=n1 + n2)
    e = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    ours = cr2(x, e, np.arange(n1 + n2))
    welch = (1 / n1 + 1 / n2) ** 2 / (1 / (n1**2 * (n1 - 1)) + 1 / (n2**2 * (n2 - 1)))
    assert ours.df[1] == pytest.approx(welch, rel=1e-10)
    s1, s2 = y[group == 1].var(ddof=1), y[group == 0].var(ddof=1)
    assert ours.cov[1, 1] == pytest.approx(s1 / n1 + s2 / n2, rel=1e-10)


def test_cr2_constant_equals_cr2_on_the_rows():
    rng = np.random.default_rng(8)
    sizes = rng.integers(1, 30, 12)
    codes = np.repeat(np.arange(12), sizes)
    category = rng.integers(0, 3, 12)
    category[:3] = [0, 1, 2]
    per_cluster = np.column_stack([np.ones(12), category == 1, category == 2]).astype(float)
    x = per_cluster[codes]
    y = rng.normal(size=len(codes))
    e = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    rows = cr2(x, e, codes, rho=0.0)
    sums = np.bincount(codes, weights=e)
    short = cr2_constant(per_cluster, sizes.astype(float), sums, rho=0.0)
    np.testing.assert_allclose(short.cov, rows.cov, rtol=1e-9)
    np.testing.assert_allclose(short.df, rows.df, rtol=1e-9)
    # the random-effects working model (target-unbiased CR2 and its df) against the dense
    # transcription of Pustejovsky & Tipton's formulas
    for rho in (0.3, 4.0):
        short = cr2_constant(per_cluster, sizes.astype(float), sums, rho=rho)
        cov, df = _dense_cr2(x, e, codes, rho=rho)
        np.testing.assert_allclose(short.cov, cov, rtol=1e-8)
        np.testing.assert_allclose(short.df, df, rtol=1e-8)


def _null_county(rng, n_urban: int, n_rural: int, varied: bool):
    """Students in schools with a school random intercept and no urban–rural gap."""
    g = n_urban + n_rural
    sizes = rng.integers(15, 120, g) if varied else np.full(g, 60)
    codes = np.repeat(np.arange(g), sizes)
    effect = rng.normal(0, 0.5, g)[codes]
    score = 70 + 10 * (effect + rng.normal(0, 1, len(codes)))
    place = np.where(np.arange(g) < n_rural, "rural", "urban")[codes]
    return pd.DataFrame({"school_code": codes, "urban_rural": place, "subject": "total",
                         "status": "sat", "score": np.clip(score, 0, 100)})


@pytest.mark.slow
@pytest.mark.parametrize("n_rural", [2, 5, 19])
def test_rural_gap_interval_has_nominal_size_with_few_rural_schools(n_rural):
    """400 seeded counties with no true gap (12 urban schools of 15–119 students, 2 / 5 / 19
    rural; ICC 0.2): the 95% interval of the gap excludes 0 in 3–7% of them. With 2 rural
    schools the interval is randomization inference (CR2 with Bell–McCaffrey df excluded a
    true zero in 0.3%, CR1 with t(G − 1) in about 20%); with 5 and 19, CR2."""
    rng = np.random.default_rng(100 + n_rural)
    reps, rejected, rejected_cr1 = 400, 0, 0
    for _ in range(reps):
        frame = _null_county(rng, 12, n_rural, varied=True)
        row = group_gap(frame, "urban_rural", {"total": 100}, reference="urban")
        row = row[row["indicator"] == "mean"].iloc[0]
        rejected += row["ci_low"] > 0 or row["ci_high"] < 0
        if n_rural == 2:  # CR1, t(G − 1), as before
            fit = sm.OLS(frame["score"], sm.add_constant((frame["urban_rural"] == "rural")
                                                         .astype(float))).fit(
                cov_type="cluster", cov_kwds={"groups": frame["school_code"]}, use_t=True)
            rejected_cr1 += fit.pvalues.iloc[1] < 0.05
    rate = rejected / reps
    assert 0.03 <= rate <= 0.07, rate
    assert row["method"] == ("randomization" if n_rural < 5 else "CR2")
    if n_rural == 2:
        assert rejected_cr1 / reps > 0.12  # the failure this replaces is visible


def test_randomization_gap_enumerates_every_assignment_and_inverts_the_test():
    """Oracle: a plain loop over the 91 ways to choose 2 of 14 schools."""
    from itertools import combinations

    from eduqa.models.cluster import randomization_gap

    rng = np.random.default_rng(0)
    n = rng.integers(15, 120, 14).astype(float)
    members = np.zeros(14)
    members[:2] = 1
    sums = (rng.normal(0, 5, 14) + 62) * n
    p, low, high, count = randomization_gap(n, sums, members)

    def gap(chosen, s):
        inside = np.isin(np.arange(14), chosen)
        return s[inside].sum() / n[inside].sum() - s[~inside].sum() / n[~inside].sum()

    observed = gap([0, 1], sums)
    loop = [gap(list(c), sums) for c in combinations(range(14), 2)]
    assert count == 91
    assert p == pytest.approx(np.mean(np.abs(loop) >= abs(observed) - 1e-12))
    assert low < observed < high
    for edge, inside in ((low, 1), (high, -1)):  # just inside the interval: not rejected
        for delta, rejected in ((edge + inside * 1e-3, False), (edge - inside * 1e-3, True)):
            shifted = sums - delta * n * members
            values = [gap(list(c), shifted) for c in combinations(range(14), 2)]
            share = np.mean(np.abs(values) >= abs(gap([0, 1], shifted)) - 1e-12)
            assert (share < 0.05) == rejected


def _null_places(rng, n_rural: int):
    """12 urban, 6 town and ``n_rural`` rural schools of 15–119 students, a school random
    intercept, a school-level shortage rate, and no gap of any kind."""
    kinds = np.array(["urban"] * 12 + ["town"] * 6 + ["rural"] * n_rural)
    sizes = rng.integers(15, 120, len(kinds))
    codes = np.repeat(np.arange(len(kinds)), sizes)
    shortage = rng.uniform(0, 0.3, len(kinds))
    z = rng.normal(0, 0.5, len(kinds))[codes] + rng.normal(0, 1, len(codes))
    return pd.DataFrame({"school_code": codes, "rural": (kinds[codes] == "rural").astype(float),
                         "town": (kinds[codes] == "town").astype(float),
                         "shortage_rate": shortage[codes], "z": z})


@pytest.mark.slow
@pytest.mark.parametrize("n_rural", [2, 5, 19])
def test_gelbach_base_and_oaxaca_gap_have_nominal_size_with_few_rural_schools(n_rural):
    """The audit found the Gelbach base bootstrap (25.5%) and the Oaxaca gap bootstrap (28%)
    far too liberal with 2 rural schools. 400 seeded null counties (with town schools as a
    control): both intervals exclude 0 in 3–7% of them — randomization inference with fewer
    than 5 rural schools, school-level CR2 otherwise."""
    from eduqa.attribution import gelbach, oaxaca

    rng = np.random.default_rng(300 + n_rural)
    reps, base_rejected, gap_rejected = 400, 0, 0
    for _ in range(reps):
        frame = _null_places(rng, n_rural)
        base = gelbach(frame, "z", "rural", ["shortage_rate"], controls=["town"],
                       cluster="school_code", n_boot=0).set_index("term").loc["base"]
        base_rejected += base["ci_low"] > 0 or base["ci_high"] < 0
        pair = frame[frame["town"] == 0]
        gap = oaxaca(pair, "z", "rural", ["shortage_rate"], cluster="school_code",
                     n_boot=0).set_index("part").loc["gap"]
        gap_rejected += gap["ci_low"] > 0 or gap["ci_high"] < 0
    expected = "randomization" if n_rural < 5 else "CR2"
    assert base["method"] == expected and gap["method"] == expected
    assert 0.03 <= base_rejected / reps <= 0.07, base_rejected / reps
    assert 0.03 <= gap_rejected / reps <= 0.07, gap_rejected / reps


def test_gelbach_base_interval_equals_the_dense_cr2_oracle():
    from eduqa.attribution import gelbach

    frame = _null_places(np.random.default_rng(4), 7).iloc[::9].reset_index(drop=True)
    base = gelbach(frame, "z", "rural", ["shortage_rate"], controls=["town"],
                   cluster="school_code", n_boot=0).set_index("term").loc["base"]
    x = np.column_stack([np.ones(len(frame)), frame["rural"], frame["town"]])
    low, high = dense_cr2_interval(frame["z"], x, frame["school_code"], 1)
    assert base["method"] == "CR2"
    assert (base["ci_low"], base["ci_high"]) == pytest.approx((low, high), rel=1e-8)
