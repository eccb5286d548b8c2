"""Names a user gives that eduqa writes into files (issue 34, point 2): the county name of
`eduqa init` goes into params/county.yaml through a YAML emitter; every control, line- or
paragraph-separator and invisible character is refused at input (PyYAML breaks lines at
U+2028, U+2029 and U+0085, so a pasted name could add keys such as ``outside_folders: [/]``).
Oracle: each written file read back with yaml.safe_load gives the same values."""

from __future__ import annotations

import pytest
import yaml

from eduqa.cli import main
from eduqa.config.params import load_county, load_season
from eduqa.config.paths import Project
from eduqa.errors import EduqaError, ParamsError
from eduqa.project.scaffold import init_project, new_season

from conftest import REPO

#: The attack of issue 34 (point 3): a separator, then keys of the attacker's choosing.
INJECTED = "青山县{sep}outside_folders: [/]{sep}dask: {{scheduler: tcp://evil:8786}}"
SEPARATORS = ["\u2028", "\u2029", "\x85", "\n", "\r", "\x0b", "\x0c", "\t", "\x00", "\x1b",
              "\u200b", "\ufeff", "\u202e"]

HOSTILE_BUT_VALID = ['青山县: "北片"', "青山县 # 注释", "&anchor *alias !!python/object",
                     "%YAML 1.1", "@县 `x` {a: 1} [b, c] | > -", "'单引号' \"双引号\"",
                     "yes", "null", "1e3", "…", "~"]


@pytest.mark.parametrize("separator", SEPARATORS,
                         ids=[f"U+{ord(c):04X}" for c in SEPARATORS])
def test_init_refuses_a_name_with_a_separator_or_control_character(tmp_path, capsys,
                                                                   separator):
    name = INJECTED.format(sep=separator)
    with pytest.raises(EduqaError) as caught:
        init_project(tmp_path / "county", name, notebooks=REPO / "notebooks")
    assert f"U+{ord(separator):04X}" in str(caught.value)
    assert not (tmp_path / "county" / "params" / "county.yaml").exists()
    assert main(["init", str(tmp_path / "other"), "--county", name]) == 2
    err = capsys.readouterr().err
    assert "不可见字符或控制字符" in err and "内部错误" not in err


@pytest.mark.parametrize("name", HOSTILE_BUT_VALID)
def test_a_hostile_but_valid_name_is_written_and_read_back_unchanged(tmp_path, name):
    project = init_project(tmp_path / "county", name, notebooks=REPO / "notebooks")
    text = (project.params_dir / "county.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["county"] == name
    assert set(data) == {"county", "language", "roster", "thresholds", "composite_weights",
                         "staffing_norms", "min_group_size", "suppress_below", "attribution",
                         "tiers", "school_reports"}
    assert name not in text.split("county:")[0]  # not in a comment either
    assert load_county(project).county == name
    target, _ = new_season(project, "2026-spring-g6")
    season = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert season["name"].startswith(name)
    assert set(season) == {"season", "name", "grade", "subjects", "files", "compare_with",
                           "cohort_prior"}
    assert load_season(Project(project.root), "2026-spring-g6",
                       check_files=False).name == season["name"]


@pytest.mark.parametrize("key", ["county", "name"])
def test_a_params_file_typed_with_a_separator_is_refused(project, key):
    """A name typed into a params file by hand (or pasted) with a separator inside quotes:
    validate refuses it, naming the key and the character."""
    path = project.params_dir / ("county.yaml" if key == "county" else "2025-spring-g9.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[key] = "青山\u2028县"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        load_season(project, "2025-spring-g9")
    assert caught.value.key == key and "U+2028" in str(caught.value)
