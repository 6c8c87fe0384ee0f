"""Official e-Kinerja results: the domain functions, the shared results without numeric
tables, and a full period report for an official-ratings-only monthly dataset."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.data.contract import PREDIKAT, RATING
from kinerja_analysis.data.rules import PREDIKAT_MATRIX
from kinerja_analysis.domain.official import agreement, agreement_by_opd, official_evaluation
from kinerja_analysis.domain.predikat import PREDIKAT_ORDER, predikat
from kinerja_analysis.domain.ratings import RATING_ORDER


def test_contract_labels_and_matrix_equal_the_domain() -> None:
    assert RATING == RATING_ORDER
    assert PREDIKAT == PREDIKAT_ORDER
    for (h, p), expected in PREDIKAT_MATRIX.items():
        assert predikat(h, p) == expected


def test_official_evaluation_fills_predikat_from_the_matrix_only_when_missing() -> None:
    resmi = pd.DataFrame(
        {
            "nip": ["a", "b", "c"],
            "periode": ["2025-01"] * 3,
            "rating_hasil": ["Di Atas Ekspektasi", "Di Bawah Ekspektasi", None],
            "rating_perilaku": ["Di Atas Ekspektasi", "Di Atas Ekspektasi", None],
            "predikat": [None, "Baik", "Sangat Kurang"],  # b: as recorded, even off-matrix
        }
    )
    ev = official_evaluation(resmi)
    assert ev["predikat"].astype(str).tolist() == ["Sangat Baik", "Baik", "Sangat Kurang"]
    assert ev["sumber_predikat"].tolist() == ["matriks", "resmi", "resmi"]
    assert ev["capaian"].isna().all() and ev["keterangan"].eq("resmi").all()


def test_kappa_matches_the_textbook_value() -> None:
    """Cohen's kappa of the 2x2 table [[20, 5], [10, 15]]: p_o = 0.7, p_e = 0.5, κ = 0.4."""
    a = ["Baik"] * 25 + ["Sangat Baik"] * 25
    b = ["Baik"] * 20 + ["Sangat Baik"] * 5 + ["Baik"] * 10 + ["Sangat Baik"] * 15
    res = agreement(pd.Series(a), pd.Series(b))
    assert res["n"] == 50 and res["n_sama"] == 35
    assert res["pct_sama"] == pytest.approx(0.7, abs=1e-12)
    assert res["kappa"] == pytest.approx(0.4, abs=1e-12)


def test_agreement_of_columns_of_different_lengths_is_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        agreement(pd.Series(["Baik"] * 4), pd.Series(["Baik"] * 3))


def test_agreement_by_opd_counts_and_direction() -> None:
    peg = pd.DataFrame({"nip": list("abcd"), "opd": ["X", "X", "Y", "Y"]})
    resmi = pd.DataFrame(
        {"nip": list("abcd"), "periode": ["2025-01"] * 4,
         "predikat": ["Baik", "Sangat Baik", "Baik", "Butuh Perbaikan"]}
    )  # fmt: skip
    hitung = pd.DataFrame(
        {"nip": list("abcd"), "periode": ["2025-01"] * 4,
         "predikat": ["Baik", "Baik", "Sangat Baik", np.nan]}
    )  # fmt: skip
    out = agreement_by_opd(resmi, hitung, peg).set_index("opd")
    assert out.loc["X", ["n", "n_sama", "n_resmi_lebih_tinggi"]].tolist() == [2, 1, 1]
    assert out.loc["Y", ["n", "n_sama", "n_resmi_lebih_rendah"]].tolist() == [1, 0, 1]
    assert out.loc["Seluruh OPD", "n"] == 3
    assert out.loc["Seluruh OPD", "pct_sama"] == pytest.approx(1 / 3)


