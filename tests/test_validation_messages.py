"""Validation messages a real user trips over (fresh testers' findings): rows of an
employee whose register row was set aside are grouped under that row, whatever set it
aside (a broken CSV line, a NIP cut by Excel, a status that is not an ASN's); a
duplicate says whether it is a copy; the hint of a broken line fits its fault."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from test_validation_inputs import BOSS, PEER, PPPK, STAFF, edit, validate, write_base

from kinerja_analysis.data.messages import message


def _pegawai_lines(folder: Path) -> list[str]:
    return (folder / "pegawai.csv").read_text(encoding="utf-8").splitlines()


def _dependents(rep, nip: str) -> pd.DataFrame:
    iss = rep.issues
    return iss[(iss["kolom"] == "nip") & (iss["nilai"] == nip) & (iss["tabel"] != "pegawai")]


# --------------------------------------------------------------------------- broken lines


def test_a_broken_register_line_is_the_root_cause_of_its_employee_rows(tmp_path: Path) -> None:
    base = write_base(tmp_path / "data")
    lines = _pegawai_lines(base)
    # STAFF (row 3): an unquoted comma in jabatan (one field too many); PEER (row 4): the
    # line cut short after the OPD (five fields instead of ten)
    lines[2] = lines[2].replace(",Analis,", ",Analis, Plt. Kasubag,")
    lines[3] = ",".join(lines[3].split(",")[:5])
    (base / "pegawai.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for bahasa in ("id", "en"):
        rep, tables = validate(base, bahasa=bahasa)
        assert STAFF not in set(tables["pegawai"]["nip"])  # never accepted as data
        assert PEER not in set(tables["pegawai"]["nip"])
        for nip, row in ((STAFF, 3), (PEER, 4)):
            dep = _dependents(rep, nip)
            assert len(dep) and set(dep["aturan"]) == {"referensi:pegawai_ditolak"}, dep
            assert set(dep["sebab"]) == {f"pegawai.csv baris {row}"}
        # no "unknown NIP" left for them
        plain = rep.issues[rep.issues["aturan"] == "referensi:pegawai"]
        assert not set(plain["nilai"]) & {STAFF, PEER}
        causes = rep.causes()
        assert set(causes["sebab"]) == {"pegawai.csv baris 3", "pegawai.csv baris 4"}
        broken = rep.issues[rep.issues["aturan"] == "baris_rusak"].set_index("baris")
        many = message("baris_rusak", bahasa, n=11, m=10, pemisah="','")
        few = message("baris_rusak_kurang", bahasa, n=5, m=10)
        assert broken.loc[3, "pesan"] == many
        assert broken.loc[4, "pesan"] == few
        # the hint of a line with too few fields is not the unquoted delimiter
        assert "','" not in few and ("terpotong" in few or "cut short" in few)
        # two faults, two groups on the console
        groups = rep.grouped()
        assert len(groups[groups["aturan"] == "baris_rusak"]) == 2


def test_a_broken_line_whose_comma_comes_before_the_nip_still_links(tmp_path: Path) -> None:
    """A fourth tester (t10 N3): a name with a degree (``Dedi Sulistyo, S.Kom``) in a
    column before the NIP moves the NIP one field right; the field at its place is no
    NIP, and the person's rows elsewhere were "nip tidak dikenal". The one 18-digit
    field within the line's shift is the NIP (for linking only)."""
    base = write_base(tmp_path / "data")
    peg = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    peg.insert(0, "nama", [f"Pegawai {i}" for i in range(len(peg))])
    peg.to_csv(base / "pegawai.csv", index=False)
    lines = _pegawai_lines(base)
    at = next(i for i, line in enumerate(lines) if STAFF in line.split(",")[1])
    lines[at] = lines[at].replace(",", ", S.Kom,", 1)
    (base / "pegawai.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep, tables = validate(base)
    assert STAFF not in set(tables["pegawai"]["nip"])
    dep = _dependents(rep, STAFF)
    assert len(dep) and set(dep["sebab"]) == {f"pegawai.csv baris {at + 1}"}, rep.messages()


def test_a_broken_line_without_its_nip_field_links_nothing(tmp_path: Path) -> None:
    base = write_base(tmp_path / "data")
    lines = _pegawai_lines(base)
    lines[2] = "Analis tanpa NIP"  # one field: the NIP column is the first, but unreadable
    (base / "pegawai.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep, _ = validate(base)
    assert (rep.issues["aturan"] == "baris_rusak").sum() == 1
    plain = rep.issues[rep.issues["aturan"] == "referensi:pegawai"]
    assert set(plain["nilai"]) == {STAFF}  # unknown, honestly: no NIP to link by
    assert (rep.issues["aturan"] == "referensi:pegawai_ditolak").sum() == 0


def test_a_broken_lines_name_is_masked_in_the_issues(tmp_path: Path) -> None:
    base = write_base(tmp_path / "data")
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.insert(1, "nama", ["Budi Santoso", "Ratih Kurniawan", "Andi Syahputra", "Sri Wahyuni"])
    df.to_csv(base / "pegawai.csv", index=False)
    lines = _pegawai_lines(base)
    lines[3] = ",".join(lines[3].split(",")[:6])  # Andi's line cut short
    (base / "pegawai.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep, _ = validate(base)
    text = " ".join(rep.issues["nilai"].astype(str)) + " ".join(rep.issues["pesan"].astype(str))
    assert "Andi" not in text
    broken = rep.issues[rep.issues["aturan"] == "baris_rusak"]
    assert broken["nilai"].iloc[0].startswith("[NIP],[nama],")
    assert len(_dependents(rep, PEER))


# --------------------------------------------------------------------------- Excel's cut


def test_rows_of_an_employee_whose_nip_excel_cut_are_grouped_under_that_row(
    tmp_path: Path,
) -> None:
    base = write_base(tmp_path / "data")
    edit(base / "pegawai.csv", 3, "nip", STAFF[:15] + "000")  # the other tables: full NIP
    rep, _ = validate(base)
    dep = _dependents(rep, STAFF)
    assert len(dep) and set(dep["aturan"]) == {"referensi:pegawai_ditolak"}
    assert set(dep["sebab"]) == {"pegawai.csv baris 3"}
    assert "15" in dep["pesan"].iloc[0]  # the reason: the cut
    assert STAFF not in set(rep.issues.loc[rep.issues["aturan"] == "referensi:pegawai", "nilai"])


def test_two_cut_nips_of_one_prefix_name_no_single_row(tmp_path: Path) -> None:
    base = write_base(tmp_path / "data")
    cut = STAFF[:15] + "000"
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.loc[1, "nip"] = cut
    twin = df.iloc[[1]].assign(jabatan="Analis Kedua")
    pd.concat([df, twin]).to_csv(base / "pegawai.csv", index=False)
    rep, _ = validate(base)
    assert STAFF in set(rep.issues.loc[rep.issues["aturan"] == "referensi:pegawai", "nilai"])
    # an accepted employee's rows are untouched
    assert not len(_dependents(rep, PEER)) and not len(_dependents(rep, PPPK))


def test_a_tab_delimiter_is_named_not_printed_raw(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kinerja_analysis.pipeline.cli import app

    base = write_base(tmp_path / "data")
    df = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    (base / "skp.csv").unlink()
    df.to_csv(base / "skp.csv", sep="\t", index=False)
    lines = (base / "skp.csv").read_text(encoding="utf-8").splitlines()
    lines[2] += "\textra"  # a line with one field too many: its hint names the delimiter
    (base / "skp.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for bahasa, word in (("id", "pemisah tab"), ("en", "delimiter tab")):
        res = CliRunner().invoke(app, ["validate", str(base), "--bahasa", bahasa, "--show", "50"])
        assert "skp.csv: CSV, header" in res.output and word in res.output, res.output
        assert "'\t'" not in res.output
        rep, _ = validate(base, bahasa=bahasa)
        hint = rep.issues.loc[rep.issues["aturan"] == "baris_rusak", "pesan"].iloc[0]
        assert f"{word.split()[0]} tab " in hint


# --------------------------------------------------------------------------- duplicates


def test_a_duplicate_says_whether_it_is_a_copy_and_which_row_is_used(tmp_path: Path) -> None:
    base = write_base(tmp_path / "data")
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    copy = df.iloc[[1]]  # STAFF, row 3, again: row 6
    moved = df.iloc[[2]].assign(opd="Dinas B", jabatan="Analis Kebijakan")  # PEER: row 7
    pd.concat([df, copy, moved]).to_csv(base / "pegawai.csv", index=False)
    for bahasa in ("id", "en"):
        rep, tables = validate(base, bahasa=bahasa)
        dup = rep.issues[rep.issues["aturan"] == "kunci_unik"].set_index("baris")
        assert dup.loc[6, "pesan"] == message("kunci_unik_identik", bahasa, kunci="nip", baris=3)
        assert dup.loc[7, "pesan"] == message(
            "kunci_unik_beda", bahasa, kunci="nip", baris=4, kolom_beda="opd, jabatan"
        )
        assert dup.loc[7, "nilai"] == PEER  # the key, as before
        peg = tables["pegawai"].set_index("nip")
        assert peg.loc[PEER, "opd"] == "Dinas A"  # the first row is the one used
        # a copy and a changed row are two causes: two groups
        groups = rep.grouped()
        assert len(groups[groups["aturan"] == "kunci_unik"]) == 2


def test_a_duplicates_differing_value_that_is_a_name_is_not_shown(tmp_path: Path) -> None:
    base = write_base(tmp_path / "data")
    df = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    df.insert(1, "nama", ["Budi Santoso", "Ratih Kurniawan", "Andi Syahputra", "Sri Wahyuni"])
    again = df.iloc[[1]].assign(nama="Ratih Kurniawati")
    pd.concat([df, again]).to_csv(base / "pegawai.csv", index=False)
    rep, _ = validate(base)
    dup = rep.issues[rep.issues["aturan"] == "kunci_unik"]
    assert dup["pesan"].tolist() == [
        message("kunci_unik_beda", "id", kunci="nip", baris=3, kolom_beda="nama")
    ]
    assert "Ratih" not in " ".join(rep.issues["pesan"].astype(str))


def test_a_kept_row_whose_earlier_copy_was_rejected_says_it_is_the_one_used(
    tmp_path: Path,
) -> None:
    """The first copy of a key rejected for a bad value: the later copy is used, with a
    warning naming the rejected row (before: used without a word, t10 N8)."""
    base = write_base(tmp_path / "data")
    skp = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    again = skp.iloc[[0]].copy()  # STAFF 2024Q1 i1 kuantitas, row 2
    skp.loc[0, "realisasi"] = "sebelas"  # the first copy cannot be read: rejected
    pd.concat([skp, again]).to_csv(base / "skp.csv", index=False)
    last = len(skp) + 2  # the appended copy's row in the file
    for bahasa in ("id", "en"):
        rep, tables = validate(base, bahasa=bahasa)
        iss = rep.issues
        note = iss[iss["aturan"] == "kunci_unik_ditolak"]
        assert note["baris"].tolist() == [last], iss
        assert note["tingkat"].tolist() == ["peringatan"]
        assert note["pesan"].iloc[0] == message(
            "kunci_unik_ditolak", bahasa, kunci="nip, periode, indikator, aspek", baris=2
        )
        assert not (iss["aturan"] == "kunci_unik").any()  # the copy is no duplicate
        used = tables["skp"]
        row = used[
            (used["nip"] == STAFF) & (used["periode"] == "2024Q1") & (used["aspek"] == "kuantitas")
        ]
        assert row["realisasi"].tolist() == [11]


def test_a_register_row_rejected_by_its_nip_rules_does_not_take_its_copy_with_it(
    tmp_path: Path,
) -> None:
    """The register's key rule runs after the NIP and grade rules: a first row rejected
    for a grade its status cannot have leaves the corrected copy in use, instead of both
    lost (the copy rejected as a duplicate of a row then rejected itself)."""
    base = write_base(tmp_path / "data")
    peg = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    fixed = peg.iloc[[1]].copy()  # STAFF, row 3, again with its grade: row 6
    peg.loc[1, "golongan"] = "IX"  # a PPPK grade for a PNS: rejected by the grade rule
    pd.concat([peg, fixed]).to_csv(base / "pegawai.csv", index=False)
    rep, tables = validate(base)
    assert STAFF in set(tables["pegawai"]["nip"])
    iss = rep.issues
    assert iss.loc[iss["aturan"] == "golongan_status", "baris"].tolist() == [3]
    assert iss.loc[iss["aturan"] == "kunci_unik_ditolak", "baris"].tolist() == [6]
    assert not (iss["aturan"] == "kunci_unik").any()
    # the employee's other rows are not orphaned
    assert not set(iss.loc[iss["tabel"] != "pegawai", "nilai"].astype(str)) & {STAFF}


def test_a_copy_rejected_by_a_later_rule_does_not_take_the_good_copy_with_it(
    tmp_path: Path,
) -> None:
    """Rules that judge a row by its own cells run before the key rule (a fresh tester,
    t11 F1/F2): a first register row with an impossible birth date, a first training
    row starting before the employee was born. Before, the later copy was rejected as a
    duplicate of a row then rejected itself: the employee, the training, lost."""
    base = write_base(tmp_path / "data")
    peg = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    bad = peg.iloc[[1]].assign(tanggal_lahir="1890-01-01")  # STAFF, 134 years old
    pd.concat([peg.iloc[:1], bad, peg.iloc[1:]]).to_csv(base / "pegawai.csv", index=False)
    pel = pd.read_csv(base / "pelatihan.csv", dtype=str, keep_default_na=False)
    early = pel.iloc[[0]].assign(tanggal_mulai="1950-02-05", tanggal_selesai="1950-02-08")
    pd.concat([early, pel]).to_csv(base / "pelatihan.csv", index=False)
    # pseudonymised identifiers: no NIP layout to contradict the birth date, so the
    # register's date rule is the one that rejects the first copy
    rep, tables = validate(base, pseudonim=True)
    iss = rep.issues
    assert STAFF in set(tables["pegawai"]["nip"])
    assert (tables["pelatihan"]["nip"] == STAFF).sum() == 1
    assert not (iss["aturan"] == "kunci_unik").any(), iss
    kept = iss[iss["aturan"] == "kunci_unik_ditolak"].set_index("tabel")["baris"]
    assert kept.to_dict() == {"pegawai": 4, "pelatihan": 3}
    assert iss.loc[iss["aturan"] == "tanggal_lahir_mustahil", "baris"].tolist() == [3]
    assert iss.loc[iss["aturan"] == "pelatihan_sebelum_lahir", "baris"].tolist() == [2]
    # the employee's rows elsewhere are theirs, not set aside
    assert not (iss["aturan"] == "referensi:pegawai_ditolak").any()


def test_of_two_copies_the_one_without_an_emptied_cell_is_used(tmp_path: Path) -> None:
    """A first copy whose optional leaving date cannot be read (emptied, row kept) and a
    second with a readable one: the second is used (t11 F3). Before, the damaged copy
    was kept and the good one rejected, and the leaver counted as employed."""
    base = write_base(tmp_path / "data")
    peg = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    peg["tmt_keluar"] = ""
    damaged = peg.iloc[[1]].assign(tmt_keluar="31-31-2024")
    good = peg.iloc[[1]].assign(tmt_keluar="2024-04-01")
    rest = peg.drop(index=1)
    pd.concat([rest.iloc[:1], damaged, good, rest.iloc[1:]]).to_csv(
        base / "pegawai.csv", index=False
    )
    rep, tables = validate(base)
    row = tables["pegawai"].set_index("nip").loc[STAFF]
    assert str(row["tmt_keluar"])[:10] == "2024-04-01"
    dup = rep.issues[rep.issues["aturan"] == "kunci_unik"]
    assert dup["baris"].tolist() == [3]  # the damaged copy is the one set aside
    assert dup["pesan"].iloc[0] == message(
        "kunci_unik_beda", "id", kunci="nip", baris=4, kolom_beda="tmt_keluar"
    )


# --------------------------------------------------------------------------- no ASN


def test_a_status_that_is_no_asn_rejects_the_row_and_its_dependents(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kinerja_analysis.pipeline.cli import app

    base = write_base(tmp_path / "data")
    edit(base / "pegawai.csv", 3, "status_kepegawaian", "Honorer")  # STAFF
    edit(base / "pegawai.csv", 4, "status_kepegawaian", "Non-ASN")  # PEER
    for bahasa in ("id", "en"):
        rep, tables = validate(base, bahasa=bahasa)
        assert set(tables["pegawai"]["nip"]) == {BOSS, PPPK}  # never read as pns
        own = rep.issues[rep.issues["aturan"] == "bukan_asn"]
        assert own[["baris", "kolom", "nilai", "tingkat"]].astype(str).values.tolist() == [
            ["3", "status_kepegawaian", "Honorer", "tolak"],
            ["4", "status_kepegawaian", "Non-ASN", "tolak"],
        ]
        assert set(own["pesan"]) == {message("bukan_asn", bahasa)}
        for nip, row in ((STAFF, 3), (PEER, 4)):
            dep = _dependents(rep, nip)
            assert len(dep) and set(dep["aturan"]) == {"referensi:pegawai_ditolak"}
            assert set(dep["sebab"]) == {f"pegawai.csv baris {row}"}
        # no "emptied, read from the NIP" for them
        assert not any("2 " in n and "nomor induk" in n for n in rep.notes)
        assert (rep.issues["kolom"] == "status_kepegawaian").sum() == 2
        # the console: one root-cause line for both, one group of their rejections
        res = CliRunner().invoke(app, ["validate", str(base), "--bahasa", bahasa])
        lines = res.output.splitlines()
        head = message("sebab_utama", bahasa)
        causes = lines[lines.index(head) + 1 : lines.index(head) + 3]
        assert "status_kepegawaian" in causes[0] and ": 3, 4)" in causes[0], res.output
        assert "status_kepegawaian" not in causes[1]
        groups = rep.grouped()
        assert len(groups[groups["aturan"] == "bukan_asn"]) == 1


def test_someone_who_is_no_asn_gets_no_nip_message_for_a_nik(tmp_path: Path) -> None:
    """An honorer is listed with a NIK (16 digits) or a THL number instead of a NIP: the
    row's one reason is its status, and the person's rows elsewhere go under it (before:
    the NIP message, as if an ASN had a wrong NIP, t10 N10)."""
    base = write_base(tmp_path / "data")
    nik, thl = "3201234507890001", "THL-2024-017"
    for table in ("pegawai", "skp", "perilaku"):
        f = base / f"{table}.csv"
        f.write_text(
            f.read_text(encoding="utf-8").replace(STAFF, nik).replace(PEER, thl), encoding="utf-8"
        )
    edit(base / "pegawai.csv", 3, "status_kepegawaian", "Honorer")
    edit(base / "pegawai.csv", 4, "status_kepegawaian", "THL")
    for bahasa in ("id", "en"):
        rep, _ = validate(base, bahasa=bahasa)
        reg = rep.issues[rep.issues["tabel"] == "pegawai"]
        assert reg[reg["baris"].isin([3, 4])]["aturan"].tolist() == ["bukan_asn", "bukan_asn"]
        for ident, row in ((nik, 3), (thl, 4)):
            dep = _dependents(rep, ident)
            assert len(dep) and set(dep["aturan"]) == {"referensi:pegawai_ditolak"}, dep
            assert set(dep["sebab"]) == {f"pegawai.csv baris {row}"}
        assert set(rep.causes()["sebab"]) == {"pegawai.csv baris 3", "pegawai.csv baris 4"}


def test_a_nik_is_matched_across_spellings_and_as_a_supervisor(tmp_path: Path) -> None:
    """The NIK of someone who is no ASN, written with spaces in the register and plain
    elsewhere, and named as a supervisor in the register itself: every row goes under
    the register row, none gets a NIP message (t11 F4, F5). A placeholder id ('-') names
    no one: other rows holding it are not that person's."""
    base = write_base(tmp_path / "data")
    nik_spaced, nik = "3201 0123 4567 8902", "3201012345678902"
    for table in ("skp", "perilaku"):
        f = base / f"{table}.csv"
        f.write_text(f.read_text(encoding="utf-8").replace(STAFF, nik), encoding="utf-8")
    edit(base / "pegawai.csv", 3, "nip", nik_spaced)
    edit(base / "pegawai.csv", 3, "status_kepegawaian", "Honorer")
    edit(base / "pegawai.csv", 4, "nip_atasan", nik)  # PEER's supervisor: the honorer
    edit(base / "pegawai.csv", 5, "nip", "-")  # PPPK's NIP a placeholder
    edit(base / "pegawai.csv", 5, "status_kepegawaian", "THL")
    rep, _ = validate(base)
    iss = rep.issues
    assert not (iss["aturan"] == "tipe:nip").any(), iss[iss["aturan"] == "tipe:nip"]
    dep = iss[iss["nilai"] == nik]
    assert set(dep["aturan"]) == {"referensi:pegawai_ditolak"}, dep
    assert set(dep["sebab"]) == {"pegawai.csv baris 3"}
    assert "pegawai" in set(dep["tabel"])  # the supervisor column too
    assert set(rep.causes()["sebab"]) == {"pegawai.csv baris 3"}


def test_a_mapping_can_say_a_label_is_no_asn(tmp_path: Path) -> None:
    from test_validation_inputs import yaml_file

    base = write_base(tmp_path / "data")
    edit(base / "pegawai.csv", 3, "status_kepegawaian", "Tenaga Ahli")
    m = yaml_file(
        tmp_path,
        'tabel:\n  pegawai:\n    nilai:\n      status_kepegawaian: {"Tenaga Ahli": bukan_asn}\n',
    )
    rep, tables = validate(base, mapping=m)
    assert STAFF not in set(tables["pegawai"]["nip"])
    assert rep.issues.loc[rep.issues["baris"] == 3, "aturan"].tolist()[0] == "bukan_asn"


# --------------------------------------------------------------------------- F13


def test_a_period_spelling_not_read_names_the_spellings_and_the_mappings_fix(
    tmp_path: Path,
) -> None:
    from test_validation_inputs import yaml_file

    base = write_base(tmp_path / "data")
    edit(base / "skp.csv", 3, "periode", "Jan-Mar 2024")
    for bahasa in ("id", "en"):
        rep, _ = validate(base, bahasa=bahasa)
        hit = rep.issues[(rep.issues["kolom"] == "periode") & (rep.issues["baris"] == 3)]
        text = hit["pesan"].iloc[0]
        assert text == message("periode_format", bahasa, tabel="skp")
        assert "'TW I 2024'" in text and "Jan-Mar 2024" in text and "tabel: {skp:" in text
    # the fix the message gives, as written there, is a mapping that works
    fix = text[text.index("tabel: {") :]
    rep, tables = validate(base, mapping=yaml_file(tmp_path, fix + "\n"))
    assert not (rep.issues["kolom"] == "periode").any(), rep.messages()
    assert (tables["skp"]["periode"] == "2024Q1").sum() == 6


def test_a_file_that_is_not_what_its_name_says_is_named_with_the_way_to_save_it(
    tmp_path: Path,
) -> None:
    from test_validation_inputs import yaml_file

    base = write_base(tmp_path / "data")
    peg = pd.read_csv(base / "pegawai.csv", dtype=str, keep_default_na=False)
    (base / "pegawai.csv").unlink()
    cases = {
        # an HTML table saved with an Excel name ("Export Excel" of a web application)
        "Data Pegawai.xls": (peg.to_html(index=False).encode(), "file_sebenarnya_html"),
        "Data Pegawai.xlsx": (peg.to_html(index=False).encode(), "file_sebenarnya_html"),
        # Excel's "Unicode Text": UTF-16 with a BOM, tab-separated
        "Data Pegawai.txt": (
            peg.to_csv(sep="\t", index=False).encode("utf-16"),
            "file_teks_unicode",
        ),
    }
    for name, (content, key) in cases.items():
        for f in base.glob("Data Pegawai.*"):
            f.unlink()
        (base / name).write_bytes(content)
        m = yaml_file(tmp_path, f'tabel:\n  pegawai:\n    file: "{name}"\n')
        for bahasa in ("id", "en"):
            rep, _ = validate(base, mapping=m, bahasa=bahasa)
            fatal = rep.structure[rep.structure["tingkat"] == "fatal"]["pesan"].tolist()
            assert any(message(key, bahasa) in t for t in fatal), (name, fatal)
    # renamed as the message says, the Unicode text is read
    (base / "Data Pegawai.txt").rename(base / "pegawai.csv")
    rep, tables = validate(base)
    assert rep.usable and len(tables["pegawai"]) == 4


# --------------------------------------------------------------------------- N8


def test_a_table_named_file_the_mapping_replaces_is_said_as_such(tmp_path: Path) -> None:
    from test_validation_inputs import yaml_file

    base = write_base(tmp_path / "data")
    (base / "Data Pegawai.csv").write_bytes((base / "pegawai.csv").read_bytes())
    (base / "Realisasi SKP.csv").write_bytes((base / "skp.csv").read_bytes())
    m = yaml_file(
        tmp_path,
        'tabel:\n  pegawai: {file: "Data Pegawai.csv"}\n  skp: {file: "Realisasi SKP.csv"}\n',
    )
    for bahasa in ("id", "en"):
        rep, _ = validate(base, mapping=m, bahasa=bahasa)
        st = rep.structure.set_index("file")
        for f, tabel, used in (
            ("pegawai.csv", "pegawai", "Data Pegawai.csv"),
            ("skp.csv", "skp", "Realisasi SKP.csv"),
        ):
            assert st.loc[f, "pesan"] == message(
                "file_tidak_dibaca_pemetaan", bahasa, file=f, tabel=tabel, dipakai=used
            )
        # an SKP export holds nip and periode, as every employee table does: no survey
        assert "survei" not in " ".join(rep.structure["pesan"])


def test_a_nip_inside_the_free_text_of_a_key_is_masked(tmp_path: Path) -> None:
    base = write_base(tmp_path / "data")
    df = pd.read_csv(base / "skp.csv", dtype=str, keep_default_na=False)
    df.loc[0, "indikator"] = f"Pendampingan pegawai {PEER}"
    pd.concat([df, df.iloc[[0]]]).to_csv(base / "skp.csv", index=False)
    rep, _ = validate(base)
    dup = rep.issues[rep.issues["aturan"] == "kunci_unik"]
    assert dup["nilai"].tolist() == [f"{STAFF} | 2024Q1 | Pendampingan pegawai [NIP] | kuantitas"]
    text = " ".join(rep.issues["pesan"].astype(str)) + " ".join(rep.issues["nilai"].astype(str))
    assert PEER not in text.replace(f"'{PEER}'", "")  # only as the key of PEER's own rows


def test_a_required_column_the_mapping_ignores_is_named(tmp_path: Path) -> None:
    from test_validation_inputs import yaml_file

    base = write_base(tmp_path / "data")
    m = yaml_file(tmp_path, 'tabel:\n  pegawai:\n    abaikan: ["nip"]\n')
    for bahasa in ("id", "en"):
        rep, _ = validate(base, mapping=m, bahasa=bahasa)
        fatal = rep.structure[rep.structure["tingkat"] == "fatal"]["pesan"].iloc[0]
        word = "kolom" if bahasa == "id" else "column"
        assert fatal.endswith(
            " "
            + message(
                "kolom_wajib_diabaikan", bahasa, daftar=f"'nip' ({word} A)", tabel="pegawai",
                header='"nip"',
            )
        ), fatal  # fmt: skip


def test_the_problem_count_uses_the_languages_thousands_separator(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kinerja_analysis.pipeline.cli import app

    base = write_base(tmp_path / "data")
    df = pd.read_csv(base / "perilaku.csv", dtype=str, keep_default_na=False)
    big = pd.concat([df] * 100, ignore_index=True).assign(skor="9")  # 1,200 bad scores
    big.to_csv(base / "perilaku.csv", index=False)
    out = {
        b: CliRunner().invoke(app, ["validate", str(base), "--bahasa", b]).output
        for b in ("id", "en")
    }
    assert "1.2" in out["id"].split(" masalah dalam")[0][-8:], out["id"]
    assert "1,2" in out["en"].split(" problems in")[0][-8:], out["en"]


def test_an_opd_of_punctuation_only_is_no_name(tmp_path: Path) -> None:
    base = write_base(tmp_path / "data")
    edit(base / "pegawai.csv", 3, "opd", ".")
    edit(base / "pegawai.csv", 4, "opd", " - ")
    for bahasa in ("id", "en"):
        rep, tables = validate(base, bahasa=bahasa)
        hit = rep.issues[rep.issues["aturan"] == "tanpa_isi"]
        assert hit[["baris", "kolom", "tingkat"]].astype(str).values.tolist() == [
            ["3", "opd", "tolak"],
            ["4", "opd", "tolak"],
        ]
        assert set(hit["pesan"]) == {message("tanpa_isi", bahasa)}
        assert set(tables["pegawai"]["opd"]) == {"Dinas A"}


def test_an_opd_written_as_a_stand_in_for_empty_is_no_name(tmp_path: Path) -> None:
    """t10 N7: ``N/A`` and ``0`` (an Excel formula over an empty cell) became OPDs."""
    base = write_base(tmp_path / "data")
    edit(base / "pegawai.csv", 3, "opd", "N/A")
    edit(base / "pegawai.csv", 4, "opd", "0")
    rep, tables = validate(base)
    hit = rep.issues[rep.issues["aturan"] == "tanpa_isi"]
    assert hit["baris"].astype(int).tolist() == [3, 4]
    assert set(tables["pegawai"]["opd"]) == {"Dinas A"}


def test_root_causes_of_one_kind_are_one_console_line_and_one_csv_line_each(
    tmp_path: Path,
) -> None:
    base = write_base(tmp_path / "data")
    edit(base / "pegawai.csv", 3, "status_kepegawaian", "Honorer")
    edit(base / "pegawai.csv", 4, "status_kepegawaian", "Honorer")
    edit(base / "pegawai.csv", 5, "golongan", "XXV")  # PPPK: another cause, its own line
    for bahasa, word in (("id", "nilai"), ("en", "value")):
        rep, _ = validate(base, bahasa=bahasa)
        assert len(rep.causes()) == 3  # sebab_utama.csv: one line per cause
        groups = rep.cause_groups()
        assert groups["n_sebab"].tolist() == [2, 1]
        first = groups["pesan"].iloc[0]
        assert f"{word} 'Honorer'" in first and message("bukan_asn", bahasa) in first
        counted = rep.issues[
            rep.issues["sebab"].isin(["pegawai.csv baris 3", "pegawai.csv baris 4"])
        ]
        assert groups["n_baris"].iloc[0] == int((counted["tingkat"] == "tolak").sum())
