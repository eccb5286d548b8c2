"""pyproject.toml and environment.yml list the same packages; the Makefile keeps its promises."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import REPO


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ ;\[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_name(s): s.replace(" ", "") for s in project["dependencies"]}
    wanted.update({_name(s): s.replace(" ", "") for s in project["optional-dependencies"]["dev"]})
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    listed = {}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for spec in item.get("pip", []):
                listed[_name(spec)] = spec.replace(" ", "")
        elif _name(item) not in ("python", "pip"):
            listed[_name(item)] = item.replace(" ", "")
    assert listed == wanted


def test_makefile_targets_exist():
    text = (REPO / "Makefile").read_text()
    for target in ("report:", "test:", "lab:"):
        assert re.search(rf"^{target}", text, re.M), target
    assert "-m venv" in text and "pip install" in text


def test_ci_runs_make_lint_and_make_test():
    text = (REPO / ".ci" / "run").read_text()
    assert "make lint" in text and "make test" in text
    lint = (REPO / "Makefile").read_text().split("\nlint:")[1].split("\n\n")[0]
    assert "notebooks" in lint and "mypy" in lint  # the notebooks are linted, eduqa typed


def test_demo_data_is_small():
    size = sum(p.stat().st_size for p in (REPO / "data" / "raw").rglob("*") if p.is_file())
    assert size < 5 * 1024 * 1024


def test_install_is_quiet_and_ships_the_templates(tmp_path):
    """Building the wheel gives no setuptools warning about the template folders (it read
    like an error on every install), and the wheel holds every template file."""
    import subprocess
    import sys
    import zipfile

    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "-w", str(tmp_path), str(REPO)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "is absent from the `packages` configuration" not in done.stdout + done.stderr
    wheel = next(tmp_path.glob("eduqa-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (REPO / "eduqa" / "templates").rglob("*"):
        if path.is_file():
            assert path.relative_to(REPO).as_posix() in names, path


def test_make_lab_allows_root():
    text = (REPO / "Makefile").read_text()
    lab = text[text.index("\nlab:"):].split("\n\n")[0]
    assert "--allow-root" in lab and "id -u" in lab


def test_editable_install_notice_is_silenced_in_the_makefile():
    text = (REPO / "Makefile").read_text()
    line = next(row for row in text.splitlines() if "pip install" in row and "-e" in row)
    assert 'PYTHONWARNINGS="ignore::UserWarning"' in line


def test_readme_lists_the_columns_of_every_input_file():
    """Issue 12 (onboarding): every column eduqa reads from the roster, staffing, targets,
    blueprint and teacher files, and every urban-rural value and school type it accepts, is written in the README."""
    from eduqa.config.schema import (
        ROSTER_COLUMNS,
        SCHOOL_TYPE_LEVELS,
        STAFFING_COLUMNS,
        TARGET_COLUMNS,
        URBAN_RURAL,
    )

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## 输入文件的列"):text.index("## Adding a season")]
    from eduqa.intake.items import BLUEPRINT_COLUMNS
    from eduqa.intake.teachers import TEACHER_COLUMNS

    for table in (ROSTER_COLUMNS, STAFFING_COLUMNS, TARGET_COLUMNS, BLUEPRINT_COLUMNS,
                  TEACHER_COLUMNS):
        for canonical in table:
            assert f"`{canonical}`" in section, canonical
    for value in ("城区", "镇区", "乡村", *[v for v in URBAN_RURAL if v.isdigit()]):
        assert value in section, value
    for school_type in SCHOOL_TYPE_LEVELS:
        assert school_type in section, school_type


def _lock_problems(lock_text: str, specs: list[str]) -> list[str]:
    """What is wrong with a lock file for ``specs``: a line that is not ``name==version``, a
    requirement the lock leaves out, or a locked version its specifier does not allow."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    locked, problems = {}, []
    for line in lock_text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+!\-]+", line.strip()):
            problems.append(f"not pinned: {line}")
            continue
        name, version = line.strip().split("==")
        locked[canonicalize_name(name)] = version
    for spec in specs:
        requirement = Requirement(spec)
        version = locked.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"not locked: {requirement.name}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} is outside {requirement.specifier}")
    return problems


def test_the_lock_pins_every_dependency_within_its_range():
    """requirements.lock (the versions `make` installs, as constraints) pins every package of
    pyproject.toml, its test tools included, at a version pyproject allows."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    assert not _lock_problems((REPO / "requirements.lock").read_text(), specs)
    assert "-c $(LOCK)" in (REPO / "Makefile").read_text()


def test_the_lock_check_finds_what_is_wrong():
    assert _lock_problems("# header\npandas==3.1.1\nnumpy>=2\n",
                          ["pandas>=3.0", "scipy>=1.11", "numpy"]) == [
        "not pinned: numpy>=2", "not locked: scipy", "not locked: numpy"]
    assert _lock_problems("pandas==2.2.0\n", ["pandas>=3.0"]) == [
        "pandas==2.2.0 is outside >=3.0"]
