"""An employee's rows in the other tables against the employee's birth date and
appointment (``pegawai.tanggal_lahir``, ``pegawai.tmt_cpns``): a training before the
employee was born is rejected; a training or a feedback session dated before the
appointment, and a period row for a period that ended before it, are warnings (the row
is kept). Each names file, row, column and value, and the employee's row in the pegawai
file — never the employee's dates or NIP. Rows of unknown or rejected employees, rows
already rejected and rows outside the dataset's periods are reported once, by their own
rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from planting import hire_later, rows_before
from test_validation_inputs import BOSS, PEER, PPPK, STAFF, edit, validate, write_base

from kinerja_analysis.core.periods import period_bounds
from kinerja_analysis.data import validation
from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.data.messages import MESSAGES
from kinerja_analysis.data.rules import EMPLOYEE_PERIOD_TABLES
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.reporting.text import rule_label

NEW_RULES = ("pelatihan_sebelum_lahir", "tanggal_sebelum_tmt", "periode_sebelum_tmt")
NEW_MESSAGES = (
    "pelatihan_sebelum_lahir", "pelatihan_sebelum_tmt", "umpan_balik_sebelum_tmt",
    "periode_sebelum_tmt",
)  # fmt: skip
#: Appointed 1 April 2024, after the dataset's first quarter ended: born 1996-06-06,
#: CPNS month 2024-04, man, sequence 001 (the NIP agrees with the columns).
LATE = "199606062024041001"
#: Appointed 1 February 2024, inside the first quarter.
MID = "199505052024021001"
PEG_ROW = {BOSS: 2, STAFF: 3, PEER: 4, PPPK: 5, LATE: 6, MID: 7}


def _append(path: Path, rows: list[dict]) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    pd.concat([df, pd.DataFrame(rows, dtype=str)], ignore_index=True).to_csv(path, index=False)


def validate_counting_messages(folder: Path, monkeypatch):
    """``validate_dataset(folder)``'s report and tables, and the keys of the messages its
    rules built, one per call (a message built once per employee, not once per row)."""
    calls: list[str] = []
    real = validation.message
    monkeypatch.setattr(
        validation, "message", lambda k, *a, **f: calls.append(k) or real(k, *a, **f)
    )
    rep, tables, _ = validate_dataset(folder)
    return rep, tables, calls


def write_city(folder: Path) -> Path:
    """The small clean dataset of ``test_validation_inputs`` with official ratings,
    feedback sessions, and two employees appointed during 2024 whose rows start with
    their appointment's quarter."""
    write_base(folder)
    _append(
        folder / "pegawai.csv",
        [
            {"nip": LATE, "jenis_kelamin": "L", "tanggal_lahir": "1996-06-06",
             "opd": "Dinas A", "jabatan": "Analis", "jenis_jabatan": "pelaksana",
             "golongan": "III/a", "tmt_cpns": "2024-04-01", "nip_atasan": BOSS,
             "status_kepegawaian": "PNS"},
            {"nip": MID, "jenis_kelamin": "L", "tanggal_lahir": "1995-05-05",
             "opd": "Dinas A", "jabatan": "Analis", "jenis_jabatan": "pelaksana",
             "golongan": "III/a", "tmt_cpns": "2024-02-01", "nip_atasan": BOSS,
             "status_kepegawaian": "PNS"},
        ],
    )  # fmt: skip
    skp, peri, resmi, ub = [], [], [], []
    for nip, pers in ((STAFF, ("2024Q1", "2024Q2")), (PEER, ("2024Q1", "2024Q2")),
                      (PPPK, ("2024Q1", "2024Q2")), (MID, ("2024Q1", "2024Q2")),
                      (LATE, ("2024Q2",))):  # fmt: skip
        for per in pers:
            if nip in (LATE, MID):
                skp += [(nip, per, "i1", "kuantitas", 10, 11), (nip, per, "i1", "waktu", 3, 3)]
                peri += [(nip, per, BOSS, "atasan", "akuntabel", 4)]
            resmi.append((nip, per, "Baik"))
            day = "2024-05-20" if per == "2024Q2" else "2024-02-15"
            ub.append((nip, per, day, "atasan", "dialog_kinerja", 4))
    _append(folder / "skp.csv", [dict(zip(["nip", "periode", "indikator", "aspek", "target",
                                          "realisasi"], map(str, r), strict=True)) for r in skp])  # fmt: skip
    _append(folder / "perilaku.csv", [dict(zip(["nip", "periode", "id_penilai", "peran_penilai",
                                               "dimensi", "skor"], map(str, r), strict=True)) for r in peri])  # fmt: skip
    pd.DataFrame(resmi, columns=["nip", "periode", "predikat"]).to_csv(
        folder / "penilaian_resmi.csv", index=False
    )
    pd.DataFrame(ub, columns=["nip", "periode", "tanggal", "pemberi", "bentuk", "kualitas"]).to_csv(
        folder / "umpan_balik.csv", index=False
    )
    return folder


