"""The paper analysis (试卷分析): classical item statistics of one paper (``statistics``), the 05
page's tables for the season's papers (``tables``) and their sentences (``text``). The item
exports themselves are read by :mod:`eduqa.intake.items`.

May import :mod:`eduqa.config`, :mod:`eduqa.compute`, :mod:`eduqa.models` and :mod:`eduqa.text`;
never the intake, the report or the project.
"""
