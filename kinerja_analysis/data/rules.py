"""The rules of a table and across tables: keys, NIP / NI PPPK structure, periods,
plausibility, references with their root cause, supervisor loops.

Called by :func:`kinerja_analysis.data.loading.validate_dataset` after every table is
parsed (:mod:`kinerja_analysis.data.validation`). Each rule is a vectorised expression over
whole columns; messages are built only for the failing rows.

Sources: NIP layout — PP 11/2017 and Perka BKN 22/2007 (birth date, CPNS start month,
gender digit, sequence from 001); NI PPPK layout — birth date, year of appointment, code
``21``, gender digit, sequence; predikat matrix — PermenPAN-RB 6/2022 annex; capaian —
PermenPAN-RB 8/2021 annex.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.periods import (
    is_period,
    missing_periods,
    parse_period,
    period_bounds,
    sort_periods,
)
from kinerja_analysis.core.personal import (
    NIP_KINDS,
    Register,
    is_person_id,
    name_forms,
    words,
)
from kinerja_analysis.data.contract import (
    GOLONGAN,
    GOLONGAN_PPPK,
    PERIOD_TABLES,
    PREDIKAT,
    RATING,
)
from kinerja_analysis.data.readers import copy_key, remap_codes, sheet_label
from kinerja_analysis.data.validation import (
    DATE_RANGE,
    MIN_ID_CHARS,
    NIP_SEPARATORS,
    TableState,
    _bool,
    _cat_series,
    broken_row_ids,
    broken_row_reason,
    id_key,
    reject,
)

__all__ = [
    "check_all",
    "EMPLOYEE_PERIOD_TABLES",
    "PREDIKAT_MATRIX",
    "next_period_start",
    "personal_data",
    "register_of",
]

#: (rating hasil, rating perilaku) → predikat, PermenPAN-RB 6/2022 annex (DESIGN.md §3);
#: equal to the domain's matrix (tested).
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    (RATING[2], RATING[0]): PREDIKAT[1],
    (RATING[2], RATING[1]): PREDIKAT[3],
    (RATING[2], RATING[2]): PREDIKAT[4],
    (RATING[1], RATING[0]): PREDIKAT[1],
    (RATING[1], RATING[1]): PREDIKAT[3],
    (RATING[1], RATING[2]): PREDIKAT[3],
    (RATING[0], RATING[0]): PREDIKAT[0],
    (RATING[0], RATING[1]): PREDIKAT[2],
    (RATING[0], RATING[2]): PREDIKAT[2],
}
#: A period with fewer employees than this share of the median period is not adopted.
MIN_PERIOD_SHARE = 0.1
#: Realisasi above this multiple of the target is implausible (capaian over 1000 %).
MAX_REALISASI_RATIO = 10.0
#: Plausible ages: at the end of the dataset, and at appointment.
AGE_RANGE = (15.0, 80.0)
MIN_AGE_AT_APPOINTMENT = 15.0
_KIND_WORD = {
    "id": {"M": "bulan", "Q": "triwulan", "S": "semester", "Y": "tahun"},
    "en": {"M": "month", "Q": "quarter", "S": "semester", "Y": "year"},
}


# --------------------------------------------------------------------------- helpers


def _text(s: pd.Series) -> pd.Series:
    """Object-dtype text of a working column (categorical or string), NaN where empty."""
    return s.astype(object).where(s.notna(), None)


def _codes(s: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of a column for grouping (``-1`` = missing) and their count."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), len(s.cat.categories)
    codes, uniq = pd.factorize(s, use_na_sentinel=True)
    return codes.astype(np.int64), len(uniq)


def _combined_key(cols: Sequence[pd.Series]) -> np.ndarray:
    """One int64 per row identifying the combination of ``cols`` (mixed radix), built in
    place."""
    key = np.zeros(len(cols[0]), dtype=np.int64)
    span = 1
    for s in cols:
        c, n = _codes(s)
        n = max(n, 1) + 1
        if span * n > 2**62:
            _, key = np.unique(key, return_inverse=True)
            key = key.astype(np.int64)
            span = int(key.max()) + 1 if len(key) else 1
        key *= n
        key += c
        key += 1
        span *= n
        del c
    return key


def _fmt_date(v: Any) -> str:
    return "" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- keys


def check_key(st: TableState) -> None:
    """Duplicate keys: the second and later rows are rejected, pointing at the first,
    which is the row used — the first with no cell emptied for a bad value, when there is
    one (:attr:`TableState.emptied`). The message says whether the duplicate is an identical copy
    of it (ignored) or differs, naming the columns that differ (a transfer between two
    OPDs in one register, two predikat for one period): the analyst then knows which
    version the analysis used."""
    t = st.table
    if not t.key or any(k not in st.values for k in t.key):
        return
    ok = ~st.bad
    key = _combined_key([st.values[k] for k in t.key])
    _rejected_copies(st, key, ok)
    key[~ok] = -1 - np.flatnonzero(~ok)  # rejected rows never collide
    # duplicates by sorting (a stable sort keeps the first row of a key first): half the
    # memory of a hash table over tens of millions of keys. A copy with a cell emptied
    # for a bad value sorts after the copies without: the first intact copy is kept
    # (a leaving date '31-31-2024' then a readable one: the readable one is used)
    damaged = st.emptied is not None and bool((st.emptied & ok).any())
    order = np.argsort(key * 2 + st.emptied if damaged else key, kind="stable")
    same = key[order[1:]] == key[order[:-1]]
    dup = np.zeros(len(key), dtype=bool)
    dup[order[1:][same]] = True
    del order, same
    if not dup.any():
        return
    dup_keys = np.unique(key[dup])
    cand = np.flatnonzero(np.isin(key, dup_keys) & ok & ~dup)
    key_ok = key
    first_of = dict(zip(key_ok[cand].tolist(), cand.tolist(), strict=True))
    # the key as written (a NIP with separators, a category in other capitals): the
    # message quotes the cells, not the value they were read as
    nip_like = {c.name for c in t.columns if c.kind == "nip" or c.may_be_nip}

    def written(pos: np.ndarray) -> list[tuple[str, ...]]:
        parts = []
        for k in t.key:
            raw = st.text(k, pos).tolist()
            read = _text(st.values[k].iloc[pos]).tolist()
            parts.append(
                [
                    r if r not in (None, "") else ("" if v is None else str(v))
                    for r, v in zip(raw, read, strict=True)
                ]
            )
        return list(zip(*parts, strict=True))

    def other_columns(pos: np.ndarray, firsts: np.ndarray) -> list[list[str]]:
        """The columns (contract names; other columns by their header) in which each
        duplicate row differs from the row kept, in file order."""
        by_place = sorted(st.raw.columns.items(), key=lambda kv: kv[1].position)
        diff: list[list[str]] = [[] for _ in range(len(pos))]
        for name, rc in by_place:
            if name in t.key:
                continue
            neq = np.flatnonzero(rc.text(pos) != rc.text(firsts))
            for j in neq.tolist():
                diff[j].append(name)
        return diff

    def msg(pos: np.ndarray) -> np.ndarray:
        firsts = np.array([first_of[k] for k in key_ok[pos].tolist()], dtype=np.int64)
        mine, theirs = written(pos), written(firsts)
        rows = [st.raw.row_ref(i) for i in firsts.tolist()]
        rest = other_columns(pos, firsts)
        out = []
        for a, b, baris, cols in zip(mine, theirs, rows, rest, strict=True):
            differ = [k for k, x, y in zip(t.key, a, b, strict=True) if x != y]
            kunci = ", ".join(t.key)
            if not differ:
                # a copy of the row kept, or another version of it: which row is used
                if cols:
                    text = st.msg("kunci_unik_beda", kunci=kunci, baris=baris,
                                  kolom_beda=", ".join(cols))  # fmt: skip
                else:
                    text = st.msg("kunci_unik_identik", kunci=kunci, baris=baris)
                out.append(text)
                continue
            key_ = "kunci_unik_pemisah" if set(differ) <= nip_like else "kunci_unik_dibaca"
            nilai = " | ".join(x for k, x in zip(t.key, a, strict=True) if k in differ)
            lain = " | ".join(y for k, y in zip(t.key, b, strict=True) if k in differ)
            out.append(st.msg(key_, kunci=kunci, baris=baris, nilai=nilai, nilai_lain=lain))
        return np.array(out, dtype=object)

    def vals(pos: np.ndarray) -> np.ndarray:
        return np.array([" | ".join(row) for row in written(pos)], dtype=object)

    reject(st, dup, ",".join(t.key), "kunci_unik", msg, values=vals)


def _rejected_copies(st: TableState, key: np.ndarray, ok: np.ndarray) -> None:
    """A rejected row whose key (all of it read) is an accepted row's key: the accepted
    row is the version the analysis uses, which the rejected row's own message does not
    say. The first accepted row of each such key gets a warning naming the first rejected
    row. Each rejected row is reported once, however often the key rule runs."""
    t = st.table
    present = np.logical_and.reduce([st.values[k].notna().to_numpy() for k in t.key])
    gone = ~ok & present
    gone[list(st.key_reported)] = False
    if not gone.any() or not ok.any():
        return
    kept = np.flatnonzero(ok)
    kept_keys, first = np.unique(key[kept], return_index=True)
    lost = np.flatnonzero(gone)
    where = np.searchsorted(kept_keys, key[lost]).clip(max=len(kept_keys) - 1)
    hit = kept_keys[where] == key[lost]
    if not hit.any():
        return
    lost, users = lost[hit], kept[first[where[hit]]]
    st.key_reported.update(lost.tolist())
    # one warning per accepted row, naming the first of its rejected copies
    users, at = np.unique(users, return_index=True)
    rejected = {
        u: st.raw.row_ref(r) for u, r in zip(users.tolist(), lost[at].tolist(), strict=True)
    }
    kunci = ", ".join(t.key)
    mask = np.zeros(st.n, dtype=bool)
    mask[users] = True
    reject(
        st, mask, ",".join(t.key), "kunci_unik_ditolak",
        lambda pos: np.array(
            [st.msg("kunci_unik_ditolak", kunci=kunci, baris=rejected[i]) for i in pos.tolist()],
            dtype=object,
        ),
        level="peringatan",
        values=lambda pos: np.array(
            [" | ".join(str(v) for v in row) for row in zip(*(st.text(k, pos) for k in t.key), strict=True)],
            dtype=object,
        ),
    )  # fmt: skip


# --------------------------------------------------------------------------- table rules


def table_rules(st: TableState) -> None:
    """The rules of one table that need only that table."""
    d = st.values
    ok = ~st.bad
    name = st.name
    if name == "skp":
        target = d["target"].to_numpy(dtype=float, na_value=np.nan)
        real = d["realisasi"].to_numpy(dtype=float, na_value=np.nan)
        reject(st, ok & (target <= 0), "target", "target_positif", st.msg("target_positif"))
        ok = ~st.bad
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = real / target
        absurd = ok & (ratio > MAX_REALISASI_RATIO)

        def msg(pos: np.ndarray) -> np.ndarray:
            return np.array(
                [
                    st.msg(
                        "capaian_mustahil",
                        realisasi=f"{real[i]:g}",
                        target=f"{target[i]:g}",
                        kali=f"{ratio[i]:.0f}",
                    )
                    for i in pos
                ],
                dtype=object,
            )

        reject(st, absurd, "realisasi", "capaian_mustahil", msg)
    elif name == "pelatihan":
        a = d["tanggal_mulai"].to_numpy()
        b = d["tanggal_selesai"].to_numpy()
        reject(st, ok & (b < a), "tanggal_selesai", "tanggal_urut", st.msg("tanggal_urut"))
    elif name == "pegawai":
        nip, sup = _text(d["nip"]), _text(d["nip_atasan"])
        self_sup = ok & (sup.to_numpy() == nip.to_numpy()) & sup.notna().to_numpy()
        pos = reject(
            st, self_sup, "nip_atasan", "atasan_diri", st.msg("atasan_diri"), level="peringatan"
        )
        if len(pos):
            _clear(st, "nip_atasan", pos)
    elif name == "layanan":
        units = [f"u{i}" for i in range(1, 10)]
        have_u = (
            np.all([d[u].notna().to_numpy() for u in units], axis=0)
            if all(u in d for u in units)
            else np.zeros(st.n, dtype=bool)
        )
        have_ikm = d["ikm"].notna().to_numpy() if "ikm" in d else np.zeros(st.n, dtype=bool)
        reject(st, ok & ~(have_u | have_ikm), "ikm", "ikm_ada", st.msg("ikm_ada"))
    elif name == "penilaian_resmi":
        _official_rules(st)
    elif name == "survei_instrumen":
        _scale_rule(st, ok)


def _scale_rule(st: TableState, ok: np.ndarray) -> None:
    """An item's scale runs upwards: ``skala_max > skala_min`` (empty: 1 and 5)."""
    d = st.values
    lo, hi = (
        d[c].to_numpy(dtype=float, na_value=np.nan) if c in d else np.full(st.n, np.nan)
        for c in ("skala_min", "skala_max")
    )
    lo, hi = np.where(np.isnan(lo), 1.0, lo), np.where(np.isnan(hi), 5.0, hi)

    def msg(pos: np.ndarray) -> np.ndarray:
        return np.array(
            [st.msg("skala_urut", lo=f"{lo[i]:g}", hi=f"{hi[i]:g}") for i in pos], dtype=object
        )

    column = "skala_max" if "skala_max" in d else "skala_min"
    reject(st, ok & (hi <= lo), column, "skala_urut", msg)


