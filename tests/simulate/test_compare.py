"""Intervention comparison in the full model: the unilateral change (phenomenon 7) and the
role reversal (phenomenon 6)."""

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.simulate import compare_interventions, simulate, stress
from dyadmodel.simulate import interventions as iv
from dyadmodel.simulate.events import event


@pytest.fixture(scope="module")
def full():
    m = dm.models.get("pursuer-distancer")
    return m, m.params()


@pytest.fixture(scope="module")
def table(full):
    m, p = full
    return compare_interventions(
        m,
        p,
        {
            "soothing": iv.self_soothing(1, to=1.68),
            "weak soothing": iv.self_soothing(1, to=2.0),
            "regulation": iv.regulation_skills(recovery_factor=2.0),
        },
        t_max=200,
    )


def test_the_pursuer_calling_off_the_pursuit_alone_restores_balance(table):
    """Phenomenon 7: only partner 1's anxiety gain changes (2.3 -> 1.68), yet the couple
    leaves entrenchment, and the distancer's approach rises ('distancers open up most
    freely when not pushed')."""
    row = table.outcome("soothing")
    assert row.returns_to_balanced is True and row.final_basin == "balanced"
    assert 10 < row.recovery_time < 40
    run = row.simulation
    assert run.varied_parameters == ("anxiety_gain_1",)
    a2 = run.state("approach_2")
    assert a2[0] == pytest.approx(0.2776, abs=1e-3)  # entrenched: the distancer stays away
    assert a2[-1] > 0.39  # balanced: approach 0.40
    np.testing.assert_allclose(table.x0[[0, 3]], [1.36978, 1.63807], atol=1e-4)


def test_too_little_change_and_pure_speed_do_not_restore_balance(table):
    assert table.outcome("weak soothing").returns_to_balanced is False
    assert table.outcome("weak soothing").final_basin.startswith("entrenched")
    # the recovery rate is a time scale: no basin changes ...
    assert table.outcome("regulation").returns_to_balanced is False
    # ... but combined with a change that removes entrenchment it speeds recovery up
    alone = table.outcome("soothing").recovery_time
    both = table.outcome("soothing", "regulation").recovery_time
    assert both < 0.7 * alone


def test_the_table_lists_every_combination(table):
    assert len(table) == 7  # 3 singles, 3 pairs, 1 triple
    assert [len(o.names) for o in table] == [1, 1, 1, 2, 2, 2, 3]
    text = table.table()
    assert "soothing + regulation" in text and "yes" in text and "no" in text
    assert table.basin_method == "settle"


def test_role_reversal_after_frustration_builds(full):
    """Phenomenon 6 ('role-reversal' preset): a stress episode makes partner 1 pursue; her
    frustration builds, she withdraws, and partner 2 flips into pursuit, for good."""
    m, _ = full
    p = m.preset("role-reversal")
    eqs = dm.equilibria(m, p)
    balanced = next(e for e in eqs if e.label == "balanced").state
    reversed_ = next(e for e in eqs if e.label == "entrenched (partner 2 pursues)").state
    flip = event(lambda t, x: x[2] - x[0], name="partner 2 out-approaches partner 1", direction=1)
    run = simulate(m, p, balanced, (0, 400), stress=stress.pulse(10, 5, 0.3), events=flip)
    a1, a2 = run.sol(15.0)[[0, 2]]
    assert a1 > 1.0 > a2  # during the stress episode partner 1 pursues
    t_flip = run.event("partner 2 out-approaches partner 1").t[-1]
    assert run.sol(t_flip)[4] > 3 * balanced[4]  # after frustration has built up
    late = run.sol(np.linspace(100, 400, 61))
    assert np.all(late[2] > 2 * late[0]) and np.all(late[2] > 0.9)
    np.testing.assert_allclose(run.y[:, -1], reversed_, atol=2e-3)


def test_the_reduced_model_uses_the_separatrix():
    m = dm.models.get("pursuer-distancer-2d")
    table = compare_interventions(m, m.params(), [iv.self_soothing(1, to=1.2)], t_max=60)
    (row,) = table
    assert table.basin_method == "separatrix" and row.returns_to_balanced
    assert 0 < row.recovery_time < 30


def test_errors():
    m = dm.models.get("pursuer-distancer")
    with pytest.raises(ValueError, match="no stable equilibrium labelled 'entrenched'"):
        compare_interventions(m, m.preset("secure"), [iv.naming_the_cycle(0.5)])
    with pytest.raises(ValueError, match="named"):
        compare_interventions(m, m.params(), [iv.naming_the_cycle(0.5), iv.naming_the_cycle(0.5)])
    with pytest.raises(ValueError, match="at least one"):
        compare_interventions(m, m.params(), [])
