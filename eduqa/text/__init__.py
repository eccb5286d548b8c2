"""Words for the reader: the captions of tables and figures (``captions``), the generated
sentences of the pages (``narrative``) and numbers as shown (``numbers``).

May import :mod:`eduqa.config`, :mod:`eduqa.indicators` and :mod:`eduqa.models`; never the
intake, the report or the project.
"""
