"""Where a project's folders are. No import-time side effects: nothing is created or read here."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from eduqa.errors import EduqaError

__all__ = ["Project", "season_sort_key", "check_season_id", "SEASON_ID_PATTERN",
           "unsafe_character"]

_TERM_ORDER = {"spring": 0, "summer": 1, "autumn": 2, "fall": 2, "winter": 3}


def season_sort_key(season: str) -> tuple:
    """Chronological sort key of a season id like ``2025-spring-g9`` (year, term, rest)."""
    match = re.match(r"^(\d{4})-([a-z]+)-(.*)$", season)
    if not match:
        return (9999, 9, season)
    year, term, rest = match.groups()
    return (int(year), _TERM_ORDER.get(term, 9), rest)


#: A season id: year, term, then letters, digits, '-' or '_' (e.g. ``2025-spring-g9``,
#: ``2026-autumn-g7-mock``). Nothing else reaches a file name: no '..', '/', spaces, shell
#: characters or line breaks.
SEASON_ID_PATTERN = re.compile(r"[0-9]{4}-[a-z]+-[A-Za-z0-9][A-Za-z0-9_-]{0,39}", re.ASCII)


def unsafe_character(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` that may not stand in a one-line name eduqa writes into
    a file (a county or exam name): a control character (C0, C1: tab, U+0085 …), a line or
    paragraph separator (U+2028, U+2029), or an invisible format character (zero-width space,
    BOM, bidirectional marks). YAML and many editors break a line at some of these, so a name
    holding one could add keys to a params file. Returns (position, ``U+XXXX NAME``) or None."""
    import unicodedata

    for position, character in enumerate(text):
        if unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
            name = unicodedata.name(character, "control character")
            return position, f"U+{ord(character):04X} {name}"
    return None


def check_season_id(season: object) -> str:
    """``season`` if it is a valid season id, else a clear error (before anything is read or
    created under its name)."""
    if not isinstance(season, str) or not SEASON_ID_PATTERN.fullmatch(season):
        shown = repr(season)[:60]
        raise EduqaError.of("config.paths.check_season_id.not_season_id_write", shown=shown)
    return season


def inside(root: Path, path: Path, allowed: tuple[Path, ...] = ()) -> bool:
    """Whether ``path`` (symlinks followed) lies inside ``root`` or one of ``allowed``."""
    target = Path(path).resolve()
    return any(target == base.resolve() or base.resolve() in target.parents
               for base in (root, *allowed))


@dataclass(frozen=True)
class Project:
    """A project directory laid out as the README's "Layout" says."""

    root: Path

    @classmethod
    def find(cls, start: str | Path | None = None) -> Project:
        """The project at ``start``, at ``$EDUQA_PROJECT``, or the nearest parent of the current
        directory holding ``params/county.yaml``."""
        if start is None and os.environ.get("EDUQA_PROJECT"):
            start = os.environ["EDUQA_PROJECT"]
        if start is not None:
            root = Path(start).resolve()
            if not (root / "params" / "county.yaml").is_file():
                raise EduqaError.of("config.paths.find.not_eduqa_project_params", root=root)
            return cls(root)
        here = Path.cwd().resolve()
        for candidate in (here, *here.parents):
            if (candidate / "params" / "county.yaml").is_file():
                return cls(candidate)
        raise EduqaError.of("config.paths.find.no_eduqa_project_found")

    @property
    def params_dir(self) -> Path:
        return self.root / "params"

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    def processed_season(self, season: str) -> Path:
        return self.processed / check_season_id(season)

    def report_season(self, season: str) -> Path:
        return self.reports / check_season_id(season)

    def season_ids(self) -> list[str]:
        """Every season with a params file, oldest first (a file whose name is not a season
        id is an error, named)."""
        ids = [check_season_id(p.stem) for p in self.params_dir.glob("*.yaml")
               if p.stem != "county"]
        return sorted(ids, key=season_sort_key)


def relative(path: Path, root: Path) -> str:
    """``path`` as shown to the user: relative to ``root`` (the project) when inside it, else
    as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
