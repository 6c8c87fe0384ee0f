"""Synthetic city *Kota Kotalama*: every canonical table, with a planted, known truth.

:func:`generate` builds a seeded, fully synthetic dataset that follows the data contract
(:mod:`kinerja_analysis.contract`) exactly, together with the ground truth the project's
estimators are tested against; :func:`write_dataset` writes it as a dataset folder.
Every effect size below is a field of :class:`SynthConfig` and is copied to
``truth.json``. Names, NIPs and people are invented.

The city
--------
About 35 OPDs (dinas, badan, sekretariat and 6-8 kecamatan; fewer for small ``n``),
uneven in size (Dinas Pendidikan, Dinas Kesehatan and the RSUD are large). Each OPD has
one JPT head, administrators (~3 %), pengawas (~10 %), pelaksana (~45 %) and fungsional
(~40 %). Supervisors: JPT -> the Sekretaris Daerah (who has none), administrator -> the
OPD's JPT, pengawas -> an administrator, staff -> a pengawas. NIP = birth date + CPNS
month + gender digit + sequence, consistent with ``tanggal_lahir``, ``tmt_cpns`` and
``jenis_kelamin``; golongan follows the position, education and tenure.

Latent model (i = employee, t = period, d = BerAKHLAK dimension, o = OPD)
-----------------------------------------------------------------------
* ability ``a_i ~ N(0,1)``, motivation ``m_i ~ N(0,1)``, ``corr(a, m) = rho_am``;
  competence ``c_id = 0.5 a_i + N(0, 0.8^2)``; the weakest dimension is
  ``argmin_d c_id``. OPD resistance to change ``r_o ~ N(0,1)``.
* performance index ``P_it = 0.6 a_i + 0.4 m_i + trend*t + tau_it + phi_it + eps_it``,
  ``eps_it ~ N(0, sd_eps^2)``.
* SKP: 2-4 indicators per employee, each with kuantitas, kualitas and waktu rows.
  Aspect capaian ``= capaian_base + 10 P_it + N(0, 4^2)`` (indicator) ``+ N(0, 2^2)``
  (aspect); kuantitas/kualitas ``realisasi = target x capaian/100``, waktu (less is
  better) ``realisasi = target x (2 - capaian/100)`` so that the PermenPAN-RB 8/2021
  formula returns the capaian. Whole employee-periods are missing with a probability
  that rises with the OPD's resistance.
* Training (``pelatihan``): no training in the first period; the first training's period
  ``g_i`` (absorbing treatment) has a discrete hazard
  ``logit h_it = logit(h0 * decay^(t-1)) + beta_m m_i`` - self-selection on motivation,
  which shifts levels only, so parallel trends hold while naive treated-vs-untreated
  comparisons are biased upward. The first training is ``difasilitasi`` or ``mandiri``;
  its relevance class is ``relevan`` (targets the weakest dimension), ``lain`` (another
  BerAKHLAK dimension) or ``tidak_sesuai`` (a competency the job does not need; far
  more often for mandiri). Effect on P:
  ``tau_it = effect[class] * ramp(t - g) * (1 + early_boost * (G_last - g)/(G_last - G_first))``
  for ``t >= g`` with ``ramp(0) = 0.5``, ``ramp(e >= 1) = 1`` - heterogeneous over
  cohorts and time, so two-way fixed effects is biased. Later trainings add JP but no
  further effect on P. The first training also raises the rating of its target
  dimension (``behav_effect_*``, rating units, same ramp). A communication training
  ("Pelatihan Komunikasi Pelayanan Publik") raises survey ``percaya_diri`` by
  ``komunikasi_pd_effect`` latent SD and the ``berorientasi_pelayanan`` rating by
  ``komunikasi_behav_effect`` from its period on.
* Feedback (``umpan_balik``): sessions ``~ Poisson(rate_s x rollout_mult)`` with a
  supervisor rate ``rate_s ~ Gamma(2, mean/2)``; quality
  ``clip(round(3 + skill_s + N(0,1)), 1, 5)`` (about a third of sessions <= 2).
  ``phi_it = fb_good x #good_{i,t-1} + fb_poor x #poor_{i,t-1}`` (good: quality >= 4,
  poor: <= 2). With ``reverse_timing > 0`` supervisors add
  ``Poisson(reverse_timing x max(0, P_{t-2} - P_{t-1}))`` sessions after a drop.
* 360-degree ratings (``perilaku``): atasan, 2-3 rekan (same supervisor), up to 2
  bawahan and diri rate every dimension:
  ``skor = clip(round(perilaku_base + 0.6 b_idt + leniency_r + role_bias + N(0, 0.5^2)), 1, 5)``
  with ``b_idt = c_id`` plus training effects, ``leniency_r ~ N(0, 0.35^2)`` per rater
  and role bias rekan +0.2, bawahan +0.1, diri +0.5, atasan 0.
* Structured evaluation rollout (``penerapan``/``layanan``): staggered by OPD from the
  second period, about 20 % of OPDs never. Per OPD-period: the nine IKM elements
  ``u_k = ikm_element_mean (3.2) + OPD effect + trend + N(0, 0.06^2) + ikm_effect/25 x D_ot``
  (IKM = 25 x mean, about 80), ``tepat_waktu_pct`` (+5 points), complaints ``Poisson`` thinned by 15 % after
  rollout (common random numbers, so potential outcomes are coupled).
* Survey: about 70 % respond each period; five constructs x four items (the fourth
  reversed, stored as answered). Item ``y* = mu + loading x eta + sqrt(1 - loading^2) e``
  cut at fixed thresholds into 1-5; about 2 % item non-response. The untreated latents
  (standardised to SD 1) are driven by: motivasi - ``m_i``; percaya_diri - a trait;
  penerimaan_sistem - minus the OPD's resistance; kualitas_umpan_balik - the running mean
  quality of feedback received; relevansi_pelatihan - the running mean relevance of the
  trainings attended. Planted shifts on top (latent SD): percaya_diri +0.5 from the
  communication training on, penerimaan_sistem +0.4 from the OPD's rollout on,
  motivasi +0.15 per good / -0.10 per poor session of the same period.

* Who is an ASN: with ``pppk_share > 0`` that share of pelaksana and fungsional staff
  are PPPK (a tenth of them PPPK paruh waktu): NI PPPK (birth date, year of appointment,
  ``21``, gender, sequence), TMT PPPK from 2019 and before the window (as every CPNS
  start: nobody has a row before their appointment), grade I–XVII at their education's
  entry level; ``status_kepegawaian`` says which. The default city has none (0.0), so its
  planted truth is that of the PNS-only city.
* Who left (``leaver_share > 0``; default 0, none): that share of the employees who
  supervise no one leave the agency during the window — retire, move out, are
  discharged — on ``tmt_keluar`` (a new ``pegawai`` column, only then): in a period
  from the second on, on its first day for about a third of them (the boundary: their
  last period is the one before) and on a later day of it for the rest (that period is
  their last). Their rows of the periods that begin on or after that day (SKP, 360°
  ratings given and received, official results, feedback, survey answers) and their
  trainings and sessions dated from it are not in the data; their earlier rows are.
  ``realised.keluar`` gives the ASN per period and per OPD and period, the head-counts
  a period's documents should publish. The training truth is taken over the
  employee-periods in the data; ``jp_per_year`` still divides by every employee.
* Official results (``penilaian_resmi``, ``official_ratings=True``, the default): the
  supervisor's rating hasil kerja (capaian + ``N(0, official_hasil_sd^2)``, cut at
  110/90), rating perilaku kerja (own 360° mean + ``N(0, official_perilaku_sd^2)``, cut at
  4.25/3.0) and the matrix predikat. ``numeric_tables=False`` leaves out ``skp`` and
  ``perilaku``: an agency that has only the official e-Kinerja results. Monthly periods
  (``periods=("2025-01", …)``) work like quarters.

Truth
-----
``truth.json`` holds the configuration, the planted effects and the realised estimands
from the potential outcomes: the training ATT on capaian (employee-period mean capaian
over indicators as :func:`kinerja_analysis.domain.skp.hasil_kerja` computes it, cap 120) -
overall (Callaway-Sant'Anna "simple" weighting: the mean over treated employee-periods
with ``t >= g``), by event time, by cohort, by relevance class and by sumber - and the
ATT of the rollout on IKM, timeliness and complaints; plus the realised share of ASN
under 20 JP per calendar year. Per-unit truth is in :attr:`SynthResult.truth_tables`.

The ``planted`` values are the model's parameters; the ``realised`` ones are what the
data contain, on the scale the report estimates, from the same random draws with and
without the effect: the feedback effect per good / poor session on next-period capaian
(after the 120 cap, over employee-periods from the second period on:
``realised.umpan_balik.effect_capaian_next_period``); the rollout's effect on complaints
per 1,000 services (``realised.layanan.att_pengaduan_per_1000``, beside the raw counts);
the communication training's effect on the integer 1-5 berorientasi_pelayanan ratings
and the training effects on the rated dimensions (``realised.perilaku``); the survey
effects on the construct scores, the mean of the answered 1-5 items
(``realised.survei``: communication training -> percaya_diri, rollout ->
penerimaan_sistem, one more good / poor session -> motivasi). A test checks each estimator
against the realised value, not the planted one.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kinerja_analysis.core.compat import TEXT_DTYPE
from kinerja_analysis.core.config import SYNTH_MIN_PEGAWAI
from kinerja_analysis.core.periods import PERIOD_PATTERN, parse_period, period_bounds
from kinerja_analysis.data.contract import (
    ASPEK_SKP,
    BERAKHLAK,
    GOLONGAN,
    GOLONGAN_PPPK,
    IKM_UNSUR,
    PREDIKAT,
    RATING,
)

#: Relevance classes of a training relative to the employee's needs.
RELEVANSI: tuple[str, ...] = ("relevan", "lain", "tidak_sesuai")
#: Competencies the jobs in Kotalama do not need (self-sought, mismatched training).
NONJOB_KOMPETENSI: tuple[str, ...] = ("desain_grafis", "bahasa_asing", "fotografi", "kewirausahaan")
#: Name of the planted communication training.
KOMUNIKASI_PELATIHAN = "Pelatihan Komunikasi Pelayanan Publik"

_ROLES = ("atasan", "rekan", "bawahan", "diri")
_JABATAN = ("jpt", "administrator", "pengawas", "pelaksana", "fungsional")


# --------------------------------------------------------------------------- config


@dataclass(frozen=True)
class SynthConfig:
    """Size, seed and every planted effect of the synthetic city.

    Effects on the performance index ``P`` are in units of ``P`` (capaian points =
    10 x P); rating effects in rating points (1-5 scale); survey effects in latent SD.
    """

    n_pegawai: int = 6000
    n_opd: int = 35
    periods: tuple[str, ...] = (
        "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4",
    )  # fmt: skip
    seed: int = 2025
    # latent traits
    rho_ability_motivation: float = 0.3
    w_ability: float = 0.6
    w_motivation: float = 0.4
    competence_ability_weight: float = 0.5
    competence_sd: float = 0.8
    trend_per_period: float = 0.03
    sd_eps: float = 0.5
    # SKP
    capaian_base: float = 101.0
    capaian_per_p: float = 10.0
    capaian_indicator_sd: float = 4.0
    capaian_aspect_sd: float = 2.0
    skp_missing_rate: float = 0.03
    skp_missing_resistance_logodds: float = 0.7
    service_indicator_share: float = 0.5
    # training
    p_ever_trained_h0: float = 0.33
    hazard_decay: float = 0.65
    hazard_motivation_logodds: float = 0.5
    p_difasilitasi: float = 0.6
    p_tidak_sesuai_difasilitasi: float = 0.10
    p_tidak_sesuai_mandiri: float = 0.50
    p_relevan_difasilitasi: float = 0.5
    p_relevan_mandiri: float = 0.4
    p_first_klasikal: float = 0.45
    trainings_per_period_after: float = 1.4
    trainings_motivation_lograte: float = 0.2
    effect_relevan: float = 0.30
    effect_lain: float = 0.15
    effect_tidak_sesuai: float = 0.03
    ramp_first_period: float = 0.5
    early_cohort_boost: float = 0.20
    behav_effect_relevan: float = 0.30
    behav_effect_lain: float = 0.15
    p_komunikasi_service: float = 0.40
    p_komunikasi_other: float = 0.20
    komunikasi_pd_effect: float = 0.5
    komunikasi_behav_effect: float = 0.20
    # feedback
    feedback_rate_mean: float = 1.2
    feedback_rate_shape: float = 2.0
    feedback_skill_sd: float = 0.6
    feedback_effect_good: float = 0.10
    feedback_effect_poor: float = -0.08
    feedback_rollout_mult: float = 1.25
    p_feedback_rekan: float = 0.2
    kualitas_missing_rate: float = 0.10
    reverse_timing: float = 0.0
    # 360 ratings
    perilaku_base: float = 3.6
    perilaku_weight: float = 0.6
    leniency_sd: float = 0.35
    rating_noise_sd: float = 0.5
    role_bias: tuple[tuple[str, float], ...] = (
        ("atasan", 0.0), ("rekan", 0.2), ("bawahan", 0.1), ("diri", 0.5),
    )  # fmt: skip
    # rollout and service
    p_never_rollout: float = 0.2
    ikm_effect: float = 3.0
    tepat_waktu_effect: float = 5.0
    pengaduan_effect: float = -0.15
    ikm_element_mean: float = 3.2
    ikm_opd_sd: float = 0.15
    ikm_trend_per_period: float = 0.01
    ikm_noise_sd: float = 0.06
    tepat_waktu_base: float = 82.0
    # survey
    survey_response_rate: float = 0.7
    survey_item_missing: float = 0.02
    loading_low: float = 0.55
    loading_high: float = 0.85
    penerimaan_rollout_effect: float = 0.4
    penerimaan_resistance_weight: float = 0.5
    motivasi_feedback_good: float = 0.15
    motivasi_feedback_poor: float = -0.10
    # who is an ASN: PPPK among pelaksana and fungsional staff (UU 20/2023)
    pppk_share: float = 0.0
    pppk_paruh_waktu_share: float = 0.1
    # who left during the window (pensiun, mutasi keluar, berhenti): tmt_keluar
    leaver_share: float = 0.0
    # official e-Kinerja results (penilaian_resmi) and whether the numeric tables exist
    official_ratings: bool = True
    numeric_tables: bool = True
    official_hasil_sd: float = 4.0
    official_perilaku_sd: float = 0.25

    def __post_init__(self) -> None:
        if not isinstance(self.n_pegawai, int) or self.n_pegawai < SYNTH_MIN_PEGAWAI:
            raise ValueError(
                f"n_pegawai must be an integer >= {SYNTH_MIN_PEGAWAI}, got {self.n_pegawai!r}"
            )
        if not (1 <= self.n_opd <= len(_OPD_CORE) + len(_KECAMATAN)):
            raise ValueError(
                f"n_opd must be between 1 and {len(_OPD_CORE) + len(_KECAMATAN)}, got {self.n_opd}"
            )
        per = tuple(self.periods)
        if len(per) < 3:
            raise ValueError(f"periods needs at least 3 period codes, got {per!r}")
        bad = [p for p in per if not isinstance(p, str) or not re.fullmatch(PERIOD_PATTERN, p)]
        if bad:
            raise ValueError(f"invalid period codes {bad}; use YYYY-MM, YYYYQn, YYYYSn or YYYY")
        if len({parse_period(p).kind for p in per}) > 1:
            raise ValueError(f"periods mix months, quarters, semesters and years: {per!r}")
        if list(per) != sorted(set(per)):
            raise ValueError(f"periods must be unique and in increasing order: {per!r}")
        for name in (
            "p_difasilitasi", "p_tidak_sesuai_difasilitasi", "p_tidak_sesuai_mandiri",
            "p_relevan_difasilitasi", "p_relevan_mandiri", "p_komunikasi_service",
            "p_komunikasi_other", "p_never_rollout", "survey_response_rate",
            "survey_item_missing", "kualitas_missing_rate", "skp_missing_rate",
            "p_feedback_rekan", "p_ever_trained_h0", "p_first_klasikal", "service_indicator_share",
            "pppk_share", "pppk_paruh_waktu_share", "leaver_share",
        ):  # fmt: skip
            v = getattr(self, name)
            if not (0.0 <= v <= 1.0):
                raise ValueError(f"{name} must be a probability in [0, 1], got {v!r}")
        if not (0.0 < self.loading_low <= self.loading_high < 1.0):
            raise ValueError("need 0 < loading_low <= loading_high < 1")
        if not (-1.0 < self.rho_ability_motivation < 1.0):
            raise ValueError("rho_ability_motivation must be in (-1, 1)")
        if self.reverse_timing < 0:
            raise ValueError("reverse_timing must be >= 0")
        if set(dict(self.role_bias)) != set(_ROLES):
            raise ValueError(f"role_bias must give a bias for each of {_ROLES}")
        if not self.numeric_tables and not self.official_ratings:
            raise ValueError("numeric_tables=False needs official_ratings=True (no period table)")


@dataclass(frozen=True)
class SynthResult:
    """Output of :func:`generate`.

    Attributes
    ----------
    tables
        One DataFrame per canonical table (keys: the contract's table names).
    truth
        JSON-serialisable dict: ``config``, ``planted`` effects and ``realised``
        estimands (see the module docstring).
    truth_tables
        Per-unit truth: ``pegawai``, ``kompetensi``, ``rater``, ``pelatihan_efek``,
        ``kinerja``, ``opd``, ``layanan_efek``, ``survei_items``.
    """

    tables: dict[str, pd.DataFrame]
    truth: dict
    truth_tables: dict[str, pd.DataFrame] = field(default_factory=dict)


# --------------------------------------------------------------------------- catalogues

# name, head title, size weight, service OPD, fungsional share, fungsional family
_OPD_CORE: tuple[tuple[str, str, float, bool, float, str], ...] = (
    ("Sekretariat Daerah", "Sekretaris Daerah", 2.0, False, 0.15, "umum"),
    ("Dinas Pendidikan", "Kepala Dinas Pendidikan", 16.0, True, 0.82, "guru"),
    ("Dinas Kesehatan", "Kepala Dinas Kesehatan", 7.0, True, 0.70, "kesehatan"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Kepala Dinas", 1.2, True, 0.15, "umum"),
    ("Rumah Sakit Umum Daerah", "Direktur RSUD", 5.0, True, 0.72, "kesehatan"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Kepala Dinas", 0.9, True,
     0.15, "umum"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Kepala Badan", 0.9, False,
     0.30, "umum"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "Kepala Dinas", 2.0, False, 0.25, "teknik"),
    ("Inspektorat", "Inspektur", 0.8, False, 0.60, "auditor"),
    ("Badan Perencanaan Pembangunan Daerah", "Kepala Badan", 0.8, False, 0.45, "perencana"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "Kepala Badan", 1.2, False, 0.20, "umum"),
    ("Dinas Sosial", "Kepala Dinas", 0.8, True, 0.30, "umum"),
    ("Dinas Perhubungan", "Kepala Dinas", 1.3, True, 0.20, "teknik"),
    ("Badan Pendapatan Daerah", "Kepala Badan", 1.0, True, 0.20, "umum"),
    ("Satuan Polisi Pamong Praja", "Kepala Satuan", 1.6, False, 0.35, "polpp"),
    ("Sekretariat DPRD", "Sekretaris DPRD", 1.0, False, 0.15, "umum"),
    ("Dinas Komunikasi dan Informatika", "Kepala Dinas", 0.8, False, 0.40, "kominfo"),
    ("Dinas Lingkungan Hidup", "Kepala Dinas", 1.5, True, 0.20, "teknik"),
    ("Badan Penanggulangan Bencana Daerah", "Kepala Pelaksana", 0.6, True, 0.20, "umum"),
    ("Badan Kesatuan Bangsa dan Politik", "Kepala Badan", 0.5, False, 0.10, "umum"),
    ("Dinas Perumahan dan Kawasan Permukiman", "Kepala Dinas", 0.7, False, 0.25, "teknik"),
    ("Dinas Tenaga Kerja", "Kepala Dinas", 0.6, True, 0.25, "umum"),
    ("Dinas Koperasi dan Usaha Mikro", "Kepala Dinas", 0.6, False, 0.25, "umum"),
    ("Dinas Perdagangan", "Kepala Dinas", 0.7, True, 0.20, "umum"),
    ("Dinas Pertanian dan Ketahanan Pangan", "Kepala Dinas", 0.9, False, 0.45, "teknik"),
    ("Dinas Perpustakaan dan Kearsipan", "Kepala Dinas", 0.5, True, 0.45, "arsip"),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "Kepala Dinas", 0.6, True, 0.35,
     "umum"),
    ("Dinas Pemadam Kebakaran dan Penyelamatan", "Kepala Dinas", 0.8, True, 0.25, "umum"),
    ("Dinas Pemuda dan Olahraga", "Kepala Dinas", 0.5, False, 0.10, "umum"),
    ("Dinas Pariwisata dan Kebudayaan", "Kepala Dinas", 0.6, False, 0.20, "umum"),
)  # fmt: skip
_KECAMATAN: tuple[str, ...] = (
    "Kecamatan Kotalama Utara", "Kecamatan Kotalama Selatan", "Kecamatan Kotalama Timur",
    "Kecamatan Kotalama Barat", "Kecamatan Kotalama Tengah", "Kecamatan Pelabuhan",
    "Kecamatan Bukit Indah", "Kecamatan Sungai Lama",
)  # fmt: skip

_FUNGSIONAL: dict[str, tuple[str, ...]] = {
    "guru": ("Guru",),
    "kesehatan": ("Perawat", "Bidan", "Dokter", "Apoteker", "Nutrisionis",
                  "Pranata Laboratorium Kesehatan"),
    "auditor": ("Auditor", "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah"),
    "perencana": ("Perencana", "Analis Kebijakan"),
    "teknik": ("Teknik Jalan dan Jembatan", "Penyuluh Pertanian", "Pengendali Dampak Lingkungan",
               "Penguji Kendaraan Bermotor", "Analis Kebijakan"),
    "polpp": ("Polisi Pamong Praja",),
    "kominfo": ("Pranata Komputer", "Pranata Hubungan Masyarakat", "Statistisi"),
    "arsip": ("Arsiparis", "Pustakawan"),
    "umum": ("Analis Kebijakan", "Pranata Komputer", "Arsiparis", "Analis Sumber Daya Manusia "
             "Aparatur", "Pranata Hubungan Masyarakat", "Penyuluh Sosial"),
}  # fmt: skip
_PELAKSANA: tuple[str, ...] = (
    "Pengadministrasi Perkantoran", "Penata Layanan Operasional", "Pengolah Data dan Informasi",
    "Pengelola Layanan Operasional", "Operator Layanan Operasional", "Pengadministrasi Keuangan",
)  # fmt: skip
_PENGAWAS: tuple[str, ...] = (
    "Kepala Subbagian Umum dan Kepegawaian", "Kepala Seksi", "Kepala Subbagian Keuangan",
    "Kepala Seksi", "Kepala Subbagian Perencanaan",
)  # fmt: skip
_NAMA_L = (
    "Budi", "Agus", "Andi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rizky", "Arif",
    "Bambang", "Dimas", "Yusuf", "Hadi", "Rudi", "Teguh", "Wahyu", "Aditya", "Bayu",
)  # fmt: skip
_NAMA_P = (
    "Siti", "Dewi", "Sri", "Rina", "Ratna", "Fitri", "Indah", "Lestari", "Nurul", "Putri", "Ayu",
    "Wulan", "Maya", "Yuni", "Dian", "Anisa", "Ratih", "Kartika", "Novi", "Endang",
)  # fmt: skip
_NAMA_BELAKANG = (
    "Santoso", "Wijaya", "Saputra", "Pratama", "Hidayat", "Kurniawan", "Setiawan", "Nugroho",
    "Rahmawati", "Siregar", "Nasution", "Harahap", "Simanjuntak", "Sulistyo", "Purnomo",
    "Gunawan", "Susanti", "Wibowo", "Kusuma", "Permana", "Halim", "Syahputra", "Ramadhan",
    "Maharani", "Fauzi",
)  # fmt: skip
_GOLONGAN = GOLONGAN
# index into _GOLONGAN: II/a = 4, III/a = 8, IV/a = 12, IV/c = 14
_GOL_RANGE = {"jpt": (14, 16), "administrator": (12, 13), "pengawas": (10, 11),
              "pelaksana": (4, 9), "fungsional": (8, 13)}  # fmt: skip
_PENDIDIKAN = ("SMA/SMK", "D3", "S1", "S2")
_GOL_ENTRY = np.array([4, 6, 8, 9])  # golongan index at entry, by _PENDIDIKAN

# nama, jenis, metode, kompetensi, jp_lo, jp_hi, weight
_COURSES: tuple[tuple[str, str, str, str, int, int, float], ...] = (
    ("Webinar Standar Pelayanan Publik", "teknis", "nonklasikal", "berorientasi_pelayanan", 2, 4, 3),
    ("Webinar Penanganan Pengaduan Masyarakat", "teknis", "nonklasikal", "berorientasi_pelayanan", 2, 6, 2),
    ("Pelatihan Pelayanan Prima", "teknis", "klasikal", "berorientasi_pelayanan", 24, 32, 1),
    ("Webinar Penyusunan Laporan Kinerja Instansi Pemerintah", "teknis", "nonklasikal", "akuntabel", 3, 6, 3),
    ("Webinar Pengendalian Gratifikasi", "sosial_kultural", "nonklasikal", "akuntabel", 2, 4, 2),
    ("Pelatihan Pengelolaan Keuangan Daerah", "teknis", "klasikal", "akuntabel", 24, 40, 1),
    ("Webinar Analisis Data dengan Spreadsheet", "teknis", "nonklasikal", "kompeten", 4, 8, 3),
    ("Kursus Daring Penulisan Naskah Dinas", "teknis", "nonklasikal", "kompeten", 4, 8, 2),
    ("Pelatihan Teknis Substantif Bidang Tugas", "fungsional", "klasikal", "kompeten", 24, 40, 1),
    ("Webinar Etika dan Budaya Kerja ASN", "sosial_kultural", "nonklasikal", "harmonis", 2, 4, 3),
    ("Webinar Membangun Lingkungan Kerja yang Inklusif", "sosial_kultural", "nonklasikal", "harmonis", 2, 4, 2),
    ("Pelatihan Manajemen Konflik di Tempat Kerja", "manajerial", "klasikal", "harmonis", 24, 24, 1),
    ("Webinar Wawasan Kebangsaan dan Bela Negara", "sosial_kultural", "nonklasikal", "loyal", 2, 4, 3),
    ("Webinar Kode Etik dan Disiplin ASN", "sosial_kultural", "nonklasikal", "loyal", 2, 4, 2),
    ("Pelatihan Penguatan Integritas ASN", "sosial_kultural", "klasikal", "loyal", 24, 24, 1),
    ("Webinar Transformasi Digital Pemerintahan", "teknis", "nonklasikal", "adaptif", 2, 6, 3),
    ("Webinar Manajemen Perubahan", "manajerial", "nonklasikal", "adaptif", 2, 4, 2),
    ("Pelatihan Sistem Pemerintahan Berbasis Elektronik", "teknis", "klasikal", "adaptif", 24, 32, 1),
    ("Webinar Kolaborasi Lintas Perangkat Daerah", "manajerial", "nonklasikal", "kolaboratif", 2, 4, 3),
    ("Webinar Kerja Tim yang Efektif", "manajerial", "nonklasikal", "kolaboratif", 2, 4, 2),
    ("Pelatihan Kepemimpinan Kolaboratif", "manajerial", "klasikal", "kolaboratif", 24, 40, 1),
    ("Kursus Desain Grafis dengan Canva", "teknis", "nonklasikal", "desain_grafis", 4, 8, 2),
    ("Kelas Desain Konten Media Sosial", "teknis", "klasikal", "desain_grafis", 24, 24, 1),
    ("Webinar Bahasa Korea untuk Pemula", "teknis", "nonklasikal", "bahasa_asing", 2, 6, 2),
    ("Kursus Bahasa Inggris Percakapan", "teknis", "klasikal", "bahasa_asing", 24, 40, 1),
    ("Webinar Fotografi dengan Ponsel", "teknis", "nonklasikal", "fotografi", 2, 4, 2),
    ("Kursus Fotografi Dasar", "teknis", "klasikal", "fotografi", 24, 24, 1),
    ("Webinar Kewirausahaan dan Pemasaran Digital", "teknis", "nonklasikal", "kewirausahaan", 2, 6, 2),
    ("Pelatihan Memulai Usaha Kecil", "teknis", "klasikal", "kewirausahaan", 24, 32, 1),
    (KOMUNIKASI_PELATIHAN, "sosial_kultural", "klasikal", "berorientasi_pelayanan", 24, 24, 0),
)  # fmt: skip
_KOMPETENSI_ALL: tuple[str, ...] = BERAKHLAK + NONJOB_KOMPETENSI
_COMM_COURSE = len(_COURSES) - 1

# SKP indicators: (text, service-type)
_INDIKATOR_UMUM: tuple[str, ...] = (
    "Jumlah dokumen perencanaan yang disusun",
    "Persentase laporan keuangan yang disampaikan tepat waktu",
    "Jumlah kegiatan yang dilaksanakan sesuai rencana",
    "Persentase surat masuk yang ditindaklanjuti",
    "Jumlah data yang dimutakhirkan dalam sistem informasi",
    "Persentase rekomendasi hasil pemeriksaan yang ditindaklanjuti",
    "Jumlah rapat koordinasi yang difasilitasi",
)
_INDIKATOR_LAYANAN: tuple[str, ...] = (
    "Persentase permohonan layanan yang diselesaikan tepat waktu",
    "Jumlah masyarakat yang dilayani",
    "Persentase pengaduan masyarakat yang ditangani",
    "Jumlah dokumen layanan yang diterbitkan",
)

# survey instrument: item, construct, text, reversed
_INSTRUMEN: tuple[tuple[str, str, str, bool], ...] = (
    ("mot1", "motivasi", "Saya bersemangat menyelesaikan target kinerja saya.", False),
    ("mot2", "motivasi", "Saya berusaha melebihi target yang ditetapkan dalam SKP.", False),
    ("mot3", "motivasi", "Pekerjaan saya memberi saya rasa pencapaian.", False),
    ("mot4", "motivasi", "Saya sering merasa tidak bersemangat untuk bekerja.", True),
    ("pd1", "percaya_diri", "Saya yakin mampu melayani masyarakat dengan baik.", False),
    ("pd2", "percaya_diri", "Saya percaya diri saat menjelaskan prosedur layanan kepada masyarakat.", False),
    ("pd3", "percaya_diri", "Saya mampu menangani keluhan masyarakat dengan tenang.", False),
    ("pd4", "percaya_diri", "Saya merasa ragu ketika harus berbicara dengan masyarakat.", True),
    ("pen1", "penerimaan_sistem", "Sistem evaluasi kinerja yang baru membantu saya memahami target kerja.", False),
    ("pen2", "penerimaan_sistem", "Saya mendukung penerapan sistem evaluasi kinerja yang terstruktur.", False),
    ("pen3", "penerimaan_sistem", "Penilaian dengan sistem yang baru lebih adil daripada sebelumnya.", False),
    ("pen4", "penerimaan_sistem", "Sistem evaluasi yang baru hanya menambah beban administrasi.", True),
    ("ub1", "kualitas_umpan_balik", "Atasan memberikan umpan balik yang jelas tentang kinerja saya.", False),
    ("ub2", "kualitas_umpan_balik", "Umpan balik yang saya terima membantu saya memperbaiki pekerjaan.", False),
    ("ub3", "kualitas_umpan_balik", "Dialog kinerja dengan atasan berlangsung secara teratur.", False),
    ("ub4", "kualitas_umpan_balik", "Umpan balik yang saya terima lebih sering menjatuhkan daripada membangun.", True),
    ("rel1", "relevansi_pelatihan", "Pelatihan yang saya ikuti sesuai dengan kebutuhan pekerjaan saya.", False),
    ("rel2", "relevansi_pelatihan", "Saya dapat menerapkan materi pelatihan dalam tugas sehari-hari.", False),
    ("rel3", "relevansi_pelatihan", "Pelatihan membantu saya memperbaiki kelemahan kompetensi saya.", False),
    ("rel4", "relevansi_pelatihan", "Pelatihan yang saya ikuti tidak berkaitan dengan tugas saya.", True),
)  # fmt: skip
_KONSTRUK: tuple[str, ...] = (
    "motivasi", "percaya_diri", "penerimaan_sistem", "kualitas_umpan_balik", "relevansi_pelatihan",
)  # fmt: skip
_LIKERT_CUTS = np.array([-1.9, -1.0, -0.1, 1.1])
_KONSTRUK_MEAN = {"motivasi": 0.3, "percaya_diri": 0.2, "penerimaan_sistem": 0.0,
                  "kualitas_umpan_balik": 0.1, "relevansi_pelatihan": 0.0}  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _period_bounds(code: str) -> tuple[np.datetime64, np.datetime64]:
    """First and last day of a period as ``datetime64[D]`` (:func:`period_bounds`)."""
    first, last = period_bounds(code)
    return np.datetime64(first.date(), "D"), np.datetime64(last.date(), "D")


def _strs(values: Any, idx: np.ndarray | None = None) -> pd.Series:
    """``values[idx]`` as text (pandas 3's ``"str"``; fast: built with pyarrow ``take``)."""
    arr = pa.array(np.asarray(values, dtype=object), type=pa.string())
    if idx is not None:
        arr = arr.take(pa.array(np.asarray(idx, dtype=np.int64)))
    return pd.Series(arr.to_pandas(), dtype=TEXT_DTYPE)


def _dates(days: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(days, dtype="datetime64[D]")).astype("datetime64[us]")


def _months_per_period(cfg: SynthConfig) -> int:
    return parse_period(cfg.periods[0]).months


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))


