"""Every key an estimator writes into a result table has a word in the label registry.

The analyses and methods name their terms, outcomes and restrictions with ASCII keys
(``att_cs``, ``pretrend_wald_cells``, ``mbar=0.5``, ``tepat_waktu_pct``…). A key missing
from :mod:`kinerja_analysis.reporting.text` used to fall through to ``humanize`` and
reach the document as "Att cs" or "Tepat waktu pct"; here the fall-back is made to fail.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.analyses.feedback import TERM_LABELS
from kinerja_analysis.analyses.training import TERM_CS, TERM_TWFE
from kinerja_analysis.reporting import text as T
from kinerja_analysis.reporting.notebook import table_html

#: Keys written by the estimators (analyses/training, feedback, rollout; methods/did).
ESTIMATOR_TERMS = (
    TERM_CS,
    TERM_TWFE,
    *TERM_LABELS,
    "pretrend_wald_event_time",
    "pretrend_wald_cells",
    "pretrend_mean_pre",
    "original",
    "pasca_latih",
)
OUTCOMES = ("capaian", "ikm", "tepat_waktu_pct", "pengaduan_per_1000")
RESTRICTIONS = ("relative_magnitudes", "smoothness")


@pytest.fixture
def no_fallback(monkeypatch):
    def fail(key):
        raise AssertionError(f"no label for {key!r}")

    monkeypatch.setattr(T, "humanize", fail)


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_estimator_keys_have_labels(no_fallback, bahasa):
    for key in (*ESTIMATOR_TERMS, *OUTCOMES):
        label = T.term_label(key, bahasa)
        assert label != key and not T.RAW_KEY.search(label), (key, label)
    for key in RESTRICTIONS:
        assert T.value_label(key, bahasa) != key
    for key in ("original", "C-LF", "FLCI"):
        assert T.method_label(key, bahasa) != key
    for col in ("delta", "breakdown", "odds_ratio", "n_treated"):
        assert T.column_label(col, bahasa) != col


@pytest.mark.parametrize(
    "term, bahasa, expected",
    [
        ("mbar=0.5", "id", "M̄ = 0,5"),
        ("mbar=2", "en", "M̄ = 2"),
        ("m=0.0347884", "id", "M = 0,035"),
        ("m=0.169657", "en", "M = 0.17"),
        ("m=1.50757", "id", "M = 1,51"),
    ],
)
def test_sensitivity_bounds_are_numbers_in_the_document_language(term, bahasa, expected):
    assert T.term_label(term, bahasa) == expected


def test_subgroup_terms_are_named_from_their_level_not_their_key():
    """``opd=dinas_x`` is an ASCII key of a data value; the table's ``level`` column holds
    the value itself, which is what the reader sees."""
    het = pd.DataFrame(
        {
            "term": ["opd=dinas_pendidikan", "jenis_jabatan=pelaksana"],
            "estimate": [1.0, 2.0],
            "subgroup": ["opd", "jenis_jabatan"],
            "level": ["Dinas Pendidikan", "pelaksana"],
        }
    )
    shown = T.label_values(het, "id")
    assert list(shown["term"]) == ["OPD: Dinas Pendidikan", "Jenis jabatan: Pelaksana"]
    html = table_html(het, columns=["term", "estimate"], bahasa="en")
    assert "OPD (unit): Dinas Pendidikan" in html and "Position type: Staff" in html
    assert "dinas_pendidikan" not in html and "Subgroup" not in html


def test_workbook_formats_each_headline_row_by_its_unit_and_words_flags():
    """One column holding a count, a percentage, a fraction and a score is formatted row
    by row; estimation flags are words; a shortened sheet name ends on a content word."""
    import io

    import openpyxl

    from kinerja_analysis.reporting import export
    from kinerja_analysis.reporting.notebook import sheet_title, workbook_frames, workbook_labels

    angka = pd.DataFrame(
        {
            "indikator": ["n_asn", "capaian_rerata", "pct_jp_di_bawah_20", "perilaku_rerata"],
            "nilai": [6000.0, 104.1, 0.4715, 3.81],
            "satuan": ["orang", "%", "fraksi", "skor 1–5"],
        }
    )
    angka.attrs.update(judul="Angka utama", bahasa="id")
    efek = pd.DataFrame(
        {
            "term": ["att_cs", "jenis_jabatan=pelaksana"],
            "estimate": [1.2, 0.8],
            "label": ["ATT (Callaway–Sant'Anna)", "jenis_jabatan = pelaksana"],
            "subgroup": [None, "jenis_jabatan"],
            "level": [None, "pelaksana"],
            "flags": ["ps_small_cohort", ""],
            "catatan": ["ps_small_cohort,ps_separation", "sebuah catatan, dalam kata"],
        }
    )
    efek.attrs.update(judul="Efek pelatihan terhadap capaian SKP", bahasa="en")
    sheets = workbook_frames({"angka": angka, "efek": efek})
    wb = openpyxl.load_workbook(
        io.BytesIO(export.xlsx_bytes(sheets, labels=workbook_labels(sheets)))
    )
    ws = wb["Angka utama"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(3, ws.max_row + 1)}
    assert cells["Jumlah ASN"].number_format == "#,##0"
    assert cells["Rata-rata capaian SKP (%)"].number_format == "0.0%"
    assert abs(cells["Rata-rata capaian SKP (%)"].value - 1.041) < 1e-12
    assert cells["ASN dengan JP < 20"].number_format == "0.0%"
    assert cells["Rata-rata skor perilaku (1–5)"].number_format == "#,##0.00"
    values = [c.value for row in wb.worksheets[1].iter_rows() for c in row]
    assert "small cohort: outcome regression instead of the propensity score" in values
    assert not any(isinstance(v, str) and "ps_small_cohort" in v for v in values)
    assert "sebuah catatan, dalam kata" in values  # a note in words is left as it is
    assert "Position type: Staff (pelaksana)" in values
    assert not any(isinstance(v, str) and ("jenis_jabatan" in v or "_" in v) for v in values)
    for title in (
        "Efek pelatihan terhadap capaian SKP per OPD",
        "Kesesuaian predikat resmi dan predikat terhitung",
        "Rating - output alone compared with output and behaviour",
    ):
        name = sheet_title(title)
        assert len(name) <= 31 and name.split()[-1] not in ("terhadap", "dan", "compared")
