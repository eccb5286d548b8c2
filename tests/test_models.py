"""eduqa.models internals against independent routes: the direct design matrix against patsy,
and collinearity from X'X against pivoted QR of X itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import patsy
import pytest

from eduqa.models import linear as ols_module
from eduqa.models.linear import collinear, design


@pytest.fixture
def frame():
    rng = np.random.default_rng(3)
    n = 500
    out = pd.DataFrame({"z": rng.normal(size=n), "rural": rng.integers(0, 2, n),
                        "shortage_rate": rng.uniform(0, 0.3, n), "prior_z": rng.normal(size=n),
                        "flag": rng.integers(0, 2, n).astype(bool),
                        "kind": rng.choice(["urban", "town", "rural"], n),
                        "school_code": rng.integers(0, 20, n)},
                       index=np.arange(1000, 1000 + n))
    out.loc[out.index[::17], "prior_z"] = np.nan
    return out


@pytest.mark.parametrize("formula", [
    "z ~ rural + shortage_rate + prior_z", "z ~ 1", "z ~ prior_z - 1", "z ~ 0 + rural",
    "z ~ shortage_rate + rural", "prior_z ~ z", "z ~ rural + rural",
    # not plain columns: patsy builds these, and the result is the same either way
    "z ~ C(kind) + prior_z", "z ~ flag + rural", "z ~ rural:prior_z", "z ~ np.log1p(rural)",
])
def test_design_equals_patsy(frame, formula):
    y, x = design(frame, formula, ["school_code"])
    expected_y, expected_x = patsy.dmatrices(formula, frame, return_type="dataframe",
                                             NA_action="drop")
    pd.testing.assert_series_equal(y, expected_y.iloc[:, 0], check_names=False)
    pd.testing.assert_frame_equal(x, expected_x, check_names=False)
    assert list(x.columns) == list(expected_x.columns)


def test_plain_columns_take_the_direct_route_and_others_do_not(frame):
    assert ols_module._plain_columns("z ~ rural + prior_z", frame) == ("z", ["rural", "prior_z"],
                                                                      True)
    for formula in ("z ~ C(kind)", "z ~ flag", "z ~ rural:prior_z", "z ~ kind", "z ~ missing"):
        assert ols_module._plain_columns(formula, frame) is None, formula


@pytest.mark.parametrize("rows", [300, 50_000])
def test_collinear_finds_planted_combinations_by_either_route(rows, monkeypatch):
    """Below and above the row count where collinear switches to X'X; and the X'X route run
    on the small design too, against the plain QR answer."""
    rng = np.random.default_rng(rows)
    x = pd.DataFrame({"Intercept": 1.0, "town": rng.integers(0, 2, rows).astype(float),
                      "rural": 0.0, "share": rng.uniform(0, 1, rows) * 1e3,
                      "prior": rng.normal(size=rows)})
    x["rural"] = (1 - x["town"]) * rng.integers(0, 2, rows)
    x["boarding"] = x["town"] + x["rural"]  # an exact combination
    x["tiny"] = rng.normal(size=rows) * 1e-6  # small but independent: kept
    assert collinear(x) == ["boarding"]
    assert collinear(x.drop(columns="boarding")) == []
    monkeypatch.setattr(ols_module, "_GRAM_ROWS", 0 if rows < 1000 else 10**9)
    assert collinear(x) == ["boarding"]  # the other route gives the same answer
    assert collinear(x.drop(columns="boarding")) == []


@pytest.mark.parametrize("rows", [300, 50_000])
def test_collinear_drops_the_later_column_whatever_the_rounding(rows):
    """Of an intercept and a constant column, the constant; of town, rural and boarding =
    town + rural, whichever comes last — by either route (a pivoted QR broke such ties by
    the last digits: the intercept itself was once reported)."""
    from eduqa.models.linear import collinear_gram

    rng = np.random.default_rng(rows + 1)
    town = rng.integers(0, 2, rows).astype(float)
    rural = (1 - town) * rng.integers(0, 2, rows)
    x = pd.DataFrame({"Intercept": 1.0, "town": town, "rural": rural,
                      "boarding": town + rural, "constant": 1.0,
                      "prior": rng.normal(size=rows)})
    assert collinear(x) == ["boarding", "constant"]
    reordered = x[["Intercept", "boarding", "rural", "prior", "town"]]
    assert collinear(reordered) == ["town"]
    values = reordered.to_numpy(float)
    assert collinear_gram(values.T @ values, rows, list(reordered.columns)) == ["town"]
    assert collinear(x[["constant", "Intercept", "prior"]]) == ["Intercept"]
    zero = x.assign(rural=0.0)[["Intercept", "rural", "town"]]
    assert collinear(zero) == ["rural"]


@pytest.mark.parametrize("reml", [True, False])
def test_random_intercept_variances_do_not_depend_on_rounding(reml):
    """The fit is the zero of the profile's slope, so the last-digit rounding of another
    machine (here: the rows in another order, which sums them differently) moves the
    variances by far less than the golden test's 1e-9. Minimising the flat profile alone left
    them uncertain at ~1e-8 (the golden test failed on another CPU)."""
    from eduqa.models.multilevel import random_intercept

    rng = np.random.default_rng(7)
    groups = 40
    frame = pd.DataFrame({"g": np.repeat(np.arange(groups), 60)})
    frame["x"] = rng.normal(size=len(frame))
    frame["rural"] = (frame["g"] % 3 == 0).astype(float)
    frame["y"] = (np.repeat(rng.normal(0, 8, groups), 60) + 3 * frame["x"]
                  - 5 * frame["rural"] + rng.normal(0, 25, len(frame)) + 250)
    fits = [random_intercept(frame.sample(frac=1.0, random_state=seed) if seed else frame,
                             "y ~ x + rural", "g", reml=reml) for seed in (0, 1, 2, 3)]
    for fit in fits[1:]:
        assert fit.group_var == pytest.approx(fits[0].group_var, rel=1e-11, abs=0)
        assert fit.resid_var == pytest.approx(fits[0].resid_var, rel=1e-11, abs=0)
        assert np.allclose(fit.bse_kr, fits[0].bse_kr, rtol=1e-11, atol=0)
    # and it is the optimum: the profile's slope is zero there, to rounding
    from eduqa.models.linear import design
    from eduqa.models.multilevel import _SufficientStats

    y, x = design(frame, "y ~ x + rural", ["g"])
    codes, labels = pd.factorize(frame["g"], sort=True)
    stats = _SufficientStats.of(y.to_numpy(float), x.to_numpy(float), codes, labels)
    ratio = fits[0].group_var / fits[0].resid_var
    assert abs(stats.slope(ratio, reml)) < 1e-9
    step = 1e-4  # central difference of the profile: the slope is its derivative in log λ
    numeric = (stats.profile(ratio * np.exp(step), reml)
               - stats.profile(ratio * np.exp(-step), reml)) / (2 * step)
    assert stats.slope(ratio * 1.5, reml) == pytest.approx(
        (stats.profile(ratio * 1.5 * np.exp(step), reml)
         - stats.profile(ratio * 1.5 * np.exp(-step), reml)) / (2 * step), rel=1e-6)
    assert abs(numeric) < 1e-6


def test_design_matrix_is_the_design_as_one_array():
    """[X | y] from the column-by-column route equals patsy's frames (the oracle), rows with a
    missing outcome, term or group left out, nullable integers read as numbers."""
    import patsy

    from eduqa.models.linear import design_matrix

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"y": rng.normal(size=50), "x": rng.normal(size=50),
                          "k": pd.array(rng.integers(0, 4, 50), dtype="Int64"),
                          "c": rng.choice(["a", "b", "c"], 50),
                          "g": rng.integers(0, 5, 50).astype(float)})
    frame.loc[[3, 9], "y"] = np.nan
    frame.loc[[4], "x"] = np.nan
    frame.loc[[11], "k"] = pd.NA
    frame.loc[[20, 21], "g"] = np.nan
    for formula in ("y ~ x + k", "y ~ x + k - 1", "y ~ C(c) + x + k"):
        z, names, rows = design_matrix(frame, formula, ["g"])
        endog, exog = patsy.dmatrices(formula, frame.dropna(subset=["g"]).astype(
            {"k": "float"}), return_type="dataframe", NA_action="drop")
        assert names == list(exog.columns)
        assert list(rows) == list(exog.index)
        assert np.array_equal(z[:, :-1], exog.to_numpy()) and np.array_equal(
            z[:, -1], endog.iloc[:, 0].to_numpy())
        assert z.flags.f_contiguous
    z, names, rows = design_matrix(frame.dropna(), "y ~ x", [])
    assert rows is None and len(z) == len(frame.dropna())


def test_group_codes_are_pandas_factorize():
    from eduqa.models.multilevel import _factorize

    rng = np.random.default_rng(4)
    for values in (rng.integers(-5, 40, 300), rng.integers(0, 10**9, 300),
                   np.array(["b", "a", "c", "a"], dtype=object), rng.integers(0, 3, 10).astype(
                       np.uint8)):
        codes, labels = _factorize(values)
        expected_codes, expected_labels = pd.factorize(values, sort=True)
        assert np.array_equal(codes, expected_codes)
        assert np.array_equal(labels, np.asarray(expected_labels))
        assert labels.dtype == np.asarray(expected_labels).dtype


@pytest.mark.parametrize("ordered", [True, False])
def test_sufficient_statistics_against_plain_sums(ordered):
    """Group sums, raw and within-group cross-products against pandas group-bys and plain
    matrix products, for rows sorted by group (contiguous runs) and shuffled (counting)."""
    from eduqa.models.multilevel import _SufficientStats

    rng = np.random.default_rng(5)
    g = np.sort(rng.integers(0, 30, 2000)) if ordered else rng.integers(0, 30, 2000)
    x = np.column_stack([np.ones(2000), rng.normal(5, 2, 2000), (g % 4 == 0).astype(float)])
    y = 100 + x[:, 1] * 3 + rng.normal(0, 10, 2000)
    codes, labels = pd.factorize(g, sort=True)
    stats = _SufficientStats.of(y, x, codes, labels)
    frame = pd.DataFrame(np.column_stack([x, y])).assign(g=g)
    sums = frame.groupby("g").sum()
    assert np.allclose(stats.sx, sums.iloc[:, :3].to_numpy(), rtol=1e-12)
    assert np.allclose(stats.sy, sums.iloc[:, 3].to_numpy(), rtol=1e-12)
    assert np.allclose(stats.xtx, x.T @ x, rtol=1e-12)
    assert np.allclose(stats.xty, x.T @ y, rtol=1e-12)
    assert stats.yty == pytest.approx(y @ y, rel=1e-12)
    centred = frame.drop(columns="g") - frame.groupby("g").transform("mean")
    xc, yc = centred.iloc[:, :3].to_numpy(), centred.iloc[:, 3].to_numpy()
    assert np.allclose(stats.within[0], xc.T @ xc, rtol=1e-10, atol=1e-9)
    assert np.allclose(stats.within[1], xc.T @ yc, rtol=1e-10, atol=1e-9)
    assert stats.within[2] == pytest.approx(yc @ yc, rel=1e-10)
    # the search grid's batched profiles are the one-at-a-time profile
    ratios = np.exp(np.arange(-20.0, 30.01, 2.5))
    for reml in (True, False):
        batched = stats.profiles(ratios, reml)
        assert np.allclose(batched, [stats.profile(r, reml) for r in ratios], rtol=1e-12)


def test_t_quantiles_and_p_values_equal_scipy_stats():
    """eduqa.models.tdist (scipy.special, a fifth of scipy.stats' import) against
    scipy.stats.t, including fractional, huge, infinite, zero and missing df."""
    from scipy import stats

    from eduqa.models.tdist import t_quantile, t_two_sided_p

    df = np.array([0.5, 1, 2.5, 3, 10, 47.3, 1e3, 1e8, np.inf, np.nan, 0, -1])
    for p in (0.5, 0.9, 0.95, 0.975, 0.995):
        np.testing.assert_array_equal(t_quantile(p, df), stats.t.ppf(p, df))
    t = np.array([0, -0.3, 1.96, -5, 40, np.inf, np.nan])
    for d in (1, 3.3, 30, 1e9, np.inf, np.nan, 0):
        np.testing.assert_array_equal(t_two_sided_p(t, d), 2 * stats.t.sf(np.abs(t), d))


def test_random_intercept_of_one_group_is_ols_with_no_group_variance():
    """Issue 33: a season of one school crashed the 03 page; with one group τ² is not
    identified and is set to 0, so the fixed effects are OLS (statsmodels as the oracle)."""
    import numpy as np
    import pandas as pd
    import statsmodels.formula.api as smf

    from eduqa.models import random_intercept

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": rng.normal(size=50)})
    frame["y"] = 1 + 0.5 * frame["x"] + rng.normal(size=50)
    frame["school"] = "only"
    fit = random_intercept(frame, "y ~ x", "school")
    ols = smf.ols("y ~ x", frame).fit()
    assert fit.group_var == 0 and fit.ngroups == 1
    np.testing.assert_allclose(fit.params.to_numpy(), ols.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(fit.bse.to_numpy(), ols.bse.to_numpy(), rtol=1e-8)
    # its effect is not estimable (no other group to compare with), not 0 ± 0 (issue 36)
    assert fit.group_effects["effect"].isna().all()
    assert fit.group_effects["flag"].tolist() == ["not_estimable"]
