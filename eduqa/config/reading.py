"""A params file read safely (yaml.safe_load only, no aliases, a size limit) and its values
checked: unknown keys with a suggestion, required keys, types, shares and weights. Every error
is a ParamsError naming the file and the key."""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any, NamedTuple

import yaml

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


def _weight(value: Any, path: Path, key: str) -> float:
    _typed(value, _NUMBER, path, key, "a number")
    return float(value)


def _positive(value: Any, path: Path, key: str, what: str) -> float:
    _typed(value, _NUMBER, path, key, what)
    if value <= 0:
        raise ParamsError("must be positive", file=path, key=key, zh="必须是正数")
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
        raise ParamsError(
            f"the path {value!r} leads outside the project folder", file=path, key=key,
            hint="copy the file into the project (e.g. data/raw/<season>/), or list its folder "
                 "under outside_folders in params/county.yaml if reading it there is intended",
            zh=f"路径 {value!r} 指向项目文件夹之外",
            hint_zh="请把文件复制到项目中（例如 data/raw/<考试季>/），或确需读取外部文件时，"
                    "在 params/county.yaml 的 outside_folders 中列出该文件夹")
    return full
