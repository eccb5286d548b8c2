"""The compute engine of a run: pandas in this process (the default), or a Dask cluster.

A county or a city fits in one process, and pandas is the fastest way to compute it. A
province's 中考 or a national monitoring programme does not: with ``engine: dask`` (in
``params/county.yaml``) or ``eduqa run --engine dask``, a season's long tables are read as
Dask DataFrames, one partition per part of the processed Parquet (each part holds whole
schools), and eduqa's statistics are computed partition by partition on a
``dask.distributed`` cluster and reduced there (:mod:`eduqa.partitioned`).

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
import os
from collections.abc import Iterator
from dataclasses import replace

from .errors import EduqaError
from .settings import ENGINES, EngineSettings

__all__ = ["ENGINE_VARIABLE", "SCHEDULER_VARIABLE", "is_dask", "chosen", "cluster", "client",
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
           scheduler: str | None = None) -> EngineSettings:
    """``settings`` (county.yaml) with the engine and scheduler given on the command line,
    when given. A scheduler address implies the Dask engine."""
    if engine is not None and engine not in ENGINES:
        raise EduqaError(f"unknown engine {engine!r}: use pandas or dask",
                         zh=f"无法识别的计算引擎 {engine!r}：请用 pandas 或 dask")
    if scheduler:
        if engine == "pandas":
            raise EduqaError("--scheduler is an address of a Dask cluster: it needs "
                             "--engine dask",
                             zh="--scheduler 是 Dask 集群的地址，需要同时使用 --engine dask")
        settings = replace(settings, engine="dask", scheduler=scheduler)
    if engine is not None:
        settings = replace(settings, engine=engine)
    return settings


def _local_cluster(settings: EngineSettings):
    import logging

    from distributed import LocalCluster

    workers = settings.workers or max(1, os.cpu_count() or 1)
    return LocalCluster(n_workers=workers, threads_per_worker=settings.threads_per_worker,
                        processes=True, memory_limit=settings.memory_limit,
                        dashboard_address=":0", silence_logs=logging.ERROR,
                        env=dict(WORKER_ENVIRONMENT))


#: Set in each worker of a LocalCluster (README: give a cluster's workers the same): Arrow
#: allocates with the C library's malloc, which gives memory back, rather than its default
#: pool, which keeps what it has freed — a worker that has read a few parts would otherwise
#: hold hundreds of MB more for the rest of the run (as :func:`eduqa.engine.allocate_plainly`
#: does in eduqa's own processes).
WORKER_ENVIRONMENT = {"ARROW_DEFAULT_MEMORY_POOL": "system"}


@contextlib.contextmanager
def cluster(settings: EngineSettings) -> Iterator[str | None]:
    """For the length of a run: the address of the Dask scheduler the notebooks use (None
    with the pandas engine). A LocalCluster is started (and closed at the end) when
    ``settings`` names no scheduler; a named one is checked to answer first, with a clear
    error when it does not."""
    if settings.engine != "dask":
        yield None
        return
    try:
        import distributed
    except ImportError:  # pragma: no cover - dask is a dependency of eduqa
        raise EduqaError("the Dask engine needs the packages dask and distributed: "
                         "pip install 'dask[dataframe]' distributed",
                         zh="Dask 计算引擎需要安装 dask 和 distributed：pip install "
                            "'dask[dataframe]' distributed") from None
    if settings.scheduler:
        try:
            with distributed.Client(settings.scheduler, timeout=CONNECT_TIMEOUT,
                                    set_as_default=False) as probe:
                workers = len(probe.scheduler_info()["workers"])
        except (OSError, TimeoutError) as exc:
            raise EduqaError(
                f"the Dask scheduler {settings.scheduler} does not answer ({exc}).\n  What "
                "to do: start it (dask scheduler; dask worker <address>) or correct the "
                "address (--scheduler, or dask.scheduler in params/county.yaml)",
                zh=f"Dask 调度器 {settings.scheduler} 没有响应（{exc}）。\n  怎么办：先启动它"
                   "（dask scheduler；dask worker <地址>），或更正地址（--scheduler，或 "
                   "params/county.yaml 中的 dask.scheduler）") from None
        if workers == 0:
            raise EduqaError(
                f"the Dask scheduler {settings.scheduler} has no workers.\n  What to do: "
                f"start some (dask worker {settings.scheduler}) and run again",
                zh=f"Dask 调度器 {settings.scheduler} 没有任何工作进程。\n  怎么办：先启动"
                   f"（dask worker {settings.scheduler}），再重新运行")
        yield settings.scheduler
        return
    with _local_cluster(settings) as local_cluster:
        yield local_cluster.scheduler_address


_CLIENTS: dict[str, object] = {}
_OWN_CLUSTER: list = []


def client(scheduler: str | None = None):
    """This process's Dask client: connected to ``scheduler``, else to ``$EDUQA_SCHEDULER``
    (the cluster of the ``eduqa run`` that started this process), else to a LocalCluster
    started for this process (a notebook opened in JupyterLab with the Dask engine).
    Made once per address and kept."""
    from distributed import Client

    address = scheduler or os.environ.get(SCHEDULER_VARIABLE, "")
    if not address:
        if not _OWN_CLUSTER:
            _OWN_CLUSTER.append(_local_cluster(EngineSettings(engine="dask")))
        address = _OWN_CLUSTER[0].scheduler_address
    if address not in _CLIENTS:
        _CLIENTS[address] = Client(address, set_as_default=False)
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
    one collection, else a tuple."""
    from distributed import KilledWorker

    try:
        if len(collections) == 1 and _is_frame(collections[0]):
            return _gathered(client(), collections[0])
        results = client().compute(list(collections), sync=True)
    except KilledWorker as exc:
        raise EduqaError(
            f"the Dask workers died while computing ({exc}); the run stopped and left the "
            "old report in place.\n  What to do: the usual cause is too little memory per "
            "worker: give each more (dask.memory_limit in params/county.yaml), run fewer "
            "workers or cut the processed data into smaller parts (dask.partition_rows), "
            "then run again",
            zh=f"Dask 工作进程在计算中异常退出（{exc}），运行已停止，原有报告保持不变。\n  怎么办："
               "最常见的原因是每个工作进程的内存不够：请增加内存（params/county.yaml 中的 "
               "dask.memory_limit）、减少工作进程数，或把清洗后的数据切得更小"
               "（dask.partition_rows），然后重新运行") from None
    return results[0] if len(collections) == 1 else tuple(results)


