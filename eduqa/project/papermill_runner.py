"""A papermill engine that runs a notebook's cells in the worker process itself.

``eduqa run`` executes every notebook with papermill (parameters injected, the executed
notebook written when done, a failing cell raised as ``PapermillExecutionError``), but by
default not in a fresh Jupyter kernel: starting a kernel and importing pandas, matplotlib and
eduqa into it costs seconds per notebook — more than the analysis of a county season. This
engine keeps one IPython shell per worker process and runs each notebook in a new, empty
namespace of it, capturing what a kernel would send: streams, rich display data (Markdown,
HTML tables, PNG figures), the value of the last expression, and errors with their traceback.
The executed notebooks and pages are the same as with a kernel (a test compares them).

``EDUQA_ENGINE=kernel`` runs every notebook in its own kernel instead (papermill's own
nbclient engine), e.g. to debug a notebook exactly as JupyterLab runs it.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from functools import cache
from typing import Any

__all__ = ["ENGINE", "engine_name", "register", "skip_slow_imports", "warm_up",
           "allocate_plainly", "give_back_memory",
           "warm_up_imports", "worker_context", "start_workers", "job_environment",
           "apply_environment"]

#: The name this engine is registered under with papermill.
ENGINE = "eduqa-inprocess"


def engine_name() -> str | None:
    """The papermill engine a run uses: this one, or papermill's kernel engine (None) when
    ``$EDUQA_ENGINE`` is ``kernel``."""
    return None if os.environ.get("EDUQA_ENGINE", "").lower() == "kernel" else ENGINE


@cache
def register() -> None:
    """Register the engine with papermill (once per process)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE, _engine_class())


def skip_slow_imports() -> None:
    """Keep ``rfc3987_syntax`` from loading in this process. jsonschema, which nbformat
    imports, loads it only to check the "iri" string format (never used for notebooks) and
    guards the import; building its grammar takes about 3 s of every process that reads a
    notebook. Called by the ``eduqa`` command and in each worker of a run, not on import of
    eduqa."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def allocate_plainly() -> None:
    """Allocate Arrow's memory (the text columns of every frame pandas reads) with the C
    library's malloc instead of pyarrow's default mimalloc pool, which keeps memory it has
    freed: a worker that read and dropped a 16M-row table otherwise holds a few hundred MB
    more for the rest of its life. Called by :func:`eduqa.project.build.run_seasons` and in each
    worker (and the fork server it is forked from)."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def give_back_memory() -> None:
    """Free what only reference cycles hold, and return the heap's freed pages to the system
    (glibc's ``malloc_trim``; where the C library has none, only the first): after a step
    that built and dropped large frames, e.g. the clean step in the run's main process, which
    then waits while its workers hold the season."""
    import ctypes
    import gc

    gc.collect()  # (frames held in reference cycles are freed first)
    try:
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:  # pragma: no cover - a platform without a C library to load
        trim = None
    if trim is not None:
        trim(0)


def warm_up_imports() -> None:
    """The third-party imports every notebook needs, done once: in the fork server the
    workers are forked from (:func:`start_workers`), else in each worker. (eduqa's own
    modules and the report's exporter are warmed up by the report side,
    :func:`eduqa.project.build.warm_up_worker`, which calls this first: this module, the notebook
    runner, imports nothing of the report.)"""
    skip_slow_imports()
    allocate_plainly()
    import matplotlib.figure  # noqa: F401
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401
    import patsy  # noqa: F401
    import scipy.linalg  # noqa: F401
    import scipy.optimize  # noqa: F401
    import scipy.special  # noqa: F401  (t quantiles; scipy.stats is never needed, a second more)
    from matplotlib.backends import backend_agg  # noqa: F401


def warm_up(run: int | None = None, imports: str | None = None) -> None:
    """Start of a worker process: it dies with the run that started it (:func:`die_with`,
    the process ``run``), does the imports every notebook needs, once (the worker then runs
    notebooks with no import cost), and makes its IPython shell. ``imports`` names the
    function that does them, as ``"module:function"`` (by default
    :func:`warm_up_imports`); it is imported here, after :func:`skip_slow_imports`."""
    if run is not None:
        die_with(run)
    skip_slow_imports()
    if imports is None:
        warm_up_imports()
    else:
        import importlib

        module, _, function = imports.partition(":")
        getattr(importlib.import_module(module), function)()
    _shell()


def die_with(pid: int) -> None:
    """End this process (SIGKILL) as soon as process ``pid`` has ended: a notebook worker of
    an ``eduqa run`` killed with ``kill -9`` stops at once instead of writing on into the
    run's build folder. (A worker forked from the fork server is the fork server's child,
    and the fork server lives as long as any worker does, so the worker watches the run
    itself: a thread waits on a pidfd of the run, or polls it where there is none.)

    The kernels a worker starts (``EDUQA_ENGINE=kernel``) watch their parent themselves
    (ipykernel's parent poller), and the workers of the run's Dask cluster theirs
    (distributed's nanny pipe)."""
    import select
    import signal
    import threading
    import time

    from eduqa.config.storage import alive

    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)
        except (AttributeError, OSError):  # (no pidfd: poll)
            while alive(pid):
                time.sleep(0.5)
        else:
            select.select([handle], [], [])  # (readable once the process has ended)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="eduqa-die-with-run", daemon=True).start()


#: The module a worker fork server imports first (it calls
#: :func:`eduqa.project.build.warm_up_worker`).
PRELOAD = "eduqa._preload"


