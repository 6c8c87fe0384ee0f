"""Employees who left (pensiun, mutasi keluar, berhenti): ``pegawai.tmt_keluar``.

The register keeps those who left, with the TMT of their leaving — the first day they are
no longer an ASN of the agency. Each period counts those who worked at least one day of
it (:func:`~kinerja_analysis.analyses.shared.pegawai_through`): a period that began on or
after ``tmt_keluar`` does not count them, one that began before does. Their rows of the
periods they worked are kept (never rejected as unknown NIPs); rows dated after they left
are warnings naming file, row, column and value. Every head-count of a period document,
per OPD too, and the small-OPD rule follow the cut.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_cross_table_dates import PEG_ROW, validate_counting_messages, write_city
from test_validation_inputs import BOSS, PEER, PPPK, STAFF, edit, validate

from kinerja_analysis.analyses.panel import build_panel
from kinerja_analysis.analyses.shared import data_through, pegawai_through
from kinerja_analysis.core.periods import period_bounds
from kinerja_analysis.data.loading import load_dataset
from kinerja_analysis.data.messages import MESSAGES
from kinerja_analysis.data.rules import EMPLOYEE_PERIOD_TABLES
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.reporting import tables as rt
from kinerja_analysis.reporting.text import rule_label

NEW_RULES = (
    "keluar_sebelum_lahir", "keluar_sebelum_tmt", "periode_sesudah_keluar",
    "tanggal_sesudah_keluar", "penilai_sesudah_keluar",
)  # fmt: skip
#: Every rule about a leaving date, the warning of a date after the data included.
LEAVING = (*NEW_RULES, "tanggal_masa_depan")
#: The rules about the employee's own rows (a rater's leaving is checked on its own).
OWN = tuple(r for r in LEAVING if r != "penilai_sesudah_keluar")
NEW_MESSAGES = (
    "keluar_sebelum_lahir", "keluar_sebelum_tmt", "keluar_masa_depan", "periode_sesudah_keluar",
    "pelatihan_sesudah_keluar", "umpan_balik_sesudah_keluar", "penilai_sesudah_keluar",
)  # fmt: skip
MIN_SEL = 5


# ------------------------------------------------------------------ the register's cut


def _register(keluar: dict[str, str | None], tmt: dict[str, str] | None = None) -> pd.DataFrame:
    tmt = tmt or {}
    return pd.DataFrame(
        {
            "nip": list(keluar),
            "opd": ["A"] * len(keluar),
            "tmt_cpns": pd.to_datetime([tmt.get(n, "2010-01-01") for n in keluar]),
            "tmt_keluar": pd.to_datetime(list(keluar.values())),
        }
    )


def _who(tables, periode: str) -> list[str]:
    return sorted(pegawai_through(tables, periode)["nip"])


def test_the_register_is_cut_at_each_quarter_on_its_first_day() -> None:
    peg = _register(
        {
            "stays": None,
            "before_data": "2020-06-30",  # left before the data: in no period
            "q2_first_day": "2024-04-01",  # TMT 1 April: last day worked 31 March
            "q2_second_day": "2024-04-02",  # worked 1 April: counted in Q2
            "q2_last_day": "2024-06-30",  # worked Q2 but its last day
            "q3_first_day": "2024-07-01",
            "q4_mid": "2024-11-15",
        }
    )
    t = {"pegawai": peg}
    assert _who(t, "2024Q1") == sorted(set(peg["nip"]) - {"before_data"})
    assert _who(t, "2024Q2") == sorted(
        ["stays", "q2_second_day", "q2_last_day", "q3_first_day", "q4_mid"]
    )
    assert _who(t, "2024Q3") == ["q4_mid", "stays"]
    assert _who(t, "2024Q4") == ["q4_mid", "stays"]
    assert _who(t, "2025Q1") == ["stays"]
    # nobody cut: the register itself, nothing copied
    staying = peg[peg["nip"] == "stays"]
    assert pegawai_through({"pegawai": staying}, "2025Q1") is staying


@pytest.mark.parametrize(
    ("periode", "expected"),
    [
        ("2024-03", ["a", "b", "c"]),  # b leaves on 1 April, c on 15 April
        ("2024-04", ["a", "c"]),  # b's TMT is April's first day: not in April
        ("2024-05", ["a"]),
        ("2024S1", ["a", "b", "c"]),  # a semester that began before both left
        ("2024S2", ["a"]),
        ("2024", ["a", "b", "c"]),
        ("2025", ["a"]),
    ],
)
def test_the_cut_at_months_semesters_and_years(periode: str, expected: list[str]) -> None:
    peg = _register({"a": None, "b": "2024-04-01", "c": "2024-04-15"})
    assert _who({"pegawai": peg}, periode) == expected


def test_a_row_of_the_period_itself_keeps_a_leaver_in_it() -> None:
    """A row dated after the leaving (validation warns about it) says they still worked
    in that period: counted there; rows of earlier periods do not carry them further,
    and neither do rows of later periods (an earlier document never depends on later
    data)."""
    peg = _register({"a": None, "b": "2024-04-01"})
    skp = pd.DataFrame({"nip": ["b", "b", "b"], "periode": ["2024Q1", "2024Q3", "2025Q1"]})
    pel = pd.DataFrame({"nip": ["b"], "tanggal_mulai": pd.to_datetime(["2024-05-02"])})
    t = {"pegawai": peg, "skp": skp}
    assert [_who(t, p) for p in ("2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1")] == [
        ["a", "b"], ["a"], ["a", "b"], ["a"], ["a", "b"],
    ]  # fmt: skip
    assert _who({**t, "pelatihan": pel}, "2024Q2") == ["a", "b"]


def test_appointed_and_leaving_inside_the_data() -> None:
    peg = _register({"x": "2024-08-01"}, tmt={"x": "2024-05-01"})
    assert [_who({"pegawai": peg}, p) for p in ("2024Q1", "2024Q2", "2024Q3", "2024Q4")] == [
        [], ["x"], ["x"], [],
    ]  # fmt: skip


# ------------------------------------------------------------------ validation


@pytest.fixture
def city(tmp_path: Path) -> Path:
    """The small clean city of ``test_cross_table_dates`` (2024Q1–2024Q2) with an empty
    ``tmt_keluar`` column."""
    folder = write_city(tmp_path / "data")
    df = pd.read_csv(folder / "pegawai.csv", dtype=str, keep_default_na=False)
    df["tmt_keluar"] = ""
    df.to_csv(folder / "pegawai.csv", index=False)
    return folder


def _new(rep, rules: tuple[str, ...] = LEAVING) -> pd.DataFrame:
    iss = rep.issues
    m = iss["aturan"].isin(rules)
    cols = ["file", "baris", "kolom", "nilai", "aturan", "tingkat", "pesan"]
    return iss.loc[m, cols].sort_values(["file", "baris"]).reset_index(drop=True)


def _rows(path: Path, **where: str) -> list[int]:
    """Spreadsheet rows (header = 1) of ``path`` matching ``where``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    m = pd.Series(True, index=df.index)
    for k, v in where.items():
        m &= df[k] == v
    return [int(i) + 2 for i in df.index[m]]


