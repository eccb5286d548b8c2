"""``eduqa init`` and ``eduqa new-season``: start a county's project, and scaffold the params
file and raw-data folder of a new exam season (from an earlier one, or from nothing)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from eduqa.catalog import joined
from eduqa.catalog.documents import COUNTY_YAML as _COUNTY_YAML
from eduqa.catalog.documents import (
    DEFAULT_SUBJECTS,
    DEMO_COUNTY,
    GRADE_NAME,
    RAW_README,
    ROSTER_README,
    SEASON_NAME,
    SENIOR_GRADE_NAME,
)
from eduqa.catalog.documents import GRADE_DIGITS as _GRADES
from eduqa.catalog.documents import GRADE_IN_NAME as _GRADE_IN_NAME
from eduqa.catalog.documents import ROSTER_HEADER as _ROSTER_HEADER
from eduqa.catalog.documents import TERM_WORDS as _TERMS
from eduqa.config.params import load_season
from eduqa.config.paths import Project, check_season_id, unsafe_character
from eduqa.config.reading import read_yaml
from eduqa.errors import EduqaError, listed
from eduqa.intake.readers import sha256

__all__ = ["new_season", "init_project", "RAW_README", "ROSTER_README", "DEFAULT_SUBJECTS",
           "NOTEBOOKS_VERSION", "outdated_notebooks", "check_notebooks", "update_notebooks"]


def _county_yaml(county: str, language: str) -> str:
    """``params/county.yaml`` of a new county, with eduqa's default settings (the values come
    from :class:`~eduqa.config.params.CountyParams`, so the file and the defaults cannot drift)."""
    from eduqa.config.params import CountyParams

    defaults = CountyParams(county=county)
    terms = {key: ", ".join(value) for key, value in defaults.attribution.items()}
    county_yaml = yaml.safe_dump(county, allow_unicode=True, width=1 << 20).strip()
    county_yaml = county_yaml.removesuffix("...").strip()  # (a plain scalar's end marker)
    return _COUNTY_YAML.format(county_yaml=county_yaml,
                               language=language, c=defaults, t=defaults.thresholds,
                               w=defaults.composite_weights, **terms)


def _is_demo(project: Project) -> bool:
    """True when the project holds only the bundled demo county (示范县, synthetic codes)."""
    from eduqa.config.params import load_county
    from eduqa.intake.schools import _SYNTHETIC_CODE, read_roster

    try:
        county = load_county(project)
        roster = read_roster(project.root / county.roster)
    except EduqaError:
        return False
    return county.county == DEMO_COUNTY and bool(len(roster)) and bool(
        roster["school_code"].astype(str).map(_SYNTHETIC_CODE.fullmatch).map(bool).all())


def init_project(root: Path, county: str, *, language: str = "zh",
                 remove_demo: bool = False, notebooks: Path | None = None,
                 report_kept: list[str] | None = None) -> Project:
    """Start a county's project in ``root``: ``params/county.yaml`` with the county's name and
    the default settings, an empty roster ``data/raw/schools.csv`` (header only) with a
    README.txt of its columns, and the folders of the layout (notebooks copied from
    ``notebooks``, by default those of the project eduqa is installed from).

    A folder holding the bundled demo county is emptied of it first when ``remove_demo`` is
    given (:func:`remove_demo_files`: only the demo's own files; the paths of the others,
    kept, are added to ``report_kept``); a folder holding any other county is refused: eduqa
    never deletes a county's own files.
    """
    import shutil

    root = Path(root).resolve()
    county = county.strip()
    bad = unsafe_character(county)
    if bad is not None:
        shown = county.encode("unicode_escape").decode("ascii")[:120]
        raise EduqaError.of("project.scaffold.init_project.cannot_be_county_name", shown=shown,
                            value1=bad[0] + 1, value2=bad[1])
    if not county or len(county) > 100:
        raise EduqaError.of("project.scaffold.init_project.cannot_be_county_name_", county=county)
    existing = root / "params" / "county.yaml"
    if existing.is_file():
        project = Project(root)
        if not _is_demo(project):
            raise EduqaError.of("project.scaffold.init_project.already_holds_county_project",
                                root=root)
        if not remove_demo:
            raise EduqaError.of("project.scaffold.init_project.holds_demo_county_add", root=root)
        kept = remove_demo_files(project)
    else:
        kept = []
    project = Project(root)
    for folder in (project.params_dir, project.raw, project.processed, project.reports):
        folder.mkdir(parents=True, exist_ok=True)
    if not project.notebooks.is_dir():
        shutil.copytree(_notebook_source(notebooks), project.notebooks)
    existing.write_text(_county_yaml(county, language), encoding="utf-8")
    roster = project.raw / "schools.csv"
    if not roster.exists():
        roster.write_text(_ROSTER_HEADER, encoding="utf-8")
    (project.raw / "README.txt").write_text(ROSTER_README.format(eduqa=eduqa_command(
        project.root)), encoding="utf-8")
    if report_kept is not None:
        report_kept.extend(kept)
    return project


# ---------------------------------------------------------------------------------------------
# the demo's own files: what --remove-demo and synth may touch

#: The files the demo ships (params and raw data), by path in the project and SHA-256 of their
#: content; ``tests/test_demo_files.py`` checks it against the repository's files, and
#: ``make demo-data`` writes it again after regenerating them.
DEMO_FILES = Path(__file__).resolve().parents[1] / "templates" / "demo_files.json"

#: Files eduqa writes into a season's report folder and processed folder (removed with the
#: demo; anything else there is kept).
_REPORT_OUTPUT = re.compile(r"^(\d\d-[\w-]+\.(html|ipynb)|index\.html|tables\.xlsx|.+\.docx)$")
_PROCESSED_OUTPUT = re.compile(r"^(.+\.parquet|summary\.json)$")
#: … and in a season report's ``schools`` folder (the school reports and their index).
_SCHOOL_OUTPUT = re.compile(r"^[\w\-]+\.(html|docx)$")


def demo_files() -> dict[str, str]:
    """The demo's files: path in the project (``params/…``, ``data/raw/…``) -> SHA-256."""
    return json.loads(DEMO_FILES.read_text(encoding="utf-8"))


