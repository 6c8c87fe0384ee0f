"""Staggered difference-in-differences: Callaway & Sant'Anna (2021) and TWFE beside it.

The engine works on any long panel (unit × period) with an absorbing, staggered
treatment, in stages, one module each: :mod:`.preprocess` → :mod:`.attgt` (the 2×2
DR/IPW/REG estimators) → :mod:`.influence` (influence functions) → :mod:`.aggregation`
→ :mod:`.bootstrap` (uniform bands) and :mod:`.pretrend`; :func:`staggered_did`
(:mod:`.estimator`) runs them. :mod:`.sensitivity` is the Rambachan & Roth (2023)
sensitivity analysis of an event study, :mod:`.twfe` two-way fixed effects.

Names are loaded on first use (PEP 562), so ``from kinerja_analysis.methods.did import
staggered_did`` does not import the TWFE path (pyfixest) or the sensitivity analysis.
"""

from __future__ import annotations

import importlib

__all__ = ["DidResult", "staggered_did", "twfe", "twfe_event_study"]

_WHERE = {
    "DidResult": "kinerja_analysis.methods.did.result",
    "staggered_did": "kinerja_analysis.methods.did.estimator",
    "twfe": "kinerja_analysis.methods.did.twfe",
    "twfe_event_study": "kinerja_analysis.methods.did.twfe",
}


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
