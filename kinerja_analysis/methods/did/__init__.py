"""Staggered difference-in-differences: Callaway & Sant'Anna (2021) and TWFE beside it.

The engine works on any long panel (unit × period) with an absorbing, staggered
treatment. See :mod:`kinerja_analysis.methods.did.estimator` for what matches R ``did``.
"""

from kinerja_analysis.methods.did.estimator import DidResult, staggered_did
from kinerja_analysis.methods.did.twfe import twfe, twfe_event_study

__all__ = ["DidResult", "staggered_did", "twfe", "twfe_event_study"]
