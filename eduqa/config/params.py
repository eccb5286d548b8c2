"""Load and validate ``params/county.yaml`` and ``params/<season>.yaml``.

Both files are checked on load: an unknown key, a missing file or a wrong type is a
:class:`~eduqa.errors.ParamsError` naming the file and the key, with a suggestion when a key looks
like a typo of a known one.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from eduqa.config.paths import Project, check_season_id, inside, unsafe_character
from eduqa.config.schema import SCHOOL_LEVELS, SUBJECT_ALIASES, subject_id
from eduqa.config.settings import (
    ENGINES,
    ClassRules,
    CompositeWeights,
    EngineSettings,
    ItemRules,
    Thresholds,
)
from eduqa.errors import EduqaError, Gather, ParamsError

__all__ = ["peek_language", "Thresholds", "CompositeWeights", "CountyParams", "SeasonParams", "load_county",
           "load_season"]

_NUMBER = (int, float)

#: Model terms of the attribution sequence (METHODS §C); R-style terms over the columns of
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


class Note(NamedTuple):
    """A decision made while loading a season's params, in both languages, with the params
    key it concerns (e.g. ``files.scores``)."""

    en: str
    zh: str
    key: str


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


# ---------------------------------------------------------------------------------------------
# generic checking


#: A params file larger than this is refused before parsing (they are a few kilobytes).
MAX_PARAMS_BYTES = 1_000_000


class _ParamsLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (no Python tags: ``!!python/object`` never constructs anything)
    that also refuses anchors and aliases (``&a`` / ``*a``): params never need them, and
    nested aliases ("billion laughs") expand to a value of astronomic size."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)


class _AliasRefused(yaml.YAMLError):
    def __init__(self, line: int):
        super().__init__(f"alias on line {line}")
        self.line = line


def peek_language(path: Path) -> str:
    """The ``language`` of a county.yaml even when the file is otherwise invalid (to report
    its errors in the right language): ``zh`` unless it plainly says ``en``."""
    try:
        if path.stat().st_size > MAX_PARAMS_BYTES:
            return "zh"
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ParamsLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "zh"
    return "en" if isinstance(data, dict) and data.get("language") == "en" else "zh"


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise ParamsError("the file does not exist", file=path,
                          hint="create it (see README: adding a season) or check the season id",
                          zh="文件不存在",
                          hint_zh="请先建立该文件（见 README“每个考试季的操作步骤”，可用 eduqa "
                                  "new-season），或检查考试季名称是否写对")
    if path.stat().st_size > MAX_PARAMS_BYTES:
        raise ParamsError(f"the file is larger than {MAX_PARAMS_BYTES:,} bytes", file=path,
                          hint="a params file holds a few settings; check it is the right file",
                          zh=f"文件超过 {MAX_PARAMS_BYTES:,} 字节",
                          hint_zh="参数文件只有几项设置，请检查是否放错了文件")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ParamsLoader)  # noqa: S506
    except _AliasRefused as exc:
        raise ParamsError(f"line {exc.line}: anchors and aliases (&name / *name) are not "
                          "allowed in params files", file=path,
                          hint="write each value out in full",
                          zh=f"第 {exc.line} 行：参数文件中不允许使用 YAML 锚点和别名（&名称 / *名称）",
                          hint_zh="请把每个值直接写出来") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" near line {mark.line + 1}" if mark is not None else ""
        line_zh = f"（第 {mark.line + 1} 行附近）" if mark is not None else ""
        problem = str(getattr(exc, "problem", exc))[:200]  # bounded: never the whole value
        raise ParamsError(f"not valid YAML{line}: {problem}", file=path,
                          hint="check indentation and that each key is followed by ': '",
                          zh=f"格式不正确{line_zh}（YAML 提示：{problem}）",
                          hint_zh="请检查缩进，以及每个键后面是否有英文冒号加空格“: ”") from None
    except UnicodeDecodeError:
        raise ParamsError("not UTF-8 text", file=path, hint="save the file as UTF-8",
                          zh="文件不是 UTF-8 编码", hint_zh="请把文件另存为 UTF-8 编码") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParamsError("expected a mapping of keys to values at the top level", file=path,
                          hint="write one 'key: value' per line",
                          zh="文件的最外层应当是“键: 值”的形式", hint_zh="每行写一个“键: 值”")
    return data


def _reject_unknown(data: dict, known: set[str], path: Path, prefix: str = "") -> None:
    """Refuse the keys of ``data`` not in ``known``: every one of them at once."""
    gather = Gather()
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint = f"did you mean '{prefix}{close[0]}'?" if close else (
                "known keys: " + ", ".join(sorted(known)))
            hint_zh = f"是不是“{prefix}{close[0]}”？" if close else (
                "可用的键：" + "、".join(sorted(known)))
            gather.problems.append(ParamsError("unknown key", file=path, key=f"{prefix}{key}",
                                               hint=hint, zh="无法识别的键（可能拼写有误）",
                                               hint_zh=hint_zh))
    gather.done()


def _require(data: dict, key: str, path: Path, prefix: str = "") -> Any:
    if key not in data or data[key] is None:
        raise ParamsError("required key is missing", file=path, key=f"{prefix}{key}",
                          hint="add it (see the other season files for an example)",
                          zh="缺少必填的键", hint_zh="请补上（可参照其他考试季的参数文件）")
    return data[key]


def _typed(value: Any, types: tuple[type, ...] | type, path: Path, key: str, what: str) -> Any:
    wrong_bool = isinstance(value, bool) and bool not in (
        types if isinstance(types, tuple) else (types,))
    if wrong_bool or not isinstance(value, types):
        raise ParamsError(f"expected {what}, got {value!r}", file=path, key=key,
                          zh=f"应为{_WHAT_ZH.get(what, what)}，实际是 {value!r}")
    if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan and .inf
        raise ParamsError(f"expected {what}, got {value!r}", file=path, key=key,
                          hint="write an ordinary number",
                          zh=f"应为{_WHAT_ZH.get(what, what)}，实际是 {value!r}",
                          hint_zh="请写一个普通的数")
    if types is int and isinstance(value, int) and value < 0:  # counts (min_group_size …) are never negative
        raise ParamsError(f"expected {what} of 0 or more, got {value!r}", file=path, key=key,
                          zh=f"应为不小于 0 的{_WHAT_ZH.get(what, what)}，实际是 {value!r}")
    return value


_WHAT_ZH = {
    "a display name": "显示名称（文字）", "a list of model terms (text)": "模型项的列表（文字）",
    "a list of model terms": "模型项的列表", "a list of scores": "分数的列表",
    "true or false": "true（是）或 false（否）",
    "a mapping of subject to full marks": "“学科: 满分”的列表", "a mapping of term lists": "各组模型项",
    "a mapping": "“键: 值”的列表", "a number between 0 and 1": "0 到 1 之间的数",
    "a number": "数字", "a path": "文件路径", "a season id": "考试季名称", "a whole number": "整数",
    "full marks (a number)": "满分（数字）", "students per teacher": "生师比（数字）",
    "the county's name": "县名", "the season id": "考试季名称",
}


def _one_line(text: str, path: Path, key: str) -> str:
    """A name eduqa writes into pages and files: no control, line-separator or invisible
    character (:func:`eduqa.config.paths.unsafe_character`)."""
    bad = unsafe_character(text)
    if bad is not None:
        raise ParamsError(
            f"character {bad[0] + 1} is {bad[1]}, an invisible or control character (a line "
            "break for some programs)", file=path, key=key,
            hint="retype the name on one line in a plain text editor",
            zh=f"第 {bad[0] + 1} 个字符是 {bad[1]}，属于不可见字符或控制字符（有的程序会把它当作换行）",
            hint_zh="请用纯文本编辑器在一行内重新输入这个名称")
    return text


def _share(value: Any, path: Path, key: str) -> float:
    _typed(value, _NUMBER, path, key, "a number between 0 and 1")
    if not 0 <= value <= 1:
        raise ParamsError(f"expected a number between 0 and 1, got {value!r}", file=path, key=key,
                          hint="thresholds are shares of full marks, e.g. 0.6 for 60%",
                          zh=f"应为 0 到 1 之间的数，实际是 {value!r}",
                          hint_zh="分数线是满分的比例，例如 60% 写作 0.6")
    return float(value)


def _dataclass_from(cls, data: Any, path: Path, prefix: str, base=None, *, checker=_share):
    """Build a frozen dataclass of floats from a mapping, starting from ``base`` (or defaults)."""
    base = base if base is not None else cls()
    if data is None:
        return base
    _typed(data, dict, path, prefix.rstrip("."), "a mapping")
    names = set(cls.__dataclass_fields__)
    _reject_unknown(data, names, path, prefix)
    values = {name: getattr(base, name) for name in names}
    for key, value in data.items():
        values[key] = checker(value, path, f"{prefix}{key}")
    return cls(**values)


#: Lines that may be given in points of the total (600分) instead of a share of full marks.
POINT_LINES = ("pass_line", "good", "excellent", "low", "near_margin", "band_width")

_POINTS_TEXT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:分|points?|pts?)\s*", re.IGNORECASE)


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
    given += [(key, f"{value}分" if isinstance(value, _NUMBER) and not isinstance(value, bool)
               else value, f"{prefix}points.{key}") for key, value in (nested or {}).items()]
    for key, value, where in given:
        if not isinstance(value, str):
            shares[key] = _share(value, path, where)
            points.pop(key, None)
            continue
        match = _POINTS_TEXT.fullmatch(value)
        if match is None or key not in POINT_LINES:
            hint = ("write a share such as 0.75, or points of the total such as 600分"
                    if key in POINT_LINES else f"{key} is a number, not points")
            raise ParamsError(
                f"expected a share of full marks (e.g. 0.6) or points (e.g. 600分), got "
                f"{value!r}" if key in POINT_LINES else f"expected a number, got {value!r}",
                file=path, key=where, hint=hint,
                zh=(f"应为满分的比例（例如 0.6）或分数（例如 600分），实际是 {value!r}"
                    if key in POINT_LINES else f"应为数字，实际是 {value!r}"),
                hint_zh=("请写比例（例如 0.75），或总分的分数（例如 600分）"
                         if key in POINT_LINES else f"{key} 只能写数字，不能写分数"))
        amount = float(match.group(1))
        if amount <= 0:
            raise ParamsError("a line in points must be positive", file=path, key=where,
                              zh="以分数表示的分数线必须是正数")
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
            raise ParamsError(
                f"{where} is {amount:g} points, more than the total's full marks "
                f"({total:g}) of this season",
                file=path if key in from_season else county.source or path, key=where,
                hint="lines in points are points of the total (总分); check the value or "
                     "give the line as a share of full marks (e.g. 0.6)",
                zh=f"{where} 为 {amount:g} 分，超过了本考试季总分的满分 {total:g} 分",
                hint_zh="以分数表示的分数线指总分的分数；请核对数值，或改用满分的比例（例如 0.6）")
        shares[key] = amount / total
    thresholds = replace(county.thresholds, **shares)
    _check_thresholds(thresholds, path, county.threshold_points, total)
    return replace(county, thresholds=thresholds)


def _weight(value: Any, path: Path, key: str) -> float:
    _typed(value, _NUMBER, path, key, "a number")
    return float(value)


def _check_thresholds(thresholds: Thresholds, path: Path, points: dict[str, float] | None = None,
                      total: float | None = None) -> None:
    if thresholds.low <= thresholds.pass_line <= thresholds.good <= thresholds.excellent:
        return
    keys = ("low", "pass_line", "good", "excellent")
    given = {key: f"{getattr(thresholds, key):.2f}" + (
        f" ({points[key]:g}/{total:g})" if points and key in points and total else "")
        for key in keys}
    listed = ", ".join(f"{key} {value}" for key, value in given.items())
    names_zh = {"low": "低分线", "pass_line": "及格线", "good": "良好线", "excellent": "优秀线"}
    listed_zh = "、".join(f"{names_zh[key]} {value}" for key, value in given.items())
    in_points = bool(points and total)
    raise ParamsError(
        f"the lines must satisfy low <= pass_line <= good <= excellent; here {listed}",
        file=path, key="thresholds",
        hint="check the order of the four lines" + (
            "; lines in points are points of the total, so give them per season (under "
            "overrides: thresholds:) when the seasons' full marks differ" if in_points else ""),
        zh=f"分数线的大小顺序不对：应为 低分线 ≤ 及格线 ≤ 良好线 ≤ 优秀线；现在是 {listed_zh}",
        hint_zh="请检查 low、pass_line、good、excellent 四条线的数值" + (
            "；以分数表示的线指总分的分数，各考试季总分不同时，请在各考试季的 overrides: "
            "thresholds: 中分别设定" if in_points else ""))


# ---------------------------------------------------------------------------------------------
# county.yaml

_COUNTY_KEYS = {"county", "language", "roster", "thresholds", "composite_weights",
                "staffing_norms", "min_group_size", "suppress_below", "attribution",
                "outside_folders", "paper",
                "classes", "engine", "dask"}
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


def _project_file(project: Project, value: str, path: Path, key: str,
                  allowed: tuple[Path, ...] = ()) -> Path:
    """``value`` as a path inside the project (or a folder listed in ``outside_folders`` of
    county.yaml); a path that leaves it — absolute, with '..', or through a symlink — is an
    error, so that a params file cannot make eduqa read another folder's files."""
    full = project.root / value
    if not inside(project.root, full, allowed):
        raise ParamsError(
            f"the path {value!r} leads outside the project folder", file=path, key=key,
            hint="copy the file into the project (e.g. data/raw/<season>/), or list its folder "
                 "under outside_folders in params/county.yaml if reading it there is intended",
            zh=f"路径 {value!r} 指向项目文件夹之外",
            hint_zh="请把文件复制到项目中（例如 data/raw/<考试季>/），或确需读取外部文件时，"
                    "在 params/county.yaml 的 outside_folders 中列出该文件夹")
    return full


