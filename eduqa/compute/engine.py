"""The compute engine of a run: pandas in this process (the default), or a Dask cluster.

A county or a city fits in one process, and pandas is the fastest way to compute it. A
province's 中考 or a national monitoring programme does not: with ``engine: dask`` (in
``params/county.yaml``) or ``eduqa run --engine dask``, a season's long tables are read as
Dask DataFrames, one partition per part of the processed Parquet (each part holds whole
schools), and eduqa's statistics are computed partition by partition on a
``dask.distributed`` cluster and reduced there (:mod:`eduqa.indicators.partitioned`).

- Without a scheduler address, ``eduqa run`` starts a ``LocalCluster`` on this machine (one
  worker process per core unless ``dask.workers`` says otherwise) for the length of the run.
- With one (``--scheduler tcp://host:8786`` or ``dask.scheduler``), the run uses that cluster:
  Kubernetes, YARN, SLURM or SSH deployments of ``dask.distributed`` all give such an address.
  Its workers must have eduqa installed and see the project folder at the same path.

The notebooks run as before; their parameters cell records the engine that ran. A statistic
that has no partition-wise form yet gathers the table into the notebook's process first
(:func:`local`), so every page is the same with either engine.

Dask is imported only when the Dask engine is used: a pandas run never pays for it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from eduqa.catalog import say
from eduqa.config.settings import ENGINES, EngineSettings
from eduqa.errors import ClusterError, EduqaError

__all__ = ["ENGINE_VARIABLE", "SCHEDULER_VARIABLE", "TLS_VARIABLES", "Running", "is_dask",
           "chosen", "cluster", "preflight", "client",
           "local", "by_part", "remembered", "known", "remember", "forget", "describe"]

#: Environment variables by which ``eduqa run`` hands the engine and the scheduler's address
#: to the processes that run the notebooks.
ENGINE_VARIABLE = "EDUQA_COMPUTE"
SCHEDULER_VARIABLE = "EDUQA_SCHEDULER"
#: How long a named scheduler may take to answer before the run stops with an error.
CONNECT_TIMEOUT = "20s"


def is_dask(frame) -> bool:
    """True for a Dask collection (without importing Dask for anything else)."""
    return type(frame).__module__.split(".")[0] in ("dask", "dask_expr")


def chosen(settings: EngineSettings, engine: str | None = None,
           scheduler: str | None = None, *, insecure: bool = False,
           dashboard: bool = False) -> EngineSettings:
    """``settings`` (county.yaml) with the engine and scheduler given on the command line,
    when given. A scheduler address implies the Dask engine. ``insecure`` accepts a plain
    ``tcp://`` scheduler; ``dashboard`` serves Dask's HTTP pages (on 127.0.0.1) from the
    run's own cluster."""
    if engine is not None and engine not in ENGINES:
        raise EduqaError.of("compute.engine.chosen.unknown_engine_use_pandas", engine=engine)
    if scheduler:
        if engine == "pandas":
            raise EduqaError.of("compute.engine.chosen.scheduler_address_dask_cluster")
        settings = replace(settings, engine="dask", scheduler=scheduler)
    if engine is not None:
        settings = replace(settings, engine=engine)
    return replace(settings, insecure=insecure, dashboard=dashboard)


#: The run's cluster speaks TLS with a certificate authority and keys made for the run
#: (distributed's ``Security.temporary()``, held in memory only); the processes that run the
#: notebooks get them, and a named cluster's credential files, in these variables. A client
#: without them is refused.
TLS_VARIABLES = {"ca": "EDUQA_DASK_TLS_CA", "cert": "EDUQA_DASK_TLS_CERT",
                 "key": "EDUQA_DASK_TLS_KEY"}
#: "1" when the run started its cluster itself (its memory setting is ``dask.memory_limit``).
OWN_VARIABLE = "EDUQA_DASK_OWN"
#: Seconds a computation waits while the cluster has no worker (``dask.workers_timeout``).
TIMEOUT_VARIABLE = "EDUQA_DASK_WORKERS_TIMEOUT"
#: Every listener of a LocalCluster: this machine only.
LOOPBACK = "127.0.0.1"