def _is_frame(collection) -> bool:
    """A Dask DataFrame or Series of more than one partition."""
    return is_dask(collection) and hasattr(collection, "npartitions") and \
        hasattr(collection, "to_delayed") and collection.npartitions > 1


def _gathered(cluster_client, frame):
    """``frame`` computed, its partitions put together in this process: each partition's
    result is fetched as soon as it is ready and then let go by its worker, and the pieces
    are joined here as Dask joins them (its own ``__dask_postcompute__``: empty pieces left
    out, categories united). ``client.compute(frame)`` joins them on one worker first, which
    then holds every piece and the joined table before sending it (a national season's
    class table: a gigabyte and more)."""
    from distributed import as_completed

    finish, extra = frame.__dask_postcompute__()
    futures = cluster_client.compute(frame.to_delayed())
    where = {future.key: position for position, future in enumerate(futures)}
    pieces: list = [None] * len(futures)
    with cluster_client.as_current():  # (this process's clients are not the default)
        for future, piece in as_completed(futures, with_results=True):
            pieces[where[future.key]] = piece
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
        return "计算引擎：pandas（本机进程内）" if language == "zh" else \
            "Engine: pandas (in process)"
    where = scheduler or ("本机集群" if language == "zh" else "a local cluster")
    return (f"计算引擎：Dask（调度器 {where}）" if language == "zh" else
            f"Engine: Dask (scheduler {where})")