def write_demo_files(root: Path) -> Path:
    """Write :data:`DEMO_FILES` from the demo project at ``root`` (its params and raw files)."""
    root = Path(root)
    found = {}
    for folder in ("params", "data/raw"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found[path.relative_to(root).as_posix()] = sha256(path)
    DEMO_FILES.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return DEMO_FILES


def _demo_seasons(files: dict[str, str]) -> set[str]:
    return {Path(name).stem for name in files
            if name.startswith("params/") and Path(name).stem != "county"}


def remove_demo_files(project: Project) -> list[str]:
    """Remove the demo county from ``project``: its params and raw files where each is the
    file the demo shipped (same path, same SHA-256), and what eduqa wrote for the demo's
    seasons (their report pages, workbooks and Word reports, processed tables, build and lock
    files, ``reports/index.html``). Everything else is kept; the kept paths are returned.

    Nothing is deleted when a link lies anywhere in those folders or when one of the demo's
    files was changed: the error names them (eduqa never follows a link to delete, and never
    deletes a file it cannot tell is the demo's)."""
    import os
    import shutil

    shipped = demo_files()
    seasons = _demo_seasons(shipped)
    root = project.root
    links, changed, doomed, kept = [], [], [], []
    for folder in (project.params_dir, project.raw, project.processed, project.reports):
        for base, dirs, names in os.walk(folder):
            here = Path(base)
            for name in sorted(dirs + names):
                path = here / name
                if path.is_symlink():
                    links.append(path.relative_to(root).as_posix())
            for name in sorted(names):
                path = here / name
                if path.is_symlink() or name.startswith(".git"):
                    continue
                relative = path.relative_to(root).as_posix()
                if _is_demo_output(project, path, seasons):
                    doomed.append(path)
                elif relative in shipped and sha256(path) == shipped[relative]:
                    doomed.append(path)
                elif relative in shipped:
                    changed.append(relative)
                else:
                    kept.append(relative)
    if links or changed:
        shown = listed([*(f"{p} (a link)" for p in links), *(f"{p} (changed)" for p in changed)])
        raise EduqaError.of("project.scaffold.remove_demo_files.remove_demo_deleted_nothing",
                            shown=shown)
    for path in doomed:
        path.unlink()
    for folder in (project.params_dir, project.raw, project.processed, project.reports):
        for base, _dirs, _ in sorted(os.walk(folder), key=lambda item: -len(item[0])):
            here = Path(base)
            if here != folder and not any(here.iterdir()):
                here.rmdir()
    for season in seasons:  # (build folders of an interrupted demo run: eduqa's own)
        for leftover in (project.reports / f".build-{season}",
                         project.reports / f"{season}.failed"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)
    return kept


def write_demo(out: str | Path, seed: int | None = None) -> list[str]:
    """``eduqa synth``: write the demo county's raw files under ``out`` without overwriting
    anything that is not a demo file: the files are generated beside ``out`` first; an
    existing file of the same name is replaced only when its content is a demo file's (its
    SHA-256 among :data:`DEMO_FILES`, or the same bytes as the new one). Otherwise — or when a
    link is in the way — nothing is written and the error lists them. Returns the paths
    written, relative to ``out``."""
    import shutil
    import tempfile

    from eduqa.synth import SEED, write_demo_county

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    known = set(demo_files().values())
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".synth-") as scratch:
        write_demo_county(scratch, seed=SEED if seed is None else seed)
        made = sorted(p.relative_to(scratch) for p in Path(scratch).rglob("*") if p.is_file())
        blocked = []
        for relative in made:
            target = out / relative
            in_the_way = [parent for parent in [target, *target.parents]
                          if parent != out and out in parent.parents and parent.is_symlink()]
            if in_the_way:
                blocked.append(f"{relative.as_posix()} (a link)")
            elif target.exists() and not target.is_file():
                blocked.append(f"{relative.as_posix()} (not a file)")
            elif target.is_file() and sha256(target) not in known | {
                    sha256(Path(scratch) / relative)}:
                blocked.append(f"{relative.as_posix()} (not a demo file)")
        if blocked:
            shown = listed(blocked)
            raise EduqaError.of("project.scaffold.write_demo.synth_wrote_nothing_file",
                                n_blocked=len(blocked), out=out, shown=shown)
        for relative in made:
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(scratch) / relative, target)
    return [relative.as_posix() for relative in made]


