"""kinerja_analysis — evaluating ASN performance management in Indonesian local government.

The package is layered; each layer imports only those before it::

    core → data → methods → domain → analyses → reporting → pipeline

- :mod:`~kinerja_analysis.core` — errors, periods, text catalogues, result contract, defaults
- :mod:`~kinerja_analysis.data` — contract, schemas, mapping, loading, synthetic city
- :mod:`~kinerja_analysis.methods` — generic estimators (DiD, wild bootstrap, ICC, CFA…)
- :mod:`~kinerja_analysis.domain` — the regulations (SKP, 360°, predikat, IKM, survey)
- :mod:`~kinerja_analysis.analyses` — the study (panel, training, feedback, rollout…)
- :mod:`~kinerja_analysis.reporting` — facts, privacy, tables, narrative, plots, export
- :mod:`~kinerja_analysis.pipeline` — the batch and the ``kinerja`` command

Importing the package is cheap: :func:`load_dataset` and the other names below are
loaded on first use. Old flat module paths (``kinerja_analysis.did``…) still work for one
release with a ``DeprecationWarning`` (:mod:`kinerja_analysis.core.deprecation`).
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from kinerja_analysis.core.deprecation import install as _install_deprecated_paths

try:
    __version__ = version("kinerja")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

_install_deprecated_paths()

#: Public names loaded lazily: name → module that defines it.
_LAZY = {
    "Dataset": "kinerja_analysis.data.loading",
    "ValidationReport": "kinerja_analysis.data.loading",
    "load_dataset": "kinerja_analysis.data.loading",
    "DatasetError": "kinerja_analysis.core.errors",
    "KinerjaError": "kinerja_analysis.core.errors",
    "NotEstimable": "kinerja_analysis.core.errors",
    "DEFAULTS": "kinerja_analysis.core.config",
}

__all__ = [*_LAZY, "__version__"]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kinerja_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