def load_county(project: Project) -> CountyParams:
    """Read and validate ``params/county.yaml``; every problem found is named at once."""
    path = project.params_dir / "county.yaml"
    data = _read_yaml(path)
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
    gather.done()
    return CountyParams(county=county, language=language, roster=roster, thresholds=thresholds,
                        composite_weights=weights, staffing_norms=norms,
                        min_group_size=min_size, suppress_below=suppress,
                        attribution=attribution, source=path,
                        outside_folders=allowed, threshold_points=points, paper=paper,
                        classes=classes, engine=engine)


def _suppress_below(value: Any, path: Path) -> int:
    """``suppress_below``: a whole number of pupils, at least 2 (a value from one pupil is
    that pupil's result, and is never published)."""
    _typed(value, int, path, "suppress_below", "a whole number of pupils")
    if value < 2:
        raise ParamsError(f"must be 2 or more, got {value}: a value computed from one pupil "
                          "is that pupil's result", file=path, key="suppress_below",
                          zh=f"不能小于 2，实际是 {value}：由一名学生算出的数值就是该生本人的成绩")
    return int(value)


def _outside_folders(data: dict, path: Path) -> tuple[Path, ...]:
    """``outside_folders:``: absolute folders input files may lie in."""
    outside = _typed(data.get("outside_folders", []), list, path, "outside_folders",
                     "a list of folders")
    for index, folder in enumerate(outside):
        _typed(folder, str, path, f"outside_folders[{index}]", "a folder path")
        if not Path(folder).is_absolute():
            raise ParamsError("must be an absolute folder path", file=path,
                              key=f"outside_folders[{index}]", zh="必须是完整的（绝对）文件夹路径")
    return tuple(Path(folder) for folder in outside)


