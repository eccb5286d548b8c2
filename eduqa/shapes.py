"""County shapes for the sweep (:mod:`eduqa.sweep`): the counties themselves are drawn by
:mod:`eduqa.synth.shapes` (demo data, like the demo county); this module writes one as a new
user's project, through eduqa's own ``init`` and ``new-season``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from eduqa.synth.shapes import (  # noqa: F401  (the sweep's and the tests' names)
    CATEGORIES,
    COUNTY_NAME,
    CountyShape,
    ShapeProject,
    _ability,
    _roster,
    _season_id,
    _write_season,
    draw_shape,
    draw_shapes,
)

__all__ = ["CATEGORIES", "CountyShape", "ShapeProject", "draw_shape", "draw_shapes",
           "write_shape_project"]


def write_shape_project(root: str | Path, shape: CountyShape,
                        notebooks: str | Path | None = None) -> ShapeProject:
    """Write ``shape`` as a new county's project in ``root`` the way a new user makes one:
    ``init`` (default county.yaml), the roster, ``new-season`` without ``--from``, the raw
    files copied in, and the season's subjects and files set in its params (nothing else
    changed from the defaults)."""
    from eduqa.config.paths import Project
    from eduqa.project.scaffold import init_project, new_season

    root = Path(root)
    rng = np.random.default_rng([shape.seed, 7])
    project: Project = init_project(root, COUNTY_NAME, notebooks=Path(notebooks) if notebooks
                                    else None)
    if shape.tiers != ("urban_rural", "school_type"):  # else init's default
        county = project.params_dir / "county.yaml"
        text = county.read_text(encoding="utf-8")
        county.write_text(text.replace("  by: [urban_rural, school_type]",
                                       f"  by: [{', '.join(shape.tiers)}]"), encoding="utf-8")
    roster = _roster(rng, shape)
    roster.to_csv(project.raw / "schools.csv", index=False, encoding="utf-8")
    school, ability = _ability(rng, shape)
    ids = np.array([f"G4305{shape.seed:04d}{i:08d}" for i in range(len(school))])
    offsets = [1, 0] if shape.prior == "cohort" else [0]
    seasons = [_season_id(shape, offset) for offset in offsets]
    export_file = ""
    for offset, season in zip(offsets, seasons):
        grade = shape.grade - offset
        growth = ability + rng.normal(0, 0.5, len(ability)) * offset
        new_season(project, season)
        folder = project.raw / season
        export_file = _write_season(rng, shape, project, season, grade, roster, school,
                                    growth, ids, folder)
    return ShapeProject(root=root, seasons=tuple(seasons), season=seasons[-1],
                        export_file=export_file)
