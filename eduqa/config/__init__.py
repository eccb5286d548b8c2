"""What a county's project declares and where it lives: the project folders (``paths``), the
params files read and validated (``params``), the settings objects handed to the analyses
(``settings``), the vocabulary of raw exports (``schema``: header aliases, subjects, status
markers, category codes), the canonical column labels (``labels``) and crash-safe writes
(``storage``).

The bottom layer: it imports nothing of eduqa but :mod:`eduqa.errors` and :mod:`eduqa.caches`.
"""