def _clear(st: TableState, column: str, pos: np.ndarray) -> None:
    """Empty cells of a working column (a soft failure found by a rule)."""
    st.mark_emptied(pos)
    s = st.values[column]
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().copy()
        codes[pos] = -1
        st.values[column] = pd.Series(pd.Categorical.from_codes(codes, dtype=s.dtype))
    else:
        s = s.copy()
        s.iloc[pos] = pd.NA if s.dtype.kind not in "fM" else np.nan
        st.values[column] = s


def _official_rules(st: TableState) -> None:
    d, ok = st.values, ~st.bad
    n = st.n
    hasil = _text(d["rating_hasil"]) if "rating_hasil" in d else pd.Series([None] * n, dtype=object)
    peri = (
        _text(d["rating_perilaku"])
        if "rating_perilaku" in d
        else pd.Series([None] * n, dtype=object)
    )
    pred = _text(d["predikat"]) if "predikat" in d else pd.Series([None] * n, dtype=object)
    both = hasil.notna().to_numpy() & peri.notna().to_numpy()
    has_pred = pred.notna().to_numpy()
    reject(st, ok & ~both & ~has_pred, "predikat", "penilaian_isi", st.msg("penilaian_isi"))
    expect = np.array(
        [PREDIKAT_MATRIX.get((h, p)) for h, p in zip(hasil.tolist(), peri.tolist(), strict=True)],
        dtype=object,
    )
    mismatch = ~st.bad & both & has_pred & (expect != pred.to_numpy())

    def msg(pos: np.ndarray) -> np.ndarray:
        # the cells as written ("sangat baik", a mapping's code), not the value read
        written = {c: st.text(c, pos) for c in ("predikat", "rating_hasil", "rating_perilaku")}
        return np.array(
            [
                st.msg(
                    "predikat_matriks",
                    predikat=written["predikat"][j],
                    hasil=written["rating_hasil"][j],
                    perilaku=written["rating_perilaku"][j],
                    seharusnya=expect[i],
                )
                for j, i in enumerate(pos)
            ],
            dtype=object,
        )

    reject(st, mismatch, "predikat", "predikat_matriks", msg, level="peringatan")


# --------------------------------------------------------------------------- NIP / NI PPPK


def nip_structure(st: TableState, pseudonim: bool, run: Any) -> None:
    """Layout of the NIP (PNS) or NI PPPK against the employee's columns; status and
    grade; sequence 000 and collisions after Excel's 15-digit truncation."""
    d = st.values
    nip = _text(d["nip"])
    ok = ~st.bad & nip.notna().to_numpy()
    s = nip.where(ok, "000000000000000000").astype(TEXT_DTYPE)
    arr = s.to_numpy()
    pppk_layout = s.str[12:14].to_numpy() == "21"
    status_given = "status_kepegawaian" in d
    if status_given:
        status = _text(d["status_kepegawaian"])
    else:
        status = pd.Series(np.where(pppk_layout, "pppk", "pns"), dtype=object).where(ok, None)
    if not pseudonim:
        _nip_layout(st, s, ok, pppk_layout, status, status_given)
        _nip_truncation(st, arr, ok)
    from_layout = pd.Series(np.where(pppk_layout, "pppk", "pns"), dtype=object)
    if not status_given:
        st.derived["status_kepegawaian"] = pd.Series(
            pd.Categorical(
                status.where(pd.Series(ok), None), categories=["pns", "pppk", "pppk_paruh_waktu"]
            )
        )
        run.notes.append(run.msg("status_dari_nip"))
    elif not pseudonim:
        # a status left empty, or emptied as not recognised, is read from the NIP as for
        # a missing column (a pseudonymised identifier has no layout to read)
        empty = (status.isna().to_numpy() & ok).astype(bool)
        if empty.any():
            status = status.where(~pd.Series(empty), from_layout)
            st.derived["status_kepegawaian"] = pd.Series(
                pd.Categorical(
                    status.where(pd.Series(ok), None),
                    categories=["pns", "pppk", "pppk_paruh_waktu"],
                )
            )
            run.notes.append(run.msg("status_sebagian_dari_nip", n=int(empty.sum())))
    # grade follows the status
    gol = _text(d["golongan"])
    st_arr = status.to_numpy(dtype=object)
    is_pns = st_arr == "pns"
    is_pppk = np.isin(st_arr, ["pppk", "pppk_paruh_waktu"])
    g = gol.to_numpy(dtype=object)
    wrong = (
        ~st.bad
        & gol.notna().to_numpy()
        & ((is_pns & ~np.isin(g, list(GOLONGAN))) | (is_pppk & ~np.isin(g, list(GOLONGAN_PPPK))))
    )

    def msg(pos: np.ndarray) -> np.ndarray:
        written = st.text("golongan", pos)  # as written ("ix"), not as read ("IX")
        return np.array(
            [
                st.msg("golongan_status", golongan=w, status="PNS" if is_pns[i] else "PPPK")
                for w, i in zip(written, pos, strict=True)
            ],
            dtype=object,
        )

    reject(st, wrong, "golongan", "golongan_status", msg)


def _nip_layout(st, s: pd.Series, ok, pppk_layout, status: pd.Series, status_given: bool) -> None:
    d = st.values
    born = pd.to_datetime(s.str[:8], format="%Y%m%d", errors="coerce")
    gender = s.str[14].to_numpy()
    gender_ok = np.isin(gender, ["1", "2"])
    st_arr = status.to_numpy(dtype=object)
    # status vs layout (only when the status is in the data)
    if status_given:
        wants_pppk = np.isin(st_arr, ["pppk", "pppk_paruh_waktu"])
        mismatch = ok & status.notna().to_numpy() & (wants_pppk != pppk_layout)

        def msg(pos: np.ndarray) -> np.ndarray:
            written = st.text("status_kepegawaian", pos)  # as written ("P3K"), not "pppk"
            return np.array(
                [
                    st.msg(
                        "status_nip",
                        status=w,
                        jenis="NI PPPK" if pppk_layout[i] else "NIP PNS",
                    )
                    for w, i in zip(written, pos, strict=True)
                ],
                dtype=object,
            )

        reject(st, mismatch, "nip", "status_nip", msg)
        ok = ok & ~mismatch
    # PNS: birth date + CPNS month + gender + sequence
    start = pd.to_datetime(s.str[8:14] + "01", format="%Y%m%d", errors="coerce")
    pns = ok & ~pppk_layout
    invalid = pns & (born.isna().to_numpy() | start.isna().to_numpy() | ~gender_ok)
    reject(st, invalid, "nip", "nip_struktur", st.msg("nip_struktur"))
    # PPPK: birth date + year of appointment + 21 + gender + sequence
    year = pd.to_numeric(s.str[8:12], errors="coerce").to_numpy()
    pppk = ok & pppk_layout
    year_ok = (year >= 1900) & (year <= 2199)
    invalid_p = pppk & (born.isna().to_numpy() | ~year_ok | ~gender_ok)
    reject(st, invalid_p, "nip", "nip_struktur_pppk", st.msg("nip_struktur_pppk"))
    ok = ok & ~st.bad
    lahir = d["tanggal_lahir"]
    born_mis = ok & lahir.notna().to_numpy() & _bool(born != lahir.to_numpy())
    reject(
        st, born_mis, "nip", "nip_tanggal_lahir",
        lambda pos: np.array(
            [st.msg("nip_tanggal_lahir", dalam_nip=s.iloc[i][:8], kolom=_fmt_date(lahir.iloc[i])) for i in pos],
            dtype=object,
        ),
    )  # fmt: skip
    tmt = d["tmt_cpns"]
    tmt_y = tmt.dt.year.to_numpy(dtype=float, na_value=np.nan)
    tmt_m = tmt.dt.month.to_numpy(dtype=float, na_value=np.nan)
    start_mis = (
        ok & ~pppk_layout & tmt.notna().to_numpy()
        & ((start.dt.year.to_numpy(dtype=float, na_value=np.nan) != tmt_y)
           | (start.dt.month.to_numpy(dtype=float, na_value=np.nan) != tmt_m))
    )  # fmt: skip
    reject(
        st, start_mis, "nip", "nip_tmt_cpns",
        lambda pos: np.array(
            [st.msg("nip_tmt_cpns", dalam_nip=s.iloc[i][8:14], kolom=tmt.iloc[i].strftime("%Y-%m")) for i in pos],
            dtype=object,
        ),
    )  # fmt: skip
    year_mis = ok & pppk_layout & tmt.notna().to_numpy() & (year != tmt_y)
    reject(
        st, year_mis, "nip", "nip_tahun_pppk",
        lambda pos: np.array(
            [st.msg("nip_tahun_pppk", dalam_nip=s.iloc[i][8:12], kolom=_fmt_date(tmt.iloc[i])) for i in pos],
            dtype=object,
        ),
    )  # fmt: skip
    jk = _text(d["jenis_kelamin"]).to_numpy(dtype=object)
    expected = np.where(jk == "L", "1", np.where(jk == "P", "2", None))
    g_mis = ok & (expected != None) & (gender != expected)  # noqa: E711 - elementwise
    reject(
        st, g_mis, "nip", "nip_jenis_kelamin",
        lambda pos: np.array(
            [st.msg("nip_jenis_kelamin", dalam_nip=gender[i], kolom=w) for w, i in zip(st.text("jenis_kelamin", pos), pos, strict=True)],
            dtype=object,
        ),
    )  # fmt: skip


def _nip_truncation(st: TableState, arr: np.ndarray, ok: np.ndarray) -> None:
    """Sequence 000 (never issued: Excel's 15-digit truncation) and 15-digit collisions."""
    valid = ok & np.array([len(x) == 18 and x.isdigit() for x in arr], dtype=bool)
    seq0 = valid & (np.char.endswith(arr.astype(str), "000"))
    if not seq0.any():
        return
    prefix = np.array([x[:15] for x in arr], dtype=object)
    ref = st.raw.row_ref
    other: dict[str, int | str] = {}
    for i in np.flatnonzero(valid & ~seq0).tolist():
        if prefix[i] not in other:
            other[prefix[i]] = ref(i)
    first0: dict[str, int | str] = {}
    for i in np.flatnonzero(seq0).tolist():
        if prefix[i] not in first0:
            first0[prefix[i]] = ref(i)

    def msg(pos: np.ndarray) -> np.ndarray:
        out = []
        for i in pos:
            hit = other.get(prefix[i])
            if hit is not None:
                out.append(st.msg("nip_urut_000_tabrakan", baris=hit))
            else:
                out.append(st.msg("nip_urut_000"))
        return np.array(out, dtype=object)

    reject(st, seq0, "nip", "nip_urut_000", msg)
    twin = valid & ~seq0 & np.isin(prefix, list(first0))
    reject(
        st, twin, "nip", "nip_tabrakan_15",
        lambda pos: np.array([st.msg("nip_tabrakan_15", baris=first0[prefix[i]]) for i in pos], dtype=object),
        level="peringatan",
    )  # fmt: skip


