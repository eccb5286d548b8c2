"""Raw exports in, processed data out: reading the office's files as they come (``readers``; their bytes in
``formats``, the limits on them in ``limits``),
row-level helpers and the cleaning log (``records``), and the clean step split by role: the
roster and the files keyed by school (``schools``), the scores export as read (``export``), the
plan of which school sat what and where each student belongs (``plan``), the score cells
parsed, totals checked and duplicates found (``cells``), and the step itself with its result
(``clean``); then the item-score exports and the paper blueprint (``items``), teachers of record
(``teachers``) and tables set aside while cleaning (``spill``). Names with a leading underscore
are private to this package.

May import :mod:`eduqa.config`, :mod:`eduqa.compute` and :mod:`eduqa.indicators` (the staffing
columns stored with the schools); never the models, the text, the report or the project.
"""
