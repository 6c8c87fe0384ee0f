"""Predikat kinerja and its distribution (PermenPAN-RB 6/2022; SE MenPAN-RB 3/2023).

- :func:`predikat` — the matrix of hasil kerja × perilaku kerja ratings (not symmetric:
  poor behaviour gives *Kurang/Misconduct* whatever the results); :func:`evaluate_period`
  — hasil kerja, perilaku kerja and predikat per employee × period.
- :func:`check_distribution` — the share of each predikat per OPD against the
  distribution SE MenPAN-RB 3/2023 prescribes for the unit's own predikat.
- :func:`output_vs_competency` — how predikat moves when behaviour is counted beside
  output.

Every function is pure: inputs are never modified.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.core.checks import is_missing, require_columns
from kinerja_analysis.core.deprecation import renamed_columns, renamed_keywords
from kinerja_analysis.core.frames import merge_frames
from kinerja_analysis.core.results import TIDY_COLUMNS, Result, check_tidy, tidy_frame
from kinerja_analysis.domain.perilaku import (
    PerilakuCutoffs,
    RoleWeights,
    perilaku_kerja,
    summarise_perilaku,
)
from kinerja_analysis.domain.ratings import EPS, rating_label
from kinerja_analysis.domain.skp import HasilCutoffs, hasil_kerja

# --------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------


SANGAT_BAIK = "Sangat Baik"
BAIK = "Baik"
BUTUH_PERBAIKAN = "Butuh Perbaikan"
KURANG = "Kurang/Misconduct"
SANGAT_KURANG = "Sangat Kurang"

#: Predikat kinerja (PermenPAN-RB 6/2022), worst first, so that an ordered categorical
#: compares naturally (``"Baik" > "Butuh Perbaikan"``).
PREDIKAT_ORDER: tuple[str, ...] = (SANGAT_KURANG, KURANG, BUTUH_PERBAIKAN, BAIK, SANGAT_BAIK)
#: Ordered categorical dtype of :data:`PREDIKAT_ORDER`.
PREDIKAT_DTYPE = pd.CategoricalDtype(list(PREDIKAT_ORDER), ordered=True)

# (hasil, perilaku) -> predikat. PermenPAN-RB 6/2022; DESIGN.md section 3.
_PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("di_atas", "di_bawah"): KURANG,
    ("di_atas", "sesuai"): BAIK,
    ("di_atas", "di_atas"): SANGAT_BAIK,
    ("sesuai", "di_bawah"): KURANG,
    ("sesuai", "sesuai"): BAIK,
    ("sesuai", "di_atas"): BAIK,
    ("di_bawah", "di_bawah"): SANGAT_KURANG,
    ("di_bawah", "sesuai"): BUTUH_PERBAIKAN,
    ("di_bawah", "di_atas"): BUTUH_PERBAIKAN,
}

#: Organisation predikat used by SE MenPAN-RB 3/2023 to set the allowed distribution.
PREDIKAT_ORGANISASI: tuple[str, ...] = (
    "Istimewa",
    "Baik",
    "Butuh Perbaikan",
    "Kurang",
    "Sangat Kurang",
)


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# 3. Predikat
# --------------------------------------------------------------------------------------


def _predikat_one(h: object, p: object) -> object:
    if is_missing(h) or is_missing(p):
        return np.nan
    return _PREDIKAT_MATRIX[(rating_label(h), rating_label(p))]  # type: ignore[arg-type]


_SHORT: tuple[str, ...] = ("di_bawah", "sesuai", "di_atas")
_MISSING, _UNKNOWN = -1, -2
#: The matrix as codes: ``[hasil, perilaku]`` (both in ``_SHORT`` order) -> code in
#: :data:`PREDIKAT_ORDER`.
_MATRIX_CODES = np.array(
    [[PREDIKAT_ORDER.index(_PREDIKAT_MATRIX[(h, p)]) for p in _SHORT] for h in _SHORT]
)


def _rating_codes(values: np.ndarray) -> np.ndarray:
    """Index in ``_SHORT`` of each rating label; -1 missing, -2 unknown."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    lookup = np.empty(len(uniques), dtype=np.int64)
    for j, u in enumerate(uniques):
        if is_missing(u):
            lookup[j] = _MISSING
        else:
            try:
                lookup[j] = _SHORT.index(rating_label(u))
            except ValueError:
                lookup[j] = _UNKNOWN
    return lookup[codes]


