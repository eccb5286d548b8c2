"""What a report was made from: the SHA-256 of every file read (the season's raw files and
params, and those of every earlier season it reads: its comparison seasons and its cohort's
prior season), the version of eduqa and the commit of its source, Python and the statistical
packages. Shown at the foot of every page and as the workbook's last sheet, so that a number
in a meeting paper can be traced to the files and the code that made it."""

from __future__ import annotations

import importlib.metadata
import platform
from functools import cache
from pathlib import Path
from typing import NamedTuple

from eduqa import __version__
from eduqa.catalog import say
from eduqa.config.params import SeasonParams, load_season
from eduqa.project.pipeline import file_sha256

__all__ = ["PACKAGES", "Input", "file_sha256", "inputs", "package_versions", "provenance_rows",
           "source_commit"]

#: The packages whose versions can change a number in a report.
PACKAGES = ("numpy", "pandas", "scipy", "statsmodels", "patsy", "pyarrow", "matplotlib",
            "seaborn", "papermill", "nbconvert", "python-calamine", "xlsxwriter", "python-docx")

class Input(NamedTuple):
    """One file a report read."""

    season: str  # "" for the county's params
    role: str
    path: str  # relative to the project
    sha256: str


def inputs(params: SeasonParams) -> list[Input]:
    """Every file a report of ``params``'s season reads, earlier seasons first: for each
    season read (:func:`eduqa.project.season.seasons_needed`), the files its clean reads
    (:meth:`~eduqa.config.params.SeasonParams.files_read`: raw files and params), the
    county's params once (season "")."""
    from eduqa.project.season import seasons_needed

    project = params.project
    found: list[Input] = []
    for season in seasons_needed(project, params.season):
        these = params if season == params.season else load_season(project, season)
        for role, path in these.files_read().items():
            if role == "county" and found and found[0].role == "county":
                continue  # (the county's params: once)
            item = Input("" if role == "county" else season, role,
                         path.relative_to(project.root).as_posix(), file_sha256(path))
            if role == "county":
                found.insert(0, item)
            else:
                found.append(item)
    return found


@cache
def package_versions() -> dict[str, str]:
    """Python's version and each of :data:`PACKAGES` installed (an absent one is left out)."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


@cache
def source_commit() -> str | None:
    """The git commit of eduqa's source when it runs from a clone (an editable install, as
    ``make`` makes); None otherwise. Read from the ``.git`` folder: git need not be installed."""
    git = Path(__file__).resolve().parents[2] / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text(encoding="utf-8").split(":", 1)[1].strip())
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head or None  # a detached HEAD holds the commit itself
        ref = head[5:]
        for folder in (git, _common_dir(git)):
            if (folder / ref).is_file():
                return (folder / ref).read_text(encoding="utf-8").strip() or None
            packed = folder / "packed-refs"
            if packed.is_file():
                for line in packed.read_text(encoding="utf-8").splitlines():
                    if line.endswith(f" {ref}"):
                        return line.split()[0]
    except (OSError, IndexError):
        return None
    return None


def _common_dir(git: Path) -> Path:
    """The main repository's git folder of a worktree's git folder (itself otherwise)."""
    common = git / "commondir"
    if common.is_file():
        return (git / common.read_text(encoding="utf-8").strip()).resolve()
    return git


def provenance_rows(params: SeasonParams, language: str = "zh") -> list[tuple[str, str]]:
    """(item, value) rows of the workbook's provenance sheet and the pages' footer: eduqa's
    version and commit, the packages, then every input with its SHA-256."""
    zh = language != "en"
    commit = source_commit()
    rows = [("eduqa", __version__),
            (say("project.provenance.provenance_rows.eduqa_source_commit", zh),
             commit or say("project.provenance.provenance_rows.unknown_not_run_from", zh))]
    rows += [(name, version) for name, version in package_versions().items()]
    for item in inputs(params):
        where = f"{item.season} " if item.season else ""
        rows.append((f"{where}{item.role}: {item.path}", item.sha256))
    return rows
