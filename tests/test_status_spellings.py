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
