"""Writing files safely and fingerprinting the package's code.

- :func:`atomic_write` / :func:`atomic_writer` — every file the project writes goes to a
  unique temporary name in the target folder and is then ``os.replace``-d into place, so
  a reader (or a second run) never sees a half-written file, and a failed write leaves
  the previous file untouched. A file gets the permissions the user's umask gives a new
  file (as ``open`` would; :func:`new_file_mode`), except a ``private`` one (raw values,
  NIPs: the validated-data cache, validation outputs, a failed run's notebook), which is
  readable by its owner only (0600) whatever the umask.
- :func:`code_fingerprint` — one hash of the package's source and templates (recursive),
  used to decide whether cached results and reports are still current.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = [
    "atomic_write",
    "atomic_writer",
    "new_file_mode",
    "hash_bytes",
    "code_fingerprint",
    "within",
    "folder_of",
    "PACKAGE_ROOT",
]

#: The installed package folder (``kinerja_analysis/``).
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
#: File endings that belong to the code fingerprint (sources, templates, catalogues, data).
_CODE_SUFFIXES = (".py", ".j2", ".css", ".html", ".yaml", ".yml", ".json", ".md", ".toml", ".csv")


def within(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """True when ``path`` is ``folder`` or lies inside it, both resolved (links and
    ``..`` followed): the one test of "would this write into that folder".

    >>> within("/a/b/../b/c", "/a/b"), within("/a/bc", "/a/b")
    (True, False)
    """
    p, f = Path(path).expanduser().resolve(), Path(folder).expanduser().resolve()
    return p == f or f in p.parents


def folder_of(path: str | os.PathLike) -> Path:
    """The folder ``path`` lies in, as a message suggests it: as given, or absolute when
    ``path`` is a bare name (whose parent would print as ".").

    >>> str(folder_of("data/pegawai.csv"))
    'data'
    >>> folder_of("pegawai.csv") == Path.cwd()
    True
    """
    p = Path(path)
    return p.parent if str(p.parent) != "." else p.resolve().parent


def new_file_mode() -> int:
    """The permission bits of a file this process creates with ``open``: ``0o666``
    less the umask (0644 under the usual umask 022).

    The umask is read from ``/proc/self/status`` where the system has it (Linux);
    elsewhere it is read by setting it and putting it back, which is what Python offers.

    >>> new_file_mode() & 0o600
    384
    """
    mask = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                mask = int(line.split()[1], 8)
    if mask is None:
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, *, private: bool = False) -> Iterator[Path]:
    """Context manager yielding a temporary path; on success it replaces ``path``.

    The folder is created if needed. The temporary file is unique (several processes
    may write the same target at once: the last complete file wins, none is mixed).
    On an exception the temporary file is removed and ``path`` is left as it was.
    The file gets :func:`new_file_mode` (a document others may be meant to read), or
    0600 with ``private`` (a file holding personal data).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_writer(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("isi")
    >>> (d / "a.txt").read_text()
    'isi'
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o600 if private else new_file_mode())
        os.replace(tmp, p)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(
    path: str | os.PathLike,
    data: str | bytes | Callable[[Path], object],
    *,
    private: bool = False,
) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_writer`, also for
    ``private``); returns the path.

    ``data`` is text (written as UTF-8), bytes, or a callable that writes the temporary
    path it is given (e.g. ``lambda p: df.to_parquet(p, index=False)``).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", "isi").read_text()
    'isi'
    """
    with atomic_writer(path, private=private) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        elif isinstance(data, bytes | bytearray):
            tmp.write_bytes(bytes(data))
        else:
            data(tmp)
    return Path(path)


def json_text(obj: object, **kwargs: object) -> str:
    """``obj`` as strict JSON text: a float that is not finite (NaN, ±inf: "not
    available" in the project's tables) becomes ``null``, at any depth, since NaN is
    not JSON and strict parsers (browsers' ``JSON.parse``, Node) refuse it.
    ``kwargs`` go to :func:`json.dumps` (``allow_nan`` is always False).

    >>> json_text({"jp_rerata": float("nan"), "n": [1, float("inf")], "ok": 2.5})
    '{"jp_rerata": null, "n": [1, null], "ok": 2.5}'
    """
    import json  # lazy: few callers
    import math

    def clean(v: object) -> object:
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [clean(x) for x in v]
        return v

    return json.dumps(clean(obj), allow_nan=False, **kwargs)  # type: ignore[arg-type]


def hash_bytes(*parts: bytes) -> str:
    """SHA-256 over the SHA-256 of each part (so part boundaries count), as hex.

    >>> len(hash_bytes(b"a", b"b")), hash_bytes(b"ab") != hash_bytes(b"a", b"b")
    (64, True)
    """
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()


def code_fingerprint(root: str | os.PathLike | None = None) -> str:
    """Hash of every source, template and data file below ``root`` (default: the package).

    Recursive; file paths (relative to ``root``) count as well as contents, so editing,
    adding, renaming or removing any module, template or catalogue changes the fingerprint.
    Caches (``__pycache__``) and hidden files are skipped. Returns 16 hex characters.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "m.py").write_text("x = 1")
    >>> a = code_fingerprint(root)
    >>> _ = (root / "m.py").write_text("x = 2")
    >>> a != code_fingerprint(root), len(a)
    (True, 16)
    """
    base = Path(root) if root is not None else PACKAGE_ROOT
    files = sorted(
        p
        for p in base.rglob("*")
        if p.is_file()
        and p.suffix in _CODE_SUFFIXES
        and "__pycache__" not in p.parts
        and not any(part.startswith(".") for part in p.relative_to(base).parts)
    )
    parts = []
    for f in files:
        parts.append(f.relative_to(base).as_posix().encode())
        parts.append(f.read_bytes())
    return hash_bytes(*parts)[:16]