def nip_sequence_other(st: TableState, pseudonim: bool) -> None:
    """A NIP ending in 000 in any other NIP column (cut by Excel): never a real NIP."""
    if pseudonim:
        return
    for col in st.table.columns:
        if (
            col.kind != "nip"
            or col.name not in st.values
            or (st.name == "pegawai" and col.name == "nip")
        ):
            continue
        s = st.values[col.name]
        cats = s.cat.categories.to_numpy(dtype=object)
        hit_cat = np.array([str(c).endswith("000") for c in cats], dtype=bool)
        if not hit_cat.any():
            continue
        codes = s.cat.codes.to_numpy()
        hit = np.append(hit_cat, False)[codes] & ~st.bad
        soft = col.nullable or not col.required
        if soft:
            pos = reject(
                st, hit, col.name, "nip_urut_000",
                st.msg("opsional_dikosongkan", pesan=st.msg("nip_urut_000")), level="peringatan",
            )  # fmt: skip
            _clear(st, col.name, pos)
        else:
            reject(st, hit, col.name, "nip_urut_000", st.msg("nip_urut_000"))


# --------------------------------------------------------------------------- personal data


def register_of(peg: TableState) -> tuple[Register, np.ndarray, np.ndarray]:
    """The employee register of the pegawai table: every row's NIP (as read, else as
    written) and name, rejected rows included (a rejected employee is still a person).

    Returns ``(register, nip_pos, name_pos)``: the pegawai row (a position into the
    table's rows) of each NIP entry and of each name entry of the register
    (:attr:`~kinerja_analysis.core.personal.Hit.entry`); a message names it by
    ``peg.raw.file_of`` and ``peg.raw.rows`` (positions, not row numbers: a table read
    from two sheets has a row 7 in each).

    A row whose NIP cell is not a person's (:func:`~kinerja_analysis.core.personal.
    is_person_id`: a label row ``Dinas Kesehatan`` over its unit's block, a total row)
    adds no name. Registered, a unit's name made every employee of that unit "hold a
    name" and rejected them (a fresh tester's export with a label row per OPD).
    """
    n = peg.n
    read = _text(peg.values["nip"]).to_numpy(dtype=object) if "nip" in peg.values else None
    written = peg.text("nip", np.arange(n))
    nips = written if read is None else np.where(pd.isna(read), written, read)
    person = np.fromiter((is_person_id(v) for v in nips), bool, n)
    names: list[object] = []
    name_pos = np.empty(0, dtype=np.int64)
    s = peg.values.get("nama")
    if s is not None and isinstance(s.dtype, pd.CategoricalDtype) and len(s.cat.categories):
        codes = s.cat.codes.to_numpy()
        present = np.flatnonzero((codes >= 0) & person)
        cats, first = np.unique(codes[present], return_index=True)
        names = s.cat.categories.to_numpy(dtype=object)[cats].tolist()
        name_pos = present[first]
    return Register(nips.tolist(), names), np.arange(n, dtype=np.int64), name_pos


def personal_data(states: Mapping[str, TableState], peg: TableState | None) -> Register | None:
    """Text cells that hold an employee's NIP or name (rule ``data_pribadi``).

    Every text column of every table (``kind: str``; not ``pegawai.nama`` itself, and
    not a column that holds a NIP by design, ``may_be_nip``) is searched for the NIPs
    and names of the employee register (:func:`register_of`; what counts as a hit:
    :class:`~kinerja_analysis.core.personal.Register` — a registered NIP in any printed
    form, a number in a NIP's shape, a registered name of two or more words inside the
    text, or a registered name of any length as the whole cell), once per distinct text.

    **Rejected** in a column the contract marks ``published`` (the OPD's name in
    ``pegawai``, ``layanan`` and ``penerapan``; the survey instrument's ``item``,
    ``konstruk`` and ``teks``): those values are printed as written in the stakeholder
    documents, the index and the batch's console, so a value that carries personal data
    must not be used, and it cannot be repaired by guessing. A NIP is never part of an
    OPD's name or an item's text, and a person's name as an OPD is not a unit of the
    organisation: the usual cause is a shifted row (the employee's own name in ``opd``),
    whose other cells are then suspect too. Rejecting the row keeps the employee out of
    every aggregate and names the row to correct; the employee's rows in the other
    tables are set aside under this root cause. Kept as a warning instead, the row would
    either publish the name or, if the cell were emptied, fail ``opd``'s own rule.

    **Warning** (row kept) in every other text column (``jabatan``, ``pendidikan``,
    ``skp.indikator``, ``pelatihan.nama_pelatihan``, …): their values are not published
    today, and a work target or a training title may well name a colleague (an SKP
    indicator "verifikasi berkas NIP …", a coaching session led by someone); rejecting
    the row would drop real work from the analysis. The analyst is told all the same,
    and the batch's check of every document before it is published
    (:func:`kinerja_analysis.reporting.privacy.check_document`) stops any of them that
    reaches a document later.

    The message names the employee the data belongs to by their row in the pegawai file
    (or says it is the row's own name or NIP), never the name or NIP itself; the issue's
    value is the cell with the personal data masked (``UPT [NIP]``, ``[nama]``): the
    issues list is printed by ``kinerja validate`` and kept in the batch's cache.

    Returns the register searched (``None`` without a pegawai table), for
    :func:`mask_issues`.

    Cost: one search per distinct text (:meth:`~kinerja_analysis.core.personal.Register.
    scan`). On the synthetic city of 20,000 ASN, 0.04–0.09 s of an 18–20 s validation;
    a register of 100,000 NIPs and names (0.5 s to build) against 500,000 distinct texts
    of one column (free-text SKP indicators of a province) about 2 s, on a 2-core
    machine at load 3.
    """
    if peg is None:
        return None
    register, nip_pos, name_pos = register_of(peg)
    if not register:
        return register
    for name, st in states.items():
        for col in st.table.columns:
            if col.kind != "str" or col.may_be_nip or col.name not in st.values:
                continue
            if name == "pegawai" and col.name == "nama":
                continue
            _personal_column(st, col, register, peg, nip_pos, name_pos)
    return register


def _personal_column(
    st: TableState,
    col: Any,
    register: Register,
    peg: TableState,
    nip_pos: np.ndarray,
    name_pos: np.ndarray,
) -> None:
    """:func:`personal_data` for one text column ``col`` of ``st``."""
    s = st.values[col.name]
    if not isinstance(s.dtype, pd.CategoricalDtype) or not len(s.cat.categories):
        return
    cats = s.cat.categories.to_numpy(dtype=object)
    found = register.scan(cats)
    if not found:
        return
    codes = s.cat.codes.to_numpy()
    hit_cat = np.zeros(len(cats) + 1, dtype=bool)  # code -1 (empty) → the last: False
    hit_cat[list(found)] = True
    rows = hit_cat[codes] & ~st.bad
    if not rows.any():
        return
    akibat = st.msg(
        "data_pribadi_terbit" if col.published else "data_pribadi_tidak_terbit", kolom=col.name
    )
    own = st is peg
    nama = peg.values.get("nama") if st is peg else None
    own_names: dict[int, set[tuple[str, ...]]] = {}

    def msg(pos: np.ndarray) -> np.ndarray:
        out = []
        for i in pos.tolist():
            text = str(cats[codes[i]])
            hits = found[int(codes[i])]
            nip = next((h for h in hits if h.kind == "nip"), None)
            shaped = next((h for h in hits if h.kind == "nip_bentuk"), None)
            named = next((h for h in hits if h.kind == "nama"), None)
            at: int | None = None  # the pegawai row the hit names (a position)
            if nip is not None:
                at = int(nip_pos[nip.entry])
                key = "data_pribadi_nip_sendiri" if own and at == i else "data_pribadi_nip"
            elif shaped is not None:
                key = "data_pribadi_nip_bentuk"
            else:
                at = int(name_pos[named.entry])
                mine = own and _own_name(text, named, i, nama, own_names)
                key = "data_pribadi_nama_sendiri" if mine else "data_pribadi_nama"
            row = 0 if at is None else int(peg.raw.rows[at])
            file = peg.file if at is None else peg.raw.file_of(at)
            out.append(st.msg(key, file=file, baris=row, akibat=akibat))
        return np.array(out, dtype=object)

    def masked(pos: np.ndarray) -> np.ndarray:
        shown: dict[int, str] = {}
        out = []
        for c in codes[pos].tolist():
            if c not in shown:
                shown[c] = register.mask(str(cats[c]))
            out.append(shown[c])
        return np.array(out, dtype=object)

    level = "tolak" if col.published else "peringatan"
    reject(st, rows, col.name, "data_pribadi", msg, level, values=masked)


_QUOTED = re.compile(r"'([^'\n]{1,500})'")


