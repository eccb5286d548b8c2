"""Issue 34, point 1: the Dask cluster of a run is locked to the run (TLS with keys made for
it, every listener on 127.0.0.1, no HTTP pages unless asked for); a named cluster needs
credentials or an explicit --insecure; every worker is checked before any work; a cluster
whose workers are all gone stops the run within the stated timeout with a plain message."""

from __future__ import annotations

import gc
import logging
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psutil
import pytest

from eduqa.compute import engine as compute
from eduqa.config.settings import EngineSettings
from eduqa.errors import ClusterError, EduqaError

from conftest import add_to_county, copy_project

#: A worker process without eduqa (its import made to fail), no nanny, one thread.
NO_EDUQA = ("import sys; sys.modules['eduqa'] = None; "
            "from distributed.cli.dask_worker import main; "
            "sys.argv = ['dask-worker', sys.argv[1], '--no-nanny', '--nthreads', '1']; main()")
#: A plain worker (eduqa importable), no nanny: killing it loses it for good.
PLAIN = ("import sys; from distributed.cli.dask_worker import main; "
         "sys.argv = ['dask-worker', sys.argv[1], '--no-nanny', '--nthreads', '1']; main()")


def _listeners() -> list[tuple[int, str, int]]:
    """(pid, address, port) of every listening socket of this process and its children."""
    me = psutil.Process()
    found = []
    for process in [me, *me.children(recursive=True)]:
        try:
            connections = process.net_connections(kind="inet")
        except psutil.NoSuchProcess:
            continue
        found += [(process.pid, c.laddr.ip, c.laddr.port) for c in connections
                  if c.status == psutil.CONN_LISTEN]
    return found


