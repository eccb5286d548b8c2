"""A seeded, fictional demo county (示范县) with realistic, messy raw exports: the score model
with its planted effects (``model``), the raw files as an office receives them (``exports``),
the papers with their planted flaws (``papers``) and other counties drawn from the same model
(``other``). Regenerate the bundled files with ``eduqa synth --out data/raw`` (or ``make
demo-data``): the same seed gives the same files.

A leaf package: it imports nothing of eduqa, so tests can compare the analyses with what it
planted."""

from __future__ import annotations

from eduqa.synth.exports import (
    CLASSES_PER_TEACHER,
    SUBJECTS_BY_NAME,
    TEACHER_SUBJECTS,
    digest,
    write_demo_county,
)
from eduqa.synth.model import (
    EFFECTS,
    GROWTH_SCALE,
    GROWTH_SD,
    LOADING,
    PRIOR_SLOPE,
    SCHOOL_SD,
    SEASONS,
    SEED,
    SUBJECT_SD,
    SUBJECTS,
    VALUE_ADDED_SD,
    WEAK_CLASS,
    DemoCounty,
    make_demo_county,
    weak_class_school,
)
from eduqa.synth.other import (
    write_other_county,
    write_scaled_project,
)
from eduqa.synth.papers import (
    PAPER_PLANTS,
    PAPER_SEASONS,
    PAPERS,
)

__all__ = ["CLASSES_PER_TEACHER", "DemoCounty", "EFFECTS", "GROWTH_SCALE", "GROWTH_SD", "LOADING", "PAPERS", "PAPER_PLANTS", "PAPER_SEASONS", "PRIOR_SLOPE", "SCHOOL_SD", "SEASONS", "SEED", "SUBJECTS", "SUBJECTS_BY_NAME", "SUBJECT_SD", "TEACHER_SUBJECTS", "VALUE_ADDED_SD", "WEAK_CLASS", "digest", "make_demo_county", "weak_class_school", "write_demo_county", "write_other_county", "write_scaled_project"]
