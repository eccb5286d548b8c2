"""The declared outputs of the notebooks: which named tables and findings each one hands to the
season's report.

Notebooks run side by side (in worker processes, or kernels); none writes the workbook, the
landing page or the Word report itself. Each ends with :func:`publish`, which writes its tables (Parquet) and
its findings (JSON) under ``<report>/_outputs/<notebook>/``; :func:`collect` then takes
exactly the names declared in :data:`OUTPUTS`, in that order, and nothing else (each table
read when it is used). A notebook that publishes a name not declared here, or leaves a
declared one out, is a clear error naming the notebook and the table — a renamed table can no longer drop a sheet or a finding silently.

Adding a table to the report: add its name to the notebook's entry below, publish it from the
notebook, and give it a label in :mod:`eduqa.config.labels`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from eduqa.catalog import say
from eduqa.errors import EduqaError
from eduqa.text.narrative import FINDING_NAMES

__all__ = ["OUTPUTS", "FINDINGS", "Outputs", "ManifestError", "Published", "publish", "collect"]

FOLDER = "_outputs"


@dataclass(frozen=True)
class Outputs:
    """What one notebook publishes: its tables (workbook sheets, in order) and the landing
    page findings it computes (each a sentence, or None when the season has nothing to say)."""

    tables: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()


#: Every notebook's declared outputs, by notebook name (file stem).
OUTPUTS: dict[str, Outputs] = {
    "01-clean": Outputs(),
    "02-indicators": Outputs(
        tables=("county_subjects", "county_comparison", "school_total", "school_subjects",
                "township_table", "urban_rural_table", "gap_means", "gap_rates", "bands",
                "score_lines", "subject_balance", "cv_scores", "cv_resources",
                "staffing_schools", "staffing_groups", "staffing_subjects", "targets",
                "near_lines", "class_total", "class_subjects", "parallel_classes", "tier_table",
                "class_near"),
        findings=("change", "weakest", "gap", "balance", "tiers", "small")),
    "03-attribution": Outputs(
        tables=("models", "coefficients", "gelbach_table", "oaxaca_table", "shapley_table",
                "school_effects", "variance_levels", "teacher_table"),
        findings=("staffing", "effects")),
    "04-trends": Outputs(
        tables=("county_trend", "school_change", "value_added", "target_trend")),
    "05-paper": Outputs(
        tables=("paper_summary", "question_table", "option_table", "knowledge_points",
                "ability_levels", "knowledge_townships", "knowledge_schools",
                "knowledge_classes", "dif_table", "question_schools", "irt_fit", "irt_items",
                "irt_graded")),
}

#: The order of the findings on the landing page and in the Word report.
FINDINGS: tuple[str, ...] = FINDING_NAMES


class ManifestError(EduqaError):
    """A notebook's outputs do not match what :data:`OUTPUTS` declares."""


def _declared(notebook: str) -> Outputs:
    if notebook not in OUTPUTS:
        raise ManifestError.of("project.manifest.not_declared", notebook=notebook)
    return OUTPUTS[notebook]


def _check_names(notebook: str, kind: str, given: Sequence[str], declared: Sequence[str]) -> None:
    extra = [n for n in given if n not in declared]
    missing = [n for n in declared if n not in given]
    if not (extra or missing):
        return
    parts = {language: [say(f"project.manifest.{part}", language, names=names,
                            what=say(f"project.manifest.{kind}", language))
                        for part, names in (("declared_not_published", missing),
                                            ("published_not_declared", extra)) if names]
             for language in ("zh", "en")}
    texts = {language: say("project.manifest.mismatch", language, notebook=notebook, kind=kind,
                           one=kind[:-1], what=say(f"project.manifest.{kind}", language),
                           parts=parts[language]) for language in ("zh", "en")}
    raise ManifestError(texts["en"], zh=texts["zh"])


