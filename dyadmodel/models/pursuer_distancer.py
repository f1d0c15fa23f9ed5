"""The flagship models of the pursuer–distancer (demand–withdraw) pattern.

Two models share one vocabulary of parameters, so that the reduced model is literally
a restriction of the full one (same names, same meaning):

``pursuer-distancer-2d``
    The phase-plane workhorse: partner 1's pursuit and partner 2's distance, each
    driven by the other's move plus external stress.
``pursuer-distancer``
    Approach and avoidance for each partner plus a slow frustration variable per
    partner; symmetric in the two partners. `REDUCTION_LIMIT` turns it into the
    reduced model.

Each model carries documented parameter regions (``presets``) named for the phenomenon
they show: e.g. ``entrenched-bistable``, ``pursue-withdraw-cycles``,
``mutual-withdrawal``, ``role-reversal`` and ``secure`` for the full model.

Every term is traced to a sentence of a published description of the pattern (Lerner,
"Are You a Pursuer or a Distancer?", Psychology Today 2012, is the main one) or to a
cited paper; see the model descriptions below. The phenomena the models reproduce
(numbered 1-9), the term that carries each and its evidence, including the empirical
demand-withdraw literature, are in the section "Phenomena and model design" of the
paper (paper/paper.md).

The nonlinearities are rational Hill functions ``H(z) = z^n / (K^n + z^n)`` so that the
equilibrium equations are polynomial after clearing denominators (paper/paper.md,
"Phenomena and model design"); the
integer exponent ``n`` is a structural option of the factories, not a parameter.
"""

from __future__ import annotations

import math

from dyadmodel.model import (
    Input,
    Model,
    Parameter,
    Preset,
    Reference,
    State,
    hill,
    hill_repressor,
    symbols,
)
from dyadmodel.models import register
from dyadmodel.models._labels import label_full, label_reduced

__all__ = ["REDUCTION_LIMIT", "pursuer_distancer", "pursuer_distancer_2d"]

INF = math.inf

LERNER = Reference(
    key="lerner2009pursuer",
    # The key keeps its old year so that existing citations resolve; the post's address
    # dates it October 2012.
    text="Lerner, H. (2012). Are you a pursuer or a distancer? Psychology Today, "
    "The Dance of Connection blog. "
    "https://www.psychologytoday.com/blog/the-dance-connection/201210/"
    "are-you-pursuer-or-distancer",
    bibtex="@misc{lerner2009pursuer,\n  author = {Lerner, Harriet},\n"
    "  title = {Are You a Pursuer or a Distancer?},\n  year = {2012},\n"
    "  howpublished = {Psychology Today, The Dance of Connection blog},\n"
    "  url = {https://www.psychologytoday.com/blog/the-dance-connection/201210/"
    "are-you-pursuer-or-distancer}\n}",
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
        name,
        default,
        meaning,
        bounds=(0.0, 20.0),
        latex=latex,
        bound_reason="a gain is a strength, not a sign",
    )


def _baseline(name: str, default: float, meaning: str, latex: str) -> Parameter:
    return Parameter(
        name,
        default,
        meaning,
        bounds=(0.0, 10.0),
        latex=latex,
        bound_reason="an intensity cannot be negative",
    )


def _threshold(i: int, default: float = 1.0) -> Parameter:
    return Parameter(
        f"threshold_{i}",
        default,
        f"partner {i}'s sensitivity threshold: the perceived pursuit or distance at which "
        f"partner {i}'s reaction is half its maximum (K{i} of the Hill function)",
        bounds=(0.0, 10.0),
        lower_inclusive=False,
        latex=f"K_{i}",
        bound_reason="a threshold must be positive",
    )


def _rate(i: int, default: float = 1.0) -> Parameter:
    return Parameter(
        f"recovery_rate_{i}",
        default,
        f"partner {i}'s recovery rate 1/tau{i}: how fast partner {i}'s behaviour relaxes to "
        "what the situation drives it to (a time scale: it changes how fast, not where, the "
        "couple settles)",
        bounds=(0.0, 100.0),
        lower_inclusive=False,
        unit="1/time",
        latex=f"r_{i}",
        bound_reason="a rate must be positive",
    )


