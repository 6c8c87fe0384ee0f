"""Every label a person reads is a word: no raw key in any document of the batch.

The label registry (:mod:`kinerja_analysis.reporting.text`) names every column, term,
dimension, rule, value and parameter in Indonesian and English. These tests scan what a
person reads in every HTML, PDF and XLSX file of a synthetic batch (Indonesian, and
English for the last period) for machine keys — snake_case tokens, ``key=value``
terms, result-column names — and the English documents for Indonesian sentences.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from synthetic_reports import visible_text

from kinerja_analysis.reporting.text import (
    COLUMNS,
    DIMENSIONS,
    RULES,
    TERMS,
    VALUES,
    column_label,
    display_frame,
    rule_label,
    term_label,
    value_label,
)

pytestmark = pytest.mark.slow

#: A machine key in visible text: a lower-case snake_case token or a ``key=value`` term.
RAW_KEY = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:=[\w-]+)?(?![\w-])")
#: Keys and fragments the issue found in documents; none may appear anywhere.
BANNED = (
    "berorientasi_pelayanan",
    "n_umpan_balik_lag1",
    "tepat_waktu_pct",
    "pengaduan_per_1000",
    "std_error",
    "p_value",
    "ci_low",
    "ci_high",
    "kunci_unik",
    "e<-1",
    "Provenans",
    "p 0,000",
    "p 0.000",
    "p = 0,000",
    "p = 0.000",
)
#: Result-column names that are English words: banned as whole words in Indonesian
#: documents (in English ones they are ordinary words).
BANNED_WORDS = ("estimate", "converged", "statistic", "outcome", "term")
#: Indonesian function words that never belong in an English sentence of ours.
INDONESIAN_WORDS = (
    "yang", "dan", "dengan", "untuk", "tidak", "dari", "pada", "paling", "belum",
    "adalah", "sebesar", "banyak", "sedikit", "sampai", "periode", "Triwulan", "Halaman",
)  # fmt: skip


@pytest.fixture(scope="module")
def reports(synthetic_reports):
    return synthetic_reports


@pytest.fixture(scope="module")
def texts(reports):
    files = [f for s in (".html", ".pdf", ".xlsx") for f in reports.files(s)]
    assert len(files) >= 3 * 9, files  # every notebook of the batch, in three formats
    return {f: visible_text(f) for f in files}


def test_no_raw_key_in_any_document(texts, reports):
    problems = []
    for path, text in texts.items():
        found = set(RAW_KEY.findall(text)) | {b for b in BANNED if b in text}
        if reports.out_id in path.parents:  # English words of result columns, in Indonesian
            found |= {w for w in BANNED_WORDS if re.search(rf"\b{w}\b", text)}
        if found:
            problems.append(f"{path.relative_to(path.parents[2])}: {sorted(found)[:12]}")
    assert not problems, "\n".join(problems)


def test_english_documents_have_no_indonesian_sentences(texts, reports):
    """In English, only data (OPD names, survey statements) and regulation names stay
    Indonesian: no Indonesian function word outside them."""
    from kinerja_analysis import load_dataset

    ds = load_dataset(reports.data_dir)
    data_words = sorted(
        {*ds.pegawai["opd"].unique(), *ds.tables["survei_instrumen"]["teks"].astype(str)},
        key=len,
        reverse=True,
    )
    problems = []
    for path, text in texts.items():
        if reports.out_en not in path.parents:
            continue
        text = re.sub(r"\s+", " ", text)  # a PDF breaks lines inside names
        for w in data_words:
            text = text.replace(re.sub(r"\s+", " ", w), " ")
        hits = sorted({w for w in INDONESIAN_WORDS if re.search(rf"\b{w}\b", text)})
        if hits:
            where = [
                text[max(0, m.start() - 60) : m.end() + 60]
                for w in hits[:2]
                for m in [re.search(rf"\b{w}\b", text)]
            ]
            problems.append(f"{path.name}: {hits} … {where}")
    assert not problems, "\n".join(problems)


def test_workbook_headers_come_from_the_registry(reports):
    """Every column header of every workbook is a registry label (not a key humanised:
    "P adjusted" or "Srmr nomean" in an Indonesian workbook)."""
    import openpyxl

    words = {c.id for c in COLUMNS.values()} | {c.en for c in COLUMNS.values()}
    for table in (DIMENSIONS, TERMS, VALUES):
        words |= {w for pair in table.values() for w in pair}
    problems = []
    for path in reports.files(".xlsx"):
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=1, max_row=10, values_only=True):
                heads = [v for v in row if isinstance(v, str)]
                if len(heads) >= 3:  # the header row: the first with three texts
                    bad = [
                        h
                        for h in heads
                        if h not in words and not h.startswith(("Sesi ", "Sessions: "))
                    ]
                    if bad:
                        problems.append(f"{path.name}/{ws.title}: {bad}")
                    break
    assert not problems, "\n".join(problems)


def test_decimal_comma_and_p_values_in_indonesian_pdf(texts, reports):
    pdf = reports.out_id / reports.last / f"laporan_periode_{reports.last}.pdf"
    text = texts[pdf]
    assert re.search(r"\d,\d", text)
    assert not re.search(r"\bp\s*=?\s*0[.,]000\b", text)


# ----------------------------------------------------------------------------- registry


def test_registry_has_both_languages_and_words():
    for table in (DIMENSIONS, TERMS, VALUES, RULES):
        for key, (ind, eng) in table.items():
            assert ind and eng, key
            assert not RAW_KEY.search(ind) and not RAW_KEY.search(eng), key
    for key, c in COLUMNS.items():
        assert not RAW_KEY.search(c.id) and not RAW_KEY.search(c.en), key


@pytest.mark.parametrize(
    "fn, key, id_, en",
    [
        (column_label, "tepat_waktu_pct", "Layanan tepat waktu (%)", "Services on time (%)"),
        (term_label, "n_umpan_balik_lag1", "Sesi umpan balik periode sebelumnya", None),
        (term_label, "e=-3", "3 periode sebelum", "3 periods before"),
        (term_label, "sumber_pertama=mandiri", "Sumber pelatihan pertama: Mandiri", None),
        (term_label, "periode_2024Q3", "Periode: Triwulan III 2024", None),
        (term_label, "pretrend_mean_pre", None, "Mean before the roll-out"),
        (rule_label, "kunci_unik", "Baris ganda (kunci harus unik)", None),
        (rule_label, "referensi:pegawai", "Tidak ada di tabel Pegawai", None),
        (rule_label, "Baik paling banyak 70%", "Baik paling banyak 70%", "At most 70% Good"),
        (value_label, "berorientasi_pelayanan", "Berorientasi Pelayanan", "Service Orientation"),
    ],
)
def test_labels_of_known_keys(fn, key, id_, en):
    if id_ is not None:
        assert fn(key, "id").startswith(id_)
    if en is not None:
        assert fn(key, "en").startswith(en)


def test_unknown_keys_are_never_shown_raw():
    assert "_" not in column_label("kolom_baru_sekali") and "_" not in rule_label("aturan_baru")
    d = pd.DataFrame(
        {
            "dimensi": ["berorientasi_pelayanan"],
            "term": ["n_baik_lag1"],
            "tepat_waktu_pct": [91.25],
            "p_value": [0.00001],
        }
    )
    shown, kinds = display_frame(d, "en")
    assert list(shown.columns) == ["BerAKHLAK value", "Quantity", "Services on time (%)", "p"]
    assert shown.iloc[0, 0] == "Service Orientation" and kinds["p"] == ("p", 2)