def mask_issues(states: Mapping[str, TableState], run: Any, register: Register) -> None:
    """Mask the register's personal data in every issue's value and message, whatever
    rule wrote it, and in the structural problems' messages.

    :func:`personal_data` masks the values it reports, but other rules quote the same
    cells as written (a spelling variant of an OPD's name that is an employee's name, a
    date rule on a text that holds a NIP), and the issues list reaches the console of
    ``kinerja validate``, ``masalah.csv``, ``validasi.xlsx`` and the batch's cache. A
    value is searched as one cell (a registered one-word name that is all of it counts,
    :meth:`~kinerja_analysis.core.personal.Register.find`); a message as free text,
    with each of its quoted values (``'…'``) searched as a cell. A hit becomes
    ``[NIP]`` or ``[nama]``; the row and column still say where to look.

    NIPs stay as written in the columns that hold one by design (``kind: nip`` and
    ``may_be_nip``: ``nip``, ``nip_atasan``, ``id_penilai``, …): there the value is the
    row's key, which the analyst searches for (also in a key of several columns that
    holds one: a duplicate key's value). Names are masked there too.

    Cost: one search per distinct value, message and quoted value
    (:meth:`~kinerja_analysis.core.personal.Register.scan` narrows many of them down in
    Arrow first).
    """
    cache: dict[tuple[bool, bool, str], str] = {}

    def masked(text: str, message: bool, keep_nips: bool) -> str:
        key = (message, keep_nips, text)
        if key not in cache:
            kinds = {"nama"} if keep_nips else None
            out = register.mask(text, whole=not message, kinds=kinds)
            if message:  # a quoted value is one cell: a one-word name as all of it
                out = _QUOTED.sub(lambda m: f"'{register.mask(m.group(1), kinds=kinds)}'", out)
            cache[key] = out
        return cache[key]

    def masked_all(values: object, message: bool, keep_nips: bool) -> object:
        """``values`` (one text or an array of them) with the hits masked; the same
        object when nothing is found."""
        one = not isinstance(values, np.ndarray | list | tuple | pd.Series)
        arr = np.asarray([values] if one else list(values), dtype=object)
        is_text = np.fromiter((isinstance(v, str) for v in arr), bool, len(arr))
        if not is_text.any():
            return values
        uniq, inverse = np.unique(arr[is_text].astype(str), return_inverse=True)
        texts = uniq.tolist()
        hit = set(register.scan(texts))
        if message:
            quoted = [(i, m.group(1)) for i, t in enumerate(texts) for m in _QUOTED.finditer(t)]
            hit |= {quoted[j][0] for j in register.scan([q for _, q in quoted])}
        changed = False
        new = uniq.astype(object)
        for i in hit:
            new[i] = masked(texts[i], message, keep_nips)
            changed |= new[i] != texts[i]
        if not changed:
            return values
        out = arr.copy()
        out[is_text] = new[inverse]
        return out[0] if one else out

    # a sheet named after an employee (a workbook with one sheet per employee) is shown
    # by its place in the workbook ("SKP.xlsx [#17]"): in every message, file label,
    # root cause, rejected row and the summary, so that the row is still found in Excel
    renamed: dict[str, str] = {}
    for st in states.values():
        info = st.raw.info
        for k, nm in enumerate(info.sheets, start=1):
            if register.mask(nm) != nm:
                st.raw.sheet_alias[nm] = f"#{k}"
        if st.raw.sheet_alias and getattr(st.raw, "stacked", False):
            for nm in info.sheets_read:
                if nm in st.raw.sheet_alias:
                    old = sheet_label(st.raw.file, nm)
                    renamed[old] = sheet_label(st.raw.file, st.raw.sheet_alias[nm])
    aliases = {nm: a for st in states.values() for nm, a in st.raw.sheet_alias.items()}
    if aliases:
        quoted = re.compile(
            "|".join(
                rf"""(?<=['"\[]){re.escape(nm)}(?=['"\]])"""
                for nm in sorted(aliases, key=len, reverse=True)
            )
        )

        def shown(text: object) -> object:
            if not isinstance(text, str):
                return text
            return quoted.sub(lambda m: aliases[m.group(0)], text)

        for problem in getattr(run, "structure", []):
            problem["pesan"] = shown(problem["pesan"])
        for st in states.values():
            for part in st.issues.parts:
                part["pesan"] = _each(part["pesan"], shown)
    if renamed:
        for st in states.values():
            for part in st.issues.parts:
                if "file" in part:
                    part["file"] = _each(part["file"], lambda f: renamed.get(f, f))
                part["sebab"] = _renamed_causes(part["sebab"], renamed)

    for st in states.values():
        by_design = {c.name for c in st.table.columns if c.kind == "nip" or c.may_be_nip}
        free_text = {c.name for c in st.table.columns if c.kind == "str"} - by_design
        for part in st.issues.parts:
            # a key's columns are listed "nip,periode,…": a NIP in them is the key's
            cols = [c.strip() for c in str(part["kolom"]).split(",")]
            keep = any(c in by_design for c in cols)
            if len(cols) > 1 and keep and free_text.intersection(cols):
                # a key of several columns, some of them free text (an SKP indicator):
                # only the key's own NIPs stay, a NIP or name inside the text goes
                _mask_key_part(part, cols, by_design, register)
                continue
            part["nilai"] = masked_all(part["nilai"], False, keep)
            part["pesan"] = masked_all(part["pesan"], True, keep)
    for problem in getattr(run, "structure", []):
        problem["pesan"] = masked_all(problem["pesan"], True, False)
        problem["file"] = masked_all(problem["file"], True, False)  # any file of the folder


def _each(values: object, f: Any) -> object:
    """``f`` applied to one value, or to each of an array of them."""
    if isinstance(values, np.ndarray | list | tuple | pd.Series):
        return np.asarray([f(v) for v in values], dtype=object)
    return f(values)


def _mask_key_part(part: dict, cols: list[str], by_design: set[str], register: Register) -> None:
    """Mask an issue of a key of several columns (``nip | periode | indikator | aspek``)
    column by column: the value's pieces of a NIP column (``by_design``) keep their NIP,
    the others are masked as cells; in the message, a NIP stays only where it is one of
    the row's own key NIPs. A value that does not split into the key's pieces is masked
    whole. Only the rows whose pieces or message hold personal data are rewritten: the
    others are found by one search over the distinct pieces and messages (a whole file
    exported twice makes millions of duplicates)."""
    n = len(part["baris"])
    values = _text_array(part["nilai"], n)
    messages = _text_array(part["pesan"], n)
    uv, vinv = np.unique(values.astype(str), return_inverse=True)
    um, minv = np.unique(messages.astype(str), return_inverse=True)
    split = [u.split(" | ") for u in uv.tolist()]
    free = [i for i, c in enumerate(cols) if c not in by_design]
    pieces = sorted({sp[i] for sp in split if len(sp) == len(cols) for i in free})
    hit_pieces = {pieces[j] for j in register.scan(pieces)}
    need_v = np.array(
        [len(sp) != len(cols) or any(sp[i] in hit_pieces for i in free) for sp in split],
        dtype=bool,
    )
    texts = um.tolist()
    hit_m = set(register.scan(texts))
    quoted = [(i, m.group(1)) for i, t in enumerate(texts) for m in _QUOTED.finditer(t)]
    hit_m |= {quoted[j][0] for j in register.scan([q for _, q in quoted])}
    need_m = np.zeros(len(texts), dtype=bool)
    need_m[list(hit_m)] = True
    rows = np.flatnonzero(need_v[vinv] | need_m[minv])
    if not len(rows):
        return
    cache: dict[tuple[int, int], tuple[str, str]] = {}
    out_v, out_m = values.copy(), messages.copy()
    for r in rows.tolist():
        key = (int(vinv[r]), int(minv[r]))
        if key not in cache:
            v, m = uv[key[0]], um[key[1]]
            pieces_r = split[key[0]]
            own: set[str] = set()
            if len(pieces_r) == len(cols):
                shown = []
                for c, piece in zip(cols, pieces_r, strict=True):
                    if c in by_design:
                        own.add(re.sub(NIP_SEPARATORS, "", piece))
                        shown.append(register.mask(piece, kinds={"nama"}))
                    else:
                        shown.append(register.mask(piece))
                new_v = " | ".join(shown)
            else:
                new_v = register.mask(v)
            cache[key] = (new_v, _mask_but(register, m, own) if need_m[key[1]] else m)
        out_v[r], out_m[r] = cache[key]
    part["nilai"], part["pesan"] = out_v, out_m


def _text_array(v: object, n: int) -> np.ndarray:
    if isinstance(v, np.ndarray | list | tuple | pd.Series):
        return np.asarray(list(v), dtype=object)
    return np.full(n, v, dtype=object)


def _mask_but(register: Register, text: str, nips: set[str]) -> str:
    """``text`` (a message) with its personal data masked, but for the NIPs in ``nips``
    (as digits), also inside quotes.

    >>> r = Register(["196908251991032001", "198503122010011001"], ["Ratih Wijaya"])
    >>> _mask_but(r, "'196908251991032001 | x 198503122010011001 Ratih Wijaya'",
    ...           {"196908251991032001"})
    "'196908251991032001 | x [NIP] [nama]'"
    """
    out, pos = [], 0
    for h in register.find(text, whole=False):
        if h.start < pos:
            continue
        if h.kind in NIP_KINDS and re.sub(r"\D", "", text[h.start : h.end]) in nips:
            continue
        out += [text[pos : h.start], "[NIP]" if h.kind in NIP_KINDS else "[nama]"]
        pos = h.end
    return "".join([*out, text[pos:]])


def _renamed_causes(causes: object, renamed: Mapping[str, str]) -> object:
    """Root-cause keys (``"<file label> baris 7"``) with their file label replaced as
    ``renamed`` says."""

    def one(v: object) -> object:
        if isinstance(v, str):
            label, sep, row = v.rpartition(" baris ")
            if sep and label in renamed:
                return f"{renamed[label]}{sep}{row}"
        return v

    if isinstance(causes, np.ndarray):
        seen: dict[str, object] = {}
        return np.array(
            [seen.setdefault(v, one(v)) if isinstance(v, str) else v for v in causes.tolist()],
            dtype=object,
        )
    return one(causes)


def _own_name(
    text: str,
    hit: Any,
    pos: int,
    nama: pd.Series | None,
    cache: dict[int, set[tuple[str, ...]]],
) -> bool:
    """Whether the name ``hit`` found in ``text`` is the name of the pegawai row at
    ``pos`` itself."""
    if nama is None:
        return False
    if pos not in cache:
        v = nama.iloc[pos]
        cache[pos] = set(name_forms(str(v))) if isinstance(v, str) else set()
    return tuple(words(text[hit.start : hit.end])) in cache[pos]


# --------------------------------------------------------------------------- periods


def _period_support(states: Mapping[str, TableState]) -> dict[str, int]:
    """Distinct employees per period code in the period tables' accepted rows (computed on
    the columns' codes: no text per row, no sort of the rows).

    The NIPs of all tables are numbered once (their distinct texts); each table marks
    the (period, NIP) pairs its rows hold in a boolean array (periods × NIPs), and a
    period's support is the number of NIPs any table marks for it.
    """
    used = [
        st
        for name in PERIOD_TABLES
        if (st := states.get(name)) is not None and "periode" in st.values
    ]
    if not used:
        return {}
    every = pd.Index(
        np.concatenate([st.values["nip"].cat.categories.to_numpy(dtype=object) for st in used])
    ).unique()
    members: dict[str, list[np.ndarray]] = {}
    for st in used:
        ok = ~st.bad
        nip, per = st.values["nip"], st.values["periode"]
        to_every = every.get_indexer(nip.cat.categories.to_numpy(dtype=object))
        nc, pc = nip.cat.codes.to_numpy()[ok], per.cat.codes.to_numpy()[ok]
        good = (nc >= 0) & (pc >= 0)
        nc, pc = nc[good], pc[good]
        n_per = len(per.cat.categories)
        if n_per * len(every) <= _PAIR_CELLS:  # one scatter over the rows
            seen = np.zeros((n_per, len(every)), dtype=bool)
            seen[pc, to_every[nc]] = True
            groups = [(p, np.flatnonzero(seen[p])) for p in np.flatnonzero(seen.any(axis=1))]
        else:  # very many period texts (a mangled column): sort the pairs instead
            width = np.int64(len(every))
            p_idx, e_idx = np.divmod(np.unique(pc.astype(np.int64) * width + to_every[nc]), width)
            groups = [(p, e_idx[p_idx == p]) for p in np.unique(p_idx)]
        for p, ids in groups:
            members.setdefault(str(per.cat.categories[p]), []).append(ids)
    return {
        p: len(v[0]) if len(v) == 1 else len(np.unique(np.concatenate(v)))
        for p, v in members.items()
    }


#: At most this many (period text, NIP) cells are marked in one boolean array
#: (:func:`_period_support`); beyond, the pairs are sorted instead.
_PAIR_CELLS = 200_000_000


def choose_periods(
    support: Mapping[str, int], declared: Sequence[str] | None, today: date, bahasa: str, msg
) -> tuple[tuple[str, ...], dict[str, str], tuple[str, ...]]:
    """The dataset periods, the reason each other candidate is not adopted, and the
    candidates not adopted because they have not started.

    Rules (in order): declared periods win; otherwise the dominant kind (most employee
    rows); no period that starts after ``today``; no period whose employees number under
    :data:`MIN_PERIOD_SHARE` of the median of the remaining periods.
    """
    reasons: dict[str, str] = {}
    if declared is not None:
        chosen = tuple(sort_periods(declared))
        listed = ", ".join(chosen)
        for p in support:
            if p not in chosen:
                reasons[p] = msg("alasan_periode_tidak_diminta", periode_dataset=listed)
        return chosen, reasons, ()
    cands = {p: n for p, n in support.items() if is_period(p)}
    if not cands:
        return (), reasons, ()
    by_kind: dict[str, int] = {}
    for p, n in cands.items():
        k = parse_period(p).kind
        by_kind[k] = by_kind.get(k, 0) + n
    kind = max(by_kind, key=lambda k: (by_kind[k], -"MQSY".index(k)))
    words = _KIND_WORD[bahasa]
    pending: list[str] = []
    keep: dict[str, int] = {}
    for p, n in cands.items():
        k = parse_period(p).kind
        if k != kind:
            reasons[p] = msg("alasan_periode_jenis", jenis=words[k], jenis_dataset=words[kind])
            continue
        start = period_bounds(p)[0].date()
        if start > today:
            reasons[p] = msg("alasan_periode_depan", mulai=start.isoformat())
            pending.append(p)
            continue
        keep[p] = n
    if keep:
        med = float(np.median(list(keep.values())))
        for p, n in list(keep.items()):
            if n < MIN_PERIOD_SHARE * med:
                # a median of employee counts, written as a count (half an ASN: rounded)
                reasons[p] = msg("alasan_periode_sedikit", n=n, median=round(med))
                del keep[p]
    return tuple(sort_periods(keep)), reasons, tuple(sort_periods(pending))


