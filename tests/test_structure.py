"""The shape of the code (issues 13, 35): the import contracts of pyproject.toml (import-linter:
no cycles inside eduqa, the models package free of the season's modules, the notebook runner
free of the report), and every package eduqa imports declared as a dependency."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "eduqa"


def _module_name(path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """eduqa module → the eduqa modules it imports, anywhere in its body (a function-level
    import is still a dependency)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".") if package else []
                    base = base[:len(base) - (node.level - 1)]
                    stem = ".".join([*base, *([node.module] if node.module else [])])
                elif node.module and node.module.split(".")[0] == "eduqa":
                    stem = node.module.removeprefix("eduqa").lstrip(".")
                else:
                    continue
                # `from . import a, b`: each name that is a module; `from .models import x`:
                # the module x if it is one, else .models
                for alias in node.names:
                    sub = f"{stem}.{alias.name}".lstrip(".")
                    targets.append(sub if sub in modules else stem)
            elif isinstance(node, ast.Import):
                targets = [a.name.removeprefix("eduqa.") for a in node.names
                           if a.name.startswith("eduqa.")]
            edges.update(t for t in targets if t in modules and t != name)
        graph[name] = edges
    return graph


def _lint_imports(folder, config) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--config",
                           str(config), "--no-cache"], cwd=folder, capture_output=True,
                          text=True)


def test_the_import_contracts_hold():
    """pyproject.toml's import-linter contracts (the packages layered, no cycle between the
    modules of a package, the models and the leaf modules free of the season, the text free
    of the statistics, the intake free of the report, the notebook runner free of the report)
    hold; `make lint` runs the same command in CI."""
    done = _lint_imports(REPO, REPO / "pyproject.toml")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout and done.stdout.count("KEPT") >= 7


@pytest.mark.parametrize("module, planted, contract", [
    ("text/narrative/attribution.py", "from eduqa.models import cluster", "The text computes nothing"),
    ("text/captions.py", "from eduqa.indicators import trends", "The text computes nothing"),
    ("intake/clean.py", "from eduqa.text import narrative", "The intake never imports"),
])
def test_the_project_s_contracts_break_on_a_planted_import(tmp_path, module, planted, contract):
    """A copy of eduqa with one forbidden import added breaks the named contract of the
    project's own pyproject.toml (the unchanged repository keeps them all: the test above)."""
    shutil.copytree(PACKAGE, tmp_path / "eduqa", ignore=shutil.ignore_patterns("__pycache__"))
    config = REPO / "pyproject.toml"
    target = tmp_path / "eduqa" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}  # noqa\n",
                      encoding="utf-8")
    done = _lint_imports(tmp_path, config)
    assert done.returncode != 0, done.stdout[-2000:]
    flat = re.sub(r"\s+", " ", done.stdout)
    assert re.search(re.escape(contract) + r"(?:(?!KEPT).)*BROKEN", flat), flat[-2000:]


def test_the_cycle_contract_finds_a_planted_cycle(tmp_path):
    """The same contract type on a package with a cycle (a -> b -> c -> a) breaks."""
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, other in (("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")):
        (package / f"{name}.py").write_text(f"from . import {other}\n")
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "planted"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "No cycles"\n'
                      'type = "acyclic_siblings"\nancestors = ["planted"]\n')
    done = _lint_imports(tmp_path, config)
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout[-2000:]
    (package / "c.py").write_text("")
    assert _lint_imports(tmp_path, config).returncode == 0


def test_the_graph_sees_real_edges():
    """The graph (used for the models' rule below) sees every name of `from eduqa.x import a, b`
    and function-level imports (the old one kept only the first name, and so missed the
    engine <-> report cycle)."""
    graph = import_graph()
    assert {"attribution", "indicators.exam", "models.linear", "models.multilevel",
            "intake.clean", "project.checks", "project.pipeline"} <= set(graph)
    assert {"attribution", "text.narrative", "report.plots", "report.word", "compute.engine",
            "project.pipeline"} <= graph["project.build"]
    assert {"project.checks", "intake.clean"} <= graph["project.pipeline"]
    runner = graph["project.papermill_runner"]
    assert "project.build" not in runner and "project.season" not in runner


def test_the_layers_contract_finds_an_import_upwards(tmp_path):
    """The layers contract type breaks on a package whose bottom layer imports its top one."""
    package = tmp_path / "stacked"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("low", "high"):
        (package / name).mkdir()
        (package / name / "__init__.py").write_text("")
    (package / "high" / "page.py").write_text("from stacked.low import base\n")
    (package / "low" / "base.py").write_text("X = 1\n")
    config = tmp_path / "contracts.toml"
    config.write_text('[tool.importlinter]\nroot_package = "stacked"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "Layers"\n'
                      'type = "layers"\nlayers = ["stacked.high", "stacked.low"]\n')
    assert _lint_imports(tmp_path, config).returncode == 0
    (package / "low" / "base.py").write_text("from stacked.high import page\n")
    done = _lint_imports(tmp_path, config)
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout[-2000:]


