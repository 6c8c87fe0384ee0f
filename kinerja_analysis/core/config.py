"""The project's defaults in one object.

Every default that is a choice of the study rather than of an estimator — the minimum
cell size shown in a document, the random seed, bootstrap draws, minimum group sizes,
significance levels, the PP 11/2017 training right — lives in :data:`DEFAULTS`, a frozen
:class:`Defaults`. Functions take these as keyword arguments with ``DEFAULTS.<name>`` as
default, the CLI and the notebooks read them from here, and an agency profile may
override them (``dataclasses.replace(DEFAULTS, min_sel=10)``).

>>> DEFAULTS.min_sel, DEFAULTS.seed
(5, 2025)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Defaults", "DEFAULTS"]


@dataclass(frozen=True)
class Defaults:
    """Study-wide defaults.

    Attributes
    ----------
    min_sel
        Groups with fewer employees than this are suppressed in every stakeholder
        document (with their complements).
    seed
        Seed of every random step (bootstrap); same data + seed → same numbers.
    n_boot
        Multiplier-bootstrap draws for uniform bands (Callaway–Sant'Anna).
    n_boot_wild
        Wild cluster bootstrap draws for the OPD-level rollout (few clusters).
    min_n_subgroup
        Minimum trained employees for a subgroup training effect.
    alpha
        Significance level of tests and confidence intervals (two-sided, 95% CIs).
    alpha_indicative
        Level below which a result counts as an indication ("ada indikasi").
    jp_minimum
        Competency development right per ASN per year, in JP (PP 11/2017 art. 203(4)).
    """

    min_sel: int = 5
    seed: int = 2025
    n_boot: int = 999
    n_boot_wild: int = 1999
    min_n_subgroup: int = 20
    alpha: float = 0.05
    alpha_indicative: float = 0.10
    jp_minimum: float = 20.0


#: The defaults every layer uses.
DEFAULTS = Defaults()

#: The smallest synthetic city :func:`kinerja_analysis.data.synth.generate` builds: every
#: OPD and every rater role needs people (the command line checks it before any work).
SYNTH_MIN_PEGAWAI = 60
