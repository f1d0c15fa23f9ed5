"""The flagship models of the pursuer–distancer (demand–withdraw) pattern.

Two models share one vocabulary of parameters, so that the reduced model is literally
a restriction of the full one (same names, same meaning):

``pursuer-distancer-2d``
    The phase-plane workhorse: partner 1's pursuit and partner 2's distance, each
    driven by the other's move plus external stress.
``pursuer-distancer``
    Approach and avoidance for each partner plus a slow frustration variable per
    partner; symmetric in the two partners.

Every term is traced to a sentence of the source texts (``shared/seeds`` in the
project's design notes; Lerner, "Are you a pursuer or a distancer?", Psychology Today
2009, is the main one) or to a cited paper; see the model descriptions below.

The nonlinearities are rational Hill functions ``H(z) = z^n / (K^n + z^n)`` so that the
equilibrium equations are polynomial after clearing denominators (DESIGN.md); the
integer exponent ``n`` is a structural option of the factories, not a parameter.
"""

from __future__ import annotations

import math

from dyadmodel.model import (
    Input,
    Model,
    Parameter,
    Reference,
    State,
    hill,
    hill_repressor,
    symbols,
)
from dyadmodel.models import register

__all__ = ["pursuer_distancer", "pursuer_distancer_2d"]

INF = math.inf

LERNER = Reference(
    key="lerner2009pursuer",
    text="Lerner, H. (2009). Are you a pursuer or a distancer? Psychology Today, "
    "The Dance of Connection blog.",
    bibtex="@misc{lerner2009pursuer,\n  author = {Lerner, Harriet},\n"
    "  title = {Are You a Pursuer or a Distancer?},\n  year = {2009},\n"
    "  howpublished = {Psychology Today, The Dance of Connection}\n}",
)
CHRISTENSEN = Reference(
    key="christensen1990gender",
    text="Christensen, A., & Heavey, C. L. (1990). Gender and social structure in the "
    "demand/withdraw pattern of marital conflict. Journal of Personality and Social "
    "Psychology, 59(1), 73-81.",
    bibtex="@article{christensen1990gender,\n  author = {Christensen, Andrew and Heavey, "
    "Christopher L.},\n  title = {Gender and social structure in the demand/withdraw "
    "pattern of marital conflict},\n  journal = {Journal of Personality and Social "
    "Psychology},\n  volume = {59},\n  number = {1},\n  pages = {73--81},\n  year = {1990},\n"
    "  doi = {10.1037/0022-3514.59.1.73}\n}",
    doi="10.1037/0022-3514.59.1.73",
)


def _gain(name: str, default: float, meaning: str, latex: str) -> Parameter:
    return Parameter(
        name, default, meaning, bounds=(0.0, 20.0), latex=latex,
        bound_reason="a gain is a strength, not a sign",
    )


def _baseline(name: str, default: float, meaning: str, latex: str) -> Parameter:
    return Parameter(
        name, default, meaning, bounds=(0.0, 10.0), latex=latex,
        bound_reason="an intensity cannot be negative",
    )


def _threshold(i: int, default: float = 1.0) -> Parameter:
    return Parameter(
        f"threshold_{i}", default,
        f"partner {i}'s sensitivity threshold: the perceived pursuit or distance at which "
        f"partner {i}'s reaction is half its maximum (K{i} of the Hill function)",
        bounds=(0.0, 10.0), lower_inclusive=False, latex=f"K_{i}",
        bound_reason="a threshold must be positive",
    )


def _rate(i: int, default: float = 1.0) -> Parameter:
    return Parameter(
        f"recovery_rate_{i}", default,
        f"partner {i}'s recovery rate 1/tau{i}: how fast partner {i}'s behaviour relaxes to "
        "what the situation drives it to (emotion regulation skills raise it)",
        bounds=(0.0, 100.0), lower_inclusive=False, unit="1/time", latex=f"r_{i}",
        bound_reason="a rate must be positive",
    )


STRESS = Input(
    "stress", "external stress s(t) (a problem with a child, work, money); it adds to what "
    "each partner perceives, so it moves the pursuer toward and the distancer away",
    latex="s",
)


