"""Classification follows the trace-determinant rules, borderlines included.

Integer 2x2 matrices make trace, determinant and discriminant exact, so the
borderline cases (det = 0, trace = 0 with det > 0, discriminant = 0) occur exactly and
must be reported as such (Strogatz, Nonlinear Dynamics and Chaos, 2nd ed., sec. 5.2,
Fig. 5.2.8).
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dyadmodel.analysis import ClassifyOptions, classify

entries = st.integers(-4, 4)


def trace_det_verdict(J):
    tau = J[0, 0] + J[1, 1]
    delta = J[0, 0] * J[1, 1] - J[0, 1] * J[1, 0]
    disc = tau * tau - 4 * delta
    if delta == 0:
        return "non-hyperbolic"
    if delta < 0:
        return "saddle"
    if tau == 0:
        return "centre"
    sign = "stable" if tau < 0 else "unstable"
    if disc == 0:
        return f"{sign} degenerate node"
    return f"{sign} node" if disc > 0 else f"{sign} focus"


@given(entries, entries, entries, entries, st.sampled_from([1.0, 0.01, 100.0]))
def test_every_2x2_case_follows_trace_determinant_rules(a, b, c, d, scale):
    J = np.array([[a, b], [c, d]], dtype=float) * scale
    expected = trace_det_verdict(np.array([[a, b], [c, d]]))
    got = classify(np.linalg.eigvals(J), jacobian=J)
    assert got.kind == expected
    # stability flag agrees with the kind
    if expected.startswith("stable"):
        assert got.stable is True and got.n_stable == 2
    elif expected.startswith("unstable") or expected == "saddle":
        assert got.stable is False
    elif expected == "centre":
        assert got.stable is None and got.n_neutral == 2


@given(entries, entries, entries, entries)
def test_eigenvalue_route_agrees_off_the_borderlines(a, b, c, d):
    J = np.array([[a, b], [c, d]], dtype=float)
    expected = trace_det_verdict(J.astype(int))
    if "degenerate" in expected:  # a defective double root is only known to ~1e-8
        return
    assert classify(np.linalg.eigvals(J)).kind == expected


def test_tolerance_is_documented_and_used():
    assert classify([-1e-13, -1.0]).kind == "non-hyperbolic"
    assert classify([-1e-6, -1.0]).kind == "stable node"
    loose = ClassifyOptions(rtol=1e-4)
    assert classify([-1e-6, -1.0], loose).kind == "non-hyperbolic"
    assert "rtol=1e-08" in repr(ClassifyOptions())


def test_higher_dimensional_counts_and_kinds():
    c = classify([-1.0, -2.0 + 1j, -2.0 - 1j])
    assert (c.kind, c.n_stable, c.n_unstable, c.n_neutral) == ("stable focus", 3, 0, 0)
    c = classify([0.5, -2.0 + 1j, -2.0 - 1j])
    assert (c.kind, c.stable, c.n_stable, c.n_unstable) == ("saddle-focus", False, 2, 1)
    c = classify([0.5, -2.0, -3.0, -1.0])
    assert (c.kind, c.n_unstable) == ("saddle", 1)
    c = classify([1e-15, -2.0, -3.0])
    assert (c.kind, c.stable, c.n_neutral) == ("non-hyperbolic", None, 1)
    c = classify([1e-15, 2.0, -3.0])
    assert c.stable is False  # an unstable direction decides even with a neutral one