def test_models_import_nothing_of_the_season():
    """eduqa.models depends on numpy/pandas/scipy/statsmodels/patsy and eduqa.errors and
    eduqa.rules only:
    settings come in as arguments."""
    graph = import_graph()
    models = [m for m in graph if m == "models" or m.startswith("models.")]
    assert len(models) >= 6
    for module in models:
        outside = {m for m in graph[module] if not m.startswith("models")} - {"errors", "rules"}
        assert not outside, (module, outside)


def _third_party_imports() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("eduqa",
                                                                                 "__future__")}


def test_every_imported_package_is_a_declared_dependency():
    declared = {re.split(r"[<>=!~ ;\[]", s, maxsplit=1)[0].lower().replace("_", "-")
                for s in tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
                    "dependencies"]}
    providers = importlib.metadata.packages_distributions()
    imported = _third_party_imports()
    assert {"pandas", "patsy", "docx", "yaml"} <= imported
    missing = {}
    for module in imported:
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def _where_things_live() -> dict[str, str]:
    """README's "Where things live" table: first cell (package) -> the rest of its row."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("### Where things live", 1)[1].split("\n\n", 3)[2]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`").rstrip("/")] = " ".join(cells[1:])
    return rows


def _left_out(rows: dict[str, str]) -> list[str]:
    """The modules of eduqa that ``rows`` does not name in their package's row (top-level
    modules in the "top level" row or a row of their own)."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] in {"__init__", "__main__", "_preload"}:
            continue
        if len(parts) == 1:
            if parts[0] not in rows and f"`{parts[0]}`" not in rows.get("top level", ""):
                missing.append(parts[0])
        elif f"`{parts[-1]}`" not in rows.get(parts[0], ""):
            missing.append("/".join(parts))
    return missing


def test_the_readme_names_every_module_where_it_lives():
    """Every module of eduqa is named in its package's row of the README table, and every
    package has a row and a docstring saying what lives there."""
    rows = _where_things_live()
    assert not _left_out(rows), f"not in README's 'Where things live': {_left_out(rows)}"
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert set(packages) <= set(rows), set(packages) - set(rows)
    for name in packages:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text("utf-8")))
        assert doc and len(doc) > 80, name


def test_the_readme_check_finds_a_module_left_out():
    """The check above names a module taken out of its row, and a top-level module."""
    rows = _where_things_live()
    rows["intake"] = rows["intake"].replace("`readers`", "readers")
    rows["top level"] = rows["top level"].replace("`sweep`", "")
    assert _left_out(rows) == ["intake/readers", "sweep"]


#: The most lines a module of eduqa may have, and the worst radon complexity grade of a
#: function (D: cyclomatic complexity 21–30; E and F are refused).
MAX_MODULE_LINES = 800
MAX_COMPLEXITY = 30


def _too_complex(source: str, name: str) -> list[str]:
    """The functions and methods of ``source`` above :data:`MAX_COMPLEXITY` (radon; a class's
    own figure, the sum of its methods, is not a function's)."""
    from radon.complexity import cc_visit
    from radon.visitors import Function

    found = []
    for block in cc_visit(source):
        for item in [block, *getattr(block, "methods", []), *getattr(block, "closures", [])]:
            if isinstance(item, Function) and item.complexity > MAX_COMPLEXITY:
                found.append(f"{name}:{item.lineno} {item.name} ({item.complexity})")
    return sorted(set(found))


def test_no_module_is_too_long_and_no_function_too_complex():
    """Issue 35: no module of eduqa over 800 lines, no function worse than radon D."""
    long, complex_ = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE).as_posix()
        if source.count("\n") > MAX_MODULE_LINES:
            long.append(f"{name} ({source.count(chr(10))} lines)")
        complex_ += _too_complex(source, name)
    assert not long, long
    assert not complex_, complex_


def test_the_complexity_check_finds_a_tangled_function():
    """A function of 31 branches is found (as a method too); one of 30 is not."""
    def function(branches: int, indent: str = "") -> str:
        lines = [f"{indent}def f(x):"]
        lines += [f"{indent}    if x == {i}:\n{indent}        return {i}" for i in range(branches - 1)]
        return "\n".join(lines + [f"{indent}    return -1\n"])

    assert _too_complex(function(31), "m.py") == ["m.py:1 f (31)"]
    assert _too_complex(function(30), "m.py") == []
    assert _too_complex("class C:\n" + function(35, "    "), "m.py") == ["m.py:2 f (35)"]
