"""eduqa: reproducible exam-quality analysis for county and district education bureaus."""

__version__ = "0.1.0"
__all__ = ["__version__"]
