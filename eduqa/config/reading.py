"""A params file read safely (yaml.safe_load only, no aliases, a size limit) and its values
checked: unknown keys with a suggestion, required keys, types, shares and weights. Every error
is a ParamsError naming the file and the key."""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from eduqa.catalog import say
from eduqa.catalog.words import (  # noqa: F401
    EXPECTED_IN_CHINESE as _WHAT_ZH,
)
from eduqa.config.paths import Project, inside, unsafe_character
from eduqa.errors import Gather, ParamsError

_NUMBER = (int, float)


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


def read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise ParamsError.of("config.reading.read_yaml.file_does_not_exist", file=path)
    if path.stat().st_size > MAX_PARAMS_BYTES:
        raise ParamsError.of("config.reading.read_yaml.file_larger_than_bytes", file=path,
                             max_params_bytes=MAX_PARAMS_BYTES)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ParamsLoader)  # noqa: S506
    except _AliasRefused as exc:
        raise ParamsError.of("config.reading.read_yaml.line_anchors_aliases_name", file=path,
                             line=exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, line_zh = ((say("config.reading.near_line", language, line=mark.line + 1)
                          if mark is not None else "") for language in ("en", "zh"))
        problem = str(getattr(exc, "problem", exc))[:200]  # bounded: never the whole value
        raise ParamsError.of("config.reading.read_yaml.not_valid_yaml", file=path, line=line,
                             problem=problem, line_zh=line_zh) from None
    except UnicodeDecodeError:
        raise ParamsError.of("config.reading.read_yaml.not_utf_text", file=path) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParamsError.of("config.reading.read_yaml.expected_mapping_keys_values", file=path)
    return data


def _reject_unknown(data: dict, known: set[str], path: Path, prefix: str = "") -> None:
    """Refuse the keys of ``data`` not in ``known``: every one of them at once."""
    gather = Gather()
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            hint, hint_zh = ((say("config.reading.did_you_mean", language,
                                  name=f"{prefix}{close[0]}") if close
                              else say("config.reading.known_keys", language,
                                       keys=sorted(known))) for language in ("en", "zh"))
            gather.problems.append(ParamsError.of("config.reading.unknown_key", file=path,
                                                  key=f"{prefix}{key}", hint_en=hint,
                                                  hint_zh=hint_zh))
    gather.done()


def _require(data: dict, key: str, path: Path, prefix: str = "") -> Any:
    if key not in data or data[key] is None:
        raise ParamsError.of("config.reading.require.required_key_missing", file=path,
                             key=f"{prefix}{key}")
    return data[key]


def _typed(value: Any, types: tuple[type, ...] | type, path: Path, key: str, what: str) -> Any:
    wrong_bool = isinstance(value, bool) and bool not in (
        types if isinstance(types, tuple) else (types,))
    if wrong_bool or not isinstance(value, types):
        raise ParamsError.of("config.reading.typed.expected_got", file=path, key=key, what=what,
                             value=value, value1=_WHAT_ZH.get(what, what))
    if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan and .inf
        raise ParamsError.of("config.reading.typed.not_finite", file=path, key=key, what=what,
                             value=value, value1=_WHAT_ZH.get(what, what))
    if types is int and isinstance(value, int) and value < 0:  # counts (min_group_size …) are never negative
        raise ParamsError.of("config.reading.typed.expected_or_more_got", file=path, key=key,
                             what=what, value=value, value1=_WHAT_ZH.get(what, what))
    return value


def _one_line(text: str, path: Path, key: str) -> str:
    """A name eduqa writes into pages and files: no control, line-separator or invisible
    character (:func:`eduqa.config.paths.unsafe_character`)."""
    bad = unsafe_character(text)
    if bad is not None:
        raise ParamsError.of("config.reading.one_line.character_invisible_or_control", file=path,
                             key=key, value1=bad[0] + 1, value2=bad[1])
    return text


def _share(value: Any, path: Path, key: str) -> float:
    _typed(value, _NUMBER, path, key, "a number between 0 and 1")
    if not 0 <= value <= 1:
        raise ParamsError.of("config.reading.share.expected_number_between_got", file=path, key=key,
                             value=value)
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


def _weight(value: Any, path: Path, key: str) -> float:
    _typed(value, _NUMBER, path, key, "a number")
    return float(value)


def _positive(value: Any, path: Path, key: str, what: str) -> float:
    _typed(value, _NUMBER, path, key, what)
    if value <= 0:
        raise ParamsError.of("config.reading.positive.must_be_positive", file=path, key=key)
    return float(value)


class Note(NamedTuple):
    """A decision made while loading a season's params, in both languages, with the params
    key it concerns (e.g. ``files.scores``)."""

    en: str
    zh: str
    key: str


def _project_file(project: Project, value: str, path: Path, key: str,
                  allowed: tuple[Path, ...] = ()) -> Path:
    """``value`` as a path inside the project (or a folder listed in ``outside_folders`` of
    county.yaml); a path that leaves it — absolute, with '..', or through a symlink — is an
    error, so that a params file cannot make eduqa read another folder's files."""
    full = project.root / value
    if not inside(project.root, full, allowed):
        raise ParamsError.of("config.reading.project_file.path_leads_outside_project", file=path,
                             key=key, value=value)
    return full
