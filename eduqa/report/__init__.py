"""What the office receives: display tables and the Excel workbook (``tables``), the Word report
(``word``), the figures (``plots``) and self-contained HTML pages (``html``).

May import the layers below it (config, compute, indicators, models, text); never the intake
or the project.
"""