def _is_demo_output(project: Project, path: Path, seasons: set[str]) -> bool:
    """Whether ``path`` is a file eduqa wrote for one of the demo's ``seasons``."""
    name = path.name
    if path.parent == project.reports:
        return name == "index.html" or name.removeprefix(".lock-") in seasons
    if path.parent == project.processed:  # (locks and input stamps beside the folders)
        stem = re.sub(r"^\.(lock|inputs)-", "", name).removesuffix(".json")
        return name.startswith((".lock-", ".inputs-")) and stem in seasons
    for base in (project.reports, project.processed):
        try:
            parts = path.relative_to(base).parts
        except ValueError:
            continue
        top = parts[0].lstrip(".").removesuffix(".failed")
        for prefix in ("build-", "work-", "old-"):
            top = top.removeprefix(prefix)
        if not any(top == season or top.startswith(f"{season}-") for season in seasons):
            return False
        if base == project.processed:  # (a .parquet table is a folder of parts)
            return any(_PROCESSED_OUTPUT.match(part) for part in parts[1:])
        if len(parts) == 3 and parts[1] == "schools":  # 校本报告 (eduqa.report.school)
            return bool(_SCHOOL_OUTPUT.match(name))
        return len(parts) == 2 and bool(_REPORT_OUTPUT.match(name))
    return False


def eduqa_command(root: Path) -> str:
    """How to run eduqa from the project folder ``root``, as the running program was started:
    ``eduqa`` when that is on the PATH, ``.venv/bin/eduqa`` in the repository's own project,
    else the full path of the command (a project made by ``eduqa init FOLDER`` elsewhere has no
    ``.venv`` of its own)."""
    import shutil
    import sys

    script = Path(sys.executable).parent / "eduqa"
    on_path = shutil.which("eduqa")
    if on_path and script.exists() and Path(on_path).resolve() == script.resolve():
        return "eduqa"
    local = Path(root) / ".venv" / "bin" / "eduqa"
    if script.exists() and local.exists() and local.resolve() == script.resolve():
        return ".venv/bin/eduqa"
    if script.exists():
        return str(script)
    return f"{sys.executable} -m eduqa"


