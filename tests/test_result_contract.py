"""One result contract: every result object's ``tidy()`` passes :func:`check_tidy`.

Every subclass of :class:`kinerja_analysis.core.results.Result` in the package is found by
walking the package, built here from a small input, and checked: ``tidy()`` starts with
the shared columns and has ASCII terms, ``glance()`` is one row, ``_repr_html_()`` shows
a table. A new result class without a builder below fails the first test. The tidy
frames that functions return directly (ICC, Cronbach, Krippendorff, aggregations, TWFE)
are checked the same way.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_parameter_names import flagged

import kinerja_analysis
from kinerja_analysis.core.results import TIDY_COLUMNS, Result, check_tidy

DATA = Path(__file__).parent / "data"


def _all_result_classes() -> set[type]:
    for m in pkgutil.walk_packages(kinerja_analysis.__path__, "kinerja_analysis."):
        if m.name.split(".")[1] in ("pipeline",):
            continue
        importlib.import_module(m.name)

    def sub(c: type) -> set[type]:
        return {c, *(x for s in c.__subclasses__() for x in sub(s))}

    return {c for c in sub(Result) if c is not Result and c.__module__.startswith("kinerja")}


@pytest.fixture(scope="module")
def city():
    from kinerja_analysis.analyses.panel import build_panel
    from kinerja_analysis.data.synth import generate

    res = generate(n_pegawai=800, seed=4)
    periods = sorted(res.tables["skp"]["periode"].unique())
    return res, periods, build_panel(dict(res.tables), periods).data


def _did(city):
    from kinerja_analysis.methods.did import staggered_did

    d = pd.read_csv(DATA / "mpdta.csv")
    return staggered_did(d, "lemp", "countyreal", "year", "first.treat", n_boot=49)


def _hs():
    from kinerja_analysis.methods.cfa import FactorSpec

    d = pd.read_csv(DATA / "holzinger_swineford_1939.csv")
    spec = FactorSpec.from_dict(
        {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}
    )
    return d, spec


def _cfa_fit(city):
    from kinerja_analysis.methods.cfa import fit_cfa

    d, spec = _hs()
    return fit_cfa(d[list(spec.indicators)], spec)


def _invariance(city):
    from kinerja_analysis.methods.cfa import fit_invariance

    d, spec = _hs()
    groups = {s: d.loc[d["school"] == s, list(spec.indicators)] for s in d["school"].unique()}
    return fit_invariance(groups, spec, levels=("configural", "metric"))


def _survey_instrument(city):
    res, _, _ = city
    return res.tables["survei"], res.tables["survei_instrumen"]


def _cfa_result(city):
    from kinerja_analysis.domain.survey import cfa

    return cfa(*_survey_instrument(city))


def _scale_reliability(city):
    from kinerja_analysis.domain.survey import scale_reliability

    return scale_reliability(*_survey_instrument(city))


def _regression(city):
    from kinerja_analysis.methods.regression import ols_assumption_checks

    rng = np.random.default_rng(0)
    d = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    d["y"] = d["a"] + rng.normal(size=200)
    return ols_assumption_checks(d, "y", ["a", "b"])


def _variance_components(city):
    from kinerja_analysis.methods.reliability import variance_components

    res, _, _ = city
    p = res.tables["perilaku"]
    p = p[(p["dimensi"] == "akuntabel") & (p["periode"] == p["periode"].min())]
    return variance_components(p, "nip", "id_penilai", "skor")


def _wild(city):
    from kinerja_analysis.methods.wildboot import wild_cluster_test

    rng = np.random.default_rng(1)
    x = np.column_stack([np.ones(120), rng.normal(size=120)])
    y = x @ [1.0, 0.5] + rng.normal(size=120)
    return wild_cluster_test(x, y, np.repeat(np.arange(12), 10), np.array([0.0, 1.0]), n_boot=99)


def _sensitivity(city):
    from kinerja_analysis.methods.did.sensitivity import honest_did

    b = np.array([0.01, -0.02, 0.0, 0.3, 0.35])
    return honest_did(b, np.eye(5) * 0.02**2, 3, 2, values=[0, 1], grid_points=101)


def _rater_model(city):
    from kinerja_analysis.domain.perilaku import rater_model

    return rater_model(city[0].tables["perilaku"])


def _output_vs_competency(city):
    from kinerja_analysis.domain.predikat import evaluate_period, output_vs_competency

    t = city[0].tables
    return output_vs_competency(evaluate_period(t["skp"], t["perilaku"]), t["pegawai"])


def _training(city):
    from kinerja_analysis.analyses.training import estimate_training_effects

    return estimate_training_effects(city[2], "capaian", subgroups=("relevansi",), n_boot=49)


def _feedback(city):
    from kinerja_analysis.analyses.feedback import estimate_feedback_effects

    return estimate_feedback_effects(city[2], "capaian")


def _rollout(city):
    from kinerja_analysis.analyses.rollout import estimate_rollout_effects, prepare_layanan

    res, periods, _ = city
    lay = prepare_layanan(res.tables["layanan"], res.tables["penerapan"], periods)
    return estimate_rollout_effects(lay, outcomes=("ikm",), n_boot=199)


#: Column names of the survey's published tables (``domain/survey.py``: the conventions of
#: Indonesian survey theses, labelled in ``labels.toml``), which its results' ``glance()``
#: repeats.
SURVEY_CONVENTIONS = frozenset({"solusi_wajar", "masalah", "n_reliabel", "n_omega_tidak_layak"})

BUILDERS: dict[str, Callable] = {
    "DidResult": _did,
    "CfaFit": _cfa_fit,
    "InvarianceResult": _invariance,
    "CfaResult": _cfa_result,
    "ScaleReliability": _scale_reliability,
    "RegressionResult": _regression,
    "VarianceComponents": _variance_components,
    "WildResult": _wild,
    "SensitivityResult": _sensitivity,
    "RaterModel": _rater_model,
    "OutputVsCompetency": _output_vs_competency,
    "TrainingResult": _training,
    "FeedbackResult": _feedback,
    "RolloutResult": _rollout,
}


def test_every_result_class_has_a_builder():
    names = {c.__name__ for c in _all_result_classes()}
    assert names == set(BUILDERS), sorted(names ^ set(BUILDERS))


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_result_follows_the_contract(name, city):
    obj = BUILDERS[name](city)
    assert isinstance(obj, Result) and type(obj).__name__ == name
    t = check_tidy(obj.tidy())
    assert len(t) > 0
    g = obj.glance()
    assert isinstance(g, pd.DataFrame) and len(g) == 1
    assert "<table" in obj._repr_html_()
    # the naming rule (README): context columns are English unless a regulation or the
    # data contract names them, or the survey's published tables' conventions do
    for kind, frame in (("tidy", t), ("glance", g)):
        extra = [str(c) for c in frame.columns if c not in TIDY_COLUMNS]
        bad = {c: flagged(c) for c in extra if flagged(c) and c not in SURVEY_CONVENTIONS}
        assert not bad, f"{name}.{kind}(): Indonesian infrastructure words {bad}"


def test_tidy_frames_returned_by_functions(city):
    from kinerja_analysis.analyses.rater_reliability import rating_reliability
    from kinerja_analysis.methods.did.twfe import twfe, twfe_event_study
    from kinerja_analysis.methods.reliability import (
        alpha_if_deleted,
        cronbach_alpha,
        icc,
        krippendorff_alpha,
    )

    res, _, _ = city
    p = res.tables["perilaku"]
    one = p[(p["dimensi"] == "akuntabel") & (p["periode"] == p["periode"].min())]
    frames = [
        icc(one, "nip", "id_penilai", "skor"),
        krippendorff_alpha(one, "nip", "id_penilai", "skor", "interval"),
        rating_reliability(p[p["periode"] == p["periode"].min()]),
    ]
    surv = res.tables["survei"]
    item_cols = [c for c in surv.columns if c not in ("nip", "periode")][:4]
    frames += [cronbach_alpha(surv[item_cols]), alpha_if_deleted(surv[item_cols])]
    did = _did(city)
    frames += [did.aggregate(k) for k in ("simple", "group", "dynamic", "calendar")]
    mp = pd.read_csv(DATA / "mpdta.csv")
    frames += [
        twfe(mp, "lemp", "countyreal", "year", "first.treat"),
        twfe_event_study(mp, "lemp", "countyreal", "year", "first.treat"),
    ]
    for f in frames:
        check_tidy(f)