def predikat(hasil, perilaku):
    """Predikat kinerja from the hasil kerja and perilaku kerja ratings.

    Parameters
    ----------
    hasil, perilaku
        Rating labels — ``"Di Atas Ekspektasi"``, ``"Sesuai Ekspektasi"``,
        ``"Di Bawah Ekspektasi"`` or the aliases ``"di_atas"``, ``"sesuai"``,
        ``"di_bawah"`` — as scalars, pandas Series or array-likes (a scalar is broadcast
        against the other argument). Missing values give a missing predikat.

    Returns
    -------
    str, Series or Categorical
        A string for two scalars; for a Series input a Series with the same index and the
        ordered dtype :data:`PREDIKAT_DTYPE`; for other array-likes a ``pd.Categorical``.

    Notes
    -----
    PermenPAN-RB 6/2022 (DESIGN.md section 3); rows hasil, columns perilaku:

    ============  =================  ===============  ===============
    hasil         perilaku Di Bawah  Sesuai           Di Atas
    ============  =================  ===============  ===============
    Di Atas       Kurang/Misconduct  Baik             Sangat Baik
    Sesuai        Kurang/Misconduct  Baik             Baik
    Di Bawah      Sangat Kurang      Butuh Perbaikan  Butuh Perbaikan
    ============  =================  ===============  ===============

    Unknown labels raise ``ValueError`` naming the value.

    Examples
    --------
    >>> predikat("di_atas", "di_atas"), predikat("sesuai", "di_bawah")
    ('Sangat Baik', 'Kurang/Misconduct')
    >>> predikat(pd.Series(["sesuai", None]), "sesuai").tolist()
    ['Baik', nan]
    """
    h_scalar = np.ndim(hasil) == 0
    p_scalar = np.ndim(perilaku) == 0
    if h_scalar and p_scalar:
        return _predikat_one(hasil, perilaku)
    index = None
    for x in (hasil, perilaku):
        if isinstance(x, pd.Series):
            index = x.index
            break
    h_arr = None if h_scalar else np.asarray(hasil, dtype=object)
    p_arr = None if p_scalar else np.asarray(perilaku, dtype=object)
    n = len(h_arr) if h_arr is not None else len(p_arr)  # type: ignore[arg-type]
    if h_arr is not None and p_arr is not None and len(h_arr) != len(p_arr):
        raise ValueError(f"hasil and perilaku differ in length ({len(h_arr)} vs {len(p_arr)})")
    if isinstance(hasil, pd.Series) and isinstance(perilaku, pd.Series):
        if not hasil.index.equals(perilaku.index):
            raise ValueError("hasil and perilaku Series must share the same index")
    h_codes = _rating_codes(np.full(n, hasil, dtype=object) if h_arr is None else h_arr)
    p_codes = _rating_codes(np.full(n, perilaku, dtype=object) if p_arr is None else p_arr)
    both = (h_codes != _MISSING) & (p_codes != _MISSING)
    bad = both & ((h_codes == _UNKNOWN) | (p_codes == _UNKNOWN))
    if bad.any():  # the first such row, hasil checked before perilaku (as row by row)
        i = int(np.argmax(bad))
        h_i = hasil if h_arr is None else h_arr[i]
        p_i = perilaku if p_arr is None else p_arr[i]
        _predikat_one(h_i, p_i)  # raises ValueError naming the value
    codes = np.where(both, _MATRIX_CODES[np.maximum(h_codes, 0), np.maximum(p_codes, 0)], -1)
    cat = pd.Categorical.from_codes(codes, dtype=PREDIKAT_DTYPE)
    if index is not None:
        return pd.Series(cat, index=index, name="predikat")
    return cat


