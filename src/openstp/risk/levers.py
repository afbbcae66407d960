"""Change a laid-out run without going back to the plans: keep some footprints, scale their
savings, or put other parameter values in the priors. Each gives new ``Inputs`` that the
engine runs with the same seed, so every variant shares its draws with the original (common
random numbers: scheme keys are labelled by footprint and scheme, not by position)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields, replace

import numpy as np

from openstp.params import Parameters
from openstp.risk.inputs import Inputs, _levels, _rounds, type_grade
from openstp.risk.priors import Priors, build_priors

FOOTPRINT_AXIS = ("cost_base", "deficit_weight", "growth", "funding")
"""The fields of ``gap.draws.GapDraws`` that run over footprints (their first axis)."""


def keep_footprints(inputs: Inputs, keep: Sequence[int]) -> Inputs:
    """``inputs`` with only the footprints at indices ``keep`` (in that order) and their
    schemes, dependencies remapped."""
    keep = list(keep)
    starts: list[int] = []
    new_fp: list[int] = []
    n_schemes = len(inputs.schemes)
    bounds = np.append(inputs.starts, n_schemes)
    order: list[int] = []
    for new, f in enumerate(keep):
        starts.append(len(order))
        members = list(range(bounds[f], bounds[f + 1]))
        order += members
        new_fp += [new] * len(members)
    index = np.array(order, dtype=np.intp)
    position = np.full(n_schemes, -1, dtype=np.intp)
    position[index] = np.arange(len(index))
    edges = inputs.edges
    kept = (position[edges[:, 0]] >= 0) if len(edges) else np.zeros(0, dtype=bool)
    new_edges = position[edges[kept]].reshape(-1, 2) if len(edges) else edges
    schemes = inputs.schemes.iloc[index].reset_index(drop=True)
    schemes["footprint_index"] = np.array(new_fp, dtype=np.intp)
    priors = Priors(**{f.name: getattr(inputs.priors, f.name)[index]
                       for f in fields(inputs.priors)})
    cost = inputs.cost[index]
    new_of = {f: new for new, f in enumerate(keep)}
    gap_draws = []
    for rows, pieces in inputs.gap_draws:  # each piece's footprints that are kept, renumbered
        mine = [i for i, f in enumerate(rows.tolist()) if f in new_of]
        if mine:
            gap_draws.append((np.array([new_of[int(rows[i])] for i in mine], dtype=np.intp),
                              replace(pieces, **{name: getattr(pieces, name)[mine]
                                                 for name in FOOTPRINT_AXIS})))
    return replace(
        inputs, footprints=[inputs.footprints[f] for f in keep],
        names=[inputs.names[f] for f in keep], plans=[inputs.plans[f] for f in keep],
        gap=inputs.gap[keep], gap_nhs=inputs.gap_nhs[keep], gap_draws=gap_draws,
        schemes=schemes,
        scheme_footprint=np.array(new_fp, dtype=np.intp), starts=np.array(starts, np.intp),
        saving=inputs.saving[index], cost=cost, edges=new_edges,
        dependencies=_rounds(new_edges), levels=_levels(new_edges),
        costly=np.flatnonzero(cost.any(axis=(1, 2))), priors=priors,
        allocation=inputs.allocation[keep], tree_index=inputs.tree_index[index],
        ask=inputs.ask[index], unfunded=inputs.unfunded[index])


def scale_savings(inputs: Inputs, scale: np.ndarray) -> Inputs:
    """Every scheme's planned saving times its footprint's ``scale`` (footprint,): the ask
    grows with it, so the ambition curve marks the bigger plan down."""
    per_scheme = np.asarray(scale, dtype=float)[inputs.scheme_footprint]
    ask = inputs.ask * per_scheme
    priors = build_priors(inputs.trees, inputs.tree_index, *type_grade(inputs.schemes), ask,
                          inputs.unfunded)
    return replace(inputs, saving=inputs.saving * per_scheme[:, None, None], priors=priors,
                   ask=ask)


def with_parameters(inputs: Inputs, values: Mapping[str, float], source: str) -> Inputs:
    """``inputs`` with the priors rebuilt from every tree overridden by ``values`` (risk
    parameters only: the gap stays as laid out)."""
    trees: list[Parameters] = [t.with_overrides(dict(values), source=source)
                               for t in inputs.trees]
    priors = build_priors(trees, inputs.tree_index, *type_grade(inputs.schemes), inputs.ask,
                          inputs.unfunded)
    return replace(inputs, trees=trees, priors=priors)
