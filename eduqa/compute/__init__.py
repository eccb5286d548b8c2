"""How tables are computed and stored: the pandas/Dask engine of a run (``engine``, chosen with
``--engine`` or ``EDUQA_COMPUTE``), fast column helpers (``frames``) and the processed data's
Parquet files and parts (``parquet``).

May import :mod:`eduqa.config`; never the intake, the analyses, the text or the report.
"""
