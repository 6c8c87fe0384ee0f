"""Official e-Kinerja results: the predikat as the agency recorded it, and how often it
agrees with the predikat computed from the numbers.

Under PermenPAN-RB 6/2022 the official record per employee and period is the
supervisor's *rating hasil kerja* and *rating perilaku kerja* (Di Atas / Sesuai / Di Bawah
Ekspektasi) and the resulting *predikat* (the matrix in
:mod:`kinerja_analysis.domain.predikat`). Many agencies have only these. Then the report
is built from them (:func:`official_evaluation`) and says what it cannot show: without
numeric 360° scores there is no rater leniency to correct and no reliability to measure;
without numeric SKP no capaian. When both exist, :func:`agreement_by_opd` says how often
the official predikat equals the computed one, per OPD, with Cohen's κ (chance-corrected;
:func:`statsmodels.stats.inter_rater.cohens_kappa`).

>>> import pandas as pd
>>> resmi = pd.DataFrame({"nip": ["a"], "periode": ["2025-01"],
...                       "rating_hasil": ["Sesuai Ekspektasi"],
...                       "rating_perilaku": ["Di Atas Ekspektasi"], "predikat": [None]})
>>> official_evaluation(resmi)[["predikat", "sumber_predikat"]].iloc[0].tolist()
['Baik', 'matriks']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kinerja_analysis.core.checks import require_columns
from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.deprecation import renamed_keywords
from kinerja_analysis.core.frames import concat_rows
from kinerja_analysis.core.periods import sort_periods
from kinerja_analysis.domain.predikat import PREDIKAT_DTYPE, PREDIKAT_ORDER, predikat

__all__ = [
    "official_evaluation",
    "agreement_by_opd",
    "agreement",
    "evaluation_by_period",
    "PREDIKAT_SOURCES",
    "SELURUH_OPD",
]

#: The label of the all-OPD row of :func:`agreement_by_opd`.
SELURUH_OPD = "Seluruh OPD"


def official_evaluation(resmi: pd.DataFrame) -> pd.DataFrame:
    """The official result per employee × period, in the shape of
    :func:`~kinerja_analysis.domain.predikat.evaluate_period`.

    Parameters
    ----------
    resmi
        The ``penilaian_resmi`` table: ``nip, periode`` and ``predikat`` and/or both
        ``rating_hasil`` and ``rating_perilaku`` (labels as in the contract).

    Returns
    -------
    DataFrame
        ``nip, periode, rating_hasil, rating_perilaku, predikat`` (ordered categorical),
        ``sumber_predikat`` (``"resmi"`` when recorded, ``"matriks"`` when derived from the
        two ratings by the PermenPAN-RB 6/2022 matrix), ``keterangan`` (``"resmi"``) and
        the numeric columns of ``evaluate_period`` (``capaian``, ``skor_perilaku``…) as
        missing: the official record has no numbers.

    Examples
    --------
    >>> resmi = pd.DataFrame({"nip": ["a", "b"], "periode": "2025Q1", "predikat": ["Baik", None], "rating_hasil": [None, "di_atas"], "rating_perilaku": [None, "di_atas"]})
    >>> official_evaluation(resmi)[["nip", "predikat", "sumber_predikat"]]
      nip     predikat sumber_predikat
    0   a         Baik           resmi
    1   b  Sangat Baik         matriks
    """
    require_columns(resmi, ["nip", "periode"], "official_evaluation: resmi")
    out = resmi[["nip", "periode"]].copy()
    for c in ("rating_hasil", "rating_perilaku", "predikat"):
        out[c] = resmi[c].astype(object).where(resmi[c].notna(), None) if c in resmi else None
    derived = predikat(
        pd.Series(out["rating_hasil"], index=out.index),
        pd.Series(out["rating_perilaku"], index=out.index),
    )
    recorded = out["predikat"].notna()
    out["predikat"] = pd.Series(
        pd.Categorical(
            np.where(recorded, out["predikat"], derived.astype(object)), dtype=PREDIKAT_DTYPE
        ),
        index=out.index,
    )
    out["sumber_predikat"] = np.where(recorded, "resmi", np.where(derived.notna(), "matriks", None))
    out["keterangan"] = "resmi"
    for c in ("capaian", "skor_perilaku", "skor_perilaku_mentah", "selisih_diri"):
        out[c] = np.nan
    for c in ("n_indikator", "n_dimensi", "n_penilai"):
        out[c] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out.reset_index(drop=True)


@renamed_keywords(hitung="computed")
def agreement(resmi: pd.Series, computed: pd.Series) -> dict[str, float]:
    """Agreement of two predikat columns over the rows where both are present.

    Returns
    -------
    dict
        ``n`` (pairs), ``n_sama`` (equal), ``pct_sama`` (share equal), ``kappa`` (Cohen's
        κ, unweighted, over the five predikat; NaN with fewer than 2 pairs or one
        category only). A value that is not one of the five predikat counts as
        missing. Reference: Cohen (1960), *Educational and Psychological
        Measurement* 20(1); computed by statsmodels.

    Raises
    ------
    ValueError
        When the two columns differ in length (they pair row by row).

    Examples
    --------
    >>> a = pd.Series(["Baik", "Baik", "Sangat Baik", None])
    >>> b = pd.Series(["Baik", "Sangat Baik", "Sangat Baik", "Baik"])
    >>> r = agreement(a, b)
    >>> r["n"], r["n_sama"], round(r["pct_sama"], 3)
    (3, 2, 0.667)
    """
    if len(resmi) != len(computed):
        raise ValueError(
            f"agreement: {len(resmi)} official and {len(computed)} computed predikat; "
            "the two columns pair row by row and must have the same length"
        )
    a, b = _predikat_codes(resmi), _predikat_codes(computed)
    both = (a >= 0) & (b >= 0)
    table = np.bincount(a[both] * 5 + b[both], minlength=25).reshape(5, 5)
    return _agreement_of_table(table)


def _predikat_codes(values: pd.Series) -> np.ndarray:
    """Position of each predikat in :data:`PREDIKAT_ORDER` (``int64``), ``-1`` when missing
    or not one of the five."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        values = values.cat.set_categories(list(PREDIKAT_ORDER))
    else:
        values = pd.Categorical(pd.Series(values, dtype=object), categories=PREDIKAT_ORDER)
    return np.asarray(pd.Series(values).cat.codes, dtype=np.int64)