def test_a_register_with_leaving_dates_is_clean(city: Path) -> None:
    # PPPK moves out in the middle of the second quarter, after every row of theirs;
    # BOSS (no rows of their own; rater and supervisor of the others) retires on the
    # last day of the data, after rating both quarters
    edit(city / "pegawai.csv", PEG_ROW[PPPK], "tmt_keluar", "2024-06-15")
    edit(city / "pegawai.csv", PEG_ROW[BOSS], "tmt_keluar", "2024-06-30")
    rep, tables = validate(city)
    assert rep.exit_code == 0, rep.issues[["file", "baris", "aturan", "pesan"]]
    peg = tables["pegawai"].set_index("nip")
    assert peg.loc[PPPK, "tmt_keluar"] == pd.Timestamp("2024-06-15")
    assert PPPK in _who(tables, "2024Q2") and BOSS in _who(tables, "2024Q2")


def test_ratings_given_after_the_rater_left_are_warned_and_kept(city: Path) -> None:
    """A 360° rating or an official rating whose rater (an employee of the register)
    had left before the row's period began: warned row by row, the rater's pegawai row
    named (never the rater's NIP or leaving date), the row kept. A rater who left during
    the period, and a rater who is no employee of the register, are not flagged."""
    # BOSS, every 360° rater and the official appraiser here, moves out on 20 March
    # 2024: the ratings of 2024Q1 were given while employed, those of 2024Q2 were not
    edit(city / "pegawai.csv", PEG_ROW[BOSS], "tmt_keluar", "2024-03-20")
    resmi = pd.read_csv(city / "penilaian_resmi.csv", dtype=str, keep_default_na=False)
    resmi["nip_penilai"] = BOSS
    resmi.loc[0, "nip_penilai"] = ""  # no appraiser named: not checked
    resmi.to_csv(city / "penilaian_resmi.csv", index=False)
    peri = pd.read_csv(city / "perilaku.csv", dtype=str, keep_default_na=False)
    outside = peri.iloc[[-1]].assign(id_penilai="MITRA-07", peran_penilai="rekan")
    pd.concat([peri, outside], ignore_index=True).to_csv(city / "perilaku.csv", index=False)
    want = {
        (f"{name}.csv", row, column, BOSS, "penilai_sesudah_keluar")
        for name, column in (("perilaku", "id_penilai"), ("penilaian_resmi", "nip_penilai"))
        for row in _rows(city / f"{name}.csv", **{column: BOSS, "periode": "2024Q2"})
    }
    assert {f for f, *_ in want} == {"perilaku.csv", "penilaian_resmi.csv"}
    rep, tables = validate(city)
    iss = rep.issues
    hit = iss[iss["aturan"] == "penilai_sesudah_keluar"]
    got = set(map(tuple, hit[["file", "baris", "kolom", "nilai", "aturan"]].values.tolist()))
    assert got == want and len(hit) == len(want)
    assert set(hit["tingkat"]) == {"peringatan"} and rep.n_rejected == 0
    for text in hit["pesan"]:
        assert text.startswith("periode ini dimulai 2024-04-01, sesudah penilainya keluar")
        assert f"(tmt_keluar di pegawai.csv baris {PEG_ROW[BOSS]})" in text
        assert BOSS not in text and "2024-03-20" not in text
    for name in ("perilaku", "penilaian_resmi"):  # every row kept
        assert len(tables[name]) == len(pd.read_csv(city / f"{name}.csv")), name
    assert rule_label("penilai_sesudah_keluar", "en") == "Rater had left before the period"
    en, _ = validate(city, bahasa="en")
    texts = en.issues.loc[en.issues["aturan"] == "penilai_sesudah_keluar", "pesan"]
    assert len(texts) == len(want)
    assert texts.str.startswith("this period began on 2024-04-01, after its rater left").all()