def _round_half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5)


def _group_mean(keys: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    cnt = np.bincount(keys, minlength=n)
    tot = np.bincount(keys, weights=values, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return tot / cnt


def _weighted_pick(rng: np.random.Generator, block: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """Pick an item in each row's block: ``cum`` holds per-block normalised cumulative
    weights shifted by the block number, so ``searchsorted(cum, block + u)``."""
    u = rng.random(len(block))
    return np.searchsorted(cum, block + u * (1 - 1e-12), side="right")


def _f(x: Any, nd: int = 6) -> Any:
    """JSON-friendly rounding of floats (NaN -> None)."""
    if isinstance(x, dict):
        return {str(k): _f(v, nd) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_f(v, nd) for v in x]
    if isinstance(x, np.integer | int) and not isinstance(x, bool):
        return int(x)
    if isinstance(x, np.floating | float):
        return None if not np.isfinite(x) else round(float(x), nd)
    return x


# --------------------------------------------------------------------------- city


@dataclass(frozen=True)
class _City:
    opd_names: tuple[str, ...]
    opd_service: np.ndarray
    resistance: np.ndarray
    rollout: np.ndarray  # period index of rollout, -1 never
    opd: np.ndarray  # employee -> OPD index
    jabatan_kind: np.ndarray  # index into _JABATAN
    sup: np.ndarray  # supervisor employee index, -1 for the Sekda
    nip: np.ndarray  # object array of 18-char strings, sorted
    pegawai: pd.DataFrame


def _opd_roster(cfg: SynthConfig) -> tuple[list[tuple], int]:
    n_eff = max(5, min(cfg.n_opd, cfg.n_pegawai // 40))
    n_kec = int(np.clip(round(0.2 * n_eff), 1, len(_KECAMATAN)))
    n_core = min(n_eff - n_kec, len(_OPD_CORE))
    n_kec = n_eff - n_core
    roster = list(_OPD_CORE[:n_core]) + [
        (k, "Camat", 0.8, True, 0.10, "umum") for k in _KECAMATAN[:n_kec]
    ]
    return roster, n_eff


def _allocate(weights: np.ndarray, total: int, minimum: int) -> np.ndarray:
    k = len(weights)
    rest = total - minimum * k
    share = weights / weights.sum() * rest
    sizes = np.floor(share).astype(int)
    order = np.argsort(-(share - sizes), kind="stable")
    sizes[order[: rest - sizes.sum()]] += 1
    return sizes + minimum


def _make_pppk(cfg, rng, kind, birth, cpns_m, female, edu, gol_names, ref):
    """Turn a share of pelaksana/fungsional staff into PPPK (``cfg.pppk_share``).

    A PPPK's NI PPPK is birth date + year of appointment + ``21`` + gender digit +
    sequence; TMT PPPK 1 March of a year from 2019 (the first PPPK intake) to the last
    year whose 1 March is three months or more before the first period starts (as a
    PNS's CPNS start: every employee has rows from the first period on, so nobody is
    appointed inside the window), at age 20 or more; grade I–XVII at the education's entry level (SMA V,
    D3 VII, S1 IX, S2 X: Perpres 98/2020), no seniority steps. Returns the PPPK mask,
    the new ``cpns_m``, ``gol_names``, the status per employee and the NIP stems' middle
    parts (6 characters: CPNS ``YYYYMM`` or ``YYYY21``).
    """
    n = len(kind)
    status = np.full(n, "pns", dtype=object)
    middle = np.char.replace(np.datetime_as_string(cpns_m, unit="M"), "-", "").astype(object)
    pppk = np.zeros(n, dtype=bool)
    if cfg.pppk_share <= 0:
        return pppk, cpns_m, gol_names, status, middle
    birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
    latest = ref.astype("datetime64[M]") - 3  # the latest CPNS month (_make_city)
    last_year = latest.astype("datetime64[Y]").astype(int) + 1970
    last_year -= int(latest.astype(int) % 12 < 2)  # 1 March of that year after it
    lo = np.maximum(2019, birth_year + 20)
    pppk = (kind >= 3) & (rng.random(n) < cfg.pppk_share) & (lo <= last_year)
    year = lo + np.floor(rng.random(n) * (last_year - lo + 1)).astype(int)
    cpns_m = cpns_m.copy()
    cpns_m[pppk] = (year[pppk] - 1970) * 12 + 2  # March
    gol_names = gol_names.copy()
    gol_names[pppk] = np.array(GOLONGAN_PPPK, dtype=object)[_GOL_ENTRY[edu[pppk]]]
    paruh = pppk & (rng.random(n) < cfg.pppk_paruh_waktu_share)
    status[pppk] = "pppk"
    status[paruh] = "pppk_paruh_waktu"
    middle[pppk] = np.char.add(year[pppk].astype(str), "21").astype(object)
    return pppk, cpns_m, gol_names, status, middle


def _make_city(
    cfg: SynthConfig, rng: np.random.Generator, rng_pppk: np.random.Generator | None = None
) -> _City:
    roster, n_opd = _opd_roster(cfg)
    n = cfg.n_pegawai
    min_size = max(6, min(12, n // n_opd))
    sizes = _allocate(np.array([r[2] for r in roster]), n, min_size)
    opd = np.repeat(np.arange(n_opd), sizes)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.arange(n) - start[opd]  # rank within OPD (employees are exchangeable)
    n_admin = np.maximum(1, np.round(0.03 * sizes)).astype(int)
    n_peng = np.maximum(1, np.round(0.10 * sizes)).astype(int)
    fshare = np.array([r[4] for r in roster])
    n_staff = sizes - 1 - n_admin - n_peng
    n_fung = np.round(fshare * n_staff).astype(int)
    c1, c2, c3 = 1 + n_admin, 1 + n_admin + n_peng, 1 + n_admin + n_peng + n_fung
    kind = np.select(
        [rank == 0, rank < c1[opd], rank < c2[opd], rank < c3[opd]], [0, 1, 2, 4], default=3
    )

    # supervisors (positions by rank; the Sekda is the JPT of OPD 0)
    sup = np.full(n, -1)
    head = start[opd]
    sup[kind == 0] = 0
    sup[0] = -1
    m = kind == 1
    sup[m] = head[m]
    m = kind == 2
    sup[m] = head[m] + 1 + (rank[m] - c1[opd][m]) % n_admin[opd][m]
    m = kind >= 3
    sup[m] = head[m] + c1[opd][m] + rng.integers(0, 1 << 30, m.sum()) % n_peng[opd][m]

    # demographics
    # ages 22-58 at the end of the window; CPNS at 20-35, before the window starts
    ref = _period_bounds(cfg.periods[0])[0]
    end = _period_bounds(cfg.periods[-1])[1]
    span = (end - ref).astype(int) / 365.25
    ref_year = int(str(ref)[:4]) + (int(str(ref)[5:7]) - 1) / 12
    min_ten = np.array([16, 12, 8, 1, 2])[kind]
    age_lo = np.maximum(np.array([46, 40, 33, 22, 24])[kind], 21 + min_ten + span)
    age = age_lo + (58 - 0.01 - age_lo) * rng.beta(1.6, 1.4, n) - span  # age at window start
    gender_p = np.where(np.isin(opd, [1, 2, 4]), 0.68, 0.45)  # education and health
    female = rng.random(n) < gender_p
    cpns_age_hi = np.clip(age - min_ten, 20.0, 35.0)
    cpns_age = 20.1 + (np.maximum(cpns_age_hi, 20.1) - 20.1) * rng.random(n)
    birth = (ref - (age * 365.25).astype(int)).astype("datetime64[D]")
    cpns_m = (birth.astype("datetime64[M]") + np.round(cpns_age * 12).astype(int)).astype(
        "datetime64[M]"
    )
    cpns_m = np.minimum(cpns_m, ref.astype("datetime64[M]") - 3)
    tenure = ref_year - (cpns_m.astype(int) / 12 + 1970)

    edu_p = np.array(
        [
            [0.0, 0.0, 0.4, 0.6],  # jpt
            [0.0, 0.0, 0.5, 0.5],
            [0.0, 0.1, 0.7, 0.2],
            [0.4, 0.2, 0.4, 0.0],  # pelaksana
            [0.0, 0.2, 0.65, 0.15],
        ]
    )
    cum = np.cumsum(edu_p, axis=1)[kind]
    edu = (rng.random(n)[:, None] > cum).sum(axis=1)
    edu = np.minimum(edu, 3)
    lo = np.array([_GOL_RANGE[j][0] for j in _JABATAN])[kind]
    hi = np.array([_GOL_RANGE[j][1] for j in _JABATAN])[kind]
    gol = np.clip(_GOL_ENTRY[edu] + (tenure // 4).astype(int), lo, hi)

    gol_names = np.array(_GOLONGAN, dtype=object)[gol]
    pppk, cpns_m, gol_names, status, middle = _make_pppk(
        cfg, rng_pppk, kind, birth, cpns_m, female, edu, gol_names, ref
    )
    # NIP: birth date + CPNS month (NI PPPK: year + 21) + gender + sequence; sort by NIP
    bstr = np.datetime_as_string(birth, unit="D")
    stem = np.char.add(
        np.char.add(np.char.replace(bstr, "-", ""), middle.astype(str)),
        np.where(female, "2", "1"),
    )
    seq = pd.Series(stem).groupby(stem, sort=False, observed=True).cumcount().to_numpy() + 1
    if seq.max() > 999:  # pragma: no cover - needs millions of employees
        raise ValueError("too many employees share a birth date and CPNS month")
    nip = np.char.add(stem, np.char.zfill(seq.astype(str), 3)).astype(object)
    order = np.argsort(nip, kind="stable")
    inv = np.empty(n, dtype=int)
    inv[order] = np.arange(n)
    nip, opd, kind, birth, cpns_m, female, edu, gol, gol_names, status = (
        a[order] for a in (nip, opd, kind, birth, cpns_m, female, edu, gol, gol_names, status)
    )
    sup = np.where(sup[order] >= 0, inv[np.maximum(sup[order], 0)], -1)

    jabatan = _jabatan_names(rng, roster, opd, kind, gol, edu, rank[order])
    first = rng.integers(0, 20, n)
    nama = np.where(female, np.array(_NAMA_P, dtype=object)[first],
                    np.array(_NAMA_L, dtype=object)[first])  # fmt: skip
    nama = (
        nama + " " + np.array(_NAMA_BELAKANG, dtype=object)[rng.integers(0, len(_NAMA_BELAKANG), n)]
    )
    opd_names = tuple(r[0] for r in roster)
    pegawai = pd.DataFrame(
        {
            "nip": _strs(nip),
            "nama": _strs(nama),
            "jenis_kelamin": _strs(np.where(female, "P", "L").astype(object)),
            "tanggal_lahir": _dates(birth),
            "opd": _strs(opd_names, opd),
            "jabatan": _strs(jabatan),
            "jenis_jabatan": _strs(_JABATAN, kind),
            "golongan": _strs(gol_names),
            "tmt_cpns": _dates(cpns_m.astype("datetime64[D]")),
            "nip_atasan": _strs(nip, np.maximum(sup, 0)).where(sup >= 0, None),
            "pendidikan": _strs(_PENDIDIKAN, edu),
            "status_kepegawaian": _strs(status),
        }
    )
    resistance = rng.normal(0.0, 1.0, n_opd)  # of each OPD to the structured evaluation
    return _City(
        opd_names=opd_names,
        opd_service=np.array([r[3] for r in roster]),
        resistance=resistance,
        rollout=_rollout_periods(cfg, rng, resistance),
        opd=opd,
        jabatan_kind=kind,
        sup=sup,
        nip=nip,
        pegawai=pegawai,
    )


def _rollout_periods(cfg: SynthConfig, rng: np.random.Generator, resistance) -> np.ndarray:
    """Period index at which each OPD adopts the structured evaluation (-1: never).

    ``cfg.p_never_rollout`` of the OPDs never adopt; the others adopt from the second
    period on, spread evenly, resistant OPDs later (sorted by resistance + noise).
    """
    n_opd, T = len(resistance), len(cfg.periods)
    n_never = int(round(cfg.p_never_rollout * n_opd))
    key = resistance + rng.normal(0.0, 1.0, n_opd)
    pos = np.argsort(np.argsort(key))  # 0 = least resistant
    n_adopt = n_opd - n_never
    return np.where(pos < n_adopt, 1 + (pos * (T - 1)) // max(n_adopt, 1), -1)


def _jabatan_names(rng, roster, opd, kind, gol, edu, rank) -> np.ndarray:
    n = len(opd)
    out = np.empty(n, dtype=object)
    heads = np.array([r[1] for r in roster], dtype=object)
    is_kec = np.array([r[1] == "Camat" for r in roster])
    out[kind == 0] = heads[opd[kind == 0]]
    m = kind == 1
    first_admin = m & (rank == 1)
    out[m] = np.where(is_kec[opd[m]], "Kepala Seksi", "Kepala Bidang")
    out[first_admin] = np.where(is_kec[opd[first_admin]], "Sekretaris Camat", "Sekretaris")
    out[first_admin & (opd == 0)] = "Asisten Administrasi Umum"
    m = kind == 2
    out[m] = np.array(_PENGAWAS, dtype=object)[rank[m] % len(_PENGAWAS)]
    m = kind == 3
    out[m] = np.array(_PELAKSANA, dtype=object)[rng.integers(0, len(_PELAKSANA), m.sum())]
    m = np.flatnonzero(kind == 4)
    fam = np.array([r[5] for r in roster], dtype=object)[opd[m]]
    level = np.where(
        edu[m] <= 1,
        np.where(gol[m] >= 10, "Mahir", "Terampil"),
        np.select([gol[m] <= 9, gol[m] <= 11], ["Ahli Pertama", "Ahli Muda"], "Ahli Madya"),
    )
    u = rng.random(len(m))
    for f, titles in _FUNGSIONAL.items():
        sel = fam == f
        out[m[sel]] = np.array(titles, dtype=object)[(u[sel] * len(titles)).astype(int)]
    out[m] = out[m] + " " + level.astype(object)
    return out


# --------------------------------------------------------------------------- latents


@dataclass
class _Latent:
    ability: np.ndarray
    motivation: np.ndarray
    competence: np.ndarray  # (n, 7)
    weakest: np.ndarray
    pd_trait: np.ndarray
    pen_trait: np.ndarray
    survey_trait: np.ndarray


def _make_latent(cfg: SynthConfig, rng: np.random.Generator, n: int) -> _Latent:
    a = rng.normal(size=n)
    rho = cfg.rho_ability_motivation
    m = rho * a + np.sqrt(1 - rho**2) * rng.normal(size=n)
    c = cfg.competence_ability_weight * a[:, None] + rng.normal(0, cfg.competence_sd, (n, 7))
    return _Latent(
        ability=a,
        motivation=m,
        competence=c,
        weakest=np.argmin(c, axis=1),
        pd_trait=rng.normal(size=n),
        pen_trait=rng.normal(size=n),
        survey_trait=rng.normal(size=n),
    )


# --------------------------------------------------------------------------- training


@dataclass
class _Training:
    g: np.ndarray  # first training period index, -1 never
    cls: np.ndarray  # relevance class of the first training (0/1/2), -1 never
    sumber_dif: np.ndarray  # first training difasilitasi (bool)
    target_dim: np.ndarray  # BerAKHLAK index targeted by the first training, -1 none
    comm: np.ndarray  # period of the communication training, -1 none
    tau: np.ndarray  # (n, T) effect on P
    behav: np.ndarray  # (n, T, 7) effect on ratings
    rel_score: np.ndarray  # (n, T) mean relevance of trainings so far (0 none)
    rows: pd.DataFrame


def _course_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-kompetensi blocks of course indices with cumulative weights (+block)."""
    komp = np.array([_KOMPETENSI_ALL.index(c[3]) for c in _COURSES])
    w = np.array([c[6] for c in _COURSES], dtype=float)
    order = np.argsort(komp, kind="stable")
    cum = np.empty(len(order))
    for k in range(len(_KOMPETENSI_ALL)):
        sel = order[komp[order] == k]
        ws = w[sel] / w[sel].sum()
        cum[np.searchsorted(komp[order], k) : np.searchsorted(komp[order], k) + len(sel)] = (
            k + np.cumsum(ws)
        )
    return order, cum, komp


def _klasikal_course() -> np.ndarray:
    """Per kompetensi: the index of its (first) classroom course with weight > 0."""
    out = np.zeros(len(_KOMPETENSI_ALL), dtype=np.int64)
    for k, komp in enumerate(_KOMPETENSI_ALL):
        out[k] = next(
            i for i, c in enumerate(_COURSES) if c[3] == komp and c[2] == "klasikal" and c[6] > 0
        )
    return out


def _make_training(cfg: SynthConfig, rng: np.random.Generator, city: _City, lat: _Latent):
    n, T = len(city.nip), len(cfg.periods)
    m = lat.motivation
    # first-training period: discrete hazard, none in period 0
    g = np.full(n, -1)
    for t in range(1, T):
        h0 = cfg.p_ever_trained_h0 * cfg.hazard_decay ** (t - 1)
        h = _sigmoid(_logit(h0) + cfg.hazard_motivation_logodds * m)
        new = (g < 0) & (rng.random(n) < h)
        g[new] = t
    tr = g >= 0
    # first training attributes
    dif = rng.random(n) < cfg.p_difasilitasi
    p_ts = np.where(dif, cfg.p_tidak_sesuai_difasilitasi, cfg.p_tidak_sesuai_mandiri)
    p_rel = np.where(dif, cfg.p_relevan_difasilitasi, cfg.p_relevan_mandiri)
    u = rng.random(n)
    cls = np.where(u < p_ts, 2, np.where(u < p_ts + (1 - p_ts) * p_rel, 0, 1))
    other = (lat.weakest + 1 + rng.integers(0, 6, n)) % 7
    nonjob = 7 + rng.integers(0, len(NONJOB_KOMPETENSI), n)
    komp = np.select([cls == 0, cls == 1], [lat.weakest, other], nonjob)
    # communication training
    p_comm = np.where(city.opd_service[city.opd], cfg.p_komunikasi_service, cfg.p_komunikasi_other)
    has_comm = tr & (rng.random(n) < p_comm)
    later = g + 1 + (rng.random(n) * np.maximum(T - 1 - g, 1)).astype(int)
    comm = np.where(has_comm, np.where((rng.random(n) < 0.4) | (g == T - 1), g, later), -1)
    comm_first = has_comm & (comm == g)
    komp = np.where(comm_first, 0, komp)
    cls = np.where(comm_first, np.where(lat.weakest == 0, 0, 1), cls)
    dif = np.where(comm_first, True, dif)
    cls = np.where(tr, cls, -1)
    target = np.where(tr & (komp < 7), komp, -1)

    # effects
    t_idx = np.arange(T)[None, :]
    e = t_idx - g[:, None]
    treated = tr[:, None] & (e >= 0)
    ramp = np.where(e == 0, cfg.ramp_first_period, 1.0)
    cohorts = np.unique(g[tr])
    if len(cohorts) > 1:
        boost = 1 + cfg.early_cohort_boost * (cohorts.max() - g) / (cohorts.max() - cohorts.min())
    else:
        boost = np.ones(n)
    eff = np.array([cfg.effect_relevan, cfg.effect_lain, cfg.effect_tidak_sesuai])[
        np.maximum(cls, 0)
    ]
    tau = np.where(treated, (eff * boost)[:, None] * ramp, 0.0)
    behav = np.zeros((n, T, 7))
    beff = np.array([cfg.behav_effect_relevan, cfg.behav_effect_lain, 0.0])[np.maximum(cls, 0)]
    ii = np.flatnonzero(target >= 0)
    behav[ii, :, target[ii]] += np.where(treated[ii], beff[ii, None] * ramp[ii], 0.0)
    behav[:, :, 0] += np.where(has_comm[:, None] & (t_idx >= comm[:, None]),
                               cfg.komunikasi_behav_effect, 0.0)  # fmt: skip

    rows, rel_score = _training_rows(cfg, rng, city, lat, g, dif, komp, comm, comm_first)
    return _Training(g, cls, dif & tr, target, comm, tau, behav, rel_score, rows)


def _training_rows(cfg, rng, city, lat, g, dif, komp, comm, comm_first):
    n, T = len(city.nip), len(cfg.periods)
    bounds = [_period_bounds(p) for p in cfg.periods]
    p_start = np.array([b[0] for b in bounds]).astype(np.int64)
    p_len = np.array([(b[1] - b[0]).astype(int) + 1 for b in bounds])
    order, cum, _ = _course_tables()
    tr = np.flatnonzero(g >= 0)

    # 1) first trainings
    emp = [tr]
    per = [g[tr]]
    kk = [komp[tr]]
    dd = [dif[tr]]
    is_first = [np.ones(len(tr), bool)]
    force_comm = [comm_first[tr]]
    # 2) communication trainings after the first
    cm = np.flatnonzero((comm >= 0) & ~comm_first)
    emp.append(cm)
    per.append(comm[cm])
    kk.append(np.zeros(len(cm), int))
    dd.append(rng.random(len(cm)) < 0.9)
    is_first.append(np.zeros(len(cm), bool))
    force_comm.append(np.ones(len(cm), bool))
    # 3) further trainings: Poisson per period from the first one on
    rate = cfg.trainings_per_period_after * np.exp(
        cfg.trainings_motivation_lograte * lat.motivation
    )
    t_idx = np.arange(T)[None, :]
    lam = np.where(
        t_idx > g[:, None], rate[:, None], np.where(t_idx == g[:, None], 0.5 * rate[:, None], 0.0)
    )
    lam[g < 0] = 0.0
    cnt = rng.poisson(lam)
    ei, ti = np.nonzero(cnt)
    reps = cnt[ei, ti]
    ei, ti = np.repeat(ei, reps), np.repeat(ti, reps)
    k = len(ei)
    sd = rng.random(k) < cfg.p_difasilitasi
    mism = rng.random(k) < np.where(sd, cfg.p_tidak_sesuai_difasilitasi, cfg.p_tidak_sesuai_mandiri)
    kx = np.where(mism, 7 + rng.integers(0, len(NONJOB_KOMPETENSI), k), rng.integers(0, 7, k))
    emp.append(ei)
    per.append(ti)
    kk.append(kx)
    dd.append(sd)
    is_first.append(np.zeros(k, bool))
    force_comm.append(np.zeros(k, bool))

    emp_a, per_a, komp_a = np.concatenate(emp), np.concatenate(per), np.concatenate(kk)
    dif_a, first_a, comm_a = (
        np.concatenate(dd),
        np.concatenate(is_first),
        np.concatenate(force_comm),
    )
    course = order[np.minimum(_weighted_pick(rng, komp_a, cum), len(order) - 1)]
    klas_first = first_a & (rng.random(len(course)) < cfg.p_first_klasikal)
    course = np.where(klas_first, _klasikal_course()[komp_a], course)
    course = np.where(comm_a, _COMM_COURSE, course)
    lo = np.array([c[4] for c in _COURSES])[course]
    hi = np.array([c[5] for c in _COURSES])[course]
    klas = np.array([c[2] == "klasikal" for c in _COURSES])[course]
    jp_k = 8 * np.floor(lo / 8 + rng.random(len(course)) * (hi // 8 - lo // 8 + 1))
    jp = np.where(klas, jp_k, lo + np.floor(rng.random(len(course)) * (hi - lo + 1)))
    days = np.where(klas, np.ceil(jp / 8).astype(int), 1)
    plen = p_len[per_a]
    # the first training comes first: it lies in the first 40 % of its period,
    # the other trainings of that period after it
    u = rng.random(len(course))
    first_day = np.zeros(n, dtype=np.int64)
    off_first = np.floor(u * np.maximum(0.4 * plen - days, 1)).astype(int)
    first_day[emp_a[first_a]] = off_first[first_a]
    min_off = np.where(per_a == g[emp_a], first_day[emp_a] + 1, 0)
    room = np.maximum(plen - days - min_off, 1)
    off = np.where(first_a, off_first, min_off + np.floor(u * room).astype(int))
    off = np.minimum(off, plen - days)
    start = p_start[per_a] + off
    end = start + days - 1
    src = np.where(dif_a, "DF", "MD")
    date_s = np.datetime_as_string(start.astype("datetime64[D]"), unit="D")
    idp = np.char.add(
        np.char.add(np.char.add(src, "-"), np.char.replace(date_s, "-", "")),
        np.char.add("-", np.char.zfill(course.astype(str), 3)),
    )
    names = np.array([c[0] for c in _COURSES], dtype=object)
    df = pd.DataFrame(
        {
            "_e": emp_a,
            "_first": first_a,
            "nip": _strs(city.nip, emp_a),
            "id_pelatihan": _strs(idp.astype(object)),
            "nama_pelatihan": _strs(names, course),
            "jenis": _strs([c[1] for c in _COURSES], course),
            "metode": _strs([c[2] for c in _COURSES], course),
            "kompetensi_sasaran": _strs(_KOMPETENSI_ALL, komp_a),
            "jp": jp.astype(float),
            "tanggal_mulai": _dates(start),
            "tanggal_selesai": _dates(end),
            "sumber": _strs(np.where(dif_a, "difasilitasi", "mandiri").astype(object)),
        }
    )
    df = df.sort_values(["_e", "_first"], ascending=[True, False], kind="stable")
    df = df.drop_duplicates(["nip", "id_pelatihan"], keep="first")
    # relevance of each training (1 relevan, 0.3 lain, -1 tidak sesuai) -> running mean
    kv = _KOMPETENSI_ALL
    kidx = df["kompetensi_sasaran"].map({c: i for i, c in enumerate(kv)}).to_numpy()
    e_arr = df["_e"].to_numpy()
    val = np.where(kidx >= 7, -1.0, np.where(kidx == lat.weakest[e_arr], 1.0, 0.3))
    t_arr = np.searchsorted(p_start, df["tanggal_mulai"].to_numpy().astype("datetime64[D]")
                            .astype(np.int64), side="right") - 1  # fmt: skip
    s = np.zeros((n, T))
    c = np.zeros((n, T))
    np.add.at(s, (e_arr, t_arr), val)
    np.add.at(c, (e_arr, t_arr), 1.0)
    s, c = np.cumsum(s, axis=1), np.cumsum(c, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel_score = np.where(c > 0, s / c, 0.0)
    df = df.sort_values(["_e", "tanggal_mulai", "id_pelatihan"], kind="stable")
    df = df.drop(columns=["_e", "_first"]).reset_index(drop=True)
    return df, rel_score


# --------------------------------------------------------------------------- performance


@dataclass
class _Perf:
    P: np.ndarray  # (n, T) realised performance index
    phi: np.ndarray  # (n, T) feedback effect
    good: np.ndarray  # (n, T) good sessions
    poor: np.ndarray  # (n, T) poor sessions
    mean_q: np.ndarray  # (n, T) running mean quality received (NaN none yet)
    sup_rate: np.ndarray  # (n,) session rate of the employee's supervisor
    sup_skill: np.ndarray
    n_sessions: np.ndarray  # (n, T)
    rows: pd.DataFrame


def _rolled(cfg: SynthConfig, city: _City) -> np.ndarray:
    """(n_opd, T) bool: OPD under the structured evaluation system."""
    T = len(cfg.periods)
    r = city.rollout[:, None]
    return (r >= 0) & (np.arange(T)[None, :] >= r)


def _make_performance(cfg, rng, city: _City, lat: _Latent, trn: _Training) -> _Perf:
    n, T = len(city.nip), len(cfg.periods)
    base = cfg.w_ability * lat.ability + cfg.w_motivation * lat.motivation
    eps = rng.normal(0.0, cfg.sd_eps, (n, T))
    shape = cfg.feedback_rate_shape
    rate_s = rng.gamma(shape, cfg.feedback_rate_mean / shape, n)
    skill_s = rng.normal(0.0, cfg.feedback_skill_sd, n)
    has_sup = city.sup >= 0
    sidx = np.maximum(city.sup, 0)
    my_rate = np.where(has_sup, rate_s[sidx], 0.5)
    my_skill = np.where(has_sup, skill_s[sidx], 0.0)
    rolled = _rolled(cfg, city)[city.opd]
    bounds = [_period_bounds(p) for p in cfg.periods]
    P = np.zeros((n, T))
    phi = np.zeros((n, T))
    good = np.zeros((n, T))
    poor = np.zeros((n, T))
    qsum = np.zeros((n, T))
    qcnt = np.zeros((n, T))
    parts = []
    for t in range(T):
        if t > 0:
            phi[:, t] = (
                cfg.feedback_effect_good * good[:, t - 1]
                + cfg.feedback_effect_poor * poor[:, t - 1]
            )
        P[:, t] = base + cfg.trend_per_period * t + trn.tau[:, t] + phi[:, t] + eps[:, t]
        rate = my_rate * np.where(rolled[:, t], cfg.feedback_rollout_mult, 1.0)
        if t >= 2 and cfg.reverse_timing > 0:
            rate = rate + cfg.reverse_timing * np.maximum(0.0, P[:, t - 2] - P[:, t - 1])
        k = rng.poisson(rate)
        emp = np.repeat(np.arange(n), k)
        s = len(emp)
        rekan = rng.random(s) < cfg.p_feedback_rekan
        q = np.clip(
            _round_half_up(3.0 + np.where(rekan, 0.0, my_skill[emp]) + rng.normal(0, 1, s)), 1, 5
        )
        good[:, t] = np.bincount(emp, weights=(q >= 4).astype(float), minlength=n)
        poor[:, t] = np.bincount(emp, weights=(q <= 2).astype(float), minlength=n)
        qsum[:, t] = np.bincount(emp, weights=q, minlength=n)
        qcnt[:, t] = np.bincount(emp, minlength=n)
        lo, hi = bounds[t]
        ndays = int((hi - lo).astype(int)) + 1
        day = lo.astype(np.int64) + np.floor(rng.random(s) * ndays).astype(np.int64)
        bentuk = np.searchsorted(np.cumsum([0.45, 0.2, 0.15, 0.2]), rng.random(s) * (1 - 1e-12),
                                 side="right")  # fmt: skip
        kual = np.where(rng.random(s) < cfg.kualitas_missing_rate, np.nan, q)
        parts.append((emp, np.full(s, t), day, rekan, bentuk, kual))
    emp, per, day, rekan, bentuk, kual = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = np.lexsort((day, per, emp))
    emp, per, day, rekan, bentuk, kual = (a[order] for a in (emp, per, day, rekan, bentuk, kual))
    rows = pd.DataFrame(
        {
            "nip": _strs(city.nip, emp),
            "periode": _strs(cfg.periods, per),
            "tanggal": _dates(day),
            "pemberi": _strs(("atasan", "rekan"), rekan.astype(int)),
            "bentuk": _strs(("dialog_kinerja", "coaching", "mentoring", "tertulis"), bentuk),
            "kualitas": kual.astype(float),
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_q = np.cumsum(qsum, axis=1) / np.cumsum(qcnt, axis=1)
    return _Perf(P, phi, good, poor, mean_q, my_rate, my_skill, qcnt, rows)


# --------------------------------------------------------------------------- SKP


def _make_skp(cfg, rng, city: _City, perf: _Perf, trn: _Training):
    n, T = len(city.nip), len(cfg.periods)
    # indicators per employee (fixed over the window)
    n_ind = 2 + np.searchsorted(np.cumsum([0.3, 0.45, 0.25]), rng.random(n) * (1 - 1e-12),
                                side="right")  # fmt: skip
    serv = city.opd_service[city.opd] & (city.jabatan_kind >= 2)
    n_lay = np.where(serv, rng.binomial(n_ind, cfg.service_indicator_share), 0)
    n_lay = np.minimum(n_lay, len(_INDIKATOR_LAYANAN))
    ie = np.repeat(np.arange(n), n_ind)
    slot = np.arange(len(ie)) - np.repeat(np.cumsum(n_ind) - n_ind, n_ind)
    is_lay = slot < n_lay[ie]
    s_u = rng.integers(0, len(_INDIKATOR_UMUM), n)[ie]
    s_l = rng.integers(0, len(_INDIKATOR_LAYANAN), n)[ie]
    names_all = _INDIKATOR_LAYANAN + _INDIKATOR_UMUM
    name_idx = np.where(
        is_lay,
        (s_l + slot) % len(_INDIKATOR_LAYANAN),
        len(_INDIKATOR_LAYANAN) + (s_u + slot - n_lay[ie]) % len(_INDIKATOR_UMUM),
    )
    pct = np.array([nm.startswith("Persentase") for nm in names_all])[name_idx]
    months = _months_per_period(cfg)
    k_target = np.where(pct, 100.0, np.round(np.exp(rng.uniform(np.log(10), np.log(500), len(ie)))))
    q_target = np.round(rng.uniform(80, 95, len(ie)))
    w_target = np.full(len(ie), float(months))
    targets = np.stack([k_target, q_target, w_target], axis=1)

    # employee-periods present
    p_miss = _sigmoid(_logit(cfg.skp_missing_rate) + cfg.skp_missing_resistance_logodds
                      * city.resistance)[city.opd]  # fmt: skip
    present = rng.random((n, T)) >= p_miss[:, None]
    pe, pt = np.nonzero(present)  # employee-major order
    reps = n_ind[pe]
    ind_start = np.cumsum(n_ind) - n_ind
    r_ind = np.repeat(ind_start[pe], reps) + (
        np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    )
    r_e, r_t = ie[r_ind], np.repeat(pt, reps)
    cap_ind = (
        cfg.capaian_base
        + cfg.capaian_per_p * perf.P[r_e, r_t]
        + rng.normal(0, cfg.capaian_indicator_sd, len(r_ind))
    )
    cap1 = cap_ind[:, None] + rng.normal(0, cfg.capaian_aspect_sd, (len(r_ind), 3))
    cap0 = cap1 - cfg.capaian_per_p * trn.tau[r_e, r_t][:, None]
    tg = targets[r_ind]
    real = np.empty_like(cap1)
    real[:, :2] = tg[:, :2] * cap1[:, :2] / 100.0
    real[:, 2] = tg[:, 2] * (2.0 - cap1[:, 2] / 100.0)
    real = np.maximum(np.round(real, 2), 0.0)

    # realised employee-period capaian (scoring.hasil_kerja: cap 120, mean of means)
    pair = np.repeat(np.arange(len(pe)), reps)
    y1 = _group_mean(pair, np.clip(cap1, 0, 120).mean(axis=1), len(pe))
    y0 = _group_mean(pair, np.clip(cap0, 0, 120).mean(axis=1), len(pe))
    cap_obs = np.full((n, T), np.nan)
    cap_cf = np.full((n, T), np.nan)
    cap_obs[pe, pt] = y1
    cap_cf[pe, pt] = y0

    def shifted(delta: float) -> float:
        """Mean change in capaian (the report's scale, capped at 120) from shifting P."""
        ys = _group_mean(pair, np.clip(cap1 + cfg.capaian_per_p * delta, 0, 120).mean(axis=1),
                         len(pe))  # fmt: skip
        return float(np.mean((ys - y1)[pt >= 1])) if (pt >= 1).any() else float("nan")

    # realised effect of one more good / poor session last period on capaian, over the
    # employee-periods from the second period on (the sample of the feedback model)
    fb_real = {"per_good_session": shifted(cfg.feedback_effect_good),
               "per_poor_session": shifted(cfg.feedback_effect_poor)}  # fmt: skip

    nr = len(r_ind)
    rows = pd.DataFrame(
        {
            "nip": _strs(city.nip, np.repeat(r_e, 3)),
            "periode": _strs(cfg.periods, np.repeat(r_t, 3)),
            "indikator": _strs(names_all, np.repeat(name_idx[r_ind], 3)),
            "aspek": _strs(ASPEK_SKP, np.tile(np.arange(3), nr)),
            "target": tg.reshape(-1),
            "realisasi": real.reshape(-1),
            "indikator_layanan": np.repeat(is_lay[r_ind], 3),
        }
    )
    return rows, present, cap_obs, cap_cf, fb_real


# --------------------------------------------------------------------------- 360


def _sibling_groups(sup: np.ndarray, rng: np.random.Generator):
    n = len(sup)
    order = np.lexsort((rng.random(n), sup))
    s_sorted = sup[order]
    _, gstart, gsize = np.unique(s_sorted, return_index=True, return_counts=True)
    gid = np.repeat(np.arange(len(gstart)), gsize)
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n) - gstart[gid]
    g_of = np.empty(n, dtype=np.int64)
    g_of[order] = gid
    return order, gstart, gsize, g_of, pos, s_sorted[gstart]


def _rater_pairs(city: _City, rng: np.random.Generator):
    """One period's (ratee, rater, role) triples."""
    n = len(city.nip)
    sup = city.sup
    order, gstart, gsize, g_of, pos, gsup = _sibling_groups(sup, rng)
    parts = []
    has = np.flatnonzero(sup >= 0)
    parts.append((has, sup[has], np.zeros(len(has), int)))  # atasan
    s = gsize[g_of]
    k_i = np.where(sup >= 0, np.minimum(2 + (rng.random(n) < 0.5), s - 1), 0)
    r = (rng.random(n) * np.maximum(s - 1, 1)).astype(np.int64)
    for k in range(3):
        m = np.flatnonzero(k < k_i)
        ppos = (pos[m] + 1 + (r[m] + k) % (s[m] - 1)) % s[m]
        parts.append((m, order[gstart[g_of[m]] + ppos], np.ones(len(m), int)))
    # bawahan: up to 2 direct reports rate their supervisor
    gs = np.flatnonzero(gsup >= 0)
    rg = (rng.random(len(gs)) * gsize[gs]).astype(np.int64)
    for k in range(2):
        m = gs[k < gsize[gs]]
        rr = rg[k < gsize[gs]]
        bpos = (rr + k) % gsize[m]
        parts.append((gsup[m], order[gstart[m] + bpos], np.full(len(m), 2)))
    parts.append((np.arange(n), np.arange(n), np.full(n, 3)))  # diri
    ratee, rater, role = (np.concatenate(x) for x in zip(*parts, strict=True))
    return ratee, rater, role


def _make_perilaku(cfg, rng, city: _City, lat: _Latent, trn: _Training):
    n = len(city.nip)
    leniency = rng.normal(0.0, cfg.leniency_sd, n)
    bias = dict(cfg.role_bias)
    role_bias = np.array([bias[r] for r in _ROLES])
    frames = []
    # realised effects on the integer 1-5 ratings (the scale the report estimates): the
    # same ratings without the communication training's effect on berorientasi_pelayanan
    # (dimension 0), and without every training effect on the rated dimension
    comm_sum = comm_n = train_sum = train_n = 0.0
    for t, periode in enumerate(cfg.periods):
        ratee, rater, role = _rater_pairs(city, rng)
        o = np.lexsort((rater, ratee))
        ratee, rater, role = ratee[o], rater[o], role[o]
        k = len(ratee)
        e = np.repeat(ratee, 7)
        d = np.tile(np.arange(7), k)
        r = np.repeat(rater, 7)
        cont = (
            cfg.perilaku_base
            + cfg.perilaku_weight * lat.competence[e, d]
            + trn.behav[e, t, d]
            + leniency[r]
            + np.repeat(role_bias[role], 7)
            + rng.normal(0.0, cfg.rating_noise_sd, len(e))
        )
        skor = np.clip(_round_half_up(cont), 1, 5).astype(np.int64)
        comm_on = (d == 0) & (trn.comm[e] >= 0) & (t >= trn.comm[e])
        if comm_on.any():
            s0 = np.clip(_round_half_up(cont[comm_on] - cfg.komunikasi_behav_effect), 1, 5)
            comm_sum += float((skor[comm_on] - s0).sum())
            comm_n += float(comm_on.sum())
        bt = trn.behav[e, t, d]
        on = bt != 0
        if on.any():
            train_sum += float((skor[on] - np.clip(_round_half_up(cont[on] - bt[on]), 1, 5)).sum())
            train_n += float(on.sum())
        # sort within (ratee, rater) by dimension name for a stable key order
        frames.append(
            pd.DataFrame(
                {
                    "nip": _strs(city.nip, e),
                    "periode": _strs([periode], np.zeros(len(e), int)),
                    "id_penilai": _strs(city.nip, r),
                    "peran_penilai": _strs(_ROLES, np.repeat(role, 7)),
                    "dimensi": _strs(BERAKHLAK, d),
                    "skor": skor,
                }
            )
        )
    real = {
        "komunikasi_berorientasi_pelayanan_rating": comm_sum / comm_n if comm_n else None,
        "training_rating_on_affected_dimensions": train_sum / train_n if train_n else None,
    }
    return pd.concat(frames, ignore_index=True), leniency, real


# --------------------------------------------------------------------------- official


def _make_official(cfg, rng, city: _City, perilaku: pd.DataFrame, cap_obs: np.ndarray):
    """The official e-Kinerja result per employee and period (``penilaian_resmi``).

    The supervisor's *rating hasil kerja* is the employee's capaian plus the supervisor's
    own reading, ``N(0, official_hasil_sd^2)`` capaian points, cut at 110 / 90 (the
    domain's default cut-offs); the *rating perilaku kerja* is the mean of the
    supervisor's own 360° scores of the employee (all raters' for the Sekda, who has
    none) plus ``N(0, official_perilaku_sd^2)``, cut at 4.25 / 3.0; the predikat follows
    the PermenPAN-RB 6/2022 matrix. Employee-periods without SKP have no result. So the
    official predikat agrees with the one computed from the numbers most of the time,
    not always — as in real agencies.
    """
    n, T = cap_obs.shape
    e, t = np.nonzero(~np.isnan(cap_obs))
    cap = cap_obs[e, t] + rng.normal(0.0, cfg.official_hasil_sd, len(e))
    h = np.where(cap >= 110.0, 2, np.where(cap < 90.0, 0, 1))
    idx = pd.Index(city.nip)
    per_idx = {p: i for i, p in enumerate(cfg.periods)}
    pe = perilaku.assign(
        _e=idx.get_indexer(perilaku["nip"]), _t=perilaku["periode"].map(per_idx).to_numpy()
    )
    sup_mean = (
        pe[pe["peran_penilai"] == "atasan"].groupby(["_e", "_t"], observed=True)["skor"].mean()
    )
    all_mean = pe.groupby(["_e", "_t"], observed=True)["skor"].mean()
    key = pd.MultiIndex.from_arrays([e, t])
    beh = sup_mean.reindex(key).to_numpy()
    beh = np.where(np.isnan(beh), all_mean.reindex(key).to_numpy(), beh)
    beh = beh + rng.normal(0.0, cfg.official_perilaku_sd, len(e))
    p = np.where(beh >= 4.25, 2, np.where(beh < 3.0, 0, 1))
    matrix = np.array([[0, 2, 2], [1, 3, 3], [1, 3, 4]])  # [hasil, perilaku] -> PREDIKAT
    keep = ~np.isnan(beh)
    e, t, h, p = e[keep], t[keep], h[keep], p[keep]
    sup = city.sup[e]
    return pd.DataFrame(
        {
            "nip": _strs(city.nip, e),
            "periode": _strs(cfg.periods, t),
            "rating_hasil": _strs(RATING, h),
            "rating_perilaku": _strs(RATING, p),
            "predikat": _strs(PREDIKAT, matrix[h, p]),
            "nip_penilai": _strs(city.nip, np.maximum(sup, 0)).where(sup >= 0, None),
        }
    )


# --------------------------------------------------------------------------- layanan


def _make_layanan(cfg, rng, city: _City):
    T, k = len(cfg.periods), len(city.opd_names)
    D = _rolled(cfg, city)
    fe = rng.normal(0, cfg.ikm_opd_sd, k) - 0.05 * city.resistance
    elem = rng.normal(0, 0.1, 9)
    oe = rng.normal(0, 0.05, (k, 9))
    tt = np.arange(T)
    u0 = (
        cfg.ikm_element_mean
        + fe[:, None, None]
        + elem[None, None, :]
        + oe[:, None, :]
        + cfg.ikm_trend_per_period * tt[None, :, None]
        + rng.normal(0, cfg.ikm_noise_sd, (k, T, 9))
    )
    u1 = u0 + (cfg.ikm_effect / 25.0) * D[:, :, None]
    u0r, u1r = (np.round(np.clip(u, 1, 4), 2) for u in (u0, u1))
    ikm0, ikm1 = u0r.mean(axis=2) * 25, u1r.mean(axis=2) * 25
    size = np.bincount(city.opd, minlength=k)
    months = _months_per_period(cfg)
    lam = size * np.where(city.opd_service, 40.0, 8.0) * months / 3
    vol = rng.poisson(lam[:, None] * (1 + 0.05 * np.sin(tt))[None, :])
    tw0 = (
        cfg.tepat_waktu_base
        + rng.normal(0, 4, k)[:, None]
        + 0.3 * tt[None, :]
        + rng.normal(0, 1.5, (k, T))
    )
    tw1 = tw0 + cfg.tepat_waktu_effect * D
    tw0r, tw1r = (np.round(np.clip(x, 0, 100), 1) for x in (tw0, tw1))
    mu = vol * 0.01 * np.exp(rng.normal(0, 0.3, k)[:, None] - 0.02 * tt[None, :])
    p0 = rng.poisson(mu)
    if cfg.pengaduan_effect <= 0:  # thinning: Y1 ~ Poisson(mu (1 + effect)), coupled to Y0
        p1_all = p0 - rng.binomial(p0, min(-cfg.pengaduan_effect, 1.0))
    else:
        p1_all = p0 + rng.poisson(mu * cfg.pengaduan_effect)
    p1 = np.where(D, p1_all, p0)
    u_obs = np.where(D[:, :, None], u1r, u0r)
    oo, ttt = np.meshgrid(np.arange(k), tt, indexing="ij")
    oo, ttt = oo.ravel(), ttt.ravel()
    data = {"opd": _strs(city.opd_names, oo), "periode": _strs(cfg.periods, ttt)}
    for j, name in enumerate(IKM_UNSUR):
        data[name] = u_obs[:, :, j].ravel()
    data["jumlah_layanan"] = vol.ravel().astype(np.int64)
    data["tepat_waktu_pct"] = np.where(D, tw1r, tw0r).ravel()
    data["jumlah_pengaduan"] = p1.ravel().astype(np.int64)
    layanan = pd.DataFrame(data)
    eff = pd.DataFrame(
        {
            "opd": layanan["opd"],
            "periode": layanan["periode"],
            "diterapkan": D.ravel(),
            "ikm0": ikm0.ravel(),
            "ikm1": ikm1.ravel(),
            "tepat_waktu0": tw0r.ravel(),
            "tepat_waktu1": tw1r.ravel(),
            "pengaduan0": p0.ravel(),
            "pengaduan1": p1_all.ravel(),
            "jumlah_layanan": vol.ravel().astype(np.int64),
        }
    )
    mulai = np.where(city.rollout >= 0, np.array(cfg.periods, dtype=object)[city.rollout], None)
    penerapan = pd.DataFrame({"opd": _strs(city.opd_names), "periode_mulai": _strs(mulai)})
    return layanan, penerapan, eff


# --------------------------------------------------------------------------- survey


def _make_survei(cfg, rng, city: _City, lat: _Latent, trn: _Training, perf: _Perf):
    n, T = len(city.nip), len(cfg.periods)
    loadings = rng.uniform(cfg.loading_low, cfg.loading_high, len(_INSTRUMEN))
    D = _rolled(cfg, city)[city.opd]
    r_std = (city.resistance - city.resistance.mean()) / max(city.resistance.std(), 1e-9)
    wr = cfg.penerimaan_resistance_weight
    w_pen = np.sqrt(max(1 - wr**2 - 0.36, 0.0))
    t_idx = np.arange(T)[None, :]
    comm_on = (trn.comm[:, None] >= 0) & (t_idx >= trn.comm[:, None])
    zq = np.where(np.isnan(perf.mean_q), -0.3, (perf.mean_q - 3.0) / 1.2)
    e = rng.normal(size=(len(_KONSTRUK), n, T))
    # untreated latent of each construct, standardised to mean 0 and SD 1 ...
    base = {
        "motivasi": 0.8 * lat.motivation[:, None] + 0.6 * e[0],
        "percaya_diri": 0.8 * lat.pd_trait[:, None] + 0.6 * e[1],
        "penerimaan_sistem": -wr * r_std[city.opd][:, None] + w_pen * lat.pen_trait[:, None]
        + 0.6 * e[2],
        "kualitas_umpan_balik": 0.6 * zq + 0.55 * lat.survey_trait[:, None] + 0.55 * e[3],
        "relevansi_pelatihan": 0.7 * trn.rel_score + 0.55 * lat.survey_trait[:, None]
        + 0.5 * e[4],
    }  # fmt: skip
    base = {k: (v - v.mean()) / v.std() for k, v in base.items()}
    # ... plus the planted effects, in units of that SD
    eta = {
        **base,
        "motivasi": base["motivasi"] + cfg.motivasi_feedback_good * perf.good
        + cfg.motivasi_feedback_poor * perf.poor,
        "percaya_diri": base["percaya_diri"] + cfg.komunikasi_pd_effect * comm_on,
        "penerimaan_sistem": base["penerimaan_sistem"] + cfg.penerimaan_rollout_effect * D,
    }  # fmt: skip
    resp = rng.random((n, T)) < cfg.survey_response_rate
    tt, ee = np.nonzero(resp.T)  # period-major, then employee (NIP) order
    data: dict[str, Any] = {"nip": _strs(city.nip, ee), "periode": _strs(cfg.periods, tt)}
    # counterfactual shifts of the latent, per construct, for the realised effects on the
    # construct score (mean of the answered items, 1-5): without the communication
    # training, without the rollout, and with one more good feedback session
    # (construct, shift of its latent, +1: the effect is observed minus counterfactual,
    # -1: counterfactual minus observed, i.e. the effect of one more session)
    shift = {
        "percaya_diri": ("percaya_diri", -cfg.komunikasi_pd_effect * comm_on, 1.0),
        "penerimaan_sistem": ("penerimaan_sistem", -cfg.penerimaan_rollout_effect * D, 1.0),
        "motivasi_good": ("motivasi", np.full((n, T), cfg.motivasi_feedback_good), -1.0),
        "motivasi_poor": ("motivasi", np.full((n, T), cfg.motivasi_feedback_poor), -1.0),
    }
    diff_sum = {k: np.zeros(len(ee)) for k in shift}
    diff_cnt = {k: np.zeros(len(ee)) for k in shift}
    for j, (item, konstruk, _, rev) in enumerate(_INSTRUMEN):
        lam = loadings[j]
        ystar = (
            _KONSTRUK_MEAN[konstruk]
            + lam * eta[konstruk][ee, tt]
            + np.sqrt(1 - lam**2) * rng.normal(size=len(ee))
        )
        y = np.searchsorted(_LIKERT_CUTS, ystar).astype(float) + 1
        y_raw = y.copy()
        if rev:
            y = 6.0 - y
        missing = rng.random(len(ee)) < cfg.survey_item_missing
        y[missing] = np.nan
        for key, (k, delta, sign) in shift.items():
            if k != konstruk:
                continue
            y_cf = np.searchsorted(_LIKERT_CUTS, ystar + lam * delta[ee, tt]) + 1.0
            diff_sum[key] += np.where(missing, 0.0, sign * (y_raw - y_cf))
            diff_cnt[key] += ~missing
        data[item] = y
    survei = pd.DataFrame(data)
    instrumen = pd.DataFrame(
        {
            "item": [r[0] for r in _INSTRUMEN],
            "konstruk": [r[1] for r in _INSTRUMEN],
            "teks": [r[2] for r in _INSTRUMEN],
            "terbalik": [r[3] for r in _INSTRUMEN],
            "skala_min": 1,
            "skala_max": 5,
        }
    ).astype({"item": "str", "konstruk": "str", "teks": "str"})
    butir = pd.DataFrame(
        {
            "item": instrumen["item"],
            "konstruk": instrumen["konstruk"],
            "loading": np.round(loadings, 6),
            "terbalik": instrumen["terbalik"],
            "intercept": [_KONSTRUK_MEAN[r[1]] for r in _INSTRUMEN],
        }
    )

    def realised(k: str, mask: np.ndarray) -> float | None:
        ok = (diff_cnt[k] > 0) & mask
        return float((diff_sum[k][ok] / diff_cnt[k][ok]).mean()) if ok.any() else None

    real = {
        "komunikasi_percaya_diri_score": realised("percaya_diri", comm_on[ee, tt]),
        "rollout_penerimaan_score": realised("penerimaan_sistem", D[ee, tt]),
        "motivasi_per_good_session_score": realised("motivasi_good", np.ones(len(ee), bool)),
        "motivasi_per_poor_session_score": realised("motivasi_poor", np.ones(len(ee), bool)),
    }
    return survei, instrumen, butir, real


# --------------------------------------------------------------------------- truth


def _att_block(delta: np.ndarray, mask: np.ndarray, by: np.ndarray | None = None,
               labels: Any = None) -> Any:  # fmt: skip
    if by is None:
        return float(delta[mask].mean()) if mask.any() else float("nan")
    out = {}
    for v in np.unique(by[mask]):
        sel = mask & (by == v)
        out[str(labels[v] if labels is not None else v)] = {
            "att": float(delta[sel].mean()),
            "n": int(sel.sum()),
        }
    return out


def _training_truth(cfg, city, trn: _Training, perf: _Perf, present, cap1, cap0, rows):
    n, T = len(city.nip), len(cfg.periods)
    g = trn.g
    t_idx = np.broadcast_to(np.arange(T)[None, :], (n, T))
    e = t_idx - g[:, None]
    treated = (g[:, None] >= 0) & (e >= 0)
    obs = treated & present
    d_cap = cap1 - cap0
    cls = np.broadcast_to(trn.cls[:, None], (n, T))
    src = np.broadcast_to(np.where(trn.sumber_dif, 0, 1)[:, None], (n, T))
    gg = np.broadcast_to(g[:, None], (n, T))
    per = np.array(cfg.periods, dtype=object)
    # CS "group" aggregation: mean over cohorts (weighted by size) of cohort means
    coh = {}
    for c in np.unique(g[g >= 0]):
        sel = obs & (gg == c)
        coh[str(per[c])] = {"att": float(d_cap[sel].mean()), "n": int(sel.sum()),
                            "n_pegawai": int((g == c).sum())}  # fmt: skip
    sizes = np.array([v["n_pegawai"] for v in coh.values()], float)
    vals = np.array([v["att"] for v in coh.values()])
    # JP per calendar year
    years = sorted({p[:4] for p in cfg.periods})
    jp = (
        rows.assign(_y=rows["tanggal_mulai"].dt.year.astype(TEXT_DTYPE))
        .groupby(["nip", "_y"], observed=True)["jp"]
        .sum()
    )
    jp_share = {}
    for y in years:
        tot = (
            jp.xs(y, level="_y") if y in jp.index.get_level_values("_y") else pd.Series(dtype=float)
        )
        n_over = int((tot >= 20).sum())
        jp_share[y] = {
            "share_under_20jp": 1 - n_over / n,
            "mean_jp": float(tot.sum() / n),
            "n_periode": sum(p[:4] == y for p in cfg.periods),
        }
    is_ts = ~rows["kompetensi_sasaran"].isin(BERAKHLAK)
    mism = {s: float(is_ts[rows["sumber"] == s].mean()) for s in ("difasilitasi", "mandiri")}
    first_ts = {
        s: float((trn.cls[(g >= 0) & (trn.sumber_dif == (s == "difasilitasi"))] == 2).mean())
        for s in ("difasilitasi", "mandiri")
    }
    return {
        "outcome": "capaian (mean over indicators of mean over aspects, cap 120)",
        "att_capaian": float(d_cap[obs].mean()),
        "att_capaian_group": float((vals * sizes).sum() / sizes.sum()) if len(sizes) else None,
        "att_p": float(trn.tau[obs].mean()),
        "att_p_all_cells": float(trn.tau[treated].mean()),
        "n_treated_cells": int(obs.sum()),
        "by_event_time": _att_block(d_cap, obs, e),
        "by_cohort": coh,
        "by_relevansi": _att_block(d_cap, obs, cls, RELEVANSI),
        "by_sumber": _att_block(d_cap, obs, src, ("difasilitasi", "mandiri")),
        "p_by_relevansi": _att_block(trn.tau, obs, cls, RELEVANSI),
        "share_never_trained": float((g < 0).mean()),
        "n_pegawai_treated": int((g >= 0).sum()),
        "cohort_sizes": {str(per[c]): int((g == c).sum()) for c in np.unique(g[g >= 0])},
        "share_first_by_relevansi": {
            RELEVANSI[k]: float((trn.cls[g >= 0] == k).mean()) for k in range(3)
        },
        "share_tidak_sesuai_first_by_sumber": first_ts,
        "share_tidak_sesuai_all_by_sumber": mism,
        "share_mandiri_all": float((rows["sumber"] == "mandiri").mean()),
        "jp_per_year": jp_share,
        "share_komunikasi": float((trn.comm >= 0).mean()),
    }


def _layanan_truth(eff: pd.DataFrame, cfg: SynthConfig, city: _City) -> dict:
    tr = eff["diterapkan"].to_numpy()
    out: dict[str, Any] = {"n_opd": len(city.opd_names),
                           "n_opd_never": int((city.rollout < 0).sum())}  # fmt: skip
    for name in ("ikm", "tepat_waktu", "pengaduan"):
        d = (eff[f"{name}1"] - eff[f"{name}0"]).to_numpy(dtype=float)
        out[f"att_{name}"] = float(d[tr].mean()) if tr.any() else None
    if tr.any():
        out["ratio_pengaduan"] = float(eff.loc[tr, "pengaduan1"].sum() / max(
            eff.loc[tr, "pengaduan0"].sum(), 1))  # fmt: skip
        # on the scale the report estimates: complaints per 1,000 services
        vol = eff["jumlah_layanan"].to_numpy(dtype=float)
        ok = tr & (vol > 0)
        per = 1000 * (eff["pengaduan1"] - eff["pengaduan0"]).to_numpy(dtype=float)
        out["att_pengaduan_per_1000"] = float((per[ok] / vol[ok]).mean()) if ok.any() else None
    per = {p: i for i, p in enumerate(cfg.periods)}
    t = eff["periode"].map(per).to_numpy()
    r = pd.Series(city.rollout, index=list(city.opd_names))[eff["opd"]].to_numpy()
    d = (eff["ikm1"] - eff["ikm0"]).to_numpy(dtype=float)
    out["ikm_by_event_time"] = _att_block(d, tr, t - r)
    out["periode_mulai"] = {
        o: (cfg.periods[r] if r >= 0 else None)
        for o, r in zip(city.opd_names, city.rollout, strict=True)
    }
    return out


def _planted(cfg: SynthConfig) -> dict:
    return {
        "training_effect_p": {"relevan": cfg.effect_relevan, "lain": cfg.effect_lain,
                              "tidak_sesuai": cfg.effect_tidak_sesuai},
        "training_effect_capaian": {
            "relevan": cfg.capaian_per_p * cfg.effect_relevan,
            "lain": cfg.capaian_per_p * cfg.effect_lain,
            "tidak_sesuai": cfg.capaian_per_p * cfg.effect_tidak_sesuai,
        },
        "training_ramp": {"e0": cfg.ramp_first_period, "e1_plus": 1.0},
        "training_early_cohort_boost": cfg.early_cohort_boost,
        "training_behaviour_rating": {"relevan": cfg.behav_effect_relevan,
                                      "lain": cfg.behav_effect_lain},
        "selection": "hazard of the first training rises with motivation (levels only)",
        "komunikasi": {"nama_pelatihan": KOMUNIKASI_PELATIHAN,
                       "percaya_diri_latent_sd": cfg.komunikasi_pd_effect,
                       "berorientasi_pelayanan_rating": cfg.komunikasi_behav_effect},
        "feedback_next_period_p": {"per_good_session": cfg.feedback_effect_good,
                                   "per_poor_session": cfg.feedback_effect_poor,
                                   "per_neutral_session": 0.0},
        "feedback_next_period_capaian": {
            "per_good_session": cfg.capaian_per_p * cfg.feedback_effect_good,
            "per_poor_session": cfg.capaian_per_p * cfg.feedback_effect_poor,
        },
        "feedback_good_if_kualitas_ge": 4,
        "feedback_poor_if_kualitas_le": 2,
        "reverse_timing": cfg.reverse_timing,
        "rater_role_bias": dict(cfg.role_bias),
        "leniency_sd": cfg.leniency_sd,
        "rollout": {"ikm_points": cfg.ikm_effect, "tepat_waktu_points": cfg.tepat_waktu_effect,
                    "pengaduan_relative": cfg.pengaduan_effect},
        "survey": {"penerimaan_rollout_latent": cfg.penerimaan_rollout_effect,
                   "motivasi_per_good_session": cfg.motivasi_feedback_good,
                   "motivasi_per_poor_session": cfg.motivasi_feedback_poor,
                   "likert_cuts": _LIKERT_CUTS.tolist()},
    }  # fmt: skip


# --------------------------------------------------------------------------- public


def generate(config: SynthConfig | None = None, **overrides: Any) -> SynthResult:
    """Generate the synthetic Kota Kotalama dataset with its planted truth.

    Parameters
    ----------
    config
        A :class:`SynthConfig`; default ``SynthConfig()``.
    **overrides
        Fields of :class:`SynthConfig` to override (``n_pegawai=300, seed=1``).

    Returns
    -------
    SynthResult
        ``tables`` (``pegawai, skp, perilaku, pelatihan, umpan_balik, layanan,
        penerapan, survei, survei_instrumen``), ``truth`` (JSON-serialisable) and
        ``truth_tables`` (per-unit truth).

    Notes
    -----
    The latent model is described in the module docstring. The same configuration
    gives identical tables; every component draws from its own stream spawned from
    ``numpy.random.SeedSequence(seed)``.
    """
    cfg = config if config is not None else SynthConfig()
    if not isinstance(cfg, SynthConfig):
        raise ValueError("config must be a SynthConfig")
    if overrides:
        unknown = set(overrides) - {f.name for f in dataclasses.fields(SynthConfig)}
        if unknown:
            raise ValueError(f"unknown SynthConfig fields: {sorted(unknown)}")
        if "periods" in overrides:
            overrides["periods"] = tuple(overrides["periods"])
        cfg = dataclasses.replace(cfg, **overrides)
    # new streams go at the end: the first streams (and so the tables) stay as they were
    names = ("city", "latent", "training", "perf", "skp", "perilaku", "layanan", "survei",
             "pppk", "official", "keluar")  # fmt: skip
    rngs = dict(zip(names, (np.random.default_rng(s) for s in
                            np.random.SeedSequence(cfg.seed).spawn(len(names))), strict=True))  # fmt: skip
    city = _make_city(cfg, rngs["city"], rngs["pppk"])
    lat = _make_latent(cfg, rngs["latent"], len(city.nip))
    trn = _make_training(cfg, rngs["training"], city, lat)
    perf = _make_performance(cfg, rngs["perf"], city, lat, trn)
    skp, present, cap1, cap0, fb_real = _make_skp(cfg, rngs["skp"], city, perf, trn)
    perilaku, leniency, rating_real = _make_perilaku(cfg, rngs["perilaku"], city, lat, trn)
    layanan, penerapan, lay_eff = _make_layanan(cfg, rngs["layanan"], city)
    survei, instrumen, butir, survey_real = _make_survei(cfg, rngs["survei"], city, lat, trn,
                                                         perf)  # fmt: skip

    tables = {
        "pegawai": city.pegawai,
        "skp": skp,
        "perilaku": perilaku,
        "pelatihan": trn.rows,
        "umpan_balik": perf.rows,
        "layanan": layanan,
        "penerapan": penerapan,
        "survei": survei,
        "survei_instrumen": instrumen,
    }
    if cfg.official_ratings:
        tables["penilaian_resmi"] = _make_official(cfg, rngs["official"], city, perilaku, cap1)
    keluar = _leavers(cfg, rngs["keluar"], city)
    employed = None
    if keluar is not None:
        tables, employed = _leave(cfg, city, tables, keluar)
        present = present & employed
    if not cfg.numeric_tables:
        del tables["skp"], tables["perilaku"]
    truth_tables = _truth_tables(cfg, city, lat, trn, perf, present, cap1, cap0, leniency,
                                 lay_eff, butir)  # fmt: skip
    if keluar is not None:
        truth_tables["pegawai"]["tmt_keluar"] = _dates(keluar)
    fb = perf.rows["kualitas"]
    truth = {
        "generator": "kinerja_analysis.synth",
        "config": _f(dataclasses.asdict(cfg)),
        "planted": _f(_planted(cfg)),
        "realised": _f(
            {
                "n_pegawai": len(city.nip),
                "n_opd": len(city.opd_names),
                "pelatihan": _training_truth(
                    cfg, city, trn, perf, present, cap1, cap0, tables["pelatihan"]
                ),
                "layanan": _layanan_truth(lay_eff, cfg, city),
                "umpan_balik": {
                    "effect_capaian_next_period": fb_real,
                    "sessions_per_pegawai_periode": float(len(perf.rows) / perf.P.size),
                    "share_poor": float((fb[fb.notna()] <= 2).mean()),
                    "share_good": float((fb[fb.notna()] >= 4).mean()),
                    "share_pegawai_periode_none": float((perf.n_sessions == 0).mean()),
                },
                "skp_missing_share": float(1 - present.mean()),
                "capaian_mean": float(np.nanmean(cap1)),
                "capaian_sd": float(np.nanstd(cap1)),
                "survey_response_share": float(len(survei) / perf.P.size),
                "perilaku": rating_real,
                "survei": survey_real,
                **(
                    {"keluar": _leaver_truth(cfg, city, keluar, employed)}
                    if keluar is not None
                    else {}
                ),
            }
        ),
        "survei_loadings": {r.item: round(float(r.loading), 6) for r in butir.itertuples()},
    }
    return SynthResult(tables=tables, truth=truth, truth_tables=truth_tables)


def _leavers(cfg: SynthConfig, rng: np.random.Generator, city: _City) -> np.ndarray | None:
    """Each employee's ``tmt_keluar`` (``datetime64[D]``, NaT: stays), ``None`` without
    leavers (``leaver_share = 0``: nothing drawn, the city as it was). Leavers are drawn
    among those who supervise no one (their subordinates' supervisor stays); each leaves
    in a period from the second on, on its first day with probability 1/3 (their last
    period is the one before) and otherwise on a later day of it."""
    if cfg.leaver_share <= 0:
        return None
    n, T = len(city.nip), len(cfg.periods)
    eligible = np.flatnonzero(np.bincount(city.sup[city.sup >= 0], minlength=n) == 0)
    eligible = eligible[city.sup[eligible] >= 0]  # never the Sekretaris Daerah
    k = min(len(eligible), int(round(cfg.leaver_share * n)))
    who = np.sort(rng.choice(eligible, size=k, replace=False))
    per = rng.integers(1, T, size=k)
    bounds = np.array([_period_bounds(p) for p in cfg.periods], dtype="datetime64[D]")
    first, last = bounds[per, 0], bounds[per, 1]
    span = (last - first).astype(np.int64)  # days after the first day
    later = rng.random(k) >= 1 / 3
    offset = np.where(later, 1 + np.floor(rng.random(k) * span).astype(np.int64), 0)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    out[who] = first + offset.astype("timedelta64[D]")
    return out


def _leave(cfg: SynthConfig, city: _City, tables: dict[str, pd.DataFrame], keluar: np.ndarray):
    """The tables without what comes after each leaver's ``tmt_keluar`` — rows of a
    period that begins on or after it (as employee or as rater), trainings and sessions
    dated from it — and the register with ``tmt_keluar``; also ``employed`` (employee ×
    period: the period began before they left)."""
    starts = np.array([_period_bounds(p)[0] for p in cfg.periods], dtype="datetime64[D]")
    employed = ~(starts[None, :] >= keluar[:, None])  # NaT compares False: stays
    index = pd.Index(city.nip)
    start_of = dict(zip(cfg.periods, starts, strict=True))
    out = {}
    for name, df in tables.items():
        if name == "pegawai":
            df = df.copy()
            df.insert(df.columns.get_loc("tmt_cpns") + 1, "tmt_keluar", _dates(keluar))
            out[name] = df
            continue
        if "nip" not in df.columns:
            out[name] = df
            continue
        drop = np.zeros(len(df), dtype=bool)
        for col in ("nip", "id_penilai"):
            if col not in df.columns:
                continue
            who = index.get_indexer(df[col].astype(object))
            gone = np.where(who >= 0, keluar[np.maximum(who, 0)], np.datetime64("NaT"))
            if "periode" in df.columns:
                begin = df["periode"].astype(object).map(start_of).to_numpy("datetime64[D]")
                drop |= begin >= gone
            for c in ("tanggal_mulai", "tanggal"):
                if c in df.columns and col == "nip":
                    drop |= df[c].to_numpy().astype("datetime64[D]") >= gone
        out[name] = df.loc[~drop].reset_index(drop=True) if drop.any() else df
    return out, employed


def _leaver_truth(cfg: SynthConfig, city: _City, keluar: np.ndarray, employed: np.ndarray):
    """How many left, and the ASN per period and per OPD and period: the head-counts a
    period's documents count (:func:`kinerja_analysis.analyses.shared.pegawai_through`)."""
    per_opd = {
        p: {
            str(o): int(c)
            for o, c in zip(
                city.opd_names,
                np.bincount(city.opd[employed[:, t]], minlength=len(city.opd_names)),
                strict=True,
            )
        }
        for t, p in enumerate(cfg.periods)
    }
    return {
        "n_keluar": int((~np.isnat(keluar)).sum()),
        "asn_per_periode": {p: int(employed[:, t].sum()) for t, p in enumerate(cfg.periods)},
        "asn_per_opd_periode": per_opd,
    }


def _truth_tables(cfg, city, lat, trn, perf, present, cap1, cap0, leniency, lay_eff, butir):
    n, T = len(city.nip), len(cfg.periods)
    per = np.array(cfg.periods, dtype=object)
    code = lambda idx: _strs(np.where(idx >= 0, per[np.maximum(idx, 0)], None))  # noqa: E731
    cls_name = np.where(
        trn.cls >= 0, np.array(RELEVANSI, dtype=object)[np.maximum(trn.cls, 0)], None
    )
    peg = pd.DataFrame(
        {
            "nip": _strs(city.nip),
            "opd": city.pegawai["opd"],
            "jenis_jabatan": city.pegawai["jenis_jabatan"],
            "ability": lat.ability,
            "motivation": lat.motivation,
            "weakest_dimensi": _strs(BERAKHLAK, lat.weakest),
            "first_training_period": code(trn.g),
            "relevansi": _strs(cls_name),
            "sumber_pertama": _strs(np.where(trn.g >= 0, np.where(trn.sumber_dif, "difasilitasi",
                                                                  "mandiri"), None)),
            "target_dimensi": _strs(np.where(trn.target_dim >= 0, np.array(BERAKHLAK, dtype=object)[
                np.maximum(trn.target_dim, 0)], None)),
            "komunikasi_period": code(trn.comm),
            "feedback_rate": perf.sup_rate,
            "feedback_skill": perf.sup_skill,
            "leniency": leniency,
        }
    )  # fmt: skip
    komp = pd.DataFrame(
        {
            "nip": _strs(city.nip, np.repeat(np.arange(n), 7)),
            "dimensi": _strs(BERAKHLAK, np.tile(np.arange(7), n)),
            "true_score": lat.competence.reshape(-1),
        }
    )
    rater = pd.DataFrame({"id_penilai": _strs(city.nip), "leniency": leniency})
    ee, tt = np.meshgrid(np.arange(n), np.arange(T), indexing="ij")
    ee, tt = ee.ravel(), tt.ravel()
    kin = pd.DataFrame(
        {
            "nip": _strs(city.nip, ee),
            "periode": _strs(per, tt),
            "P": perf.P.ravel(),
            "P0": (perf.P - trn.tau).ravel(),
            "tau": trn.tau.ravel(),
            "phi": perf.phi.ravel(),
            "n_baik": perf.good.ravel().astype(np.int64),
            "n_buruk": perf.poor.ravel().astype(np.int64),
            "skp_ada": present.ravel(),
            "capaian1": cap1.ravel(),
            "capaian0": cap0.ravel(),
        }
    )
    g = np.repeat(trn.g, T)
    sel = (g >= 0) & (tt >= g)
    efek = kin.loc[sel, ["nip", "periode", "tau"]].copy()
    efek.insert(2, "cohort", per[g[sel]])
    efek.insert(3, "event_time", (tt - g)[sel])
    efek.insert(4, "relevansi", np.repeat(cls_name, T)[sel])
    efek["tau_capaian"] = (kin["capaian1"] - kin["capaian0"])[sel]
    efek = efek.astype({"cohort": "str", "relevansi": "str"}).reset_index(drop=True)
    opd = pd.DataFrame(
        {
            "opd": _strs(city.opd_names),
            "resistance": city.resistance,
            "periode_mulai": code(city.rollout),
            "layanan_publik": city.opd_service,
            "n_pegawai": np.bincount(city.opd, minlength=len(city.opd_names)),
        }
    )
    return {
        "pegawai": peg,
        "kompetensi": komp,
        "rater": rater,
        "pelatihan_efek": efek,
        "kinerja": kin,
        "opd": opd,
        "layanan_efek": lay_eff,
        "survei_butir": butir,
    }


# --------------------------------------------------------------------------- writing


def _to_arrow(df: pd.DataFrame, dates_as_text: bool, decimals: int = 6) -> pa.Table:
    """Arrow table of ``df``: floats rounded, dates as ISO text (CSV) or date32."""
    cols = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            d = s.to_numpy().astype("datetime64[D]")
            arr = pa.array(d, type=pa.date32(), mask=np.isnat(d))
            cols[c] = arr.cast(pa.string()) if dates_as_text else arr
        elif pd.api.types.is_bool_dtype(s):
            cols[c] = pa.array(s.to_numpy(dtype=bool))
        elif pd.api.types.is_float_dtype(s):
            cols[c] = pa.array(np.round(s.to_numpy(dtype=float), decimals), from_pandas=True)
        elif pd.api.types.is_integer_dtype(s):
            cols[c] = pa.array(s.to_numpy())
        else:
            cols[c] = pa.array(s, type=pa.string(), from_pandas=True)
    return pa.table(cols)


def _write_table(df: pd.DataFrame, path: Path, fmt: str) -> None:
    table = _to_arrow(df, dates_as_text=(fmt == "csv"))
    if fmt == "csv":
        pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))
    else:
        pq.write_table(table, path, compression="zstd")


def write_dataset(
    result: SynthResult, out_dir: str | Path, fmt: Literal["csv", "parquet"] = "csv"
) -> list[Path]:
    """Write a generated dataset folder.

    Writes ``<table>.<fmt>`` for each table, ``truth.json`` and ``_truth/<name>.csv``.
    Everything is first written to a temporary folder next to ``out_dir`` and then moved
    into place with ``os.replace`` (file by file), so a failure while writing leaves the
    previous dataset untouched. Table files of the same name with another extension are
    removed (the loader refuses a table present twice).

    Returns
    -------
    list of Path
        The files written, in the order written.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', got {fmt!r}")
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        (tmp / "_truth").mkdir()
        rel: list[Path] = []
        for name, df in result.tables.items():
            _write_table(df, tmp / f"{name}.{fmt}", fmt)
            rel.append(Path(f"{name}.{fmt}"))
        text = json.dumps(result.truth, indent=2, sort_keys=True, ensure_ascii=False)
        (tmp / "truth.json").write_text(text + "\n", encoding="utf-8")
        rel.append(Path("truth.json"))
        for name, df in result.truth_tables.items():
            _write_table(df, tmp / "_truth" / f"{name}.csv", "csv")
            rel.append(Path("_truth") / f"{name}.csv")
        out.mkdir(parents=True, exist_ok=True)
        (out / "_truth").mkdir(exist_ok=True)
        for name in result.tables:
            for ext in (".csv", ".parquet", ".xlsx"):
                stale = out / f"{name}{ext}"
                if ext != f".{fmt}" and stale.exists():
                    stale.unlink()
        for r in rel:
            os.replace(tmp / r, out / r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / r for r in rel]