def _agreement_of_table(table: np.ndarray) -> dict[str, float]:
    """:func:`agreement` from the 5 × 5 table of official (rows) × computed (columns)."""
    from statsmodels.stats.inter_rater import cohens_kappa  # lazy: statsmodels is heavy

    n = int(table.sum())
    same = int(np.trace(table))
    kappa = np.nan
    if n >= 2:
        t = table.astype(float)
        pe = (t.sum(0) * t.sum(1)).sum() / n**2
        if pe < 1 - 1e-12:
            kappa = float(cohens_kappa(t, return_results=False))
    return {"n": n, "n_sama": same, "pct_sama": same / n if n else np.nan, "kappa": kappa}


@renamed_keywords(hitung="computed")
def agreement_by_opd(
    resmi: pd.DataFrame, computed: pd.DataFrame, pegawai: pd.DataFrame
) -> pd.DataFrame:
    """How often the official predikat equals the one computed from the numbers, per OPD
    and period, and for all OPDs together.

    Parameters
    ----------
    resmi
        :func:`official_evaluation` output (``nip, periode, predikat``).
    computed
        :func:`~kinerja_analysis.domain.predikat.evaluate_period` output.
    pegawai
        ``nip, opd``.

    Returns
    -------
    DataFrame
        ``periode, opd`` (``"Seluruh OPD"`` for the total), ``n`` (employees with both
        predikat), ``n_sama``, ``pct_sama``, ``kappa``, ``n_resmi_lebih_tinggi`` (official
        predikat above the computed one), ``n_resmi_lebih_rendah``. Employee-level rows
        never leave; small OPDs are for the reporting layer to suppress.

    Examples
    --------
    >>> resmi = pd.DataFrame({"nip": ["a", "b", "c"], "periode": "2025Q1", "predikat": ["Baik", "Baik", "Sangat Baik"]})
    >>> computed = resmi.assign(predikat=["Baik", "Sangat Baik", "Sangat Baik"])
    >>> peg = pd.DataFrame({"nip": ["a", "b", "c"], "opd": ["A", "A", "B"]})
    >>> agreement_by_opd(resmi, computed, peg)[["periode", "opd", "n", "n_sama"]]
      periode          opd  n  n_sama
    0  2025Q1            A  2       1
    1  2025Q1            B  1       1
    2  2025Q1  Seluruh OPD  3       2
    """
    require_columns(resmi, ["nip", "periode", "predikat"], "agreement_by_opd: resmi")
    require_columns(computed, ["nip", "periode", "predikat"], "agreement_by_opd: computed")
    m = resmi[["nip", "periode", "predikat"]].merge(
        computed[["nip", "periode", "predikat"]],
        on=["nip", "periode"],
        suffixes=("_resmi", "_hitung"),
    )
    m = m.merge(pegawai[["nip", "opd"]].drop_duplicates("nip"), on="nip", how="left")
    # every (periode, OPD) table in one pass: 5 × 5 counts by bincount, not a crosstab per
    # group (288 groups at 100,000 ASN: 10 s → well under one)
    a, b = _predikat_codes(m["predikat_resmi"]), _predikat_codes(m["predikat_hitung"])
    p_code, p_values = pd.factorize(m["periode"], sort=True)
    o_code, o_values = pd.factorize(m["opd"], sort=True)  # an OPD not in pegawai: -1
    n_p, n_o = len(p_values), len(o_values) + 1  # the last "OPD" is the city total
    pair = np.where((a >= 0) & (b >= 0), a * 5 + b, -1)
    tables = np.zeros((n_p, n_o, 25), dtype=np.int64)
    seen = np.zeros((n_p, n_o), dtype=bool)
    for o in (o_code, np.full(len(m), n_o - 1)):
        kept = (o >= 0) & (p_code >= 0)
        seen[p_code[kept], o[kept]] = True
        ok = kept & (pair >= 0)
        cell = (p_code[ok] * n_o + o[ok]) * 25 + pair[ok]
        tables += np.bincount(cell, minlength=n_p * n_o * 25).reshape(n_p, n_o, 25)
    rows = []
    for i, periode in enumerate(p_values):
        for j in np.flatnonzero(seen[i]):
            t = tables[i, j].reshape(5, 5)
            rows.append(
                {
                    "periode": periode,
                    "opd": SELURUH_OPD if j == n_o - 1 else str(o_values[j]),
                    **_agreement_of_table(t),
                    # rows are the official predikat: below the diagonal it is higher
                    "n_resmi_lebih_tinggi": int(np.tril(t, -1).sum()),
                    "n_resmi_lebih_rendah": int(np.triu(t, 1).sum()),
                }
            )
    cols = ["periode", "opd", "n", "n_sama", "pct_sama", "kappa",
            "n_resmi_lebih_tinggi", "n_resmi_lebih_rendah"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


#: Where a period's predikat come from (:func:`evaluation_by_period`): computed from the
#: SKP and 360° numbers, the official record, or the official record with numeric SKP
#: capaian beside it.
PREDIKAT_SOURCES = ("angka", "resmi", "resmi_skp")


def evaluation_by_period(
    computed: pd.DataFrame | None, resmi: pd.DataFrame | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """One evaluation per employee × period, its predikat taken per period from the
    numbers where they exist and from the official record where only it exists.

    An agency that started 360° ratings in 2025 has the official e-Kinerja predikat of
    every employee for 2024 and computed ones from 2025: each period uses what its own
    data hold, never "no predikat" for a period whose official predikat are recorded.
    The source is chosen for a whole period (never mixed within one: official and
    computed predikat are not the same measurement).

    Parameters
    ----------
    computed
        :func:`~kinerja_analysis.domain.predikat.evaluate_period` output (``None``: no
        numeric SKP in the data).
    resmi
        :func:`official_evaluation` output (``None``: no official results).

    Returns
    -------
    evaluasi : DataFrame
        The rows of ``computed`` for the periods in which anyone has a computed
        predikat (or that have no official result), and the rows of ``resmi`` for the
        others, with the numeric SKP ``capaian`` and ``n_indikator`` of ``computed``
        beside them where those exist; ``computed`` itself when every period is
        computed.
    sources : dict
        ``{periode: source}`` for every period in either frame, in period order:
        ``"angka"`` (computed), ``"resmi"`` (official, no numeric SKP in the period) or
        ``"resmi_skp"`` (official predikat, SKP capaian available).

    Examples
    --------
    >>> comp = pd.DataFrame({"nip": ["a", "a"], "periode": ["2024Q4", "2025Q1"],
    ...     "capaian": [95.0, 101.0], "n_indikator": [3, 3], "predikat": [None, "Baik"]})
    >>> res = official_evaluation(pd.DataFrame({"nip": ["a", "a"], "periode": ["2024Q4", "2025Q1"],
    ...     "predikat": ["Sangat Baik", "Sangat Baik"]}))
    >>> ev, src = evaluation_by_period(comp, res)
    >>> src
    {'2024Q4': 'resmi_skp', '2025Q1': 'angka'}
    >>> ev[["periode", "predikat", "capaian"]].astype(str).values.tolist()
    [['2024Q4', 'Sangat Baik', '95.0'], ['2025Q1', 'Baik', '101.0']]
    """
    if computed is None and resmi is None:
        raise ValueError("evaluation_by_period: neither computed nor official results")
    frames = [f for f in (computed, resmi) if f is not None]
    periods = sort_periods(pd.concat([f["periode"].astype(TEXT_DTYPE) for f in frames]).unique())
    has_computed = (
        set(computed.loc[computed["predikat"].notna(), "periode"].astype(TEXT_DTYPE).unique())
        if computed is not None
        else set()
    )
    has_capaian = (
        set(computed.loc[computed["capaian"].notna(), "periode"].astype(TEXT_DTYPE).unique())
        if computed is not None and "capaian" in computed
        else set()
    )
    # the distinct periods first: a set of a column reads every row as a Python string
    has_resmi = set(resmi["periode"].astype(TEXT_DTYPE).unique()) if resmi is not None else set()
    sources = {}
    for p in periods:
        if computed is not None and (p in has_computed or p not in has_resmi):
            sources[p] = "angka"
        else:
            sources[p] = "resmi_skp" if p in has_capaian else "resmi"
    official = [p for p, s in sources.items() if s != "angka"]
    if not official:
        return computed, sources  # type: ignore[return-value]
    off = resmi.loc[resmi["periode"].astype(TEXT_DTYPE).isin(official).to_numpy()]  # type: ignore[union-attr]
    if computed is not None and has_capaian & set(official):
        h = computed[["nip", "periode", "capaian", "n_indikator"]]
        h = h.loc[h["periode"].astype(TEXT_DTYPE).isin(official).to_numpy()]
        off = off.drop(columns=["capaian", "n_indikator"]).merge(
            h, on=["nip", "periode"], how="left"
        )
    if len(official) == len(periods):
        return off.reset_index(drop=True), sources
    numeric = computed.loc[  # type: ignore[union-attr]
        ~computed["periode"].astype(TEXT_DTYPE).isin(official).to_numpy()  # type: ignore[union-attr]
    ]
    out = concat_rows([numeric, off])
    out["predikat"] = out["predikat"].astype(PREDIKAT_DTYPE)
    return out.sort_values(["nip", "periode"], kind="stable").reset_index(drop=True), sources