def _http_routes(dashboard: bool) -> dict:
    """Dask configuration for the HTTP service of the scheduler and the workers: without
    ``--dashboard`` it serves nothing (no ``/info``, ``/metrics``, ``/eventstream`` …); it
    always listens on 127.0.0.1 only (Dask starts the listener in every case)."""
    if dashboard:
        return {}
    return {"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []}


def _local_cluster(settings: EngineSettings, security):
    import logging

    import dask
    from distributed import LocalCluster

    workers = settings.workers or max(1, os.cpu_count() or 1)
    with dask.config.set(_http_routes(settings.dashboard)):
        return LocalCluster(n_workers=workers, threads_per_worker=settings.threads_per_worker,
                            processes=True, memory_limit=settings.memory_limit,
                            host=LOOPBACK, protocol="tls", security=security,
                            dashboard_address=f"{LOOPBACK}:0",
                            worker_dashboard_address=f"{LOOPBACK}:0",
                            silence_logs=logging.ERROR, env=dict(WORKER_ENVIRONMENT))


#: Set in each worker of a LocalCluster (README: give a cluster's workers the same): Arrow
#: allocates with the C library's malloc, which gives memory back, rather than its default
#: pool, which keeps what it has freed — a worker that has read a few parts would otherwise
#: hold hundreds of MB more for the rest of the run (as :func:`eduqa.project.papermill_runner.allocate_plainly`
#: does in eduqa's own processes).
WORKER_ENVIRONMENT = {"ARROW_DEFAULT_MEMORY_POOL": "system"}


def _client_security(ca: str, cert: str, key: str):
    """A ``distributed.Security`` for a client with these credentials (PEM text or paths)."""
    from distributed import Security

    return Security(tls_ca_file=ca, tls_client_cert=cert, tls_client_key=key,
                    require_encryption=True)


def _named_credentials(settings: EngineSettings, root: Path | None) -> dict[str, str]:
    """The credentials for the named scheduler of ``settings``: for ``tls://``, the files of
    ``dask.tls_*`` (relative to the project) or Dask's own TLS settings; for ``tcp://``,
    none, and only with ``--insecure``."""
    import dask

    address = settings.scheduler
    scheme = address.split("://", 1)[0].lower() if "://" in address else "tcp"
    if scheme not in ("tcp", "tls"):
        raise EduqaError.of("compute.engine.named_credentials.scheduler_address_neither_tls",
                            address=address)
    if scheme == "tcp":
        if not settings.insecure:
            raise EduqaError.of("compute.engine.named_credentials.scheduler_plain_tcp_address",
                                address=address)
        return {}
    given = {"ca": settings.tls_ca_file, "cert": settings.tls_cert, "key": settings.tls_key}
    dask_own = {"ca": "distributed.comm.tls.ca-file", "cert": "distributed.comm.tls.client.cert",
                "key": "distributed.comm.tls.client.key"}
    found: dict[str, str] = {}
    for part, value in given.items():
        if value:
            path = Path(value).expanduser()
            if not path.is_absolute() and root is not None:
                path = root / path
            if not path.is_file():
                raise EduqaError.of("compute.engine.named_credentials.dask_tls_names_which",
                                    value1="ca_file" if part == "ca" else part, path=path)
            found[part] = str(path)
        elif dask.config.get(dask_own[part], None):
            found[part] = str(dask.config.get(dask_own[part]))
    if set(found) != {"ca", "cert"} and set(found) != {"ca", "cert", "key"}:
        raise EduqaError.of("compute.engine.named_credentials.scheduler_speaks_tls_but",
                            address=address)
    return {"ca": found["ca"], "cert": found["cert"], "key": found.get("key", "")}


@dataclass(frozen=True)
class Running:
    """The cluster of a run: its scheduler's address, and the ``EDUQA_*`` variables by which
    the notebooks' processes reach it (its address, credentials, timeout)."""

    address: str
    environment: dict

    def connect(self):
        """A new ``distributed.Client`` of this cluster, with its credentials (close it)."""
        from distributed import Client

        parts = [self.environment.get(TLS_VARIABLES[p], "") for p in ("ca", "cert", "key")]
        return Client(self.address, set_as_default=False,
                      security=_client_security(*parts) if parts[0] else None)


@contextlib.contextmanager
def cluster(settings: EngineSettings, project_root: Path | None = None,
            folders: Sequence[Path] = ()) -> Iterator[Running | None]:
    """For the length of a run: the cluster the notebooks use (None with the pandas engine).

    A LocalCluster is started (and closed at the end) when ``settings`` names no scheduler:
    TLS with keys made for the run, every listener on 127.0.0.1, Dask's HTTP service serving
    nothing unless ``settings.dashboard``. A named one is checked to answer first (with the
    credentials :func:`_named_credentials` finds), with a clear error when it does not.
    Either way every worker is checked before any work (:func:`preflight`): that it has this
    eduqa and can read ``folders`` (the processed data of the run's seasons)."""
    if settings.engine != "dask":
        yield None
        return
    try:
        import distributed
    except ImportError:  # pragma: no cover - dask is a dependency of eduqa
        raise EduqaError.of("compute.engine.cluster.dask_engine_needs_packages") from None
    timeout = {TIMEOUT_VARIABLE: str(settings.workers_timeout)}
    if settings.scheduler:
        credentials = _named_credentials(settings, project_root)
        security = _client_security(**credentials) if credentials else None
        failure = None
        try:
            with distributed.Client(settings.scheduler, timeout=CONNECT_TIMEOUT,
                                    security=security, set_as_default=False) as probe:
                workers = len(probe.nthreads())
                if workers:
                    preflight(probe, folders, own=False)
        except (OSError, TimeoutError, TypeError, ValueError, AssertionError) as exc:
            # (a TLS address with the wrong or no credentials fails inside distributed with
            # a TypeError or an AssertionError, a refused connection with an OSError)
            failure = f"{type(exc).__name__}: {exc}"
        if failure is not None:
            # the half-made client collected now: its __del__ run by a later collection inside
            # another client's start would wait for ever on distributed's LoopRunner lock
            gc.collect()
            raise EduqaError.of("compute.engine.cluster.dask_scheduler_does_not",
                                scheduler=settings.scheduler, failure=failure) from None
        if workers == 0:
            raise EduqaError.of("compute.engine.cluster.dask_scheduler_has_no",
                                scheduler=settings.scheduler)
        environment = {TLS_VARIABLES[k]: v for k, v in credentials.items() if v}
        yield Running(settings.scheduler, {**environment, **timeout})
        return
    security = distributed.Security.temporary()
    with _local_cluster(settings, security) as local_cluster:
        environment = {TLS_VARIABLES["ca"]: security.tls_ca_file,
                       TLS_VARIABLES["cert"]: security.tls_client_cert,
                       TLS_VARIABLES["key"]: security.tls_client_key, OWN_VARIABLE: "1"}
        with distributed.Client(local_cluster.scheduler_address, set_as_default=False,
                                security=_client_security(security.tls_ca_file,
                                                          security.tls_client_cert,
                                                          security.tls_client_key)) as probe:
            preflight(probe, folders, own=True)
        yield Running(local_cluster.scheduler_address, {**environment, **timeout})


def _worker_check(version: str, folders: list[str]) -> str:
    """Run on a worker by :func:`preflight`: "" when all is well, else what is wrong. Its
    body imports eduqa itself, so that a worker without eduqa answers instead of dying."""
    import importlib
    import os as worker_os

    try:
        theirs = importlib.import_module("eduqa").__version__
    except Exception as exc:  # noqa: BLE001 - reported, whatever it is
        return f"no-eduqa:{type(exc).__name__}"
    if theirs != version:
        return f"version:{theirs}"
    for folder in folders:
        if not worker_os.path.isdir(folder) or not worker_os.access(folder, worker_os.R_OK |
                                                                    worker_os.X_OK):
            return f"folder:{folder}"
    return ""


def preflight(cluster_client, folders: Sequence[Path] = (), *, own: bool = True) -> None:
    """Check every worker of ``cluster_client``'s cluster before any work: that it has this
    eduqa (the same version) and can read ``folders``. Names the first worker that cannot and
    what to do; a worker that cannot even run the check (no eduqa, or another Python) is
    named the same way."""
    import cloudpickle

    from eduqa import __version__

    # (sent by value: a worker without eduqa can still run it and say so)
    cloudpickle.register_pickle_by_value(_this_module())
    try:
        answers = cluster_client.run(_worker_check, __version__,
                                     [str(f) for f in folders], on_error="return")
    finally:
        cloudpickle.unregister_pickle_by_value(_this_module())
    for worker, answer in sorted(answers.items()):
        if answer == "":
            continue
        if isinstance(answer, BaseException) or str(answer).startswith("no-eduqa"):
            why, fields = "not_installed", {"version": __version__}
        elif answer.startswith("version:"):
            why, fields = "other_version", {"theirs": answer[8:], "version": __version__}
        else:
            why, fields = "cannot_read", {"folder": answer[7:]}
        problem = {language: say(f"compute.engine.worker.{why}", language, **fields)
                   for language in ("zh", "en")}
        fix = {language: say(f"compute.engine.worker.{why}.fix", language, **fields)
               for language in ("zh", "en")}
        raise EduqaError.of("compute.engine.preflight.dask_worker_cannot_take", worker=worker,
                            problem_en=problem["en"], fix_en=fix["en"],
                            problem_zh=problem["zh"], fix_zh=fix["zh"])


def _this_module():
    import sys

    return sys.modules[__name__]


_CLIENTS: dict[str, object] = {}
_OWN_CLUSTER: list = []


def client(scheduler: str | None = None):
    """This process's Dask client: connected to ``scheduler``, else to ``$EDUQA_SCHEDULER``
    (the cluster of the ``eduqa run`` that started this process, with the credentials it
    handed on), else to a LocalCluster started for this process (a notebook opened in
    JupyterLab with the Dask engine: TLS and loopback like a run's). Made once per address
    and kept."""
    from distributed import Client, Security

    address = scheduler or os.environ.get(SCHEDULER_VARIABLE, "")
    security = None
    if not address:
        if not _OWN_CLUSTER:
            made = Security.temporary()
            _OWN_CLUSTER.append((_local_cluster(EngineSettings(engine="dask"), made), made))
        own, made = _OWN_CLUSTER[0]
        address = own.scheduler_address
        security = _client_security(made.tls_ca_file, made.tls_client_cert,
                                    made.tls_client_key)
    elif os.environ.get(TLS_VARIABLES["ca"]):
        security = _client_security(*(os.environ.get(TLS_VARIABLES[part], "")
                                      for part in ("ca", "cert", "key")))
    if address not in _CLIENTS:
        _CLIENTS[address] = Client(address, set_as_default=False, security=security)
    return _CLIENTS[address]


_LOCAL: dict[str, object] = {}


def local(frame, what: str = ""):
    """``frame`` as a pandas DataFrame: a Dask DataFrame is computed into this process (once
    per process for the same collection); anything else is returned as it is.

    The statistics without a partition-wise form call this on their input, so that they give
    the same numbers with either engine; ``what`` names the caller (for a reader of the
    code: each such call is a place where the Dask engine still gathers a table)."""
    if not is_dask(frame):
        return frame
    key = frame._name
    if key not in _LOCAL:
        gathered = compute(frame)
        # (each partition's rows are numbered from 0: the table is numbered afresh, as the
        # pandas path numbers it)
        _LOCAL[key] = gathered.reset_index(drop=True) if hasattr(gathered, "reset_index") \
            else gathered
    return _LOCAL[key]


def compute(*collections):
    """Compute Dask collections on this process's cluster (:func:`client`); one result for
    one collection, else a tuple. Stops with a :class:`~eduqa.errors.ClusterError` when the
    workers keep dying or the cluster has had no worker for ``dask.workers_timeout``
    seconds."""
    from distributed import KilledWorker

    try:
        cluster_client = client()
        if len(collections) == 1 and _is_frame(collections[0]):
            return _gathered(cluster_client, collections[0])
        futures = cluster_client.compute(list(collections))
        _waited(cluster_client, futures)
        results = cluster_client.gather(futures)
    except KilledWorker as exc:
        english, chinese = _died_message(exc)
        raise ClusterError(english, zh=chinese) from None
    return results[0] if len(collections) == 1 else tuple(results)


#: Seconds between looks at the cluster while a computation runs.
POLL_SECONDS = 2.0


def _waited(cluster_client, futures, first: bool = False):
    """``distributed.wait`` for ``futures`` (all, or the first to finish), looking at the
    cluster every :data:`POLL_SECONDS`: when it has had no worker for
    ``$EDUQA_DASK_WORKERS_TIMEOUT`` seconds (60 unless ``dask.workers_timeout`` says
    otherwise), the work cannot finish, and a :class:`~eduqa.errors.ClusterError` says so."""

    from distributed import wait

    limit = float(os.environ.get(TIMEOUT_VARIABLE) or 60)
    alone_since = None
    while True:
        try:
            with cluster_client.as_current():  # (this process's clients are not the default)
                return wait(futures, timeout=POLL_SECONDS,
                            return_when="FIRST_COMPLETED" if first else "ALL_COMPLETED")
        except TimeoutError:
            pass
        if cluster_client.nthreads():
            alone_since = None
            continue
        alone_since = alone_since if alone_since is not None else time.monotonic()
        if time.monotonic() - alone_since >= limit:
            where = cluster_client.scheduler.address
            raise ClusterError.of("compute.engine.waited.dask_cluster_has_had", where=where,
                                  limit=limit)


def _died_message(exc) -> tuple[str, str]:
    """The message (English, Chinese) for workers that died while computing, naming the
    memory setting of the cluster in use."""
    own = os.environ.get(OWN_VARIABLE) == "1" or not os.environ.get(SCHEDULER_VARIABLE)
    # (a cluster started by others: its workers' own memory setting applies)
    setting = "compute.engine.died.own_cluster" if own else "compute.engine.died.their_cluster"
    english, chinese = (say("compute.engine.died", language, error=exc,
                            setting=say(setting, language)) for language in ("en", "zh"))
    return english, chinese


def _is_frame(collection) -> bool:
    """A Dask DataFrame or Series of more than one partition."""
    if not is_dask(collection):
        return False
    import dask.dataframe as dd

    return isinstance(collection, (dd.DataFrame, dd.Series)) and collection.npartitions > 1


def _gathered(cluster_client, frame):
    """``frame`` computed, its partitions put together in this process: each partition's
    result is fetched as soon as it is ready and then let go by its worker, and the pieces
    are joined here as Dask joins them (its own ``__dask_postcompute__``: empty pieces left
    out, categories united). ``client.compute(frame)`` joins them on one worker first, which
    then holds every piece and the joined table before sending it (a national season's
    class table: a gigabyte and more)."""
    finish, extra = frame.__dask_postcompute__()
    futures = cluster_client.compute(frame.to_delayed())
    where = {future.key: position for position, future in enumerate(futures)}
    pieces: list = [None] * len(futures)
    pending = set(futures)
    with cluster_client.as_current():  # (this process's clients are not the default)
        while pending:
            done, pending = _waited(cluster_client, pending, first=True)
            for future in done:
                pieces[where[future.key]] = future.result()
                futures[where[future.key]] = None  # (the worker may let its copy go)
                future.release()
    return finish(pieces, *extra)


def by_part(frame, function, *args):
    """``function(part, *args)`` of each part of ``frame``, stacked: of a Dask DataFrame
    (partitions of whole schools) each partition's on the cluster, only the results gathered
    into this process; of a pandas frame, ``function`` of it at once. A pandas argument (e.g.
    a lookup table) is sent to the workers once, not with every task."""
    if not is_dask(frame):
        return function(frame, *args)
    import dask
    import pandas as pd

    meta = function(frame._meta, *args)
    sent = [dask.delayed(a) if isinstance(a, (pd.Series, pd.DataFrame)) else a for a in args]
    # (each partition's rows are numbered from 0: numbered afresh)
    return compute(frame.map_partitions(function, *sent, meta=meta)).reset_index(drop=True)


_REMEMBERED: dict[tuple, object] = {}


def remembered(key: tuple, make):
    """``make()``, computed once per process for the same ``key`` (a statistic's name, the
    Dask name of the collection it is computed from — a token of the data and of everything
    done to it — and its arguments): a page asks for the county's frequency table for its
    summary, its score bands and lines, its figure and the students' z."""
    if key not in _REMEMBERED:
        _REMEMBERED[key] = make()
    return _REMEMBERED[key]


def known(key: tuple) -> bool:
    """Whether :func:`remembered` has the value of ``key``."""
    return key in _REMEMBERED


def remember(key: tuple, value) -> None:
    """Keep ``value`` as :func:`remembered` would have computed it (it came with another
    computation, in the same pass over the partitions)."""
    _REMEMBERED[key] = value


def forget() -> None:
    """Forget the tables :func:`local` has gathered and the statistics :func:`remembered`
    (a new notebook starts afresh)."""
    _LOCAL.clear()
    _REMEMBERED.clear()


def describe(engine: str, scheduler: str | None, language: str) -> str:
    """One line for a page's footer: which engine computed the numbers."""
    if engine != "dask":
        return say("compute.engine.describe.engine_pandas_process", language)
    where = scheduler or say("compute.engine.describe.local_cluster", language)
    return say("compute.engine.describe.engine_dask_scheduler", language, where=where)