def evaluate_period(
    skp: pd.DataFrame,
    perilaku: pd.DataFrame,
    *,
    hasil_cutoffs: HasilCutoffs = HasilCutoffs(),
    perilaku_cutoffs: PerilakuCutoffs = PerilakuCutoffs(),
    weights: RoleWeights = RoleWeights(),
    adjust: bool = True,
    shrinkage_k: float | Literal["auto"] = "auto",
    cap: float = 120.0,
    waktu_rule: Literal["permenpan", "bkn2013", "rasio"] = "permenpan",
    skor_dimensi: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Hasil, perilaku and predikat per employee x period.

    ``skor_dimensi`` is :func:`~kinerja_analysis.domain.perilaku.perilaku_kerja` output
    already computed with the same ``weights``, ``adjust`` and ``shrinkage_k`` (the 360°
    rater model is then not fitted a second time); ``perilaku`` is not read then.

    Returns
    -------
    DataFrame
        ``nip, periode, capaian, n_indikator, rating_hasil, skor_perilaku,
        skor_perilaku_mentah, n_dimensi, n_penilai, selisih_diri, rating_perilaku,
        predikat`` (ordered categorical, missing when a side is missing) and
        ``keterangan``: ``"lengkap"``, ``"tanpa_perilaku"`` (no perilaku ratings) or
        ``"tanpa_hasil"`` (no SKP). Nobody is dropped.

    Notes
    -----
    Outer join of :func:`hasil_kerja` and :func:`summarise_perilaku` (of
    :func:`perilaku_kerja`) on ``nip, periode``; predikat by :func:`predikat`.

    Examples
    --------
    >>> skp = pd.DataFrame({"nip": ["a", "b"], "periode": "2025Q1", "indikator": "i", "aspek": "kuantitas", "target": 10.0, "realisasi": [12.0, 8.0]})
    >>> per = pd.DataFrame({"nip": ["a", "b"], "periode": "2025Q1", "dimensi": "loyal", "id_penilai": "s", "peran_penilai": "atasan", "skor": 4.0})
    >>> evaluate_period(skp, per, adjust=False)[["nip", "capaian", "predikat"]]
      nip  capaian         predikat
    0   a    120.0             Baik
    1   b     80.0  Butuh Perbaikan
    """
    h = hasil_kerja(skp, cutoffs=hasil_cutoffs, cap=cap, waktu_rule=waktu_rule)
    ps = (
        skor_dimensi
        if skor_dimensi is not None
        else perilaku_kerja(perilaku, weights=weights, adjust=adjust, shrinkage_k=shrinkage_k)
    )
    p = summarise_perilaku(ps, cutoffs=perilaku_cutoffs)
    p = p.drop(columns=["skor_diri"])
    out = merge_frames(h, p, on=["nip", "periode"], how="outer", sort=True)
    out["predikat"] = predikat(out["rating_hasil"], out["rating_perilaku"])
    ket = pd.Series("lengkap", index=out.index, dtype=object)
    ket[out["rating_perilaku"].isna()] = "tanpa_perilaku"
    ket[out["rating_hasil"].isna()] = "tanpa_hasil"
    out["keterangan"] = ket
    out["n_indikator"] = out["n_indikator"].astype("Int64")
    out["n_dimensi"] = out["n_dimensi"].astype("Int64")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# 4. Distribution of predikat per OPD (SE MenPAN-RB 3/2023)
# --------------------------------------------------------------------------------------

# (rule text, categories counted, operator, limit)
_DISTRIBUSI_RULES: dict[str, tuple[tuple[str, tuple[str, ...], str, float], ...]] = {
    "Istimewa": (("Sangat Baik paling banyak 70%", (SANGAT_BAIK,), "<=", 0.70),),
    "Baik": (
        ("Baik paling banyak 70%", (BAIK,), "<=", 0.70),
        (
            "ada Butuh Perbaikan dan/atau Kurang/Misconduct (lebih dari 0%)",
            (BUTUH_PERBAIKAN, KURANG),
            ">",
            0.0,
        ),
    ),
    "Butuh Perbaikan": (
        ("Butuh Perbaikan paling sedikit 60%", (BUTUH_PERBAIKAN,), ">=", 0.60),
        ("Sangat Baik paling banyak 10%", (SANGAT_BAIK,), "<=", 0.10),
    ),
    "Kurang": (
        ("Kurang/Misconduct paling sedikit 60%", (KURANG,), ">=", 0.60),
        ("Butuh Perbaikan paling sedikit 10%", (BUTUH_PERBAIKAN,), ">=", 0.10),
        ("Sangat Baik paling banyak 10%", (SANGAT_BAIK,), "<=", 0.10),
    ),
    "Sangat Kurang": (
        ("Sangat Kurang paling sedikit 60%", (SANGAT_KURANG,), ">=", 0.60),
        (
            "Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10%",
            (KURANG, BUTUH_PERBAIKAN),
            ">=",
            0.10,
        ),
        ("tidak ada Sangat Baik (0%)", (SANGAT_BAIK,), "<=", 0.0),
    ),
}


def _check_rule(k: int, n: int, op: str, limit: float) -> tuple[object, float, float]:
    """Return (patuh, selisih as a share, selisih in employees) for ``k`` of ``n``."""
    if n == 0:
        return pd.NA, np.nan, np.nan
    prop = k / n
    if op == "<=":
        gap = prop - limit
        people = math.ceil(gap * n - EPS)
    elif op == ">=":
        gap = limit - prop
        people = math.ceil(gap * n - EPS)
    else:  # ">": strictly more than the limit; the fewest extra employees is one step
        need = math.floor(limit * n + EPS) + 1
        people = need - k
        gap = people / n
    if gap <= EPS or people <= 0:
        return True, 0.0, 0.0
    return False, float(gap), float(people)


def check_distribution(
    evaluasi: pd.DataFrame,
    pegawai: pd.DataFrame,
    predikat_organisasi: Literal["Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
    | Mapping[str, str],
) -> pd.DataFrame:
    """Check the distribution of predikat per OPD (x period) against SE MenPAN-RB 3/2023.

    Parameters
    ----------
    evaluasi
        Output of :func:`evaluate_period` (``nip``, ``predikat``, optionally
        ``periode`` and ``opd``).
    pegawai
        The ``pegawai`` table (``nip, opd``), used when ``evaluasi`` has no ``opd``.
    predikat_organisasi
        The organisation's own predikat, one for all OPDs or a mapping OPD -> predikat.

    Returns
    -------
    DataFrame
        One row per OPD (x periode) x rule: ``opd, periode, predikat_organisasi, aturan``
        (rule text), ``kategori`` (predikat counted, joined by ``" + "``),
        ``operator`` (``<=``, ``>=``, ``>``), ``batas`` (limit, share), ``n_pegawai``
        (employees with a predikat), ``n_kategori``, ``proporsi`` (observed share),
        ``patuh`` (boolean; NA when nobody has a predikat), ``selisih`` (share by which
        the rule is violated, 0 when compliant) and ``selisih_pegawai`` (the fewest
        employees whose predikat would have to change).

    Notes
    -----
    Rules (DESIGN.md section 3): Istimewa — Sangat Baik <= 70 %; Baik — Baik <= 70 % and
    Butuh Perbaikan + Kurang/Misconduct > 0 %; Butuh Perbaikan — Butuh Perbaikan >= 60 %,
    Sangat Baik <= 10 %; Kurang — Kurang/Misconduct >= 60 %, Butuh Perbaikan >= 10 %,
    Sangat Baik <= 10 %; Sangat Kurang — Sangat Kurang >= 60 %, Kurang/Misconduct +
    Butuh Perbaikan >= 10 %, Sangat Baik = 0 %. Limits are inclusive (exactly 70 % is
    compliant). Employees without a predikat (one side missing) are not counted.

    Examples
    --------
    >>> ev = pd.DataFrame({"nip": list("abcdefghij"), "opd": "Dinas A", "predikat": ["Sangat Baik"] * 8 + ["Baik"] * 2})
    >>> c = check_distribution(ev, ev[["nip", "opd"]], "Istimewa")
    >>> c[["aturan", "proporsi", "patuh", "selisih_pegawai"]]
                              aturan  proporsi  patuh  selisih_pegawai
    0  Sangat Baik paling banyak 70%       0.8  False              1.0
    """
    require_columns(evaluasi, ["nip", "predikat"], "cek_distribusi: evaluasi")
    ev = evaluasi.copy()
    if "opd" not in ev.columns:
        require_columns(pegawai, ["nip", "opd"], "cek_distribusi: pegawai")
        ev = ev.merge(pegawai[["nip", "opd"]].drop_duplicates("nip"), on="nip", how="left")
    if ev["opd"].isna().any():
        n_missing = int(ev["opd"].isna().sum())
        raise ValueError(f"cek_distribusi: {n_missing} evaluation row(s) have no OPD in pegawai")
    group_cols = ["opd", "periode"] if "periode" in ev.columns else ["opd"]
    opds = pd.unique(ev["opd"])
    if isinstance(predikat_organisasi, str):
        org_map = {o: predikat_organisasi for o in opds}
    elif isinstance(predikat_organisasi, Mapping):
        missing = [o for o in opds if o not in predikat_organisasi]
        if missing:
            raise ValueError(f"cek_distribusi: no predikat_organisasi for OPD(s) {missing[:5]}")
        org_map = dict(predikat_organisasi)
    else:
        raise ValueError("predikat_organisasi must be a label or a mapping OPD -> label")
    for o in opds:
        if org_map[o] not in _DISTRIBUSI_RULES:
            raise ValueError(
                f"unknown predikat_organisasi {org_map[o]!r} for OPD {o!r}; "
                f"expected one of {list(PREDIKAT_ORGANISASI)}"
            )
    pred = ev["predikat"].astype(object)
    unknown = pred.notna() & ~pred.isin(PREDIKAT_ORDER)
    if unknown.any():
        raise ValueError(f"cek_distribusi: unknown predikat {pred[unknown].iloc[0]!r}")
    ev = ev.assign(predikat=pred)
    rows = []
    for key, grp in ev.groupby(group_cols, sort=True, observed=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        ctx = dict(zip(group_cols, key, strict=True))
        org = org_map[ctx["opd"]]
        valid = grp["predikat"].dropna()
        n = len(valid)
        for text, cats, op, limit in _DISTRIBUSI_RULES[org]:
            k = int(valid.isin(cats).sum())
            prop = k / n if n else float("nan")
            patuh, gap, people = _check_rule(k, n, op, limit)
            rows.append(
                {
                    **ctx,
                    "predikat_organisasi": org,
                    "aturan": text,
                    "kategori": " + ".join(cats),
                    "operator": op,
                    "batas": limit,
                    "n_pegawai": n,
                    "n_kategori": k,
                    "proporsi": prop,
                    "patuh": patuh,
                    "selisih": gap,
                    "selisih_pegawai": people,
                }
            )
    out = pd.DataFrame(rows)
    if len(out):
        out["patuh"] = out["patuh"].astype("boolean")
    return out


# --------------------------------------------------------------------------------------
# 6. Output versus competency
# --------------------------------------------------------------------------------------


@renamed_keywords(korelasi="correlations", bobot_hasil="hasil_weight")
@dataclass(frozen=True)
class OutputVsCompetency(Result):
    """Ranking and predikat by output alone versus with behaviour.

    Attributes
    ----------
    pegawai
        Per employee x period: ``nip, periode, opd, capaian, skor_perilaku, komposit,
        peringkat_hasil, peringkat_komposit, selisih_peringkat, predikat_hasil_saja,
        predikat, perubahan`` (``"naik"``, ``"turun"``, ``"tetap"``).
    per_opd
        ``opd, periode, n_pegawai, n_naik, n_turun, n_tetap, prop_naik, prop_turun``.
    correlations
        Spearman correlations per period in the tidy column set (+ ``periode``).
    hasil_weight
        Weight of the standardised capaian in the composite.
    """

    pegawai: pd.DataFrame
    per_opd: pd.DataFrame
    correlations: pd.DataFrame
    hasil_weight: float

    def tidy(self) -> pd.DataFrame:
        """The Spearman correlations per period (tidy, + ``periode``)."""
        return check_tidy(tidy_frame(self.correlations))

    def glance(self) -> pd.DataFrame:
        """Employee-periods compared, how many moved up or down, the output weight
        (``hasil_weight``; ``bobot_hasil`` before this release, which reads with a warning
        until the next)."""
        p = self.pegawai
        glance = pd.DataFrame(
            [
                {
                    "n_pegawai_periode": len(p),
                    "n_naik": int((p["perubahan"] == "naik").sum()),
                    "n_turun": int((p["perubahan"] == "turun").sum()),
                    "hasil_weight": self.hasil_weight,
                }
            ]
        )
        return renamed_columns(
            glance, {"bobot_hasil": "hasil_weight"}, "OutputVsCompetency.glance()"
        )


def _spearman_row(x: pd.Series, y: pd.Series, term: str) -> dict[str, object]:
    n = int(len(x))
    if n < 4 or x.nunique() < 2 or y.nunique() < 2:
        rho = p = se = lo = hi = np.nan
    else:
        from scipy import stats  # lazy: 0.4 s to import; only for these correlations

        res = stats.spearmanr(x, y)
        rho, p = float(res.statistic), float(res.pvalue)
        rho_c = min(max(rho, -0.999999), 0.999999)
        se_z = math.sqrt((1 + rho_c**2 / 2) / (n - 3))
        zc = math.atanh(rho_c)
        lo, hi = math.tanh(zc - 1.959964 * se_z), math.tanh(zc + 1.959964 * se_z)
        se = (1 - rho_c**2) * se_z
    return {
        "term": term,
        "estimate": rho,
        "std_error": se,
        "ci_low": lo,
        "ci_high": hi,
        "p_value": p,
        "n_obs": n,
        "method": "Spearman; CI Fisher z with Bonett-Wright SE",
    }


#: How an employee's predikat changes when behaviour counts beside output (the
#: ``perubahan`` of :func:`output_vs_competency`): higher, lower, the same.
CHANGES = ("naik", "turun", "tetap")


@renamed_keywords(bobot_hasil="hasil_weight")
def output_vs_competency(
    evaluasi: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    hasil_weight: float = 0.6,
) -> OutputVsCompetency:
    """Does judging by output alone rank and label employees differently?

    Parameters
    ----------
    evaluasi
        Output of :func:`evaluate_period` (``nip, periode, capaian, rating_hasil,
        skor_perilaku, predikat``).
    pegawai
        The ``pegawai`` table (``nip, opd``).
    hasil_weight
        Weight of output in the composite; behaviour gets ``1 - hasil_weight``. Default
        0.6 / 0.4, the SKP / perilaku weights of the former PP 46/2011 appraisal
        (PermenPAN-RB 6/2022 itself sets no numeric weights).

    Returns
    -------
    HasilVsKompetensi
        ``.pegawai``, ``.per_opd``, ``.korelasi`` (see the class).

    Notes
    -----
    Only employee-periods with both sides are used. ``komposit = w z(capaian) + (1 - w)
    z(skor_perilaku)``, z-scores within the period. Ranks within period, 1 = best
    (ties share the lowest rank). *predikat_hasil_saja* treats everyone's perilaku as
    Sesuai; *perubahan* compares the full predikat with it (``"naik"`` = full predikat
    higher). Spearman correlations: capaian vs composite and capaian vs perilaku, with a
    95 % CI from Fisher's z with the Bonett-Wright (2000) standard error.
    """
    require_columns(
        evaluasi,
        ["nip", "periode", "capaian", "rating_hasil", "skor_perilaku", "predikat"],
        "hasil_vs_kompetensi",
    )
    if not 0.0 <= hasil_weight <= 1.0:
        raise ValueError(f"hasil_weight must lie in [0, 1], got {hasil_weight!r}")
    ev = evaluasi[["nip", "periode", "capaian", "rating_hasil", "skor_perilaku", "predikat"]].copy()
    ev = ev[ev["capaian"].notna() & ev["skor_perilaku"].notna() & ev["predikat"].notna()]
    if "opd" in evaluasi.columns:
        ev["opd"] = evaluasi.loc[ev.index, "opd"]
    else:
        require_columns(pegawai, ["nip", "opd"], "hasil_vs_kompetensi: pegawai")
        ev = ev.merge(pegawai[["nip", "opd"]].drop_duplicates("nip"), on="nip", how="left")

    def z(s: pd.Series) -> pd.Series:
        sd = s.std()
        return (s - s.mean()) / sd if sd and sd > 0 else s * 0.0

    by = ev.groupby("periode", observed=True)
    ev["komposit"] = hasil_weight * by["capaian"].transform(z) + (1 - hasil_weight) * by[
        "skor_perilaku"
    ].transform(z)
    ev["peringkat_hasil"] = by["capaian"].rank(ascending=False, method="min").astype(int)
    ev["peringkat_komposit"] = by["komposit"].rank(ascending=False, method="min").astype(int)
    ev["selisih_peringkat"] = ev["peringkat_hasil"] - ev["peringkat_komposit"]
    ev["predikat_hasil_saja"] = predikat(ev["rating_hasil"], "sesuai")
    full = pd.Series(pd.Categorical(ev["predikat"].astype(object), dtype=PREDIKAT_DTYPE))
    full.index = ev.index
    ev["predikat"] = full
    codes_full = full.cat.codes
    codes_out = ev["predikat_hasil_saja"].cat.codes
    ev["perubahan"] = np.select(
        [codes_full > codes_out, codes_full < codes_out], list(CHANGES[:2]), CHANGES[2]
    )
    pegawai_out = ev[
        [
            "nip",
            "periode",
            "opd",
            "capaian",
            "skor_perilaku",
            "komposit",
            "peringkat_hasil",
            "peringkat_komposit",
            "selisih_peringkat",
            "predikat_hasil_saja",
            "predikat",
            "perubahan",
        ]
    ].reset_index(drop=True)
    # counted as sums of flags: whole numbers also when no employee has both sides
    # (a period whose SKP rows were all rejected), where per-group functions give text
    counts = pegawai_out[["opd", "periode", "nip"]].assign(
        **{f"n_{k}": (pegawai_out["perubahan"] == k).astype("int64") for k in CHANGES}
    )
    per_opd = (
        counts.groupby(["opd", "periode"], observed=True, dropna=False)
        .agg(n_pegawai=("nip", "size"), **{f"n_{k}": (f"n_{k}", "sum") for k in CHANGES})
        .reset_index()
    )
    per_opd["prop_naik"] = per_opd["n_naik"] / per_opd["n_pegawai"]
    per_opd["prop_turun"] = per_opd["n_turun"] / per_opd["n_pegawai"]
    rows = []
    for per, g in pegawai_out.groupby("periode", observed=True, sort=True):
        for term, other in (
            ("spearman(capaian, komposit)", "komposit"),
            ("spearman(capaian, skor_perilaku)", "skor_perilaku"),
        ):
            rows.append({"periode": per, **_spearman_row(g["capaian"], g[other], term)})
    korelasi = pd.DataFrame(rows, columns=["periode", *TIDY_COLUMNS])
    return OutputVsCompetency(
        pegawai=pegawai_out, per_opd=per_opd, correlations=korelasi, hasil_weight=hasil_weight
    )
