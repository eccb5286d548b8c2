"""The methods are in the repository (issue 35): docs/METHODS.md names tests that exist, every
citation of it in the code points at one of its sections, and nothing points at a methods
document outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

METHODS = REPO / "docs" / "METHODS.md"


def _tests_named(text: str, tests: Path) -> tuple[list[str], list[str]]:
    """(found, missing): the ``file::function`` references of ``text`` (a bare ``::function``
    continues the file named last), each looked up as a ``def`` in ``tests``."""
    found, missing, current = [], [], None
    for match in re.finditer(r"`(test_\w+\.py)?::(\w+)`", text):
        current = match.group(1) or current
        path = tests / current if current else None
        name = f"{current}::{match.group(2)}"
        ok = path is not None and path.is_file() and re.search(
            rf"^def {match.group(2)}\(", path.read_text(encoding="utf-8"), re.M)
        (found if ok else missing).append(name)
    return found, missing


def _sections(text: str) -> set[str]:
    return set(re.findall(r"^## ([A-Z])\. ", text, re.M))


def test_the_methods_document_names_only_tests_that_exist():
    text = METHODS.read_text(encoding="utf-8")
    found, missing = _tests_named(text, REPO / "tests")
    assert not missing, missing
    assert len(found) >= 60
    assert _sections(text) == set("ABCDEFG")


def test_the_test_check_finds_a_test_that_does_not_exist(tmp_path):
    (tmp_path / "test_a.py").write_text("def test_one():\n    pass\n", encoding="utf-8")
    found, missing = _tests_named("`test_a.py::test_one`, `::test_two`, `test_b.py::test_x`",
                                  tmp_path)
    assert found == ["test_a.py::test_one"]
    assert missing == ["test_a.py::test_two", "test_b.py::test_x"]


def test_every_methods_citation_points_at_a_section_of_the_document():
    """The code, notebooks and README cite docs/METHODS.md by section; no citation of a
    METHODS file outside the repository is left."""
    sections = _sections(METHODS.read_text(encoding="utf-8"))
    files = [*(REPO / "eduqa").rglob("*.py"), *(REPO / "notebooks").glob("*.ipynb"),
             REPO / "README.md"]
    cited = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(\S*)METHODS(\.md)?( §([A-Z]))?", text):
            where = f"{path.relative_to(REPO)}: {match.group(0)}"
            assert match.group(1).endswith("docs/"), where
            if match.group(4):
                assert match.group(4) in sections, where
                cited.append(match.group(4))
    assert len(cited) >= 30 and set(cited) <= sections


DATA = REPO / "docs" / "DATA.md"


def _undocumented(folder: Path, text: str) -> list[str]:
    """Tables of a processed season folder, and their columns, that ``text`` does not name
    (in backticks); the question columns of the paper's tables are data, not names."""
    import pandas as pd

    missing = []
    for path in sorted(folder.iterdir()):
        table = path.name.removesuffix(".parquet")
        paper = table.split("-")[0] in ("items", "choices")
        name = f"`{path.name}`" if not paper else f"`{table.split('-')[0]}-<subject>.parquet`"
        if table.startswith("blueprint-"):
            name = "`blueprint-<subject>.parquet`"
        if name not in text:
            missing.append(path.name)
        if path.suffix != ".parquet":
            continue
        fixed = {"student_key", "school_code", "class"} if paper else None
        for column in pd.read_parquet(path).columns:
            if (fixed is None or column in fixed) and f"`{column}`" not in text:
                missing.append(f"{path.name}: {column}")
    return missing


def test_the_data_document_names_every_processed_table_and_column(built):
    """docs/DATA.md describes every file and column the clean step writes, for every demo
    season (the paper's, the teachers', the targets' included)."""
    text = DATA.read_text(encoding="utf-8")
    folders = sorted(p for p in built.processed.iterdir() if p.is_dir())
    assert len(folders) == 4
    names = {p.name for folder in folders for p in folder.iterdir()}
    assert {"items_log.parquet", "teachers.parquet", "targets.parquet"} <= names
    for folder in folders:
        assert not _undocumented(folder, text), (folder.name, _undocumented(folder, text))


