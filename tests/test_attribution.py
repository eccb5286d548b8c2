"""Attribution models against statsmodels, R (lme4) reference fits and planted effects."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from eduqa.attribution import ols, random_intercept

from conftest import REPO

# --- random_intercept ---------------------------------------------------------------------------


def simulated(shape: str, seed: int) -> pd.DataFrame:
    """Datasets of different shapes: balanced, unbalanced, tiny groups, groups of one, few
    groups with a group-level predictor."""
    rng = np.random.default_rng(seed)
    sizes = {
        "balanced": np.full(40, 25),
        "unbalanced": rng.integers(2, 200, 50),
        "tiny": rng.integers(1, 4, 120),
        "singletons": np.r_[np.ones(60, int), rng.integers(2, 30, 20)],
        "few_groups": rng.integers(20, 120, 8),
    }[shape]
    groups = np.repeat(np.arange(len(sizes)), sizes)
    n = len(groups)
    frame = pd.DataFrame({"g": groups, "x": rng.normal(size=n),
                          "w": np.repeat(rng.uniform(0, 1, len(sizes)), sizes)})
    frame["y"] = (0.5 + 0.4 * frame["x"] - 1.0 * frame["w"]
                  + np.repeat(rng.normal(0, 0.7, len(sizes)), sizes) + rng.normal(0, 1.2, n))
    return frame


SHAPES = ["balanced", "unbalanced", "tiny", "singletons", "few_groups"]


@pytest.mark.parametrize("reml", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
def test_random_intercept_agrees_with_mixedlm(shape, reml):
    frame = simulated(shape, seed=SHAPES.index(shape))
    ours = random_intercept(frame, "y ~ x + w", "g", reml=reml)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm("y ~ x + w", frame, groups=frame["g"])
        default = model.fit(reml=reml)
        # MixedLM's default optimiser can stop early (relative error ~3e-4 in τ² seen here);
        # a tightly converged Nelder-Mead fit is the fair reference
        theirs = model.fit(reml=reml, method="nm", maxiter=20000, xtol=1e-12, ftol=1e-14)
    assert ours.llf >= default.llf - 1e-9
    np.testing.assert_allclose(ours.params, theirs.fe_params, rtol=1e-4)
    np.testing.assert_allclose(ours.group_var, theirs.cov_re.iloc[0, 0], rtol=1e-4)
    np.testing.assert_allclose(ours.resid_var, theirs.scale, rtol=1e-4)
    np.testing.assert_allclose(ours.bse, theirs.bse_fe, rtol=0.02)
    np.testing.assert_allclose(ours.llf, theirs.llf, rtol=1e-6)
    effects = pd.Series({k: v.iloc[0] for k, v in theirs.random_effects.items()})
    np.testing.assert_allclose(ours.group_effects["effect"], effects.sort_index(), atol=1e-4)
    assert ours.nobs == len(frame) and ours.ngroups == frame["g"].nunique()


@pytest.mark.parametrize("reml,expected", [
    (True, {"params": [15.723523, 6.942505], "bse": [0.78805374, 0.03338727],
            "scale": 11.36692, "tau2": 40.39395, "llf": -2404.775}),
    (False, {"params": [15.723517, 6.942506], "bse": [0.7829397, 0.0333661],
             "scale": 11.35251, "tau2": 39.82097, "llf": -2402.932}),
])
def test_random_intercept_matches_lme4_on_dietox(reml, expected):
    data = pd.read_csv(REPO / "tests" / "data" / "dietox.csv")
    fit = random_intercept(data, "Weight ~ Time", "Pig", reml=reml)
    np.testing.assert_allclose(fit.params, expected["params"], rtol=1e-5)
    np.testing.assert_allclose(fit.bse, expected["bse"], rtol=1e-4)
    np.testing.assert_allclose(fit.resid_var, expected["scale"], rtol=1e-5)
    np.testing.assert_allclose(fit.group_var, expected["tau2"], rtol=1e-5)
    np.testing.assert_allclose(fit.llf, expected["llf"], rtol=1e-6)


def test_random_intercept_no_group_variance_is_the_boundary():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"g": np.repeat(np.arange(30), 10), "y": rng.normal(size=300)})
    frame.loc[frame["g"] < 15, "y"] -= 0.0  # no group effect planted at all
    fit = random_intercept(frame, "y ~ 1", "g")
    assert fit.group_var < 0.02 and fit.icc < 0.02
    assert (fit.group_effects["flag"] == "as_expected").all()


def test_group_effects_flag_planted_schools():
    rng = np.random.default_rng(11)
    effects = np.zeros(40)  # only six schools differ from expectation
    effects[:3], effects[3:6] = 1.5, -1.5
    frame = pd.DataFrame({"g": np.repeat(np.arange(40), 60)})
    frame["y"] = effects[frame["g"]] + rng.normal(0, 1, len(frame))
    out = random_intercept(frame, "y ~ 1", "g").group_effects.set_index("group")
    assert set(out.index[out["flag"] == "above"]) == {0, 1, 2}
    assert set(out.index[out["flag"] == "below"]) == {3, 4, 5}


def test_random_intercept_does_not_modify_input():
    frame = simulated("unbalanced", 0)
    before = frame.copy()
    random_intercept(frame, "y ~ x", "g")
    pd.testing.assert_frame_equal(frame, before)


def test_random_intercept_bad_formula_is_a_clear_error():
    from eduqa.errors import EduqaError

    with pytest.raises(EduqaError, match="no_such_column"):
        random_intercept(simulated("balanced", 0), "y ~ no_such_column", "g")


# --- ols --------------------------------------------------------------------------------------


def test_ols_equals_statsmodels_hc1_and_cluster():
    frame = simulated("unbalanced", 3)
    plain = ols(frame, "y ~ x + w")
    reference = smf.ols("y ~ x + w", frame).fit(cov_type="HC1")
    np.testing.assert_allclose(plain.params, reference.params, rtol=1e-10)
    np.testing.assert_allclose(plain.bse, reference.bse, rtol=1e-10)
    clustered = ols(frame, "y ~ x + w", cluster="g")
    reference = smf.ols("y ~ x + w", frame).fit(cov_type="cluster",
                                                cov_kwds={"groups": frame["g"]})
    np.testing.assert_allclose(clustered.bse, reference.bse, rtol=1e-10)
    assert clustered.df_inference == frame["g"].nunique() - 1
    table = clustered.to_frame().set_index("term")
    from scipy import stats

    q = stats.t.ppf(0.975, frame["g"].nunique() - 1)
    np.testing.assert_allclose(table["ci_high"], clustered.params + q * clustered.bse)
