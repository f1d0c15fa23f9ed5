"""The explorer's server keeps answering: malformed requests get 4xx, every callback has a
deadline, exports are rate-limited (Flask test client, no browser)."""

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dyadmodel as dm
from dyadmodel.app import _app as A
from dyadmodel.app import _compute as C
from dyadmodel.app import _guard as G
from dyadmodel.app import create_app
from dyadmodel.app._cli import is_loopback, network_warning

MODEL = "pursuer-distancer-2d"
M = dm.models.get(MODEL)
DEFAULTS = M.params().as_dict()
ROUTE = "/_dash-update-component"
STRESS = (
    "..timeseries.figure...stress-outcome.children...stress-message.children"
    "...stress-message.style.."
)
PORTRAIT = (
    "..portrait.figure...eq-table.children...eq-complete.children"
    "...portrait-message.children...portrait-message.style.."
)


@pytest.fixture(scope="module")
def client():
    return create_app(MODEL).server.test_client()


def _body(app_or_client, output, values, changed=None):
    """A request as the renderer sends it: ``values`` for the callback's inputs and state,
    in declaration order (trailing ones left out are None, e.g. the text of a typed
    model, which a registered model does not have)."""
    app = app_or_client
    cb = app.callback_map[output]
    deps = [*cb["inputs"], *cb["state"]]
    values = [*values, *[None] * (len(deps) - len(values))]
    items = [{"id": d["id"], "property": d["property"], "value": v} for d, v in zip(deps, values)]
    n_in = len(cb["inputs"])
    outs = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outs]
    return {
        "output": output,
        "outputs": outputs if len(outputs) > 1 else outputs[0],  # as the renderer sends it
        "inputs": items[:n_in],
        "state": items[n_in:],
        "changedPropIds": changed or [f"{deps[0]['id']}.{deps[0]['property']}"],
    }


APP = create_app(MODEL)
# the explorer whose server computes the portrait and takes every control's change
SERVER_APP = create_app(MODEL, client_side=False)


def _stress(start="10", duration="10", size="0.5", params=None, name=MODEL):
    values = [
        DEFAULTS if params is None else params,
        start,
        duration,
        size,
        "slice",
        "none",
        "10",
        "",
        name,
    ]
    return _body(APP, STRESS, values)


def _post(client, body):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(ROUTE, data=data, content_type="application/json")


def test_a_well_formed_request_is_answered():
    r = _post(APP.server.test_client(), _stress())
    assert r.status_code == 200
    out = r.get_json()["response"]
    assert "balanced" in out["stress-outcome"]["children"]


def _bad_bodies():
    good = _stress()
    wrong_count = {**good, "inputs": good["inputs"][:3]}
    not_list = {**good, "inputs": "x"}
    unknown_output = {**good, "output": "nope.children"}
    bad_outputs = {**good, "outputs": [{"id": "x"}]}
    bad_changed = {**good, "changedPropIds": [1, 2]}
    item_not_dict = {**good, "inputs": [1] * len(good["inputs"])}
    return {
        "not JSON": b"garbage{",
        "JSON null": b"null",
        "a list": b"[]",
        "empty object": b"{}",
        "a number": b"1e999",
        "unknown output": unknown_output,
        "inputs of wrong length": wrong_count,
        "inputs not a list": not_list,
        "outputs malformed": bad_outputs,
        "changedPropIds not strings": bad_changed,
        "input items not objects": item_not_dict,
        "parameters a string": _stress(params="abc"),
        "parameter value a string": _stress(params={**DEFAULTS, "anxiety_gain_1": "NaN"}),
        "unknown model": _stress(name="nope"),
        "model a list": _stress(name=["x"]),
        "size a list": _stress(size=[1, 2]),
        "size an object": _stress(size={"a": 1}),
        "huge text": _stress(size="1" * 5000),
    }


@pytest.mark.parametrize(("case", "body"), list(_bad_bodies().items()))
def test_malformed_callback_requests_get_400_not_500(client, case, body):
    r = _post(client, body)
    assert r.status_code == 400, (case, r.data[:300])
    if r.is_json:
        assert r.get_json()["error"] == "bad callback request"


def test_wrong_shapes_for_the_pattern_matching_callback_get_400():
    client = SERVER_APP.server.test_client()
    out = next(k for k in SERVER_APP.callback_map if "param-message.children" in k)
    names = list(M.parameter_names)
    sliders = [{"type": "slider", "param": n} for n in names]
    texts = [{"type": "num", "param": n} for n in names]
    scores = [{"type": "ecr", "score": s} for s in C.ECR_SCORES]

    def each(ids, prop, values):  # a wildcard dependency: one entry per matching control
        return [{"id": i, "property": prop, "value": v} for i, v in zip(ids, values)]

    typed = [C.format_value(DEFAULTS[n]) for n in names]
    typed[names.index("threshold_1")] = "1.25"
    good = {
        "output": out,
        "outputs": [
            [{"id": i, "property": "value"} for i in sliders],
            [{"id": i, "property": "value"} for i in texts],
            [{"id": i, "property": "value"} for i in scores],
            {"id": "params", "property": "data"},
            {"id": "param-message", "property": "children"},
            {"id": "param-message", "property": "style"},
        ],
        "inputs": [
            each(sliders, "value", [DEFAULTS[n] for n in names]),
            each(texts, "value", typed),
            each(scores, "value", [4.0] * 4),
        ],
        "state": [
            each(sliders, "id", sliders),
            each(texts, "id", texts),
            {"id": "params", "property": "data", "value": DEFAULTS},
            {"id": "model-name", "property": "data", "value": MODEL},
            {"id": "page-model-text", "property": "data", "value": None},
        ],
        "changedPropIds": [
            json.dumps(texts[names.index("threshold_1")], separators=(",", ":")) + ".value"
        ],
    }
    r = _post(client, good)
    assert r.status_code == 200, r.data[:300]
    assert r.get_json()["response"]["params"]["data"]["threshold_1"] == 1.25
    bad = json.loads(json.dumps(good))
    bad["inputs"][0] = {"id": "x", "property": "value", "value": 1}  # not a list
    assert _post(client, bad).status_code == 400
    bad = json.loads(json.dumps(good))
    bad["state"][2]["value"] = {"anxiety_gain_1": [1]}
    assert _post(client, bad).status_code == 400
    bad = json.loads(json.dumps(good))
    bad["state"][0] = bad["state"][0][:2]  # fewer ids than values
    assert _post(client, bad).status_code == 400
    bad = json.loads(json.dumps(good))
    bad["outputs"][0] = bad["outputs"][0][:1]  # fewer outputs than sliders
    assert _post(client, bad).status_code == 400


def test_oversized_request_gets_413(client):
    r = _post(client, b'{"output": "' + b"x" * 2_000_000 + b'"}')
    assert r.status_code == 413


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False)
    | st.sampled_from(["", "nan", "NaN", "inf", "-inf", "1e308", "-1e308", "5e-324", "abc"])
    | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3)
    ),
    max_leaves=6,
)
FUZZ = {"tried": 0, "400": 0, "200": 0, "other": 0}


@settings(max_examples=40)
@given(
    which=st.sampled_from(["stress", "portrait", "certified", "heavy"]),
    slot=st.integers(0, 8),
    value=JSON_VALUES,
)
def test_fuzzed_callback_values_never_give_500(which, slot, value):
    app = APP
    if which == "stress":
        body = _stress()
    elif which == "portrait":
        app = SERVER_APP
        body = _body(app, PORTRAIT, [DEFAULTS, ["field"], "pursuit_1", "distance_2", [], MODEL])
    elif which == "certified":  # the page's certified table (client_side)
        body = _body(app, "certified.data", [DEFAULTS, "pursuit_1", "distance_2", MODEL])
    else:  # the page's separatrices and basins (client_side)
        body = _body(
            app, "heavy.data", [DEFAULTS, ["separatrices"], "pursuit_1", "distance_2", MODEL]
        )
    items = [*body["inputs"], *body["state"]]
    items[slot % len(items)]["value"] = value
    start = time.monotonic()
    r = _post(app.server.test_client(), body)
    FUZZ["tried"] += 1
    key = str(r.status_code) if r.status_code in (200, 400) else "other"
    FUZZ[key] += 1
    assert r.status_code in (200, 204, 400), (r.status_code, r.data[:300])
    assert time.monotonic() - start < A.LIMITS.deadline_seconds + 5


def test_huge_stress_values_are_refused_at_once_with_the_reason():
    for args, reason in (
        (("10", "10", "1e308"), "stress pulse size"),
        (("1e308", "10", "0.5"), "expected at most 1000"),
        (("10", "1e308", "0.5"), "expected at most 1000"),
        (("10", "10", "NaN"), "expected finite numbers"),
    ):
        start = time.monotonic()
        fig, _text, msg = A.compute_stress(MODEL, DEFAULTS, *args)
        assert time.monotonic() - start < 1.0
        assert fig is A.dash.no_update and reason in msg


def test_work_past_the_deadline_says_took_too_long_and_the_app_keeps_answering(monkeypatch):
    def forever(*args, **kwargs):
        while True:  # a runaway computation in Python code
            pass

    monkeypatch.setattr(C, "stress_view", forever)
    app = create_app(MODEL, limits=G.ExplorerLimits(deadline_seconds=0.5))
    client = app.server.test_client()
    start = time.monotonic()
    r = _post(client, _stress())
    elapsed = time.monotonic() - start
    assert r.status_code == 200 and 0.5 <= elapsed < 3.0
    msg = r.get_json()["response"]["stress-message"]["children"]
    assert msg.startswith("the stress response took too long (over 0.5 s) — try")
    monkeypatch.undo()
    assert _post(client, _stress()).status_code == 200  # the next request is served


def test_deadline_stops_a_busy_loop_and_never_fires_after_the_block():
    start = time.monotonic()
    with pytest.raises(G.DeadlineExceeded):
        with G.deadline(0.2):
            while True:
                pass
    assert time.monotonic() - start < 1.0
    for _ in range(500):  # blocks that end about when the timer fires
        try:
            with G.deadline(0.0001):
                sum(range(100))
        except G.DeadlineExceeded:
            pass
    time.sleep(0.01)
    assert sum(range(100_000)) > 0  # nothing was left pending for this thread


def test_exports_are_rate_limited(monkeypatch, tmp_path):
    monkeypatch.setattr(C, "portrait_view", lambda *a, **k: (None, None, []))
    monkeypatch.setattr(C, "export_view", lambda *a, **k: ([tmp_path / "x.html"], ""))
    app = create_app(MODEL, export_dir=tmp_path, limits=G.ExplorerLimits(exports_per_minute=2))
    out = "export-message.children"
    body = _body(app, out, [1, DEFAULTS, [], "pursuit_1", "distance_2", [], MODEL])
    client = app.server.test_client()
    msgs = [_post(client, body).get_json()["response"]["export-message"]["children"] for _ in "abc"]
    assert msgs[0].startswith("written:") and msgs[1].startswith("written:")
    assert msgs[2].startswith("export refused: at most 2 exports per minute")


def test_rate_limiter_counts_a_sliding_window():
    now = [0.0]
    limiter = G.RateLimiter(2, 60.0, clock=lambda: now[0])
    assert limiter.acquire() == 0 and limiter.acquire() == 0
    assert limiter.acquire() == pytest.approx(60.0)
    now[0] = 59.0
    assert limiter.acquire() == pytest.approx(1.0)
    now[0] = 60.0
    assert limiter.acquire() == 0


def test_limits_are_checked():
    with pytest.raises(dm.errors.InvalidInputError, match="deadline_seconds"):
        G.ExplorerLimits(deadline_seconds=0)
    with pytest.raises(dm.errors.InvalidInputError, match="exports_per_minute"):
        G.ExplorerLimits(exports_per_minute=1.5)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_serving_beyond_this_machine_is_warned(host, loopback):
    assert is_loopback(host) is loopback
    warning = network_warning(host, "exports", 10)
    if loopback:
        assert warning is None
    else:
        assert "anyone who can reach this address" in warning
        assert "'exports'" in warning and "10 per minute" in warning


def test_explore_on_a_network_address_prints_the_warning(monkeypatch, capsys, tmp_path):
    from dyadmodel.app import _cli

    served = []
    monkeypatch.setattr(A.dash.Dash, "run", lambda self, **kw: served.append(kw))
    argv = ["--host", "0.0.0.0", "--port", "8999", "--export-dir", str(tmp_path)]
    assert _cli.main(argv) == 0
    assert served == [{"host": "0.0.0.0", "port": 8999, "debug": False}]
    err = capsys.readouterr().err
    assert err.startswith("warning: serving on 0.0.0.0") and "write exports" in err
    assert _cli.main(["--port", "8999"]) == 0
    assert capsys.readouterr().err == ""  # loopback: no warning


EDITOR = next(k for k in APP.callback_map if "applied-text.data" in k)


@pytest.mark.parametrize(
    ("typed", "base", "current"),
    [
        ("x' = y", MODEL, None),
        ({"equations": 3}, MODEL, None),
        ({"equations": "x' = y", "evil": "1"}, MODEL, None),
        ({"equations": "x' = y\ny' = -x"}, ["pursuer-distancer-2d"], None),
        ({"equations": "x' = y\ny' = -x"}, "no-such-model", None),
        ({"equations": "x' = y\ny' = -x"}, MODEL, {"equations": "x' = (("}),
        ({"equations": "x' = y\ny' = -x"}, MODEL, {"equations": "x" * 10_000}),
        ({"equations": "x" * 10_000}, MODEL, None),
    ],
)
def test_malformed_equations_panel_requests_get_400_or_a_message(client, typed, base, current):
    r = _post(client, _body(APP, EDITOR, [typed, base, current]))
    assert r.status_code in (200, 400), r.data[:300]
    if r.status_code == 200:  # text the panel could have sent: a message, or applied
        out = r.get_json()["response"]
        message = out["editor-equations-message"]["children"]
        assert bool(message) != ("applied-text" in out), out
