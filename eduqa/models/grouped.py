"""A student-level frame held as per-group sufficient statistics (docs/METHODS.md §C).

Every attribution model of a season regresses a student-level outcome (``z``) on terms that are
constant within a school (rural status, shortage rate, size …) and at most a few student-level
columns (the prior score). Such a model depends on the students only through, per school, the
number of students ``n``, the sums of the student-level columns and their cross-products
centred on the school's means. :class:`GroupedStats` holds exactly that — one row per school,
however many students — and the models (:func:`~eduqa.models.random_intercept`,
:func:`~eduqa.models.gelbach`, :func:`~eduqa.models.oaxaca`,
:func:`~eduqa.models.nested.nested_random_intercept`) fit from it as they do from the rows.

The statistics of disjoint sets of schools are simply stacked (:meth:`GroupedStats.from_table`
of the rows of several :func:`group_table`): with the Dask engine each partition — whole
schools — gives its schools' rows, and only those rows (one per school) leave the workers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from eduqa.errors import EduqaError

__all__ = ["GroupedStats", "group_table"]

_N = "n"


def _sum(column: str) -> str:
    return f"sum:{column}"


def _within(a: str, b: str) -> str:
    return f"within:{a}:{b}"


def _absmax(column: str) -> str:
    return f"absmax:{column}"


def group_table(frame: pd.DataFrame, keys: Sequence[str], student: Sequence[str],
                order: Sequence[str] = ()) -> pd.DataFrame:
    """The sufficient statistics of ``frame``'s rows complete in the ``student`` columns, one
    row per group of ``keys``: ``n``, ``sum:<c>``, ``within:<c>:<d>`` (Σ (c − c̄)(d − d̄) over
    the group's rows, c̄ its mean) and ``absmax:<c>``, for the student-level columns c, d.

    Each group's numbers depend only on its own rows, taken in the order of ``order`` (e.g.
    ``student_key``): the table of a partition holding whole groups is the same, to the last
    bit, as those groups' rows of the whole frame's table."""
    keys, student = list(keys), list(student)
    columns = [*keys, _N, *[_sum(c) for c in student],
               *[_within(a, b) for i, a in enumerate(student) for b in student[i:]],
               *[_absmax(c) for c in student]]
    values = frame[[*keys, *dict.fromkeys([*student, *order])]]
    values = values[values[student].notna().all(axis=1)]
    if values.empty:
        return pd.DataFrame({c: pd.Series(dtype=frame[c].dtype if c in keys else float)
                             for c in columns})
    values = values.sort_values([*keys, *order], kind="stable")
    starts = np.flatnonzero(np.r_[True, (values[keys].iloc[1:].to_numpy()
                                         != values[keys].iloc[:-1].to_numpy()).any(axis=1)])
    x = values[student].to_numpy(float)
    n = np.diff(np.r_[starts, len(x)]).astype(float)
    sums = np.add.reduceat(x, starts, axis=0)
    centred = x - np.repeat(sums / n[:, None], n.astype(np.intp), axis=0)
    out = values[keys].iloc[starts].reset_index(drop=True)
    out[_N] = n
    for j, c in enumerate(student):
        out[_sum(c)] = sums[:, j]
    for i, a in enumerate(student):
        for j in range(i, len(student)):
            out[_within(a, student[j])] = np.add.reduceat(centred[:, i] * centred[:, j],
                                                          starts)
    for j, c in enumerate(student):
        out[_absmax(c)] = np.maximum.reduceat(np.abs(x[:, j]), starts)
    return out[columns]


@dataclass(frozen=True)
class GroupedStats:
    """Per group (school, or class within school): ``n``, the sums and the centred
    cross-products of the ``student``-level columns over the rows complete in them, and the
    group-level columns (constant within a group) in ``table``.

    Build it with :meth:`of` (pandas rows) or :meth:`from_table` (stacked
    :func:`group_table` rows, e.g. the Dask partitions'). ``table`` is sorted by ``keys``."""

    keys: tuple[str, ...]
    student: tuple[str, ...]
    table: pd.DataFrame  # keys, n, group-level columns (one row per group)
    sums: np.ndarray  # (G, q)
    within: np.ndarray  # (G, q, q)
    absmax: np.ndarray  # (G, q)

    # ---- building ------------------------------------------------------------------------
    @classmethod
    def of(cls, frame: pd.DataFrame, keys: str | Sequence[str], student: Sequence[str], *,
           constant: Sequence[str] = (), order: Sequence[str] = ()) -> GroupedStats:
        """The statistics of a pandas frame: ``student`` columns summed per group of ``keys``,
        ``constant`` columns read once per group (they must not vary within a group)."""
        keys = [keys] if isinstance(keys, str) else list(keys)
        missing = [c for c in [*keys, *student, *constant, *order] if c not in frame.columns]
        if missing:
            raise EduqaError.of("model.no_columns", missing=list(missing),
                                available=[str(c) for c in frame.columns])
        table = group_table(frame, keys, student, order)
        covariates = None
        if constant:
            grouped = frame.groupby(keys, sort=False, dropna=False)[list(constant)]
            varies = [c for c, k in grouped.nunique(dropna=False).max().items() if k > 1]
            if varies:
                raise EduqaError.of("model.not_group_level", varies=list(varies), keys=list(keys))
            covariates = grouped.first().reset_index()
        return cls.from_table(table, keys, student, covariates)

    @classmethod
    def from_table(cls, table: pd.DataFrame, keys: Sequence[str], student: Sequence[str],
                   covariates: pd.DataFrame | None = None) -> GroupedStats:
        """From :func:`group_table` rows of disjoint groups (stacked in any order), with the
        group-level ``covariates`` (one row per group, joined on ``keys``; absent: NaN)."""
        keys, student = list(keys), list(student)
        table = table.sort_values(keys, kind="stable").reset_index(drop=True)
        if table.duplicated(keys).any():
            raise EduqaError.of("model.group_in_two_parts")
        q = len(student)
        sums = table[[_sum(c) for c in student]].to_numpy(float).reshape(len(table), q)
        within = np.zeros((len(table), q, q))
        for i, a in enumerate(student):
            for j in range(i, q):
                within[:, i, j] = within[:, j, i] = table[_within(a, student[j])].to_numpy(float)
        absmax = table[[_absmax(c) for c in student]].to_numpy(float).reshape(len(table), q)
        base = table[[*keys, _N]]
        if covariates is not None:
            extra = [c for c in covariates.columns if c not in (*keys, _N, *student)]
            base = base.merge(covariates[[*keys, *extra]], on=keys, how="left",
                              validate="one_to_one")
        return cls(tuple(keys), tuple(student), base, sums, within, absmax)

    # ---- reading ---------------------------------------------------------------------------
    @property
    def group(self) -> str:
        return self.keys[0] if len(self.keys) == 1 else ", ".join(self.keys)

    @property
    def n(self) -> np.ndarray:
        return self.table[_N].to_numpy(float)

    @property
    def nobs(self) -> int:
        return int(self.n.sum())

    @property
    def ngroups(self) -> int:
        return len(self.table)

    @property
    def columns(self) -> list[str]:
        """Every column a model may name: the group-level ones and the student-level ones."""
        return [*[c for c in self.table.columns if c != _N], *self.student]

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def is_student(self, column: str) -> bool:
        return column in self.student

    def labels(self) -> np.ndarray:
        """The groups' labels (of the first key), in the table's order."""
        return self.table[self.keys[0]].to_numpy()

    def means(self) -> pd.DataFrame:
        """One row per group: the keys, ``n``, the group-level columns and the means of the
        student-level ones (what ``frame.groupby(keys).mean()`` gives of the rows)."""
        out = self.table.copy()
        for j, c in enumerate(self.student):
            out[c] = self.sums[:, j] / self.n
        return out

    def nunique_at_least_two(self, column: str, by: str) -> bool:
        """Whether ``column`` takes two or more values among the rows of every level of the
        group-level column ``by`` (``frame.groupby(by)[column].nunique().min() >= 2``)."""
        for _, part in self.table.groupby(by, sort=False):
            rows = self.select(self.table.index.isin(part.index))
            if rows.is_student(column):
                j = rows.student.index(column)
                spread = rows.within[:, j, j].sum() > 0 or np.ptp(rows.sums[:, j] / rows.n) > 0
            else:
                spread = part[column].nunique() >= 2
            if not spread:
                return False
        return True

    # ---- subsets ---------------------------------------------------------------------------
    def select(self, mask: ArrayLike) -> GroupedStats:
        """The groups where ``mask`` (one boolean a group, in the table's order) holds."""
        mask = np.asarray(mask, bool)
        return replace(self, table=self.table[mask].reset_index(drop=True),
                       sums=self.sums[mask], within=self.within[mask], absmax=self.absmax[mask])

    def where(self, column: str, values: Iterable[object]) -> GroupedStats:
        """The groups whose group-level ``column`` is one of ``values`` (e.g. the urban and
        rural schools: ``where("urban_rural", ["urban", "rural"])``)."""
        return self.select(self.table[column].isin(list(values)).to_numpy())

    def dropna(self, subset: Sequence[str]) -> GroupedStats:
        """Without the groups missing a group-level column of ``subset`` (the student-level
        columns are complete by construction)."""
        unknown = [c for c in subset if c not in self]
        if unknown:
            raise EduqaError.of("model.no_columns", missing=list(unknown),
                                available=list(self.columns))
        level = [c for c in subset if not self.is_student(c)]
        return self.select(self.table[level].notna().all(axis=1).to_numpy()) if level else self

    def assign(self, **columns: object) -> GroupedStats:
        """With group-level columns added (one value a group, or a scalar)."""
        return replace(self, table=self.table.assign(**columns))

    def with_group_mean(self, column: str, name: str | None = None) -> GroupedStats:
        """With the group mean of the student-level ``column`` as a group-level column
        (``<column>_school_mean`` by default, as :func:`~eduqa.models.with_school_mean`)."""
        j = self.student.index(column)
        return self.assign(**{name or f"{column}_school_mean": self.sums[:, j] / self.n})

    # ---- moments ---------------------------------------------------------------------------
    def blocks(self, columns: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
        """Per group, for Z = the ``columns`` (None: the intercept): the column sums S (G, p)
        and the centred cross-products W (G, p, p); Z'Z of group g is W_g + S_g S_g' / n_g."""
        n = self.n
        p = len(columns)
        sums = np.empty((self.ngroups, p))
        where: list[int | None] = []
        for at, column in enumerate(columns):
            if column is None:
                sums[:, at] = n
                where.append(None)
            elif self.is_student(column):
                j = self.student.index(column)
                sums[:, at] = self.sums[:, j]
                where.append(j)
            elif column in self.table.columns and column not in self.keys:
                sums[:, at] = n * self.table[column].to_numpy(dtype=float, na_value=np.nan)
                where.append(None)
            else:
                raise EduqaError.of("model.no_column", column=column,
                                    available=list(self.columns))
        within = np.zeros((self.ngroups, p, p))
        for a, row in enumerate(where):
            for b, col in enumerate(where):
                if row is not None and col is not None:
                    within[:, a, b] = self.within[:, row, col]
        return sums, within

    def cross_products(self, columns: Sequence[str | None]) -> np.ndarray:
        """Z'Z per group (G, p, p) for Z = the ``columns`` (None: the intercept)."""
        sums, within = self.blocks(columns)
        return within + sums[:, :, None] * sums[:, None, :] / self.n[:, None, None]

    def square_root(self, columns: Sequence[str | None]) -> np.ndarray:
        """An array M with M'M = Z'Z summed over the groups, for Z = the ``columns`` (None:
        the intercept): a row √n_g z̄_g per group, and below them a square root of the pooled
        within-group cross-products. Columns that are equal on the rows (a constant and the
        intercept) are equal here too, so a pivoted QR of M treats ties as the rows' QR does
        (a square root of Z'Z itself would break them by rounding)."""
        sums, within = self.blocks(columns)
        root_n = np.sqrt(self.n)
        between = sums / root_n[:, None]
        pooled = within.sum(axis=0)
        if not pooled.any():
            return between
        eigenvalues, vectors = np.linalg.eigh(pooled)
        return np.vstack([between, np.sqrt(np.clip(eigenvalues, 0, None))[:, None] * vectors.T])

    def collinear(self, names: Sequence[str]) -> list[str]:
        """The design columns ``names`` (``Intercept`` included) that are exact linear
        combinations of earlier ones, as :func:`~eduqa.models.linear.collinear` finds them on
        the rows."""
        from .linear import collinear_columns

        return collinear_columns(self.square_root(self.columns_of(names)), list(names),
                                 rows=self.nobs)

    def model(self, formula: str) -> tuple[GroupedStats, list[str], np.ndarray, np.ndarray,
                                           np.ndarray]:
        """For an R-style formula: the statistics of its design (:meth:`design`), the names of
        X's columns, and of Z = [X | y] the column sums per group S (G, k + 1), the pooled
        centred cross-products W and the cross-products Z'Z = W + Σ_g S_g S_g' / n_g."""
        design, outcome, names = self.design(formula)
        sums, within = design.blocks([*design.columns_of(names), outcome])
        centred = within.sum(axis=0)
        return design, names, sums, centred, centred + (sums / design.n[:, None]).T @ sums

    def design(self, formula: str) -> tuple[GroupedStats, str, list[str]]:
        """``(stats, outcome, names)`` for an R-style formula: its right-hand side's columns
        as group-level columns of ``stats`` (named as patsy names them, in its order), the
        groups missing any of them left out. The outcome must be a student-level column;
        a student-level column may enter the right-hand side only as itself (``prior_z``,
        not ``I(prior_z ** 2)``: the statistics hold its sums, not its transforms)."""
        import patsy

        try:
            desc = patsy.ModelDesc.from_formula(formula)
        except patsy.PatsyError as exc:
            raise EduqaError.of("model.unreadable", formula=formula, reason=str(exc)) from None
        lhs = [f.code for t in desc.lhs_termlist for f in t.factors]
        if len(lhs) != 1 or not self.is_student(lhs[0]):
            raise EduqaError.of("model.student_outcome", formula=formula,
                                student=list(self.student))
        outcome = lhs[0]
        placeholders = {}
        for term in desc.rhs_termlist:
            codes = [f.code for f in term.factors]
            used = {n for code in codes for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code)}
            student = used & set(self.student)
            if student and not (len(codes) == 1 and codes[0] in self.student):
                raise EduqaError.of("model.transformed_student_term", formula=formula,
                                    term=":".join(codes), student=sorted(student))
            placeholders.update({c: 0.0 for c in codes if c in self.student})
        frame = self.table.assign(**placeholders, **{outcome: 0.0})
        nullable = {c: "float64" for c, t in frame.dtypes.items()
                    if isinstance(t, pd.api.extensions.ExtensionDtype) and t.kind in "iuf"}
        try:
            exog = patsy.dmatrix(patsy.ModelDesc([], desc.rhs_termlist), frame.astype(nullable),
                                 return_type="dataframe", NA_action="drop")
        except Exception as exc:
            raise EduqaError.of("model.cannot_build", formula=formula, reason=str(exc),
                                available=list(self.columns)) from None
        kept = self.select(self.table.index.isin(exog.index))
        names = list(exog.columns)
        design = exog.reset_index(drop=True)
        level = {c: design[c].to_numpy(float) for c in names
                 if c not in placeholders and c != "Intercept"}
        return replace(kept, table=kept.table[[*self.keys, _N]].assign(**level)), outcome, names

    def columns_of(self, names: Sequence[str]) -> list[str | None]:
        """``names`` of a design with ``Intercept`` as None (for :meth:`blocks`)."""
        return [None if name == "Intercept" else name for name in names]
