"""Data windows where a table starts later than the others (a real agency's export).

A period's documents use the data up to that period only; when a table starts later
(feedback recorded from one period on, SKP and 360° ratings later than the official
results), a window holds a table with no rows, or with its first period last. Such a
window must give notes (what cannot be estimated, and why, in Indonesian) and documents
— never an error that stops the batch. An unexpected error in one window fails that
period's runs only.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.analyses import shared as shared_mod
from kinerja_analysis.analyses.feedback import estimate_feedback_effects
from kinerja_analysis.analyses.notes import Note
from kinerja_analysis.analyses.shared import compute_shared, prepare_shared
from kinerja_analysis.core.errors import NotEstimable
from kinerja_analysis.core.frames import merge_frames
from kinerja_analysis.domain.official import official_evaluation
from kinerja_analysis.domain.predikat import evaluate_period
from kinerja_analysis.methods import fixest


def _from(ds, table: str, start: str):
    """``ds`` with ``table``'s rows before ``start`` removed (the table starts then)."""
    t = dict(ds.tables)
    df = t[table]
    t[table] = df.loc[(df["periode"].astype(str) >= start).to_numpy()].reset_index(drop=True)
    return dataclasses.replace(ds, tables=t)


# ----------------------------------------------------------------- the fixest adapter


