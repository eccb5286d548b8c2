"""Words for the reader: the captions of tables and figures (``captions``), the generated
sentences of the pages (``narrative``, a module per page) and numbers as shown (``numbers``).

May import :mod:`eduqa.config` and :mod:`eduqa.rules`; never the models, the indicators or any
other statistics (the numbers come in as arguments), the intake, the report or the project.
"""