def period_gaps(periods: Sequence[str], run: Any) -> list[str]:
    """A structural warning naming the periods missing between the dataset's first and
    last period (in the dataset's frequency; :func:`~kinerja_analysis.core.periods.
    missing_periods`): a quarter whose export was left out would otherwise pass
    unnoticed, and every "previous period" comparison would silently skip it. Returns
    the missing periods."""
    gaps = missing_periods(periods)
    if gaps:
        kind = parse_period(periods[0]).kind
        run.problem(
            "", "", "periode",
            run.msg("periode_celah", jenis=_KIND_WORD[run.bahasa][kind], celah=", ".join(gaps),
                    awal=periods[0], akhir=periods[-1]),
            "peringatan",
        )  # fmt: skip
    return gaps


def next_period_start(report: Any, today: date | None) -> str | None:
    """ISO start of the earliest period not adopted because it had not started."""
    pending = getattr(report, "pending_periods", ())
    if not pending:
        return None
    return min(period_bounds(p)[0].date().isoformat() for p in pending)


# --------------------------------------------------------------------------- plausibility


def _window_end(periods: Sequence[str]) -> tuple[pd.Timestamp, np.datetime64]:
    end = period_bounds(max(periods, key=lambda p: period_bounds(p)[1]))[1]
    return end, np.datetime64(end.date())


def date_rules(states: Mapping[str, TableState], periods: Sequence[str]) -> None:
    """Birth dates, appointment dates and training dates against each other and the
    dataset's window (:func:`register_dates` for the register's own rows); then each
    employee's rows in the other tables against the employee's birth date and
    appointment (:func:`employee_dates`), which needs the register's key rule done."""
    if not periods:
        return
    end, end64 = _window_end(periods)
    lo = DATE_RANGE[0]
    peg = states.get("pegawai")
    if peg is not None and not peg.dates_checked:
        register_dates(peg, periods)
    for name, cols in (("pelatihan", ["tanggal_mulai", "tanggal_selesai"]),):
        st = states.get(name)
        if st is not None:
            _future_dates(st, cols, end64, lo, end)
    st = states.get("umpan_balik")
    if st is not None and "tanggal" in st.values:
        # a session after the window is outside its period, which dates_in_period says
        _old_dates(st, ["tanggal"], lo)
    if peg is not None:
        employee_dates(states, peg, periods, end64)


def register_dates(peg: TableState, periods: Sequence[str]) -> None:
    """The register's rows against themselves: an impossible age at the window's end, an
    appointment before the age of 18, dates after the window, the leaving date against
    the others. Each row by its own cells, so run before the key rule: a first copy
    rejected here leaves its corrected copy in use."""
    peg.dates_checked = True
    if not periods:
        return
    end, end64 = _window_end(periods)
    lo = DATE_RANGE[0]
    d, ok = peg.values, ~peg.bad
    born = d["tanggal_lahir"].to_numpy().astype("datetime64[D]")
    age = (end64 - born).astype("timedelta64[D]").astype(float) / 365.25
    bad_age = ok & ~np.isnat(born) & ((age < AGE_RANGE[0]) | (age > AGE_RANGE[1]))
    reject(
        peg, bad_age, "tanggal_lahir", "tanggal_lahir_mustahil",
        lambda pos: np.array([peg.msg("tanggal_lahir_mustahil", usia=f"{age[i]:.0f}", akhir=end.strftime("%Y-%m-%d")) for i in pos], dtype=object),
    )  # fmt: skip
    ok = ~peg.bad
    tmt = d["tmt_cpns"].to_numpy().astype("datetime64[D]")
    at = (tmt - born).astype("timedelta64[D]").astype(float) / 365.25
    early = ok & ~np.isnat(tmt) & ~np.isnat(born) & (at < MIN_AGE_AT_APPOINTMENT)
    reject(
        peg, early, "tmt_cpns", "tmt_sebelum_lahir",
        lambda pos: np.array([peg.msg("tmt_sebelum_lahir", tmt=str(tmt[i]), lahir=str(born[i]), usia=f"{at[i]:.0f}") for i in pos], dtype=object),
    )  # fmt: skip
    _future_dates(peg, ["tmt_cpns"], end64, lo, end)
    leaving_dates(peg, end64, end)


def leaving_dates(peg: TableState, end64, end) -> None:
    """The leaving date (``pegawai.tmt_keluar``, optional: the first day the employee is
    no longer an ASN of this agency) against the employee's own dates.

    * ``keluar_sebelum_lahir`` / ``keluar_sebelum_tmt``: a leaving date before the birth
      date or before ``tmt_cpns`` cannot be; the column is optional, so, as for any bad
      value in an optional column, the cell is emptied with a warning and the employee
      kept (counted as still employed: the employee's rows say whether they worked).
      A leaving date on the appointment day is not flagged.
    * ``tanggal_masa_depan`` (warning, value kept): a leaving date after the end of the
      dataset's last period; the employee is counted in every period, and a retirement
      decree is issued before its TMT, so it may be right — the message says both.
    """
    d = peg.values
    if "tmt_keluar" not in d:
        return
    keluar = d["tmt_keluar"].to_numpy().astype("datetime64[D]")
    born = d["tanggal_lahir"].to_numpy().astype("datetime64[D]")
    tmt = d["tmt_cpns"].to_numpy().astype("datetime64[D]")
    ok = ~peg.bad & ~np.isnat(keluar)
    early = ok & (keluar < born)  # NaT compares False
    pos = reject(
        peg, early, "tmt_keluar", "keluar_sebelum_lahir",
        lambda pos: np.array([peg.msg("opsional_dikosongkan", pesan=peg.msg("keluar_sebelum_lahir", lahir=str(born[i]))) for i in pos], dtype=object),
        level="peringatan",
    )  # fmt: skip
    cleared = early.copy()
    early = ok & ~early & (keluar < tmt)
    pos = np.concatenate([pos, reject(
        peg, early, "tmt_keluar", "keluar_sebelum_tmt",
        lambda pos: np.array([peg.msg("opsional_dikosongkan", pesan=peg.msg("keluar_sebelum_tmt", tmt=str(tmt[i]))) for i in pos], dtype=object),
        level="peringatan",
    )])  # fmt: skip
    cleared |= early
    if len(pos):
        _clear(peg, "tmt_keluar", np.sort(pos))
    reject(
        peg, ok & ~cleared & (keluar > end64), "tmt_keluar", "tanggal_masa_depan",
        lambda pos: peg.msg("keluar_masa_depan", akhir=end.strftime("%Y-%m-%d")),
        level="peringatan",
    )  # fmt: skip


#: The tables whose rows are one employee's in one period: a period that ended before
#: the employee's appointment, or began after the employee left, is flagged
#: (:func:`employee_dates`).
EMPLOYEE_PERIOD_TABLES = ("skp", "perilaku", "penilaian_resmi", "umpan_balik")
#: Columns naming the employee who rated a row of a period: the 360° rater (a NIP or
#: another id) and the official appraiser (``pejabat penilai kinerja``).
RATER_COLUMNS = (("perilaku", "id_penilai"), ("penilaian_resmi", "nip_penilai"))


def _rows_of_employees(st: TableState, nips: pd.Index, column: str = "nip") -> np.ndarray:
    """Position in ``nips`` of the employee each row's ``column`` names (``-1``: empty,
    or not in ``nips``), looked up once per distinct value and spread through its codes."""
    s = st.values[column]
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats, codes = s.cat.categories.to_numpy(dtype=object), s.cat.codes.to_numpy()
    else:
        codes, uniq = pd.factorize(s, use_na_sentinel=True)
        cats = np.asarray(uniq, dtype=object)
    where = nips.get_indexer(cats) if len(cats) else np.array([], dtype=np.int64)
    return np.append(where, -1).astype(np.int64)[codes]


def _dated_rows(
    st: TableState,
    who: np.ndarray,
    codes: np.ndarray,
    per_code: np.ndarray,
    dates: np.ndarray,
    *,
    on_or_after: bool,
) -> np.ndarray:
    """Rows of ``st`` not rejected whose period's date (``per_code[codes]``; code -1 and
    a ``NaT`` date: none) is before (``on_or_after=False``) or on or after (True) the
    date of the row's employee (``dates[who]``; ``who`` -1 is the last entry of
    ``dates``, ``NaT``). ``NaT`` on either side compares False.

    The same as ``~st.bad & (per_code[codes] < dates[who])`` (or ``>=``), but compared
    only on the rows of employees whose date can pass against some period: a register
    whose appointments all precede the data, or without leaving dates, costs one pass
    over the employees, not several over 26.5 M ratings.
    """
    out = np.zeros(len(codes), dtype=bool)
    known = per_code[~np.isnat(per_code)]
    if not len(known):
        return out
    can = dates <= known.max() if on_or_after else dates > known.min()
    if not can.any():
        return out
    rows = np.flatnonzero(can[who] & ~st.bad)
    day = np.append(per_code, np.datetime64("NaT"))[codes[rows]]
    mine = dates[who[rows]]
    out[rows] = (day >= mine) if on_or_after else (day < mine)
    return out