def test_a_supervisor_who_left_before_the_employee_is_warned(city: Path) -> None:
    """``pegawai.nip_atasan`` naming an employee who had left before a period began in
    which the employee still worked (no leaving date, or a later one than that period's
    first day) is warned on the employee's row, naming the supervisor's pegawai row and
    the period's first day (never the supervisor's leaving date); every row and cell is
    kept. An employee who left by then is not warned, nor (in
    ``test_a_register_with_leaving_dates_is_clean``) the staff of a supervisor who
    left during the last period."""
    edit(city / "pegawai.csv", PEG_ROW[BOSS], "tmt_keluar", "2024-03-20")
    edit(city / "pegawai.csv", PEG_ROW[PEER], "tmt_keluar", "2024-03-01")  # left first
    edit(city / "pegawai.csv", PEG_ROW[PPPK], "tmt_keluar", "2024-03-20")  # the same day
    edit(city / "pegawai.csv", PEG_ROW[STAFF], "tmt_keluar", "2024-05-02")  # left later
    peg = pd.read_csv(city / "pegawai.csv", dtype=str, keep_default_na=False)
    stayed = set(peg.loc[peg["tmt_keluar"] == "", "nip"]) - {BOSS}
    assert stayed and set(peg.loc[peg["nip"].isin(stayed), "nip_atasan"]) == {BOSS}
    want = {
        ("pegawai.csv", row, "nip_atasan", BOSS)
        for row in sorted(PEG_ROW[n] for n in (*stayed, STAFF))
    }
    rep, tables = validate(city)
    hit = rep.issues[rep.issues["aturan"] == "atasan_sesudah_keluar"]
    assert set(map(tuple, hit[["file", "baris", "kolom", "nilai"]].values.tolist())) == want
    assert len(hit) == len(want) and set(hit["tingkat"]) == {"peringatan"}
    for text in hit["pesan"]:
        assert text.startswith(
            f"atasan langsung ini sudah keluar (tmt_keluar di pegawai.csv baris "
            f"{PEG_ROW[BOSS]}) sebelum periode yang dimulai 2024-04-01"
        )
        assert BOSS not in text and "2024-03-20" not in text
    kept = tables["pegawai"].set_index("nip")["nip_atasan"]
    assert (kept.drop(BOSS) == BOSS).all() and len(kept) == len(peg)
    assert rule_label("atasan_sesudah_keluar", "en") == "Supervisor had left before the employee"
    en, _ = validate(city, bahasa="en")
    texts = en.issues.loc[en.issues["aturan"] == "atasan_sesudah_keluar", "pesan"]
    assert len(texts) == len(want) and texts.str.startswith("this supervisor had left").all()


def test_the_supervisor_warning_names_the_first_period_the_employee_worked(city: Path) -> None:
    """helper-68 F4: the period named is the first that began on or after the
    supervisor's leaving *and* that the employee worked in: BOSS leaves on the first
    day of the data; LATE, appointed on 2024-04-01, is named with 2024Q2, not with
    2024Q1 when they were not yet employed; the others with 2024Q1."""
    from test_cross_table_dates import LATE

    edit(city / "pegawai.csv", PEG_ROW[BOSS], "tmt_keluar", "2024-01-01")
    rep, _ = validate(city)
    hit = rep.issues[rep.issues["aturan"] == "atasan_sesudah_keluar"].set_index("baris")
    peg = pd.read_csv(city / "pegawai.csv", dtype=str, keep_default_na=False)
    assert peg.loc[peg["nip"] == LATE, "tmt_cpns"].iloc[0] == "2024-04-01"
    staff = [n for n in PEG_ROW if n != BOSS]
    assert sorted(hit.index) == sorted(PEG_ROW[n] for n in staff)
    for nip in staff:
        first = "2024-04-01" if nip == LATE else "2024-01-01"
        assert f"sebelum periode yang dimulai {first}," in hit.loc[PEG_ROW[nip], "pesan"], nip