def _bad_grade(season: str) -> EduqaError:
    return EduqaError.of("project.scaffold.bad_grade.cannot_tell_grade_from", season=season)


def _blank_season(project: Project, season: str) -> dict:
    """Params of a season started from nothing: name, grade and subjects from the season id."""
    from eduqa.config.params import load_county

    year, term, grade_text = season.split("-")[:3] if season.count("-") >= 2 else (
        season[:4], "", "")
    grade_match = re.fullmatch(r"g(\d+)", grade_text)
    if not grade_match or not 1 <= int(grade_match.group(1)) <= 12:
        raise _bad_grade(season)
    grade = int(grade_match.group(1))
    county = load_county(project).county
    name = SEASON_NAME.format(county=county, year=year, term=_TERMS.get(term, ""),
                              grade=_grade_name(grade))
    return {"season": season, "name": name, "grade": grade,
            "subjects": dict(DEFAULT_SUBJECTS[grade]),
            "files": {"scores": f"data/raw/{season}/scores.xlsx",
                      "staffing": f"data/raw/{season}/staffing.csv"},
            **_earlier_seasons(project, int(year), term, grade)}


def _grade_name(grade: int) -> str:
    """一年级 … 九年级, 高一 … 高三."""
    return (GRADE_NAME.format(digit=_GRADES[grade - 1]) if grade <= 9
            else SENIOR_GRADE_NAME.format(digit=_GRADES[grade - 10]))


def _earlier_seasons(project: Project, year: int, term: str, grade: int) -> dict:
    """``compare_with`` and ``cohort_prior``: the seasons a year earlier of the same grade and of
    one grade lower (the same pupils), when their params exist; else None."""
    known = set(project.season_ids())
    same, cohort = f"{year - 1}-{term}-g{grade}", f"{year - 1}-{term}-g{grade - 1}"
    return {"compare_with": same if same in known else None,
            "cohort_prior": cohort if cohort in known else None}


def _shift_year(text: str, old_year: int, new_year: int) -> str:
    return text.replace(str(old_year), str(new_year))


def new_season(project: Project, season: str, source: str | None = None) -> tuple[Path, Path]:
    """Create ``params/<season>.yaml`` from the season ``source`` (or, without one, from the
    season id: name, grade and the usual subjects of that grade) and an empty
    ``data/raw/<season>/`` with instructions. Returns (params file, raw folder).

    The new params keep the source's subjects and settings; file paths point at the new
    folder; ``compare_with`` and ``cohort_prior`` are set to the seasons a year earlier (same
    grade, and one grade lower) when their params exist.
    """
    check_season_id(season)
    target = project.params_dir / f"{season}.yaml"
    folder = project.raw / season
    if target.exists():
        raise EduqaError.of("project.scaffold.new_season.already_exists_edit_it", target=target)
    if source is None:
        data = _blank_season(project, season)
        header = (f"# Created by `eduqa new-season {season}`.\n"
                  "# Check the name, the subjects and their full marks (subject: full marks) "
                  "against the papers,\n# and the file names under files:, then run "
                  f"`eduqa validate {season}`.\n")
        return _write_season(target, folder, season, data, header)
    check_season_id(source)
    base = load_season(project, source, check_files=False)
    data = read_yaml(base.source)  # validated by load_season above: no aliases, no tags
    old_year, new_year = int(source[:4]), int(season[:4])
    grade_match = re.search(r"g(\d+)$", season)
    grade = int(grade_match.group(1)) if grade_match else base.grade
    if not 1 <= grade <= 12:
        raise _bad_grade(season)
    term = season.split("-")[1]
    data["season"] = season
    data["name"] = _shift_year(data["name"], old_year, new_year)
    if grade != base.grade:
        data["name"] = _GRADE_IN_NAME.sub(_grade_name(grade), data["name"], count=1)
        data.pop("level", None)  # (derived from the new grade)
    data["grade"] = grade
    data["files"] = {key: _moved(value, season) for key, value in data["files"].items()}
    data.update(_earlier_seasons(project, new_year, term, grade))
    header = (f"# Created by `eduqa new-season {season} --from {source}`.\n"
              "# Check name, subjects (subject: full marks) and files, then run "
              f"`eduqa validate {season}`.\n")
    return _write_season(target, folder, season, data, header)


