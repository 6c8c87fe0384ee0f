"""Tests of the period narrative: evidence grading, wording, numbers, conventions, gaps.

All inputs are synthetic with hand-computed expectations (written in the comments).
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from kinerja_analysis.core.periods import period_label
from kinerja_analysis.reporting.fmt import number, percent
from kinerja_analysis.reporting.narrative import (
    Effect,
    PeriodFacts,
    Thresholds,
    effect_sentence,
    evidence_grade,
    icc_category,
    numbers_in_text,
    write_report,
)
from kinerja_analysis.reporting.text import FLAGS

PREDIKAT = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
KAUSAL_ID = ("meningkatkan", "menurunkan")
KAUSAL_EN = ("raised", "lowered")


def efek(**kw) -> Effect:
    base = dict(
        key="pelatihan_relevan",
        label_id="Pelatihan yang relevan",
        label_en="Relevant training",
        hasil_id="capaian SKP",
        hasil_en="SKP achievement",
        estimate=2.41,
        ci_low=1.10,
        ci_high=3.72,
        p_value=0.001,
        n_obs=6012,
        estimate_sd=0.21,
        design="kausal_did",
        pretrend_p=0.41,
        method="Callaway–Sant'Anna (doubly robust)",
    )
    base.update(kw)
    return Effect(**base)


DIST = pd.DataFrame({"predikat": PREDIKAT, "n": [601, 5012, 350, 46, 3]})
DIST_LALU = pd.DataFrame({"predikat": PREDIKAT, "n": [500, 5100, 380, 30, 2]})
KEPATUHAN = pd.DataFrame(
    {
        "opd": ["Dinas A", "Dinas A", "Dinas B", "Dinas B", "Dinas C"],
        "aturan": ["Baik paling banyak 70%", "ada Butuh Perbaikan"] * 2
        + ["Baik paling banyak 70%"],
        "patuh": [False, True, True, False, True],
        "selisih": [0.125, 0.0, 0.0, 0.031, 0.0],
    }
)
PROFIL = pd.DataFrame(
    {
        "dimensi": ["berorientasi_pelayanan", "akuntabel", "adaptif"],
        "skor": [4.12, 3.90, 3.71],
        "perubahan": [0.05, 0.0, -0.02],
    }
)
REL = pd.DataFrame(
    {
        "dimensi": ["akuntabel", "adaptif"],
        "icc1": [0.21, 0.35],
        "icc1k": [0.60, 0.72],
        "alpha_k": [0.20, 0.33],
    }
)


def fakta(efek_=(), bahasa="id", **kw) -> PeriodFacts:
    base = dict(
        periode="2025Q1",
        previous_periode="2024Q4",
        bahasa=bahasa,
        report_date="2026-11-28",
        n_pegawai=6012,
        n_opd=24,
        predikat_distribution=DIST,
        previous_distribution=DIST_LALU,
        distribution_compliance=KEPATUHAN,
        berakhlak_profile=PROFIL,
        reliability=REL,
        effects=tuple(efek_),
    )
    base.update(kw)
    return PeriodFacts(**base)


# ----------------------------------------------------------------------------- grading


@pytest.mark.parametrize(
    "kw, expected",
    [
        ({}, "jelas"),
        ({"pretrend_p": 0.05}, "jelas"),  # boundary: p >= 0.05 does not reject
        ({"pretrend_p": 0.049}, "indikatif"),  # CI excludes 0, pre-trend rejects
        ({"pretrend_p": None}, "indikatif"),  # DiD without a pre-trend test
        ({"pretrend_p": None, "design": "kausal_fe"}, "jelas"),
        ({"ci_low": -0.2, "p_value": 0.09}, "indikatif"),
        ({"ci_low": -0.2, "p_value": 0.10}, "belum_ada_bukti"),
        ({"ci_low": -0.2, "p_value": None}, "belum_ada_bukti"),
        ({"estimate": -1.2, "ci_low": -2.0, "ci_high": -0.4}, "jelas"),
        (
            {"estimate": float("nan"), "ci_low": float("nan"), "ci_high": float("nan")},
            "belum_ada_bukti",
        ),
    ],
)
def test_tingkat_bukti_rule(kw, expected):
    assert evidence_grade(efek(**kw)) == expected


# Boundaries of the evidence grade, exhaustively (issue 14 item 8). Each case states the
# rule it pins; together they fail if any comparison of the rule is loosened or shifted
# (e.g. "hi < 0" turned into "hi < 1", ">= alpha" into "> alpha").
_NEG = {"estimate": -0.4, "ci_low": -0.9}  # a negative estimate
GRADE_EDGES = [
    # the interval must exclude zero strictly, from either side
    ({"ci_low": 0.0, "p_value": 0.2}, "belum_ada_bukti"),  # lower bound touches zero
    ({"ci_low": 1e-9}, "jelas"),
    ({**_NEG, "ci_high": 0.0, "p_value": 0.2}, "belum_ada_bukti"),  # upper bound touches 0
    ({**_NEG, "ci_high": -1e-9}, "jelas"),
    ({**_NEG, "ci_high": 0.5, "p_value": 0.3}, "belum_ada_bukti"),  # "hi < 1" would pass
    ({**_NEG, "ci_high": 0.99, "p_value": 0.2}, "belum_ada_bukti"),
    ({"ci_low": -0.5, "ci_high": 0.99, "p_value": 0.2}, "belum_ada_bukti"),
    ({**_NEG, "ci_high": 0.5, "p_value": 0.09}, "indikatif"),  # p < 0.10 only
    # the pre-trend test: p exactly at alpha passes, just below fails
    ({"pretrend_p": 0.05}, "jelas"),
    ({"pretrend_p": 0.0499999}, "indikatif"),
    ({"pretrend_p": 0.0}, "indikatif"),
    ({"pretrend_p": 1.0}, "jelas"),
    # a missing pre-trend test caps a DiD, not a fixed-effects or associational design
    ({"pretrend_p": None}, "indikatif"),
    ({"pretrend_p": None, "design": "kausal_fe"}, "jelas"),
    ({"pretrend_p": None, "design": "asosiasi"}, "jelas"),
    ({"pretrend_p": 0.01, "design": "asosiasi"}, "indikatif"),  # given, it is checked
    # multiplicity: the Holm-adjusted p must be below alpha (exactly alpha is not)
    ({"p_adjusted": 0.049}, "jelas"),
    ({"p_adjusted": 0.05}, "indikatif"),
    ({"p_adjusted": 0.2}, "indikatif"),
    ({"p_value": 0.05, "p_adjusted": None}, "indikatif"),  # raw p used when not adjusted
    ({"p_value": None, "p_adjusted": None}, "jelas"),  # no p: the interval decides
    # the "indikatif" p threshold: strictly below 0.10
    ({"ci_low": -0.2, "p_value": 0.0999}, "indikatif"),
    ({"ci_low": -0.2, "p_value": 0.10}, "belum_ada_bukti"),
    # estimation flags: resolved by the stated rule -> no change; unresolved -> capped
    ({"flags": ("ps_separation", "ps_small_cohort")}, "jelas"),
    ({"flags": ("no_controls",)}, "indikatif"),
    # a missing estimate or bound is never evidence
    ({"ci_high": float("nan"), "p_value": 0.2}, "belum_ada_bukti"),
    ({"estimate": float("nan"), "p_value": 0.001}, "belum_ada_bukti"),
]


@pytest.mark.parametrize("kw, expected", GRADE_EDGES)
def test_evidence_grade_boundaries(kw, expected):
    assert evidence_grade(efek(**kw)) == expected


def test_evidence_grade_alpha_is_a_parameter():
    e = efek(p_adjusted=0.03, pretrend_p=0.02)
    assert evidence_grade(e) == "indikatif"
    assert evidence_grade(e, alpha=0.01) == "indikatif"  # Holm p 0.03 >= 0.01
    assert evidence_grade(efek(p_adjusted=0.03, pretrend_p=0.02), alpha=0.02) == "indikatif"
    assert evidence_grade(efek(p_adjusted=0.03), alpha=0.04) == "jelas"


def test_negative_uncertain_effect_never_reads_as_causal():
    e = efek(estimate=-0.4, ci_low=-0.9, ci_high=0.5, p_value=0.3)
    for b, verbs in (("id", KAUSAL_ID), ("en", KAUSAL_EN)):
        kal = effect_sentence(e, b)
        assert not any(v in kal for v in verbs), kal


def test_holm_demotion_and_sensitivity_sentences():
    # CI excludes zero and the pre-trend passes, but the Holm-adjusted p is 0.12
    e = efek(p_value=0.012, p_adjusted=0.12)
    kal = effect_sentence(e)
    assert kal.startswith("Ada indikasi bahwa pelatihan yang relevan")
    assert "koreksi Holm" in kal and "p = 0,120" in kal
    assert "Holm correction" in effect_sentence(e, "en")
    # the sensitivity sentence: present for a clear effect with a breakdown value
    s = efek(breakdown_rm=1.2345, program_id="pelatihan", program_en="training")
    lap = write_report(fakta([s]))
    want = (
        "Kesimpulan ini tetap berlaku selama pelanggaran tren setelah pelatihan tidak "
        "melebihi 1,23 kali pelanggaran terbesar sebelum pelatihan."
    )
    assert want in lap["hasil"]
    en = write_report(fakta([s], bahasa="en"))["hasil"]
    assert "does not exceed 1.23 times the largest violation before training" in en
    # and absent when there is no evidence, or no breakdown value
    none = efek(ci_low=-0.5, p_value=0.4, breakdown_rm=0.0, program_id="pelatihan")
    assert "Kesimpulan ini" not in write_report(fakta([none]))["hasil"]
    assert "Kesimpulan ini" not in write_report(fakta([efek()]))["hasil"]
    cens = efek(breakdown_rm=5.0, breakdown_rm_censored=True, program_id="pelatihan")
    assert "bahkan bila pelanggaran tren" in write_report(fakta([cens]))["hasil"]


def test_appendix_shows_raw_and_holm_p_and_estimation_notes():
    e1 = efek(p_value=0.012, p_adjusted=0.048, breakdown_rm=0.8, program_id="pelatihan")
    e2 = efek(key="umpan_balik_baik", label_id="Umpan balik baik", p_value=0.2, ci_low=-1.0,
              p_adjusted=0.4, design="kausal_fe", pretrend_p=None, flags=("ps_separation",))  # fmt: skip
    lamp = write_report(fakta([e1, e2]))["lampiran"]
    assert "| p | p (Holm) |" in lamp
    # the appendix gives each effect in two tables (size and evidence; tests and design)
    rows = [x for x in lamp.splitlines() if x.startswith("| Pelatihan yang relevan")]
    assert any("| 0,012 | 0,048 |" in r and "| 0,80 |" in r for r in rows), rows
    assert "koreksi Holm" in lamp or "Holm" in lamp
    assert "Catatan estimasi" in lamp and "Umpan balik baik" in lamp
    assert FLAGS["ps_separation"][0] in lamp  # the flag in words, from the registry
    assert "ps_separation" not in lamp


def test_power_recommendation_sentence():
    kk = {
        "pelatihan": {"mde": 1.5, "mde_sd": 0.12, "n_per_period": 150.0, "n_needed": 212.4,
                      "n_periods_recent": 4, "n_control": 2000,
                      "target_sd": 0.1, "per_id": "triwulan", "per_en": "quarter"},
        "umpan_balik": {"mde": 0.4, "mde_sd": 0.03},
    }  # fmt: skip
    rek = write_report(fakta(kekuatan=kk))["rekomendasi"]
    assert (
        "Untuk mendeteksi peningkatan 0,1 SD pada capaian SKP, diperlukan sekitar 212 ASN "
        "terlatih per triwulan"
    ) in rek
    assert "150 ASN terlatih per triwulan dalam 4 triwulan terakhir" in rek
    assert "1,50 poin (0,12 SD)" in rek and "seperti selama ini" not in rek
    assert "0,40 poin per sesi (0,03 SD)" in rek
    en = write_report(fakta(kekuatan=kk, bahasa="en"))["rekomendasi"]
    assert "about 212 trained ASN per quarter are needed" in en
    never = {**kk, "pelatihan": {**kk["pelatihan"], "n_needed": float("inf")}}
    assert "belum dapat dideteksi berapa pun" in write_report(fakta(kekuatan=never))["rekomendasi"]


@pytest.mark.parametrize(
    "icc, kata",
    [
        (0.49, "rendah"),
        (0.5, "sedang"),
        (0.749, "sedang"),
        (0.75, "baik"),
        (0.9, "baik"),
        (0.91, "sangat baik"),
    ],
)
def test_kategori_icc_koo_li(icc, kata):
    # Koo & Li (2016): < .5 poor, .5-.75 moderate, .75-.9 good, > .9 excellent
    assert icc_category(icc) == kata


def test_efek_validation():
    with pytest.raises(ValueError, match="design"):
        efek(design="kausal")
    with pytest.raises(ValueError, match="ci_low"):
        efek(ci_low=2.0, ci_high=1.0)
    with pytest.raises(ValueError, match="p_value"):
        efek(p_value=1.5)


# ----------------------------------------------------------------------------- wording


def test_clear_causal_effect_sentence_exact():
    assert effect_sentence(efek()) == (
        "Pelatihan yang relevan meningkatkan capaian SKP sebesar 2,41 poin "
        "(0,21 SD; IK 95%: 1,10 sampai 3,72)."
    )
    assert effect_sentence(efek(), "en") == (
        "Relevant training raised SKP achievement by 2.41 points (0.21 SD; 95% CI: 1.10 to 3.72)."
    )


def test_clear_effect_in_report():
    md = write_report(fakta([efek()])).markdown()
    assert "Pelatihan yang relevan meningkatkan capaian SKP sebesar 2,41 poin" in md
    assert "raised SKP achievement by 2.41 points" in write_report(fakta([efek()], "en")).markdown()


def test_ci_spanning_zero_no_causal_verb_anywhere():
    e = efek(estimate=0.4, ci_low=-0.5, ci_high=1.3, p_value=0.38, estimate_sd=0.03)
    md = write_report(fakta([e])).markdown()
    assert "Belum terdapat bukti bahwa pelatihan yang relevan memengaruhi capaian SKP" in md
    assert "IK 95%: -0,50 sampai 1,30" in md
    for verb in KAUSAL_ID:
        assert verb not in md.lower()
    md_en = write_report(fakta([e], "en")).markdown()
    assert "There is no evidence yet that relevant training affects SKP achievement" in md_en
    for verb in KAUSAL_EN:
        assert verb not in md_en.lower()


def test_negative_clear_effect_lowers():
    e = efek(
        key="umpan_balik_buruk",
        label_id="Umpan balik berkualitas buruk",
        label_en="Poor-quality feedback",
        estimate=-1.2,
        ci_low=-2.0,
        ci_high=-0.4,
        estimate_sd=-0.1,
        design="kausal_fe",
        pretrend_p=None,
    )
    s = effect_sentence(e)
    assert s == (
        "Umpan balik berkualitas buruk menurunkan capaian SKP sebesar 1,20 poin "
        "(0,10 SD; IK 95%: -2,00 sampai -0,40)."
    )
    assert "meningkatkan" not in s
    assert effect_sentence(e, "en").startswith(
        "Poor-quality feedback lowered SKP achievement by 1.20"
    )


def test_association_never_causal():
    for est, lo, hi in [(0.3, 0.1, 0.5), (-0.3, -0.5, -0.1), (0.3, -0.02, 0.6)]:
        e = efek(
            key="pelatihan_komunikasi",
            label_id="Pelatihan komunikasi",
            label_en="Communication training",
            hasil_id="kepercayaan diri",
            hasil_en="confidence",
            estimate=est,
            ci_low=lo,
            ci_high=hi,
            p_value=0.01 if lo * hi > 0 else 0.07,
            design="asosiasi",
            pretrend_p=None,
        )
        md = write_report(fakta([e])).markdown().lower()
        md_en = write_report(fakta([e], "en")).markdown().lower()
        assert "berkaitan dengan kepercayaan diri" in md
        assert "associated with" in md_en
        for verb in KAUSAL_ID:
            assert verb not in md
        for verb in KAUSAL_EN:
            assert verb not in md_en


def test_failed_pretrend_is_indicative_not_causal():
    e = efek(pretrend_p=0.01)
    s = effect_sentence(e)
    assert s.startswith("Ada indikasi bahwa pelatihan yang relevan cenderung")
    assert "uji tren sebelum program menolak asumsi tren sejajar (p = 0,010)" in s
    assert "meningkatkan" not in s
    s_en = effect_sentence(e, "en")
    assert s_en.startswith("There is some indication that relevant training tends to be")
    assert "raised" not in s_en


# ----------------------------------------------------------------------------- numbers


def _ok_numbers(f: PeriodFacts, efek_: list[Effect]) -> set[str]:
    """Every number the Hasil section may print, formatted independently from the inputs."""
    b = f.bahasa
    ok: set[str] = set()

    def add_pct(x):
        ok.add(percent(x, 1, b).rstrip("%"))

    # distribution: counts, shares, changes in points of the printed (rounded) percentages
    n = DIST["n"]
    ok.add(number(int(n.sum()), 0, b))
    for v in n:
        ok.add(number(int(v), 0, b))
    share = n / n.sum()
    share_prev = DIST_LALU["n"] / DIST_LALU["n"].sum()
    for s, sp in zip(share, share_prev, strict=True):
        add_pct(s)
        d = round(float(f"{s * 100:.1f}") - float(f"{sp * 100:.1f}"), 1)
        ok.add(number(abs(d), 1, b))
    # conformity
    ok.add(number(KEPATUHAN["opd"].nunique(), 0, b))
    ok.add(number(int((~KEPATUHAN.groupby("opd")["patuh"].all()).sum()), 0, b))
    ok.add(number(KEPATUHAN["selisih"].max() * 100, 1, b))
    ok.update(re.findall(r"\d+", " ".join(KEPATUHAN["aturan"])))
    # profile and reliability
    for v in PROFIL["skor"]:
        ok.add(number(v, 2, b))
    for v in PROFIL["perubahan"]:
        ok.add(number(abs(v), 2, b))
    for c in ("icc1", "icc1k", "alpha_k"):
        for v in REL[c]:
            ok.add(number(v, 2, b))
    # effects
    for e in efek_:
        for v in (e.estimate, e.ci_low, e.ci_high, e.estimate_sd):
            if v is not None:
                ok.add(number(v, 2, b))
                ok.add(number(abs(v), 2, b))
        for p in (e.p_value, e.pretrend_p):
            if p is not None:
                ok.add(number(p, 3, b))
    # periods, the regulation SE MenPAN-RB 3/2023, the 95% interval, p < 0,001, min_sel
    for kode in (f.periode, f.previous_periode):  # "Quarter 1 2025" has two numbers
        ok.update(re.findall(r"\d+", period_label(kode, b)))
    ok.update({"3", "2023", "95", number(0.001, 3, b), str(f.min_sel)})
    return ok


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_every_number_in_hasil_comes_from_inputs(bahasa):
    ef = [
        efek(),
        efek(key="x", estimate=0.4, ci_low=-0.5, ci_high=1.3, p_value=0.38, estimate_sd=0.03),
        efek(key="y", estimate=-3.0, ci_low=-6.0, ci_high=0.5, p_value=0.08, pretrend_p=0.3),
    ]
    f = fakta(ef, bahasa)
    lap = write_report(f)
    nums = numbers_in_text(lap, "hasil")
    assert len(nums) > 20
    ok = _ok_numbers(f, ef)
    stray = [x for x in nums if x not in ok]
    assert stray == [], f"numbers not derivable from the inputs: {stray}"
    # and the key inputs are actually stated
    hasil = lap["hasil"]
    for must in (
        number(6012, 0, bahasa),
        percent(601 / 6012, 1, bahasa),
        "2" + ("," if bahasa == "id" else ".") + "41",
    ):
        assert must in hasil


def test_distribution_change_in_points_hand_computed():
    # 601/6012 = 9.997% -> 10.0; 500/6012 = 8.317% -> 8.3; change +1.7 points
    # 5012/6012 = 83.367% -> 83.4; 5100/6012 = 84.830% -> 84.8; change -1.4 points
    hasil = write_report(fakta())["hasil"]
    assert "**Sangat Baik**: 601 ASN (10,0%); naik 1,7 poin." in hasil
    assert "**Baik**: 5.012 ASN (83,4%); turun 1,4 poin." in hasil
    assert "Triwulan IV 2024" in hasil


def test_conformity_and_profile_and_reliability_sentences():
    hasil = write_report(fakta())["hasil"]
    # OPD A breaks one rule (12.5 pts), OPD B one (3.1 pts), OPD C none -> 2 of 3
    assert "Dari 3 OPD yang dapat dinilai, 2 belum memenuhi" in hasil
    assert "Dinas A" in hasil and "12,5 poin persentase" in hasil
    assert "**Berorientasi Pelayanan** (4,12; naik 0,05" in hasil
    assert "**Adaptif** (3,71; turun 0,02" in hasil
    # ICC(1) 0.21-0.35 -> rendah; ICC(1,k) 0.60-0.72 -> sedang
    assert "tergolong **rendah** (ICC 0,21–0,35)" in hasil
    assert "tergolong **sedang** (ICC 0,60–0,72)" in hasil


def test_small_predikat_cells_suppressed_with_complement():
    hasil = write_report(fakta())["hasil"]
    # Sangat Kurang has 3 ASN (< 5): hidden, and the next-smallest (46) hidden with it
    assert "**Sangat Kurang**: tidak ditampilkan" in hasil
    assert "**Kurang/Misconduct**: tidak ditampilkan" in hasil
    assert " 3 ASN" not in hasil and "46 ASN" not in hasil


def test_indonesian_conventions():
    f = fakta(
        [efek()],
        pelatihan={"pct_di_bawah_20jp": 0.125, "jp_per_asn": 14.0},
    )
    md = write_report(f).markdown()
    for s in ("0,21", "6.012", "12,5%", "Triwulan I 2025", "28 November 2026"):
        assert s in md, s
    md_en = write_report(fakta([efek()], "en", pelatihan={"pct_di_bawah_20jp": 0.125})).markdown()
    for s in ("0.21", "6,012", "12.5%", "Quarter 1 2025", "28 November 2026"):
        assert s in md_en, s


def test_fakta_angka_extracts_numbers():
    teks = "Ada 6.012 ASN; 12,5% di bawah 20 JP, IK 95%: -1,10 sampai 3,72. Triwulan I 2025."
    assert numbers_in_text(teks, bahasa="id") == [
        "6.012",
        "12,5",
        "20",
        "95",
        "-1,10",
        "3,72",
        "2025",
    ]
    assert numbers_in_text("6,012 ASN and 0.21 SD.", bahasa="en") == ["6,012", "0.21"]


# ----------------------------------------------------------------------------- structure, gaps


def test_sections_in_seed_order_with_headings():
    lap = write_report(fakta())
    md = lap.markdown()
    heads = re.findall(r"^## (.+)$", md, flags=re.M)
    assert heads == [
        "Ringkasan Eksekutif",
        "Pendahuluan",
        "Tujuan Evaluasi",
        "Metode Evaluasi",
        "Hasil dan Temuan",
        "Tantangan",
        "Rekomendasi",
        "Kesimpulan",
        "Lampiran A. Metode dan Data",
        "Lampiran B. Tabel Rinci per OPD",
    ]
    heads_en = re.findall(r"^## (.+)$", write_report(fakta(bahasa="en")).markdown(), flags=re.M)
    assert heads_en == [
        "Executive Summary",
        "Introduction",
        "Objectives",
        "Methods",
        "Results and Findings",
        "Challenges",
        "Recommendations",
        "Conclusion",
        "Appendix A. Methods and Data",
        "Appendix B. Detailed Tables by Unit (OPD)",
    ]
    tidy = lap.tidy()
    assert tidy.columns.tolist() == ["key", "title", "text"] and tidy["key"][0] == "ringkasan"


def test_old_names_of_the_report_read_for_a_release():
    lap = write_report(fakta())
    with pytest.warns(DeprecationWarning, match="Report.bagian_markdown is deprecated") as w:
        assert lap.bagian_markdown("hasil") == lap.section_markdown("hasil")
    assert w[0].filename == __file__
    with pytest.warns(DeprecationWarning, match=r"Report.tidy\(\): column 'teks'"):
        assert lap.tidy()["teks"].tolist() == [b.text for b in lap.sections]
    # the old names are not offered (dir, JupyterLab's completion)
    assert "bagian_markdown" not in dir(lap) and "judul" not in dir(lap)
    assert "section_markdown" in dir(lap) and "title" in dir(lap)


def test_contents_link_every_section_heading():
    lap = write_report(fakta())
    toc = lap.contents_html()
    targets = re.findall(r'href="#([^"]+)"', toc)
    ids = [re.search(r'<h2 id="([^"]+)"', lap.heading_html(b.key)).group(1) for b in lap.sections]
    assert targets == ids and len(set(ids)) == len(ids)
    assert "Daftar Isi" in toc and "Contents" in write_report(fakta(bahasa="en")).contents_html()
    # the sections that start a printed page say so; a hostile title would be escaped
    assert 'class="halaman-baru"' in lap.heading_html("pendahuluan")
    assert 'class="halaman-baru"' not in lap.heading_html("hasil")
    assert "<" not in lap.section_markdown("hasil")  # the Markdown itself holds no HTML


def test_executive_summary_five_findings_with_grade_and_recommendation():
    e_relevan = efek(key="pelatihan_relevan")
    lap = write_report(
        fakta(
            [efek(key="pelatihan"), e_relevan],
            pelatihan={"pct_di_bawah_20jp": 0.40, "pct_mandiri_tidak_sesuai": 0.30},
        )
    )
    ring = lap["ringkasan"]
    items = re.findall(r"^\d+\. \*\*(.+?)\.\*\*", ring, flags=re.M)
    assert len(items) == 5 == len(lap.findings)
    # every finding states its level of evidence and what it supports
    assert ring.count("*Tingkat bukti:") == 5
    assert ring.count("rekomendasi") >= 3
    # the training finding carries the estimate's own sentence and grade
    assert effect_sentence(efek(key="pelatihan")) in ring
    assert "*Tingkat bukti: jelas.*" in ring
    # a referenced recommendation has the same number in the Rekomendasi section
    for nomor, judul in re.findall(r"Mendukung rekomendasi (\d+): ([^.*]+)", ring):
        assert re.search(rf"^{nomor}\. \*\*{re.escape(judul)}", lap["rekomendasi"], flags=re.M)
    assert write_report(fakta(bahasa="en"))["ringkasan"].count("*Evidence:") >= 1


def test_conclusion_never_counts_zero():
    none = efek(key="pelatihan_mandiri", ci_low=-1.0, p_value=0.5)
    lap = write_report(fakta([efek(), none]))
    kes = lap["kesimpulan"]
    assert " 0 " not in kes and "0 baru berupa indikasi" not in kes
    assert "1 didukung bukti yang jelas dan 1 belum menunjukkan bukti" in kes


def test_single_opd_document_speaks_of_that_opd():
    f = fakta()
    k = f.distribution_compliance
    one = k[k["opd"] == k["opd"].iloc[0]]
    lap = write_report(dataclasses.replace(f, distribution_compliance=one, n_opd=1))
    assert "Dari 1 OPD" not in lap.markdown() and "1 OPD belum" not in lap.markdown()
    assert "Sebaran predikat di OPD ini belum memenuhi ketentuan" in lap["hasil"]


@pytest.mark.parametrize("bahasa, kata", [("id", "belum tersedia"), ("en", "not available")])
def test_missing_parts_say_not_available(bahasa, kata):
    f = PeriodFacts(
        periode="2025Q1", bahasa=bahasa, report_date="2026-11-28", n_pegawai=10, n_opd=2
    )
    lap = write_report(f)
    # Hasil: distribution, conformity, profile, reliability, effects -> 5 statements
    assert lap["hasil"].count(kata) == 5
    # Tantangan: resistance, training resources, self-sought training -> 3
    assert lap["tantangan"].count(kata) == 3
    assert kata in lap["lampiran"]
    assert lap.recommendations == ()
    # no number may appear in Hasil when nothing was given
    assert numbers_in_text(lap, "hasil") == ["3", "2023"]  # only "SE MenPAN-RB 3/2023" in a heading


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="missing column"):
        fakta(predikat_distribution=pd.DataFrame({"predikat": ["Baik"]}))
    with pytest.raises(ValueError, match="fractions"):
        fakta(predikat_distribution=DIST.assign(persen=[10.0, 83.0, 5.8, 0.8, 0.05]))
    with pytest.raises(ValueError, match="periode"):
        fakta(periode="2025-1")


# ----------------------------------------------------------------------------- recommendations


def test_recommendations_follow_findings_only():
    no_ev = efek(key="pelatihan_difasilitasi", estimate=0.4, ci_low=-0.5, ci_high=1.3, p_value=0.4)
    f = fakta([no_ev], pelatihan={"pct_di_bawah_20jp": 0.10})
    lap = write_report(f)
    assert "pelatihan_difasilitasi" not in lap.recommendations  # no effect, 10% < 25%
    assert "umpan_balik" not in lap.recommendations
    # clear facilitated effect -> recommended; so is a substantial JP shortfall on its own
    assert (
        "pelatihan_difasilitasi"
        in write_report(fakta([efek(key="pelatihan_difasilitasi")])).recommendations
    )
    lap2 = write_report(fakta([no_ev], pelatihan={"pct_di_bawah_20jp": 0.43}))
    assert "pelatihan_difasilitasi" in lap2.recommendations
    assert "43,0% ASN belum mencapai hak 20 JP" in lap2["rekomendasi"]
    # poor feedback share above the threshold in one OPD -> feedback recommendation naming it
    ub = pd.DataFrame(
        {
            "opd": ["Dinas A", "Dinas B", "Dinas Kecil"],
            "pct_tanpa_umpan_balik": [0.1, 0.1, 0.9],
            "pct_kualitas_buruk": [0.35, 0.05, 0.9],
            "n": [100, 200, 3],
        }
    )
    lap3 = write_report(fakta(umpan_balik_needed=ub))
    assert "umpan_balik" in lap3.recommendations
    assert "Dinas A (35,0%)" in lap3["rekomendasi"]
    assert "Dinas Kecil" not in lap3.markdown()  # 3 ASN: below min_sel, never named
    # a higher threshold silences it
    lap4 = write_report(
        fakta(umpan_balik_needed=ub, thresholds=Thresholds(poor_umpan_balik_share=0.5))
    )
    assert "umpan_balik" not in lap4.recommendations


def test_rollout_without_evidence_is_not_claimed():
    e = efek(
        key="penerapan_ikm",
        label_id="Penerapan sistem evaluasi terstruktur",
        label_en="The structured evaluation system",
        hasil_id="IKM",
        hasil_en="IKM",
        estimate=1.5,
        ci_low=-0.8,
        ci_high=3.8,
        p_value=0.2,
    )
    lap = write_report(fakta([e]))
    assert "Teruskan pemantauan" in lap["rekomendasi"]
    assert "Lanjutkan dan perluas" not in lap["rekomendasi"]
    assert "belum menunjukkan bukti" in lap["kesimpulan"]
    assert "manfaat dari" not in lap["kesimpulan"]


def test_reward_pool_by_criteria_with_small_counts_hidden():
    kp = pd.DataFrame(
        {"kriteria": ["Sangat Baik dua periode", "Capaian di atas 110%"], "n": [120, 3]}
    )
    r = write_report(fakta(kandidat_penghargaan=kp))["rekomendasi"]
    assert "Sangat Baik dua periode: 120 ASN" in r
    assert "Capaian di atas 110%: kurang dari 5 ASN" in r


def test_mismatched_training_challenge_compares_estimates():
    rel = efek()
    ts = efek(
        key="pelatihan_tidak_sesuai",
        label_id="Pelatihan mandiri yang tidak sesuai",
        label_en="Mismatched self-sought training",
        estimate=0.4,
        ci_low=-0.5,
        ci_high=1.3,
        p_value=0.38,
    )
    t = write_report(fakta([rel, ts], pelatihan={"pct_mandiri_tidak_sesuai": 0.41}))["tantangan"]
    assert "41,0% pelatihan mandiri tidak sesuai" in t
    assert (
        "(0,40 poin) lebih kecil daripada perkiraan untuk pelatihan yang relevan (2,41 poin)" in t
    )
    assert "belum diuji secara formal" in t


def test_compiled_templates_are_cached_and_a_cache_that_cannot_be_written_is_no_error(tmp_path):
    """The narrative's templates go through Jinja's bytecode cache; when the cache
    cannot be written (missing, read-only or full disk) the template is compiled and
    rendered all the same."""
    import jinja2

    from kinerja_analysis.reporting.narrative import _env, bytecode_cache

    assert _env("id").bytecode_cache is not None
    cache = bytecode_cache()
    cache.directory = str(tmp_path / "does-not-exist")
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": "{{ x }} ok"}), bytecode_cache=cache)
    assert env.get_template("t.j2").render(x=1) == "1 ok"
    assert not (tmp_path / "does-not-exist").exists()

    cache.directory = str(tmp_path)
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": "{{ x }} ok"}), bytecode_cache=cache)
    assert env.get_template("t.j2").render(x=2) == "2 ok"
    assert len(list(tmp_path.iterdir())) == 1  # written once, keyed by the source


def test_one_opd_document_never_ranks_the_opd_against_itself(city_1500):
    """In a document of one OPD the narrative names no "lowest"/"most often" OPD (a
    ranking of one), while the city's document of the same period may."""
    from kinerja_analysis.reporting.facts import period_facts
    from kinerja_analysis.reporting.narrative import write_report

    ds, h = city_1500.ds, city_1500.shared
    periode = h.periode_akhir
    opds = ds.pegawai["opd"].value_counts().index[:3]
    phrases = ("It is lowest in", "lowest in these units", "reported most often in")
    for opd in opds:
        text = write_report(period_facts(ds, h, periode, bahasa="en", opd=opd)).markdown()
        for p in phrases:
            assert p not in text, (opd, p)
    city = write_report(period_facts(ds, h, periode, bahasa="en")).markdown()
    assert any(p in city for p in phrases)