def test_the_data_check_finds_an_undocumented_column(tmp_path):
    import pandas as pd

    pd.DataFrame({"student_key": ["a"], "school_code": ["1"], "mystery": [1]}).to_parquet(
        tmp_path / "students.parquet")
    assert _undocumented(tmp_path, "`students.parquet` `student_key` `school_code`") == [
        "students.parquet: mystery"]


def test_read_processed_gives_the_stored_table_and_refuses_stale_or_unknown(project):
    """The public loader equals reading the Parquet files directly; it refuses a season whose
    raw files changed since it was cleaned, and names the tables a season has."""
    import os

    import pandas as pd
    import pytest

    from eduqa.errors import EduqaError
    from eduqa.project.pipeline import read_processed, run_clean

    season = "2025-spring-g9"
    run_clean(season, project.root)
    folder = project.processed_season(season)
    scores = read_processed(season, "scores", project.root)
    direct = pd.read_parquet(folder / "scores.parquet")
    assert len(scores) == len(direct) > 0
    assert scores["score"].sum() == pytest.approx(direct["score"].sum())
    assert isinstance(scores["subject"].dtype, pd.CategoricalDtype)
    blueprint = read_processed(season, "blueprint-math", project.root)
    pd.testing.assert_frame_equal(blueprint, pd.read_parquet(folder / "blueprint-math.parquet"))
    with pytest.raises(EduqaError, match="no processed table 'marks'.*scores"):
        read_processed(season, "marks", project.root)
    with pytest.raises(EduqaError, match="no processed table"):
        read_processed(season, "../2025-spring-g6/scores", project.root)
    raw = next((project.raw / season).glob("scores.*"))
    stat = raw.stat()
    os.utime(raw, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    with pytest.raises(EduqaError, match="older than its raw files"):
        read_processed(season, "scores", project.root)


#: The public statistical functions (issue 35): each documented as numpydoc with its
#: parameters, what it returns, its published source and a runnable example (a doctest).
STATISTICAL_API = [
    "eduqa.models.cluster:cr2", "eduqa.models.cluster:randomization_gap",
    "eduqa.models.decompose:gelbach", "eduqa.models.decompose:oaxaca",
    "eduqa.models.decompose:shapley_r2", "eduqa.models.dif:mantel_haenszel",
    "eduqa.models.dif:ets_class", "eduqa.models.dif:score_strata",
    "eduqa.models.dif:dif_mantel_haenszel", "eduqa.models.irt:fit_irt",
    "eduqa.models.irt:item_characteristic_curves", "eduqa.models.linear:ols",
    "eduqa.models.multilevel:random_intercept", "eduqa.models.nested:nested_random_intercept",
    "eduqa.models.value_added:value_added", "eduqa.paper.statistics:cronbach_alpha",
    "eduqa.paper.statistics:high_low_groups", "eduqa.paper.statistics:item_statistics",
    "eduqa.paper.statistics:knowledge_point_rates", "eduqa.paper.statistics:option_shares",
    "eduqa.paper.statistics:paper_statistics",
]
SECTIONS = ("Parameters", "Returns", "References", "Examples")


def _missing_sections(function) -> list[str]:
    import inspect

    doc = inspect.getdoc(function) or ""
    missing = [s for s in SECTIONS if not re.search(rf"^{s}\n-{{{len(s)}}}$", doc, re.M)]
    examples = doc.split("Examples\n--------", 1)
    if len(examples) < 2 or ">>> " not in examples[1]:
        missing.append("a doctest")
    return missing


def test_the_public_statistical_functions_have_numpydoc_with_references_and_examples():
    """Their examples run as doctests in `make test` (pytest --doctest-modules)."""
    import importlib

    for name in STATISTICAL_API:
        module, function = name.split(":")
        assert not _missing_sections(getattr(importlib.import_module(module), function)), name


def test_the_docstring_check_finds_a_missing_reference():
    def documented():
        """A function.

        Parameters
        ----------
        x : int

        Returns
        -------
        int

        Examples
        --------
        >>> 1
        1
        """

    assert _missing_sections(documented) == ["References"]
    documented.__doc__ = documented.__doc__.replace(">>> 1\n        1", "1")
    assert _missing_sections(documented) == ["References", "a doctest"]
