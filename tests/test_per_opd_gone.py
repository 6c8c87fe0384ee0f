"""A per-OPD batch withdraws the documents of OPDs that are no longer in the data
(renamed, merged or removed since the batch that wrote them)."""

from __future__ import annotations

import os

from kinerja_analysis.pipeline.batch import _MANIFEST, _withdraw_gone_opds
from kinerja_analysis.pipeline.console import TEXT
from kinerja_analysis.reporting.paths import folder_names


def _doc(folder, manifest: bool = True) -> None:
    folder.mkdir(parents=True)
    (folder / "laporan.html").write_text("<p>lama</p>")
    if manifest:
        (folder / _MANIFEST).write_text('{"runs": {}}')


def test_folders_of_opds_gone_from_the_data_are_withdrawn(tmp_path) -> None:
    out = tmp_path / "laporan"
    old = folder_names(["Rumah Sakit Umum Daerah", "Rumah-Sakit Umum Daerah", "Dinas Kesehatan"])
    now = folder_names(["Rumah Sakit Umum Daerah ", "Dinas Kesehatan"])
    for periode in ("2025Q3", "2025Q4"):
        for f in old.values():
            _doc(out / periode / "opd" / f)
    _doc(out / "2025Q4" / "opd" / "catatan-analis", manifest=False)  # not the batch's
    (out / "2025Q4" / "opd" / "tautan").symlink_to(out / "2025Q3" / "opd")
    gone = _withdraw_gone_opds(out, ["2025Q4"], now)
    left = sorted(p.name for p in (out / "2025Q4" / "opd").iterdir())
    # the two spellings had folders of their own (their names collided); both are gone,
    # the OPD kept under one spelling and the analyst's own folder and link stay
    assert len(set(old.values()) - set(now.values())) == 2
    assert left == ["catatan-analis", "dinas-kesehatan", "tautan"]
    assert gone == {"2025Q4": 2}
    # another period, not in this batch: untouched
    assert sorted(p.name for p in (out / "2025Q3" / "opd").iterdir()) == sorted(old.values())
    assert os.path.islink(out / "2025Q4" / "opd" / "tautan")
    # nothing left to withdraw, and a period without per-OPD folders: nothing said
    assert _withdraw_gone_opds(out, ["2025Q4", "2024Q1"], now) == {}


def test_the_withdrawal_is_said_in_both_languages() -> None:
    for bahasa, word in (("id", "Ditarik"), ("en", "Withdrawn")):
        line = TEXT("ringkas_opd_hilang", bahasa, n=2, periode="2025Q4")
        assert line.startswith(word) and "2025Q4" in line and "{" not in line
