"""Names of report files and folders made from untrusted text (OPD names).

An OPD name is typed by a person somewhere: it may be empty after cleaning (``"-"``),
collide with another spelling (``"Sekretariat Daerah"`` / ``"SEKRETARIAT DAERAH"``) or
try to leave the report folder (``"../../etc"``). :func:`slug` is the one way a text
becomes part of a path, and :func:`folder_names` gives every name of a set its own
folder:

- a slug holds only ``a-z``, ``0-9`` and single hyphens, at most 60 characters, so it
  never contains a path separator, ``..`` or a character a file system refuses;
- a name whose slug is shared with another name of the set, or is empty, gets a suffix
  of 8 hex characters of the SHA-256 of the name itself (NFC), so the folder depends on
  that name only and stays the same from run to run.

A slug Windows reserves for a device (``CON``, ``NUL``, ``COM1``) gets ``-opd``.

>>> folder_names(["Dinas Kesehatan", "Sekretariat Daerah", "SEKRETARIAT DAERAH", "-"])
{'Dinas Kesehatan': 'dinas-kesehatan', 'Sekretariat Daerah': 'sekretariat-daerah-97dc8161', \
'SEKRETARIAT DAERAH': 'sekretariat-daerah-9bd4cc26', '-': 'opd-3973e022'}
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from kinerja_analysis.core.deprecation import renamed_keywords

__all__ = ["slug", "folder_names", "MAX_SLUG"]

#: Longest slug (before a collision suffix); keeps paths well under OS limits.
MAX_SLUG = 60


#: Names Windows reserves for devices, with or without an extension (``con``,
#: ``nul.txt``): a folder so named cannot be made or copied there (agency machines).
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")


def _ascii_slug(teks: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", teks).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    s = s[:MAX_SLUG].rstrip("-")
    return f"{s}-opd" if _WINDOWS_DEVICES.match(s) else s


@renamed_keywords(teks="text")
def slug(text: str) -> str:
    """A file-name-safe slug: ``"Dinas Kesehatan"`` → ``"dinas-kesehatan"``.

    >>> slug("Dinas Kesehatan"), slug("NUL"), slug("Com1")
    ('dinas-kesehatan', 'nul-opd', 'com1-opd')

    Accents are folded to ASCII, every run of other characters becomes one hyphen, lower
    case, at most :data:`MAX_SLUG` characters.

    Raises
    ------
    ValueError
        ``text`` is not a string, or nothing usable is left (``"-"``, ``"???"``); use
        :func:`folder_names` when every name must get a folder.
    """
    if not isinstance(text, str):
        raise ValueError(f"slug: expected text, got {text!r}")
    s = _ascii_slug(text)
    if not s:
        raise ValueError(f"slug: {text!r} leaves no usable name")
    return s


def _suffix(name: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", name).encode("utf-8")).hexdigest()[:8]


def folder_names(names: Iterable[str], empty: str = "opd") -> dict[str, str]:
    """A distinct, stable folder name for every name.

    Parameters
    ----------
    names
        The names (duplicates are ignored).
    empty
        Stem for a name that leaves no slug (``"-"`` → ``"opd-3973e022"``).

    Returns
    -------
    dict
        ``{name: folder}``: folders are distinct and contain only ``a-z0-9-``. A name
        keeps its plain slug unless another name of the set has the same slug (then
        every such name gets its hash suffix).
    """
    uniq = list(dict.fromkeys(str(n) for n in names))
    base = {n: _ascii_slug(n) for n in uniq}
    count = Counter(base.values())
    out = {}
    for n in uniq:
        b = base[n]
        out[n] = b if b and count[b] == 1 else f"{b or empty}-{_suffix(n)}"
    # a plain slug may equal another name's suffixed folder ("x-1a2b3c4d"): suffix it too
    taken = Counter(out.values())
    for n in uniq:
        if taken[out[n]] > 1 and out[n] == base[n]:
            out[n] = f"{base[n]}-{_suffix(n)}"
    if len(set(out.values())) != len(out):  # pragma: no cover - needs a SHA-256 collision
        raise ValueError("folder_names: two names give the same folder")
    return out
