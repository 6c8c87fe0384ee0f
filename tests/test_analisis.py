"""Shared analyses: same data + same parameters → same numbers; cache round trip."""

from __future__ import annotations

import pandas as pd
import pytest
from shared_frames import assert_same_shared

from kinerja_analysis.analyses.shared import compute_shared, load_shared, save_shared
from kinerja_analysis.reporting.facts import period_facts


@pytest.fixture(scope="module")
def ds(city_300):
    return city_300.ds


def test_same_inputs_same_numbers(ds, tmp_path) -> None:
    a = compute_shared(ds, seed=7, n_boot=99)
    b = compute_shared(ds, seed=7, n_boot=99)
    assert_same_shared(a, b, notes=False)
    # stored and reloaded, the facts of a period are the same
    folder = save_shared(a, tmp_path / "bersama")
    c = load_shared(folder)
    fa = period_facts(ds, a, ds.periods[-1], date=pd.Timestamp("2026-11-28").date())
    fc = period_facts(ds, c, ds.periods[-1], date=pd.Timestamp("2026-11-28").date())
    assert [e.estimate for e in fa.effects] == pytest.approx([e.estimate for e in fc.effects])
    pd.testing.assert_frame_equal(fa.predikat_distribution, fc.predikat_distribution)


def test_work_shared_over_cpus_equals_it_in_process(ds, monkeypatch) -> None:
    """On a second CPU the rater reliability runs in a forked child beside the
    estimators, and the training's subgroup estimates are shared out
    over forked children: every frame and note is the same as computed in this process
    (one CPU)."""
    import kinerja_analysis.analyses.shared as S
    import kinerja_analysis.analyses.training as T
    from kinerja_analysis.core import parallel

    forks = []
    fork = parallel._fork_child
    monkeypatch.setattr(parallel, "_fork_child", lambda *a: forks.append(1) or fork(*a))
    for mod in (S, T):
        monkeypatch.setattr(mod, "available_cpus", lambda: 2)
    forked = compute_shared(ds, seed=7, n_boot=99)
    n_forks = len(forks)
    assert n_forks >= 2  # the reliability and the subgroups did go to children
    for mod in (S, T):
        monkeypatch.setattr(mod, "available_cpus", lambda: 1)
    here = compute_shared(ds, seed=7, n_boot=99)
    assert len(forks) == n_forks  # no child on one CPU
    assert forked.reliability is not None and len(forked.reliability)
    assert forked.pelatihan_heterogen is not None and len(forked.pelatihan_heterogen) >= 2
    assert_same_shared(forked, here)


def test_reliability_that_cannot_be_estimated_in_the_child_is_a_note(ds, monkeypatch) -> None:
    """The child's failure is raised here again, where the step always ran: a step that
    cannot be estimated becomes the ``reliabilitas`` note, as in one process."""
    import kinerja_analysis.analyses.rater_reliability as R
    import kinerja_analysis.analyses.shared as S
    from kinerja_analysis.core.errors import NotEstimable

    def impossible(perilaku):
        raise NotEstimable(f"{len(perilaku)} ratings, no rater pair", reason="few_observations")

    monkeypatch.setattr(R, "rating_reliability", impossible)
    for cpus in (2, 1):
        monkeypatch.setattr(S, "available_cpus", lambda cpus=cpus: cpus)
        res = compute_shared(ds, seed=7, n_boot=99)
        assert res.reliability is None
        got = [n for n in res.notes if n.fields.get("analisis") == "reliabilitas"]
        assert len(got) == 1, res.notes


def test_pyfixest_runs_in_this_process_only(ds, monkeypatch, tmp_path) -> None:
    """pyfixest's Rust core keeps a thread pool (rayon) that a forked child does not
    have: a child calling it after this process has used it waits for ever. So no
    forked child of compute_shared (the rater reliability, the training's subgroups)
    calls pyfixest, on a second call either (the first has started the pool here): every
    call comes from this process, and the second call finishes (an alarm fails the test
    instead of hanging it)."""
    import os
    import signal

    import kinerja_analysis.analyses.shared as S
    import kinerja_analysis.analyses.training as T
    from kinerja_analysis.methods import fixest

    calls = tmp_path / "pids"
    real = fixest.feols

    def feols(*args, **kwargs):
        with calls.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(fixest, "feols", feols)
    for mod in (S, T):
        monkeypatch.setattr(mod, "available_cpus", lambda: 2)

    def hung(*_):
        raise TimeoutError("compute_shared hung: a forked child waits on pyfixest's threads")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(600)
    try:
        for _ in range(2):
            compute_shared(ds, seed=7, n_boot=99)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    pids = set(calls.read_text().split())
    assert pids == {str(os.getpid())}


def test_unknown_period_is_named(ds) -> None:
    h = compute_shared(ds, seed=7, n_boot=99, reliability=False)
    with pytest.raises(ValueError, match="2031Q1"):
        period_facts(ds, h, "2031Q1")


def test_stored_results_keep_their_names_on_disk(tmp_path) -> None:
    """Renamed fields are stored under the names earlier versions wrote, so a store
    written before the renaming reads back, and one written now reads in both."""
    import json

    from kinerja_analysis.analyses.notes import Note
    from kinerja_analysis.analyses.shared import SharedResults

    # text of one dtype on any pandas (plain strings are object on pandas 2, stored as text)
    frame = pd.DataFrame({"periode": pd.array(["2025Q1"], dtype="string[pyarrow]"), "x": [1.5]})
    note = Note("tidak_diestimasi", {"analisis": "ordinal", "sebab": "one_category"})
    h = SharedResults(
        evaluasi=frame, skor_dimensi=frame, panel=frame, pelatihan_dynamic=frame,
        reliability=frame, resmi_agreement=frame, notes=(note,),
    )  # fmt: skip
    folder = save_shared(h, tmp_path / "baru")
    stems = {p.stem for p in folder.glob("*.parquet")}
    assert {"pelatihan_dinamis", "reliabilitas", "kesesuaian_resmi"} <= stems
    assert not {"pelatihan_dynamic", "reliability", "resmi_agreement"} & stems
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    assert meta["catatan"] == [note.to_json()] and "notes" not in meta
    back = load_shared(folder)
    assert back.notes == (note,)
    for name in ("pelatihan_dynamic", "reliability", "resmi_agreement"):
        pd.testing.assert_frame_equal(getattr(back, name), frame, obj=name)
    # the old attribute names still read, with a warning
    with pytest.warns(DeprecationWarning, match="SharedResults.reliabilitas is deprecated"):
        assert back.reliabilitas is back.reliability