def _moved(value, season: str):
    """A file path of a season's params (or a mapping of them, as ``files.items``) pointed at
    the same file name in the new season's folder."""
    if isinstance(value, dict):
        return {key: _moved(item, season) for key, item in value.items()}
    return f"data/raw/{season}/{Path(str(value)).name}"


def _write_season(target: Path, folder: Path, season: str, data: dict,
                  header: str) -> tuple[Path, Path]:
    target.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    subjects = joined([str(s) for s in data["subjects"]])
    (folder / "README.txt").write_text(RAW_README.format(eduqa=eduqa_command(
        folder.parents[2]),
        name=data["name"], season=season, scores=Path(data["files"]["scores"]).name,
        subjects=subjects), encoding="utf-8")
    return target, folder


# ---------------------------------------------------------------------------------------------
# the notebooks a county's project holds

#: The version of the notebooks' use of eduqa, in each notebook's metadata (``eduqa.notebooks``;
#: none: 1). Raised when eduqa changes in a way that breaks the notebooks ``eduqa init`` copied
#: into a county's project — 2: eduqa's modules grouped into packages by role.
NOTEBOOKS_VERSION = 2


def shipped_notebooks() -> Path:
    """The notebooks of the eduqa installed (those ``eduqa init`` copies)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


def _notebook_source(source: Path | None) -> Path:
    """``source`` (by default :func:`shipped_notebooks`), refused when it holds no notebook."""
    source = (source or shipped_notebooks()).resolve()
    if not any(source.glob("[0-9][0-9]-*.ipynb")):
        raise EduqaError.of("project.scaffold.notebook_source.eduqa_notebooks_were_not",
                            source=source)
    return source


def _version(path: Path) -> int:
    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        return int(metadata.get("eduqa", {}).get("notebooks", 1))
    except (OSError, ValueError, TypeError, AttributeError):
        return 1


def outdated_notebooks(project: Project) -> list[str]:
    """The project's notebooks (``notebooks/NN-*.ipynb``) written for an older eduqa."""
    return [path.name for path in sorted(project.notebooks.glob("[0-9][0-9]-*.ipynb"))
            if _version(path) < NOTEBOOKS_VERSION]


def check_notebooks(project: Project) -> None:
    """Refuse, before anything runs, notebooks copied from an older eduqa: they would stop in
    their first cell (an ImportError) after the season was cleaned."""
    old = outdated_notebooks(project)
    if not old:
        return
    command = f"{eduqa_command(project.root)} update-notebooks"
    raise EduqaError.of("project.scaffold.check_notebooks.project_notebooks_were_copied",
                        value1=listed(old), notebooks_version=NOTEBOOKS_VERSION, command=command,
                        value2=listed(old, "zh"))


def update_notebooks(project: Project, source: Path | None = None) -> tuple[Path | None,
                                                                            list[str]]:
    """Replace the project's notebooks with those of this eduqa (``source``, by default
    :func:`shipped_notebooks`): the old ones are moved, not deleted, to a new folder
    ``notebooks/old-<n>/`` (returned with the names written; None when there was nothing to
    move). The project of the installed eduqa itself is left as it is."""
    import shutil

    source = _notebook_source(source)
    target = project.notebooks
    if target.resolve() == source:
        return None, []
    new = sorted(source.glob("[0-9][0-9]-*.ipynb"))
    target.mkdir(parents=True, exist_ok=True)
    old = sorted(target.glob("[0-9][0-9]-*.ipynb"))
    kept = None
    if old:
        number = 1
        while (target / f"old-{number}").exists():
            number += 1
        kept = target / f"old-{number}"
        kept.mkdir()
        for path in old:
            path.rename(kept / path.name)
    for path in new:
        shutil.copy2(path, target / path.name)
    return kept, [path.name for path in new]
