"""Employment status as real exports write it, and read from the NIP where it is not.

A fresh tester's SIASN-style export wrote ``PNS Daerah``: the preset did not know it, the
cell was emptied and 65 employees ended with no status, although a missing column is
read from the identifier's layout (code 21 = PPPK).
"""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.data.loading import validate_dataset
from kinerja_analysis.data.messages import MESSAGES
from kinerja_analysis.data.synth import generate, write_dataset
from kinerja_analysis.data.validation import normalise_category


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("PNS Daerah", "pns"),
        ("pns pusat", "pns"),
        ("PNSD", "pns"),
        ("CPNS Daerah", "pns"),
        ("PNS Pusat DPK", "pns"),
        ("P3K", "pppk"),
        ("PPPK Paruh Waktu", "pppk_paruh_waktu"),
    ],
)
def test_status_spellings(written, status):
    assert normalise_category("status_kepegawaian", written) == status


def test_an_empty_or_unknown_status_is_read_from_the_nip(tmp_path):
    r = generate(n_pegawai=80, seed=4, pppk_share=0.3)
    peg = r.tables["pegawai"]
    truth = pd.Series(peg["status_kepegawaian"].astype(object).to_numpy(), index=peg["nip"])
    peg["status_kepegawaian"] = peg["status_kepegawaian"].astype(object)
    full_time = [i for i, s in enumerate(truth) if s != "pppk_paruh_waktu"]
    unknown, empty = full_time[:5], full_time[5:10]
    peg.loc[unknown, "status_kepegawaian"] = "Lainnya"  # not a status: emptied, warned
    peg.loc[empty, "status_kepegawaian"] = None
    peg.loc[full_time[10], "status_kepegawaian"] = (
        "PNS Daerah" if truth.iloc[full_time[10]] == "pns" else "P3K"
    )
    write_dataset(r, tmp_path / "kota")
    for bahasa in ("id", "en"):
        rep, tables, _ = validate_dataset(tmp_path / "kota", bahasa=bahasa)
        got = pd.Series(
            tables["pegawai"]["status_kepegawaian"].astype(object).to_numpy(),
            index=tables["pegawai"]["nip"],
        )
        assert got.reindex(truth.index).equals(truth)  # every status right
        assert MESSAGES("status_sebagian_dari_nip", bahasa, n=10) in rep.notes
        warned = rep.issues[rep.issues["kolom"] == "status_kepegawaian"]
        assert sorted(warned["baris"]) == [i + 2 for i in unknown]  # the unknown values
        # each says how to map the label to no ASN if that is what it means
        assert (
            warned["pesan"]
            .str.contains('nilai: {status_kepegawaian: {"lainnya": bukan_asn}}', regex=False)
            .all()
        )


NON_ASN_SPELLINGS = [
    "PPNPN", "Tenaga Pendukung", "THL-TB", "Tenaga Harian Lepas (THL)", "Honor Daerah",
    "Pegawai Honorer", "Kontrak Daerah", "Tenaga Kontrak Daerah", "Outsourcing / Alih Daya",
    "Pegawai BLUD", "PTT Kesehatan", "Honorer (Non ASN)", "Pegawai Non ASN", "Tenaga Ahli",
    "Relawan", "Honorer K-2", "T. Honorer", "Kontrak BLUD", "Honorer", "Non-ASN", "Magang",
    "GTT", "Guru Tidak Tetap", "GTT/PTT", "Pegawai Tidak Tetap Sekolah",
]  # fmt: skip
PPPK_SPELLINGS = {
    "P3K PW": "pppk_paruh_waktu", "P3K-PW": "pppk_paruh_waktu",
    "PPPK (Paruh Waktu)": "pppk_paruh_waktu", "PPPKPW": "pppk_paruh_waktu",
    "PPPK Paruh Waktu (Kontrak)": "pppk_paruh_waktu",
    "Pegawai Pemerintah dengan Perjanjian Kerja Paruh Waktu": "pppk_paruh_waktu",
    "PPPK Guru": "pppk", "PPPK Teknis": "pppk", "PPPK Nakes": "pppk",
    "PPPK Tenaga Kesehatan": "pppk", "Pegawai Pemerintah dengan Perjanjian Kerja": "pppk",
    "PPPK Kontrak": "pppk", "PPPK Formasi 2024": "pppk", "PPPK Penuh Waktu": "pppk",
    "PNS DPK": "pns", "CPNS": "pns", "Non PNS": "bukan_asn",
}  # fmt: skip


@pytest.mark.parametrize("label", NON_ASN_SPELLINGS)
def test_realistic_non_asn_labels_are_no_asn(label: str) -> None:
    """A fourth tester (t10 N1): 18 of 24 real labels of non-ASN staff (SIMPEG's
    ``Pegawai Honorer``, ``THL-TB``, the central agencies' ``PPNPN``) were unknown, and
    those people were counted as PNS or PPPK from their number's layout."""
    from kinerja_analysis.data.validation import normalise_category

    assert normalise_category("status_kepegawaian", label) == "bukan_asn"


@pytest.mark.parametrize(("label", "status"), sorted(PPPK_SPELLINGS.items()))
def test_pppk_and_pns_labels_keep_their_status(label: str, status: str) -> None:
    """t10 N2: part-time PPPK spellings (``P3K-PW``, ``PPPK (Paruh Waktu)``) became
    full-time PPPK from the NI layout; a PPPK label naming the job (``PPPK Guru``) was
    "not allowed". Never taken for non-ASN (``PPPK Kontrak``)."""
    from kinerja_analysis.data.validation import normalise_category

    assert normalise_category("status_kepegawaian", label) == status
