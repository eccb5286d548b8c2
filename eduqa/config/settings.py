"""Plain settings objects passed into the indicator and plot functions.

Defined apart from :mod:`eduqa.config.params` (which reads them from YAML and checks them) so that the
computing modules depend on these dataclasses only, never on the configuration reader.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ENGINES", "TIER_KEYS", "ClassRules", "CompositeWeights", "EngineSettings",
           "ItemRules", "Thresholds", "TierRules"]

#: The compute engines of a run: pandas in this process, or a Dask cluster.
ENGINES = ("pandas", "dask")


@dataclass(frozen=True)
class Thresholds:
    """Indicator lines as shares of full marks (docs/METHODS.md §A)."""

    pass_line: float = 0.60
    good: float = 0.70
    excellent: float = 0.85
    low: float = 0.40
    near_margin: float = 0.05
    band_width: float = 0.10
    weak_subject: float = 0.20  # SD units: a subject this far below the school's own average


@dataclass(frozen=True)
class CompositeWeights:
    """Weights of the composite index 综合指数 (docs/METHODS.md §A)."""

    score_rate: float = 0.4
    pass_rate: float = 0.3
    excellent_rate: float = 0.3
    low_rate: float = 0.0


@dataclass(frozen=True)
class ItemRules:
    """Rules of the paper analysis (docs/METHODS.md §D; ``paper:`` in county.yaml).

    A question is flagged ``too_hard`` when its 得分率 is below ``hard``, ``too_easy`` above
    ``easy``, ``low_discrimination`` when its corrected item–total correlation is below
    ``low_discrimination`` and ``negative_discrimination`` when it is below 0.
    ``group_share`` is the share of students in each of the high and low groups (27%);
    ``sum_tolerance`` how far a pupil's question scores may sum from the subject score before
    the row is excluded (and logged)."""

    hard: float = 0.3
    easy: float = 0.9
    low_discrimination: float = 0.2
    group_share: float = 0.27
    sum_tolerance: float = 0.5


@dataclass(frozen=True)
class ClassRules:
    """Rules of the class analysis (docs/METHODS.md §E; ``classes:`` in county.yaml).

    A school whose parallel classes' means have a coefficient of variation above
    ``parallel_cv_limit`` is flagged as unbalanced. ``teacher_view`` turns on the
    任课教师 section (internal use only: off by default, and never in a public report);
    ``teacher_names`` shows teachers' real names there instead of their keyed codes (the
    names are then kept in the processed data too)."""

    parallel_cv_limit: float = 0.05
    teacher_view: bool = False
    teacher_names: bool = False


#: What schools can be tiered by (``tiers.by`` in county.yaml): a roster column (城乡, school
#: type, boarding), enrolment in bands (``size``) or last season's composite index in groups
#: (``baseline``).
TIER_KEYS = ("urban_rural", "school_type", "boarding", "size", "baseline")


@dataclass(frozen=True)
class TierRules:
    """梯次评价 (docs/METHODS.md §A; ``tiers:`` in county.yaml): schools are compared only
    with the schools of their own tier.

    ``by`` lists what makes a tier (any of :data:`TIER_KEYS`; empty: no tiers). ``size``
    bands schools by enrolment at the cut points ``size_bands`` (pupils, ascending);
    ``baseline`` splits them into ``baseline_groups`` groups of equal number by the composite
    index of the total in the comparison season (``compare_with``), highest first."""

    by: tuple[str, ...] = ()
    size_bands: tuple[int, ...] = (300, 1000)
    baseline_groups: int = 3


@dataclass(frozen=True)
class EngineSettings:
    """Where a season's numbers are computed (``engine:`` and ``dask:`` in county.yaml).

    ``engine`` is ``pandas`` (in this process: the default, right for a county or a city) or
    ``dask`` (group-bys and model statistics computed partition by partition on a
    ``dask.distributed`` cluster: a province or a national programme). ``scheduler`` is the
    address of a running Dask scheduler (``tcp://10.0.0.5:8786``); empty, a LocalCluster is
    started on this machine with ``workers`` worker processes (0: one per core) of
    ``threads_per_worker`` threads and ``memory_limit`` each (``auto``: the machine's memory
    shared out, or e.g. ``4GB``). ``partition_rows`` bounds the rows of one part of the
    processed scores (each part holds whole schools), read by both engines. A score export of
    more than ``spill_rows`` rows is cleaned through disk, a bucket of students at a time
    (:func:`eduqa.intake.clean.clean_season`), so that its memory does not grow with the export."""

    engine: str = "pandas"
    scheduler: str = ""
    workers: int = 0
    threads_per_worker: int = 1
    memory_limit: str = "auto"
    partition_rows: int = 500_000
    spill_rows: int = 2_000_000
    #: TLS credentials (paths to PEM files) for a named ``tls://`` scheduler: the cluster's
    #: certificate authority, and this client's certificate and key. Empty: Dask's own
    #: settings (``DASK_DISTRIBUTED__COMM__TLS__CA_FILE`` …) are used when set.
    tls_ca_file: str = ""
    tls_cert: str = ""
    tls_key: str = ""
    #: Seconds a computation waits while the cluster has no worker before it stops.
    workers_timeout: int = 60
    #: Command-line only (``--insecure``, ``--dashboard``), never from county.yaml: a plain
    #: ``tcp://`` scheduler accepted; Dask's HTTP service served (on 127.0.0.1).
    insecure: bool = False
    dashboard: bool = False
