"""Load and validate ``params/county.yaml`` and ``params/<season>.yaml``.

Both files are checked on load: an unknown key, a missing file or a wrong type is a
:class:`~eduqa.errors.ParamsError` naming the file and the key, with a suggestion when a key looks
like a typo of a known one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eduqa.catalog import say
from eduqa.catalog.vocabulary import (  # noqa: F401
    POINTS_TEXT as _POINTS_TEXT,
)
from eduqa.catalog.vocabulary import POINTS_WRITTEN
from eduqa.config.paths import Project, check_season_id
from eduqa.config.reading import (
    _NUMBER,
    Note,
    _dataclass_from,
    _one_line,
    _positive,
    _project_file,
    _reject_unknown,
    _require,
    _share,
    _typed,
    _weight,
    peek_language,
    read_yaml,
)
from eduqa.config.schema import SCHOOL_LEVELS, SUBJECT_ALIASES, subject_id
from eduqa.config.season_files import _input_files, _paired_paper_files
from eduqa.config.settings import (
    ENGINES,
    TIER_KEYS,
    ClassRules,
    CompositeWeights,
    EngineSettings,
    ItemRules,
    Thresholds,
    TierRules,
)
from eduqa.errors import EduqaError, Gather, ParamsError

__all__ = ["peek_language", "Thresholds", "CompositeWeights", "CountyParams", "SeasonParams", "load_county",
           "load_season"]


#: Model terms of the attribution sequence (docs/METHODS.md §C); R-style terms over the columns of
#: :func:`eduqa.attribution.model_frame`, overridable in county.yaml or per season.
ATTRIBUTION_DEFAULTS = {
    "place": ["town", "rural"],
    "staffing": ["shortage_rate", "out_of_field_share"],
    "controls": ["log_enrollment", "boarding"],
}


@dataclass(frozen=True)
class CountyParams:
    """Settings shared by every season of a county."""

    county: str
    language: str = "zh"
    roster: Path = Path("data/raw/schools.csv")
    thresholds: Thresholds = field(default_factory=Thresholds)
    composite_weights: CompositeWeights = field(default_factory=CompositeWeights)
    staffing_norms: dict[str, float] = field(
        default_factory=lambda: {"primary": 19.0, "junior": 13.5, "senior": 12.5})
    min_group_size: int = 10
    #: Every published value computed from fewer pupils than this is replaced by — (pages,
    #: workbook, Word); at least 2, so that no published value is one pupil's result.
    suppress_below: int = 5
    attribution: dict[str, list[str]] = field(default_factory=lambda: dict(ATTRIBUTION_DEFAULTS))
    source: Path | None = None
    outside_folders: tuple[Path, ...] = ()
    #: Lines given in points of the total (``pass_line: 600分``) rather than as shares, by
    #: threshold name. In county.yaml they wait for a season's full marks; in a
    #: :class:`SeasonParams` they have been turned into the shares of ``thresholds`` and stay
    #: here so that the report can say the line was set in points.
    threshold_points: dict[str, float] = field(default_factory=dict)
    #: Rules of the paper analysis (``paper:``): review flags and the item-sum tolerance.
    paper: ItemRules = field(default_factory=ItemRules)
    #: Rules of the class analysis (``classes:``): parallel-class balance, the teacher view.
    classes: ClassRules = field(default_factory=ClassRules)
    #: Where the numbers are computed (``engine:`` and ``dask:``): pandas or a Dask cluster.
    engine: EngineSettings = field(default_factory=EngineSettings)
    #: 梯次评价 (``tiers:``): what groups schools into tiers compared within themselves.
    tiers: TierRules = field(default_factory=TierRules)
    #: 校本报告 (``school_reports:``): one internal page and Word document per school.
    school_reports: bool = True


@dataclass(frozen=True)
class SeasonParams:
    """One exam season, with the county settings (and this season's overrides) folded in."""

    season: str
    name: str
    grade: int
    level: str
    subjects: dict[str, float]
    scores_file: Path
    staffing_file: Path | None
    targets_file: Path | None
    compare_with: str | None
    cohort_prior: str | None
    score_lines: dict[str, list[float]]
    county: CountyParams
    source: Path
    project: Project
    #: Item-score exports (小题分) and paper blueprints (双向细目表), by subject (optional:
    #: the paper analysis runs for the subjects that have both).
    item_files: dict[str, Path] = field(default_factory=dict)
    blueprint_files: dict[str, Path] = field(default_factory=dict)
    #: The teacher-of-record file (任课安排; optional, internal use only).
    teachers_file: Path | None = None
    #: What loading decided on the user's behalf: a score export found by itself, an optional
    #: file that is not there. Printed by ``validate`` and ``run`` and listed on the data page
    #: (:func:`eduqa.project.checks.season_checks` makes them notes).
    notes: tuple[Note, ...] = ()
    #: The settings this season's ``overrides:`` sets: its keys, or for a mapping the dotted
    #: keys one level down (``min_group_size``, ``attribution.controls``): see :meth:`blame`.
    overridden: frozenset[str] = frozenset()

    def blame(self, key: str) -> tuple[Path, str]:
        """The params file and key that hold the county setting ``key`` (a dotted key such as
        ``attribution.controls``): the season file, under ``overrides.``, when this season
        overrides it; else county.yaml.

        >>> from eduqa.config.paths import Project
        >>> county = CountyParams("demo", source=Path("params/county.yaml"))
        >>> season = SeasonParams("s", "s", 6, "primary", {}, Path("x.csv"), None, None, None,
        ...                       None, {}, county, Path("params/s.yaml"), Project(Path(".")),
        ...                       overridden=frozenset({"attribution.controls"}))
        >>> [str(part) for part in season.blame("attribution.controls")]
        ['params/s.yaml', 'overrides.attribution.controls']
        >>> [str(part) for part in season.blame("attribution.staffing")]
        ['params/county.yaml', 'attribution.staffing']
        """
        parts = key.split(".")
        if any(".".join(parts[:n]) in self.overridden for n in range(1, len(parts) + 1)) or \
                any(name.startswith(f"{key}.") for name in self.overridden):
            return self.source, f"overrides.{key}"
        return self.county.source or self.source, key

    @property
    def full_marks(self) -> dict[str, float]:
        """Full marks per subject, with the total (sum of subjects) under ``total``."""
        marks = dict(self.subjects)
        marks["total"] = float(sum(self.subjects.values()))
        return marks

    @property
    def language(self) -> str:
        return self.county.language

    @property
    def thresholds(self) -> Thresholds:
        return self.county.thresholds

    def input_files(self) -> dict[str, Path]:
        """Every raw input file this season reads, by role."""
        files = {"roster": self.project.root / self.county.roster, "scores": self.scores_file}
        if self.staffing_file is not None:
            files["staffing"] = self.staffing_file
        if self.targets_file is not None:
            files["targets"] = self.targets_file
        if self.teachers_file is not None:
            files["teachers"] = self.teachers_file
        for subject, path in self.item_files.items():
            files[f"items.{subject}"] = path
        for subject, path in self.blueprint_files.items():
            files[f"blueprints.{subject}"] = path
        return files

    def files_read(self) -> dict[str, Path]:
        """Every file a clean of this season reads, by role (sorted): its raw files
        (:meth:`input_files`) and both params files."""
        files = {**self.input_files(), "params": self.source}
        if self.county.source is not None:
            files["county"] = self.county.source
        return dict(sorted(files.items()))


# ---------------------------------------------------------------------------------------------
# generic checking


#: Lines that may be given in points of the total (600分) instead of a share of full marks.
POINT_LINES = ("pass_line", "good", "excellent", "low", "near_margin", "band_width")


def _thresholds_from(data: Any, path: Path, prefix: str, base: Thresholds,
                     base_points: dict[str, float]) -> tuple[Thresholds, dict[str, float]]:
    """Thresholds of one layer (county.yaml, or a season's overrides) over ``base``: each line
    a share of full marks (``0.75``) or points of the total (``600分``, or under ``points:``),
    returned as (thresholds, the lines given in points). A share given here replaces a line
    the base gave in points, and the other way round."""
    if data is None:
        return base, dict(base_points)
    _typed(data, dict, path, prefix.rstrip("."), "a mapping")
    names = set(Thresholds.__dataclass_fields__)
    _reject_unknown(data, names | {"points"}, path, prefix)
    shares = {name: getattr(base, name) for name in names}
    points = dict(base_points)
    nested = data.get("points")
    if nested is not None:
        _typed(nested, dict, path, f"{prefix}points", "a mapping")
        _reject_unknown(nested, set(POINT_LINES), path, f"{prefix}points.")
    given = [(key, value, f"{prefix}{key}") for key, value in data.items() if key != "points"]
    given += [(key, POINTS_WRITTEN.format(value) if isinstance(value, _NUMBER)
               and not isinstance(value, bool) else value, f"{prefix}points.{key}")
              for key, value in (nested or {}).items()]
    for key, value, where in given:
        if not isinstance(value, str):
            shares[key] = _share(value, path, where)
            points.pop(key, None)
            continue
        match = _POINTS_TEXT.fullmatch(value)
        if match is None or key not in POINT_LINES:
            raise ParamsError.of("config.params.thresholds_from.share_or_points"
                                 if key in POINT_LINES
                                 else "config.params.thresholds_from.number", file=path,
                                 key=where, line=key, value=value)
        amount = float(match.group(1))
        if amount <= 0:
            raise ParamsError.of("config.params.thresholds_from.line_points_must_be", file=path,
                                 key=where)
        points[key] = amount
    return Thresholds(**shares), points


def _resolve_points(county: CountyParams, total: float, path: Path,
                    from_season: frozenset[str] | set[str] = frozenset()) -> CountyParams:
    """``county`` with its lines in points (of the total, full marks ``total``) turned into
    shares of full marks for one season, and the order of the lines checked. A line in
    ``from_season`` was set by the season file's ``overrides`` (``path``): an error names that
    file and key, not county.yaml."""
    from dataclasses import replace

    shares = {}
    for key, amount in county.threshold_points.items():
        if amount > total:
            where = (f"overrides.thresholds.{key}" if key in from_season
                     else f"thresholds.{key}")
            raise ParamsError.of("config.params.resolve_points.points_more_than_total",
                                 file=path if key in from_season else county.source or path,
                                 key=where, where=where, amount=amount, total=total)
        shares[key] = amount / total
    thresholds = replace(county.thresholds, **shares)
    _check_thresholds(thresholds, path, county.threshold_points, total)
    return replace(county, thresholds=thresholds)


def _check_thresholds(thresholds: Thresholds, path: Path, points: dict[str, float] | None = None,
                      total: float | None = None) -> None:
    if thresholds.low <= thresholds.pass_line <= thresholds.good <= thresholds.excellent:
        return
    keys = ("low", "pass_line", "good", "excellent")
    given = {key: f"{getattr(thresholds, key):.2f}" + (
        f" ({points[key]:g}/{total:g})" if points and key in points and total else "")
        for key in keys}
    listed, listed_zh = ([say("config.params.check_thresholds.line", language,
                              name=say(f"config.params.check_thresholds.{key}", language),
                              value=value) for key, value in given.items()]
                         for language in ("en", "zh"))
    raise ParamsError.of("config.params.check_thresholds.order" if not (points and total)
                         else "config.params.check_thresholds.order_in_points", file=path,
                         key="thresholds", listed=listed, listed_zh=listed_zh)


# ---------------------------------------------------------------------------------------------
# county.yaml

_COUNTY_KEYS = {"county", "language", "roster", "thresholds", "composite_weights",
                "staffing_norms", "min_group_size", "suppress_below", "attribution",
                "outside_folders", "paper",
                "classes", "engine", "dask", "tiers", "school_reports"}
_OVERRIDABLE = {"thresholds", "composite_weights", "min_group_size", "language", "attribution"}


def _attribution(data: Any, path: Path, prefix: str, base: dict) -> dict[str, list[str]]:
    if data is None:
        return dict(base)
    _typed(data, dict, path, prefix.rstrip("."), "a mapping of term lists")
    _reject_unknown(data, set(ATTRIBUTION_DEFAULTS), path, prefix)
    out = dict(base)
    for key, terms in data.items():
        _typed(terms, list, path, f"{prefix}{key}", "a list of model terms")
        for term in terms:
            _typed(term, str, path, f"{prefix}{key}", "a list of model terms (text)")
        out[key] = list(terms)
    return out


def load_county(project: Project) -> CountyParams:
    """Read and validate ``params/county.yaml``; every problem found is named at once."""
    path = project.params_dir / "county.yaml"
    data = read_yaml(path)
    gather = Gather()
    gather(lambda: _reject_unknown(data, _COUNTY_KEYS, path))
    county = gather(lambda: _one_line(_typed(_require(data, "county", path), str, path,
                                             "county", "the county's name"), path, "county"), "")
    allowed = gather(lambda: _outside_folders(data, path), ())
    roster = gather(lambda: _roster(project, data, path, allowed), Path("data/raw/schools.csv"))
    thresholds, points = gather(lambda: _thresholds_from(data.get("thresholds"), path,
                                                         "thresholds.", Thresholds(), {}),
                                (Thresholds(), {}))
    if not points:  # lines in points are checked with a season's full marks
        gather(lambda: _check_thresholds(thresholds, path))
    weights = gather(lambda: _dataclass_from(CompositeWeights, data.get("composite_weights"),
                                             path, "composite_weights.", checker=_weight),
                     CompositeWeights())
    norms = gather(lambda: _staffing_norms(data, path), {})
    min_size = gather(lambda: _typed(data.get("min_group_size", 10), int, path,
                                     "min_group_size", "a whole number"), 10)
    suppress = gather(lambda: _suppress_below(data.get("suppress_below", 5), path), 5)
    language = gather(lambda: _language(data.get("language", "zh"), path, "language"), "zh")
    attribution = gather(lambda: _attribution(data.get("attribution"), path, "attribution.",
                                              ATTRIBUTION_DEFAULTS), ATTRIBUTION_DEFAULTS)
    paper = gather(lambda: _dataclass_from(ItemRules, data.get("paper"), path, "paper.",
                                           checker=_paper_rule), ItemRules())
    classes = gather(lambda: _dataclass_from(ClassRules, data.get("classes"), path, "classes.",
                                             checker=_class_rule), ClassRules())
    engine = gather(lambda: _engine(data, path), EngineSettings())
    tiers = gather(lambda: _tiers(data.get("tiers"), path), TierRules())
    school_reports = gather(lambda: _typed(data.get("school_reports", True), bool, path,
                                           "school_reports", "true or false"), True)
    gather.done()
    return CountyParams(county=county, language=language, roster=roster, thresholds=thresholds,
                        composite_weights=weights, staffing_norms=norms,
                        min_group_size=min_size, suppress_below=suppress,
                        attribution=attribution, source=path,
                        outside_folders=allowed, threshold_points=points, paper=paper,
                        classes=classes, engine=engine, tiers=tiers,
                        school_reports=school_reports)


def _suppress_below(value: Any, path: Path) -> int:
    """``suppress_below``: a whole number of pupils, at least 2 (a value from one pupil is
    that pupil's result, and is never published)."""
    _typed(value, int, path, "suppress_below", "a whole number of pupils")
    if value < 2:
        raise ParamsError.of("config.params.suppress_below.must_be_or_more", file=path,
                             key="suppress_below", value=value)
    return int(value)


def _outside_folders(data: dict, path: Path) -> tuple[Path, ...]:
    """``outside_folders:``: absolute folders input files may lie in."""
    outside = _typed(data.get("outside_folders", []), list, path, "outside_folders",
                     "a list of folders")
    for index, folder in enumerate(outside):
        _typed(folder, str, path, f"outside_folders[{index}]", "a folder path")
        if not Path(folder).is_absolute():
            raise ParamsError.of("config.params.outside_folders.must_be_absolute_folder", file=path,
                                 key=f"outside_folders[{index}]")
    return tuple(Path(folder) for folder in outside)


def _roster(project: Project, data: dict, path: Path, allowed: tuple[Path, ...]) -> Path:
    """``roster:``: the school roster, inside the project (or an allowed folder), existing."""
    roster = Path(_typed(data.get("roster", "data/raw/schools.csv"), str, path, "roster",
                         "a path"))
    _project_file(project, str(roster), path, "roster", allowed)
    if not (project.root / roster).is_file():
        raise ParamsError.of("config.params.roster.school_roster_does_not", file=path, key="roster",
                             roster=roster)
    return roster


def _staffing_norms(data: dict, path: Path) -> dict[str, float]:
    """``staffing_norms:``: students per teacher by school level (each positive)."""
    norms = {"primary": 19.0, "junior": 13.5, "senior": 12.5}
    raw_norms = data.get("staffing_norms")
    if raw_norms is None:
        return norms
    _typed(raw_norms, dict, path, "staffing_norms", "a mapping")
    _reject_unknown(raw_norms, set(SCHOOL_LEVELS), path, "staffing_norms.")
    gather = Gather()
    for key, value in raw_norms.items():
        norms[key] = gather(lambda key=key, value=value: _positive(
            value, path, f"staffing_norms.{key}", "students per teacher"), norms[key])
    gather.done()
    return norms


def _engine(data: dict, path: Path) -> EngineSettings:
    """``engine:`` (pandas or dask) and the ``dask:`` settings of county.yaml."""
    engine = _typed(data.get("engine", "pandas"), str, path, "engine", "pandas or dask")
    if engine not in ENGINES:
        raise ParamsError.of("config.params.engine.expected_pandas_or_dask", file=path,
                             key="engine", engine=engine)
    base = EngineSettings(engine=engine)
    raw = data.get("dask")
    if raw is None:
        return base
    _typed(raw, dict, path, "dask", "a mapping")
    known = set(EngineSettings.__dataclass_fields__) - {"engine", "insecure", "dashboard"}
    _reject_unknown(raw, known, path, "dask.")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"dask.{key}"
        if key in ("scheduler", "memory_limit", "tls_ca_file", "tls_cert", "tls_key"):
            what = {"scheduler": "an address", "memory_limit": "a size such as 4GB"}
            values[key] = _typed(value if value is not None else "", str, path, name,
                                 what.get(key, "the path of a PEM file"))
        else:
            _typed(value, int, path, name, "a whole number")
            smallest = 0 if key == "workers" else 1
            if value < smallest:
                raise ParamsError.of("config.params.engine.must_be_or_more", file=path, key=name,
                                     smallest=smallest)
            values[key] = value
    from dataclasses import replace

    return replace(base, **values)


def _tiers(data: Any, path: Path) -> TierRules:
    """``tiers:``: ``by`` a list of :data:`TIER_KEYS` (no repeats), ``size_bands`` ascending
    whole numbers of pupils, ``baseline_groups`` 2 or more."""
    if data is None:
        return TierRules()
    _typed(data, dict, path, "tiers", "a mapping")
    _reject_unknown(data, {"by", "size_bands", "baseline_groups"}, path, "tiers.")
    by = data.get("by", [])
    by = [by] if isinstance(by, str) else by
    _typed(by, list, path, "tiers.by", "a list of tier keys")
    for key in by:
        if key not in TIER_KEYS or by.count(key) > 1:
            raise ParamsError.of("config.params.tiers.unknown_key", file=path, key="tiers.by",
                                 value=key, known=list(TIER_KEYS))
    bands = data.get("size_bands", list(TierRules().size_bands))
    _typed(bands, list, path, "tiers.size_bands", "a list of whole numbers")
    for value in bands:
        _typed(value, int, path, "tiers.size_bands", "a list of whole numbers")
    if not bands or any(b <= a for a, b in zip(bands, bands[1:])) or bands[0] <= 0:
        raise ParamsError.of("config.params.tiers.bands_ascending", file=path,
                             key="tiers.size_bands", value=bands)
    groups = _typed(data.get("baseline_groups", 3), int, path, "tiers.baseline_groups",
                    "a whole number")
    if groups < 2:
        raise ParamsError.of("config.params.engine.must_be_or_more", file=path,
                             key="tiers.baseline_groups", smallest=2)
    return TierRules(by=tuple(by), size_bands=tuple(bands), baseline_groups=groups)


def _class_rule(value: Any, path: Path, key: str) -> float | bool:
    """A rule of ``classes:``: the switches are true/false, the CV limit a share."""
    if key.endswith(("teacher_view", "teacher_names")):
        return _typed(value, bool, path, key, "true or false")
    return _share(value, path, key)


def _paper_rule(value: Any, path: Path, key: str) -> float:
    """A rule of ``paper:``: a share from 0 to 1, or for ``sum_tolerance`` marks (≥ 0)."""
    if key.endswith("sum_tolerance"):
        _typed(value, _NUMBER, path, key, "marks (a number)")
        if value < 0:
            raise ParamsError.of("config.params.paper_rule.must_be_or_more", file=path, key=key)
        return float(value)
    if key.endswith("low_discrimination"):  # a correlation: −1 … 1
        _typed(value, _NUMBER, path, key, "a correlation")
        if not -1 <= value <= 1:
            raise ParamsError.of("config.params.paper_rule.expected_correlation_from_got",
                                 file=path, key=key, value=value)
        return float(value)
    return _share(value, path, key)


def _language(value: Any, path: Path, key: str) -> str:
    if value not in ("zh", "en"):
        raise ParamsError.of("config.params.language.expected_zh_or_en", file=path, key=key,
                             value=value)
    return value


# ---------------------------------------------------------------------------------------------
# <season>.yaml

_SEASON_KEYS = {"season", "name", "grade", "level", "subjects", "files", "compare_with",
                "cohort_prior", "score_lines", "overrides"}


def load_season(project: Project, season: str, county: CountyParams | None = None,
                *, check_files: bool = True) -> SeasonParams:
    """Read and validate ``params/<season>.yaml``, folding in the county settings. Every
    problem of the file is found in one pass and named at once (:class:`ParamsProblems`)."""
    check_season_id(season)
    county = county or load_county(project)
    path = project.params_dir / f"{season}.yaml"
    data = read_yaml(path)
    gather = Gather()
    gather(lambda: _reject_unknown(data, _SEASON_KEYS, path))
    gather(lambda: _season_id(data, season, path))
    name = gather(lambda: _one_line(_typed(_require(data, "name", path), str, path, "name",
                                           "a display name"), path, "name"), "")
    grade = gather(lambda: _grade(data, path), None)
    level = data.get("level") or ("primary" if grade is None or grade <= 6 else
                                  "junior" if grade <= 9 else "senior")
    if level not in SCHOOL_LEVELS:
        gather.problems.append(ParamsError.of("config.params.load_season.expected_one_got",
                                              file=path, key="level",
                                              school_levels=list(SCHOOL_LEVELS), level=level))
    subjects = gather(lambda: _subjects(data, path), None)
    files = gather(lambda: _typed(_require(data, "files", path), dict, path, "files",
                                  "a mapping"), {})
    resolved, notes = gather(lambda: _input_files(project, county.outside_folders, files, path, check_files),
                             ({}, []))
    paper_files: dict[str, dict[str, Path]] = {"items": {}, "blueprints": {}}
    if subjects is not None:  # (else its subjects are unknown: the problem is named above)
        paper_files = gather(lambda: _paired_paper_files(project, county.outside_folders, files, subjects,
                                                         path, check_files), paper_files)
    for key in ("compare_with", "cohort_prior"):
        gather(lambda key=key: _named_season(project, data.get(key), path, key, season))
    score_lines = gather(lambda: _score_lines(data, path), {})
    overrides = gather(lambda: _typed(data.get("overrides") or {}, dict, path, "overrides",
                                      "a mapping"), {})
    gather(lambda: _reject_unknown(overrides, _OVERRIDABLE, path, "overrides."))
    overridden = gather(lambda: _apply_overrides(county, overrides, path), county)
    from_season = {key for key, amount in overridden.threshold_points.items()
                   if county.threshold_points.get(key) != amount}
    if subjects is not None:
        county = gather(lambda: _resolve_points(overridden, float(sum(subjects.values())), path,
                                                from_season), county)
    gather.done()
    scores_file = resolved["scores"]
    # required: else raised above
    assert scores_file is not None and grade is not None and subjects is not None

    return SeasonParams(
        season=season, name=name, grade=grade, level=level, subjects=subjects,
        scores_file=scores_file, staffing_file=resolved["staffing"],
        targets_file=resolved["targets"], compare_with=data.get("compare_with"),
        cohort_prior=data.get("cohort_prior"), score_lines=score_lines, county=county,
        source=path, project=project, notes=tuple(notes), item_files=paper_files["items"],
        blueprint_files=paper_files["blueprints"], teachers_file=resolved["teachers"],
        overridden=frozenset(f"{key}.{inner}" if isinstance(value, dict) else key
                             for key, value in overrides.items()
                             for inner in (value if isinstance(value, dict) else [None])),
    )


def _grade(data: dict, path: Path) -> int:
    grade = _typed(_require(data, "grade", path), int, path, "grade", "a whole number")
    if not 1 <= grade <= 12:
        raise ParamsError.of("config.params.grade.expected_grade_from_got", file=path, key="grade",
                             grade=grade)
    return grade


def _season_id(data: dict, season: str, path: Path) -> None:
    season_id = _typed(_require(data, "season", path), str, path, "season", "the season id")
    if season_id != season:
        raise ParamsError.of("config.params.season_id.season_id_differs_from", file=path,
                             key="season", season_id=season_id, season=season)


def _subjects(data: dict, path: Path) -> dict[str, float]:
    """``subjects:``: canonical subject -> full marks (finite, positive); every bad entry
    named at once."""
    subjects_raw = _typed(_require(data, "subjects", path), dict, path, "subjects",
                          "a mapping of subject to full marks")
    gather = Gather()
    subjects: dict[str, float] = {}
    for key, marks in subjects_raw.items():
        canonical = subject_id(key)
        if canonical is None or canonical == "total":
            known = [names[0] for canonical, names in SUBJECT_ALIASES.items()
                     if canonical != "total"]
            gather.problems.append(ParamsError.of("config.params.subjects.not_known_subject",
                                                  file=path, key=f"subjects.{key}", key2=key,
                                                  known=list(known)))
            continue
        full = gather(lambda key=key, marks=marks: _positive(
            marks, path, f"subjects.{key}", "full marks (a number)"))
        if full is not None:
            subjects[canonical] = full
    if not subjects_raw:
        gather.problems.append(ParamsError.of("config.params.subjects.at_least_one_subject",
                                              file=path, key="subjects"))
    gather.done()
    return subjects


def _named_season(project: Project, value: Any, path: Path, key: str, season: str) -> None:
    """``compare_with`` / ``cohort_prior``: a season id whose params file exists."""
    if value is None:
        return
    _typed(value, str, path, key, "a season id")
    try:
        check_season_id(value)
    except EduqaError as problem:
        raise ParamsError(problem.render("en"), file=path, key=key,
                          zh=problem.render("zh")) from None
    if value == season:
        raise ParamsError.of("config.params.named_season.names_this_season_itself", file=path,
                             key=key, value=value)
    if not (project.params_dir / f"{value}.yaml").is_file():
        others = sorted(p.stem for p in project.params_dir.glob("*.yaml")
                        if p.stem not in ("county", season))
        near = difflib.get_close_matches(value, others, n=1)
        guess = {language: (say("config.params.named_season.did_you_mean", language,
                                name=near[0]) if near else "")
                           + (say("config.params.named_season.seasons_with_params", language,
                                  others=others) if others else "")
                 for language in ("en", "zh")}
        raise ParamsError.of("config.params.named_season.no_params_file", file=path, key=key,
                             value=value, guess=guess["en"], guess_zh=guess["zh"])


def _score_lines(data: dict, path: Path) -> dict[str, list[float]]:
    score_lines: dict[str, list[float]] = {}
    raw = _typed(data.get("score_lines") or {}, dict, path, "score_lines", "a mapping")
    for key, lines in raw.items():
        canonical = subject_id(key)
        if canonical is None:
            raise ParamsError.of("config.params.score_lines.not_subject_or", file=path,
                                 key=f"score_lines.{key}", key2=key)
        _typed(lines, list, path, f"score_lines.{key}", "a list of scores")
        for line in lines:
            _typed(line, _NUMBER, path, f"score_lines.{key}", "a list of scores")
        score_lines[canonical] = [float(v) for v in lines]
    return score_lines


def _apply_overrides(county: CountyParams, overrides: dict, path: Path) -> CountyParams:
    if not overrides:
        return county
    changes: dict[str, Any] = {}
    if "thresholds" in overrides:
        changes["thresholds"], changes["threshold_points"] = _thresholds_from(
            overrides["thresholds"], path, "overrides.thresholds.", county.thresholds,
            county.threshold_points)
    if "composite_weights" in overrides:
        changes["composite_weights"] = _dataclass_from(
            CompositeWeights, overrides["composite_weights"], path, "overrides.composite_weights.",
            county.composite_weights, checker=_weight)
    if "min_group_size" in overrides:
        changes["min_group_size"] = _typed(overrides["min_group_size"], int, path,
                                           "overrides.min_group_size", "a whole number")
    if "language" in overrides:
        changes["language"] = _language(overrides["language"], path, "overrides.language")
    if "attribution" in overrides:
        changes["attribution"] = _attribution(overrides["attribution"], path,
                                              "overrides.attribution.", county.attribution)
    from dataclasses import replace
    return replace(county, **changes)