def _period_edges(
    st: TableState, periods: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's period code (``-1``: empty) and, per category of ``st.values["periode"]``,
    its first and last day (``NaT`` for a period outside the dataset's: rejected by the
    period rules, not checked against dates)."""
    per = st.values["periode"]
    nat = np.datetime64("NaT")
    bounds = [period_bounds(c) if c in periods else None for c in per.cat.categories.tolist()]
    first, last = (
        np.array([nat if b is None else b[i].to_datetime64() for b in bounds], "datetime64[D]")
        for i in (0, 1)
    )
    return per.cat.codes.to_numpy(), first, last


def _per_row(st: TableState, key: str, n: int, rows: dict[str, np.ndarray], **fixed) -> np.ndarray:
    """Message ``key`` for ``n`` hit rows, with ``rows`` fields differing per row (arrays
    of text) and ``fixed`` fields the same for all: the template is rendered once, with
    markers where the per-row fields go, and the rows' texts are joined around them
    column by column (no formatting call per row).

    >>> from types import SimpleNamespace
    >>> st = SimpleNamespace(msg=lambda key, **f: "{a} dan {b} ({c})".format(**f))
    >>> _per_row(st, "k", 2, {"a": np.array(["x", "y"], dtype=object),
    ...                       "b": np.array(["1", "2"], dtype=object)}, c="tetap").tolist()
    ['x dan 1 (tetap)', 'y dan 2 (tetap)']
    """
    marks = {k: f"\x00{k}\x00" for k in rows}
    parts = re.split(r"\x00(\w+)\x00", st.msg(key, **fixed, **marks))
    out = np.full(n, parts[0], dtype=object)
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        out = out + rows[name].astype(object) + text
    return out


def employee_dates(
    states: Mapping[str, TableState], peg: TableState, periods: Sequence[str], end64
) -> None:
    """Each employee's rows in the other tables against the employee's birth date,
    appointment and leaving (``pegawai.tanggal_lahir``, ``pegawai.tmt_cpns``: TMT CPNS
    of a PNS, TMT PPPK of a PPPK; ``pegawai.tmt_keluar``, optional: the first day the
    employee is no longer an ASN of this agency).

    * ``pelatihan_sebelum_lahir`` (rejected): a training that starts before the
      employee was born cannot have happened; the row is rejected.
    * ``tanggal_sebelum_tmt`` (warning, row kept): a training (``tanggal_mulai``) or a
      feedback session (``umpan_balik.tanggal``) dated before the employee's appointment.
      Not a rejection: trainings before appointment are real — most PPPK, and many
      CPNS, served as honorary (non-ASN) staff first, and their trainings of those years
      are carried in the training register — and a session dated before the appointment
      points as much at ``tmt_cpns`` (a month-rounded or mistyped start in the pegawai
      export) as at the session; rejecting would drop rows whose fault may lie in
      another table. A BKPSDM analyst keeps them and checks them: the warning says so.
    * ``periode_sebelum_tmt`` (warning, row kept): a row of an employee's period
      (:data:`EMPLOYEE_PERIOD_TABLES`) whose period ended before the employee's
      appointment: one warning per row, kept for the same reason.
    * ``periode_sesudah_keluar`` (warning, row kept): a row of an employee's period
      whose period began on or after ``tmt_keluar`` — the employee had left before it
      began. Kept, and the employee is counted in that period
      (:func:`kinerja_analysis.analyses.shared.pegawai_through`: a row of the period
      names them), since the fault may lie in the leaving date as much as in the row.
    * ``tanggal_sesudah_keluar`` (warning, row kept): a training or a feedback session
      dated on or after ``tmt_keluar``.
    * ``penilai_sesudah_keluar`` (warning, row kept): a 360° rating (``perilaku.
      id_penilai``) or an official rating (``penilaian_resmi.nip_penilai``) given by an
      employee of the register in a period that began on or after the rater's
      ``tmt_keluar``: someone who had left rated the period. Kept, as the fault may lie
      in the leaving date, the period or the rater's id; an id that is no employee's (an
      outside rater) is not checked.
    * ``atasan_sesudah_keluar`` (warning, row kept): an employee's supervisor
      (``pegawai.nip_atasan``, an employee of the register) had left (``tmt_keluar``)
      before a period of the dataset began in which the employee worked (appointed by
      its last day, and no leaving date or a later one than its first day); the first
      such period is named. The
      register names each employee's current (or, for a leaver, last) supervisor, so the
      cell is stale for at least a whole period, or one of the two leaving dates is
      wrong. A supervisor who left during the dataset's last period is not flagged (the
      register may not name a successor yet). Kept: ``nip_atasan`` is not used by the
      analysis, and the fault may lie in either row.

    The message names the employee's row in the pegawai file, never the birth date,
    the appointment or leaving date or the NIP (the issues list goes to the
    data-quality workbook; the employee's dates are personal data of another table).
    Rows already rejected, rows whose NIP is not an accepted employee (reported once, as
    an unknown or rejected employee, by the reference rules that follow), rows outside
    the dataset's periods (rejected by the period rules), employees whose ``tmt_cpns``
    is after the dataset's last period and those whose ``tmt_keluar`` is (already
    warned about on their own row: every row of theirs would follow from that one cell)
    are not checked against that date. A feedback row whose period ended before the
    appointment, or began after the leaving, gets that warning alone, not the session
    date's as well.
    """
    d = peg.values
    ok = ~peg.bad & d["nip"].notna().to_numpy()
    if not ok.any():
        return
    nips = pd.Index(_text(d["nip"])[ok].to_numpy(dtype=object))
    if nips.has_duplicates:  # the key rule rejects duplicates: never reached
        return
    nat = np.datetime64("NaT")
    born = d["tanggal_lahir"].to_numpy().astype("datetime64[D]")[ok]
    tmt = d["tmt_cpns"].to_numpy().astype("datetime64[D]")[ok]
    tmt = np.where(tmt > end64, nat, tmt)  # warned on the pegawai row
    if "tmt_keluar" in d:
        gone = d["tmt_keluar"].to_numpy().astype("datetime64[D]")[ok]
        gone = np.where(gone > end64, nat, gone)  # warned on the pegawai row
    else:
        gone = np.full(len(nips), nat, dtype="datetime64[D]")
    line = peg.raw.rows[ok].astype(str).astype(object)  # the employee's row, as text
    # the file (and sheet, for rows stacked from several sheets) of the employee's row
    where = peg.raw.file_at(np.flatnonzero(ok)) if peg.raw.stacked else None
    # index -1 (a row of no accepted employee) → NaT
    born_x, tmt_x, gone_x = (np.append(a, nat) for a in (born, tmt, gone))

    def msg(st: TableState, key: str, emp: np.ndarray, codes=None, per_code=None, field="akhir"):
        """The messages of the hit positions: the employee's row (and a date of the
        row's period, ``per_code`` per category of ``codes``, as ``field``). One text per
        distinct employee (and period), shared by its rows: a careless export with a
        wrong ``tmt_cpns`` for thousands of employees hits millions of 360° rows, and the
        texts would otherwise be one string object each."""

        def build(pos: np.ndarray) -> np.ndarray:
            k = emp[pos] if codes is None else emp[pos] * len(per_code) + codes[pos]
            _, first, inv = np.unique(k, return_index=True, return_inverse=True)
            one = pos[first]
            fields = {"baris": line[emp[one]]}
            if codes is not None:
                fields[field] = per_code[codes[one]]
            if where is not None:
                fields["file"] = where[emp[one]]
                return _per_row(st, key, len(one), fields)[inv]
            return _per_row(st, key, len(one), fields, file=peg.file)[inv]

        return build

    ub_period = None
    for name in EMPLOYEE_PERIOD_TABLES:
        st = states.get(name)
        if st is None or "periode" not in st.values or "nip" not in st.values:
            continue
        emp = _rows_of_employees(st, nips)
        codes, first, last = _period_edges(st, periods)
        early = _dated_rows(st, emp, codes, last, tmt_x, on_or_after=False)
        akhir = np.append(np.datetime_as_string(last, unit="D").astype(object), "")
        reject(
            st, early, "periode", "periode_sebelum_tmt",
            msg(st, "periode_sebelum_tmt", emp, codes, akhir), level="peringatan",
        )  # fmt: skip
        after = _dated_rows(st, emp, codes, first, gone_x, on_or_after=True)
        mulai = np.append(np.datetime_as_string(first, unit="D").astype(object), "")
        reject(
            st, after, "periode", "periode_sesudah_keluar",
            msg(st, "periode_sesudah_keluar", emp, codes, mulai, "mulai"), level="peringatan",
        )  # fmt: skip
        if name == "umpan_balik":
            ub_period = early | after
    for name, column in RATER_COLUMNS:
        st = states.get(name)
        if st is None or column not in st.values or "periode" not in st.values:
            continue
        rater = _rows_of_employees(st, nips, column)
        codes, first, _ = _period_edges(st, periods)
        mulai = np.append(np.datetime_as_string(first, unit="D").astype(object), "")
        reject(
            st, _dated_rows(st, rater, codes, first, gone_x, on_or_after=True), column,
            "penilai_sesudah_keluar",
            msg(st, "penilai_sesudah_keluar", rater, codes, mulai, "mulai"), level="peringatan",
        )  # fmt: skip
    if "nip_atasan" in d:
        boss = _rows_of_employees(peg, nips, "nip_atasan")
        own = np.full(peg.n, nat, dtype="datetime64[D]")
        own[ok] = gone
        # the appointment as written (one after the data: no period worked, not flagged)
        hired = d["tmt_cpns"].to_numpy().astype("datetime64[D]")
        # periods by their first day; the named period is the first that began on or
        # after the supervisor's leaving and that the employee worked in: appointed by
        # its last day (NaT: appointed before the data) and not gone by its first day
        bounds = np.array(
            sorted(tuple(d.to_datetime64() for d in period_bounds(p)) for p in periods),
            "datetime64[D]",
        ).reshape(-1, 2)
        starts, last_days = bounds[:, 0], np.maximum.accumulate(bounds[:, 1])
        boss_at = np.searchsorted(starts, gone_x)[boss]  # NaT sorts last: none
        own_at = np.where(np.isnat(hired), 0, np.searchsorted(last_days, hired))
        at = np.maximum(boss_at, own_at)
        after = np.append(starts, nat)[at]
        # NaT compares False: an employee without a leaving date stays past any date
        stale = ~peg.bad & ~np.isnat(after) & ~(own <= after)
        mulai = np.append(np.datetime_as_string(starts, unit="D").astype(object), "")
        reject(
            peg, stale, "nip_atasan", "atasan_sesudah_keluar",
            msg(peg, "atasan_sesudah_keluar", boss, at, mulai, "mulai"),
            level="peringatan",
        )  # fmt: skip
    st = states.get("pelatihan")
    if st is not None and "nip" in st.values:
        emp = _rows_of_employees(st, nips)
        start = st.values["tanggal_mulai"].to_numpy().astype("datetime64[D]")
        reject(
            st, ~st.bad & (start < born_x[emp]), "tanggal_mulai", "pelatihan_sebelum_lahir",
            msg(st, "pelatihan_sebelum_lahir", emp),
        )  # fmt: skip
        reject(
            st, ~st.bad & (start < tmt_x[emp]), "tanggal_mulai", "tanggal_sebelum_tmt",
            msg(st, "pelatihan_sebelum_tmt", emp), level="peringatan",
        )  # fmt: skip
        reject(
            st, ~st.bad & (start >= gone_x[emp]), "tanggal_mulai", "tanggal_sesudah_keluar",
            msg(st, "pelatihan_sesudah_keluar", emp), level="peringatan",
        )  # fmt: skip
    st = states.get("umpan_balik")
    if st is not None and "nip" in st.values and "tanggal" in st.values:
        emp = _rows_of_employees(st, nips)
        day = st.values["tanggal"].to_numpy().astype("datetime64[D]")
        before = ~st.bad & (day < tmt_x[emp])
        after = ~st.bad & (day >= gone_x[emp])
        if ub_period is not None:
            before &= ~ub_period
            after &= ~ub_period
        reject(
            st, before, "tanggal", "tanggal_sebelum_tmt",
            msg(st, "umpan_balik_sebelum_tmt", emp), level="peringatan",
        )  # fmt: skip
        reject(
            st, after, "tanggal", "tanggal_sesudah_keluar",
            msg(st, "umpan_balik_sesudah_keluar", emp), level="peringatan",
        )  # fmt: skip


def _old_dates(st: TableState, cols: list[str], lo) -> None:
    """Dates before ``lo`` (:data:`~kinerja_analysis.data.validation.DATE_RANGE`'s
    start), rejected: a typo, never a date of a serving ASN's data."""
    for c in cols:
        v = st.values[c].to_numpy().astype("datetime64[D]")
        ok = ~st.bad & ~np.isnat(v)
        reject(st, ok & (v < lo), c, "tanggal_terlalu_lama", st.msg("tanggal_terlalu_lama"))


def _future_dates(st: TableState, cols: list[str], end64, lo, end) -> None:
    _old_dates(st, cols, lo)
    for c in cols:
        v = st.values[c].to_numpy().astype("datetime64[D]")
        ok = ~st.bad & ~np.isnat(v)
        reject(
            st, ok & (v > end64), c, "tanggal_masa_depan",
            st.msg("tanggal_masa_depan", akhir=end.strftime("%Y-%m-%d")), level="peringatan",
        )  # fmt: skip


def dates_in_period(st: TableState, column: str) -> None:
    """A dated row whose date is outside its period (warning)."""
    d = st.values
    per = d["periode"]
    codes = per.cat.codes.to_numpy()
    ok = ~st.bad & d[column].notna().to_numpy() & (codes >= 0)
    if not ok.any():
        return
    cats = per.cat.categories.to_numpy(dtype=object)
    nat = np.datetime64("NaT", "us")
    bounds = [period_bounds(c) if is_period(c) else (None, None) for c in cats]
    lo_c = np.array([nat if a is None else a.to_datetime64() for a, _ in bounds] + [nat])
    hi_c = np.array([nat if b is None else b.to_datetime64() for _, b in bounds] + [nat])
    lo = lo_c.astype("datetime64[us]")[codes]  # code -1 → the trailing NaT
    hi = hi_c.astype("datetime64[us]")[codes]
    v = d[column].to_numpy().astype("datetime64[us]")
    outside = ok & ((v < lo) | (v > hi))
    reject(
        st,
        outside,
        column,
        "tanggal_dalam_periode",
        st.msg("tanggal_dalam_periode"),
        level="peringatan",
    )


