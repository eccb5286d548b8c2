"""The declared data flow from the notebooks to the report (eduqa.project.manifest): tables and findings
go through named files that the manifest declares, and a renamed or missing one is an error
naming it — never a sheet or a landing-page finding that silently disappears."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from eduqa.project import manifest
from eduqa.project.manifest import OUTPUTS, ManifestError, collect, publish
from eduqa.text import narrative


def _tables(notebook: str) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame({"school_code": ["4301", "4302"], "value": [i + 0.5, np.nan]})
            for i, name in enumerate(OUTPUTS[notebook].tables)}


def test_publish_and_collect_keep_every_value_and_the_declared_order(tmp_path):
    tables = _tables("04-trends")
    odd = pd.DataFrame({"flag": pd.array([True, None], dtype="boolean"),
                        "rank": pd.array([1, None], dtype="Int64"), "name": ["甲", None],
                        "mean": [1 / 3, 2e-12], 2024: ["a", "b"]})
    tables["value_added"] = odd
    publish(tmp_path, "04-trends", dict(reversed(list(tables.items()))))  # any order in
    findings = dict.fromkeys(OUTPUTS["02-indicators"].findings)
    findings["gap"] = "乡村学校学生总分平均比城区学校低 3.0 分。"
    publish(tmp_path, "02-indicators", _tables("02-indicators"), findings)
    out, sentences = collect(tmp_path, ["01-clean", "02-indicators", "04-trends"])
    assert list(out) == [*OUTPUTS["02-indicators"].tables, *OUTPUTS["04-trends"].tables]
    back = out["value_added"]
    assert back.columns.tolist() == ["flag", "rank", "name", "mean", "2024"]
    assert back["flag"].tolist()[0] is True and pd.isna(back["flag"][1])
    assert str(back["rank"].dtype) == "Int64" and back["mean"].tolist() == [1 / 3, 2e-12]
    assert sentences == [findings["gap"]]  # findings that say nothing (None) are left out
    assert out.rows("value_added") == 2 and out.rows("county_subjects") == 2
    assert len(out) == len(list(out))
    pd.testing.assert_frame_equal(out["county_trend"], tables["county_trend"])
    out.discard()
    assert not (tmp_path / manifest.FOLDER).exists()  # the hand-over folder is removed


def test_published_tables_are_read_when_used_and_small_to_hand_over(tmp_path):
    import pickle

    big = {name: pd.DataFrame({"school_code": [f"{i:06d}" for i in range(20_000)],
                               "value": np.arange(20_000) / 7})
           for name in OUTPUTS["04-trends"].tables}
    publish(tmp_path, "04-trends", big)
    out, _ = collect(tmp_path, ["04-trends"])
    assert len(pickle.dumps(out)) < 2_000  # paths, not frames, go to the workbook's process
    assert out.rows("school_change") == 20_000
    later = pd.DataFrame({"school_code": ["4309"], "value": [9.5]})
    later.to_parquet(tmp_path / manifest.FOLDER / "04-trends" / "school_change.parquet")
    pd.testing.assert_frame_equal(out["school_change"], later)  # read when asked for, not before
    pd.testing.assert_frame_equal(out["value_added"], big["value_added"])


def test_a_renamed_table_is_an_error_naming_both_names(tmp_path):
    tables = _tables("04-trends")
    tables["school_changes"] = tables.pop("school_change")
    with pytest.raises(ManifestError) as caught:
        publish(tmp_path, "04-trends", tables)
    message = str(caught.value)
    assert "school_change" in message and "school_changes" in message and "04-trends" in message
    assert not (tmp_path / manifest.FOLDER).exists()  # nothing half-published
    with pytest.raises(ManifestError, match="findings"):  # a finding not declared
        publish(tmp_path, "04-trends", _tables("04-trends"), {"gap": "…"})
    with pytest.raises(ManifestError, match="not declared"):
        publish(tmp_path, "05-extra", {})


def test_a_table_the_notebook_did_not_publish_is_an_error_naming_it(tmp_path):
    publish(tmp_path, "04-trends", _tables("04-trends"))
    (tmp_path / manifest.FOLDER / "04-trends" / "target_trend.parquet").unlink()
    with pytest.raises(ManifestError, match="04-trends did not publish target_trend"):
        collect(tmp_path, ["04-trends"])
    with pytest.raises(ManifestError, match="02-indicators did not publish county_subjects"):
        collect(tmp_path, ["02-indicators"])  # never published at all


def test_findings_file_is_plain_json_in_the_declared_order(tmp_path):
    findings = {name: f"句子 {name}" for name in reversed(OUTPUTS["03-attribution"].findings)}
    publish(tmp_path, "03-attribution", _tables("03-attribution"), findings)
    saved = json.loads((tmp_path / manifest.FOLDER / "03-attribution" / "findings.json")
                       .read_text(encoding="utf-8"))
    assert list(saved) == list(OUTPUTS["03-attribution"].findings)


def test_every_finding_belongs_to_exactly_one_notebook():
    declared = [f for outputs in OUTPUTS.values() for f in outputs.findings]
    assert sorted(declared) == sorted(narrative.FINDING_NAMES)
    tables = [t for outputs in OUTPUTS.values() for t in outputs.tables]
    assert len(tables) == len(set(tables))
    with pytest.raises(ValueError, match="unknown findings"):
        narrative.findings({}, ["weather"])


def test_findings_split_by_notebook_read_as_the_whole():
    """A notebook's findings from its own tables (with context) equal the sentences the whole
    set of tables gives, in the landing-page order."""
    tables = {
        "county_subjects": pd.DataFrame({"subject": ["chinese", "math", "total"],
                                         "score_rate": [0.70, 0.55, 0.60],
                                         "pass_rate": [0.8, 0.5, 0.6]}),
        "gap_means": pd.DataFrame({"subject": ["total"], "category": ["rural"], "gap": [-12.0],
                                   "gap_sd": [-0.2], "gap_sd_low": [-0.35],
                                   "gap_sd_high": [-0.05], "ci_low": [-20.0], "ci_high": [-4.0],
                                   "n_schools": [1]}),
        "school_effects": pd.DataFrame({"flag": ["above", "as_expected"]}),
    }
    whole = narrative.headline_findings(tables)
    first = narrative.findings({k: tables[k] for k in ("county_subjects", "gap_means")},
                               OUTPUTS["02-indicators"].findings)
    second = narrative.findings({"school_effects": tables["school_effects"]},
                                OUTPUTS["03-attribution"].findings,
                                context={"gap_means": tables["gap_means"]})
    parts = {**first, **second}
    assert [parts[n] for n in narrative.FINDING_NAMES if parts[n]] == whole
    assert "乡村学校学生总分平均比城区学校高 12.0 分" in parts["gap"]  # rural ahead here


@pytest.mark.slow
def test_a_run_whose_notebook_renames_a_table_fails_naming_it(project):
    """Rename one table in the 02 notebook: the run stops with the notebook, the cell and both
    names, and no report is written."""
    for extra in ("03-attribution", "04-trends", "05-paper"):  # 01 and 02 are enough to show it
        (project.notebooks / f"{extra}.ipynb").unlink()
    path = project.notebooks / "02-indicators.ipynb"
    text = path.read_text(encoding="utf-8")
    assert text.count('\\"gap_means\\": gap_means') == 1
    path.write_text(text.replace('\\"gap_means\\": gap_means', '\\"gap_mean\\": gap_means'),
                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "eduqa", "--project", str(project.root),
                           "--lang", "en", "run", "2024-spring-g6"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    message = done.stdout + done.stderr
    assert "02-indicators" in message and "gap_means" in message and "gap_mean" in message
    assert "Traceback" not in message
    assert not (project.reports / "2024-spring-g6").exists()
