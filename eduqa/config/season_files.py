"""A season's input files found and checked: the score export (named in the season file or found in
data/raw/<season>/), the optional files beside it, and the paper's item-score and blueprint
files paired by subject."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eduqa.catalog import say
from eduqa.catalog.vocabulary import (  # noqa: F401
    NOT_A_SCORES_FILE as _NOT_SCORES,
)
from eduqa.config.paths import Project
from eduqa.config.reading import Note, _project_file, _reject_unknown, _typed
from eduqa.config.schema import subject_id
from eduqa.errors import Gather, ParamsError

#: The files of a season's ``files:`` (one path each) and its paper files (subject -> path).
_FILE_KEYS = {"scores", "staffing", "targets", "teachers"}
_PAPER_KEYS = {"items", "blueprints"}


def _input_files(project: Project, allowed: tuple[Path, ...], files: dict, path: Path,
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
                gather.problems.append(ParamsError.of("config.season_files.input_files.required_key_missing",
                                                      file=path, key="files.scores"))
            resolved[key] = None
            continue
        full = gather(lambda key=key, value=value: _project_file(
            project, _typed(value, str, path, f"files.{key}", "a path"), path, f"files.{key}",
            allowed))
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
            notes.append(Note(say("config.season_files.scores_found", "en", value=value,
                                  found=found.name),
                              say("config.season_files.scores_found", "zh", value=value,
                                  found=found.name), "files.scores"))
        elif found is None:
            missing.append(f"files.{key}: {value}" + _sibling_hint(full))
            missing_zh.append(f"files.{key}: {value}" + _sibling_hint(full, "zh"))
    if missing:
        gather.problems.append(ParamsError.of(
            "config.season_files.missing_files", file=path, key="files", n=len(missing),
            missing=missing, missing_zh=missing_zh))
    gather.done()
    return resolved, notes


def _paired_paper_files(project: Project, allowed: tuple[Path, ...], files: dict,
                        subjects: dict[str, float], path: Path,
                        check_files: bool) -> dict[str, dict[str, Path]]:
    """``files.items`` and ``files.blueprints``, which go together subject by subject."""
    gather = Gather()
    paper_files = {key: gather(lambda key=key: _paper_files(
        project, files.get(key), subjects, path, f"files.{key}", allowed,
        check_files), {}) for key in sorted(_PAPER_KEYS)}
    unpaired = sorted(set(paper_files["items"]) ^ set(paper_files["blueprints"]))
    if unpaired and not gather.problems:
        names = ", ".join(unpaired)
        gather.problems.append(ParamsError.of("config.season_files.paired_paper_files.item_scores_blueprint_go",
                                              file=path, key="files.items", names=names))
    gather.done()
    return paper_files


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
            raise ParamsError.of("config.season_files.paper_files.not_subject_this_season",
                                 file=path, key=f"{key}.{name}", name=name, listed=listed)
        _typed(value, str, path, f"{key}.{name}", "a path")
        full = _project_file(project, value, path, f"{key}.{name}", allowed)
        if check_files and not full.is_file():
            raise ParamsError.of("config.season_files.paper_files.does_not_exist", file=path,
                                 key=f"{key}.{name}", key2=key, name=name, value=value)
        out[canonical] = full
    return out


#: Files a season may go without: named in the params but not there is a note, not an error
#: (the note says what the report leaves out).
_OPTIONAL_FILES = {
    "targets": lambda value: Note(say("config.season_files.no_targets", "en", value=value),
                                  say("config.season_files.no_targets", "zh", value=value),
                                  "files.targets"),
}


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
    raise ParamsError.of("config.season_files.find_score_export.files_scores_names_which",
                         file=path, key="files.scores", name=named.name,
                         n_candidates=len(candidates), listed=listed,
                         value1=list(item.name for item in candidates))


def _sibling_hint(path: Path, language: str = "en") -> str:
    """' (found scores.xlsx: point the path at it)' when a file of the same name but another
    type is there."""
    if not path.parent.is_dir():
        return ""
    others = sorted(p.name for p in path.parent.glob(path.stem + ".*") if p != path)
    if not others:
        return ""
    return say("config.season_files.sibling_hint.found_point_path_at", language,
               others=list(others))

