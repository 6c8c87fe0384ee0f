"""Real-world exports, second round: rows whose period (or NIP) cannot be told never make
an indicator of absence count an employee absent; validation messages that say what was
written and what to do (rater ids with separators, NIPs that become the same once
separators are removed, dates in mixed formats, periods of different frequencies)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_validation_inputs import BOSS, PEER, PPPK, STAFF, TODAY, validate, write_base

from kinerja_analysis import load_dataset
from kinerja_analysis.data.loading import PRESENCE_COLUMNS, ValidationReport
from kinerja_analysis.reporting.facts import _absence, _resistance_facts


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "data")


def _edit(path: Path, fn) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(df)
    df.to_csv(path, index=False)


def _two_opds(ds) -> pd.DataFrame:
    # PEER moves to a second OPD so that one OPD's doubt is seen not to spread
    peg = ds.pegawai.copy()
    peg["opd"] = np.where(peg["nip"] == PEER, "Dinas B", peg["opd"].astype(str))
    return peg


class _H:
    survei_skor = None


# ------------------------------------------------------- F4 rows of an unreadable period


@pytest.mark.parametrize("bad", ["TW II/2024x", "Apr-Jun 2024", "2024Q5"])
def test_unreadable_period_makes_absence_not_assessable_for_that_employee(
    base: Path, bad: str
) -> None:
    # STAFF's 2024Q2 SKP rows have a period nobody can read: STAFF is neither absent
    # nor present in 2024Q2, so Dinas A's "SKP kosong" cannot be counted for 2024Q2
    def f(df):
        df.loc[(df["periode"] == "2024Q2") & (df["nip"] == STAFF), "periode"] = bad

    _edit(base / "skp.csv", f)
    ds = load_dataset(base, today=TODAY)
    rep = ds.validation
    assert rep.absence_assessable("skp", "2024Q2")  # the NIP is known: not anyone
    assert rep.present_despite_rejection("skp", "2024Q2") == []
    assert rep.presence_unknown("skp", "2024Q2") == [STAFF]
    peg = _two_opds(ds)
    q2 = _absence(ds, "skp", "2024Q2", peg)[0]
    assert np.isnan(q2["Dinas A"])  # never "STAFF has no SKP"
    assert q2["Dinas B"] == pytest.approx(0.0)  # PEER has an SKP: untouched
    # in 2024Q1 STAFF has accepted rows: present, whatever the unreadable rows are
    assert rep.presence_unknown("skp", "2024Q1") == [STAFF]
    q1 = _absence(ds, "skp", "2024Q1", peg)[0]
    assert q1["Dinas A"] == pytest.approx(1 / 3)  # the head of the OPD has no SKP row
    r = _resistance_facts(ds, _H(), "2024Q2", peg)
    assert r.attrs["tak_dinilai"] == ["skp"]
    assert _resistance_facts(ds, _H(), "2024Q1", peg).attrs["tak_dinilai"] == []


def test_whole_opd_with_unreadable_periods_is_not_said_to_struggle(base: Path) -> None:
    # every 2024Q2 SKP row of the OPD has an unreadable period (the tester's Kecamatan):
    # before, the OPD read "SKP kosong 100 %" and was flagged
    def f(df):
        df["periode"] = df["periode"].replace("2024Q2", "TW II/2024x")

    _edit(base / "skp.csv", f)
    ds = load_dataset(base, today=TODAY)
    r = _resistance_facts(ds, _H(), "2024Q2", ds.pegawai)
    assert r["pct_skp_kosong"].isna().all()
    assert r.attrs["tak_dinilai"] == ["skp"]


def test_unreadable_period_and_unknown_nip_is_not_assessable_anywhere(base: Path) -> None:
    def f(df):
        df.loc[0, "periode"] = "kemarin"
        df.loc[0, "nip"] = "19900101/2015"

    _edit(base / "skp.csv", f)
    ds = load_dataset(base, today=TODAY)
    for p in ("2024Q1", "2024Q2"):
        assert not ds.validation.absence_assessable("skp", p)
        assert _absence(ds, "skp", p, ds.pegawai)[0].isna().all()


def test_longer_period_of_another_frequency_may_belong_to_each_quarter(base: Path) -> None:
    # a yearly row (2024) in a quarterly dataset: rejected; it may be the SKP of any
    # quarter of 2024, not of 2025; a monthly row lies within its quarter
    def f(df):
        df.loc[df["nip"] == PPPK, "periode"] = "2024"

    _edit(base / "skp.csv", f)
    ds = load_dataset(base, today=TODAY)
    rep = ds.validation
    assert (rep.issues["nilai"] == "2024").any()
    for p in ("2024Q1", "2024Q2"):
        assert rep.presence_unknown("skp", p) == [PPPK]
        assert np.isnan(_absence(ds, "skp", p, ds.pegawai)[0]["Dinas A"])
    assert rep.presence_unknown("skp", "2025Q1") == []
    # the same from the other side: a month inside the quarter says "has a row"
    rp = pd.DataFrame([["skp", "2024-05", STAFF, 1]], columns=PRESENCE_COLUMNS)
    month = ValidationReport(rep.summary, rep.issues, rejected_presence=rp)
    assert month.present_despite_rejection("skp", "2024Q2") == [STAFF]
    assert month.presence_unknown("skp", "2024Q2") == []
    assert month.present_despite_rejection("skp", "2024Q1") == []


# ----------------------------------------------------- F7 rater ids written as NIPs


def _spaced(nip: str, sep: str) -> str:
    return sep.join([nip[:8], nip[8:14], nip[14], nip[15:]])


@pytest.mark.parametrize("sep", ["/", " ", "-", "."])
def test_rater_id_with_separators_is_read_as_the_nip(base: Path, sep: str) -> None:
    def f(df):
        df["id_penilai"] = [_spaced(v, sep) for v in df["id_penilai"]]

    _edit(base / "perilaku.csv", f)
    rep, tables = validate(base)
    assert not (rep.issues["kolom"] == "id_penilai").any(), rep.issues["pesan"].tolist()
    assert set(tables["perilaku"]["id_penilai"]) == {BOSS, STAFF, PEER, PPPK}


def test_rater_id_that_is_not_a_nip_is_kept_as_written(base: Path) -> None:
    # "198503122010/011001" is a NIP once the slash goes; "R-17" and a NIP-shaped id of
    # nobody are other ids: kept as written (and warned about as unknown, as before)
    other = "20000101/200001/1/001"

    def f(df):
        df.loc[0, "id_penilai"] = "R-17"
        df.loc[2, "id_penilai"] = other

    _edit(base / "perilaku.csv", f)
    rep, tables = validate(base)
    ids = set(tables["perilaku"]["id_penilai"])
    assert {"R-17", other} <= ids and "200001012000011001" not in ids
    warned = rep.issues[rep.issues["kolom"] == "id_penilai"]
    assert set(warned["nilai"]) == {"R-17", other}


def test_two_rater_ids_that_become_one_nip_are_one_key(base: Path) -> None:
    # the same rating twice, once with separators: a duplicate key, quoted as written
    def f(df):
        extra = df.iloc[[0]].copy()
        extra["id_penilai"] = _spaced(extra["id_penilai"].iloc[0], "/")
        df.loc[len(df)] = extra.iloc[0]

    _edit(base / "perilaku.csv", f)
    rep, _ = validate(base)
    dup = rep.issues[rep.issues["aturan"] == "kunci_unik"]
    assert len(dup) == 1 and dup["baris"].iloc[0] == 14
    assert _spaced(BOSS, "/") in dup["nilai"].iloc[0]
    assert "menjadi NIP yang sama setelah pemisahnya" in dup["pesan"].iloc[0]


# ------------------------------------------------ F7 NIPs equal once separators go


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_nip_collision_quotes_both_values_as_written(base: Path, bahasa: str) -> None:
    def f(df):
        extra = df.iloc[[1]].copy()
        extra["nip"] = _spaced(STAFF, " ")
        df.loc[len(df)] = extra.iloc[0]

    _edit(base / "pegawai.csv", f)
    rep, _ = validate(base, bahasa=bahasa)
    dup = rep.issues[rep.issues["aturan"] == "kunci_unik"]
    assert len(dup) == 1
    row = dup.iloc[0]
    assert row["baris"] == 6 and row["nilai"] == _spaced(STAFF, " ")  # not the digits
    said = {
        "id": "menjadi NIP yang sama setelah pemisahnya",
        "en": "become the same NIP once their separators",
    }[bahasa]
    assert said in row["pesan"] and f"'{STAFF}'" in row["pesan"]
    assert f"'{_spaced(STAFF, ' ')}'" in row["pesan"]


def test_plain_duplicate_keeps_the_plain_message(base: Path) -> None:
    def f(df):
        df.loc[len(df)] = df.iloc[1]

    _edit(base / "pegawai.csv", f)
    rep, _ = validate(base)
    dup = rep.issues[rep.issues["aturan"] == "kunci_unik"]
    assert len(dup) == 1
    assert dup["pesan"].iloc[0] == "duplikat kunci (nip): salinan identik baris 3 - diabaikan"
    assert dup["nilai"].iloc[0] == STAFF


# ------------------------------------------------------------- F7 dates, frequencies


def test_one_pattern_hint_says_iso_values_stay_read(base: Path, tmp_path: Path) -> None:
    # some dates dd/mm/yyyy, the rest ISO: the one setting reads both, and the hint says
    # so (the tester feared it would break the ISO values)
    def f(df):
        df.loc[1, "tmt_cpns"] = "13/03/2015"
        df.loc[2, "tmt_cpns"] = "02/01/2016"

    _edit(base / "pegawai.csv", f)
    rep, _ = validate(base)
    msg = rep.issues.loc[rep.issues["kolom"] == "tmt_cpns", "pesan"].iloc[0]
    assert '{tanggal: "%d/%m/%Y"}' in msg and "yyyy-mm-dd tetap terbaca" in msg
    mapping = tmp_path / "pemetaan.yaml"
    mapping.write_text('format:\n  tanggal: "%d/%m/%Y"\n', encoding="utf-8")
    rep, tables = validate(base, mapping=mapping)
    assert rep.n_rejected == 0 and len(tables["pegawai"]) == 4
    assert sorted(tables["pegawai"]["tmt_cpns"].dt.strftime("%Y-%m-%d")) == [
        "2010-01-01", "2015-03-13", "2016-01-02", "2023-03-01"
    ]  # fmt: skip


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_several_date_patterns_in_one_column_ask_for_one_pattern(base: Path, bahasa: str) -> None:
    def f(df):
        df.loc[0, "tanggal_lahir"] = "12/03/1985"
        df.loc[1, "tanggal_lahir"] = "13-01-1990"
        df.loc[2, "tanggal_lahir"] = "33665"  # an Excel serial: read (a warning), not failing
        df.loc[3, "tanggal_lahir"] = "1968"  # a year alone: a number that is no date

    _edit(base / "pegawai.csv", f)
    rep, _ = validate(base, bahasa=bahasa)
    iss = rep.issues[rep.issues["kolom"] == "tanggal_lahir"]
    msgs = set(iss.loc[iss["tingkat"] == "tolak", "pesan"])
    assert len(msgs) == 1
    msg = msgs.pop()
    assert "{tanggal:" not in msg  # no single-format hint
    said = {"id": "beberapa pola sekaligus", "en": "several patterns at once"}[bahasa]
    number = {"id": "angka: 1", "en": "numbers: 1"}[bahasa]
    assert said in msg and "dd/mm/yyyy: 1" in msg and "dd-mm-yyyy: 1" in msg and number in msg
    assert iss.loc[iss["tingkat"] == "peringatan", "nilai"].tolist() == ["33665"]


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_frequency_change_says_what_to_do(base: Path, bahasa: str) -> None:
    # 2024Q1 quarterly, then monthly rows: the months win (more rows); the quarter's rows
    # are rejected with a message that names both frequencies and the two ways on
    for t in ("skp.csv", "perilaku.csv"):
        df = pd.read_csv(base / t, dtype=str, keep_default_na=False)
        q2 = df[df["periode"] == "2024Q2"]
        months = [q2.assign(periode=m) for m in ("2024-04", "2024-05", "2024-06")]
        pd.concat([df[df["periode"] != "2024Q2"], *months]).to_csv(base / t, index=False)
    rep, _ = validate(base, bahasa=bahasa)
    assert rep.periods == ("2024-04", "2024-05", "2024-06")
    msg = rep.issues.loc[rep.issues["nilai"] == "2024Q1", "pesan"].iloc[0]
    words = {
        "id": ["frekuensi lain (triwulan)", "(bulan", "ekspor ulang", "--periode"],
        "en": ["another frequency (quarter)", "(month", "export them again", "--periode"],
    }[bahasa]
    assert all(w in msg for w in words), msg
