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
    assert _sections(text) == set("ABCDEF")


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