def test_a_leaving_date_before_birth_or_appointment_is_emptied(city: Path) -> None:
    # STAFF born 1990-01-01, appointed 2015-03-01; PEER appointed 2016-01-01; BOSS
    # appointed 2010-01-01 leaves that very day (not before it: not flagged)
    edit(city / "pegawai.csv", PEG_ROW[STAFF], "tmt_keluar", "1989-12-31")
    edit(city / "pegawai.csv", PEG_ROW[PEER], "tmt_keluar", "2015-12-31")
    edit(city / "pegawai.csv", PEG_ROW[BOSS], "tmt_keluar", "2010-01-01")
    for bahasa, words in (("id", "tidak mungkin"), ("en", "impossible")):
        rep, tables = validate(city, bahasa=bahasa)
        hit = _new(rep, OWN)
        # BOSS rated in both quarters, after leaving: those ratings are warned about
        rated = _new(rep, ("penilai_sesudah_keluar",))
        assert len(rated) and rated["baris"].tolist() == _rows(
            city / "perilaku.csv", id_penilai=BOSS
        )
        assert hit.drop(columns="pesan").values.tolist() == [
            ["pegawai.csv", PEG_ROW[STAFF], "tmt_keluar", "1989-12-31", "keluar_sebelum_lahir",
             "peringatan"],
            ["pegawai.csv", PEG_ROW[PEER], "tmt_keluar", "2015-12-31", "keluar_sebelum_tmt",
             "peringatan"],
        ]  # fmt: skip
        assert words in hit["pesan"].iloc[0] and "1990-01-01" in hit["pesan"].iloc[0]
        assert "2016-01-01" in hit["pesan"].iloc[1]
        kept = "baris tetap dipakai" if bahasa == "id" else "row kept"
        assert all(kept in t for t in hit["pesan"])
        assert rep.n_rejected == 0
        peg = tables["pegawai"].set_index("nip")
        assert peg.loc[[STAFF, PEER], "tmt_keluar"].isna().all()  # emptied: still employed
        assert {STAFF, PEER} <= set(_who(tables, "2024Q2"))
        assert BOSS not in _who(tables, "2024Q1")


def test_a_leaving_date_after_the_data_is_a_warning_and_kept(city: Path) -> None:
    edit(city / "pegawai.csv", PEG_ROW[STAFF], "tmt_keluar", "2026-04-01")
    rep, tables = validate(city)
    hit = _new(rep)
    assert hit.drop(columns="pesan").values.tolist() == [
        ["pegawai.csv", PEG_ROW[STAFF], "tmt_keluar", "2026-04-01", "tanggal_masa_depan",
         "peringatan"],
    ]  # fmt: skip
    assert "2024-06-30" in hit["pesan"].iloc[0] and "SK pensiun" in hit["pesan"].iloc[0]
    assert tables["pegawai"].set_index("nip").loc[STAFF, "tmt_keluar"] == pd.Timestamp("2026-04-01")
    assert STAFF in _who(tables, "2024Q2")
    en, _ = validate(city, bahasa="en")
    assert "counted in every period" in _new(en)["pesan"].iloc[0]


