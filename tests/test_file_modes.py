"""File permissions: documents follow the user's umask (as ``open`` would), files with
personal data (validation outputs, caches, a failed run's notebook) are owner-only."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest

from kinerja_analysis.core.io import atomic_write, new_file_mode

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_written_file_gets_what_the_umask_gives(tmp_path, mask, expected) -> None:
    with umask(mask):
        assert new_file_mode() == expected
        assert _mode(atomic_write(tmp_path / "a.html", "isi")) == expected
        assert _mode(atomic_write(tmp_path / "b.bin", b"isi")) == expected
        # a writer that makes a new file at the temporary path gets the same
        assert _mode(atomic_write(tmp_path / "c.txt", lambda p: p.write_text("x"))) == expected
        # personal data: owner-only whatever the umask
        assert _mode(atomic_write(tmp_path / "d.csv", "nip", private=True)) == 0o600


def test_published_documents_are_readable_as_the_umask_says(tmp_path) -> None:
    from kinerja_analysis.pipeline.batch import publish

    with umask(0o022):
        publish(tmp_path, {"r.html": b"<p>x</p>", "r.pdf": b"%PDF", "r.xlsx": b"PK"})
    assert {p.name: _mode(p) for p in tmp_path.iterdir()} == {
        "r.html": 0o644,
        "r.pdf": 0o644,
        "r.xlsx": 0o644,
    }


def test_validation_outputs_are_owner_only(tmp_path, city_300) -> None:
    """masalah.csv and the rejects hold raw values (NIPs, names) as typed."""
    with umask(0o022):
        written = city_300.ds.validation.write(tmp_path / "validasi")
    assert written
    assert {p.name: _mode(p) for p in written if p.is_file()} == {
        p.name: 0o600 for p in written if p.is_file()
    }


def test_validated_data_cache_is_owner_only(tmp_path, city_300) -> None:
    """The cache holds every validated table (NIPs, names, birth dates): each file 0600
    and each folder it creates 0700 under the usual umask, rewritten tables too."""
    cache = tmp_path / "cache"
    for folder in ("tabel", "_validasi"):  # left by an older version: 0755
        (cache / folder).mkdir(parents=True)
        (cache / folder).chmod(0o755)
    cache.chmod(0o700)
    with umask(0o022):
        city_300.ds.save_cache(cache)
        city_300.ds.save_cache(cache)  # a table replaced in place
    found = [cache, *cache.rglob("*")]
    assert any(p.suffix == ".parquet" and "tabel" in p.parts for p in found)
    modes = {str(p.relative_to(tmp_path)): _mode(p) for p in found}
    assert modes == {k: 0o700 if (tmp_path / k).is_dir() else 0o600 for k in modes}
