"""The messages of eduqa.compute: its errors (a key ending in ``.hint`` says what to do)
and the sentences it writes, key -> (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "compute.engine.chosen.unknown_engine_use_pandas": (
        "无法识别的计算引擎 {engine!r}：请用 pandas 或 dask",
        "unknown engine {engine!r}: use pandas or dask"),
    "compute.engine.named_credentials.scheduler_address_neither_tls": (
        "调度器地址 {address!r} 既不是 tls:// 也不是 tcp://。\n  怎么办：写成 tls://主机:端口（或 tcp://主机:端口，并加 "
        "--insecure）",
        "the scheduler address {address!r} is neither tls:// nor tcp://.\n  What to do: give it "
        "as tls://HOST:PORT (or tcp://HOST:PORT with --insecure)"),
    "compute.engine.named_credentials.scheduler_speaks_tls_but": (
        "调度器 {address} 使用 TLS，但没有给出连接它的证书。\n  怎么办：给出集群的 CA 证书和本客户端的证书、私钥（params/county.yaml 中的 "
        "dask.tls_ca_file、dask.tls_cert、dask.tls_key，或 Dask 自己的环境变量 "
        "DASK_DISTRIBUTED__COMM__TLS__CA_FILE 等）",
        "the scheduler {address} speaks TLS, but no credentials for it were given.\n  What to "
        "do: name the cluster's CA certificate and this client's certificate and key "
        "(dask.tls_ca_file, dask.tls_cert, dask.tls_key in params/county.yaml, or Dask's "
        "DASK_DISTRIBUTED__COMM__TLS__CA_FILE, …__CLIENT__CERT, …__CLIENT__KEY)"),
    "compute.engine.preflight.dask_worker_cannot_take": (
        "Dask 工作进程 {worker} 无法参与计算：{problem_zh}。\n  怎么办：{fix_zh}，然后重新运行",
        "Dask worker {worker} cannot take part in the run: {problem_en}.\n  What to do: {fix_en}"
        ", then run again"),
    "compute.engine.chosen.scheduler_address_dask_cluster": (
        "--scheduler 是 Dask 集群的地址，需要同时使用 --engine dask",
        "--scheduler is an address of a Dask cluster: it needs --engine dask"),
    "compute.engine.named_credentials.scheduler_plain_tcp_address": (
        "调度器 {address} 是未加密的 tcp:// 地址：能连上它的人都可以以集群用户的身份运行代码、读取学生数据。\n  怎么办：为集群启用 TLS，并给出 tls://"
        "… 地址及其证书（params/county.yaml 中的 dask.tls_ca_file、dask.tls_cert、dask.tls_key）；若确属可信网络，可加 "
        "--insecure",
        "the scheduler {address} is a plain tcp:// address: anyone who can reach it can run "
        "code as the cluster's user and read the students' data.\n  What to do: start the "
        "cluster with TLS and give tls://… with its credentials (dask.tls_ca_file, "
        "dask.tls_cert, dask.tls_key in params/county.yaml), or, on a network you trust, add "
        "--insecure"),
    "compute.engine.cluster.dask_engine_needs_packages": (
        "Dask 计算引擎需要安装 dask 和 distributed：pip install 'dask[dataframe]' distributed",
        "the Dask engine needs the packages dask and distributed: pip install 'dask[dataframe]' "
        "distributed"),
    "compute.engine.cluster.dask_scheduler_does_not": (
        "Dask 调度器 {scheduler} 没有响应（{failure}）。\n  怎么办：先启动它（dask scheduler；dask worker <地址>），更正地址"
        "（--scheduler，或 params/county.yaml 中的 dask.scheduler），或检查 TLS 证书（dask.tls_*）",
        "the Dask scheduler {scheduler} does not answer ({failure}).\n  What to do: start it "
        "(dask scheduler; dask worker <address>), correct the address (--scheduler, or "
        "dask.scheduler in params/county.yaml), or check its TLS credentials (dask.tls_*)"),
    "compute.engine.cluster.dask_scheduler_has_no": (
        "Dask 调度器 {scheduler} 没有任何工作进程。\n  怎么办：先启动（dask worker {scheduler}），再重新运行",
        "the Dask scheduler {scheduler} has no workers.\n  What to do: start some (dask worker "
        "{scheduler}) and run again"),
    "compute.engine.waited.dask_cluster_has_had": (
        "Dask 集群（{where}）已连续 {limit:.0f} 秒没有任何工作进程，计算无法完成；运行已停止，原有报告保持不变。\n  怎么办：查明工作进程为何停止（查看其日"
        "志；内存、机器重启），重新启动它们（dask worker <地址>）后再运行",
        "the Dask cluster ({where}) has had no worker for {limit:.0f} seconds, so the "
        "computation cannot finish; the run stopped and left the old report in place.\n  What "
        "to do: see why the workers stopped (their logs; memory, a restart of the machines), "
        "start them again (dask worker <address>) and run again"),
    "compute.engine.named_credentials.dask_tls_names_which": (
        "dask.tls_{value1} 指向的 {path} 不是文件。\n  怎么办：更正 params/county.yaml 中的路径",
        "dask.tls_{value1} names {path}, which is not a file.\n  What to do: correct the path "
        "in params/county.yaml"),
    "compute.parquet.read_parquet.processed_data_missing": (
        "缺少清洗后的数据",
        "processed data is missing"),
    "compute.parquet.read_parquet.processed_data_missing.hint": (
        "请先运行清洗步骤：eduqa run <考试季>（或 eduqa clean）",
        "run the clean step first: eduqa run <season> (or eduqa clean)"),
    "compute.engine.describe.engine_dask_scheduler": (
        "计算引擎：Dask（调度器 {where}）",
        "Engine: Dask (scheduler {where})"),
    "compute.engine.describe.engine_pandas_process": (
        "计算引擎：pandas（本机进程内）",
        "Engine: pandas (in process)"),
    "compute.engine.describe.local_cluster": (
        "本机集群",
        "a local cluster"),
    "compute.engine.worker.not_installed": (
        "该工作进程没有安装 eduqa {version}",
        "eduqa {version} is not installed there"),
    "compute.engine.worker.not_installed.fix": (
        "在每个工作进程的环境中安装相同版本的 eduqa",
        "install it on every worker (pip install eduqa of the same version)"),
    "compute.engine.worker.other_version": (
        "它的 eduqa 版本是 {theirs}，本次运行是 {version}",
        "it has eduqa {theirs}, this run {version}"),
    "compute.engine.worker.other_version.fix": (
        "在工作进程上安装相同版本：pip install eduqa=={version}",
        "install the same version there: pip install eduqa=={version}"),
    "compute.engine.worker.cannot_read": (
        "它读不到清洗后的数据目录 {folder}",
        "it cannot read the processed data folder {folder}"),
    "compute.engine.worker.cannot_read.fix": (
        "让每个工作进程在相同路径下看到项目目录（共享盘挂载到与本机相同的位置），且有读取权限",
        "give every worker the project folder at the same path (a shared disk mounted where it "
        "is here), readable by the worker's user"),
    "compute.engine.died.own_cluster": (
        "请增加内存（params/county.yaml 中的 dask.memory_limit）、减少工作进程数（dask.workers）",
        "give each more (dask.memory_limit in params/county.yaml), run fewer workers "
        "(dask.workers)"),
    "compute.engine.died.their_cluster": (
        "启动工作进程时给每个更多内存（dask worker --memory-limit，或所用部署方式中工作进程的内存设置）、每台机器少启动几个",
        "start the workers with more memory each (dask worker --memory-limit, or your "
        "deployment's worker memory setting), start fewer per machine"),
    "compute.engine.died": (
        "Dask 工作进程在计算中异常退出（{error}），运行已停止，原有报告保持不变。\n  怎么办：最常见的原因是每个工作进程的内存不够：{setting}，或把清洗后的数据"
        "切得更小（dask.partition_rows），然后重新运行",
        "the Dask workers died while computing ({error}); the run stopped and left the old "
        "report in place.\n  What to do: the usual cause is too little memory per worker: "
        "{setting}, or cut the processed data into smaller parts (dask.partition_rows), then "
        "run again"),
}