def _http_status(port: int, path: str) -> int | None:
    """The HTTP status of GET ``path`` on 127.0.0.1:``port``; None when it does not speak
    plain HTTP (a TLS listener)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, ValueError):
        return None


@pytest.fixture(scope="module")
def own_cluster():
    """The cluster ``eduqa run --engine dask`` starts (2 workers)."""
    with compute.cluster(EngineSettings(engine="dask", workers=2)) as running:
        yield running


def refused(client, errors, address: str, **options) -> None:
    """A client of ``address`` that fails with ``errors``. The half-made client is collected
    at once: left to a later garbage collection, its ``__del__`` may run inside the next
    client's start, which holds distributed's (not reentrant) LoopRunner lock, and both wait
    for ever — the hang of a CI run, seen with py-spy here."""
    with pytest.raises(errors):
        client(address, timeout="5s", set_as_default=False, **options)
    gc.collect()


def test_the_run_s_cluster_refuses_a_client_without_its_credentials(own_cluster):
    from distributed import Client, Security

    assert own_cluster.address.startswith("tls://127.0.0.1:")
    refused(Client, (TypeError, OSError), own_cluster.address)  # (no TLS context at all)
    stranger = Security.temporary()  # a certificate of another authority
    refused(Client, (OSError, AssertionError, TimeoutError), own_cluster.address,
            security=stranger)
    refused(Client, OSError, own_cluster.address.replace("tls://", "tcp://"))  # plain TCP
    with own_cluster.connect() as client:  # the run's own credentials
        assert client.submit(sum, [1, 2, 3]).result() == 6
        assert len(client.nthreads()) == 2


def test_no_socket_of_the_run_listens_beyond_loopback_nor_serves_pages(own_cluster):
    listeners = _listeners()
    pids = {pid for pid, _, _ in listeners}
    assert len(pids) >= 3, listeners  # this process (scheduler, nannies) and two workers
    assert all(address == "127.0.0.1" for _, address, _ in listeners), listeners
    served = {(port, path): _http_status(port, path) for _, _, port in listeners
              for path in ("/info/main/workers.html", "/metrics", "/eventstream",
                           "/health")}
    assert 200 not in served.values(), served
    assert 404 in served.values(), served  # the HTTP listeners answer, with nothing


def test_the_dashboard_is_served_on_loopback_only_when_asked_for():
    with compute.cluster(EngineSettings(engine="dask", workers=1, dashboard=True)):
        listeners = _listeners()
        assert all(address == "127.0.0.1" for _, address, _ in listeners), listeners
        statuses = {_http_status(port, "/health") for _, _, port in listeners}
        assert 200 in statuses


def test_a_named_scheduler_needs_tls_credentials_or_an_explicit_insecure(tmp_path, monkeypatch):
    for variable in ("DASK_DISTRIBUTED__COMM__TLS__CA_FILE",
                     "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT"):
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(EduqaError, match="--insecure") as caught:
        with compute.cluster(EngineSettings(engine="dask", scheduler="tcp://127.0.0.1:9")):
            pass
    assert "未加密" in caught.value.render("zh")
    with pytest.raises(EduqaError, match="no credentials") as caught:
        with compute.cluster(EngineSettings(engine="dask", scheduler="tls://127.0.0.1:9")):
            pass
    assert "dask.tls_ca_file" in caught.value.render("en")
    assert "TypeError" not in caught.value.render("en")
    with pytest.raises(EduqaError, match="not a file"):
        with compute.cluster(EngineSettings(engine="dask", scheduler="tls://127.0.0.1:9",
                                            tls_ca_file="ca.pem", tls_cert="me.pem"),
                             tmp_path):
            pass
    # the command line: --insecure is printed by the run
    assert compute.chosen(EngineSettings(), None, "tcp://h:1", insecure=True).insecure


def test_a_named_tls_cluster_is_reached_with_credential_files(tmp_path):
    """A bureau's own TLS cluster: its CA and a client certificate written to files and named
    in county.yaml's ``dask.tls_*`` (relative to the project); the run's notebooks get them."""
    from distributed import LocalCluster, Security

    security = Security.temporary()
    for name, text in (("ca.pem", security.tls_ca_file), ("me.pem", security.tls_client_cert),
                       ("me.key", security.tls_client_key)):
        (tmp_path / name).write_text(text)
    with LocalCluster(n_workers=1, processes=False, protocol="tls", host="127.0.0.1",
                      security=security, dashboard_address=None,
                      silence_logs=logging.ERROR) as local:
        settings = EngineSettings(engine="dask", scheduler=local.scheduler_address,
                                  tls_ca_file="ca.pem", tls_cert="me.pem", tls_key="me.key")
        with compute.cluster(settings, tmp_path, [tmp_path]) as running:
            assert running.environment[compute.TLS_VARIABLES["ca"]] == str(tmp_path / "ca.pem")
            with running.connect() as client:
                assert client.submit(len, "abc").result() == 3


@pytest.fixture
def bare_scheduler():
    """A scheduler with no workers, on loopback, plain TCP (as a test harness only)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=False, host="127.0.0.1", protocol="tcp",
                      dashboard_address=None, silence_logs=logging.ERROR) as local:
        yield local


