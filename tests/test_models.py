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
