"""Planting changes into a synthetic city (``kinerja_analysis.data.synth.generate``'s
result) for tests: ASN hired later than the data's first period."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kinerja_analysis.core.periods import period_bounds


def rows_before(df: pd.DataFrame, hired: pd.Timestamp) -> pd.Series:
    """Rows of one table dated before ``hired``: a period that ended before it, a
    training that starts before it, a feedback session dated before it (whatever the
    employee)."""
    early = pd.Series(False, index=df.index)
    if "periode" in df.columns:
        ends = {p: period_bounds(str(p))[1] for p in df["periode"].unique()}
        early |= df["periode"].map(ends) < hired
    for c in ("tanggal_mulai", "tanggal"):
        if c in df.columns:
            early |= pd.to_datetime(df[c]) < hired
    return early


def hire_later(r, later: Sequence[str], hired: pd.Timestamp, *, keep_earlier: bool = False) -> None:
    """Make the ASN ``later`` (NIPs) hired on ``hired``: TMT CPNS that day, no row of any
    table before it (:func:`rows_before`), and a NIP whose digits 9–14 (the month of
    TMT CPNS) say so, in every table that names them. ``keep_earlier``: the rows before
    the hire are left in place (a careless export whose rows predate the appointment)."""
    later = list(later)
    peg = r.tables["pegawai"]
    peg.loc[peg["nip"].isin(later), "tmt_cpns"] = hired
    for name, df in list(r.tables.items()):
        cols = [c for c in ("nip", "id_penilai") if c in df.columns]
        if name == "pegawai" or not cols or keep_earlier:
            continue
        if not {"periode", "tanggal_mulai"} & set(df.columns):
            continue
        early = rows_before(df, hired)
        r.tables[name] = df.loc[~(df[cols].isin(later).any(axis=1) & early)]
    renamed = {n: n[:8] + hired.strftime("%Y%m") + n[14:] for n in later}
    for df in r.tables.values():
        for c in ("nip", "nip_atasan", "id_penilai"):
            if c in df.columns:
                df[c] = df[c].map(lambda x: renamed.get(x, x))
    assert r.tables["pegawai"]["nip"].is_unique