def test_scope_words_follow_the_document():
    from kinerja_analysis.reporting.text import output_vs_competency_sentence

    rows = pd.DataFrame({"arah": ["Naik", "Tetap"], "n": [12, 300]})
    city = output_vs_competency_sentence(rows, "en", 5)
    assert "across all OPDs" in city
    one = output_vs_competency_sentence(rows, "id", 5, opd="Dinas *Kesehatan*")
    assert "di Dinas \\*Kesehatan\\*" in one and "seluruh OPD" not in one


@pytest.mark.parametrize("bahasa", ["id", "en"])
def test_a_period_without_any_predikat_says_so(bahasa):
    """A period whose SKP rows were all rejected: no "0 ASN obtained a predikat; most
    often Sangat Baik (–)" and no "all 0 units conform"."""
    lap = write_report(
        fakta(
            bahasa=bahasa,
            predikat_distribution=DIST.assign(n=0),
            distribution_compliance=KEPATUHAN.iloc[0:0],
        )
    )
    text = " ".join(s.text for s in lap.sections)
    assert ("belum tersedia" if bahasa == "id" else "not available") in text
    assert "(0 OPD)" not in text and " 0 ASN" not in text
    assert ("yang terbanyak" if bahasa == "id" else "the most common") not in text
    assert ("belum dapat dinilai" if bahasa == "id" else "cannot be assessed") in text


def test_the_appendix_says_suppression_is_off_when_min_sel_is_one():
    """A fourth tester (t10 N9): with ``--min-sel 1`` the appendix promised "groups of
    fewer than 1 ASN are not shown ... so that no employee can be identified"."""
    for bahasa, off, on in (
        ("id", "dimatikan untuk dokumen ini (min_sel = 1)", "kurang dari 5 ASN"),
        ("en", "switched off for this document (min_sel = 1)", "fewer than 5 ASN"),
    ):
        lamp = write_report(fakta(bahasa=bahasa, min_sel=1))["lampiran"]
        assert off in lamp and "1 ASN tidak" not in lamp and "fewer than 1 ASN" not in lamp
        assert on in write_report(fakta(bahasa=bahasa, min_sel=5))["lampiran"]
