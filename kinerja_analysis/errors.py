"""Errors raised by kinerja_analysis."""

from __future__ import annotations

__all__ = ["KinerjaError", "DatasetError"]


class KinerjaError(Exception):
    """Base class of the package's errors; the message is meant for the user."""


class DatasetError(KinerjaError):
    """The data cannot be used at all (missing table or column, unreadable file…).

    The message names the file, and where it applies the column, row and value.
    """
