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

from collections.abc import Mapping
from typing import Any

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

    Parameters
    ----------
    message
        Why, in words an analyst reading a log understands.
    reason
        The same as a key (``"saturated"``, ``"few_observations"``…; ``"other"`` when
        the raising code gives none). The shared analyses turn it into a keyed note
        (:class:`kinerja_analysis.analyses.notes.Note`) whose words a document takes
        from its catalogue in the document's language — the message itself never
        reaches a document.
    facts
        The numbers behind the reason, under English names (``{"n_obs": 40,
        "n_params": 40}``): counts and names of variables, never personal data.

    >>> e = NotEstimable("40 observations for 40 parameters", reason="saturated",
    ...                  facts={"n_obs": 40, "n_params": 40})
    >>> e.reason, e.facts["n_obs"], str(e)
    ('saturated', 40, '40 observations for 40 parameters')
    """

    def __init__(
        self, message: str = "", *, reason: str = "other", facts: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.facts = dict(facts or {})

    def __reduce__(self):  # pickled across processes with its reason and facts
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type, args: tuple, state: dict) -> BaseException:
    exc = Exception.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc
