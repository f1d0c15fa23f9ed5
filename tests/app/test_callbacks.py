"""The explorer's callbacks as plain functions (no browser, no server)."""

import json
import time

import dash
import numpy as np
import pytest
from dash.exceptions import PreventUpdate

import dyadmodel as dm
from dyadmodel.app import _app as A
from dyadmodel.app import _compute as C
from dyadmodel.app import _editor as E
from dyadmodel.app import create_app

MODEL = "pursuer-distancer-2d"
M = dm.models.get(MODEL)
DEFAULTS = M.params().as_dict()
NAMES = list(M.parameter_names)
SLIDER_IDS = [{"type": "slider", "param": n} for n in NAMES]
TEXT_IDS = [{"type": "num", "param": n} for n in NAMES]


def _update(triggered, sliders=None, texts=None, scores=(4.0, 4.0, 4.0, 4.0), stored=None):
    stored = dict(DEFAULTS if stored is None else stored)
    sliders = [stored[n] for n in NAMES] if sliders is None else sliders
    texts = [C.format_value(stored[n]) for n in NAMES] if texts is None else texts
    return A.update_params(
        MODEL, triggered, SLIDER_IDS, sliders, TEXT_IDS, texts, list(scores), stored
    )


def test_create_app_has_the_controls_of_every_parameter():
    app = create_app(MODEL)
    assert isinstance(app, dash.Dash)
    page = A._page(M, DEFAULTS, "pursuit_1", "distance_2", [])
    text = json.dumps(page.to_plotly_json(), default=lambda o: o.to_plotly_json())
    for n in NAMES:
        assert f'"param": "{n}"' in text


def test_create_app_rejects_unknown_model():
    with pytest.raises(LookupError, match="expected a model name"):
        create_app("no-such-model")


def test_display_range_is_finite_and_inside_the_bounds():
    for name in dm.models.names():
        for p in dm.models.get(name).parameters:
            lo, hi, step = C.display_range(p)
            assert np.isfinite([lo, hi, step]).all() and lo < hi and step > 0
            assert p.bounds[0] <= lo and hi <= p.bounds[1]


def test_slider_change_updates_the_stored_parameters():
    sliders = [DEFAULTS[n] for n in NAMES]
    sliders[NAMES.index("anxiety_gain_1")] = 1  # Dash sends whole numbers as ints
    new_sliders, texts, scores, values, msg = _update(
        {"type": "slider", "param": "anxiety_gain_1"}, sliders=sliders
    )
    assert msg == "" and values["anxiety_gain_1"] == 1.0
    assert texts[NAMES.index("anxiety_gain_1")] == "1"
    assert all(s is dash.no_update for s in new_sliders)  # the moved slider is not rewritten
    assert scores[0] == pytest.approx(1 + 1.0 / 2.76 * 6, abs=0.01)


@pytest.mark.parametrize("typed", ["abc", "25", "-1", "nan", ""])
def test_bad_typed_value_gives_the_parameter_error_and_keeps_the_parameters(typed):
    texts = [C.format_value(DEFAULTS[n]) for n in NAMES]
    texts[NAMES.index("anxiety_gain_1")] = typed
    *_, values, msg = _update({"type": "num", "param": "anxiety_gain_1"}, texts=texts)
    assert values is dash.no_update
    with pytest.raises(dm.ParameterError) as err:
        C.parse_value(M, "anxiety_gain_1", typed)
    assert msg == str(err.value) and "anxiety_gain_1" in msg


def test_good_typed_value_moves_the_slider():
    texts = [C.format_value(DEFAULTS[n]) for n in NAMES]
    texts[NAMES.index("threshold_1")] = " 1.25 "
    sliders, new_texts, _, values, msg = _update(
        {"type": "num", "param": "threshold_1"}, texts=texts
    )
    assert msg == "" and values["threshold_1"] == 1.25
    assert sliders[NAMES.index("threshold_1")] == 1.25
    assert new_texts[NAMES.index("threshold_1")] == "1.25"


def test_attachment_scores_set_the_mapped_gains_only():
    stored = {**DEFAULTS, "threshold_2": 1.5}
    sliders, _, _, values, msg = _update(
        {"type": "ecr", "score": "anxiety_1"}, scores=(6, 2, 2, 6), stored=stored
    )
    assert msg == ""
    assert values["anxiety_gain_1"] == pytest.approx(2.3)
    assert values["threshold_2"] == 1.5  # not reset to its default
    _, _, _, values, _ = _update(
        {"type": "ecr", "score": "avoidance_2"}, scores=(6, 2, 2, 6), stored=values
    )
    assert values["avoidance_gain_2"] == pytest.approx(2.3)
    assert (
        values
        == dict(M.params(values))
        == dict(dm.attachment.couple_params(M, 6, 2, 2, 6, threshold_2=1.5))
    )
    assert sliders[NAMES.index("anxiety_gain_1")] == pytest.approx(2.3)


def test_one_score_slider_changes_only_its_own_gain():
    stored = {**DEFAULTS, "avoidance_gain_2": 2.001}
    _, _, _, values, _ = _update(
        {"type": "ecr", "score": "anxiety_1"}, scores=(2, 4, 4, 6), stored=stored
    )
    assert values["anxiety_gain_1"] == pytest.approx(0.46)
    assert values["avoidance_gain_2"] == 2.001


def test_no_trigger_does_nothing():
    with pytest.raises(PreventUpdate):
        _update(None)


def test_portrait_table_matches_dm_equilibria_across_the_fold():
    for gain in (1.5, 2.0):
        values = {**DEFAULTS, "anxiety_gain_1": gain}
        fig, rows, complete, msg = A.compute_portrait(
            MODEL, values, ["field", "nullclines", "separatrices"], "pursuit_1", "distance_2", []
        )
        eqs = dm.equilibria(M, M.params(values))
        assert msg == "" and eqs.complete
        assert "complete" in complete.lower() and "incomplete" not in complete.lower()
        assert [r["kind"] for r in rows] == [e.kind for e in eqs]
        assert [r["couple"] for r in rows] == [e.label for e in eqs]
        assert all(r["certified"] == "yes" for r in rows)
        assert fig.data[0].meta["role"] == "click-grid"
    assert len(rows) == 3


def test_click_launches_a_trajectory_from_the_clicked_point_to_the_right_attractor():
    values = dict(DEFAULTS)
    starts = A.launch_trajectory(
        MODEL, {"points": [{"x": 3.0, "y": 0.2}]}, values, "pursuit_1", "distance_2", []
    )
    assert starts == [[3.0, 0.2]]
    fig, *_ = A.compute_portrait(MODEL, values, [], "pursuit_1", "distance_2", starts)
    (traj,) = [t for t in fig.data if t.meta["role"] == "trajectory"]
    assert (traj.x[0], traj.y[0]) == pytest.approx((3.0, 0.2))
    end = np.array([traj.x[-1], traj.y[-1]])
    stable = [e for e in dm.equilibria(M, M.params()) if e.stable]
    nearest = min(stable, key=lambda e: np.linalg.norm(e.state - end))
    assert np.linalg.norm(nearest.state - end) < 1e-3


def test_click_without_a_point_is_ignored():
    with pytest.raises(PreventUpdate):
        A.launch_trajectory(MODEL, {"points": []}, DEFAULTS, "pursuit_1", "distance_2", [])


def test_query_string_round_trips_and_reports_bad_entries():
    values = {**DEFAULTS, "anxiety_gain_1": 1.5}
    q = C.query_string(M, values, "pursuit_1", "distance_2")
    assert q == "?model=pursuer-distancer-2d&anxiety_gain_1=1.5"
    model, back, x, y, problems = C.parse_query(q, MODEL)
    assert model is M and back == values and problems == [] and (x, y) == M.state_names
    _, back, _, _, problems = C.parse_query("?anxiety_gain_1=abc&nope=1&model=" + MODEL, MODEL)
    assert back == DEFAULTS and len(problems) == 2 and "anxiety_gain_1" in problems[0]
    model, _, _, _, problems = C.parse_query("?model=nope", MODEL)
    assert model is M and "registered models" in problems[0]


def test_bifurcation_diagram_marks_the_current_value():
    fig, msg = A.compute_bifurcation(
        MODEL, {**DEFAULTS, "anxiety_gain_1": 2.5}, "anxiety_gain_1", "pursuit_1"
    )
    assert msg == ""
    assert fig.layout.meta["current"] == 2.5
    roles = {t.meta["role"] for t in fig.data}
    assert {"stable-branch", "unstable-branch"} <= roles
    # special points: 'fold' traces (dyadmodel.plot.bifurcation_diagram) or the fallback's
    xs = [x for t in fig.data if t.meta["role"] in ("fold", "special-point") for x in t.x]
    folds = dm.continuation(M, M.params(), "anxiety_gain_1", (0.0, 20.0)).special_points
    assert sorted(xs) == pytest.approx(sorted(p.value for p in folds))


def test_fallback_bifurcation_figure_without_plot_support():
    bd = dm.continuation(M, M.params(), "anxiety_gain_1", (0.0, 5.0))
    fig = C._simple_bifurcation_figure(bd, 0, "anxiety_gain_1")
    assert {t.meta["role"] for t in fig.data} == {
        "stable-branch",
        "unstable-branch",
        "special-point",
    }


def test_stress_pulse_time_series_and_bad_input():
    fig, text, msg = A.compute_stress(MODEL, DEFAULTS, "10", "10", "0.5")
    assert msg == "" and "balanced" in text
    assert {t.meta["role"] for t in fig.data} >= {"state", "stress"}
    fig, text, msg = A.compute_stress(MODEL, DEFAULTS, "ten", "10", "0.5")
    assert fig is dash.no_update and "expected three numbers" in msg
    _, _, msg = A.compute_stress(MODEL, DEFAULTS, "1", "0", "0.5")
    assert "duration > 0" in msg


def test_larger_model_shows_a_slice_at_the_balanced_state():
    m = dm.models.get("pursuer-distancer")
    values = m.params().as_dict()
    starts = A.launch_trajectory(
        m.name, {"points": [{"x": 1.0, "y": 2.0}]}, values, "approach_1", "avoidance_2", []
    )
    balanced = next(e for e in dm.equilibria(m, m.params()) if e.label == "balanced")
    expect = balanced.state.copy()
    expect[[m.state_index("approach_1"), m.state_index("avoidance_2")]] = (1.0, 2.0)
    assert np.allclose(starts[0], expect)


def test_export_writes_offline_html_and_provenance(tmp_path):
    values = {**DEFAULTS, "anxiety_gain_1": 2.5}
    fig, *_ = C.portrait_view(M, values, "pursuit_1", "distance_2", layers=[])
    q = C.query_string(M, values, "pursuit_1", "distance_2")
    files, _note = C.export_view(fig, tmp_path, model=M, values=values, query=q, view={}, png=False)
    html, js = files
    assert html.suffix == ".html" and (tmp_path / "plotly.min.js").is_file()
    assert '<script src="http' not in html.read_text()
    record = json.loads(js.read_text())
    assert record["parameters"][M.name]["anxiety_gain_1"] == 2.5 and record["address"] == q


