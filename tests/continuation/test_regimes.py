"""Two-parameter fold curves, cusps, the regime map and the attachment regime table
(issue 4, points 2 and 5)."""

import functools

import numpy as np

import dyadmodel as dm
from dyadmodel.attachment import AttachmentStyle
from dyadmodel.continuation import (
    attachment_regime_table,
    classify_regime,
    continuation,
    regime_map,
)

FLAGSHIP = dm.models.get("pursuer-distancer-2d")
GAINS = (("anxiety_gain_1", (0.0, 4.0)), ("avoidance_gain_2", (0.0, 4.0)))


@functools.cache
def gains_map():
    return regime_map(FLAGSHIP, None, *GAINS, resolution=12)


def _crossings(p, q, xs, ys, closed=False):
    """Number of times the polyline (xs, ys) crosses the segment p-q. The polyline's
    ends lie on the rectangle's edges, as do grid points: move them a little outward
    so that a curve ending on an edge crosses the edge's grid segments."""
    pts = np.column_stack([xs, ys])
    if not closed:
        pts[0] += 0.1 * (pts[0] - pts[1])
        pts[-1] += 0.1 * (pts[-1] - pts[-2])
    a, b = pts[:-1], pts[1:]

    def orient(u, v, w):
        return np.sign(
            (v[..., 0] - u[..., 0]) * (w[..., 1] - u[..., 1])
            - (v[..., 1] - u[..., 1]) * (w[..., 0] - u[..., 0])
        )

    p, q = np.asarray(p, float), np.asarray(q, float)
    hit = (orient(a, b, p) * orient(a, b, q) < 0) & (orient(p, q, a) * orient(p, q, b) < 0)
    return int(np.count_nonzero(hit))


def test_grid_and_fold_curves_agree():
    """Every pair of neighbouring grid points with different numbers of equilibria is
    separated by a continued fold curve (an odd number of crossings), and neighbours with
    no curve between them have the same number: the boundaries come from continuation
    and the grid independently confirms them."""
    r = gains_map()
    assert r.complete.all() and not r.notes
    assert all(c.status in ("completed", "closed") for c in r.fold_curves)
    X, Y = np.meshgrid(r.x_values, r.y_values)
    n_pairs = n_differ = 0
    for dj, di in ((0, 1), (1, 0)):
        for j in range(len(r.y_values) - dj):
            for i in range(len(r.x_values) - di):
                p, q = (X[j, i], Y[j, i]), (X[j + dj, i + di], Y[j + dj, i + di])
                k = sum(
                    _crossings(p, q, c.x_values, c.y_values, c.status == "closed")
                    for c in r.fold_curves
                )
                differ = r.n_equilibria[j, i] != r.n_equilibria[j + dj, i + di]
                assert differ == (k % 2 == 1), (p, q, k)
                n_pairs += 1
                n_differ += differ
    assert n_differ >= 10 and n_pairs == 2 * 12 * 11


def test_regimes_of_the_gain_plane():
    """Low gains: balanced only; high gains: entrenched only; equal gains between the
    folds (1.787 and 2.604, the bistable range of the flagship's defaults): bistable."""
    r = gains_map()
    assert r.regimes[0, 0] == "balanced only"
    assert r.regimes[-1, -1] == "entrenched only"
    assert "bistable" in r.regime_counts()
    for g in (1.8, 2.0, 2.6):
        eqs = dm.equilibria(FLAGSHIP, FLAGSHIP.params(anxiety_gain_1=g, avoidance_gain_2=g))
        assert classify_regime(eqs) == "bistable"
    for g in (1.78, 2.61):
        eqs = dm.equilibria(FLAGSHIP, FLAGSHIP.params(anxiety_gain_1=g, avoidance_gain_2=g))
        assert classify_regime(eqs) != "bistable"
    # along the diagonal the fold curves cross at the two ends of the bistable range
    on_diagonal = []
    for c in r.fold_curves:
        d = c.x_values - c.y_values
        for i in np.nonzero(d[:-1] * d[1:] <= 0)[0]:
            on_diagonal.append(c.x_values[i])
    assert np.allclose(sorted(on_diagonal), [1.787, 2.604], atol=0.05)


def test_cusp_where_two_folds_merge():
    """The fold curve of the flagship in (anxiety_gain_1, avoidance_gain_2) has a cusp
    (at large anxiety and small avoidance gain): just before it, a one-parameter
    continuation in avoidance_gain_2 meets two folds close together; just past it, none."""
    r = regime_map(
        FLAGSHIP, None, ("anxiety_gain_1", (14.0, 20.0)), ("avoidance_gain_2", (0.15, 0.4)), 3
    )
    (cusp,) = r.cusps
    assert cusp.kind == "cusp"
    assert abs(cusp.x_value - 19.1969) < 1e-3 and abs(cusp.y_value - 0.2422) < 1e-3
    assert np.min(np.abs(cusp.eigenvalues)) < 1e-8
    span = (cusp.y_value - 0.05, cusp.y_value + 0.05)
    before = continuation(
        FLAGSHIP, cusp.params.replace(anxiety_gain_1=cusp.x_value - 0.05), "avoidance_gain_2", span
    )
    after = continuation(
        FLAGSHIP, cusp.params.replace(anxiety_gain_1=cusp.x_value + 0.05), "avoidance_gain_2", span
    )
    assert len(before.folds) == 2 and len(after.folds) == 0
    lo, hi = (s.value for s in before.folds)
    assert hi - lo < 0.01 and abs(0.5 * (lo + hi) - cusp.y_value) < 0.01


def test_attachment_regime_table():
    """Phenomenon 9 of the paper through the attachment mapping: all 16 pairings of the four
    styles have a regime; secure/secure is balanced only, anxious/avoidant is bistable or
    entrenched only (the anxious partner 1 pursues the avoidant partner 2)."""
    table = attachment_regime_table(FLAGSHIP)
    assert len(table) == 16
    styles = [s.value for s in AttachmentStyle]
    assert [(r.style_1, r.style_2) for r in table] == [(a, b) for a in styles for b in styles]
    regime = {(r.style_1, r.style_2): r.regime for r in table}
    assert regime["secure", "secure"] == "balanced only"
    assert regime["anxious", "avoidant"] in ("bistable", "entrenched only")
    assert all(r.model_name == FLAGSHIP.name for r in table)