# --------------------------------------------------------------------------- supervisors


def supervisor_loops(st: TableState) -> None:
    """Supervisor chains that come back to where they started (A → B → A): a warning on
    every employee of the loop."""
    d = st.values
    ok = ~st.bad
    nip = _text(d["nip"]).where(pd.Series(ok), None)
    sup = _text(d["nip_atasan"]).where(pd.Series(ok), None)
    index = pd.Index(nip.dropna())
    if index.has_duplicates:
        index = index.drop_duplicates()
    parent = index.get_indexer(sup.where(sup.notna(), "\x00").to_numpy(dtype=object))
    own = index.get_indexer(nip.where(nip.notna(), "\x00").to_numpy(dtype=object))
    n = len(index)
    par = np.full(n, -1, dtype=np.int64)
    valid = (own >= 0) & (parent >= 0) & (own != parent)
    par[own[valid]] = parent[valid]
    indeg = np.bincount(par[par >= 0], minlength=n)
    alive = np.ones(n, dtype=bool)
    frontier = np.flatnonzero(indeg == 0)
    while len(frontier):
        alive[frontier] = False
        p = par[frontier]
        p = p[p >= 0]
        np.subtract.at(indeg, p, 1)
        frontier = np.unique(p[(indeg[p] == 0) & alive[p]])
    on_loop = alive & (par >= 0)
    if not on_loop.any():
        return
    names = index.to_numpy(dtype=object)
    chain: dict[int, str] = {}
    for start in np.flatnonzero(on_loop):
        if start in chain:
            continue
        cyc = [start]
        j = par[start]
        while j != start and len(cyc) <= n:
            cyc.append(j)
            j = par[j]
        text = " → ".join(str(names[k]) for k in [*cyc, start])
        for k in cyc:
            chain[k] = text
    rows = on_loop[np.maximum(own, 0)] & (own >= 0)
    reject(
        st, rows, "nip_atasan", "atasan_melingkar",
        lambda pos: np.array([st.msg("atasan_melingkar", rantai=chain[own[i]]) for i in pos], dtype=object),
        level="peringatan",
    )  # fmt: skip


# --------------------------------------------------------------------------- references


def _rejected_pegawai(peg: TableState) -> dict[str, tuple[int, str, str]]:
    """NIP → (row, first reason, file) of rejected employee rows whose NIP is readable;
    ``file`` is the pegawai file's name, with the row's sheet where the table was read
    from several sheets (:meth:`~kinerja_analysis.data.readers.RawTable.file_of`).

    Besides the NIP as read or written, a rejected row is found by:

    * a NIP stored as a number with lost digits: its rounded value (:func:`_lossy_key`);
    * a NIP cut by Excel to 15 digits and padded ``000`` (``196809242003042000``): its
      first 15 digits (:func:`_cut_key`), the full NIP of the other tables begins so;
    * a CSV line set aside as broken (too few or too many fields): the NIP its text
      holds at the NIP column's position (:func:`~kinerja_analysis.data.validation.
      broken_row_ids`) — for linking only, the line is never read as data.

    A rounded or cut key two rows share names no single row and is dropped.
    """
    bad = np.flatnonzero(peg.bad)
    broken = broken_row_ids(peg.raw) if peg.raw.broken else []
    if not len(bad) and not broken:
        return {}
    nip = _text(peg.values["nip"]).to_numpy(dtype=object)
    reasons = dict(zip(bad.tolist(), peg.issues.first_reject_reason(bad).tolist(), strict=True))
    accepted = set(nip[~peg.bad].tolist())
    out: dict[str, tuple[int, str, str]] = {}
    shared_rows: dict[str, set[object]] = {}  # positions (a row number may repeat across sheets)

    def add(v: str, entry: tuple[int, str, str], where: object) -> None:
        if len(id_key(v)) < MIN_ID_CHARS:
            return  # '-', '0': a placeholder names no one, and no row is theirs
        out.setdefault(v, entry)
        other = None if v.isdigit() and len(v) == 18 else _other_id_key(v)
        for key in (_lossy_key(v), _cut_key(v) if v.endswith("000") else None, other):
            if key is not None:
                out.setdefault(key, entry)
                shared_rows.setdefault(key, set()).add(where)

    for i in bad.tolist():
        v = nip[i]
        if v is None:
            # the NIP cell itself failed: its text may still match a dependent row
            v = peg.text("nip", np.array([i]))[0] or None
        if v is not None and v not in accepted:
            add(str(v), (int(peg.raw.rows[i]), str(reasons[i]), peg.raw.file_of(i)), i)
    if broken:
        why = {row: broken_row_reason(peg, k) for row, _, k in peg.raw.broken}
        for row, v in broken:
            if v not in accepted:
                add(v, (row, why[row], peg.file), ("baris", row))
    for key, rows_ in shared_rows.items():
        if len(rows_) > 1:  # two employees round to the same number: no single root cause
            out.pop(key, None)
    return out


#: The root cause (``sebab``) of the rows whose employee only a register sheet set aside
#: as a copy holds: this prefix and the sheet (``"salinan pegawai.xlsx [Pegawai (2)]"``),
#: one cause per sheet.
COPY_CAUSE = "salinan "


def _copy_only_pegawai(peg: TableState, known: pd.Index) -> dict[str, tuple[str, int]]:
    """Key (:func:`~kinerja_analysis.data.readers.copy_key`) → (file and sheet,
    spreadsheet row) of the employees only a sheet of the
    register set aside as a copy or an archive holds (``sheet_salinan``,
    :attr:`~kinerja_analysis.data.readers.ReadInfo.copy_keys`) and no accepted row has:
    another table's row naming one is unknown still, but told where its employee
    stands (the sheet's message counts them)."""
    keys = peg.raw.info.copy_keys
    if not keys:
        return {}
    accepted = {copy_key(k) for k in known.tolist()}
    out: dict[str, tuple[str, int]] = {}
    for key, sheet, row in keys:
        if key not in accepted:
            out.setdefault(key, (sheet_label(peg.file, sheet), int(row)))
    return out


def _other_id_key(text: str) -> str | None:
    """The key under which an identifier that is no NIP (a NIK, a THL number) and its
    other spellings meet: ``"id:"`` and :func:`~kinerja_analysis.data.validation.id_key`;
    ``None`` for an 18-digit NIP or a placeholder too short to name anyone."""
    if len(text) == 18 and text.isdigit():
        return None
    k = id_key(text)
    return f"id:{k}" if len(k) >= MIN_ID_CHARS else None


def _cut_key(text: str) -> str | None:
    """The key under which a NIP Excel cut to 15 digits (``196809242003042000``: the
    last three digits lost, ``000`` never a real sequence) and the full NIP it came
    from (``196809242003042001``) meet: ``"15:"`` and the first 15 digits. ``None`` for a
    text that is not 18 digits.

    >>> _cut_key("196809242003042000") == _cut_key("196809242003042001")
    True
    >>> _cut_key("1.968E+17") is None
    True
    """
    if len(text) != 18 or not text.isdigit():
        return None
    return f"15:{text[:15]}"


_MANTISSA = re.compile(r"^[+-]?(\d+)(?:[.,](\d+))?[eE][+-]?\d+$")


def _lossy_key(text: str, digits: int | None = None) -> str | None:
    """The key under which a NIP stored as a number (``1.96805071989111e+17``: the
    spreadsheet kept ``digits`` significant digits) and the full NIP it came from
    (``196805071989111001``) meet: the value rounded to those digits. ``None`` for a text
    that is neither."""
    if digits is None:
        m = _MANTISSA.match(text)
        if not m:
            return None
        digits = len((m.group(1) + (m.group(2) or "")).lstrip("0")) or 1
        text = text.replace(",", ".")
    try:
        v = float(text)
    except ValueError:
        return None
    if not np.isfinite(v) or v <= 0:
        return None
    return f"\u2248{digits}:{v:.{digits - 1}E}"


def _lossy_digits(rejected: Mapping[str, tuple[int, str, str]]) -> list[int]:
    """The numbers of significant digits of the lossy keys in ``rejected``."""
    return sorted(
        {int(k[1:].split(":", 1)[0]) for k in rejected if k.startswith("\u2248")}, reverse=True
    )


def _spelling_key(text: str) -> str:
    """An OPD name as compared across spellings: case-folded, spaces folded."""
    return " ".join(text.casefold().split())