def _roster(project: Project, data: dict, path: Path, allowed: tuple[Path, ...]) -> Path:
    """``roster:``: the school roster, inside the project (or an allowed folder), existing."""
    roster = Path(_typed(data.get("roster", "data/raw/schools.csv"), str, path, "roster",
                         "a path"))
    _project_file(project, str(roster), path, "roster", allowed)
    if not (project.root / roster).is_file():
        raise ParamsError(f"the school roster {roster} does not exist", file=path, key="roster",
                          hint="put the roster (schools.csv) there or correct the path",
                          zh=f"学校名单 {roster} 不存在",
                          hint_zh="请把学校名单（schools.csv）放到这里，或更正路径")
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


def _positive(value: Any, path: Path, key: str, what: str) -> float:
    _typed(value, _NUMBER, path, key, what)
    if value <= 0:
        raise ParamsError("must be positive", file=path, key=key, zh="必须是正数")
    return float(value)


def _engine(data: dict, path: Path) -> EngineSettings:
    """``engine:`` (pandas or dask) and the ``dask:`` settings of county.yaml."""
    engine = _typed(data.get("engine", "pandas"), str, path, "engine", "pandas or dask")
    if engine not in ENGINES:
        raise ParamsError(f"expected pandas or dask, got {engine!r}", file=path, key="engine",
                          hint="pandas computes in this process (a county or a city); dask on "
                               "a Dask cluster (a province or more)",
                          zh=f"应为 pandas 或 dask，实际是 {engine!r}",
                          hint_zh="pandas 在本机进程内计算（一个县或市）；dask 在 Dask 集群上计算（省级及以上）")
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
                raise ParamsError(f"must be {smallest} or more", file=path, key=name,
                                  zh=f"不能小于 {smallest}")
            values[key] = value
    from dataclasses import replace

    return replace(base, **values)


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
            raise ParamsError("must be 0 or more", file=path, key=key, zh="不能小于 0")
        return float(value)
    if key.endswith("low_discrimination"):  # a correlation: −1 … 1
        _typed(value, _NUMBER, path, key, "a correlation")
        if not -1 <= value <= 1:
            raise ParamsError(f"expected a correlation from -1 to 1, got {value}", file=path,
                              key=key, zh=f"应为 -1 到 1 之间的相关系数，实际是 {value}")
        return float(value)
    return _share(value, path, key)