def _worker(address: str, program: str = PLAIN, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", program, address],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options)


def _wait_for_workers(client, n: int) -> None:
    client.wait_for_workers(n, timeout=60)


def test_a_worker_without_eduqa_is_named_before_any_work(bare_scheduler, tmp_path):
    worker = _worker(bare_scheduler.scheduler_address, NO_EDUQA)
    try:
        settings = EngineSettings(engine="dask", scheduler=bare_scheduler.scheduler_address,
                                  insecure=True)
        from distributed import Client

        with Client(bare_scheduler.scheduler_address, set_as_default=False) as client:
            _wait_for_workers(client, 1)
        with pytest.raises(EduqaError) as caught:
            with compute.cluster(settings, tmp_path, [tmp_path]):
                pass
        message = caught.value.render("en")
        assert "is not installed there" in message and "tcp://127.0.0.1:" in message
        assert "没有安装 eduqa" in caught.value.render("zh")
    finally:
        worker.kill()
        worker.wait()


def test_a_worker_that_cannot_read_the_processed_data_is_named(bare_scheduler, tmp_path):
    from distributed import Client

    worker = _worker(bare_scheduler.scheduler_address)
    try:
        with Client(bare_scheduler.scheduler_address, set_as_default=False) as client:
            _wait_for_workers(client, 1)
            compute.preflight(client, [tmp_path])  # readable: no error
            missing = tmp_path / "elsewhere" / "data" / "processed"
            with pytest.raises(EduqaError) as caught:
                compute.preflight(client, [missing])
        message = caught.value.render("en")
        assert f"cannot read the processed data folder {missing}" in message
        assert "same path" in message
        assert "run the clean step" not in message
    finally:
        worker.kill()
        worker.wait()


def test_a_computation_whose_workers_are_all_gone_stops_within_the_timeout(
        bare_scheduler, monkeypatch):
    import dask

    address = bare_scheduler.scheduler_address
    monkeypatch.setenv(compute.SCHEDULER_VARIABLE, address)
    monkeypatch.setenv(compute.TIMEOUT_VARIABLE, "3")
    for name in compute.TLS_VARIABLES.values():
        monkeypatch.delenv(name, raising=False)
    worker = _worker(address)
    try:
        client = compute.client(address)
        _wait_for_workers(client, 1)
        assert compute.compute(dask.delayed(sum)([1, 2])) == 3  # the cluster works

        def kill_soon():
            time.sleep(1.0)
            worker.kill()

        import threading

        threading.Thread(target=kill_soon, daemon=True).start()
        started = time.monotonic()
        with pytest.raises(ClusterError) as caught:
            compute.compute(dask.delayed(time.sleep)(120))
        waited = time.monotonic() - started
        assert 3 <= waited < 3 + 1 + 2 * compute.POLL_SECONDS + 5, waited
        assert "no worker for 3 seconds" in caught.value.render("en")
        assert "原有报告保持不变" in caught.value.render("zh")
    finally:
        worker.kill()
        worker.wait()
        compute._CLIENTS.pop(address).close()


#: A worker that exits at its first task (its process gone, no nanny to restart it).
DIES_AT_FIRST_TASK = """
import os, sys
from distributed.cli.dask_worker import main
from distributed.diagnostics.plugin import WorkerPlugin

class Die(WorkerPlugin):
    def transition(self, key, start, finish, **kwargs):
        if finish == "executing":
            os._exit(3)

import distributed.worker as w
original = w.Worker.__init__
def patched(self, *a, **k):
    original(self, *a, **k)
    self.plugins["die"] = Die()
w.Worker.__init__ = patched
sys.argv = ["dask-worker", sys.argv[1], "--no-nanny", "--nthreads", "1"]
main()
"""


@pytest.mark.slow
def test_a_run_that_loses_all_its_workers_ends_plainly_leaving_no_build_folder(
        bare_scheduler, tmp_path):
    """The run's workers all die at their first task: the run stops with the plain message
    within the timeout (here 5 s), the previous report stays, no build folder is left."""
    from eduqa.project.build import run_seasons

    project = copy_project(tmp_path / "project")
    add_to_county(project, "dask:\n  workers_timeout: 5\n")
    season = "2025-spring-g6"
    worker = _worker(bare_scheduler.scheduler_address, DIES_AT_FIRST_TASK)
    try:
        from distributed import Client

        with Client(bare_scheduler.scheduler_address, set_as_default=False) as client:
            _wait_for_workers(client, 1)
        started = time.monotonic()
        with pytest.raises(ClusterError) as caught:
            run_seasons(project, [season], progress=lambda _: None, engine="dask",
                        scheduler=bare_scheduler.scheduler_address, insecure=True)
        seconds = time.monotonic() - started
    finally:
        worker.kill()
        worker.wait()
    assert "no worker for 5 seconds" in caught.value.render("en")
    assert seconds < 120, seconds
    assert not [p.name for p in project.reports.iterdir()
                if p.name.startswith(".build") or p.name.endswith(".failed")]
    shutil.rmtree(project.root, ignore_errors=True)
