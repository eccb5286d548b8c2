"""Imported first by the fork server of ``eduqa run``'s notebook workers
(:func:`eduqa.project.papermill_runner.worker_context`): everything a notebook needs, imported there once, so
that each worker forked from it starts with it in memory. Importing it has that effect and no
other; nothing else imports it."""

import gc

from eduqa.project import papermill_runner

papermill_runner.skip_slow_imports()  # (before the report's imports: nbformat, jsonschema)
from eduqa.project.build import warm_up_worker  # noqa: E402

warm_up_worker()
# what was imported stays out of the workers' garbage collections: a collection would touch
# every inherited object and so copy every shared page into each worker
gc.freeze()