def test_rows_after_the_leaving_are_warned_row_by_row_and_kept(city: Path) -> None:
    # STAFF retires with TMT 1 April 2024: every row of 2024Q2 comes after; PEER moves
    # out on 15 March 2024, with a training on 20 March (inside the first quarter, after
    # leaving) and every row of 2024Q2
    edit(city / "pegawai.csv", PEG_ROW[STAFF], "tmt_keluar", "2024-04-01")
    edit(city / "pegawai.csv", PEG_ROW[PEER], "tmt_keluar", "2024-03-15")
    pel = pd.read_csv(city / "pelatihan.csv", dtype=str, keep_default_na=False)
    extra = pel.iloc[[0]].assign(
        nip=PEER, id_pelatihan="P9", tanggal_mulai="2024-03-20", tanggal_selesai="2024-03-21"
    )
    pd.concat([pel, extra], ignore_index=True).to_csv(city / "pelatihan.csv", index=False)
    want = set()
    for nip in (STAFF, PEER):
        for name in EMPLOYEE_PERIOD_TABLES:
            for row in _rows(city / f"{name}.csv", nip=nip, periode="2024Q2"):
                want.add((f"{name}.csv", row, "periode", "2024Q2", "periode_sesudah_keluar"))
    want.add(("pelatihan.csv", 4, "tanggal_mulai", "2024-03-20", "tanggal_sesudah_keluar"))
    rep, tables = validate(city)
    hit = _new(rep, OWN)
    got = set(map(tuple, hit[["file", "baris", "kolom", "nilai", "aturan"]].values.tolist()))
    assert got == want and len(hit) == len(want)
    assert {f for f, *_ in want} == {f"{n}.csv" for n in (*EMPLOYEE_PERIOD_TABLES, "pelatihan")}
    # the 360° ratings they gave in 2024Q2, after leaving, are warned about as well
    rated = _new(rep, ("penilai_sesudah_keluar",))
    assert len(rated) and sorted(rated["baris"]) == sorted(
        r
        for n in (STAFF, PEER)
        for r in _rows(city / "perilaku.csv", id_penilai=n, periode="2024Q2")
    )
    assert set(hit["tingkat"]) == {"peringatan"} and rep.n_rejected == 0
    for text, file, row in zip(hit["pesan"], hit["file"], hit["baris"], strict=True):
        df = pd.read_csv(city / file, dtype=str, keep_default_na=False)
        nip = df.loc[row - 2, "nip"]
        assert f"tmt_keluar di pegawai.csv baris {PEG_ROW[nip]})" in text
        assert nip not in text and "2024-03-15" not in text  # neither NIP nor the date
        if file != "pelatihan.csv":
            assert text.startswith("periode ini dimulai 2024-04-01, sesudah pegawainya keluar")
    # the feedback row of 2024Q2 (dated 20 May) gets the period's warning alone
    ub = hit[hit["file"] == "umpan_balik.csv"]
    assert len(ub) == 2 and set(ub["aturan"]) == {"periode_sesudah_keluar"}
    # every row kept; the rows say both still worked in 2024Q2: counted there
    for name in (*EMPLOYEE_PERIOD_TABLES, "pelatihan"):
        assert len(tables[name]) == len(pd.read_csv(city / f"{name}.csv")), name
    assert {STAFF, PEER} <= set(_who(tables, "2024Q2"))
    en, _ = validate(city, bahasa="en")
    texts = _new(en)["pesan"]
    assert texts.str.startswith("this period began on 2024-04-01, after the employee left").sum()
    assert texts.str.startswith("the training starts on or after the date").sum() == 1


def test_leaving_during_a_period_flags_only_what_is_dated_after(city: Path) -> None:
    # STAFF leaves on 2 April 2024: worked 1 April, so 2024Q2 counts them and its rows
    # are not flagged, but the feedback session of 20 May is dated after the leaving
    edit(city / "pegawai.csv", PEG_ROW[STAFF], "tmt_keluar", "2024-04-02")
    # PEER leaves on the last day of 2024Q2: nothing of theirs is after it
    edit(city / "pegawai.csv", PEG_ROW[PEER], "tmt_keluar", "2024-06-30")
    rep, tables = validate(city)
    hit = _new(rep)
    row = _rows(city / "umpan_balik.csv", nip=STAFF, periode="2024Q2")[0]
    assert hit.drop(columns="pesan").values.tolist() == [
        ["umpan_balik.csv", row, "tanggal", "2024-05-20", "tanggal_sesudah_keluar", "peringatan"]
    ]
    assert hit["pesan"].iloc[0].startswith("sesi umpan balik bertanggal pada atau sesudah")
    assert {STAFF, PEER} <= set(_who(tables, "2024Q2"))


@pytest.mark.parametrize("key", NEW_MESSAGES)
def test_every_new_message_is_in_both_languages(key: str) -> None:
    fields = {"file": "pegawai.csv", "baris": 7, "mulai": "2024-04-01", "akhir": "2024-12-31",
              "lahir": "1990-01-01", "tmt": "2015-03-01"}  # fmt: skip
    ind, eng = MESSAGES(key, "id", **fields), MESSAGES(key, "en", **fields)
    assert ind != eng and "{" not in ind + eng
    assert "tmt_keluar" in ind and "tmt_keluar" in eng


@pytest.mark.parametrize("rule", NEW_RULES)
def test_every_new_rule_has_a_label(rule: str) -> None:
    assert rule_label(rule, "id") != rule_label(rule, "en")
    assert "_" not in rule_label(rule, "id") + rule_label(rule, "en")


# ------------------------------------------------------------------ export headers


def _ekinerja_city(city: Path, pensiun: dict[str, str], berhenti: dict[str, str]) -> Path:
    """The city's register as an e-Kinerja export with one leaving-date column per
    reason, read through the ``ekinerja_bkn`` preset."""
    df = pd.read_csv(city / "pegawai.csv", dtype=str, keep_default_na=False)
    df = df.drop(columns="tmt_keluar")
    df["TMT Pensiun"] = df["nip"].map(pensiun).fillna("")
    df["TMT Berhenti"] = df["nip"].map(berhenti).fillna("")
    df.to_csv(city / "pegawai.csv", index=False)
    mapping = city.parent / "pemetaan.yaml"
    mapping.write_text('dasar: ekinerja_bkn\nformat: {tanggal: "%Y-%m-%d"}\n', encoding="utf-8")
    return mapping


