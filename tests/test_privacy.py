"""Tests of small-cell suppression and the personal-data scan (synthetic, hand-worked)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.reporting.privacy import (
    check_small_cells,
    scan_personal_data,
    suppress_small_cells,
)

# ----------------------------------------------------------------------------- suppression


def test_lone_small_cell_pulls_next_smallest():
    df = pd.DataFrame(
        {"kelompok": list("abcd"), "n": [3, 10, 12, 50], "rerata": [1.0, 2.0, 3.0, 4.0]}
    )
    out = suppress_small_cells(df, "n", 5)
    assert out["disembunyikan"].tolist() == [True, True, False, False]
    assert out["rerata"].isna().tolist() == [True, True, False, False]
    assert out["n"].isna().tolist() == [True, True, False, False]
    # the published total (75) minus the shown cells (62) gives 13 = 3 + 10: not recoverable
    assert df["n"].sum() - out["n"].sum() == 13
    assert df["n"].tolist() == [3, 10, 12, 50]  # input untouched
    assert "disembunyikan" not in df.columns


def test_two_small_cells_summing_below_min_pull_a_third():
    # 1 and 2 hidden sum to 3 < 5: their values would follow (1 + 2, both >= 1), so hide 8 too
    df = pd.DataFrame({"n": [1, 2, 8, 40]})
    assert suppress_small_cells(df, "n", 5)["disembunyikan"].tolist() == [True, True, True, False]


def test_complement_within_by_groups():
    df = pd.DataFrame(
        {
            "opd": ["A"] * 3 + ["B"] * 3,
            "predikat": ["x", "y", "z"] * 2,
            "n": [2, 30, 20, 10, 20, 30],
        }
    )
    out = suppress_small_cells(df, "n", 5, by="opd")
    assert out["disembunyikan"].tolist() == [True, False, True, False, False, False]


def test_primary_only_when_no_total_shown_and_zero_cells():
    df = pd.DataFrame({"n": [3, 10, 0, 50]})
    assert suppress_small_cells(df, "n", 5, totals_shown=False)["disembunyikan"].tolist() == [
        True,
        False,
        False,
        False,
    ]
    assert suppress_small_cells(df, "n", 5, totals_shown=False, hide_zero=True)[
        "disembunyikan"
    ].tolist() == [True, False, True, False]
    out = suppress_small_cells(df, "n", 5, totals_shown=False, hide_count=False)
    assert out["n"].tolist() == [3, 10, 0, 50]


def test_two_way_margins_are_protected():
    rng = np.random.default_rng(7)
    opd = [f"OPD{i}" for i in range(6)]
    pred = ["SB", "B", "BP", "K", "SK"]
    df = pd.DataFrame([(o, p) for o in opd for p in pred], columns=["opd", "predikat"])
    df["n"] = rng.choice([0, 1, 2, 3, 4, 6, 15, 40, 120], size=len(df))
    out = suppress_small_cells(df, "n", 5, by="opd", also_by=["predikat"])
    hide = out["disembunyikan"].to_numpy()
    assert hide[(df["n"] > 0) & (df["n"] < 5)].all()
    for col in ("opd", "predikat"):
        for _, idx in df.groupby(col).groups.items():
            h = hide[idx]
            if h.any() and not h.all():
                # at least two hidden cells that together describe >= 5 employees
                assert h.sum() >= 2
                assert df["n"].to_numpy()[idx][h].sum() >= 5


def test_sembunyikan_bad_arguments():
    df = pd.DataFrame({"n": [1, 2]})
    with pytest.raises(ValueError, match="min_sel"):
        suppress_small_cells(df, "n", 0)
    with pytest.raises(ValueError, match="count column .jumlah."):
        suppress_small_cells(df, "jumlah", 5)
    with pytest.raises(ValueError, match="grouping column"):
        suppress_small_cells(df, "n", 5, by="opd")


def test_cek_sel_kecil_before_and_after():
    df = pd.DataFrame({"opd": list("abcd"), "n": [3, 10, 0, 50]})
    assert check_small_cells(df, "n", 5)["opd"].tolist() == ["a"]
    assert check_small_cells(df, "n", 5, allow_zero=False)["opd"].tolist() == ["a", "c"]
    assert len(check_small_cells(suppress_small_cells(df, "n", 5), "n", 5)) == 0


# ----------------------------------------------------------------------------- scan

NIP = "198501012010011001"  # synthetic: born 1985-01-01, CPNS 2010-01, male, no. 001
NIP2 = "199002152015032002"
NAMA = "Siti Aminah"


def _html(body: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def _write_clean(d):
    """Files a report could contain, with no personal data (hex digest, dates, counts)."""
    d.mkdir()
    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    (d / "laporan.html").write_text(
        _html(
            f"<p>6.012 ASN pada 20261128; checksum {digest}</p><img src='data:image/png;base64,iVBORw0KGgo='>"
        ),
        "utf-8",
    )
    (d / "run.log").write_text("2026-11-28 12:00:01 selesai 6012 baris, 24 OPD\n", "utf-8")
    (d / "tabel.csv").write_text("opd,n\nDinas Kesehatan,120\n", "utf-8")
    return d


def test_scan_finds_planted_data_in_html_pdf_xlsx_and_more(tmp_path):
    from openpyxl import Workbook
    from weasyprint import HTML

    d = tmp_path / "out"
    d.mkdir()
    html = _html(f"<table><tr><td>{NIP}</td><td>Siti&nbsp;Aminah</td></tr></table>")
    (d / "laporan.html").write_text(html, "utf-8")
    HTML(string=_html(f"<p>Pegawai teladan: {NAMA.upper()}, NIP {NIP2}.</p>")).write_pdf(
        d / "laporan.pdf"
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "nip"
    ws["A2"] = NIP2
    ws["B2"] = "siti aminah"
    # a NIP typed as a number: Excel keeps 15 significant digits, so the last ones are lost
    # (199002152015032000) -- no longer the known NIP, but still an 18-digit number
    ws["A3"] = int(NIP)
    wb.save(d / "tabel.xlsx")
    nb = {"cells": [{"cell_type": "code", "outputs": [{"text": [f"NIP: {NIP}\n"]}]}]}
    (d / "catatan.ipynb").write_text(json.dumps(nb), "utf-8")
    (d / "run.log").write_text("peringatan baris 4: NIP 19850101 201001 1 001 ganda\n", "utf-8")
    (d / "gambar.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")

    t = scan_personal_data([d], nip_values=[NIP, NIP2], names=[NAMA, "Ani"])
    by_file = {f.split("/")[-1]: set(g["jenis"]) for f, g in t.groupby("file")}
    assert by_file["laporan.html"] == {"nip_dikenal", "nama"}
    assert by_file["laporan.pdf"] == {"nip_dikenal", "nama"}
    assert by_file["tabel.xlsx"] == {"nip_dikenal", "nip", "nama"}
    assert by_file["catatan.ipynb"] == {"nip_dikenal"}
    assert by_file["run.log"] == {"nip_dikenal"}  # the printed 8-6-1-3 layout
    assert set(t.loc[t["file"].str.endswith("tabel.xlsx"), "lokasi"]) == {
        "Data!A2",
        "Data!B2",
        "Data!A3",
    }
    assert t.loc[t["file"].str.endswith("run.log"), "lokasi"].tolist() == ["baris 1"]
    # excerpts are masked: no NIP digits, no name
    joined = " ".join(t["cuplikan"]).lower()
    assert NIP not in joined and NIP2 not in joined and "aminah" not in joined
    assert "[NIP]" in " ".join(t["cuplikan"]) and "[NAMA]" in " ".join(t["cuplikan"])
    assert [p.split("/")[-1] for p, _ in t.attrs["dilewati"]] == ["gambar.png"]


def test_scan_unknown_18_digit_number_and_clean_files(tmp_path):
    d = _write_clean(tmp_path / "bersih")
    t = scan_personal_data(d, nip_values=[NIP], names=[NAMA, "Ani"])
    assert len(t) == 0
    assert len(t.attrs["dipindai"]) == 3
    # an 18-digit number nobody listed is still flagged; a 3-letter name is ignored
    (d / "lain.md").write_text("Ani menulis 200001012020121003 di sini.", "utf-8")
    t2 = scan_personal_data(d, nip_values=[NIP], names=[NAMA, "Ani"])
    assert t2["jenis"].tolist() == ["nip"]
    assert "Ani menulis [NIP] di sini." == t2["cuplikan"].iloc[0]


def test_scan_missing_path_raises(tmp_path):
    with pytest.raises(ValueError, match="no such file or folder"):
        scan_personal_data([tmp_path / "tidak-ada"], [], [])


def test_decimal_fractions_are_not_nips(tmp_path):
    from kinerja_analysis.reporting.privacy import scan_personal_data

    f = tmp_path / "angka.csv"
    f.write_text("nilai\n0.123456789012345678\n-0,987654321098765432\n", encoding="utf-8")
    assert scan_personal_data(f).empty
