"""eduqa's own error types.

Every problem a user can fix is raised as an :class:`EduqaError` whose message says which file, which
row and which column, what was expected, and what to do. The command-line interface prints the
message (never a traceback) and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["EduqaError", "InputError", "ParamsError", "NotebookError"]


class EduqaError(Exception):
    """Base class of every error eduqa raises on purpose."""


@dataclass
class _Where:
    file: str | Path | None = None
    row: int | None = None
    column: str | None = None

    def describe(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(f"file {_display_path(self.file)}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)


def _display_path(path: str | Path) -> str:
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class InputError(EduqaError):
    """A raw input file (scores, roster, staffing, targets) that cannot be used as it is.

    Parameters
    ----------
    problem : str
        What is wrong, in plain words.
    file, row, column : optional
        Where. ``row`` is the 1-based line number a spreadsheet program shows.
    hint : str, optional
        What the user should do about it.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.where = _Where(file, row, column)
        self.hint = hint
        super().__init__(self._message())

    @property
    def file(self):
        return self.where.file

    @property
    def row(self):
        return self.where.row

    @property
    def column(self):
        return self.where.column

    def _message(self) -> str:
        where = self.where.describe()
        text = f"{where}: {self.problem}" if where else self.problem
        if self.hint:
            text += f"\n  What to do: {self.hint}"
        return text


class ParamsError(EduqaError):
    """A parameter file (params/county.yaml or params/<season>.yaml) that is wrong."""

    def __init__(self, problem: str, *, file: str | Path, key: str | None = None,
                 hint: str | None = None) -> None:
        self.problem = problem
        self.file = file
        self.key = key
        self.hint = hint
        where = f"file {_display_path(file)}"
        if key:
            where += f", key '{key}'"
        text = f"{where}: {problem}"
        if hint:
            text += f"\n  What to do: {hint}"
        super().__init__(text)


class NotebookError(EduqaError):
    """A notebook failed while a season was being run."""

    def __init__(self, season: str, notebook: str, cell: int | None, detail: str,
                 kept: Path | None = None) -> None:
        self.season = season
        self.notebook = notebook
        self.cell = cell
        self.detail = detail
        self.kept = kept
        text = f"season {season}: notebook {notebook} failed"
        if cell is not None:
            text += f" in cell {cell}"
        text += f": {detail}"
        if kept is not None:
            text += f"\n  The partly executed notebook is kept at {_display_path(kept)}"
        super().__init__(text)
