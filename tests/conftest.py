"""Synthetic cities shared by the test modules, each generated once per test session.

Generating, writing and validating a city (and computing its shared cross-period
results) is the slow part of many tests; modules that test different things on the
same city take it from here instead of building their own copy. The fixtures are
read-only by convention: a test that changes data copies it first.

* :func:`city_300` — 300 ASN, seed 3: the data folder and its validated ``Dataset``.
* :func:`city_400` — 400 ASN, seed 11: the city of the synthetic batch
  (:func:`synthetic_reports`) and of the as-of tests.
* :func:`city_1500` — 1,500 ASN, seed 5, with the shared results
  ``compute_shared(ds, seed=1, n_boot=199, reliability=False)``: large enough that the
  planted training effect is detected.
* :func:`synthetic_reports` — the batch over :func:`city_400` (see ``synthetic_reports.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from synthetic_reports import N_PEGAWAI, SEED, Reports, build_synthetic_reports

from kinerja_analysis.analyses.shared import SharedResults, compute_shared
from kinerja_analysis.data.loading import Dataset, load_dataset
from kinerja_analysis.data.synth import generate, write_dataset


@dataclass(frozen=True)
class City:
    """A synthetic city written to ``data_dir`` and loaded (``ds``); ``shared`` when computed."""

    data_dir: Path
    ds: Dataset
    shared: SharedResults | None = None


def _city(tmp_path_factory, name: str, n_pegawai: int, seed: int) -> City:
    data = tmp_path_factory.mktemp(name) / "kota"
    write_dataset(generate(n_pegawai=n_pegawai, seed=seed), data)
    return City(data, load_dataset(data))


@pytest.fixture(scope="session")
def city_300(tmp_path_factory) -> City:
    return _city(tmp_path_factory, "kota300", 300, 3)


@pytest.fixture(scope="session")
def city_400(tmp_path_factory) -> City:
    return _city(tmp_path_factory, "kota400", N_PEGAWAI, SEED)


@pytest.fixture(scope="session")
def city_1500(tmp_path_factory) -> City:
    c = _city(tmp_path_factory, "kota1500", 1500, 5)
    return City(c.data_dir, c.ds, compute_shared(c.ds, seed=1, n_boot=199, reliability=False))


@pytest.fixture(scope="session")
def synthetic_reports(city_400) -> Reports:
    return build_synthetic_reports(city_400.data_dir, tuple(city_400.ds.periods))
