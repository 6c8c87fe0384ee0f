"""One comparison of two :class:`~kinerja_analysis.analyses.shared.SharedResults`: every
frame (both absent, or equal) and the notes, for the tests that compute them twice."""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.analyses.shared import _FRAMES


def assert_same_shared(a, b, *, notes: bool = True, **frame_options) -> None:
    """Every frame of ``a`` equals ``b``'s (``pandas.testing.assert_frame_equal`` with
    ``frame_options``; a frame absent in one is absent in the other), and, with
    ``notes``, the same notes in the same order."""
    for name in _FRAMES:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pd.testing.assert_frame_equal(x, y, obj=name, **frame_options)
    if notes:
        assert a.notes == b.notes
