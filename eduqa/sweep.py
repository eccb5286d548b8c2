"""The county-shape sweep: every shape of :mod:`eduqa.shapes` validated and run as a new user
would, and its outputs checked for the properties every county's report must have.

For each shape: ``eduqa validate --all`` then, when it passes, ``eduqa run --all``, each in
its own process (as the office runs them). The properties:

- no traceback and no internal error, ever (exit 0, or 2 with a plain message);
- ``validate`` passes exactly when the shape's input is valid (two schools of one name that
  the export cannot tell apart must be refused, naming the name);
- when ``validate`` passes, ``run`` succeeds;
- in every page's visible text, every paragraph of the Word report and every cell of the
  workbook: no ``nan``, ``NaN``, ``inf``, ``None``, ``True`` or ``False``, no Boolean or
  non-finite cell value;
- no page title, heading or Word title is the score export's file name;
- no direction word is followed by a negative amount (「高 -0.3」, 「提高了-2」).

``python -m eduqa.sweep N`` (``make sweep``) runs N shapes and prints one line each and a
summary; ``tests/test_sweep.py`` runs a sample of them.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from eduqa.catalog import say
from eduqa.catalog.vocabulary import INTERNAL_ERROR_MARKERS, WRONG_DIRECTION
from eduqa.shapes import CountyShape, draw_shape, write_shape_project
from eduqa.synth.shapes import SHARED_NAME

__all__ = ["ShapeResult", "run_shape", "page_text", "violations_in_text", "check_outputs",
           "main"]

#: words that must never stand in a report where a value or a name belongs
_BAD_TOKEN = re.compile(r"(?<![A-Za-z_])(nan|NaN|NAN|inf|-inf|Infinity|None|True|False)"
                        r"(?![A-Za-z_])")
#: a direction word followed by a negative amount
_WRONG_DIRECTION = WRONG_DIRECTION


@dataclass
class ShapeResult:
    """What one shape gave: exit codes, seconds, and every property violation found."""

    seed: int
    description: str
    validate_exit: int | None = None
    run_exit: int | None = None
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)
    validate_message: str = ""

    @property
    def ok(self) -> bool:
        return not self.violations


def page_text(page: str) -> str:
    """The visible text of an HTML page: no scripts, styles, tags or embedded images."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def violations_in_text(text: str, where: str) -> list[str]:
    """Bad tokens and wrong-direction phrases in ``text`` (each with its context)."""
    found = []
    for pattern, kind in ((_BAD_TOKEN, "bad token"), (_WRONG_DIRECTION, "direction")):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 30), match.end() + 30
            context = " ".join(text[start:end].split())
            found.append(f"{where}: {kind} {match.group(0)!r} in “{context}”")
    return found


def _footer_free(text: str) -> str:
    """The page without its provenance footer (it lists the parameters as written, where
    ``None`` is the literal YAML of an empty setting, and the input files by name)."""
    for marker in (say("project.build.words.version", "zh"),
                   say("project.build.words.version", "en"), "Provenance"):
        at = text.find(marker)
        if at >= 0:
            return text[:at]
    return text


def check_outputs(reports: Path, export_file: str) -> list[str]:
    """Every property violation in a season's outputs (pages, Word report, workbook)."""
    found: list[str] = []
    stem = Path(export_file).stem
    # the season's pages and documents, and each school's own (校本报告, in schools/)
    for page in sorted([*reports.glob("*.html"), *reports.glob("schools/*.html")]):
        raw = page.read_text(encoding="utf-8")
        text = _footer_free(page_text(raw))
        found += violations_in_text(text, page.name)
        heads = re.findall(r"<(title|h1)\b[^>]*>(.*?)</\1>", raw, flags=re.S | re.I)
        for _, head in heads:
            if stem and stem in page_text(head):
                found.append(f"{page.name}: the export's file name as a title: {head!r}")
    # (the schools' documents hold their pages' sentences: a few are read, for the format)
    for document in sorted([*reports.glob("*.docx"), *sorted(reports.glob("schools/*.docx"))[:3]]):
        from docx import Document

        word = Document(str(document))
        paragraphs = [p.text for p in word.paragraphs]
        for table in word.tables:
            paragraphs += [cell.text for row in table.rows for cell in row.cells]
        found += violations_in_text(_footer_free("\n".join(paragraphs)), document.name)
        title = next((p for p in paragraphs if p.strip()), "")
        if stem and stem in title:
            found.append(f"{document.name}: the export's file name as the title: {title!r}")
    below = _suppress_below(reports)
    for book in sorted(reports.glob("*.xlsx")):
        found += _workbook_violations(book, below)
    return found


