"""Simulated teacher designs with planted teacher effects: what the coverage of the teacher
view's intervals is checked on (tests/test_hierarchy.py, benchmarks/bench_teachers.py).

Scores are 60 + 10 y with y = school + teacher + class + pupil effects (normal, the SDs
given); each school has ``teachers`` teachers of ``classes`` classes each (one class each: the
one-teacher-per-class design)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["TeacherDesign", "teacher_design"]


@dataclass(frozen=True)
class TeacherDesign:
    """One simulated county: ``scores`` (as the cleaned scores table: ``student_key``,
    ``school_code``, ``class``, ``subject``, ``status``, ``score``), ``assignments`` (as
    read_teachers gives them) and ``truth``: each teacher's planted effect on the y scale
    (``teacher_key``, ``school_code``, ``effect``)."""

    scores: pd.DataFrame
    assignments: pd.DataFrame
    truth: pd.DataFrame


def teacher_design(seed: int, *, schools: int = 40, teachers: int = 2, classes: int = 2,
                   pupils: tuple[int, int] = (25, 45), school_sd: float = 0.35,
                   teacher_sd: float = 0.15, class_sd: float = 0.0,
                   subject: str = "math") -> TeacherDesign:
    """A county of ``schools`` schools, each with ``teachers`` × ``classes`` classes of
    ``pupils`` (low, high) pupils, with the planted SDs (pupil SD 1)."""
    rng = np.random.default_rng(seed)
    n_teachers = schools * teachers
    n_classes = n_teachers * classes
    school_of_teacher = np.repeat(np.arange(schools), teachers)
    teacher_of_class = np.repeat(np.arange(n_teachers), classes)
    u = rng.normal(0.0, school_sd, schools)
    t = rng.normal(0.0, teacher_sd, n_teachers)
    v = rng.normal(0.0, class_sd, n_classes) if class_sd > 0 else np.zeros(n_classes)
    size = rng.integers(pupils[0], pupils[1] + 1, n_classes)
    klass = np.repeat(np.arange(n_classes), size)
    teacher = teacher_of_class[klass]
    school = school_of_teacher[teacher]
    y = u[school] + t[teacher] + v[klass] + rng.normal(0.0, 1.0, len(klass))
    codes = np.array([f"S{s:03d}" for s in range(schools)])
    labels = np.array([f"{c % (teachers * classes) + 1}" for c in range(n_classes)])
    keys = np.array([f"T{k:04d}" for k in range(n_teachers)])
    scores = pd.DataFrame({"student_key": [f"p{i:06d}" for i in range(len(klass))],
                           "school_code": codes[school], "class": labels[klass],
                           "subject": subject, "status": "sat", "score": 60.0 + 10.0 * y})
    assignments = pd.DataFrame({"school_code": codes[school_of_teacher[teacher_of_class]],
                                "class": labels, "subject": subject,
                                "teacher_key": keys[teacher_of_class]})
    truth = pd.DataFrame({"teacher_key": keys, "school_code": codes[school_of_teacher],
                          "effect": t})
    return TeacherDesign(scores, assignments, truth)
