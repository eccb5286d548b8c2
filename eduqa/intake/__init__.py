"""Raw exports in, processed data out: reading the office's files as they come (``readers``),
row-level helpers and the cleaning log (``records``), the clean step itself (``clean``), the
item-score exports and the paper blueprint (``items``), teachers of record (``teachers``) and
tables set aside while cleaning (``spill``).

May import :mod:`eduqa.config`, :mod:`eduqa.compute` and :mod:`eduqa.indicators` (the staffing
columns stored with the schools); never the models, the text, the report or the project.
"""
