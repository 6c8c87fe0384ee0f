"""End to end: sensitivity, multiplicity, power and data coverage reach the documents.

The batch's pipeline (validated data → shared analyses → facts → narrative) on a
1,500-employee synthetic city (2024Q1–2025Q4): the 2025Q4 document carries the
Rambachan–Roth sentence for training, the appendix shows raw and Holm-adjusted p-values
and the estimation notes, the Rekomendasi the minimum detectable effects, and the first
period's document says why the 20 JP share is not available.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from kinerja_analysis.analyses.shared import compute_shared
from kinerja_analysis.methods.multiplicity import adjust_pvalues
from kinerja_analysis.reporting.facts import EFFECTS, effect_list, period_facts
from kinerja_analysis.reporting.narrative import write_report
from kinerja_analysis.reporting.tables import headline_figures
from kinerja_analysis.reporting.text import headline_value


@pytest.fixture(scope="module")
def city(city_1500):
    return city_1500.ds, city_1500.shared


def test_effect_list_is_the_declarative_table_with_holm(city):
    _, h = city
    efek = effect_list(h)
    assert [e.key for e in efek] == [k for k in EFFECTS["kunci"] if k in {e.key for e in efek}]
    assert len(efek) >= 10
    raw = np.array([np.nan if e.p_value is None else e.p_value for e in efek])
    np.testing.assert_allclose(
        [np.nan if e.p_adjusted is None else e.p_adjusted for e in efek], adjust_pvalues(raw)
    )
    pel = next(e for e in efek if e.key == "pelatihan")
    assert pel.breakdown_rm is not None and pel.breakdown_rm > 0
    assert pel.breakdown_sd is not None
    flags = h.pelatihan.set_index("term").loc["att_cs", "flags"]
    assert pel.flags == tuple(x for x in str(flags).split(",") if x)  # the flags travel


def test_2025q4_document_has_sensitivity_holm_and_power(city):
    ds, h = city
    assert ds.periods[-1] == "2025Q4"
    lap = write_report(period_facts(ds, h, "2025Q4", date=dt.date(2026, 11, 28)))
    hasil = lap["hasil"]
    pel = next(e for e in effect_list(h) if e.key == "pelatihan")
    mbar = f"{pel.breakdown_rm:.2f}".replace(".", ",")
    want = (
        "Kesimpulan ini tetap berlaku selama pelanggaran tren setelah pelatihan tidak "
        f"melebihi {mbar} kali pelanggaran terbesar sebelum pelatihan."
    )
    assert want in hasil
    # every effect keeps its own bullet
    bullets = [x for x in hasil.splitlines() if x.startswith("- ")]
    assert (
        sum("meningkatkan" in b or "Belum terdapat" in b or "Ada indikasi" in b for b in bullets)
        >= 10
    )
    assert all(b.count("IK 95%") <= 1 for b in bullets)
    lamp = lap["lampiran"]
    assert "| p | p (Holm) |" in lamp and "koreksi Holm" in lamp
    rek = lap["rekomendasi"]
    assert "Rencanakan jumlah peserta" in rek and "pengaruh terkecil yang dapat dideteksi" in rek
    en = write_report(period_facts(ds, h, "2025Q4", bahasa="en", date=dt.date(2026, 11, 28)))
    assert "times the largest violation before training" in en["hasil"]


def test_first_period_jp_share_not_available_with_reason(city):
    ds, _ = city
    first = ds.periods[0]
    # a document is computed as of its period: the shared results of its own data window
    h = compute_shared(ds, through=first, seed=1, n_boot=199, reliability=False)
    fk = period_facts(ds, h, first, date=dt.date(2026, 11, 28))
    assert fk.pelatihan["pct_di_bawah_20jp"] is None
    tant = write_report(fk)["tantangan"]
    assert "belum dapat dihitung" in tant and "1 Januari 2024" in tant
    assert "100,0%" not in tant
    hf = headline_figures(ds.tables, first).set_index("indikator")["nilai"]
    assert np.isnan(hf["pct_jp_di_bawah_20"])
    assert headline_value("pct_jp_di_bawah_20", hf["pct_jp_di_bawah_20"]).startswith(
        "tidak tersedia"
    )
    # four quarters later the window is covered and the share is computed
    h4 = compute_shared(ds, through=ds.periods[3], seed=1, n_boot=199, reliability=False)
    fk4 = period_facts(ds, h4, ds.periods[3], date=dt.date(2026, 11, 28))
    assert 0 <= fk4.pelatihan["pct_di_bawah_20jp"] <= 1
