"""`init --remove-demo` and `synth` touch only the files the demo ships (issue 34, point 3):
identified by path and SHA-256 (eduqa/templates/demo_files.json); a county's own export, a
notes file in params/ and slides under reports/ are kept and listed; a link or a changed demo
file stops the command before anything is deleted; synth never overwrites a county's files."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from eduqa.cli import main
from eduqa.errors import EduqaError
from eduqa.project.scaffold import DEMO_FILES, demo_files, init_project, write_demo

from conftest import REPO


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_list_of_demo_files_is_the_repository_s():
    """Oracle: the repository's own params and raw files, hashed here. A demo file changed
    without `make demo-data` (which rewrites the list) fails here."""
    listed = json.loads(DEMO_FILES.read_text(encoding="utf-8"))
    on_disk = {p.relative_to(REPO).as_posix(): _sha(p)
               for folder in ("params", "data/raw") for p in (REPO / folder).rglob("*")
               if p.is_file() and not p.name.startswith(".")}
    assert listed == on_disk


def test_synth_writes_the_same_bytes_every_time(tmp_path):
    write_demo(tmp_path / "a")
    write_demo(tmp_path / "b")
    first = {p.relative_to(tmp_path / "a"): _sha(p) for p in (tmp_path / "a").rglob("*")
             if p.is_file()}
    assert first == {p.relative_to(tmp_path / "b"): _sha(p)
                     for p in (tmp_path / "b").rglob("*") if p.is_file()}
    # the text files as shipped (the .xlsx bytes depend on openpyxl's version: only its
    # sameness between two generations is asserted, above)
    shipped = demo_files()
    assert {f"data/raw/{p.as_posix()}": h for p, h in first.items() if p.suffix == ".csv"} == {
        k: v for k, v in shipped.items() if k.startswith("data/raw/") and k.endswith(".csv")}


def _county_files(project):
    """What a county adds to a demo project before running init --remove-demo."""
    own = {
        project.raw / "2026-spring-g6" / "2026春六年级期末成绩.xlsx": b"the county's export",
        project.params_dir / "notes.md": "会议要点".encode(),
        project.reports / "slides" / "质量分析会.pptx": b"slides",
        project.reports / "2025-spring-g6" / "校长会发言.docx.bak": b"a note",
    }
    for path, data in own.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return own


def test_remove_demo_keeps_and_lists_the_county_s_own_files(project, capsys):
    assert main(["--project", str(project.root), "run", "2025-spring-g6"]) == 0
    own = _county_files(project)
    capsys.readouterr()
    assert main(["init", str(project.root), "--county", "青山县", "--remove-demo"]) == 0
    out = capsys.readouterr().out
    for path, data in own.items():
        assert path.read_bytes() == data
        assert path.relative_to(project.root).as_posix() in out
    remaining = sorted(p.relative_to(project.root).as_posix()
                       for folder in (project.params_dir, project.raw, project.processed,
                                      project.reports)
                       for p in folder.rglob("*") if p.is_file())
    expected = sorted([p.relative_to(project.root).as_posix() for p in own]
                      + ["params/county.yaml", "data/raw/schools.csv", "data/raw/README.txt"])
    assert remaining == expected  # every demo file and every demo output gone, nothing else


def test_a_link_or_a_changed_demo_file_stops_remove_demo_before_anything_goes(project,
                                                                             tmp_path):
    before = {p: _sha(p) for p in project.root.rglob("*") if p.is_file()}
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.csv").write_text("keep me", encoding="utf-8")
    os.symlink(outside, project.raw / "linked")
    with pytest.raises(EduqaError) as caught:
        init_project(project.root, "青山县", remove_demo=True)
    assert "data/raw/linked (a link)" in str(caught.value)
    assert {p: _sha(p) for p in project.root.rglob("*") if p.is_file()
            and "linked" not in p.parts} == before
    assert (outside / "precious.csv").read_text(encoding="utf-8") == "keep me"
    (project.raw / "linked").unlink()
    staffing = project.raw / "2025-spring-g9" / "staffing.csv"
    staffing.write_text(staffing.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(EduqaError, match="staffing.csv \\(changed\\)"):
        init_project(project.root, "青山县", remove_demo=True)
    assert (project.params_dir / "county.yaml").read_text(encoding="utf-8") == (
        REPO / "params" / "county.yaml").read_text(encoding="utf-8")


def test_synth_never_overwrites_a_county_s_files(tmp_path, capsys):
    out = tmp_path / "raw"
    write_demo(out)
    roster = out / "schools.csv"
    roster.write_text("学校代码,学校名称\n4305200001,凤城一小\n", encoding="utf-8")
    before = {p: _sha(p) for p in out.rglob("*") if p.is_file()}
    assert main(["synth", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "schools.csv" in err and "不是示范县的文件" in err
    assert {p: _sha(p) for p in out.rglob("*") if p.is_file()} == before
    roster.unlink()
    assert main(["synth", "--out", str(out)]) == 0  # demo files (or none) in the way: written