def test_the_presets_read_one_leaving_date_column_per_reason(city: Path) -> None:
    mapping = _ekinerja_city(city, {PPPK: "2024-06-15"}, {BOSS: "2012-05-01"})
    rep, tables = validate(city, mapping=mapping)
    assert rep.usable
    s = rep.structure
    merged = s[s["kolom"] == "tmt_keluar"]
    assert merged["tingkat"].tolist() == ["peringatan"]
    assert "TMT Pensiun" in merged["pesan"].iloc[0] and "TMT Berhenti" in merged["pesan"].iloc[0]
    got = tables["pegawai"].set_index("nip")["tmt_keluar"]
    assert got[PPPK] == pd.Timestamp("2024-06-15") and got[BOSS] == pd.Timestamp("2012-05-01")
    assert got.notna().sum() == 2


def test_two_leaving_dates_that_disagree_on_a_row_are_emptied_with_a_warning(city: Path) -> None:
    # an optional column: the row's cell is emptied with a warning naming both values;
    # the register stays usable (it was a fatal for the whole dataset)
    mapping = _ekinerja_city(city, {PPPK: "2024-06-15"}, {PPPK: "2024-06-01"})
    rep, tables = validate(city, mapping=mapping)
    assert rep.usable
    s = rep.structure
    hit = s[(s["kolom"] == "tmt_keluar") & (s["tingkat"] == "peringatan")]
    assert len(hit) == 1 and f"(baris {PEG_ROW[PPPK]})" in hit["pesan"].iloc[0]
    row = rep.issues[rep.issues["aturan"] == "kolom_ganda_bentrok"]
    assert row["baris"].tolist() == [PEG_ROW[PPPK]]
    assert row["nilai"].tolist() == ["2024-06-15 | 2024-06-01"]
    assert pd.isna(tables["pegawai"].set_index("nip").loc[PPPK, "tmt_keluar"])


# ------------------------------------------------------------------ a planted city


@pytest.fixture(scope="module")
def leavers(tmp_path_factory):
    """300 ASN over 8 quarters, a tenth of them leaving during the window (the
    generator's planted truth: ``realised.keluar``), written and validated."""
    r = generate(n_pegawai=300, seed=3, leaver_share=0.1)
    folder = tmp_path_factory.mktemp("kota_keluar") / "kota"
    write_dataset(r, folder)
    return r, folder, load_dataset(folder)


def test_the_default_city_has_no_leavers() -> None:
    r = generate(n_pegawai=120, seed=3)
    assert "tmt_keluar" not in r.tables["pegawai"] and "keluar" not in r.truth["realised"]


def test_the_planted_city_is_clean_and_keeps_the_leavers_history(leavers) -> None:
    r, folder, ds = leavers
    truth = r.truth["realised"]["keluar"]
    rep = ds.validation
    assert rep.exit_code == 0, rep.issues[["file", "baris", "aturan", "pesan"]].head()
    gone = r.tables["pegawai"].dropna(subset=["tmt_keluar"]).set_index("nip")["tmt_keluar"]
    assert len(gone) == truth["n_keluar"] == 30
    # both boundaries are planted: leaving on a period's first day and inside one
    firsts = {period_bounds(p)[0] for p in ds.periods}
    assert 0 < gone.isin(firsts).sum() < len(gone)
    seen: set[str] = set()
    for name in ("skp", "perilaku", "penilaian_resmi", "umpan_balik"):
        t = ds.tables[name]
        mine = t[t["nip"].isin(gone.index)]
        start = mine["periode"].astype(str).map(lambda p: period_bounds(p)[0])
        assert (start < mine["nip"].astype(str).map(gone)).all(), name  # none after
        seen |= set(mine["nip"].astype(str))
    assert seen == set(gone.index)  # every leaver's history is there
    # every period they worked has their 360° ratings: none of it was dropped
    peri = ds.tables["perilaku"]
    pairs = peri.loc[peri["nip"].isin(gone.index), ["nip", "periode"]].drop_duplicates()
    worked = sum(sum(period_bounds(p)[0] < d for p in ds.periods) for d in gone)
    assert len(pairs) == worked
    # nobody's rows were rejected as an unknown employee
    assert not rep.issues["aturan"].astype(str).str.startswith("referensi").any()


