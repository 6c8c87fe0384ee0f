"""CONFIDENTIAL individual feedback sheets (``kinerja batch --rahasia``).

:func:`individual_sheet` — each employee's evaluation, strengths and weaknesses for one
period, identified by NIP, for the employee and their direct supervisor only;
:func:`write_confidential_sheets` writes one workbook per period outside ``reports/``.
Never part of a stakeholder document.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kinerja_analysis.analyses.shared import SharedResults
from kinerja_analysis.domain.perilaku import strengths_weaknesses
from kinerja_analysis.reporting.export import to_xlsx

# --------------------------------------------------------------------------- confidential sheets


def individual_sheet(ds, h: SharedResults, periode: str) -> pd.DataFrame:
    """CONFIDENTIAL: each employee's evaluation, strengths and weaknesses for one period.

    For the employee and their direct supervisor only — identified by NIP, never part of a
    stakeholder report. Written by ``kinerja batch --rahasia`` into a separate folder.

    Returns ``nip, opd, jabatan, predikat, capaian, rating_hasil, skor_perilaku,
    rating_perilaku, selisih_diri, kekuatan, kelemahan`` (dimensions where the employee
    stands at least one SD above/below peers in the same job family, with at least three
    raters; see :func:`kinerja_analysis.domain.perilaku.strengths_weaknesses`).
    """
    ev = h.evaluasi[h.evaluasi["periode"] == periode]
    sd = h.skor_dimensi[h.skor_dimensi["periode"] == periode]
    kk = strengths_weaknesses(sd, ds.pegawai)
    kk = kk[kk["kategori"].notna()]
    lists = (
        kk.groupby(["nip", "kategori"], observed=True)["dimensi"]
        .agg(lambda d: ", ".join(sorted(x.replace("_", " ") for x in d)))
        .unstack()
        .reindex(columns=["kekuatan", "kelemahan"])
    )
    cols = [
        "nip",
        "predikat",
        "capaian",
        "rating_hasil",
        "skor_perilaku",
        "rating_perilaku",
        "selisih_diri",
    ]
    out = ds.pegawai[["nip", "opd", "jabatan"]].merge(
        ev[[c for c in cols if c in ev]], on="nip", how="inner"
    )
    out = out.join(lists, on="nip")
    out["predikat"] = out["predikat"].astype("string[pyarrow]")
    return out.sort_values(["opd", "nip"], ignore_index=True)


def write_confidential_sheets(ds, h: SharedResults, periods, folder: str | Path) -> list[Path]:
    """Write one confidential XLSX per period into ``folder/<periode>/`` (atomic)."""

    written = []
    for p in periods:
        df = individual_sheet(ds, h, p)
        df.attrs["judul"] = f"RAHASIA — umpan balik individual {p}"
        target = Path(folder) / p / f"RAHASIA_umpan_balik_individu_{p}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(
            to_xlsx(
                {"rahasia": df},
                target,
                info={
                    "Klasifikasi": "RAHASIA — hanya untuk pegawai yang bersangkutan dan atasan langsung",
                    "Periode": p,
                    "Catatan": "Jangan diteruskan, dicetak untuk umum, atau dilampirkan pada laporan.",
                },
            )
        )
    return written
