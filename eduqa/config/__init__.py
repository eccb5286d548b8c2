"""What a county's project declares and where it lives: the project folders (``paths``), the
params files read and validated (``params``; a file read safely and its values checked in
``reading``, a season's input files found in ``season_files``), the settings objects handed to the analyses
(``settings``), the vocabulary of raw exports (``schema``: header aliases, subjects, status
markers, category codes), the canonical column labels (``labels``) and crash-safe writes
(``storage``).

The bottom layer: it imports nothing of eduqa but :mod:`eduqa.errors`, :mod:`eduqa.rules` and
:mod:`eduqa.caches`.
"""
