"""The in-process papermill engine (eduqa.project.papermill_runner): what a notebook shows and how it fails are
the same as with a Jupyter kernel, each notebook starts from an empty namespace, and a season
built with it equals the season built with kernels."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from eduqa.project import papermill_runner

STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def _notebook(path, *sources, parameters="x = 1"):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
                  nbformat.v4.new_markdown_cell("# a note"),
                  *[nbformat.v4.new_code_cell(s) for s in sources]]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    nbformat.write(book, path)
    return path


def _run(tmp_path, source, **parameters):
    papermill_runner.register()
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(source), str(out), parameters=parameters,
                               engine_name=papermill_runner.ENGINE, progress_bar=False,
                               cwd=str(tmp_path))
    return nbformat.read(out, as_version=4)


def test_outputs_are_captured_as_a_kernel_sends_them(tmp_path):
    source = _notebook(
        tmp_path / "a.ipynb",
        "print('hello', x)",
        "from IPython.display import Markdown\nMarkdown('**bold** 中文')",
        "from matplotlib.figure import Figure\nfrom eduqa.report import plots\n"
        "with plots.style():\n    fig = Figure()\n    fig.subplots().plot([0, 1])\n"
        "from eduqa.project.season import _inline_figures\n_inline_figures()\nfig",
        "import sys\nprint('careful', file=sys.stderr)\n41 + 1")
    book = _run(tmp_path, source, x=7)
    cells = [c for c in book.cells if c.cell_type == "code"]
    assert "x = 7" in cells[1].source  # papermill injected the parameters
    assert cells[2].outputs[0].output_type == "stream" and cells[2].outputs[0].text == "hello 7\n"
    markdown = cells[3].outputs[0]
    assert markdown.output_type == "execute_result"
    assert markdown.data["text/markdown"] == "**bold** 中文"
    png = cells[4].outputs[-1].data["image/png"]
    assert isinstance(png, str) and png.startswith("iVBORw0KGgo")  # base64 of a PNG
    last = cells[5].outputs
    assert [o.output_type for o in last] == ["stream", "execute_result"]
    assert last[0].name == "stderr" and "careful" in last[0].text
    assert last[1].data["text/plain"] == "42"
    assert [c.execution_count for c in cells] == [1, 2, 3, 4, 5, 6]  # as a kernel counts


def test_a_failing_cell_stops_the_notebook_like_a_kernel(tmp_path):
    source = _notebook(tmp_path / "b.ipynb", "y = 1",
                       "from eduqa.errors import InputError\nraise InputError('bad row')",
                       "print('never')")
    with pytest.raises(PapermillExecutionError) as caught:
        _run(tmp_path, source)
    assert caught.value.ename == "InputError" and "bad row" in caught.value.evalue
    assert caught.value.cell_index == 3  # parameters, markdown, y = 1, the raise
    book = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert book.cells[-1].outputs == []  # the cell after the failure did not run
    failed = next(c for c in book.cells if "raise InputError" in c.source)
    assert failed.outputs[-1].output_type == "error"


def test_each_notebook_starts_from_an_empty_namespace(tmp_path):
    first = _notebook(tmp_path / "c.ipynb", "leftover = 1")
    _run(tmp_path, first)
    second = _notebook(tmp_path / "d.ipynb", "leftover")
    with pytest.raises(PapermillExecutionError) as caught:
        _run(tmp_path, second)
    assert caught.value.ename == "NameError"


def test_a_notebook_s_frames_are_freed_when_it_ends(tmp_path):
    """A worker that has run its notebooks holds none of their frames while it waits (at
    province scale each is gigabytes): the namespace is emptied when a notebook ends, its
    outputs kept."""
    import gc

    import pandas as pd

    source = _notebook(tmp_path / "e.ipynb", "import pandas as pd\n"
                       "big = pd.DataFrame({'sentinel_7f3': [1, 2]})", "len(big)")
    book = _run(tmp_path, source)
    assert book.cells[-1].outputs[-1].data["text/plain"] == "2"
    gc.collect()
    assert not any(isinstance(o, pd.DataFrame) and "sentinel_7f3" in o.columns
                   for o in gc.get_objects())
    assert "big" not in papermill_runner._shell().user_ns


def test_the_run_allocates_arrow_memory_with_malloc():
    """Arrow's mimalloc pool keeps memory it has freed; a run's processes use the system
    allocator (and give freed heap pages back), so a worker that dropped a large table does
    not hold on to it."""
    import pyarrow as pa

    before = pa.default_memory_pool()
    try:
        papermill_runner.allocate_plainly()
        assert pa.default_memory_pool().backend_name == "system"
        papermill_runner.give_back_memory()  # (no error where the C library has malloc_trim)
    finally:
        pa.set_memory_pool(before)


def test_engine_choice_follows_the_environment(monkeypatch):
    monkeypatch.delenv("EDUQA_ENGINE", raising=False)
    assert papermill_runner.engine_name() == papermill_runner.ENGINE
    monkeypatch.setenv("EDUQA_ENGINE", "kernel")
    assert papermill_runner.engine_name() is None  # papermill's own (kernel) engine


def _pages(folder):
    return {path.name: STAMP.sub("", path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.html"))}


@pytest.mark.slow
def test_a_season_built_in_kernels_equals_the_in_process_build(built, project):
    """Oracle: papermill's own kernel engine. Every page (figures included) and the workbook
    of one demo season are the same, but for the time stamp in the footer."""
    season = "2024-spring-g6"
    done = subprocess.run([sys.executable, "-m", "eduqa", "--project", str(project.root), "run",
                           season], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "EDUQA_ENGINE": "kernel"})
    assert done.returncode == 0, done.stderr
    kernel, in_process = project.report_season(season), built.report_season(season)
    assert _pages(kernel) == _pages(in_process)
    assert (kernel / "tables.xlsx").read_bytes() == (in_process / "tables.xlsx").read_bytes()


def test_running_a_notebook_leaves_the_process_main_module_alone(tmp_path):
    """IPython swaps its own namespace into sys.modules["__main__"]; multiprocessing's spawn
    needs the real one afterwards (a later run in this process starts worker processes)."""
    main = sys.modules["__main__"]
    _run(tmp_path, _notebook(tmp_path / "e.ipynb", "z = 2"))
    assert sys.modules["__main__"] is main
    assert hasattr(sys.modules["__main__"], "__spec__")  # not IPython's stand-in module


def test_workers_take_the_run_s_settings_not_the_fork_server_s(monkeypatch):
    """The fork server is started once per process and keeps the environment of that moment;
    each job carries the EDUQA_* settings of the run that submits it (job_environment), and
    the worker applies them — set, changed and removed ones alike."""
    from concurrent.futures import ProcessPoolExecutor

    monkeypatch.setenv("EDUQA_PROBE_OLD", "server")
    monkeypatch.delenv("EDUQA_PROBE", raising=False)
    papermill_runner.start_workers()
    monkeypatch.setenv("EDUQA_PROBE", "run")
    monkeypatch.delenv("EDUQA_PROBE_OLD")
    with ProcessPoolExecutor(1, mp_context=papermill_runner.worker_context()) as pool:
        pool.submit(papermill_runner.apply_environment, papermill_runner.job_environment()).result()
        assert pool.submit(os.getenv, "EDUQA_PROBE").result() == "run"
        assert pool.submit(os.getenv, "EDUQA_PROBE_OLD").result() is None