def publish(output_dir: str | Path, notebook: str, tables: Mapping[str, pd.DataFrame],
            findings: Mapping[str, str | None] | None = None) -> None:
    """Hand a notebook's tables and findings to the season's report.

    The names must be exactly those :data:`OUTPUTS` declares for ``notebook`` (checked also in
    an interactive run); the files go to ``<output_dir>/_outputs/<notebook>/``. Nothing is
    written when ``output_dir`` is empty (a notebook opened by hand)."""
    outputs = _declared(notebook)
    findings = dict(findings or {})
    _check_names(notebook, "tables", list(tables), outputs.tables)
    _check_names(notebook, "findings", list(findings), outputs.findings)
    if not output_dir:
        return
    folder = Path(output_dir) / FOLDER / notebook
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in outputs.tables:
        _write_table(tables[name], folder / f"{name}.parquet")
    (folder / "findings.json").write_text(
        json.dumps({n: findings[n] for n in outputs.findings}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    from eduqa.config.storage import READ_DIGESTS

    # the processed data this notebook's process read, by folder, with its digest
    (folder / DIGESTS_FILE).write_text(json.dumps(READ_DIGESTS, indent=1, sort_keys=True),
                                       encoding="utf-8")


#: Beside a notebook's published tables: the digests of the processed data it read.
DIGESTS_FILE = "digests.json"


def read_digests(output_dir: str | Path, notebooks: Sequence[str]) -> dict[str, dict]:
    """Per notebook, the digests of the processed data it read (folder → digest), as
    :func:`publish` recorded them ({} for a notebook that recorded none)."""
    out = {}
    for notebook in notebooks:
        path = Path(output_dir) / FOLDER / notebook / DIGESTS_FILE
        try:
            out[notebook] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            out[notebook] = {}
    return out


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    frame.to_parquet(path)


class Published(Mapping):
    """The tables the notebooks published, by name in the declared order, each read from its
    Parquet file when asked for (and not kept): the workbook and the Word report take them one
    at a time, so a national season's class and school tables are never all in memory, and
    the mapping is small to hand to another process. :meth:`discard` removes the files."""

    def __init__(self, root: Path, files: Mapping[str, Path]):
        self.root, self._files = Path(root), dict(files)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self._files[name])

    def __iter__(self):
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def rows(self, name: str) -> int:
        """The rows of table ``name``, from its file's metadata (nothing read)."""
        import pyarrow.parquet as pq

        return pq.ParquetFile(self._files[name]).metadata.num_rows

    def discard(self) -> None:
        """Remove the hand-over folder (the tables can no longer be read)."""
        shutil.rmtree(self.root, ignore_errors=True)


def collect(output_dir: str | Path, notebooks: Sequence[str]) -> tuple[Published, list[str]]:
    """The tables (:class:`Published`: declared order, notebook by notebook, read when used)
    and the findings (in :data:`FINDINGS` order, those that are not None) the ``notebooks``
    published. A declared table or findings file that is missing is a
    :class:`ManifestError` naming the notebook and the name. The caller removes the
    ``_outputs`` folder with :meth:`Published.discard` once it has used the tables."""
    root = Path(output_dir) / FOLDER
    files: dict[str, Path] = {}
    findings: dict[str, str | None] = {}
    for notebook in notebooks:
        outputs = OUTPUTS.get(notebook)  # a notebook of the user's own publishes nothing
        folder = root / notebook
        if outputs is None or not (outputs.tables or outputs.findings):
            continue
        missing = [n for n in outputs.tables if not (folder / f"{n}.parquet").is_file()]
        if missing or not (folder / "findings.json").is_file():
            raise ManifestError.of("project.manifest.not_published", notebook=notebook,
                                   names=list(missing) or ["findings.json"])
        for name in outputs.tables:
            files[name] = folder / f"{name}.parquet"
        saved = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        _check_names(notebook, "findings", list(saved), outputs.findings)
        findings.update(saved)
    return Published(root, files), [text for n in FINDINGS if (text := findings.get(n))]