STRESS = Input(
    "stress",
    "external stress s(t) (a problem with a child, work, money); it adds to what "
    "each partner perceives, so it moves the pursuer toward and the distancer away",
    latex="s",
    bounds=(0.0, math.inf),
    bound_reason="stress is an intensity; a negative value has no meaning here, and the "
    "Hill terms are even in s for n = 2, so stress = -0.5 would act like +0.5",
)


@register("pursuer-distancer-2d")
def pursuer_distancer_2d(*, hill_exponent: int = 2) -> Model:
    r"""Reduced pursuer–distancer model: partner 1's pursuit against partner 2's distance.

    .. math::

        \dot x = r_1\,(b_1 + a_1 H_1(y + s) - x), \qquad
        \dot y = r_2\,(d_2 + c_2 H_2(x + s) - y),

    with ``H_i(z) = z^n / (K_i^n + z^n)``, ``x`` = ``pursuit_1``, ``y`` = ``distance_2``.

    Terms and their sources (Lerner 2012, "Are You a Pursuer or a Distancer?", unless
    noted; the phenomena are numbered as in paper/paper.md, "Phenomena and model
    design"):

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

    Presets: ``anxious-avoidant`` (the defaults, bistable) and ``secure`` (gains 0.5,
    one balanced equilibrium).
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
        State(
            "pursuit_1",
            "partner 1's pursuit: bids for connection, demands to talk",
            domain=(0.0, 4.0),
            latex="x",
            validity=(0.0, math.inf),
        ),
        State(
            "distance_2",
            "partner 2's distance: withdrawal, emotional shutdown",
            domain=(0.0, 4.0),
            latex="y",
            validity=(0.0, math.inf),
        ),
    ]
    parameters = [
        _baseline(
            "approach_baseline_1",
            0.1,
            "partner 1's pursuit when partner 2 keeps no distance and there is no stress",
            "b_1",
        ),
        _gain(
            "anxiety_gain_1",
            2.0,
            "how much partner 2's distance can add to partner 1's pursuit (attachment anxiety)",
            "a_1",
        ),
        _baseline(
            "avoidance_baseline_2",
            0.1,
            "partner 2's distance when partner 1 does not pursue and there is no stress",
            "d_2",
        ),
        _gain(
            "avoidance_gain_2",
            2.0,
            "how much partner 1's pursuit can add to partner 2's distance (attachment avoidance)",
            "c_2",
        ),
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
        presets=TWO_D_PRESETS,
        labeler=label_reduced,
        equilibrium_box=_reduced_box,
    )


TWO_D_PRESETS: dict[str, Preset] = {
    "anxious-avoidant": Preset(
        "Phenomenon 3 (and 9): the default anxious pursuer and avoidant distancer (gains 2). "
        "Bistable: balanced stable node (0.1367, 0.1367), saddle (0.5, 0.5) whose stable "
        "manifold is the tipping threshold, entrenched stable node (1.4633, 1.4633).",
        {},
    ),
    "secure": Preset(
        "Phenomenon 9: low gains (0.5): one equilibrium, balanced and globally attracting.",
        {"anxiety_gain_1": 0.5, "avoidance_gain_2": 0.5},
    ),
}


@register("pursuer-distancer")
def pursuer_distancer(*, hill_exponent: int = 2) -> Model:
    r"""Full pursuer–distancer model: approach, avoidance and frustration of both partners.

    For partner i with partner j (i, j = 1, 2, i != j):

    .. math::

        P_i &= \frac{a_i H_i(W_j + s)}{1 + \lambda_i A_j} \\
        \dot A_i &= r_i\Big(\frac{b_i + o_i R_i(A_j) + P_i}{1 + \eta_i F_i} - A_i\Big) \\
        \dot W_i &= r_i\big(d_i + c_i H_i(A_j + s) + \kappa_i F_i - W_i\big) \\
        \dot F_i &= \varepsilon_i\,(P_i - F_i)

    with ``H_i(z) = z^n / (K_i^n + z^n)`` (n = 2 by default) and ``R_i = 1 - H_i``. All
    nonlinearities are rational, so the equilibrium equations are polynomial.

    States: ``A_i`` approach (bids for connection; *pursuit* when driven by anxiety),
    ``W_i`` avoidance (withdrawal, distance, shutdown), ``F_i`` frustration (a slow
    memory of pursuit that the partner's distance provoked and left unanswered).

    Terms and their sources (Lerner 2012, "Are You a Pursuer or a Distancer?",
    https://www.psychologytoday.com/blog/the-dance-connection/201210/are-you-pursuer-or-distancer,
    unless another blog post is named: [001] Reflective Resilience Counseling, "I
    Pursue. You Distance. Understanding the Pursuer-Distancer Dynamic in Counseling",
    https://reflectiveresiliencecounseling.com/blog/i-persue-you-distance; [003] "The
    Pursuer-Distancer Dynamic in Relationships" (author and address not recorded); see
    also S. Webster, "Why Couples Keep Missing Each Other",
    https://www.stevenwebster-therapist.co.uk/post/why-couples-keep-missing-each-other.
    The phenomena are numbered as in paper/paper.md, "Phenomena and model design", which
    also cites the empirical demand-withdraw literature):

    - ``P_i = a_i H_i(W_j + s)/(1 + lambda_i A_j)``, the pursuit: pursuers "pursue harder
      when a partner seeks distance", "he withdraws which only raises her anxiety so she
      pursues more"; the gain ``a_i`` is attachment anxiety ("react to anxiety by seeking
      greater togetherness").
    - ``1 + lambda_i A_j``: reassurance. "The pursuer can feel reassured by the
      predictability of connection"; "small gestures of connection ... can reassure the
      pursuer without overwhelming you" [001]. The partner's approach calms pursuit.
    - ``b_i``: one's own bids for connection, unprovoked.
    - ``o_i R_i(A_j)``: distancers "open up most freely when they aren't being pushed,
      pursued, or criticized by their partner": i's spontaneous approach is suppressed
      by j's approach (phenomenon 7).
    - ``c_i H_i(A_j + s)``: "... which increases his distancing"; distancers "seek
      emotional distance via physical space when stress is high"; the distancer,
      "feeling overwhelmed by the pursuer's demands, withdraws" [001]. The gain ``c_i``
      is attachment avoidance; ``d_i`` is distance kept unprovoked.
    - ``s``: external stress, "stress hits (say, a problem with a child), and she moves
      toward him ... he withdraws": it adds to what each partner perceives of the other.
    - ``F_i`` follows ``P_i`` slowly (rate ``epsilon_i``): pursuit that distance provokes
      is by construction unmet ("I just want to feel close, but the more I ask, the
      farther away you go" [003]); frustration is its slow memory ("exhausted by years of
      pursuing and feeling unheard"). It builds under sustained distance and fades only
      when the partner comes back. Anyone's frustration follows the same rule, but it is
      large only for a partner with a large anxiety gain.
    - ``1/(1 + eta_i F_i)``: exhaustion, a frustrated partner stops trying: "emotional
      shutdown as one or both partners stop trying" [003]; it damps *all* of i's
      approach (bids, openness and pursuit).
    - ``kappa_i F_i``: cold withdrawal. Pursuers "go into cold withdrawal when their
      efforts fail"; distancers "give up easily on their partner".
    - ``-A_i``, ``-W_i`` with rate ``r_i``: behaviour relaxes to the level the situation
      drives it to; ``r_i`` is a time scale (see Notes).

    Symmetry (phenomenon 4): the partner swap ``A_1 <-> A_2, W_1 <-> W_2, F_1 <-> F_2``
    with every ``*_1`` parameter exchanged for its ``*_2`` twin maps the model onto
    itself exactly (``partner_swap``). Who pursues follows from the parameters, not the
    labels.

    Reduction: with ``openness_1 = reassurance_1 = exhaustion_1 = shutdown_2 = 0``
    (`REDUCTION_LIMIT`) the right-hand sides of ``approach_1`` and ``avoidance_2``
    depend only on (``approach_1``, ``avoidance_2``) and equal those of
    ``pursuer-distancer-2d`` (``pursuit_1``, ``distance_2``) with the same parameter
    names: the reduced model is a closed subsystem, which drives the other four states
    without feedback. The preset ``reduced-2d`` is that limit at the 2-D defaults; its
    (A_1, W_2) equilibria are the 2-D ones, (0.1367, 0.1367), (0.5, 0.5) and
    (1.4633, 1.4633).

    Invariance: the non-negative orthant is forward invariant for ``s >= 0`` (each
    state's rate is >= 0 where that state is 0 and the others are >= 0).

    Defaults: a representative anxious/avoidant couple. Partner 1 anxious
    (``anxiety_gain_1 = 2.3``, ``avoidance_gain_1 = 0.3``, ``openness_1 = 0``); partner 2
    avoidant (``anxiety_gain_2 = 0.3``, ``avoidance_gain_2 = 2.3``) and open when not
    pushed (``openness_2 = 0.3``); for both: baselines 0.1, reassurance 0.5, exhaustion
    0.1, shutdown 0.5, frustration rate 0.05, thresholds 1, recovery rates 1. The gains
    2.3 sit in the middle of the bistable range (with ``anxiety_gain_1 =
    avoidance_gain_2 = g`` both states exist for 1.99 < g < 2.82).

    Parameter regions (``presets``; numbers measured at n = 2, states in the order
    A_1, W_1, A_2, W_2, F_1, F_2):

    - ``entrenched-bistable`` (the defaults; phenomena 1, 2, 3, 7, 8): balanced stable
      node (0.141, 0.162, 0.401, 0.148, 0.041, 0.007), saddle (0.422, 0.305, 0.375, 0.458,
      0.336, 0.021) and entrenched stable focus (1.370, 0.857, 0.278, 1.638, 1.471,
      0.075). A stress pulse of 0.3 for 5 time units tips the couple into entrenchment
      and it stays; a sustained stress above 0.0255 removes the balanced state.
      Calling off the pursuit (``anxiety_gain_1`` below 1.75), distancer availability
      (``avoidance_gain_2`` below 1.72, ``approach_baseline_2`` above 0.85 or
      ``openness_2`` above 1.5) or naming the cycle (all four gains scaled by less than
      0.87) each remove the entrenched state.
    - ``secure`` (phenomenon 9): all gains 0.5, both open (0.3): one equilibrium,
      balanced (0.374, 0.167, 0.374, 0.167, 0.011, 0.011), reached from every start tried.
    - ``reduced-2d``: the exact embedding of ``pursuer-distancer-2d`` (see Reduction).
    - ``pursue-withdraw-cycles`` (phenomenon 5): a very anxious pursuer who exhausts
      (``anxiety_gain_1 = 5``, ``exhaustion_1 = 1``). The only equilibrium is unstable;
      the couple cycles with period 86.8: pursuit escalates (A_1 up to 1.94, W_2 up to
      1.91), frustration F_1 peaks about 19 time units after pursuit, pursuit collapses
      (A_1 down to 0.10) into cold withdrawal (W_1 up to 1.18), frustration fades, and
      pursuit resumes. A relaxation oscillation: F_1 is the slow variable.
    - ``mutual-withdrawal`` (phenomenon 5): both partners exhaust and shut down
      (``exhaustion_i = 4``, ``shutdown_i = 2``) and partner 2 has some anxiety too
      (``anxiety_gain_2 = 1``). One equilibrium, stable: mutual withdrawal (0.229, 3.245,
      0.282, 1.854, 1.562, 0.819), both avoidances high, both approaches low. Started in
      the pursue-distance pattern, the couple collapses there.
    - ``role-reversal`` (phenomenon 6): partner 2 carries hidden anxiety
      (``anxiety_gain_2 = 1.5``); partner 1 exhausts and withdraws when frustrated
      (``exhaustion_1 = 1``, ``shutdown_1 = 1.5``). Balanced stable (0.165, 0.273, 0.483,
      0.209, 0.077, 0.096) and reversed-roles stable (0.455, 1.229, 1.010, 0.862, 0.652,
      0.735). A stress episode makes partner 1 pursue; her frustration builds, she
      withdraws, and partner 2 flips into intense pursuit (A_2 about 1.0 while A_1 is
      about 0.2); the roles stay reversed after the stress is gone ("it may be too
      late").

    Notes
    -----
    ``recovery_rate_i`` multiplies the whole right-hand side of ``A_i`` and ``W_i`` (as in
    ``pursuer-distancer-2d``), so it is a pure time scale: equilibria do not depend on
    it, and faster rates make a couple *easier* to tip with a stress pulse of given
    duration (the tipping amplitude for a 10-unit pulse falls from 0.047 at r = 1 to
    0.034 at r = 2). "Regulation skills" as damping are therefore represented here by
    weaker gains (naming the cycle, self-soothing), not by the recovery rate.

    In mutual withdrawal and role reversal the frustrated partner's approach does not
    vanish: exhaustion divides the approach by ``1 + eta F`` rather than switching it
    off.
    """
    A1, W1, A2, W2, F1, F2, s = symbols(
        "approach_1 avoidance_1 approach_2 avoidance_2 frustration_1 frustration_2 stress"
    )
    n = hill_exponent
    sym: dict[int, dict[str, object]] = {}
    parameters: list[Parameter] = []
    for i in (1, 2):
        j = 3 - i
        pars = [
            _baseline(
                f"approach_baseline_{i}",
                _FULL_DEFAULTS["approach_baseline"][i - 1],
                f"partner {i}'s own approach (bids for connection) when not frustrated and "
                f"not provoked by partner {j}'s distance",
                f"b_{i}",
            ),
            _gain(
                f"openness_{i}",
                _FULL_DEFAULTS["openness"][i - 1],
                f"extra approach partner {i} offers while partner {j} is not approaching "
                "('open up most freely when they aren't being pushed, pursued')",
                f"o_{i}",
            ),
            _gain(
                f"anxiety_gain_{i}",
                _FULL_DEFAULTS["anxiety_gain"][i - 1],
                f"how much partner {j}'s distance can add to partner {i}'s approach, i.e. "
                f"partner {i}'s pursuit (attachment anxiety)",
                f"a_{i}",
            ),
            _gain(
                f"reassurance_{i}",
                _FULL_DEFAULTS["reassurance"][i - 1],
                f"how much partner {j}'s approach calms partner {i}'s pursuit ('can reassure "
                "the pursuer'); the pursuit is divided by 1 + reassurance * approach",
                f"\\lambda_{i}",
            ),
            _baseline(
                f"avoidance_baseline_{i}",
                _FULL_DEFAULTS["avoidance_baseline"][i - 1],
                f"partner {i}'s distance when not pursued, not stressed and not frustrated",
                f"d_{i}",
            ),
            _gain(
                f"avoidance_gain_{i}",
                _FULL_DEFAULTS["avoidance_gain"][i - 1],
                f"how much partner {j}'s approach can add to partner {i}'s distance "
                "(attachment avoidance)",
                f"c_{i}",
            ),
            _gain(
                f"exhaustion_{i}",
                _FULL_DEFAULTS["exhaustion"][i - 1],
                f"how much partner {i}'s frustration damps all of partner {i}'s approach "
                "('stop trying'); approach is divided by 1 + exhaustion * frustration",
                f"\\eta_{i}",
            ),
            _gain(
                f"shutdown_{i}",
                _FULL_DEFAULTS["shutdown"][i - 1],
                f"how much partner {i}'s frustration adds to partner {i}'s distance "
                "('cold withdrawal when their efforts fail')",
                f"\\kappa_{i}",
            ),
            Parameter(
                f"frustration_rate_{i}",
                _FULL_DEFAULTS["frustration_rate"][i - 1],
                f"rate at which partner {i}'s frustration follows the pursuit that partner "
                f"{j}'s distance provokes in partner {i} (slow: frustration builds and fades "
                "over many episodes)",
                bounds=(0.0, 100.0),
                lower_inclusive=False,
                unit="1/time",
                latex=f"\\varepsilon_{i}",
                bound_reason="a rate must be positive",
            ),
            _threshold(i),
            _rate(i),
        ]
        parameters += pars
        sym[i] = {q.name.rsplit("_", 1)[0]: symbols(q.name)[0] for q in pars}

    own = {1: (A1, W1, F1), 2: (A2, W2, F2)}

    def partner(i: int) -> list:
        q = sym[i]
        a_own, w_own, f_own = own[i]
        a_other, w_other, _ = own[3 - i]
        k = q["threshold"]
        pursuit = q["anxiety_gain"] * hill(w_other + s, k, n) / (1 + q["reassurance"] * a_other)
        drive = q["approach_baseline"] + q["openness"] * hill_repressor(a_other, k, n) + pursuit
        da = q["recovery_rate"] * (drive / (1 + q["exhaustion"] * f_own) - a_own)
        dw = q["recovery_rate"] * (
            q["avoidance_baseline"]
            + q["avoidance_gain"] * hill(a_other + s, k, n)
            + q["shutdown"] * f_own
            - w_own
        )
        df = q["frustration_rate"] * (pursuit - f_own)
        return [da, dw, df]

    dA1, dW1, dF1 = partner(1)
    dA2, dW2, dF2 = partner(2)
    rhs = [dA1, dW1, dA2, dW2, dF1, dF2]
    states = []
    for i in (1, 2):
        states += [
            State(
                f"approach_{i}",
                f"partner {i}'s approach: bids for connection; pursuit when driven by anxiety",
                latex=f"A_{i}",
                validity=(0.0, math.inf),
            ),
            State(
                f"avoidance_{i}",
                f"partner {i}'s avoidance: withdrawal, distance, shutdown",
                latex=f"W_{i}",
                validity=(0.0, math.inf),
            ),
        ]
    states += [
        State(
            f"frustration_{i}",
            f"partner {i}'s frustration: slow memory of unmet pursuit (the pursuit partner "
            f"{3 - i}'s distance provokes in partner {i})",
            domain=(0.0, 3.0),
            latex=f"F_{i}",
            validity=(0.0, math.inf),
        )
        for i in (1, 2)
    ]
    swap_states = {}
    for stem in ("approach", "avoidance", "frustration"):
        swap_states[f"{stem}_1"], swap_states[f"{stem}_2"] = f"{stem}_2", f"{stem}_1"
    swap_params = {}
    for q in parameters:
        stem, i = q.name.rsplit("_", 1)
        swap_params[q.name] = f"{stem}_{3 - int(i)}"
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
        presets=FULL_PRESETS,
        labeler=label_full,
        equilibrium_box=_full_box,
    )


# Defaults of the full model, (partner 1, partner 2): a representative anxious/avoidant
# couple. Partner 1 is anxious (high anxiety gain, low avoidance gain, no openness);
# partner 2 is avoidant (the mirror image) and opens up when not pushed. Reassurance,
# exhaustion, shutdown and the frustration rate are the same for both partners: they
# are not attachment traits here, only how any partner responds to calm, to failure.
_FULL_DEFAULTS: dict[str, tuple[float, float]] = {
    "approach_baseline": (0.1, 0.1),
    "openness": (0.0, 0.3),
    "anxiety_gain": (2.3, 0.3),
    "reassurance": (0.5, 0.5),
    "avoidance_baseline": (0.1, 0.1),
    "avoidance_gain": (0.3, 2.3),
    "exhaustion": (0.1, 0.1),
    "shutdown": (0.5, 0.5),
    "frustration_rate": (0.05, 0.05),
}


def _upper(v: float) -> float:
    """A strict upper bound above v (the box must have positive width)."""
    return 1.01 * v + 0.01


def _reduced_box(p) -> list[tuple[float, float]]:
    """Every equilibrium with x, y >= 0 has x = b1 + a1 H in [b1, b1 + a1] and
    y = d2 + c2 H in [d2, d2 + c2] (0 <= H < 1, for any constant stress s >= 0)."""
    return [
        (0.0, _upper(p["approach_baseline_1"] + p["anxiety_gain_1"])),
        (0.0, _upper(p["avoidance_baseline_2"] + p["avoidance_gain_2"])),
    ]


def _full_box(p) -> list[tuple[float, float]]:
    """Every equilibrium in the non-negative orthant has F_i = P_i in [0, a_i],
    A_i <= b_i + o_i + a_i (the exhaustion divisor is >= 1) and
    W_i <= d_i + c_i + kappa_i a_i (0 <= H, R <= 1, for any constant stress s >= 0)."""
    box = {}
    for i in (1, 2):
        a = p[f"anxiety_gain_{i}"]
        box[f"approach_{i}"] = (0.0, _upper(p[f"approach_baseline_{i}"] + p[f"openness_{i}"] + a))
        box[f"avoidance_{i}"] = (
            0.0,
            _upper(
                p[f"avoidance_baseline_{i}"] + p[f"avoidance_gain_{i}"] + p[f"shutdown_{i}"] * a
            ),
        )
        box[f"frustration_{i}"] = (0.0, _upper(a))
    order = ["approach_1", "avoidance_1", "approach_2", "avoidance_2"]
    return [box[k] for k in [*order, "frustration_1", "frustration_2"]]


REDUCTION_LIMIT: dict[str, float] = {
    "openness_1": 0.0,
    "reassurance_1": 0.0,
    "exhaustion_1": 0.0,
    "shutdown_2": 0.0,
}
"""Parameter values of ``pursuer-distancer`` under which its (approach_1, avoidance_2)
subsystem is exactly ``pursuer-distancer-2d`` (pursuit_1, distance_2)."""

FULL_PRESETS: dict[str, Preset] = {
    "entrenched-bistable": Preset(
        "Phenomena 1, 2, 3, 7, 8: the default anxious/avoidant couple. A balanced state "
        "(A1 0.14, W2 0.15) and an entrenched pursue-distance state (A1 1.37, W2 1.64) are "
        "both stable, separated by a saddle; a stress pulse tips the couple into "
        "entrenchment and it stays after the stress ends. Lowering anxiety_gain_1, "
        "lowering avoidance_gain_2, raising approach_baseline_2 or openness_2, or weakening "
        "all gains removes the entrenched state.",
        {},
    ),
    "secure": Preset(
        "Phenomenon 9: a secure/secure couple (all gains 0.5, both partners open 0.3). "
        "One equilibrium, balanced (A 0.37, W 0.17 for both), globally attracting.",
        {
            "anxiety_gain_1": 0.5,
            "avoidance_gain_1": 0.5,
            "anxiety_gain_2": 0.5,
            "avoidance_gain_2": 0.5,
            "openness_1": 0.3,
            "openness_2": 0.3,
        },
    ),
    "reduced-2d": Preset(
        "The reduction limit (openness_1 = reassurance_1 = exhaustion_1 = shutdown_2 = 0) "
        "at the 2-D defaults (gains 2): (approach_1, avoidance_2) is exactly "
        "pursuer-distancer-2d, with equilibria (0.1367, 0.1367), (0.5, 0.5), (1.4633, 1.4633).",
        {**REDUCTION_LIMIT, "anxiety_gain_1": 2.0, "avoidance_gain_2": 2.0},
    ),
    "pursue-withdraw-cycles": Preset(
        "Phenomenon 5: a very anxious pursuer who exhausts (anxiety_gain_1 = 5, "
        "exhaustion_1 = 1). The only equilibrium is unstable and the couple cycles (period "
        "86.8): pursuit escalates (A1 up to 1.94), slow frustration peaks about 19 time "
        "units later, pursuit collapses into cold withdrawal (A1 0.10, W1 1.18), "
        "frustration fades and pursuit resumes: a relaxation oscillation.",
        {"anxiety_gain_1": 5.0, "exhaustion_1": 1.0},
    ),
    "mutual-withdrawal": Preset(
        "Phenomenon 5: both partners exhaust and shut down when frustrated (exhaustion 4, "
        "shutdown 2) and partner 2 has some anxiety (anxiety_gain_2 = 1). The pursue-"
        "distance pattern collapses into the only equilibrium, mutual withdrawal: "
        "avoidances 3.25 and 1.85, approaches 0.23 and 0.28.",
        {
            "anxiety_gain_2": 1.0,
            "exhaustion_1": 4.0,
            "exhaustion_2": 4.0,
            "shutdown_1": 2.0,
            "shutdown_2": 2.0,
        },
    ),
    "role-reversal": Preset(
        "Phenomenon 6: partner 2 carries hidden anxiety (anxiety_gain_2 = 1.5), partner 1 "
        "exhausts and withdraws when frustrated (exhaustion_1 = 1, shutdown_1 = 1.5). After "
        "a stress episode partner 1 pursues, then withdraws as frustration builds, and "
        "partner 2 flips into intense pursuit (A2 about 1.0 against A1 about 0.2); the "
        "reversed roles (A1 0.46, W1 1.23, A2 1.01, W2 0.86) are stable, while the balanced "
        "state stays stable too.",
        {"anxiety_gain_2": 1.5, "exhaustion_1": 1.0, "shutdown_1": 1.5},
    ),
}