@register("pursuer-distancer-2d")
def pursuer_distancer_2d(*, hill_exponent: int = 2) -> Model:
    r"""Reduced pursuer–distancer model: partner 1's pursuit against partner 2's distance.

    .. math::

        \dot x = r_1\,(b_1 + a_1 H_1(y + s) - x), \qquad
        \dot y = r_2\,(d_2 + c_2 H_2(x + s) - y),

    with ``H_i(z) = z^n / (K_i^n + z^n)``, ``x`` = ``pursuit_1``, ``y`` = ``distance_2``.

    Terms and their sources (Lerner 2009 unless noted):

    - ``a_1 H_1(y + s)``: "He withdraws which only raises her anxiety so she pursues
      more"; pursuers "pursue harder when a partner seeks distance". The gain a_1 is
      set by partner 1's attachment anxiety ("react to anxiety by seeking greater
      togetherness").
    - ``c_2 H_2(x + s)``: "... which increases his distancing"; distancers "seek
      emotional distance via physical space when stress is high". The gain c_2 is set by
      partner 2's attachment avoidance.
    - ``s``: "stress hits (say, a problem with a child), and she moves toward him ...";
      stress adds to what both partners perceive.
    - Saturation (Hill functions): reactions are bounded; the sigmoid shape (n >= 2)
      gives the positive feedback loop ("the behavior of each partner provokes and
      maintains the behavior of the other") a threshold, hence two stable states:
      balanced and entrenched ("a problem occurs only when the pattern ... gets
      entrenched").
    - ``-x``, ``-y`` with rates r_i: each behaviour relaxes to its driven level.

    Defaults (b = d = 0.1, a = c = 2, K = 1, n = 2, r = 1) give three equilibria:
    balanced (0.1367, 0.1367) stable, saddle (0.5, 0.5), entrenched (1.4633, 1.4633)
    stable. The model is the limit of ``pursuer-distancer`` described there.
    """
    x, y, s = symbols("pursuit_1 distance_2 stress")
    b1, a1, d2, c2, k1, k2, r1, r2 = symbols(
        "approach_baseline_1 anxiety_gain_1 avoidance_baseline_2 avoidance_gain_2 "
        "threshold_1 threshold_2 recovery_rate_1 recovery_rate_2"
    )
    n = hill_exponent
    rhs = [
        r1 * (b1 + a1 * hill(y + s, k1, n) - x),
        r2 * (d2 + c2 * hill(x + s, k2, n) - y),
    ]
    states = [
        State("pursuit_1", "partner 1's pursuit: bids for connection, demands to talk",
              domain=(0.0, 4.0), latex="x"),
        State("distance_2", "partner 2's distance: withdrawal, emotional shutdown",
              domain=(0.0, 4.0), latex="y"),
    ]
    parameters = [
        _baseline("approach_baseline_1", 0.1,
                  "partner 1's pursuit when partner 2 keeps no distance and there is no stress",
                  "b_1"),
        _gain("anxiety_gain_1", 2.0,
              "how much partner 2's distance can add to partner 1's pursuit (attachment anxiety)",
              "a_1"),
        _baseline("avoidance_baseline_2", 0.1,
                  "partner 2's distance when partner 1 does not pursue and there is no stress",
                  "d_2"),
        _gain("avoidance_gain_2", 2.0,
              "how much partner 1's pursuit can add to partner 2's distance (attachment "
              "avoidance)", "c_2"),
        _threshold(1),
        _threshold(2),
        _rate(1),
        _rate(2),
    ]
    swap = {
        "states": {"pursuit_1": "distance_2", "distance_2": "pursuit_1"},
        "parameters": {
            "approach_baseline_1": "avoidance_baseline_2",
            "avoidance_baseline_2": "approach_baseline_1",
            "anxiety_gain_1": "avoidance_gain_2",
            "avoidance_gain_2": "anxiety_gain_1",
            "threshold_1": "threshold_2",
            "threshold_2": "threshold_1",
            "recovery_rate_1": "recovery_rate_2",
            "recovery_rate_2": "recovery_rate_1",
        },
    }
    return Model(
        "pursuer-distancer-2d",
        "Reduced pursuer-distancer model (partner 1's pursuit vs partner 2's distance)",
        states,
        parameters,
        rhs,
        inputs=[STRESS],
        description=pursuer_distancer_2d.__doc__ or "",
        references=[LERNER, CHRISTENSEN],
        structure={"hill_exponent": n},
        partner_swap=swap,
    )


