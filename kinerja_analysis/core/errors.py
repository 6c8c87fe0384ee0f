"""The package's exceptions.

- :class:`KinerjaError` — base; its message is meant for the analyst (Indonesian).
- :class:`DatasetError` — the data cannot be used at all (missing table, unreadable file).
- :class:`PeriodError` — a period code that is not one, or a period the data do not have
  (also a ``ValueError``).
- :class:`ParameterError` — something the analyst asked for (an OPD, a folder…) that the
  data do not have (also a ``ValueError``).
- :class:`NotEstimable` — an analysis step that is legitimately impossible on these data
  (too few units, no variation, a singular design): the caller turns it into a note in
  the report. Programming errors (``KeyError``, ``TypeError``…) are never caught that way:
  they propagate.
"""

from __future__ import annotations

__all__ = ["KinerjaError", "DatasetError", "PeriodError", "ParameterError", "NotEstimable"]


class KinerjaError(Exception):
    """Base class of the package's errors; the message is meant for the user.

    Where the language is known (a batch's or a notebook's ``bahasa``), the message is
    the catalogue's text in that language (Indonesian by default, English with
    ``bahasa="en"``); errors meant for programmers are builtin exceptions in English.
    """


class DatasetError(KinerjaError):
    """The data cannot be used at all (missing table or column, unreadable file…).

    The message names the file, and where it applies the column, row and value.
    """


class PeriodError(KinerjaError, ValueError):
    """A value is not a valid period code (``YYYY-MM``, ``YYYYQn``, ``YYYYSn``, ``YYYY``),
    or a period asked for is not one of the data's."""


class ParameterError(KinerjaError, ValueError):
    """Something the analyst asked for is not in the data (an OPD of a notebook's ``opd``
    parameter…); the message names it and, where short, what is there."""


class NotEstimable(KinerjaError, ValueError):
    """An estimate cannot be made from these data (a legitimate outcome, not a bug).

    The message says why in words an analyst understands; shared analyses turn it into a
    note in the report (:func:`kinerja_analysis.analyses.shared.compute_shared`).
    """