def _language(value: Any, path: Path, key: str) -> str:
    if value not in ("zh", "en"):
        raise ParamsError(f"expected 'zh' or 'en', got {value!r}", file=path, key=key,
                          zh=f"应为 zh（中文）或 en（英文），实际是 {value!r}")
    return value


# ---------------------------------------------------------------------------------------------
# <season>.yaml

_SEASON_KEYS = {"season", "name", "grade", "level", "subjects", "files", "compare_with",
                "cohort_prior", "score_lines", "overrides"}
_FILE_KEYS = {"scores", "staffing", "targets", "teachers"}
_PAPER_KEYS = {"items", "blueprints"}  # mappings: subject -> file


def load_season(project: Project, season: str, county: CountyParams | None = None,
                *, check_files: bool = True) -> SeasonParams:
    """Read and validate ``params/<season>.yaml``, folding in the county settings. Every
    problem of the file is found in one pass and named at once (:class:`ParamsProblems`)."""
    check_season_id(season)
    county = county or load_county(project)
    path = project.params_dir / f"{season}.yaml"
    data = _read_yaml(path)
    gather = Gather()
    gather(lambda: _reject_unknown(data, _SEASON_KEYS, path))
    gather(lambda: _season_id(data, season, path))
    name = gather(lambda: _one_line(_typed(_require(data, "name", path), str, path, "name",
                                           "a display name"), path, "name"), "")
    grade = gather(lambda: _grade(data, path), None)
    level = data.get("level") or ("primary" if grade is None or grade <= 6 else
                                  "junior" if grade <= 9 else "senior")
    if level not in SCHOOL_LEVELS:
        gather.problems.append(ParamsError(
            f"expected one of {', '.join(SCHOOL_LEVELS)}, got {level!r}", file=path,
            key="level", zh=f"应为 {'、'.join(SCHOOL_LEVELS)} 之一，实际是 {level!r}"))
    subjects = gather(lambda: _subjects(data, path), None)
    files = gather(lambda: _typed(_require(data, "files", path), dict, path, "files",
                                  "a mapping"), {})
    resolved, notes = gather(lambda: _input_files(project, county, files, path, check_files),
                             ({}, []))
    paper_files: dict[str, dict[str, Path]] = {"items": {}, "blueprints": {}}
    if subjects is not None:  # (else its subjects are unknown: the problem is named above)
        paper_files = gather(lambda: _paired_paper_files(project, county, files, subjects,
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
        raise ParamsError(f"expected a grade from 1 to 12, got {grade}", file=path, key="grade",
                          hint="高一 to 高三 are grades 10 to 12",
                          zh=f"年级应为 1 到 12，实际是 {grade}", hint_zh="高一至高三写作 10 至 12")
    return grade


def _season_id(data: dict, season: str, path: Path) -> None:
    season_id = _typed(_require(data, "season", path), str, path, "season", "the season id")
    if season_id != season:
        raise ParamsError(f"the season id '{season_id}' differs from the file name '{season}'",
                          file=path, key="season", hint="make the two the same",
                          zh=f"考试季名称“{season_id}”与文件名“{season}”不一致",
                          hint_zh="请让两者一致")


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
            gather.problems.append(ParamsError(
                f"'{key}' is not a known subject", file=path, key=f"subjects.{key}",
                hint=f"use one of the subject names: {', '.join(known)}",
                zh=f"“{key}”不是可识别的学科", hint_zh=f"请使用以下学科名称之一：{'、'.join(known)}"))
            continue
        full = gather(lambda key=key, marks=marks: _positive(
            marks, path, f"subjects.{key}", "full marks (a number)"))
        if full is not None:
            subjects[canonical] = full
    if not subjects_raw:
        gather.problems.append(ParamsError("at least one subject is needed", file=path,
                                           key="subjects", zh="至少需要一个学科"))
    gather.done()
    return subjects


def _input_files(project: Project, county: CountyParams, files: dict, path: Path,
                 check_files: bool) -> tuple[dict[str, Path | None], list[Note]]:
    """``files:`` scores, staffing, targets, teachers: each resolved inside the project; every
    file that does not exist named at once (an absent optional file is a note)."""
    _reject_unknown(files, _FILE_KEYS | _PAPER_KEYS, path, "files.")
    resolved: dict[str, Path | None] = {}
    missing: list[str] = []
    missing_zh: list[str] = []
    notes: list[Note] = []
    gather = Gather()
    for key in sorted(_FILE_KEYS):
        value = files.get(key)
        if value is None:
            if key == "scores":
                gather.problems.append(ParamsError(
                    "required key is missing", file=path, key="files.scores",
                    hint="give the path of the score export", zh="缺少必填的键",
                    hint_zh="请填写成绩表的路径"))
            resolved[key] = None
            continue
        full = gather(lambda key=key, value=value: _project_file(
            project, _typed(value, str, path, f"files.{key}", "a path"), path, f"files.{key}",
            county.outside_folders))
        resolved[key] = full
        if full is None or not check_files or full.is_file():
            continue
        # the one score export in the folder (None: none there; False: several, said above)
        found = gather(lambda full=full: _find_score_export(full, files, path), False) \
            if key == "scores" else None
        if key in _OPTIONAL_FILES:
            resolved[key] = None
            notes.append(_OPTIONAL_FILES[key](value))
        elif found:
            resolved[key] = found
            notes.append(Note(f"files.scores names {value}, which is not there; using "
                              f"{found.name}, the only score export in its folder",
                              f"files.scores 写的是 {value}，该文件不存在；已自动使用同一文件夹中"
                              f"唯一的成绩表 {found.name}", "files.scores"))
        elif found is None:
            missing.append(f"files.{key}: {value}" + _sibling_hint(full))
            missing_zh.append(f"files.{key}: {value}" + _sibling_hint(full, "zh"))
    if missing:
        gather.problems.append(ParamsError(
            f"{len(missing)} input file(s) do not exist yet:\n    " + "\n    ".join(missing),
            file=path, key="files",
            hint="copy each file there (see data/raw/<season>/README.txt), or correct the path",
            zh=f"还有 {len(missing)} 个输入文件不存在：\n    " + "\n    ".join(missing_zh),
            hint_zh="请把每个文件复制到对应位置（见 data/raw/<考试季>/README.txt），或更正路径"))
    gather.done()
    return resolved, notes


def _paired_paper_files(project: Project, county: CountyParams, files: dict,
                        subjects: dict[str, float], path: Path,
                        check_files: bool) -> dict[str, dict[str, Path]]:
    """``files.items`` and ``files.blueprints``, which go together subject by subject."""
    gather = Gather()
    paper_files = {key: gather(lambda key=key: _paper_files(
        project, files.get(key), subjects, path, f"files.{key}", county.outside_folders,
        check_files), {}) for key in sorted(_PAPER_KEYS)}
    unpaired = sorted(set(paper_files["items"]) ^ set(paper_files["blueprints"]))
    if unpaired and not gather.problems:
        names = ", ".join(unpaired)
        gather.problems.append(ParamsError(
            f"item scores and a blueprint go together; {names} has only one",
            file=path, key="files.items",
            hint="give both files.items and files.blueprints for each subject of the paper "
                 "analysis",
            zh=f"小题分和双向细目表需要成对提供；{names} 只有其中一个",
            hint_zh="做试卷分析的每个学科都要在 files.items 和 files.blueprints 中各给一个文件"))
    gather.done()
    return paper_files


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
        raise ParamsError(f"names this season itself ({value})", file=path, key=key,
                          hint="name an earlier season, or remove the key",
                          zh=f"写的是本考试季自己（{value}）",
                          hint_zh="请写一个更早的考试季，或删去这个键")
    if not (project.params_dir / f"{value}.yaml").is_file():
        others = sorted(p.stem for p in project.params_dir.glob("*.yaml")
                        if p.stem not in ("county", season))
        near = difflib.get_close_matches(value, others, n=1)
        hint = (f"did you mean {near[0]}? " if near else "") + (
            f"seasons with params: {', '.join(others)}; " if others else "") + \
            "correct the name, or remove the key (a first season has none)"
        hint_zh = (f"是不是 {near[0]}？" if near else "") + (
            f"已有参数文件的考试季：{'、'.join(others)}；" if others else "") + \
            "请更正名称，或删去这个键（第一次使用时没有可比的考试季）"
        raise ParamsError(f"names the season {value}, which has no params file "
                          f"(params/{value}.yaml)", file=path, key=key, hint=hint,
                          zh=f"写的考试季 {value} 没有参数文件（params/{value}.yaml）",
                          hint_zh=hint_zh)


def _score_lines(data: dict, path: Path) -> dict[str, list[float]]:
    score_lines: dict[str, list[float]] = {}
    raw = _typed(data.get("score_lines") or {}, dict, path, "score_lines", "a mapping")
    for key, lines in raw.items():
        canonical = subject_id(key)
        if canonical is None:
            raise ParamsError(f"'{key}' is not a subject or 总分", file=path,
                              key=f"score_lines.{key}", zh=f"“{key}”不是学科名称，也不是“总分”")
        _typed(lines, list, path, f"score_lines.{key}", "a list of scores")
        for line in lines:
            _typed(line, _NUMBER, path, f"score_lines.{key}", "a list of scores")
        score_lines[canonical] = [float(v) for v in lines]
    return score_lines


def _paper_files(project: Project, data: Any, subjects: dict[str, float], path: Path,
                 key: str, allowed: tuple[Path, ...], check_files: bool) -> dict[str, Path]:
    """``files.items`` or ``files.blueprints``: a mapping of the season's subjects to files
    inside the project (each must exist)."""
    if data is None:
        return {}
    _typed(data, dict, path, key, "a mapping of subject to file")
    out: dict[str, Path] = {}
    for name, value in data.items():
        canonical = subject_id(name)
        if canonical not in subjects:
            listed = ", ".join(subjects)
            raise ParamsError(f"'{name}' is not a subject of this season", file=path,
                              key=f"{key}.{name}", hint=f"use one of: {listed}",
                              zh=f"“{name}”不是本考试季的学科", hint_zh=f"可用的学科：{listed}")
        _typed(value, str, path, f"{key}.{name}", "a path")
        full = _project_file(project, value, path, f"{key}.{name}", allowed)
        if check_files and not full.is_file():
            raise ParamsError(f"{key}.{name}: {value} does not exist", file=path,
                              key=f"{key}.{name}",
                              hint="copy the file there, or correct the path",
                              zh=f"{key}.{name}：{value} 不存在",
                              hint_zh="请把文件复制到这里，或更正路径")
        out[canonical] = full
    return out


#: Files a season may go without: named in the params but not there is a note, not an error
#: (the note says what the report leaves out).
_OPTIONAL_FILES = {
    "targets": lambda value: Note(
        f"files.targets names {value}, which is not there: the report has no target "
        "(目标责任状) section this season",
        f"files.targets 写的是 {value}，该文件不存在：本期报告不含目标达成部分（目标文件是可选的）",
        "files.targets"),
}

#: Files in a season's folder that are not score exports: README.txt, Excel's lock files
#: (~$...), and files named like the other inputs.
_NOT_SCORES = re.compile(r"^(~\$|\.)|readme|staffing|targets?|师资|编制|教师|目标|责任"
                         r"|items?[-_]|blueprint|小题|细目|任课", re.IGNORECASE)


def _find_score_export(named: Path, files: dict, path: Path) -> Path | None:
    """The one score export in the folder of ``named`` (which does not exist): a table file
    (.csv/.xlsx/...) not named like the staffing or targets file and not one of the other
    files of ``files``. None when the folder has none; an error listing them when it has
    several (eduqa never guesses between two exports)."""
    from eduqa.config.schema import TABLE_SUFFIXES

    folder = named.parent
    if not folder.is_dir():
        return None
    others = {Path(str(v)).name for k, v in files.items() if k != "scores" and v is not None}
    candidates = sorted(
        item for item in folder.iterdir()
        if item.is_file() and item.suffix.lower() in TABLE_SUFFIXES
        and item.name not in others and not _NOT_SCORES.search(item.name))
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    listed = ", ".join(item.name for item in candidates)
    raise ParamsError(
        f"files.scores names {named.name}, which is not there, and its folder holds "
        f"{len(candidates)} files that could be the score export: {listed}",
        file=path, key="files.scores",
        hint="write the one to use under files.scores (or move the others out of the folder)",
        zh=f"files.scores 写的是 {named.name}，该文件不存在；而文件夹中有 {len(candidates)} 个"
           f"文件都可能是成绩表：{'、'.join(item.name for item in candidates)}",
        hint_zh="请在 files.scores 中写明要用哪一个（或把其他文件移出该文件夹）")


def _sibling_hint(path: Path, language: str = "en") -> str:
    """' (found scores.xlsx: point the path at it)' when a file of the same name but another
    type is there."""
    if not path.parent.is_dir():
        return ""
    others = sorted(p.name for p in path.parent.glob(path.stem + ".*") if p != path)
    if not others:
        return ""
    if language == "zh":
        return f"（同一文件夹中有 {'、'.join(others)}：请把路径改为它）"
    return f" (found {', '.join(others)}: point the path at it)"


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
