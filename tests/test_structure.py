"""The shape of the code (issue 13): no import cycles inside eduqa, the models package free of the
season's modules, and every package eduqa imports declared as a dependency."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys

import tomllib

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
                targets = [f"{stem}.{a.name}".lstrip(".") for a in node.names] + [stem]
            elif isinstance(node, ast.Import):
                targets = [a.name.removeprefix("eduqa.") for a in node.names
                           if a.name.startswith("eduqa.")]
            for target in targets:
                if target in modules and target != name:
                    edges.add(target)
                    break  # `from .models import x`: the module x if it is one, else .models
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_in_eduqa():
    graph = import_graph()
    assert {"attribution", "indicators", "models.linear", "models.multilevel", "clean",
            "checks"} <= set(graph)
    assert "models.linear" in graph["indicators"]  # the graph sees real edges
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_planted_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_models_import_nothing_of_the_season():
    """eduqa.models depends on numpy/pandas/scipy/statsmodels/patsy and eduqa.errors only:
    settings come in as arguments."""
    graph = import_graph()
    models = [m for m in graph if m == "models" or m.startswith("models.")]
    assert len(models) >= 6
    for module in models:
        outside = {m for m in graph[module] if not m.startswith("models")} - {"errors"}
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