@pytest.fixture
def city(tmp_path: Path) -> Path:
    return write_city(tmp_path / "data")


def _new(rep, rule: str | None = None) -> pd.DataFrame:
    iss = rep.issues
    m = iss["aturan"].isin(NEW_RULES) if rule is None else iss["aturan"] == rule
    return iss[m].sort_values(["file", "baris"]).reset_index(drop=True)


def _row(path: Path, nip: str, **where: str) -> int:
    """The spreadsheet row (header = 1) of the first row of ``nip`` matching ``where``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    m = df["nip"] == nip
    for k, v in where.items():
        m &= df[k] == v
    return int(df.index[m][0]) + 2


def test_the_small_city_is_clean(city: Path) -> None:
    rep, tables = validate(city)
    assert rep.exit_code == 0, rep.issues[["file", "baris", "aturan", "pesan"]]
    assert set(tables["pegawai"]["nip"]) == set(PEG_ROW)


# ------------------------------------------------------------- a training before birth


def test_trainings_before_birth_are_rejected_all_in_one_run(city: Path) -> None:
    # STAFF born 1990-01-01, PPPK born 1968-04-04: both trainings predate the employee
    edit(city / "pelatihan.csv", 2, "tanggal_mulai", "1985-06-03")
    edit(city / "pelatihan.csv", 2, "tanggal_selesai", "1985-06-05")
    edit(city / "pelatihan.csv", 3, "tanggal_mulai", "1967-11-20")
    edit(city / "pelatihan.csv", 3, "tanggal_selesai", "1967-11-21")
    for bahasa, words in (("id", "tidak mungkin"), ("en", "impossible")):
        rep, tables = validate(city, bahasa=bahasa)
        hit = _new(rep)
        assert hit[["file", "baris", "kolom", "nilai", "aturan", "tingkat"]].values.tolist() == [
            ["pelatihan.csv", 2, "tanggal_mulai", "1985-06-03", "pelatihan_sebelum_lahir", "tolak"],
            ["pelatihan.csv", 3, "tanggal_mulai", "1967-11-20", "pelatihan_sebelum_lahir", "tolak"],
        ]  # fmt: skip
        # the employee's row in the pegawai file, not their birth date nor their NIP
        assert (
            f"pegawai.csv {'baris' if bahasa == 'id' else 'row'} {PEG_ROW[STAFF]}"
            in (hit["pesan"].iloc[0])
        )
        assert f"{PEG_ROW[PPPK]}" in hit["pesan"].iloc[1]
        for text in hit["pesan"]:
            assert words in text
            assert "1990" not in text and "1968" not in text and "2015" not in text
            assert STAFF not in text and PPPK not in text and STAFF[:8] not in text
        assert "pelatihan" not in tables or tables["pelatihan"].empty
        # rejected: not also warned as before the appointment
        assert set(rep.issues.loc[rep.issues["file"] == "pelatihan.csv", "aturan"]) == {
            "pelatihan_sebelum_lahir"
        }


def test_a_training_on_the_birth_day_is_not_before_birth(city: Path) -> None:
    edit(city / "pelatihan.csv", 2, "tanggal_mulai", "1990-01-01")
    edit(city / "pelatihan.csv", 2, "tanggal_selesai", "1990-01-02")
    rep, tables = validate(city)
    assert _new(rep)["aturan"].tolist() == ["tanggal_sebelum_tmt"]
    assert len(tables["pelatihan"]) == 2


# ------------------------------------------------ a training or session before the TMT


def test_trainings_and_sessions_before_the_appointment_are_kept_with_a_warning(
    city: Path,
) -> None:
    # STAFF appointed 2015-03-01: a training of 2014 (after birth); PPPK appointed
    # 2023-03-01: a training the day before; MID appointed 2024-02-01: a session of
    # 2024-01-20 inside its quarter
    edit(city / "pelatihan.csv", 2, "tanggal_mulai", "2014-05-05")
    edit(city / "pelatihan.csv", 2, "tanggal_selesai", "2014-05-07")
    edit(city / "pelatihan.csv", 3, "tanggal_mulai", "2023-02-28")
    edit(city / "pelatihan.csv", 3, "tanggal_selesai", "2023-02-28")
    ub_row = _row(city / "umpan_balik.csv", MID, periode="2024Q1")
    edit(city / "umpan_balik.csv", ub_row, "tanggal", "2024-01-20")
    rep, tables = validate(city)
    hit = _new(rep)
    assert hit[["file", "baris", "kolom", "nilai", "aturan", "tingkat"]].values.tolist() == [
        ["pelatihan.csv", 2, "tanggal_mulai", "2014-05-05", "tanggal_sebelum_tmt", "peringatan"],
        ["pelatihan.csv", 3, "tanggal_mulai", "2023-02-28", "tanggal_sebelum_tmt", "peringatan"],
        ["umpan_balik.csv", ub_row, "tanggal", "2024-01-20", "tanggal_sebelum_tmt", "peringatan"],
    ]  # fmt: skip
    assert rep.n_rejected == 0
    assert len(tables["pelatihan"]) == 2 and len(tables["umpan_balik"]) == len(
        pd.read_csv(city / "umpan_balik.csv")
    )
    rows = [PEG_ROW[STAFF], PEG_ROW[PPPK], PEG_ROW[MID]]
    for text, row in zip(hit["pesan"], rows, strict=True):
        assert f"tmt_cpns di pegawai.csv baris {row})" in text and "tetap dipakai" in text
        assert "2015-03" not in text and "2023-03" not in text and "2024-02-01" not in text
    assert "honorer" in hit["pesan"].iloc[0] and "umpan balik" in hit["pesan"].iloc[2]
    en, _ = validate(city, bahasa="en")
    texts = _new(en)["pesan"].tolist()
    assert "before the employee's appointment" in texts[0] and "honorary" in texts[0]
    assert texts[2].startswith("feedback session dated before the employee's appointment")
    assert all("the row is kept" in t for t in texts)


def test_a_date_on_the_appointment_day_is_not_before_it(city: Path) -> None:
    edit(city / "pelatihan.csv", 3, "tanggal_mulai", "2023-03-01")
    edit(city / "pelatihan.csv", 3, "tanggal_selesai", "2023-03-02")
    ub_row = _row(city / "umpan_balik.csv", MID, periode="2024Q1")
    edit(city / "umpan_balik.csv", ub_row, "tanggal", "2024-02-01")
    rep, _ = validate(city)
    assert _new(rep).empty


# ------------------------------------------------- a period that ended before the TMT


def test_period_rows_before_the_appointment_one_warning_per_row(city: Path) -> None:
    # LATE (appointed 2024-04-01) given rows of 2024Q1 in every employee-period table
    q1 = [
        (
            "skp.csv",
            {
                "nip": LATE,
                "periode": "2024Q1",
                "indikator": "i1",
                "aspek": a,
                "target": "10",
                "realisasi": "9",
            },
        )
        for a in ("kuantitas", "waktu")
    ]
    q1 += [
        (
            "perilaku.csv",
            {
                "nip": LATE,
                "periode": "2024Q1",
                "id_penilai": r,
                "peran_penilai": p,
                "dimensi": "akuntabel",
                "skor": "4",
            },
        )
        for r, p in ((BOSS, "atasan"), (LATE, "diri"))
    ]
    q1 += [("penilaian_resmi.csv", {"nip": LATE, "periode": "2024Q1", "predikat": "Baik"})]
    q1 += [("umpan_balik.csv", {"nip": LATE, "periode": "2024Q1", "tanggal": "2024-03-10",
                                "pemberi": "atasan", "bentuk": "coaching", "kualitas": "4"})]  # fmt: skip
    want = []
    for file, row in q1:
        _append(city / file, [row])
        want.append((file, len(pd.read_csv(city / file)) + 1))
    rep, tables = validate(city)
    hit = _new(rep)
    assert sorted(zip(hit["file"], hit["baris"], strict=True)) == sorted(want)
    assert set(hit["aturan"]) == {"periode_sebelum_tmt"} and set(hit["kolom"]) == {"periode"}
    assert set(hit["tingkat"]) == {"peringatan"} and set(hit["nilai"]) == {"2024Q1"}
    # the feedback row gets the period's warning alone, not the session date's too
    assert len(hit[hit["file"] == "umpan_balik.csv"]) == 1
    for text in hit["pesan"]:
        assert text.startswith("periode ini berakhir 2024-03-31, sebelum TMT pegawainya")
        assert f"pegawai.csv baris {PEG_ROW[LATE]})" in text and "2024-04" not in text
    assert rep.n_rejected == 0
    for name in ("skp", "perilaku", "penilaian_resmi", "umpan_balik"):
        got = tables[name]
        assert ((got["nip"] == LATE) & (got["periode"] == "2024Q1")).any(), name
    en, _ = validate(city, bahasa="en")
    assert set(_new(en)["pesan"].str[:37]) == {"this period ended on 2024-03-31, befo"}


def test_rows_of_unknown_or_rejected_employees_are_reported_once(city: Path) -> None:
    # a training of a NIP pegawai does not have, dated before anyone's birth; PEER's
    # pegawai row rejected (its NIP's birth date differs), with a training of 1950
    ghost = "197001012000011009"
    _append(city / "pelatihan.csv", [
        {"nip": ghost, "id_pelatihan": "P9", "nama_pelatihan": "X", "jenis": "teknis",
         "metode": "klasikal", "kompetensi_sasaran": "kompeten", "jp": "8",
         "tanggal_mulai": "1901-01-01", "tanggal_selesai": "1901-01-01", "sumber": "mandiri"},
        {"nip": PEER, "id_pelatihan": "P8", "nama_pelatihan": "X", "jenis": "teknis",
         "metode": "klasikal", "kompetensi_sasaran": "kompeten", "jp": "8",
         "tanggal_mulai": "1950-01-01", "tanggal_selesai": "1950-01-01", "sumber": "mandiri"},
    ])  # fmt: skip
    edit(city / "pegawai.csv", PEG_ROW[PEER], "tanggal_lahir", "1992-02-03")
    rep, _ = validate(city)
    assert _new(rep).empty
    pel = rep.issues[rep.issues["file"] == "pelatihan.csv"].sort_values("baris")
    assert pel["aturan"].tolist() == ["referensi:pegawai", "referensi:pegawai_ditolak"]


def test_rows_already_rejected_or_outside_the_dataset_are_not_checked_again(city: Path) -> None:
    # a training before birth whose end precedes its start (rejected for that first);
    # a row of LATE for the year 2019, not a dataset period (another frequency: rejected
    # by the period rules)
    edit(city / "pelatihan.csv", 2, "tanggal_mulai", "1985-06-03")
    edit(city / "pelatihan.csv", 2, "tanggal_selesai", "1985-06-01")
    _append(city / "penilaian_resmi.csv", [{"nip": LATE, "periode": "2019", "predikat": "Baik"}])
    rep, _ = validate(city)
    assert _new(rep).empty
    assert set(rep.issues["aturan"]) == {"tanggal_urut", "periode_tidak_dipakai"}


def test_an_appointment_after_the_dataset_is_warned_once_on_its_own_row(city: Path) -> None:
    # tmt_cpns typed 2030 (pseudonymous IDs: the NIP does not catch it): its own warning,
    # not one more on every row of the employee
    edit(city / "pegawai.csv", PEG_ROW[STAFF], "tmt_cpns", "2030-03-01")
    rep, _ = validate(city, pseudonim=True)
    assert _new(rep).empty
    assert rep.issues["aturan"].tolist() == ["tanggal_masa_depan"]


# ------------------------------------------------------------------ the words


@pytest.mark.parametrize("key", NEW_MESSAGES)
def test_every_new_message_is_in_both_languages(key: str) -> None:
    fields = {"file": "pegawai.csv", "baris": 7, "akhir": "2024-03-31"}
    ind, eng = MESSAGES(key, "id", **fields), MESSAGES(key, "en", **fields)
    assert ind != eng and "pegawai.csv" in ind and "pegawai.csv" in eng
    assert "{" not in ind + eng


@pytest.mark.parametrize("rule", NEW_RULES)
def test_every_new_rule_has_a_label(rule: str) -> None:
    assert rule_label(rule, "id") != rule_label(rule, "en")
    assert "_" not in rule_label(rule, "id") + rule_label(rule, "en")


# ------------------------------------------------------------- the synthetic city


def _validated(r, out: Path):
    write_dataset(r, out)
    rep, tables, _ = validate_dataset(out)
    return rep, tables


@pytest.mark.parametrize(
    "config",
    [
        {"n_pegawai": 300, "seed": 3},
        # PPPK appointed on 1 March: in the first quarter's year they would have sessions,
        # periods and trainings before their appointment
        {"n_pegawai": 300, "seed": 3, "pppk_share": 0.3},
        {"n_pegawai": 200, "seed": 4, "pppk_share": 0.3,
         "periods": ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06")},
        {"n_pegawai": 200, "seed": 5, "pppk_share": 0.3, "periods": ("2023", "2024", "2025")},
    ],
    ids=["default", "pppk-quarters", "pppk-months", "pppk-years"],
)  # fmt: skip
def test_the_synthetic_city_trips_none_of_the_rules(tmp_path: Path, config: dict) -> None:
    rep, _ = _validated(generate(**config), tmp_path / "kota")
    assert rep.usable
    assert _new(rep).empty, _new(rep)[["file", "baris", "aturan", "pesan"]].head()


def test_employees_hired_in_the_window_trip_none(tmp_path: Path) -> None:
    r = generate(n_pegawai=300, seed=6)
    peg = r.tables["pegawai"]
    bosses = set(peg["nip_atasan"].dropna())
    later = peg.loc[~peg["nip"].isin(bosses), "nip"].tolist()[:20]
    hire_later(r, later, pd.Timestamp("2024-11-18"))  # in the middle of 2024Q4
    rep, _ = _validated(r, tmp_path / "kota")
    assert _new(rep).empty, _new(rep)[["file", "baris", "aturan", "pesan"]].head()


def test_a_careless_export_is_flagged_row_by_row(tmp_path: Path, monkeypatch) -> None:
    """Twenty employees given a TMT in the middle of 2024Q4 while their rows of the
    earlier quarters stay: every such row is warned about in one run, with the messages
    built once per rule and table (not once per row)."""
    r = generate(n_pegawai=300, seed=6)
    hired = pd.Timestamp("2024-11-18")
    peg = r.tables["pegawai"]
    bosses = set(peg["nip_atasan"].dropna())
    later = peg.loc[~peg["nip"].isin(bosses), "nip"].tolist()[:20]
    hire_later(r, later, hired, keep_earlier=True)
    new = {n[:8] + hired.strftime("%Y%m") + n[14:] for n in later}
    out = tmp_path / "kota"
    write_dataset(r, out)
    rep, tables, calls = validate_counting_messages(out, monkeypatch)
    hit = _new(rep)
    assert set(hit["tingkat"]) == {"peringatan"} and rep.usable
    expected: set[tuple[str, int, str]] = set()
    for name in (*EMPLOYEE_PERIOD_TABLES, "pelatihan"):
        df = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        mine = df["nip"].isin(new)
        if "periode" in df.columns:
            ends = df["periode"].map({p: period_bounds(p)[1] for p in df["periode"].unique()})
            period = mine & (ends < hired)
            expected |= {(f"{name}.csv", i + 2, "periode_sebelum_tmt") for i in df.index[period]}
            dated = mine & rows_before(df, hired) & ~period
        else:
            dated = mine & rows_before(df, hired)
        expected |= {(f"{name}.csv", i + 2, "tanggal_sebelum_tmt") for i in df.index[dated]}
    got = set(zip(hit["file"], hit["baris"].astype(int), hit["aturan"], strict=True))
    assert got == expected and len(hit) == len(expected)
    per_table = hit.groupby(["file", "aturan"]).size()
    assert per_table.min() >= 1 and len(per_table) == 6, per_table
    assert len(expected) > 300  # perilaku alone: several raters per employee and quarter
    # one template per rule and table, whatever the number of rows
    built = [k for k in calls if k in NEW_MESSAGES]
    assert len(built) == len(per_table), built
    # every row is kept
    for name in EMPLOYEE_PERIOD_TABLES:
        assert len(tables[name]) == len(pd.read_csv(out / f"{name}.csv"))