def _agreement_by_crosstab(m: pd.DataFrame) -> list[dict]:
    """Reference: one pandas crosstab and one statsmodels κ per (periode, OPD) group."""
    from statsmodels.stats.inter_rater import cohens_kappa

    rank = {p: i for i, p in enumerate(PREDIKAT_ORDER)}
    rows = []
    for periode, per in m.groupby("periode", sort=True, observed=True):
        groups = [(str(o), g) for o, g in per.groupby("opd", sort=True, observed=True)]
        for opd, g in [*groups, ("Seluruh OPD", per)]:
            a, b = g["predikat_resmi"].astype(object), g["predikat_hitung"].astype(object)
            both = a.notna() & b.notna()
            a, b = a[both], b[both]
            n, same, kappa = len(a), int((a == b).sum()), np.nan
            if n >= 2:
                t = pd.crosstab(
                    pd.Categorical(a, categories=PREDIKAT_ORDER),
                    pd.Categorical(b, categories=PREDIKAT_ORDER),
                    dropna=False,
                ).to_numpy(dtype=float)
                if (t.sum(0) * t.sum(1)).sum() / n**2 < 1 - 1e-12:
                    kappa = float(cohens_kappa(t, return_results=False))
            ra, rb = a.map(rank), b.map(rank)
            rows.append(
                {"periode": periode, "opd": opd, "n": n, "n_sama": same,
                 "pct_sama": same / n if n else np.nan, "kappa": kappa,
                 "n_resmi_lebih_tinggi": int((ra > rb).sum()),
                 "n_resmi_lebih_rendah": int((ra < rb).sum())}
            )  # fmt: skip
    return rows


@pytest.mark.parametrize("categorical", [False, True])
def test_agreement_by_opd_equals_one_crosstab_per_group(categorical: bool) -> None:
    """The tables counted in one pass equal a crosstab per group, κ to 1e-12: missing
    predikat on either side, an employee with no OPD (city total only), an OPD with no
    complete pair, one-category groups (κ missing)."""
    rng = np.random.default_rng(11)
    n = 3000
    nips = [f"n{i:05d}" for i in range(n)]
    opd = rng.choice(["Dinas A", "Dinas B", "Badan C", "Kec. D"], n).astype(object)
    opd[:40] = "Kantor Kecil"
    peg = pd.DataFrame({"nip": nips[20:], "opd": opd[20:]})  # 20 without an OPD
    periods = ["2025-01", "2025-02", "2025-03"]
    resmi = pd.DataFrame([(x, p) for p in periods for x in nips], columns=["nip", "periode"])
    hitung = resmi.copy()
    probs = [0.05, 0.15, 0.5, 0.2, 0.1]
    for df in (resmi, hitung):
        vals = rng.choice(PREDIKAT_ORDER, len(df), p=probs).astype(object)
        vals[rng.random(len(df)) < 0.1] = None
        df["predikat"] = vals
    small = resmi["nip"].isin(nips[:40]).to_numpy()
    resmi.loc[small & (resmi["periode"] == "2025-02").to_numpy(), "predikat"] = None
    hitung.loc[small & (hitung["periode"] == "2025-03").to_numpy(), "predikat"] = "Baik"
    resmi.loc[small & (resmi["periode"] == "2025-03").to_numpy(), "predikat"] = "Baik"
    if categorical:
        for df in (resmi, hitung):
            df["predikat"] = df["predikat"].astype(pd.CategoricalDtype(PREDIKAT_ORDER))
            df["periode"] = df["periode"].astype("category")
        peg["opd"] = peg["opd"].astype("category")

    got = agreement_by_opd(resmi, hitung, peg)

    m = resmi.merge(hitung, on=["nip", "periode"], suffixes=("_resmi", "_hitung"))
    m = m.merge(peg, on="nip", how="left")
    want = pd.DataFrame(_agreement_by_crosstab(m))
    assert got[["periode", "opd"]].astype(str).values.tolist() == (
        want[["periode", "opd"]].astype(str).values.tolist()
    )
    for c in ("n", "n_sama", "n_resmi_lebih_tinggi", "n_resmi_lebih_rendah"):
        assert got[c].tolist() == want[c].tolist(), c
    for c in ("pct_sama", "kappa"):
        np.testing.assert_allclose(got[c], want[c], rtol=0, atol=1e-12)
    small_rows = got[got["opd"] == "Kantor Kecil"].set_index("periode")
    assert small_rows.loc["2025-02", "n"] == 0 and np.isnan(small_rows.loc["2025-03", "kappa"])