def _suppress_below(reports: Path) -> int:
    """The ``suppress_below`` of the project whose season report is ``reports``."""
    import yaml

    county = reports.parent.parent / "params" / "county.yaml"
    try:
        data = yaml.safe_load(county.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        data = {}
    value = data.get("suppress_below", 5) if isinstance(data, dict) else 5
    return value if isinstance(value, int) else 5


def _small_rows_shown(sheet: str, rows: list, below: int, where: str) -> list[str]:
    """Rows of a sheet whose pupil count is below ``below`` but which show a figure."""
    from eduqa.config.labels import label
    from eduqa.indicators.privacy import DESCRIPTORS, PUPIL_COUNTS

    if not rows:
        return []
    header = [str(h) for h in rows[0]]
    if {label("score_band", "zh"), label("score_band", "en")} & set(header):
        return []  # (a frequency table: a band's count is shown however small)
    counts = {label(c, language) for c in PUPIL_COUNTS for language in ("zh", "en")}
    kept = {label(c, language) for c in DESCRIPTORS for language in ("zh", "en")}
    positions = [i for i, h in enumerate(header) if h in counts]
    found = []
    for number, row in enumerate(rows[1:], start=2):
        small = any(isinstance(row[i], (int, float)) and row[i] < below for i in positions)
        if small and any(v not in (None, "", "—") for h, v in zip(header, row)
                         if h not in kept):
            found.append(f"{where}!{sheet} row {number}: a figure from fewer than {below} "
                         f"pupils: {row}")
    return found


def _workbook_violations(book: Path, below: int = 5) -> list[str]:
    import math

    import openpyxl

    found = []
    workbook = openpyxl.load_workbook(book, read_only=True)
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        found += _small_rows_shown(sheet.title, rows, below, book.name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                where = f"{book.name}!{sheet.title} row {r} col {c}"
                if isinstance(value, bool):
                    found.append(f"{where}: a Boolean cell {value}")
                elif isinstance(value, float) and not math.isfinite(value):
                    found.append(f"{where}: a non-finite cell {value}")
                elif isinstance(value, str) and _BAD_TOKEN.fullmatch(value.strip()):
                    found.append(f"{where}: bad token {value!r}")
    workbook.close()
    return found


def _eduqa(root: Path, *words: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """``eduqa WORDS`` on the project at ``root`` (:func:`run_in_session`)."""
    environment = {**os.environ, "EDUQA_SALT": "sweep-key-0123456789", "EDUQA_LANG": "zh"}
    environment.pop("EDUQA_DEMO_KEY", None)
    return run_in_session([sys.executable, "-m", "eduqa", "--project", str(root), *words],
                          environment, timeout)


def run_in_session(command: list[str], environment: dict[str, str],
                   timeout: float) -> subprocess.CompletedProcess:
    """``command`` in a session of its own: past ``timeout`` seconds the whole session (the
    command, its notebook workers, their children) is killed and the run reported as timed
    out (exit -9), so a hung run never stalls the sweep (a plain ``subprocess.run`` would wait
    on pipes still held open by its grandchildren)."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=environment, start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            try:
                out, err = process.communicate(timeout=30)
            except subprocess.TimeoutExpired:  # a kernel of another session holds the pipes
                process.kill()
                out, err = "", ""
            return subprocess.CompletedProcess(command, -9, out,
                                               f"{err}\ntimed out after {timeout} s")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _plain(done: subprocess.CompletedProcess, step: str) -> list[str]:
    """Violations of the 'plain message' property by one command."""
    found = []
    if "Traceback" in done.stderr or "Traceback" in done.stdout:
        found.append(f"{step}: a traceback: {done.stderr[-800:]}")
    if done.returncode not in (0, 2) or any(marker in done.stderr
                                            for marker in INTERNAL_ERROR_MARKERS):
        found.append(f"{step}: exit {done.returncode}: {done.stderr[-800:]}")
    return found


def run_shape(shape: CountyShape | int, workdir: str | Path | None = None,
              notebooks: str | Path | None = None) -> ShapeResult:
    """Write ``shape`` (or the shape of that seed) as a project, validate and run it, and check
    the properties. The project is made in ``workdir`` (a temporary folder by default)."""
    shape = draw_shape(shape) if isinstance(shape, int) else shape
    result = ShapeResult(seed=shape.seed, description=shape.describe())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        written = write_shape_project(Path(folder) / "county", shape, notebooks=notebooks)
        checked = _eduqa(written.root, "validate", "--all")
        result.validate_exit = checked.returncode
        result.validate_message = checked.stderr.strip()[-2000:]
        result.violations += _plain(checked, "validate")
        if checked.returncode == 0 and not shape.expect_valid:
            result.violations.append("validate passed two same-named schools that the export "
                                     "cannot tell apart")
        if checked.returncode != 0 and shape.expect_valid:
            result.violations.append(f"validate refused a valid county: {checked.stderr[-800:]}")
        if checked.returncode != 0 and not shape.expect_valid and (
                SHARED_NAME not in checked.stderr):
            result.violations.append(f"the refusal does not name the shared school name: "
                                     f"{checked.stderr[-400:]}")
        if checked.returncode == 0:
            done = _eduqa(written.root, "run", "--all")
            result.run_exit = done.returncode
            result.violations += _plain(done, "run")
            if done.returncode != 0:
                result.violations.append(f"run failed after validate passed: "
                                         f"{done.stderr[-800:]}")
            else:
                reports = written.root / "reports" / written.season
                result.violations += check_outputs(reports, written.export_file)
    result.seconds = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    """``python -m eduqa.sweep [N] [FIRST]``: run shapes FIRST … FIRST+N−1 (default 200 from
    0), print a line per shape and the totals; exit 1 when any property is violated."""
    args = list(sys.argv[1:] if argv is None else argv)
    n = int(args[0]) if args else 200
    first = int(args[1]) if len(args) > 1 else 0
    repo = Path(__file__).resolve().parents[1]
    notebooks = repo / "notebooks" if (repo / "notebooks").is_dir() else None
    results = []
    started = time.perf_counter()
    for seed in range(first, first + n):
        result = run_shape(seed, notebooks=notebooks)
        results.append(result)
        status = "ok" if result.ok else f"{len(result.violations)} violation(s)"
        print(f"shape {seed:4d} {result.seconds:6.1f} s validate={result.validate_exit} "
              f"run={result.run_exit} {status}: {result.description}", flush=True)
        for violation in result.violations[:10]:
            print(f"    {violation}", flush=True)
    bad = [r for r in results if not r.ok]
    tracebacks = sum(any("traceback" in v or "exit " in v for v in r.violations)
                     for r in results)
    ran = sum(r.run_exit == 0 for r in results)
    refused = sum(r.validate_exit == 2 for r in results)
    print(f"\n{n} shapes in {time.perf_counter() - started:.0f} s: {ran} ran, {refused} refused "
          f"by validate, {tracebacks} with a traceback or internal error, {len(bad)} with a "
          f"property violation ({sum(len(r.violations) for r in results)} violations)")
    return 1 if bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