def test_each_period_counts_its_asn_only(leavers) -> None:
    r, _, ds = leavers
    truth = r.truth["realised"]["keluar"]
    for p in ds.periods:
        cut = data_through(ds, p)
        register = pegawai_through(cut.tables, p)
        assert len(register) == truth["asn_per_periode"][p], p
        # the document's head-counts: the headline, the appendix's ASN per OPD
        head = rt.headline_figures(cut.tables, p).set_index("indikator")["nilai"]
        assert head["n_asn"] == truth["asn_per_periode"][p]
        by_opd = rt.pegawai_by_opd(register).set_index("opd")["n_asn"]
        want = pd.Series(truth["asn_per_opd_periode"][p])
        assert by_opd.to_dict() == want[want > 0].to_dict(), p
        # the small-OPD rule: fewer than min_sel ASN in this period
        small = {o: n for o, n in truth["asn_per_opd_periode"][p].items() if n < MIN_SEL}
        assert rt.small_opds(ds, p, MIN_SEL) == small
        assert rt.small_opds(cut, p, MIN_SEL) == small
        # the shares of a period's coverage are of its own ASN
        cov = rt.period_coverage(cut.tables, p, MIN_SEL).set_index("tabel")
        n_resmi = cut.tables["penilaian_resmi"]["periode"].eq(p).sum()  # one row per ASN
        if not cov.loc["penilaian_resmi", "disembunyikan"]:
            want_pct = n_resmi / truth["asn_per_periode"][p]
            assert cov.loc["penilaian_resmi", "pct_asn"] == pytest.approx(want_pct, rel=1e-12)
    # the count falls as they leave, and the window keeps them with their history
    counts = [truth["asn_per_periode"][p] for p in ds.periods]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    last = data_through(ds, ds.periods[-1])
    assert len(last.pegawai) == len(ds.pegawai) == 300


def test_feedback_shares_per_period_use_each_periods_asn(leavers) -> None:
    r, _, ds = leavers
    truth = r.truth["realised"]["keluar"]["asn_per_periode"]
    cut = data_through(ds, ds.periods[-1])
    ub = rt.umpan_balik_by_period(cut.tables["umpan_balik"], cut.pegawai, MIN_SEL)
    assert list(ub["periode"]) == list(ds.periods)
    for p, per_asn in zip(ub["periode"], ub["sesi_per_asn"], strict=True):
        n_sesi = (cut.tables["umpan_balik"]["periode"] == p).sum()
        assert per_asn == pytest.approx(n_sesi / truth[p], rel=1e-12), p


def test_small_opds_withhold_every_measure(leavers) -> None:
    _, _, ds = leavers
    p = ds.periods[-1]
    cut = data_through(ds, p)
    small = rt.small_opds(cut, p, MIN_SEL)
    hidden = rt.city_suppressed_measures(cut, None, p, MIN_SEL)
    assert set(hidden) == set(cut.pegawai["opd"])
    for o in small:
        assert set(rt.OPD_MEASURES) <= set(hidden[o]), o


def test_the_report_session_counts_the_period(leavers) -> None:
    """The period document's notebook (``reporting.notebook.setup``): ``doc.pegawai``
    is the period's ASN of the document's scope, ``doc.ds.pegawai`` the window's."""
    from kinerja_analysis.reporting.notebook import setup  # lazy: a kernel's session

    r, folder, ds = leavers
    truth = r.truth["realised"]["keluar"]
    p = ds.periods[4]
    doc = setup(periode=p, data_dir=folder)
    assert len(doc.pegawai) == len(doc.city_pegawai) == truth["asn_per_periode"][p]
    gone_before = {
        n for n, d in zip(ds.pegawai["nip"], ds.pegawai["tmt_keluar"], strict=True)
        if pd.notna(d) and d <= period_bounds(p)[0]
    }  # fmt: skip
    assert gone_before and gone_before <= set(doc.ds.pegawai["nip"])  # their history
    assert not gone_before & set(doc.pegawai["nip"])
    opd = max(truth["asn_per_opd_periode"][p], key=truth["asn_per_opd_periode"][p].get)
    one = setup(periode=p, data_dir=folder, opd=opd)
    assert len(one.pegawai) == truth["asn_per_opd_periode"][p][opd]
    assert len(one.city_pegawai) == truth["asn_per_periode"][p]


def test_the_panel_does_not_count_sessions_after_the_leaving(leavers) -> None:
    _, _, ds = leavers
    panel = build_panel(ds.tables, ds.periods).data
    gone = ds.pegawai.set_index("nip")["tmt_keluar"]
    start = panel["periode"].astype(str).map(lambda p: period_bounds(p)[0])
    after = (start >= panel["nip"].map(gone)).to_numpy()
    assert after.sum() > 0
    assert panel.loc[after, "n_umpan_balik"].isna().all()
    assert (panel.loc[~after, "n_umpan_balik"].notna()).all()


