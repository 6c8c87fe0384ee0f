"""Planting changes into a synthetic city (``kinerja_analysis.data.synth.generate``'s
result) for tests: ASN hired later than the data's first period."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kinerja_analysis.core.periods import period_bounds


def hire_later(r, later: Sequence[str], hired: pd.Timestamp) -> None:
    """Make the ASN ``later`` (NIPs) hired on ``hired``: TMT CPNS that day, no row of any
    table before it (periods ending before it, trainings starting before it), and a NIP
    whose digits 9–14 (the month of TMT CPNS) say so, in every table that names them."""
    later = list(later)
    peg = r.tables["pegawai"]
    peg.loc[peg["nip"].isin(later), "tmt_cpns"] = hired
    for name, df in list(r.tables.items()):
        cols = [c for c in ("nip", "id_penilai") if c in df.columns]
        if name == "pegawai" or not cols:
            continue
        if "periode" in df.columns:
            early = df["periode"].map(lambda c: period_bounds(str(c))[1]) < hired
        elif "tanggal_mulai" in df.columns:
            early = pd.to_datetime(df["tanggal_mulai"]) < hired
        else:
            continue
        r.tables[name] = df.loc[~(df[cols].isin(later).any(axis=1) & early)]
    renamed = {n: n[:8] + hired.strftime("%Y%m") + n[14:] for n in later}
    for df in r.tables.values():
        for c in ("nip", "nip_atasan", "id_penilai"):
            if c in df.columns:
                df[c] = df[c].map(lambda x: renamed.get(x, x))
    assert r.tables["pegawai"]["nip"].is_unique