# --------------------------------------------------------------------------- with the data


@pytest.fixture(scope="module")
def official_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kinerja_analysis.data.synth import generate, write_dataset

    out = tmp_path_factory.mktemp("resmi")
    months = ("2025-09", "2025-10", "2025-11", "2025-12")
    write_dataset(
        generate(n_pegawai=90, seed=11, periods=months, numeric_tables=False, pppk_share=0.3), out
    )
    return out


def test_shared_results_without_numeric_tables(official_only: Path) -> None:
    from kinerja_analysis import load_dataset
    from kinerja_analysis.analyses.shared import compute_shared

    ds = load_dataset(official_only)
    assert not ds.has("skp") and not ds.has("perilaku")
    assert ds.periods == ("2025-09", "2025-10", "2025-11", "2025-12")
    h = compute_shared(_core(ds), n_boot=49)
    assert h.parameter["sumber_predikat"] == "resmi"
    assert h.reliability is None and h.resmi_agreement is None
    ev = h.evaluasi
    off = ds.penilaian_resmi
    assert len(ev) == len(off)
    assert (ev["predikat"].astype(str).to_numpy() == off["predikat"].to_numpy()).all()
    assert [n.fields["periode"] for n in h.notes if n.key == "predikat_resmi"] == [list(ds.periods)]


def _core(ds):
    """The dataset with the tables the predikat need only (keeps the test to the point)."""
    import dataclasses

    keep = {"pegawai", "skp", "perilaku", "penilaian_resmi"}
    return dataclasses.replace(ds, tables={k: v for k, v in ds.tables.items() if k in keep})


def test_agreement_when_both_exist(tmp_path: Path) -> None:
    from kinerja_analysis import load_dataset
    from kinerja_analysis.analyses.shared import compute_shared
    from kinerja_analysis.data.synth import generate, write_dataset

    periods = ("2025Q1", "2025Q2", "2025Q3", "2025Q4")
    write_dataset(generate(n_pegawai=120, seed=5, periods=periods), tmp_path)
    ds = load_dataset(tmp_path)
    h = compute_shared(_core(ds), n_boot=49, reliability=False)
    k = h.resmi_agreement
    assert k is not None and set(k["periode"]) == set(ds.periods)
    total = k[k["opd"] == "Seluruh OPD"].set_index("periode")
    # the synthetic supervisors read the same numbers with noise: mostly, not always, equal
    assert (total["pct_sama"] > 0.5).all() and (total["pct_sama"] < 1).all()
    assert (total["n"] == total["n_sama"] + total["n_resmi_lebih_tinggi"]
            + total["n_resmi_lebih_rendah"]).all()  # fmt: skip
    per_opd = k[k["opd"] != "Seluruh OPD"].groupby("periode")["n"].sum()
    assert (per_opd == total["n"]).all()


@pytest.mark.slow
def test_official_only_monthly_dataset_gives_a_full_report(
    official_only: Path, tmp_path: Path
) -> None:
    from kinerja_analysis.pipeline.batch import run_batch

    out = tmp_path / "laporan"
    summary = run_batch(
        official_only, out, periods=["2025-12"], notebooks=["10"], workers=1,
        cache_dir=tmp_path / "cache", progress=False,
    )  # fmt: skip
    assert summary.n_gagal == 0, summary
    html = (out / "2025-12" / "laporan_periode_2025-12.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    assert "Desember 2025" in text
    assert "hasil resmi e-Kinerja saja" in text  # says what it cannot show
    assert "kemurahan (leniency) penilai" in text and "reliabilitas penilaian" in text
    assert "Sebaran predikat kinerja" in text
    assert "hanya_resmi" not in text and "tanpa_skp" not in text  # no raw text keys
    assert "per status kepegawaian" in text and "PPPK" in text  # PPPK rows in this city
    assert "pppk_paruh_waktu" not in text and "status_kepegawaian" not in text
    assert (out / "2025-12" / "laporan_periode_2025-12.pdf").is_file()