def test_a_careless_export_is_flagged_row_by_row(tmp_path: Path, monkeypatch) -> None:
    """The same city whose leavers' rows after their leaving were left in the export:
    every such row is warned about in one run, the messages built once per rule and
    table (not once per row), every row kept; the rows then count their employee in
    their period."""
    planted = generate(n_pegawai=300, seed=3, leaver_share=0.1)
    full = generate(n_pegawai=300, seed=3)  # the same city and rows, nobody left
    r = type(full)(
        tables={**full.tables, "pegawai": planted.tables["pegawai"]},
        truth=full.truth,
        truth_tables=full.truth_tables,
    )
    out = tmp_path / "kota"
    write_dataset(r, out)
    gone = planted.tables["pegawai"].dropna(subset=["tmt_keluar"]).set_index("nip")["tmt_keluar"]
    rep, tables, calls = validate_counting_messages(out, monkeypatch)
    hit = _new(rep)
    assert set(hit["tingkat"]) == {"peringatan"} and rep.usable and rep.n_rejected == 0
    expected: set[tuple[str, int, str]] = set()
    for name in (*EMPLOYEE_PERIOD_TABLES, "pelatihan"):
        df = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        left = pd.to_datetime(df["nip"].map(gone))
        period = np.zeros(len(df), dtype=bool)
        if "periode" in df.columns:
            start = df["periode"].map({p: period_bounds(p)[0] for p in df["periode"].unique()})
            period = (start >= left).to_numpy()
            expected |= {
                (f"{name}.csv", i + 2, "periode_sesudah_keluar") for i in np.flatnonzero(period)
            }
        for c in ("tanggal_mulai", "tanggal"):
            if c in df.columns:
                dated = (pd.to_datetime(df[c]) >= left).to_numpy() & ~period
                expected |= {
                    (f"{name}.csv", i + 2, "tanggal_sesudah_keluar") for i in np.flatnonzero(dated)
                }
        # ratings whose rater had left before the period (beside the ratee's own rule)
        for c in ("id_penilai", "nip_penilai"):
            if c in df.columns:
                start = df["periode"].map({p: period_bounds(p)[0] for p in df["periode"].unique()})
                rated = (start >= pd.to_datetime(df[c].map(gone))).to_numpy()
                expected |= {
                    (f"{name}.csv", i + 2, "penilai_sesudah_keluar") for i in np.flatnonzero(rated)
                }
    got = set(zip(hit["file"], hit["baris"].astype(int), hit["aturan"], strict=True))
    assert got == expected and len(hit) == len(expected)
    per_table = hit.groupby(["file", "aturan"]).size()
    assert len(expected) > 300 and len(per_table) == len({(f, a) for f, _, a in expected})
    assert ("perilaku.csv", "penilai_sesudah_keluar") in per_table.index, per_table
    built = [k for k in calls if k in NEW_MESSAGES]
    assert len(built) == len(per_table), built
    for name in EMPLOYEE_PERIOD_TABLES:
        assert len(tables[name]) == len(pd.read_csv(out / f"{name}.csv"))
    # the rows name them in every period: counted in each (what the warnings say)
    assert all(len(pegawai_through(tables, p)) == 300 for p in full.truth["config"]["periods"])


@pytest.mark.parametrize("on_or_after", [False, True])
def test_dated_rows_equals_the_row_by_row_comparison(on_or_after: bool) -> None:
    """``rules._dated_rows`` compares only the rows of employees whose date can pass;
    it must equal ``~bad & (period date < / >= the employee's date)`` on every row,
    with missing periods (code -1), periods outside the data (NaT), employees without
    a date (NaT) and rows of no employee (-1)."""
    from types import SimpleNamespace

    from kinerja_analysis.data.rules import _dated_rows

    rng = np.random.default_rng(5)
    n_emp, n_rows = 60, 5000
    per_code = np.array(
        ["2024-01-01", "2024-04-01", "NaT", "2024-07-01", "2024-10-01"], "datetime64[D]"
    )
    for spread in (30, 400, 2000):  # dates inside the data, around it, mostly before it
        dates = np.datetime64("2024-06-15") + rng.integers(-spread, spread, n_emp)
        dates = dates.astype("datetime64[D]")
        dates[rng.random(n_emp) < 0.3] = np.datetime64("NaT")
        dates = np.append(dates, np.datetime64("NaT"))  # index -1: no employee
        who = rng.integers(-1, n_emp, n_rows)
        codes = rng.integers(-1, len(per_code), n_rows)
        st = SimpleNamespace(bad=rng.random(n_rows) < 0.1)
        day = np.append(per_code, np.datetime64("NaT"))[codes]
        want = ~st.bad & ((day >= dates[who]) if on_or_after else (day < dates[who]))
        got = _dated_rows(st, who, codes, per_code, dates, on_or_after=on_or_after)
        assert got.dtype == bool and np.array_equal(got, want), spread
        assert want.any() or spread == 2000