def test_solver_failure_is_a_message_not_a_crash(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("the solver gave up; try a smaller recovery_rate_1")

    monkeypatch.setattr(C, "portrait_view", boom)
    fig, rows, _, msg = A.compute_portrait(MODEL, DEFAULTS, [], "pursuit_1", "distance_2", [])
    assert fig is dash.no_update and rows is dash.no_update
    assert msg.startswith("the portrait could not be computed: RuntimeError: the solver gave up")


def test_backward_trajectory_starts_at_the_click_and_leaves_the_balanced_node():
    balanced = next(e for e in dm.equilibria(M, M.params()) if e.label == "balanced")
    x0 = balanced.state + np.array([0.02, 0.01])
    starts = A.launch_trajectory(
        MODEL, {"points": [{"x": x0[0], "y": x0[1]}]}, DEFAULTS, "pursuit_1", "distance_2", []
    )
    fig, _, _, msg = A.compute_portrait(
        MODEL, DEFAULTS, ["backward"], "pursuit_1", "distance_2", starts
    )
    assert msg == ""
    (back,) = [t for t in fig.data if t.meta["role"] == "backward-trajectory"]
    assert back.line.dash == "dot"
    (fwd,) = [t for t in fig.data if t.meta["role"] == "trajectory"]
    assert (back.x[0], back.y[0]) == (x0[0], x0[1])
    dist = np.hypot(np.asarray(back.x) - balanced.state[0], np.asarray(back.y) - balanced.state[1])
    assert dist[-1] > 10 * dist[0] and np.all(np.diff(dist) > -1e-9)
    assert fwd.line.dash in (None, "solid")
    # without the toggle: no backward trace
    fig, *_ = A.compute_portrait(MODEL, DEFAULTS, [], "pursuit_1", "distance_2", starts)
    assert not [t for t in fig.data if t.meta["role"] == "backward-trajectory"]


def test_backward_orbit_of_a_centre_stays_on_its_circle():
    m = dm.models.get("strogatz-linear")
    pset = m.params(m.presets["fickle-juliet"].values)
    y = C.backward_trajectory(m, pset, [1.0, 0.5])
    r2 = y[0] ** 2 + y[1] ** 2
    assert y.shape[1] > 100 and np.allclose(y[:, 0], [1.0, 0.5])
    assert np.max(np.abs(r2 - 1.25)) < 1e-6


def test_backward_trajectory_stops_when_leaving_the_enlarged_box():
    m = dm.models.get("strogatz-linear")
    pset = m.params(a=1.0, b=0.0, c=0.0, d=1.0)  # unstable node: backward goes to 0
    y = C.backward_trajectory(m, pset, [1.0, 1.0])
    assert np.linalg.norm(y[:, -1]) < 1e-6
    pset = m.params(a=-1.0, b=0.0, c=0.0, d=-1.0)  # stable node: backward runs away
    y = C.backward_trajectory(m, pset, [1.0, 1.0])
    assert y[0, -1] == pytest.approx(4.0, abs=1e-6)  # domain [-2, 2] enlarged by 2


def test_intervention_choices_fit_the_model():
    keys = [o["value"] for o in C.intervention_choices(M)]
    assert keys[0] == "none" and "self_soothing_1" in keys and "naming_the_cycle" in keys
    assert "scheduled_checkins_2" not in keys and "self_soothing_2" not in keys
    full = [o["value"] for o in C.intervention_choices(dm.models.get("pursuer-distancer"))]
    assert "scheduled_checkins_2" in full
    with pytest.raises(C.ViewError, match="not available"):
        C.build_intervention(M, "scheduled_checkins_2", 10.0, 1.0)


def test_self_soothing_takes_the_entrenched_couple_back_to_balanced():
    after = dm.equilibria(M, M.params(anxiety_gain_1=1.0))
    assert [e.label for e in after if e.stable] == ["balanced"]
    fig, text, msg = A.compute_stress(
        MODEL, DEFAULTS, "10", "10", "0.5", "entrenched", "self_soothing_1", "10", "1.0"
    )
    assert msg == "" and "Starts at the entrenched state" in text
    assert "near the balanced equilibrium" in text
    assert fig.layout.meta["intervention"]["start"] == 10.0
    assert any(s.type == "rect" and s.x0 == 10.0 for s in fig.layout.shapes)
    end = np.array([t.y[-1] for t in fig.data if t.meta["role"] == "state"], dtype=float)
    assert np.allclose(end, after[0].state, atol=1e-3)
    _, text, msg = A.compute_stress(MODEL, DEFAULTS, "10", "10", "0.5", "entrenched", "none")
    assert msg == "" and "near the entrenched equilibrium" in text


def test_bad_intervention_input_is_a_message():
    _, _, msg = A.compute_stress(
        MODEL, DEFAULTS, "10", "10", "0.5", "slice", "self_soothing_1", "soon", "1"
    )
    assert "expected a start in [0, 1000]" in msg
    _, _, msg = A.compute_stress(
        MODEL, DEFAULTS, "10", "10", "0.5", "slice", "self_soothing_1", "10", "-1"
    )
    assert "anxiety_gain_1" in msg
    stressed = {**DEFAULTS, "anxiety_gain_1": 1.0}
    _, _, msg = A.compute_stress(MODEL, stressed, "10", "10", "0.5", "entrenched")
    assert "no stable 'entrenched' equilibrium" in msg


def test_view_toggles_round_trip_through_the_address():
    q = C.query_string(M, DEFAULTS, "pursuit_1", "distance_2", ["backward", "field"])
    assert q == "?model=pursuer-distancer-2d&view=field%2Cbackward"
    assert C.parse_view(q) == (["field", "backward"], [])
    _model, back, *_, problems = C.parse_query(q, MODEL)
    assert back == DEFAULTS and problems == []
    assert C.parse_view("?model=x") == (list(C.DEFAULT_VIEW), [])
    assert C.query_string(M, DEFAULTS, "pursuit_1", "distance_2", C.DEFAULT_VIEW) == (
        "?model=pursuer-distancer-2d"
    )
    view, problems = C.parse_view("?view=basins,nope")
    assert view == ["basins"] and "nope" in problems[0]
    page = A._page(M, DEFAULTS, "pursuit_1", "distance_2", [], ["basins"])
    text = json.dumps(page.to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert '"value": ["basins"]' in text


# ---------------------------------------------------------------------------------------
# the equations panel (issue 15 §4)

VDP_TEXTS = {
    "equations": "x' = y\ny' = mu*(1 - x**2)*y - x",
    "parameters": "mu = 1 in [0, 10]",
    "ranges": "x in [-3, 3]\ny in [-3, 3]",
}


def test_valid_typed_text_is_applied_and_unchanged_text_is_not():
    messages, applied = A.check_model_text(VDP_TEXTS, M, None)
    assert messages == ["", "", ""] and applied == {"texts": VDP_TEXTS}
    # the text of the model shown (typed, or the base model's own) is not re-applied
    assert A.check_model_text(VDP_TEXTS, M, VDP_TEXTS)[1] is dash.no_update
    assert A.check_model_text(E.model_texts(M), M, None)[1] is dash.no_update
    # typing the base model's own equations back shows the base model itself
    assert A.check_model_text(E.model_texts(M), M, VDP_TEXTS)[1] == {"texts": None}


def test_parse_error_message_is_beside_its_field_and_nothing_is_applied():
    bad = {**VDP_TEXTS, "equations": "x' = y\ny' = mu*(1 - x**2*y - x"}
    messages, applied = A.check_model_text(bad, M, VDP_TEXTS)
    assert applied is dash.no_update
    eq, par, rng = messages
    assert eq.startswith("line 2: not a valid expression") and par == rng == ""
    shown, caret = eq.split("\n")[-2:]
    assert shown.strip() == "y' = mu*(1 - x**2*y - x" and shown[caret.index("^")] == "("


def test_typed_text_beyond_the_limits_is_refused_with_a_message(monkeypatch):
    limits = A.ExplorerLimits(max_model_chars=200)
    long = {**VDP_TEXTS, "equations": VDP_TEXTS["equations"] + " + 0" * 60}
    messages, applied = A.check_model_text(long, M, None, limits=limits)
    assert applied is dash.no_update and "at most 200 are read" in messages[0]

    def forever(*_args, **_kwargs):
        while True:  # a pathological build
            pass

    monkeypatch.setattr(E, "typed_model", forever)
    start = time.monotonic()
    messages, applied = A.check_model_text(
        VDP_TEXTS, M, None, limits=A.ExplorerLimits(parse_seconds=0.3)
    )
    assert time.monotonic() - start < 2.0 and applied is dash.no_update
    assert messages[0].startswith("reading and building the model took too long (over 0.3 s)")


def test_typed_model_round_trips_through_the_address():
    typed = E.typed_model(VDP_TEXTS, M)
    values = {"mu": 2.5}
    q = C.query_string(typed, values, "x", "y", base_name=MODEL, texts=VDP_TEXTS)
    assert q.startswith("?model=pursuer-distancer-2d&equations=") and "mu=2.5" in q
    a = C.parse_address(q, "strogatz-linear")
    assert a.base_name == MODEL and a.texts == VDP_TEXTS and a.problems == []
    assert a.model.rhs_expr == typed.rhs_expr and a.values == values
    # a bad text in the address falls back to the base model, saying why
    broken = q.replace("equations=x", "equations=%28x")
    a = C.parse_address(broken, "strogatz-linear")
    assert a.texts is None and a.model is M
    assert "the equations in the address were not used" in a.problems[0]


def test_model_file_download_is_the_models_toml():
    typed = E.typed_model(VDP_TEXTS, M)
    sent = A.model_file_download(typed)
    assert sent["content"] == typed.to_toml()
    assert sent["filename"] == "typed.toml"  # no state of the base model kept
    assert dm.models.loads(sent["content"]).rhs_expr == typed.rhs_expr


def test_typed_van_der_pol_portrait_has_one_unstable_focus_and_plain_axis_titles():
    typed = E.typed_model(VDP_TEXTS)
    fig, rows, complete, msg = A.compute_portrait(
        typed, {"mu": 1.0}, ["field", "nullclines", "backward"], "x", "y", [[0.1, 0.0]]
    )
    assert msg == "" and [(r["kind"], r["couple"]) for r in rows] == [("unstable focus", "—")]
    assert complete.startswith("1 equilibria; Complete")
    assert fig.layout.xaxis.title.text == "x" and fig.layout.yaxis.title.text == "y"
    traj = next(t for t in fig.data if (t.meta or {}).get("role") == "trajectory")
    r = np.hypot(np.asarray(traj.x), np.asarray(traj.y))
    assert r[-200:].min() > 1.0  # from near the focus out to the limit cycle (radius ~2)


def test_page_of_a_typed_three_state_model_and_of_one_without_parameters():
    lorenz = {
        "equations": "x' = s*(y - x)\ny' = x*(r - z) - y\nz' = x*y - b*z",
        "parameters": "s = 10\nr = 0.5 in [0, 30]\nb = 2.6667",
        "ranges": "x in [-3, 3]\ny in [-3, 3]\nz in [0, 5]",
    }
    m3 = E.typed_model(lorenz)
    page = A._page(m3, m3.params().as_dict(), "x", "z", [], base_name=MODEL, texts=lorenz)
    text = json.dumps(page.to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert '"id": "page-model-text"' in text and '"display": "flex"' in text  # plane choice
    _fig, rows, _complete, msg = A.compute_portrait(m3, m3.params().as_dict(), [], "x", "z", [])
    assert msg == "" and len(rows) == 1  # r < 1: only the origin
    bare = E.typed_model({"equations": "x' = y\ny' = -x"})
    A._page(bare, {}, "x", "y", [])  # no parameters: no bifurcation parameter to offer


def _render(app, search):
    """The page callback's answer for the address ``/<search>`` (Flask test client)."""
    out = next(k for k in app.callback_map if k.startswith("..page.children"))
    cb = app.callback_map[out]
    deps = [*cb["inputs"], *cb["state"]]
    values = ["/", None, search, None]
    items = [{"id": d["id"], "property": d["property"], "value": v} for d, v in zip(deps, values)]
    body = {
        "output": out,
        "outputs": [
            {"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
            for o in out[2:-2].split("...")
        ],
        "inputs": items[:2],
        "state": items[2:],
        "changedPropIds": ["url.pathname"],
    }
    r = app.server.test_client().post("/_dash-update-component", json=body)
    assert r.status_code == 200, r.data[:300]
    return r.get_json()["response"]


def test_explorer_opens_a_model_file():
    response = _render(create_app("examples/van_der_pol.toml"), "")
    assert response["base-name"]["data"] == "van-der-pol"
    assert "Van der Pol oscillator" in json.dumps(response)


def test_an_address_longer_than_the_limits_opens_the_default_view_and_says_why():
    app = create_app(MODEL, limits=A.ExplorerLimits(max_model_chars=100))
    typed = E.typed_model(VDP_TEXTS, M)
    q = C.query_string(typed, {"mu": 1.0}, "x", "y", base_name=MODEL, texts=VDP_TEXTS)
    assert _render(app, q)["current-text"]["data"] == VDP_TEXTS
    response = _render(app, q + "&" + "pad=1&" * 800)
    assert response["current-text"]["data"] is None and response["base-name"]["data"] == MODEL
    assert "characters; at most 4400 are read" in json.dumps(response)  # 4 x 100 + 4000


def test_export_of_a_typed_model_records_its_model_file(tmp_path):
    typed = E.typed_model(VDP_TEXTS, M)
    fig, *_ = C.portrait_view(typed, {"mu": 1.0}, "x", "y", layers=[])
    q = C.query_string(typed, {"mu": 1.0}, "x", "y", base_name=MODEL, texts=VDP_TEXTS)
    files, _ = C.export_view(
        fig, tmp_path, model=typed, values={"mu": 1.0}, query=q, view={}, png=False
    )
    record = json.loads(files[-1].read_text())
    assert record["model_file"] == typed.to_toml()
    assert dm.models.loads(record["model_file"]).rhs_expr == typed.rhs_expr
    registered = json.loads(
        C.export_view(fig, tmp_path, model=M, values=DEFAULTS, query="?", view={}, png=False)[0][
            -1
        ].read_text()
    )
    assert "model_file" not in registered


def test_a_typed_model_whose_portrait_runs_long_says_so_at_the_deadline():
    wild = {
        "equations": "x' = sin(40*x)*cos(40*y) - y + x**3\ny' = sin(40*y)*cos(37*x) + x - y**3",
        "parameters": "",
    }
    typed = E.typed_model(wild)  # ~6 s of interval search without a deadline
    start = time.monotonic()
    fig, rows, _complete, msg = A.compute_portrait(
        typed, {}, list(C.DEFAULT_VIEW), "x", "y", [], seconds=0.5
    )
    # the deadline fired (the message) and the call returned soon after it: what runs
    # before the first deadline check (compiling the typed model, ~1.4 s on an idle
    # 2-core machine, 2.7 s on a loaded one) is not interruptible
    assert time.monotonic() - start < 5.0 and fig is dash.no_update and rows is dash.no_update
    assert msg.startswith("the portrait took too long (over 0.5 s) — try")


def test_two_typed_models_with_one_name_never_share_cached_results():
    # parameter sets compare by model name: the caches must tell the models apart
    centre = E.typed_model({"equations": "x' = y\ny' = -x", "parameters": "a = 1"})
    saddle = E.typed_model({"equations": "x' = y\ny' = x", "parameters": "a = 1"})
    assert centre.name == saddle.name and centre.params() == saddle.params()
    kinds = []
    for m in (centre, saddle):
        _fig, rows, *_ = A.compute_portrait(m, {"a": 1.0}, [], "x", "y", [])
        kinds.append(rows[0]["kind"])
        A.compute_bifurcation(m, {"a": 1.0}, "a", "x")
    assert kinds == ["centre", "saddle"]


# ---------------------------------------------------------------------------------------
# the page that draws its own portrait (create_app(client_side=True))


def _page_score(entry, values):
    """PAGE_JS's scoreOf, in Python: the attachment score a gain maps back to."""
    t = (values[entry["param"]] - entry["gmin"]) / (entry["gmax"] - entry["gmin"])
    return round(
        min(max(entry["lo"] + t * (entry["hi"] - entry["lo"]), entry["lo"]), entry["hi"]), 2
    )


def test_page_frame_maps_gains_to_scores_as_the_server_does():
    frame = C.page_frame(M, DEFAULTS, "pursuit_1", "distance_2", source=None)
    assert "x" not in frame["grid"] and frame["grid_n"] == C.CLICK_GRID
    assert frame["params"] == NAMES and (frame["ix"], frame["iy"]) == (0, 1)
    rng = np.random.default_rng(3)
    for _ in range(20):
        values = {**DEFAULTS, **{n: float(rng.uniform(0, 4)) for n in C.mapped_parameters(M)}}
        server = C.attachment_scores(M, values, [4.0] * 4)
        page = [4.0 if e is None else _page_score(e, values) for e in frame["ecr"]]
        assert page == server
    assert C.page_frame(dm.models.get("strogatz-linear"), {}, "R", "J", source=None)["ecr"] == []


def test_server_layers_are_only_what_the_page_cannot_draw():
    layers = ["field", "nullclines", "separatrices"]
    roles = {
        t["meta"]["role"] for t in C.server_layers(M, DEFAULTS, "pursuit_1", "distance_2", layers)
    }
    assert roles == {"stable-manifold", "unstable-manifold"}
    assert C.server_layers(M, DEFAULTS, "pursuit_1", "distance_2", ["field"]) == []
    # a model the page cannot compute: the server draws the page's layers too
    full = C.server_layers(M, DEFAULTS, "pursuit_1", "distance_2", layers, page_layers=True)
    assert {"field", "x-nullcline", "y-nullcline", "equilibrium"} <= {
        t["meta"]["role"] for t in full
    }


def test_the_two_paths_register_their_own_portrait_callbacks():
    page_app, server_app = create_app(MODEL), create_app(MODEL, client_side=False)
    assert "certified.data" in page_app.callback_map and "heavy.data" in page_app.callback_map
    # the server's portrait callback (figure and table) is the old path's only
    assert not any("eq-table.children" in k for k in page_app.callback_map)
    assert any(k.startswith("..portrait.figure...eq-table") for k in server_app.callback_map)
    assert "certified.data" not in server_app.callback_map
    script = page_app.server.test_client().get("/_dyadmodel/explorer.js")
    assert script.status_code == 200 and b"dyadmodelExplorer" in script.data
    # (the old path has no such script: Dash answers its index page for the address)
    assert (
        b"dyadmodelExplorer"
        not in server_app.server.test_client().get("/_dyadmodel/explorer.js").data
    )


def test_a_callback_that_updates_nothing_is_answered_204_not_400():
    app = create_app(MODEL)
    body = {
        "output": "nav.href",
        "outputs": {"id": "nav", "property": "href"},
        "inputs": [{"id": "model", "property": "value", "value": MODEL}],
        "state": [{"id": "model-name", "property": "data", "value": MODEL}],
        "changedPropIds": ["model.value"],
    }
    r = app.server.test_client().post("/_dash-update-component", json=body)
    assert r.status_code == 204