def fold_spellings(
    st: TableState, column: str, canon: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Read the spellings of one name that differ only in letter case or spaces as one.

    An OPD written ``Dinas Kesehatan``, ``DINAS KESEHATAN`` and ``Dinas  Kesehatan`` in
    a hand-kept register is one OPD: every row is read as the spelling most rows use
    (ties: the first in sort order), with a warning on each row read otherwise naming
    its value as written and the spelling used. With ``canon`` (``{key: spelling}`` of
    the register, :func:`_spelling_key`), a reference table's names are read as the
    register's spelling instead. Returns ``{key: spelling}`` of the column.
    """
    s = st.values[column]
    if not isinstance(s.dtype, pd.CategoricalDtype) or len(s.cat.categories) == 0:
        return dict(canon or {})
    cats = [str(c) for c in s.cat.categories.tolist()]
    codes = s.cat.codes.to_numpy()
    counts = np.bincount(codes[codes >= 0], minlength=len(cats))
    chosen: dict[str, str] = dict(canon or {})
    if canon is None:
        by_key: dict[str, list[int]] = {}
        for i, c in enumerate(cats):
            by_key.setdefault(_spelling_key(c), []).append(i)
        for key, idx in by_key.items():
            best = sorted(idx, key=lambda i: (-counts[i], cats[i]))[0]
            chosen[key] = cats[best]
    target = [chosen.get(_spelling_key(c), c) for c in cats]
    moved = np.array([t != c for t, c in zip(target, cats, strict=True)], dtype=bool)
    if not moved.any():
        return chosen
    rows = (codes >= 0) & np.append(moved, False)[codes]
    spelled = np.array(target, dtype=object)
    reject(
        st,
        rows,
        column,
        "ejaan_nama",
        lambda pos: np.array(
            [st.msg("ejaan_nama", baku=spelled[codes[i]]) for i in pos], dtype=object
        ),
        "peringatan",
    )
    values = pd.Series(np.array(target, dtype=object)[codes], index=s.index).where(codes >= 0)
    st.values[column] = values.astype("category")
    return chosen


def check_reference(
    st: TableState,
    column: str,
    known: pd.Index,
    what: str,
    rejected: Mapping[str, tuple[int, str, str]],
    peg_file: str,
    level: str = "tolak",
    copies: Mapping[str, tuple[str, int]] | None = None,
) -> None:
    """Values of ``column`` must be in ``known``; those that belong to a rejected employee
    are set aside under that root cause instead of "unknown" (``rejected``: NIP → row,
    reason and file of the employee's row, :func:`_rejected_pegawai`; ``peg_file`` the
    pegawai file's name, kept for callers). An unknown value only a sheet set aside as a
    copy holds (``copies``: key → (file and sheet, row), :func:`_copy_only_pegawai`) is
    unknown still, its message naming that sheet and row, its cause that sheet
    (:data:`COPY_CAUSE`)."""
    s = st.values[column]
    cats = s.cat.categories.to_numpy(dtype=object)
    codes = s.cat.codes.to_numpy()
    known_set = known if isinstance(known, (set, frozenset)) else set(known.tolist())
    known_cat = np.fromiter((c in known_set for c in cats), dtype=bool, count=len(cats))
    present = codes >= 0
    unknown = present & ~np.append(known_cat, True)[codes] & ~st.bad
    if not unknown.any():
        return
    # an unknown NIP whose employee row was rejected: by its text, or (a NIP the
    # employee table stored as a number with lost digits) by its rounded value
    ks = _lossy_digits(rejected)
    key_of: dict[str, str] = {}
    for c in cats[np.unique(codes[unknown])].tolist():
        if c in rejected:
            key_of[c] = c
        elif (k := _other_id_key(c)) is not None and k in rejected:
            key_of[c] = k  # a NIK or THL number written with other separators or case
        elif len(c) == 18 and c.isdigit():
            hit = next((k for k in (_lossy_key(c, d) for d in ks) if k in rejected), None)
            if hit is None and _cut_key(c) in rejected:
                hit = _cut_key(c)
            if hit is not None:
                key_of[c] = hit
    rej_cat = np.fromiter((c in key_of for c in cats), dtype=bool, count=len(cats))
    is_rej = unknown & np.append(rej_cat, False)[codes]
    vals = np.full(st.n, None, dtype=object)
    vals[unknown] = [key_of.get(c, c) for c in cats[codes[unknown]].tolist()]
    plain = unknown & ~is_rej
    if copies:
        # looked up as the register's sheets were compared (case, spaces, separators)
        in_copy = np.zeros(len(cats), dtype=bool)
        cat_key = np.full(len(cats), None, dtype=object)
        for j in np.unique(codes[plain]).tolist():
            if (k := copy_key(cats[j])) in copies:
                in_copy[j], cat_key[j] = True, k
        copied = plain & np.append(in_copy, False)[codes]
        plain &= ~copied
        vals[copied] = cat_key[codes[copied]]
        if copied.any():
            reject(
                st, copied, column, f"referensi:{what}",
                lambda pos: np.array(
                    [st.msg("referensi_salinan", kolom=column, apa=what, file=copies[vals[i]][0],
                            baris=copies[vals[i]][1]) for i in pos],
                    dtype=object,
                ),
                level,
                cause=lambda pos: np.array(
                    [f"{COPY_CAUSE}{copies[vals[i]][0]}" for i in pos], dtype=object
                ),
            )  # fmt: skip
    reject(
        st, plain, column, f"referensi:{what}", st.msg("referensi", kolom=column, apa=what), level
    )
    if is_rej.any():
        key = "referensi_ditolak" if level == "tolak" else "referensi_ditolak_peringatan"

        def msg(pos: np.ndarray) -> np.ndarray:
            return np.array(
                [
                    st.msg(
                        key,
                        file=rejected[vals[i]][2],
                        baris=rejected[vals[i]][0],
                        alasan=rejected[vals[i]][1],
                    )
                    for i in pos
                ],
                dtype=object,
            )

        def cause(pos: np.ndarray) -> np.ndarray:
            return np.array(
                [f"{rejected[vals[i]][2]} baris {rejected[vals[i]][0]}" for i in pos], dtype=object
            )

        reject(st, is_rej, column, "referensi:pegawai_ditolak", msg, level, cause=cause)


def period_membership(
    st: TableState, periods: tuple[str, ...], not_adopted: Mapping[str, str], source: str
) -> None:
    """Rows whose period is not a dataset period are rejected; a candidate period that was
    not adopted is named as the root cause."""
    per = st.values["periode"]
    cats = per.cat.categories.to_numpy(dtype=object)
    codes = per.cat.codes.to_numpy()
    inside = np.append(np.isin(cats, list(periods)), True)
    outside = (codes >= 0) & ~inside[codes] & ~st.bad
    if not outside.any():
        return
    named_cat = np.append(np.isin(cats, list(not_adopted)), False)
    named = outside & named_cat[codes]
    plain = outside & ~named
    vals = np.full(st.n, None, dtype=object)
    vals[outside] = cats[codes[outside]]
    if periods:
        reject(
            st, plain, "periode", "referensi:periode dataset",
            st.msg("periode_luar", awal=periods[0], akhir=periods[-1], sumber=source),
        )  # fmt: skip
    if named.any():
        reject(
            st, named, "periode", "periode_tidak_dipakai",
            lambda pos: np.array([st.msg("periode_tidak_dipakai", periode=vals[i], alasan=not_adopted[vals[i]]) for i in pos], dtype=object),
            cause=lambda pos: np.array([f"periode {vals[i]}" for i in pos], dtype=object),
        )  # fmt: skip


def survey_item_rules(st: TableState, instrumen: TableState) -> None:
    """Survey answers within each item's scale, whole numbers."""
    d = instrumen.values
    ok = ~instrumen.bad
    items = _text(d["item"])[ok].tolist()
    lo_s = d["skala_min"][ok].tolist() if "skala_min" in d else [pd.NA] * len(items)
    hi_s = d["skala_max"][ok].tolist() if "skala_max" in d else [pd.NA] * len(items)
    for item, lo, hi in zip(items, lo_s, hi_s, strict=True):
        lo = 1 if pd.isna(lo) else lo
        hi = 5 if pd.isna(hi) else hi
        v = st.values[item].to_numpy(dtype=float, na_value=np.nan)
        out = ~st.bad & ~np.isnan(v) & ((v < lo) | (v > hi) | (v != np.round(v)))
        reject(st, out, item, "skala_butir", st.msg("skala_butir", lo=f"{lo:g}", hi=f"{hi:g}"))


# --------------------------------------------------------------------------- all rules


def nip_ids(states: Mapping[str, TableState], peg: TableState) -> None:
    """Read the values of ``may_be_nip`` columns (a rater id) written with separators
    (``19850312/201001/1/001``) as the NIP of the employee table they stand for, as NIP
    columns are read: only when removing the separators leaves a NIP of the employee
    table (accepted or not); any other value is kept as written. Runs before the key
    rules, so two ids that become the same NIP are one rater."""
    nips = set(_text(peg.values["nip"]).dropna().tolist())
    if not nips:
        return
    for st in states.values():
        for col in st.table.columns:
            if not col.may_be_nip or col.name not in st.values:
                continue
            s = st.values[col.name]
            cats = s.cat.categories.to_numpy(dtype=object)
            new = cats.copy()
            for i, c in enumerate(cats.tolist()):
                if c not in nips:
                    bare = re.sub(NIP_SEPARATORS, "", c)
                    if bare != c and bare in nips:
                        new[i] = bare
            if (new == cats).all():
                continue
            uniq, remap = np.unique(new.astype(str), return_inverse=True)
            codes = remap_codes(s.cat.codes.to_numpy(), remap)
            st.values[col.name] = _cat_series(codes, uniq.astype(object))


def check_all(
    states: dict[str, TableState], run: Any, declared: tuple[str, ...] | None, *, pseudonim: bool
) -> tuple[str, ...]:
    """Apply every rule in order and return the dataset's periods (``()`` = none valid).

    Order (as the row-by-row loader did, so a row is reported for its first problem):
    table rules and keys; the employees' identifiers; NIPs and names in text columns
    (:func:`personal_data`); periods; plausibility of dates; references to employees and
    periods; supervisor loops. Last, every issue's value and message is masked of the
    register's names and NIPs (:func:`mask_issues`), whichever rule wrote it.
    """
    registers: list[Register] = []
    try:
        return _check_rules(states, run, declared, pseudonim=pseudonim, registers=registers)
    finally:
        if registers:
            mask_issues(states, run, registers[0])
            broken = _broken_register(states.get("pegawai"))
            if broken:
                mask_issues(states, run, broken)


def _broken_register(peg: TableState | None) -> Register | None:
    """The NIPs and names the pegawai file's broken CSV lines hold (recovered by their
    columns' positions, :func:`~kinerja_analysis.data.validation.broken_row_ids`): such
    a line is no row of the table, so :func:`register_of` does not know its person, and
    its text is quoted as the issue's value."""
    if peg is None or not peg.raw.broken:
        return None
    nips = [v for _, v in broken_row_ids(peg.raw, "nip")]
    names = [v for _, v in broken_row_ids(peg.raw, "nama")]
    register = Register(nips, names)
    return register if register else None


def _check_rules(
    states: dict[str, TableState],
    run: Any,
    declared: tuple[str, ...] | None,
    *,
    pseudonim: bool,
    registers: list[Register],
) -> tuple[str, ...]:
    """:func:`check_all` without the last masking; the register :func:`personal_data`
    searched is appended to ``registers``."""
    # Every rule that judges a row by its own cells runs before the table's key rule, so
    # that of two copies of a key the one kept is one no rule rejects: a first copy
    # rejected (its grade, a name in its OPD, an impossible date) leaves the later one in
    # use, with a warning naming it (kunci_unik_ditolak). The register's key rule comes
    # before the rules that read the register by NIP (the other tables' dates).
    if states.get("pegawai") is not None:
        nip_ids(states, states["pegawai"])
    for st in states.values():
        table_rules(st)
        nip_sequence_other(st, pseudonim)
    peg = states.get("pegawai")
    if peg is not None:
        nip_structure(peg, pseudonim, run)
    # a NIP or a name in a text column (published: the row is rejected)
    register = personal_data(states, peg)
    if register:
        registers.append(register)
    # periods
    if declared is not None:
        bad = [p for p in declared if not is_period(p)]
        if bad:
            kode = ", ".join(repr(str(p)) for p in bad)
            run.problem("", "", "periode", run.msg("periode_tidak_valid", kode=kode), "fatal")
            return ()
    support = _period_support(states)
    periods, not_adopted, pending = choose_periods(
        support, declared, run.today, run.bahasa, run.msg
    )
    run.pending_periods = pending
    if not periods:
        run.problem("", "", "periode", run.msg("tidak_ada_periode"), "fatal")
    period_gaps(periods, run)
    sources = ", ".join(t for t in PERIOD_TABLES if t in states)
    if peg is not None:
        register_dates(peg, periods)
        check_key(peg)
    date_rules(states, periods)
    if "umpan_balik" in states:
        dates_in_period(states["umpan_balik"], "tanggal")
    if "survei" in states and "survei_instrumen" in states:
        survey_item_rules(states["survei"], states["survei_instrumen"])
    if peg is not None:
        ok = ~peg.bad
        nip = _text(peg.values["nip"])
        known = pd.Index(nip[ok].dropna().unique())
        rejected = _rejected_pegawai(peg)
        copies = _copy_only_pegawai(peg, known)
        check_reference(
            peg, "nip_atasan", known, "pegawai (atasan)", rejected, peg.file, "peringatan",
            copies=copies,
        )  # fmt: skip
        # one OPD however its name's case and spaces are written (a hand-kept register)
        opd_spelling = fold_spellings(peg, "opd") if "opd" in peg.values else {}
        known_opd = pd.Index(_text(peg.values["opd"])[ok].dropna().unique())
    else:
        for name, st in states.items():
            if name != "pegawai" and "nip" in st.values:
                run.problem(name, st.file, "nip", run.msg("rujukan_tidak_diperiksa"), "peringatan")
    for name, st in states.items():
        if name == "pegawai":
            continue
        if peg is not None and "nip" in st.values:
            check_reference(st, "nip", known, "pegawai", rejected, peg.file, copies=copies)
        if "periode" in st.values and name != "penerapan" and periods:
            period_membership(st, periods, not_adopted, sources)
        if peg is not None and name in {"layanan", "penerapan"} and "opd" in st.values:
            fold_spellings(st, "opd", opd_spelling)  # the register's spelling
        if peg is not None and name in {"layanan", "penerapan"}:
            check_reference(st, "opd", known_opd, "OPD pegawai", {}, peg.file, "peringatan")
        if peg is not None and name == "perilaku":
            check_reference(
                st, "id_penilai", known, "pegawai (penilai)", rejected, peg.file, "peringatan",
                copies=copies,
            )  # fmt: skip
        if peg is not None and name == "penilaian_resmi" and "nip_penilai" in st.values:
            check_reference(
                st, "nip_penilai", known, "pegawai (penilai)", rejected, peg.file, "peringatan",
                copies=copies,
            )  # fmt: skip
        # last: two spellings of one OPD in one period are a duplicate too
        check_key(st)
    if peg is not None:
        supervisor_loops(peg)
    return periods
