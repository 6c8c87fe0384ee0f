"""kinerja_analysis — evaluating ASN performance management in an Indonesian local government.

The package holds all the logic of the kinerja workbook: loading and validating data
(:func:`load_dataset`), the synthetic Kotalama city (:mod:`.synth`), scoring, reliability,
causal estimates, survey analysis, narrative text, plots and the batch runner.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import DatasetError, KinerjaError
from .loading import Dataset, ValidationReport, load_dataset

try:
    __version__ = version("kinerja")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Dataset",
    "DatasetError",
    "KinerjaError",
    "ValidationReport",
    "load_dataset",
    "__version__",
]
