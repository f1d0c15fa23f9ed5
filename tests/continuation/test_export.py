"""Cross-check export (issue 4, point 6; issue 13, section 2) and the ``bifurcation``
command's entry point.

The exported right-hand sides are evaluated back (XPPAUT's with sympy, AUTO's Fortran
with numpy after a mechanical translation) and compared with ``model.rhs``, so a
reviewer loading the files in XPPAUT or AUTO-07p continues the same equations. The
files are run in the real tools by ``tests/peers``.
"""

import re

import numpy as np
import pytest
import sympy as sp

import dyadmodel as dm
from dyadmodel.continuation import auto_files, cli_bifurcation, xpp_names, xppaut_ode
from dyadmodel.continuation._export import auto_constants
from dyadmodel.errors import InvalidInputError

MODELS = ["pursuer-distancer-2d", "pursuer-distancer", "liebovitch", "rinaldi-synergic"]


def _point(model, seed):
    rng = np.random.default_rng(seed)
    return np.array([rng.uniform(max(lo, 0.05), hi) for lo, hi in model.domain])


@pytest.mark.parametrize("name", MODELS)
def test_xpp_names_are_short_unique_and_documented(name):
    m = dm.models.get(name)
    names = xpp_names(m)
    short = list(names.values())
    assert all(len(s) <= 9 and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", s) for s in short)
    assert len({s.lower() for s in short}) == len(short)
    text = xppaut_ode(m, x0=np.zeros(m.n_states))
    for long, s in names.items():
        if s != long:
            assert f"#   {s} = {long}" in text


@pytest.mark.parametrize("name", ["pursuer-distancer-2d", "liebovitch", "rinaldi-synergic"])
def test_xppaut_file_has_the_models_equations(name, tmp_path):
    m = dm.models.get(name)
    path = tmp_path / "model.ode"
    x0 = None if name == "pursuer-distancer-2d" else _point(m, 0)  # skip the slow search
    text = xppaut_ode(m, x0=x0, path=path)
    assert path.read_text() == text and text.rstrip().endswith("done")
    names = xpp_names(m)
    values = {names[k]: v for k, v in m.params().items()}
    values.update({names[u.name]: u.default for u in m.inputs})
    x = _point(m, 1)
    values.update({names[s]: v for s, v in zip(m.state_names, x)})
    rhs = [line.split("'=", 1)[1] for line in text.splitlines() if "'=" in line]
    local = {k: sp.Symbol(k) for k in values}
    got = [float(sp.sympify(e, locals=local).subs(values)) for e in rhs]
    assert np.allclose(got, m.rhs(x), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["pursuer-distancer-2d", "rinaldi-synergic"])
def test_auto_files_have_the_models_equations(name, tmp_path):
    m = dm.models.get(name)
    param = m.parameter_names[0]
    lo = m.params()[param]
    x0 = None if name == "pursuer-distancer-2d" else _point(m, 0)
    folder = tmp_path / "not" / "yet"  # auto_files creates the directory
    files = auto_files(m, None, param, (lo, lo * 1.5), x0=x0, directory=folder)
    stem = name.replace("-", "_")
    assert set(files) == {f"{stem}.f90", f"c.{stem}", f"{stem}.auto"}
    assert (folder / f"c.{stem}").read_text() == files[f"c.{stem}"]
    f90 = files[f"{stem}.f90"]
    # PAR values and the map from the STPNT block
    par = {int(k): float(v.replace("d", "e")) for k, v in re.findall(r"PAR\((\d+)\) = (\S+)", f90)}
    assert 11 not in par  # reserved by AUTO for the period
    body = f90.split("SUBROUTINE FUNC")[1].split("END SUBROUTINE FUNC")[0]
    body = re.sub(r"&\s*\n\s*", "", body)
    x = _point(m, 2)
    env = {"exp": np.exp, "tanh": np.tanh, "U": {i + 1: v for i, v in enumerate(x)}, "PAR": par}
    got = {}
    for line in body.splitlines():
        mt = re.match(r"\s*F\((\d+)\) = (.*)", line)
        if mt:
            expr = re.sub(r"\b(U|PAR)\((\d+)\)", r"\1[\2]", mt.group(2))
            expr = re.sub(r"(\d+\.\d*)d(-?\d+)", r"\1e\2", expr)
            got[int(mt.group(1))] = eval(expr, env)  # test-only: our own generated text
    p = m.params(**{param: lo})
    assert np.allclose([got[i + 1] for i in range(m.n_states)], m.rhs(x, p), rtol=1e-12)
    consts = files[f"c.{stem}"]
    assert f"ICP = ['{param}']" in consts and f"NDIM = {m.n_states}" in consts


def test_cli_bifurcation_prints_the_special_points(capsys):
    status = cli_bifurcation(
        ["pursuer-distancer-2d", "--param", "anxiety_gain_1", "--span", "0", "4"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.count("fold") == 2 and "1.600360139" in out and "3.366562936" in out
    assert "verified" in out and " NO" not in out


def test_cli_bifurcation_errors_name_the_fix(capsys):
    status = cli_bifurcation(["liebovitch", "--param", "c1", "--span", "0", "x"])
    assert status == 2
    assert "not a number" in capsys.readouterr().err
    status = cli_bifurcation(["liebovitch", "--param", "c1", "--span", "0", "1", "--set", "m1=-1"])
    assert status == 2
    assert "m1" in capsys.readouterr().err


def test_xppaut_comments_stand_on_their_own_lines_and_the_continuation_parameter_is_first():
    m = dm.models.get("pursuer-distancer-2d")
    text = xppaut_ode(
        m, inputs={"stress": 0.3}, x0=[0.1, 0.1], param="avoidance_gain_2", span=(3.0, 1.0)
    )
    lines = text.splitlines()
    # XPPAUT reads words after '#' on a par line as parameters: no trailing comments
    assert all("#" not in line for line in lines if not line.startswith("#"))
    pars = [line for line in lines if line.startswith("par ")]
    assert pars[0] == "par avogai2=3.0"  # the first par, at the span's start
    assert "par stress=0.3" in pars and len(pars) == len(m.parameter_names) + 1
    assert "@ parmin=1.0, parmax=3.0, autoxmin=1.0, autoxmax=3.0" in lines
    assert "@ ds=-0.001, dsmin=1e-08, dsmax=0.01" in lines  # towards the span's end


def test_xppaut_continuation_needs_parameter_and_span_together():
    m = dm.models.get("liebovitch")
    with pytest.raises(InvalidInputError, match="give both"):
        xppaut_ode(m, param="c1")
    with pytest.raises(dm.ParameterError, match="nope"):
        xppaut_ode(m, param="nope", span=(0, 1))
    with pytest.raises(InvalidInputError, match="meth"):
        xppaut_ode(m, x0=[0, 0], method="meth")


def test_auto_constants_follow_span_and_accuracy():
    c = auto_constants((0.0, 8.0), accuracy=1e-9)
    # DSMAX 0.01 at most: DSMAX = 0.05 misplaced a sharp fold by 3.7e-4 (issue 13)
    assert c["DSMAX"] == 0.01 and c["DS"] == 0.001 and c["EPSS"] == 1e-9
    assert c["NMX"] * c["DSMAX"] >= 100 * 8.0
    small = auto_constants((0.5, 0.4))
    assert small["DSMAX"] == pytest.approx(0.1 / 50) and small["DS"] < 0
    with pytest.raises(InvalidInputError, match="different finite"):
        auto_constants((1.0, 1.0))
    with pytest.raises(InvalidInputError, match="accuracy"):
        auto_constants((0.0, 1.0), accuracy=0.5)


def test_auto_script_starts_from_every_equilibrium_at_either_end(tmp_path):
    m = dm.models.get("gone-with-the-wind")
    files = auto_files(m, None, "A_R", (1.0, 2.5))
    script = files["gone_with_the_wind.auto"]
    head, tail = script.split("ends = [")
    for block, value in ((head, 1.0), (tail.split("]")[0], 2.5)):
        eqs = dm.equilibria(m, m.params(A_R=value))
        starts = re.findall(r"\{1: (\S+), 2: (\S+)\}", block)
        assert len(starts) == len(eqs)  # one run from each
        got = sorted((float(a), float(b.rstrip("},"))) for a, b in starts)
        want = sorted(tuple(e.state) for e in eqs)
        assert np.allclose(got, want, rtol=1e-15)
    # the runs from the far end go backwards from it
    assert "{'PAR': {'A_R': 2.5}, 'DS': -" in script
    assert "save(branch, 'gone_with_the_wind_%d' % number)" in script
    blocker = tmp_path / "file"
    blocker.write_text("user data")
    with pytest.raises(InvalidInputError, match="cannot be created"):
        auto_files(m, None, "A_R", (1.0, 2.5), x0=[1.0, 1.0], directory=blocker / "sub")
    assert blocker.read_text() == "user data"


def test_auto_cycle_runs_start_at_each_hopf_point_and_stop_at_the_period_bound():
    m = dm.models.get("laura-petrarch")
    x0 = [-0.3187, 0.0439, 4.385]
    plain = auto_files(m, None, "beta2", (1.0, 8.0), x0=x0)["laura_petrarch.auto"]
    assert "IPS=2" not in plain  # cycles only when asked
    files = auto_files(
        m, None, "beta2", (1.0, 8.0), x0=x0, cycles=True, cycle_span=(20.0, 1.0), max_period=500
    )
    script = files["laura_petrarch.auto"]
    compile(script, "laura_petrarch.auto", "exec")  # AUTO's front end runs it as Python
    assert "for j, hopf in enumerate(branch('HB'), 1):" in script
    assert "IPS=2, ICP=['beta2', 11], ISW=1, NTST=50, NCOL=4, IAD=3," in script
    assert "UZSTOP={'beta2': [1.0, 20.0], 11: 500.0}," in script  # the period bound
    assert "DSMAX=0.1," in script  # min(0.1, |cycle_span| / 10)
    assert "save(orbits, 'laura_petrarch_%d_cycles_%d' % (number, j))" in script
    # the equilibrium runs are unchanged
    assert (
        files["c.laura_petrarch"]
        == auto_files(m, None, "beta2", (1.0, 8.0), x0=x0)["c.laura_petrarch"]
    )


@pytest.mark.parametrize(
    ("option", "match"),
    [
        ({"cycles": "yes"}, "cycles"),
        ({"cycle_span": (1.0, 1.0)}, "cycle_span"),
        ({"cycle_span": "wide"}, "cycle_span"),
        ({"max_period": -1.0}, "max_period"),
        ({"max_period": float("inf")}, "max_period"),
        ({"ntst": 1}, "ntst"),
        ({"cycle_steps": 2.5}, "cycle_steps"),
        ({"cycle_ds_max": 0.0}, "cycle_ds_max"),
    ],
)
def test_auto_cycle_settings_are_checked(option, match):
    m = dm.models.get("laura-petrarch")
    with pytest.raises(InvalidInputError, match=match):
        auto_files(m, None, "beta2", (1.0, 8.0), x0=[0.0, 0.0, 0.0], **option)