@register("pursuer-distancer")
def pursuer_distancer(*, hill_exponent: int = 2) -> Model:
    r"""Full pursuer–distancer model: approach, avoidance and frustration of both partners.

    For partner i with partner j (i, j = 1, 2, i != j):

    .. math::

        \dot A_i &= r_i\Big(b_i + o_i R_i(A_j)
                  + \frac{a_i H_i(W_j + s)}{1 + \lambda_i A_j + \eta_i F_i} - A_i\Big) \\
        \dot W_i &= r_i\big(d_i + c_i H_i(A_j + s) + \kappa_i F_i - W_i\big) \\
        \dot F_i &= \varepsilon_i\big(A_i H_i(W_j) - F_i\big)

    with ``H_i(z) = z^n/(K_i^n + z^n)`` and ``R_i = 1 - H_i``.

    Terms and their sources (Lerner 2009 unless noted):

    - ``A_i`` approach (pursuit when driven by anxiety), ``W_i`` avoidance/withdrawal,
      ``F_i`` frustration: the slow memory of unmet pursuit.
    - ``a_i H_i(W_j + s)``: pursuers "pursue harder when a partner seeks distance";
      gain ``a_i`` = attachment anxiety.
    - ``c_i H_i(A_j + s)``: "seek emotional distance ... when stress is high", the
      distancer "feeling overwhelmed by the pursuer's demands, withdraws"; gain
      ``c_i`` = attachment avoidance.
    - ``o_i R_i(A_j)``: distancers "open up most freely when they aren't being
      pushed, pursued, or criticized by their partner": i's spontaneous approach is
      suppressed by j's pursuit (phenomenon 7).
    - ``1 + lambda_i A_j`` in the denominator: reassurance, "the pursuer can feel
      reassured by the predictability of connection" (seed 001): j's approach calms
      i's pursuit.
    - ``eta_i F_i`` and ``kappa_i F_i``: pursuers "go into cold withdrawal when their
      efforts fail"; "exhausted by years of pursuing and feeling unheard" (phenomenon
      5). Frustration damps pursuit and adds withdrawal.
    - ``A_i H_i(W_j)``: what frustration integrates: pursuit that meets distance.
    - ``s`` external stress, as in the reduced model.

    Symmetry: exchanging the partners' indices maps the model onto itself
    (phenomenon 4: roles follow from parameters, not labels).

    Reduction: with ``o_1 = lambda_1 = eta_1 = kappa_2 = 0`` the pair (A_1, W_2) is a
    closed subsystem that is exactly ``pursuer-distancer-2d`` (A_1 = ``pursuit_1``,
    W_2 = ``distance_2``, identical parameter names); the other four states are driven
    by it without feeding back.
    """
    A1, W1, A2, W2, F1, F2, s = symbols(
        "approach_1 avoidance_1 approach_2 avoidance_2 frustration_1 frustration_2 stress"
    )
    n = hill_exponent
    P = {}
    parameters = []
    for i in (1, 2):
        j = 3 - i
        pars = [
            _baseline(f"approach_baseline_{i}", 0.1,
                      f"partner {i}'s approach when not pursued, not stressed and not frustrated",
                      f"b_{i}"),
            _gain(f"openness_{i}", 0.0,
                  f"extra approach partner {i} offers when partner {j} is not pursuing "
                  "('open up most freely when not pushed')", f"o_{i}"),
            _gain(f"anxiety_gain_{i}", 2.0 if i == 1 else 0.3,
                  f"how much partner {j}'s distance can add to partner {i}'s pursuit "
                  "(attachment anxiety)", f"a_{i}"),
            _gain(f"reassurance_{i}", 0.0,
                  f"how much partner {j}'s approach calms partner {i}'s pursuit",
                  f"\\lambda_{i}"),
            _baseline(f"avoidance_baseline_{i}", 0.1,
                      f"partner {i}'s distance when not pursued, not stressed and not frustrated",
                      f"d_{i}"),
            _gain(f"avoidance_gain_{i}", 0.3 if i == 1 else 2.0,
                  f"how much partner {j}'s pursuit can add to partner {i}'s distance "
                  "(attachment avoidance)", f"c_{i}"),
            _gain(f"exhaustion_{i}", 0.0,
                  f"how much partner {i}'s frustration damps their pursuit", f"\\eta_{i}"),
            _gain(f"shutdown_{i}", 0.0,
                  f"how much partner {i}'s frustration adds to their withdrawal "
                  "('cold withdrawal when efforts fail')", f"\\kappa_{i}"),
            Parameter(
                f"frustration_rate_{i}", 0.05,
                f"rate at which partner {i}'s frustration follows unmet pursuit (slow: "
                "frustration builds over many episodes)",
                bounds=(0.0, 100.0), lower_inclusive=False, unit="1/time",
                latex=f"\\varepsilon_{i}", bound_reason="a rate must be positive",
            ),
            _threshold(i),
            _rate(i),
        ]
        parameters += pars
        P[i] = {p.name.rsplit("_", 1)[0]: symbols(p.name)[0] for p in pars}

    def partner(i: int) -> list:
        p = P[i]
        a_own, w_own, f_own = (A1, W1, F1) if i == 1 else (A2, W2, F2)
        a_other, w_other = (A2, W2) if i == 1 else (A1, W1)
        k = p["threshold"]
        pursuit = p["anxiety_gain"] * hill(w_other + s, k, n) / (
            1 + p["reassurance"] * a_other + p["exhaustion"] * f_own
        )
        da = p["recovery_rate"] * (
            p["approach_baseline"] + p["openness"] * hill_repressor(a_other, k, n) + pursuit - a_own
        )
        dw = p["recovery_rate"] * (
            p["avoidance_baseline"] + p["avoidance_gain"] * hill(a_other + s, k, n)
            + p["shutdown"] * f_own - w_own
        )
        df = p["frustration_rate"] * (a_own * hill(w_other, k, n) - f_own)
        return [da, dw, df]

    dA1, dW1, dF1 = partner(1)
    dA2, dW2, dF2 = partner(2)
    rhs = [dA1, dW1, dA2, dW2, dF1, dF2]
    states = [
        State("approach_1", "partner 1's approach: bids for connection; pursuit when anxious",
              latex="A_1"),
        State("avoidance_1", "partner 1's avoidance: withdrawal, distance", latex="W_1"),
        State("approach_2", "partner 2's approach: bids for connection; pursuit when anxious",
              latex="A_2"),
        State("avoidance_2", "partner 2's avoidance: withdrawal, distance", latex="W_2"),
        State("frustration_1", "partner 1's frustration: slow memory of unmet pursuit",
              latex="F_1"),
        State("frustration_2", "partner 2's frustration: slow memory of unmet pursuit",
              latex="F_2"),
    ]
    swap_states = {"approach_1": "approach_2", "approach_2": "approach_1",
                   "avoidance_1": "avoidance_2", "avoidance_2": "avoidance_1",
                   "frustration_1": "frustration_2", "frustration_2": "frustration_1"}
    swap_params = {}
    for p in parameters:
        stem, i = p.name.rsplit("_", 1)
        swap_params[p.name] = f"{stem}_{3 - int(i)}"
    return Model(
        "pursuer-distancer",
        "Full pursuer-distancer model (approach, avoidance, frustration of both partners)",
        states,
        parameters,
        rhs,
        inputs=[STRESS],
        description=pursuer_distancer.__doc__ or "",
        references=[LERNER, CHRISTENSEN],
        structure={"hill_exponent": n},
        partner_swap={"states": swap_states, "parameters": swap_params},
    )