def _panel(n: int = 30, periods: int = 3, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(
        {"u": np.repeat([f"u{i}" for i in range(n)], periods), "p": np.tile(range(periods), n)}
    )
    d["x"] = rng.normal(size=len(d))
    d["y"] = 0.5 * d["x"] + rng.normal(size=len(d))
    return d


def test_adapter_turns_a_regressor_without_variation_into_not_estimable():
    d = _panel().assign(x=0.0)
    with pytest.raises(NotEstimable, match="bernilai sama") as e:
        fixest.feols(d, "y", ["x"], ["u", "p"], cluster="u")
    assert "collinear" not in str(e.value)  # pyfixest's English text is not the reason


def test_adapter_turns_pyfixest_collinearity_into_not_estimable():
    d = _panel()
    d["x"] = d["p"] * 2.0  # varies by period only: absorbed by the period fixed effect
    with pytest.raises(NotEstimable, match="kolinear"):
        fixest.feols(d, "y", ["x"], ["u", "p"], cluster="u")
    # one of two regressors collinear: pyfixest would drop it and report the other
    d2 = _panel().assign(z=lambda f: f["p"] * 1.0)
    with pytest.raises(NotEstimable, match="z kolinear"):
        fixest.feols(d2, "y", ["x", "z"], ["u", "p"], cluster="u")


def test_adapter_lets_programming_errors_through():
    d = _panel()
    with pytest.raises(KeyError):
        fixest.feols(d, "y", ["nope"], ["u"])
    with pytest.raises(ValueError) as e:
        fixest.feols(d.rename(columns={"x": "x-1"}), "y", ["x-1"], ["u"])
    assert not isinstance(e.value, NotEstimable)


def test_adapter_estimates_what_it_can():
    fit = fixest.feols(_panel(n=200, seed=4), "y", ["x"], ["u", "p"], cluster="u")
    est = fixest.tidy(fit, method="FE").set_index("term").loc["x", "estimate"]
    assert est == pytest.approx(0.5, abs=0.15)  # planted 0.5, SE ~0.05


# ----------------------------------------------------------------- feedback (F1)


def test_feedback_lag_zero_for_everyone_is_a_reason_not_a_library_error():
    d = _panel(n=40, periods=4).rename(columns={"u": "nip", "p": "t", "y": "capaian"})
    d["periode"] = d["t"].map(lambda t: f"2024Q{t + 1}")
    for c in ("n_umpan_balik", "n_umpan_balik_lag1", "n_baik_lag1", "n_buruk_lag1"):
        d[c] = 0.0
    with pytest.raises(NotEstimable, match="sama untuk semua ASN") as e:
        estimate_feedback_effects(d, "capaian")
    assert "collinear" not in str(e.value)


def test_feedback_recorded_only_in_the_last_period_is_a_note(city_300):
    ds = city_300.ds
    last = ds.periods[-1]
    h = compute_shared(_from(ds, "umpan_balik", last), n_boot=19, reliability=False)
    assert h.umpan_balik is None
    note = next(n for n in h.notes if n.fields.get("analisis") == "umpan_balik")
    assert note.key == "tidak_diestimasi" and note.fields["sebab"] == "few_lag_periods"
    assert note.fields["n_periods"] == 0  # no period with last period's feedback known
    # periods before the table's first one are not recorded, not "no session"
    assert h.panel.loc[h.panel["periode"] != last, "n_umpan_balik"].isna().all()
    assert (h.panel.loc[h.panel["periode"] == last, "n_umpan_balik"] >= 0).all()


def test_feedback_starting_one_period_before_the_window_end_is_a_note(city_300):
    ds = city_300.ds
    start, end = ds.periods[-2], ds.periods[-1]
    h = compute_shared(_from(ds, "umpan_balik", start), through=end, n_boot=19, reliability=False)
    assert h.umpan_balik is None  # one period with last period's feedback known
    note = next(n for n in h.notes if n.fields.get("analisis") == "umpan_balik")
    assert note.key == "tidak_diestimasi" and note.fields["sebab"] == "few_lag_periods"
    assert note.fields["n_periods"] == 1


# ----------------------------------------------------------------- empty tables (F2)


def test_merge_of_two_emptied_arrow_frames():
    s = pd.Series(["a", "b"], dtype="string[pyarrow]")
    none = s[s == "z"]  # an arrow array emptied by a mask: no chunk at all
    left = pd.DataFrame({"nip": none, "periode": none, "x": pd.Series([], dtype=float)})
    right = pd.DataFrame({"nip": none, "periode": none, "y": pd.Series([], dtype=float)})
    out = merge_frames(left, right, on=["nip", "periode"], how="outer")
    assert list(out.columns) == ["nip", "periode", "x", "y"] and len(out) == 0
    full = pd.DataFrame({"nip": s, "periode": s, "y": [1.0, 2.0]})
    assert len(merge_frames(left, full, on=["nip", "periode"], how="outer")) == 2


def test_evaluate_period_on_tables_without_rows(city_300):
    t = city_300.ds.tables
    skp = t["skp"].loc[(t["skp"]["periode"] == "1999Q1").to_numpy()]
    per = t["perilaku"].loc[(t["perilaku"]["periode"] == "1999Q1").to_numpy()]
    out = evaluate_period(skp, per)
    assert len(out) == 0 and {"nip", "periode", "predikat", "keterangan"} <= set(out.columns)


def test_window_with_only_official_ratings_is_evaluated_from_them(city_300):
    ds = city_300.ds
    first, second, third = ds.periods[:3]
    late = _from(_from(ds, "skp", second), "perilaku", third)
    h = compute_shared(late, through=first, n_boot=19, reliability=False)
    assert h.parameter["sumber_predikat"] == "resmi"
    resmi = official_evaluation(ds.penilaian_resmi)
    want = resmi.loc[resmi["periode"] == first].set_index("nip")["predikat"].astype(str)
    got = h.evaluasi.loc[h.evaluasi["periode"] == first].set_index("nip")["predikat"]
    assert len(got) == len(want) > 0
    assert (got.astype(str).reindex(want.index) == want).all()
    assert Note("predikat_resmi", {"periode": [first]}) in h.notes
    assert Note("skp_tidak_ada", {"periode": [first]}) in h.notes
    # the next window has SKP rows for its period: official predikat, numeric capaian
    h2 = compute_shared(late, through=second, n_boot=19, reliability=False)
    assert h2.parameter["sumber_predikat"] == "resmi_skp"
    assert h2.evaluasi.loc[h2.evaluasi["periode"] == second, "capaian"].notna().any()


# ----------------------------------------------------------------- one window fails


def test_prepare_shared_fails_one_window_and_computes_the_others(city_300, tmp_path, monkeypatch):
    ds = city_300.ds
    bad, good = ds.periods[-1], ds.periods[-2]
    real = shared_mod.compute_shared

    def broken(ds, *, through=None, **kw):
        if through == bad:
            raise RuntimeError("forced failure")
        return real(ds, through=through, **kw)

    monkeypatch.setattr(shared_mod, "compute_shared", broken)
    with pytest.raises(RuntimeError):  # without on_error: as before
        prepare_shared(ds, tmp_path / "a", periods=[good, bad], n_boot=19)
    failed: dict[str, Exception] = {}
    prepare_shared(ds, tmp_path / "b", periods=[good, bad], n_boot=19, on_error=failed.__setitem__)
    assert list(failed) == [bad] and isinstance(failed[bad], RuntimeError)
    stored = [p.name.split("-")[0] for p in (tmp_path / "b").iterdir() if p.is_dir()]
    assert stored == [good]


def test_batch_writes_the_other_periods_when_one_window_fails(city_300, tmp_path, monkeypatch):
    from kinerja_analysis.pipeline.batch import run_batch

    ds = city_300.ds
    bad, good = ds.periods[-1], ds.periods[-2]
    real = shared_mod.compute_shared

    def broken(ds, *, through=None, **kw):
        if through == bad:
            raise RuntimeError("forced failure 199001012015031099")
        return real(ds, through=through, **kw)

    monkeypatch.setattr(shared_mod, "compute_shared", broken)
    out = tmp_path / "reports"
    s = run_batch(
        city_300.data_dir,
        out,
        periods=[good, bad],
        notebooks=["10"],
        formats=("html",),
        workers=1,
        progress=False,
        cache_dir=tmp_path / "cache",  # a store other tests left would skip the window
    )
    st = s.tidy().set_index("periode")
    assert st.loc[good, "status"] == "ok"
    assert st.loc[bad, "status"] == "gagal"
    msg = st.loc[bad, "message"]
    assert "analisis lintas periode" in msg and "RuntimeError" in msg
    assert "forced failure" not in msg
    assert (out / good / f"laporan_periode_{good}.html").exists()
    assert not list((out / bad).glob("*.html"))
    log = s.log_path.read_text("utf-8")
    assert "forced failure" in log and "199001012015031099" not in log  # NIP redacted
    assert s.exit_code == 1
    entry = __import__("json").loads((out / bad / "manifest.json").read_text())["runs"]["10"]
    assert entry["gagal_sebab"] == "analisis"
