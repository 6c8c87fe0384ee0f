# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Survei ASN
#
# Rata-rata jawaban survei ASN per butir dan per konstruk pada periode laporan. Butir
# negatif (terbalik) sudah dibalik skornya sehingga nilai lebih tinggi selalu berarti
# lebih baik. Uji validitas, reliabilitas dan struktur faktor disajikan oleh modul survei.

# %% tags=["parameters"]
# Optional[...] (bukan "str | None"): papermill --help-notebook hanya membaca bentuk ini.
# ruff: noqa: E402, UP045
from typing import Optional

periode: str = "2025Q4"  # periode evaluasi: YYYYQn (triwulan), YYYYSn (semester) atau YYYY
data_dir: str = "../data/kotalama"  # folder dataset mentah (relatif terhadap notebooks/)
output_dir: str = "../reports/2025Q4"  # folder keluaran; tabel XLSX ke <output_dir>/tabel
cache_dir: Optional[str] = None  # cache data tervalidasi dari batch; None: validasi ulang di sini
bahasa: str = "id"  # format angka dan periode: "id" (Indonesia) atau "en" (English)
opd: Optional[str] = None  # nama satu OPD untuk laporan per OPD; None: seluruh kota
min_sel: int = 5  # kelompok dengan ASN lebih sedikit dari ini disembunyikan
seed: int = 2025  # seed untuk langkah acak (bootstrap); hasil sama untuk seed yang sama

# %%
import matplotlib.pyplot as plt
import seaborn as sns
from IPython.display import Markdown, display

from kinerja_analysis import fmt, report

report.gaya_grafik()
ds = report.muat_data(data_dir, cache_dir)
periode = report.cek_periode(ds, periode)
t = report.tabel_data(ds, opd)
periode_teks = fmt.periode_kata(periode, bahasa)
cakupan = f"OPD {opd}" if opd else "seluruh OPD Pemerintah Kota Kotalama"

# %% [markdown]
# ## Rata-rata per konstruk

# %%
ada_survei = "survei" in t and "survei_instrumen" in t
if ada_survei:
    butir = report.survei_butir(t["survei"], t["survei_instrumen"], periode, min_sel)
    konstruk = report.survei_konstruk(butir)
    n_responden = int(t["survei"].loc[t["survei"]["periode"] == periode, "nip"].nunique())
    report.simpan_tabel(
        output_dir, "survei_konstruk", konstruk, judul=f"Survei per konstruk {periode_teks}"
    )
    report.simpan_tabel(output_dir, "survei_butir", butir, judul=f"Survei per butir {periode_teks}")
    display(
        Markdown(
            f"Responden pada {periode_teks}: {fmt.angka(n_responden, 0, bahasa)} ASN ({cakupan})."
        )
    )
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(konstruk) + 1.2))
    sns.barplot(data=konstruk, y="konstruk", x="rerata", color="#2a6f97", ax=ax)
    ax.set(
        xlim=(1, 5),
        xlabel="Rata-rata (1–5)",
        ylabel="",
        title=f"Survei ASN per konstruk, {periode_teks}",
    )
    plt.show()
    display(
        report.tabel(
            konstruk,
            bahasa=bahasa,
            label={"n_butir": "Butir", "n_min": "n terkecil", "rerata": "Rata-rata"},
        )
    )
else:
    display(Markdown("Data survei tidak tersedia."))

# %% [markdown]
# ## Rata-rata per butir

# %%
if ada_survei:
    display(
        report.tabel(
            butir.drop(columns="disembunyikan"),
            bahasa=bahasa,
            label={
                "teks": "Pernyataan",
                "terbalik": "Terbalik",
                "rerata": "Rata-rata",
                "sd": "Simpangan baku",
            },
        )
    )