def worker_context():
    """The multiprocessing context of ``eduqa run``'s notebook workers.

    Where the platform has it (Linux, macOS), a fork server: one clean process, started by
    :func:`start_workers` as early as possible, imports pandas, scipy, matplotlib, nbconvert
    and eduqa once (:data:`PRELOAD`), and each worker is forked from it with all of that
    already in memory (shared, copy-on-write) — instead of every worker importing it anew,
    seconds each on a small machine. The server never holds the caller's data. Elsewhere,
    spawn (each worker starts a fresh interpreter)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    return context


def start_workers() -> None:
    """Start the workers' fork server now (it imports in the background while the caller
    cleans and checks the seasons); a no-op where there is none, or when it is running."""
    if worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def job_environment() -> dict[str, str]:
    """The ``EDUQA_*`` settings of this process, for :func:`apply_environment` in a worker: a
    worker takes them from the run that submits the job (a fork server started earlier in the
    same process would otherwise hand its workers a stale copy)."""
    return {k: v for k, v in os.environ.items() if k.startswith("EDUQA_")}


def apply_environment(settings: dict[str, str]) -> None:
    """Make this worker's ``EDUQA_*`` settings exactly ``settings``."""
    for key in [k for k in os.environ if k.startswith("EDUQA_") and k not in settings]:
        del os.environ[key]
    os.environ.update(settings)


def _encoded(data: dict) -> dict:
    """Display data as a kernel sends it: binary formats (PNG) base64-encoded text."""
    return {key: base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
            for key, value in data.items()}


_SHELL = None


def _shell():
    """The worker's IPython shell (made once), its outputs collected into ``shell.outputs``."""
    global _SHELL
    if _SHELL is not None:
        return _SHELL
    import nbformat
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False,
                    **kwargs):
            self.shell.outputs.append(nbformat.v4.new_output(
                "display_data", data=_encoded(data), metadata=metadata or {}))

        def clear_output(self, wait=False):
            self.shell.outputs.clear()

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            shell: Any = self.shell  # (always set: the hook belongs to the shell below)
            shell.outputs.append(nbformat.v4.new_output(
                "execute_result", data=_encoded(format_dict), metadata=md_dict or {},
                execution_count=shell.execution_count))

        def finish_displayhook(self):
            pass

    class Shell(InteractiveShell):
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)
        outputs: list = []

        def enable_gui(self, gui=None):
            pass  # figures are inline: no event loop to start

        def _showtraceback(self, etype, evalue, stb):
            self.outputs.append(nbformat.v4.new_output(
                "error", ename=etype.__name__, evalue=str(evalue), traceback=list(stb)))

    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # no history database is written
    main = sys.modules.get("__main__")
    try:
        _SHELL = Shell.instance(config=config, colors="nocolor", cache_size=0)
    finally:  # IPython puts its namespace in sys.modules["__main__"]: multiprocessing (spawn)
        _restore_main(main)  # needs the real one, with its __spec__
    _SHELL.outputs = []
    return _SHELL


def _restore_main(main) -> None:
    if main is not None:
        sys.modules["__main__"] = main


def _stream(name: str, text: str) -> list:
    import nbformat

    return [nbformat.v4.new_output("stream", name=name, text=text)] if text else []


def _engine_class():
    from papermill.engines import Engine

    return type("InProcessEngine", (InProcessEngine, Engine), {})


class InProcessEngine:
    """papermill engine: the cells run in this process's IPython shell, one notebook at a
    time, each in a fresh namespace (and with eduqa's per-kernel caches emptied first, so a
    notebook reads its data as a new kernel would)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        from eduqa import caches

        shell = _shell()
        main = sys.modules.get("__main__")
        shell.reset(new_session=True)
        caches.forget_all()  # (e.g. the seasons eduqa.project.season has opened)
        # papermill writes the whole notebook at every cell's start and end (so a kernel's
        # progress can be watched); here it is written once, when papermill completes it —
        # a failed cell included. The rewrites cost a second per large notebook.
        nb_man.save = lambda **kwargs: None
        try:  # (papermill has already moved into the notebook's folder)
            for index, cell in enumerate(nb_man.nb.cells):
                nb_man.cell_start(cell, index)
                try:
                    if cell.cell_type != "code":
                        continue
                    shell.outputs = []
                    out, err = io.StringIO(), io.StringIO()
                    with redirect_stdout(out), redirect_stderr(err):
                        result = shell.run_cell(cell.source, store_history=True)
                    cell.execution_count = shell.execution_count - 1
                    streams = _stream("stdout", out.getvalue()) + _stream("stderr",
                                                                           err.getvalue())
                    cell.outputs = streams + shell.outputs
                    if not result.success:
                        nb_man.cell_exception(cell, cell_index=index)
                        break
                finally:
                    nb_man.cell_complete(cell, cell_index=index)
        finally:
            shell.outputs = []
            _restore_main(main)
            del nb_man.save  # papermill's own again, for its final write
            # the cells' frames freed now (their outputs are kept as text and images), not
            # when the next notebook starts: an idle worker holds only the open season
            shell.reset(new_session=True)
            give_back_memory()
        nb_man.nb.metadata["language_info"] = {
            "name": "python", "version": sys.version.split()[0], "mimetype": "text/x-python",
            "file_extension": ".py", "codemirror_mode": {"name": "ipython", "version": 3},
            "nbconvert_exporter": "python", "pygments_lexer": "ipython3"}
        return nb_man.nb
