"""A season run from end to end: the clean step run once per set of inputs (``pipeline``), the
checks before any notebook (``checks``), the season context a notebook opens (``season``), the
notebooks' declared outputs (``manifest``), the papermill runner that executes them in
warmed-up workers (``papermill_runner``), the build of a season's pages and index (``build``)
and ``eduqa init`` / ``new-season`` (``scaffold``).

The top layer: it may import every package; only :mod:`eduqa.cli`, :mod:`eduqa.shapes`,
:mod:`eduqa.sweep` and the worker preload import it.
"""
