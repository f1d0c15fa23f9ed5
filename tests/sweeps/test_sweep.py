"""The sweep engine: labelled results, the same data on every backend and chunking,
resume after SIGKILL and Ctrl-C without recomputing finished chunks, spec refusal,
argument errors, failing measures, and partially finished stores."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.continuation._twoparam import REGIMES, classify_regime
from dyadmodel.model import ParameterError
from dyadmodel.sweeps import Grid, Measure, Output, Sample, SweepError, SweepSpecError
from dyadmodel.sweeps._sweep import _chunks, chunk_shape

MODEL = "pursuer-distancer-2d"
GRID = {
    "anxiety_gain_1": np.linspace(1.2, 3.6, 6),
    "avoidance_gain_2": np.linspace(1.6, 2.6, 5),
}  # 30 points: every regime of the flagship
MEASURES = {
    "regime": None,
    "n_stable": None,
    "balanced_basin_fraction": {"resolution": 16},
    "final_state": None,
}
TIMEOUT = 120.0  # seconds a subprocess may take before the test fails instead of hanging


def model():
    return dm.models.get(MODEL)


def run(**kw):
    kw = {"over": GRID, "measure": MEASURES, "progress": False, **kw}
    return dm.sweep(MODEL, **kw)


def data(ds):
    """The data variables and coordinates, without the dataset's attributes."""
    out = ds.copy()
    out.attrs = {}
    return out


def assert_same_data(a, b):
    assert sorted(a.data_vars) == sorted(b.data_vars)
    for k in a.data_vars:
        assert a[k].dtype == b[k].dtype, k
        assert np.array_equal(a[k].values, b[k].values, equal_nan=True), k
    assert data(a).identical(data(b))


def markers(store: Path) -> dict[int, int]:
    """Finished chunks of a store, with their markers' modification times (ns)."""
    done = store / ".dyadmodel" / "done"
    if not done.is_dir():
        return {}
    return {int(p.name): p.stat().st_mtime_ns for p in done.iterdir() if p.name.isdigit()}


@pytest.fixture(scope="module")
def reference():
    """The sweep in this process, in one worker: what every other way must reproduce."""
    return run(n_workers=1)


# -- labels --------------------------------------------------------------------------------
def test_grid_result_is_labelled_with_the_swept_names_and_values(reference):
    ds = reference
    assert ds.regime.dims == ("anxiety_gain_1", "avoidance_gain_2")
    assert ds.final_state.dims == ("anxiety_gain_1", "avoidance_gain_2", "state")
    assert list(ds.sizes.items())[:2] == [("anxiety_gain_1", 6), ("avoidance_gain_2", 5)]
    for k, v in GRID.items():
        assert np.array_equal(ds[k].values, v)
    m = model()
    a1, a2 = GRID["anxiety_gain_1"], GRID["avoidance_gain_2"]
    for a, b in [(a1[0], a2[3]), (a1[2], a2[1]), (a1[4], a2[2]), (a1[-1], a2[-1])]:
        p = m.params(anxiety_gain_1=a, avoidance_gain_2=b)
        eqs = dm.equilibria(m, p)
        point = ds.sel(anxiety_gain_1=a, avoidance_gain_2=b)
        assert REGIMES[int(point.regime)] == classify_regime(eqs)
        assert int(point.n_stable) == sum(e.stable for e in eqs)
        fr = dm.basins(m, p, resolution=16).fractions
        assert float(point.balanced_basin_fraction) == fr.get("balanced", 0.0)
        r = dm.ensemble(m, p, [0.0, 0.0], (0.0, 200.0))
        assert np.array_equal(point.final_state.values, r.final[:, 0])
    assert {REGIMES[c] for c in np.unique(ds.regime)} >= {
        "balanced only",
        "bistable",
        "entrenched only",
    }


def test_attributes_record_the_sweep(reference, tmp_path):
    ds = reference
    a = ds.attrs
    assert a["model"] == MODEL
    assert json.loads(a["parameters"]) == dict(model().params().items())
    assert json.loads(a["inputs"]) == {"stress": 0.0}
    assert list(a["swept"]) == list(GRID)
    assert json.loads(a["measures"])["balanced_basin_fraction"] == {"resolution": 16}
    assert len(a["spec_sha256"]) == 64 and int(a["spec_sha256"], 16) >= 0
    shape = (6, 5)
    block = chunk_shape(shape, dm.sweeps.auto_chunk_size(30))
    assert list(a["chunk_shape"]) == list(block)
    assert a["n_chunks"] == len(_chunks(shape, block)) == a["chunks_done"]
    assert a["complete"] == 1
    # the hash is the hash of the spec stored next to the data
    ds2 = run(n_workers=1, store=tmp_path / "s.zarr")
    spec = json.loads((tmp_path / "s.zarr" / ".dyadmodel" / "spec.json").read_text())
    want = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()
    assert ds2.attrs["spec_sha256"] == want == a["spec_sha256"]
    assert_same_data(ds2, reference)


def test_sample_result_has_a_sample_dimension_with_the_parameters_as_coordinates():
    s = Sample(
        "latin-hypercube", {"anxiety_gain_1": (1.2, 3.6), "avoidance_gain_2": (1.6, 2.6)}, 7, 3
    )
    ds = dm.sweep(MODEL, over=s, measure=["regime", "n_stable"], n_workers=1, chunk_size=3)
    assert ds.regime.dims == ("sample",)
    assert ds.sizes["sample"] == 7
    assert np.array_equal(ds.sample.values, np.arange(7))
    pts = s.block((slice(0, 7),))
    m = model()
    for k in s.names:
        assert ds[k].dims == ("sample",)
        assert np.array_equal(ds[k].values, pts[k])
    for i in range(7):
        p = m.params(
            anxiety_gain_1=pts["anxiety_gain_1"][i], avoidance_gain_2=pts["avoidance_gain_2"][i]
        )
        eqs = dm.equilibria(m, p)
        assert REGIMES[int(ds.regime[i])] == classify_regime(eqs)
        assert int(ds.n_stable[i]) == sum(e.stable for e in eqs)
    assert ds.attrs["n_chunks"] == 3
    assert json.loads(ds.attrs["design_spec"])["type"] == "latin-hypercube"


# -- the same data however it runs -------------------------------------------------------------
def test_a_local_process_pool_gives_the_same_data(reference):
    ds = run(n_workers=2)
    assert_same_data(ds, reference)
    assert ds.attrs["spec_sha256"] == reference.attrs["spec_sha256"]


@pytest.mark.slow  # over the 4-minute default run (issue 13 §5); CI runs it
def test_dask_local_cluster_gives_the_same_data(reference):
    ds = run(backend="dask", n_workers=2)
    assert_same_data(ds, reference)
    assert ds.attrs["spec_sha256"] == reference.attrs["spec_sha256"]


@pytest.mark.parametrize(("chunk_size", "n_chunks"), [(1, 30), (12, 3), (1000, 1)])
def test_the_data_do_not_depend_on_the_chunk_size(reference, chunk_size, n_chunks):
    ds = run(n_workers=1, chunk_size=chunk_size)
    assert_same_data(ds, reference)
    # the chunks are part of the spec (a resume must cut the same ones); the default
    # cuts rows of 5 (auto_chunk_size(30) = 8)
    assert ds.attrs["spec_sha256"] != reference.attrs["spec_sha256"]
    assert ds.attrs["n_chunks"] == n_chunks


def test_an_explicit_dask_client_or_scheduler_address(reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    try:
        ds = run(backend="dask", scheduler=client)
        assert_same_data(ds, reference)
        assert client.status == "running"  # a caller's client is left open
        ds = run(backend="dask", scheduler=cluster.scheduler_address, store=tmp_path / "s")
        assert_same_data(ds, reference)
        # a custom measure: the dask worker imports this module to run it
        with pytest.raises(SweepError, match=FAILING_POINT):
            dm.sweep(MODEL, over=SMALL, measure=FRAGILE, backend="dask", scheduler=client)
    finally:
        client.close()
        cluster.close()


# -- resume ----------------------------------------------------------------------------------
SLOW_GRID = {
    "anxiety_gain_1": [float(x) for x in np.linspace(1.2, 3.6, 8)],
    "avoidance_gain_2": [float(x) for x in np.linspace(1.6, 2.6, 5)],
}  # 40 points in 24 chunks of at most 2
SLOW_MEASURE = {"balanced_basin_fraction": {"resolution": 120}}  # ~0.07 s a point
PAUSE_AFTER = 2  # chunks the interrupted sweep finishes before it waits for the signal
SCRIPT = f"""
import signal
import sys
import time
from pathlib import Path

# the signal dispositions this test relies on, whatever the test process inherited: a
# process started with SIGINT ignored (a background job of a non-interactive shell,
# nohup) passes the ignore on, and Python then installs no KeyboardInterrupt handler
signal.signal(signal.SIGINT, signal.default_int_handler)

import dyadmodel as dm
from dyadmodel.sweeps import _store

# a deterministic point to interrupt: after {PAUSE_AFTER} chunks are written, say so and
# wait for the test's signal
write = _store.SweepStore.write
written = []


def write_then_pause(self, k, *args):
    write(self, k, *args)
    written.append(k)
    if len(written) == {PAUSE_AFTER}:
        Path(sys.argv[2]).write_text("paused")
        while True:
            time.sleep(0.01)


_store.SweepStore.write = write_then_pause

dm.sweep(
    {MODEL!r},
    over={SLOW_GRID!r},
    measure={SLOW_MEASURE!r},
    store=sys.argv[1],
    n_workers=1,
    chunk_size=2,
    progress=False,
)
print("finished")
"""


def run_slow(store):
    return dm.sweep(
        MODEL,
        over=SLOW_GRID,
        measure=SLOW_MEASURE,
        store=store,
        n_workers=1,
        chunk_size=2,
        progress=False,
    )


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    return run_slow(tmp_path_factory.mktemp("uninterrupted") / "s.zarr").load()


def interrupt(tmp_path: Path, store: Path, sig: int) -> tuple[int, str]:
    """Run the slow sweep in a subprocess, send ``sig`` while it waits after its first
    `PAUSE_AFTER` chunks, and return the exit status and stderr.

    The point of interruption does not depend on timing (the sweep waits there), nor
    on the signal dispositions this process inherited (the script sets its own)."""
    script = tmp_path / "sweep_script.py"
    script.write_text(SCRIPT)
    paused = tmp_path / "paused"
    repo = str(Path(dm.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([repo, os.environ.get("PYTHONPATH", "")])}
    err_file = tmp_path / "stderr.txt"
    with open(tmp_path / "stdout.txt", "w") as out, open(err_file, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, str(script), str(store), str(paused)],
            stdout=out,
            stderr=err,
            cwd=tmp_path,
            env=env,
        )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not paused.exists():
            if proc.poll() is not None:
                pytest.fail(
                    f"the sweep ended (status {proc.returncode}) before it was interrupted:\n"
                    + err_file.read_text()
                )
            if time.monotonic() > deadline:
                pytest.fail(f"no {PAUSE_AFTER} chunks finished within {TIMEOUT} s")
            time.sleep(0.005)
        proc.send_signal(sig)
        status = proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return status, err_file.read_text()


def check_resume(store: Path, before: dict[int, int], uninterrupted) -> None:
    n_chunks = uninterrupted.attrs["n_chunks"]
    assert n_chunks == 24
    assert sorted(before) == list(range(PAUSE_AFTER)), "not interrupted where it waited"
    assert not (store / ".dyadmodel" / "complete").exists()
    partial = dm.open_sweep(store)
    assert partial.attrs["complete"] == 0
    assert partial.attrs["chunks_done"] == len(before)
    # the finished chunks are readable and final
    regions = _chunks((8, 5), (1, 2))
    for k in before:
        for v in ("balanced_basin_fraction", "unresolved_basin_fraction"):
            got = partial[v].values[regions[k]]
            assert np.array_equal(got, uninterrupted[v].values[regions[k]]), (k, v)
    partial.close()

    resumed = run_slow(store)
    assert_same_data(resumed, uninterrupted)
    assert resumed.attrs["spec_sha256"] == uninterrupted.attrs["spec_sha256"]
    assert resumed.attrs["complete"] == 1
    after = markers(store)
    assert sorted(after) == list(range(n_chunks))
    # nothing finished before the interruption was computed again
    assert {k: after[k] for k in before} == before


def test_resume_after_sigkill_recomputes_only_unfinished_chunks(tmp_path, uninterrupted):
    store = tmp_path / "killed.zarr"
    status, _ = interrupt(tmp_path, store, signal.SIGKILL)
    assert status == -signal.SIGKILL
    check_resume(store, markers(store), uninterrupted)


def test_resume_after_ctrl_c_recomputes_only_unfinished_chunks(tmp_path, uninterrupted):
    store = tmp_path / "interrupted.zarr"
    status, err = interrupt(tmp_path, store, signal.SIGINT)
    assert status != 0
    assert "KeyboardInterrupt" in err
    check_resume(store, markers(store), uninterrupted)


def test_ctrl_c_stops_the_sweep_even_when_this_process_ignores_sigint(tmp_path):
    # the cause of the old flake: pytest started with SIGINT ignored (e.g. the suite run as
    # a background job) passed the ignore to the sweep, which then ran to the end and
    # exited 0. The script now sets its own disposition.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        status, err = interrupt(tmp_path, tmp_path / "s.zarr", signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert status != 0 and "KeyboardInterrupt" in err
    assert sorted(markers(tmp_path / "s.zarr")) == list(range(PAUSE_AFTER))


def test_running_a_finished_sweep_again_computes_nothing(tmp_path):
    store = tmp_path / "s.zarr"
    kw = {"over": {"anxiety_gain_1": [1.0, 2.0, 3.0]}, "measure": "n_stable", "chunk_size": 1}
    first = dm.sweep(MODEL, store=store, n_workers=1, **kw)
    before = markers(store)
    assert sorted(before) == [0, 1, 2]
    again = dm.sweep(MODEL, store=store, n_workers=1, **kw)
    assert markers(store) == before
    assert_same_data(first.load(), again.load())


# -- another sweep at the same store ------------------------------------------------------------
BASE = {
    "over": {"anxiety_gain_1": [1.0, 2.0, 3.0]},
    "measure": {"balanced_basin_fraction": {"resolution": 8}},
    "chunk_size": 1,
}


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (
            {"over": {"anxiety_gain_1": [1.0, 2.0, 3.5]}},
            "over.values.anxiety_gain_1: stored [1.0, 2.0, 3.0], now [1.0, 2.0, 3.5]",
        ),
        ({"over": {"avoidance_gain_2": [1.0, 2.0, 3.0]}}, "over.values.avoidance_gain_2 is new"),
        (
            {"measure": {"balanced_basin_fraction": {"resolution": 9}}},
            "measures[0].options.resolution: stored 8, now 9",
        ),
        ({"measure": "regime"}, 'measures[0].name: stored "balanced_basin_fraction", now "regime"'),
        ({"chunk_size": 2}, "chunk_shape: stored [1], now [2]"),
        ({"base_params": {"threshold_1": 1.25}}, "parameters.threshold_1: stored 1.0, now 1.25"),
        ({"inputs": {"stress": 0.5}}, "inputs.stress: stored 0.0, now 0.5"),
        (
            {"over": Sample("sobol", {"anxiety_gain_1": (1.0, 3.0)}, n=4, seed=0)},
            'over.type: stored "grid", now "sobol"',
        ),
    ],
)
def test_another_sweep_at_the_same_store_is_refused_saying_what_differs(tmp_path, change, shown):
    store = tmp_path / "s.zarr"
    first = dm.sweep(MODEL, store=store, n_workers=1, **BASE).load()
    before = markers(store)
    other = {**BASE, **change}
    with pytest.raises(SweepSpecError) as err:
        dm.sweep(MODEL, store=store, n_workers=1, **other)
    assert shown in str(err.value)
    assert "overwrite=True" in str(err.value)
    # the stored sweep is untouched
    assert markers(store) == before
    assert_same_data(dm.open_sweep(store).load(), first)
    # overwrite=True replaces it with the new sweep
    new = dm.sweep(MODEL, store=store, n_workers=1, overwrite=True, **other)
    assert_same_data(new.load(), dm.sweep(MODEL, n_workers=1, **other))
    assert new.attrs["complete"] == 1
    assert len(markers(store)) == new.attrs["n_chunks"]


def test_a_directory_that_is_not_a_sweep_store_is_refused(tmp_path):
    store = tmp_path / "notes"
    store.mkdir()
    (store / "thesis.txt").write_text("keep me")
    with pytest.raises(SweepSpecError, match="is not a dyadmodel sweep store"):
        dm.sweep(MODEL, store=store, **BASE)
    assert (store / "thesis.txt").read_text() == "keep me"
    assert sorted(p.name for p in store.iterdir()) == ["thesis.txt"]
    with pytest.raises(SweepSpecError, match="not a dyadmodel sweep store"):
        dm.open_sweep(store)
    # an empty directory is taken
    empty = tmp_path / "empty"
    empty.mkdir()
    ds = dm.sweep(MODEL, store=empty, n_workers=1, **BASE)
    assert ds.attrs["complete"] == 1


# -- bad arguments ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kw", "error", "shown"),
    [
        ({"over": {"anxiety_gain1": [1.0]}}, ParameterError, "did you mean 'anxiety_gain_1'"),
        ({"over": {"anxiety_gain_1": [-1.0, 2.0]}}, ParameterError, "lower bound 0"),
        ({"over": {"anxiety_gain_1": [2.0, 25.0]}}, ParameterError, "above its upper bound 20"),
        ({"over": {"threshold_1": [0.0, 1.0]}}, ParameterError, "'threshold_1' = 0"),
        (
            {"over": Sample("sobol", {"avoidance_gain_2": (1.0, 21.0)}, n=4, seed=0)},
            ParameterError,
            "'avoidance_gain_2' = 21 is above its upper bound 20",
        ),
        ({"backend": "spark"}, ValueError, "'spark'"),
        ({"n_workers": 0}, ValueError, "n_workers = 0"),
        ({"n_workers": 1.5}, ValueError, "n_workers = 1.5"),
        ({"chunk_size": -1}, ValueError, "chunk_size = -1"),
        ({"chunk_size": True}, ValueError, "chunk_size = True"),
        ({"scheduler": "tcp://127.0.0.1:8786"}, ValueError, "backend='dask'"),
        ({"over": None}, ValueError, "over is required"),
        ({"over": [1.0, 2.0]}, TypeError, "over = [1.0, 2.0]"),
        ({"base_params": {"anxiety_gain_1": -2.0}}, ParameterError, "anxiety_gain_1"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_written(tmp_path, kw, error, shown):
    store = tmp_path / "s.zarr"
    kw = {"over": {"anxiety_gain_1": [1.0, 2.0]}, "measure": "regime", "store": store, **kw}
    with pytest.raises(error) as err:
        dm.sweep(MODEL, **kw)
    assert shown in str(err.value)
    assert not store.exists()


def test_a_scheduler_that_is_neither_an_address_nor_a_client_is_refused():
    with pytest.raises(ValueError, match="scheduler = 42"):
        dm.sweep(MODEL, over={"anxiety_gain_1": [2.0]}, backend="dask", scheduler=42)


# -- a measure that fails ---------------------------------------------------------------------
SMALL = {"anxiety_gain_1": [1.0, 2.0, 3.0], "avoidance_gain_2": [1.5, 2.5]}  # 3 chunks of 2
FAILING_POINT = "at the point anxiety_gain_1 = 3, avoidance_gain_2 = 2.5"
BROKEN = {"on": True}


def _fragile(batch, options):
    """anxiety_gain_1 * avoidance_gain_2, failing at (3, 2.5) while BROKEN['on']."""
    out = np.empty(len(batch))
    for i, p in enumerate(batch.psets):
        if BROKEN["on"] and p["anxiety_gain_1"] == 3.0 and p["avoidance_gain_2"] == 2.5:
            raise ZeroDivisionError("test failure")
        out[i] = p["anxiety_gain_1"] * p["avoidance_gain_2"]
    return {"product": out}


def _fragile_outputs(model, options):
    return (Output("product", "float64", np.nan),)


FRAGILE = Measure("fragile", "fails at one point (test)", _fragile, _fragile_outputs)


def test_a_failing_measure_names_the_point_and_keeps_finished_chunks(tmp_path, monkeypatch):
    store = tmp_path / "s.zarr"
    measure = ["regime", FRAGILE]
    with pytest.raises(SweepError) as err:
        dm.sweep(MODEL, over=SMALL, measure=measure, store=store, n_workers=1, chunk_size=2)
    msg = str(err.value)
    assert FAILING_POINT in msg
    assert "'fragile'" in msg and "ZeroDivisionError: test failure" in msg
    assert isinstance(err.value.__cause__, ZeroDivisionError)
    before = markers(store)
    assert sorted(before) == [0, 1]  # the chunks before the failing one stay finished

    # a partly finished store opens, with -1 and NaN where nothing was computed
    ds = dm.open_sweep(store)
    assert ds.attrs["complete"] == 0 and ds.attrs["chunks_done"] == 2
    assert (ds.regime.values[2] == -1).all() and (ds.regime.values[:2] >= 0).all()
    assert (ds.equilibria_complete.values[2] == -1).all()
    assert np.isnan(ds["product"].values[2]).all()
    assert np.array_equal(ds["product"].values[:2], [[1.5, 2.5], [3.0, 5.0]])
    ds.close()

    # fixed (the same spec): the resume computes only the failed chunk
    monkeypatch.setitem(BROKEN, "on", False)
    ds = dm.sweep(MODEL, over=SMALL, measure=measure, store=store, n_workers=1, chunk_size=2)
    assert ds.attrs["complete"] == 1
    after = markers(store)
    assert sorted(after) == [0, 1, 2]
    assert {k: after[k] for k in before} == before
    assert np.array_equal(ds["product"].values, np.outer(SMALL["anxiety_gain_1"], [1.5, 2.5]))
    assert (ds.regime.values >= 0).all()


def test_a_failing_measure_on_a_process_pool(tmp_path):
    store = tmp_path / "s.zarr"
    with pytest.raises(SweepError, match=FAILING_POINT):
        dm.sweep(MODEL, over=SMALL, measure=FRAGILE, store=store, n_workers=2, chunk_size=2)
    assert set(markers(store)) <= {0, 1}
    assert dm.open_sweep(store).attrs["complete"] == 0
    # the pool is replaced: the next sweep on two workers runs
    ds = dm.sweep(
        MODEL,
        over={"anxiety_gain_1": [1.0, 2.0, 3.0]},
        measure="n_stable",
        n_workers=2,
        chunk_size=1,
    )
    assert ds.n_stable.values.tolist() == [1, 2, 2]


def test_grid_object_and_mapping_give_the_same_sweep():
    g = {"anxiety_gain_1": [1.0, 3.0]}
    a = dm.sweep(MODEL, over=g, measure="n_stable", n_workers=1)
    b = dm.sweep(MODEL, over=Grid(g), measure="n_stable", n_workers=1)
    assert_same_data(a, b)
    assert a.attrs["spec_sha256"] == b.attrs["spec_sha256"]


def test_store_in_use_by_another_sweep_is_refused(tmp_path):
    # a second sweep on a store that a running sweep holds (another terminal, a job
    # submitted twice) is refused instead of interleaving writes; the lock is released
    # when the holder ends

    path = tmp_path / "busy.zarr"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from dyadmodel.sweeps._store import SweepStore\n"
        f"with SweepStore(Path({str(path)!r}), {{}}).lock():\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(
            SweepSpecError, match=rf"being written by another running sweep \(pid {proc.pid}\)"
        ):
            dm.sweep(
                MODEL, over={"anxiety_gain_1": [1.0]}, measure="n_stable", n_workers=1, store=path
            )
        assert not path.exists()
    finally:
        proc.kill()  # SIGKILL: the operating system releases the lock
        proc.wait(timeout=30)
    ds = dm.sweep(
        MODEL, over={"anxiety_gain_1": [1.0]}, measure="n_stable", n_workers=1, store=path
    )
    assert ds.n_stable.values.tolist() == [1]
    assert not path.with_name("busy.zarr.lock").exists()


# -- worker processes ---------------------------------------------------------------------------
UNGUARDED = f"""
import dyadmodel as dm

dm.sweep({MODEL!r}, over={{"anxiety_gain_1": [1.0, 2.0]}}, measure="n_stable", n_workers=2,
         chunk_size=1, progress=False)
"""


@pytest.mark.slow  # starts worker interpreters (~5-15 s)
def test_a_script_without_a_main_guard_gets_one_clear_error(tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("dyadmodel.sweeps._sweep.SweepError: the worker processes could not")
    assert f'{script} has no if __name__ == "__main__": block' in last
    assert "BrokenProcessPool" not in last


ORPHANS = f"""
import os
import sys
import time
from pathlib import Path

import numpy as np

import dyadmodel as dm
from dyadmodel.sweeps import Measure, Output


def _block(batch, options):
    Path(sys.argv[1], str(os.getpid())).write_text("")
    time.sleep(600)
    return {{"never": np.zeros(len(batch))}}


def _outputs(model, options):
    return (Output("never", "float64", np.nan),)


BLOCK = Measure("block", "waits (test)", _block, _outputs)

if __name__ == "__main__":
    dm.sweep({MODEL!r}, over={{"anxiety_gain_1": [1.0, 2.0]}}, measure=BLOCK, n_workers=2,
             chunk_size=1, progress=False)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state  # a zombie has ended


@pytest.mark.slow  # starts worker interpreters (~5-15 s)
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_killing_the_parent_leaves_no_orphan_workers(tmp_path):
    script = tmp_path / "orphans.py"
    script.write_text(ORPHANS)
    pids = tmp_path / "pids"
    pids.mkdir()
    proc = subprocess.Popen([sys.executable, str(script), str(pids)], cwd=tmp_path)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + TIMEOUT
        while len(workers) < 2:
            assert proc.poll() is None, "the sweep ended before its workers started"
            assert time.monotonic() < deadline, "the workers did not start"
            workers = [int(p.name) for p in pids.iterdir()]
            time.sleep(0.05)
        assert all(alive(pid) for pid in workers)
        proc.kill()  # SIGKILL: the parent cannot stop its pool
        proc.wait(timeout=TIMEOUT)
        deadline = time.monotonic() + 5.0  # a worker checks its parent every 0.5 s
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)], "orphaned workers still run"
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()


# -- models that are not registered ------------------------------------------------------------
PITCHFORK_TOML = """
[model]
name = "pitchfork-{tag}"
[states.x]
plot_range = [-3.0, 3.0]
[states.y]
plot_range = [-3.0, 3.0]
[parameters.a]
default = 0.5
bounds = [-2.0, 4.0]
[equations]
x = "a*x - x**3 - y"
y = "x - y"
"""
PITCHFORK_GRID = {"a": [0.0, 0.5, 1.5, 2.5]}  # one stable equilibrium below a = 1, two above
PITCHFORK_MEASURES = {"n_stable": None, "final_state": {"x0": [0.3, 0.1]}}


def pitchfork_file(folder: Path, tag: str = "file") -> Path:
    path = folder / f"pitchfork_{tag}.toml"
    path.write_text(PITCHFORK_TOML.format(tag=tag))
    return path


def pitchfork_sweep(m, **kw):
    kw = {"measure": PITCHFORK_MEASURES, "chunk_size": 1, "progress": False, **kw}
    return dm.sweep(m, None, PITCHFORK_GRID, **kw)


@pytest.fixture(scope="module")
def pitchfork_reference(tmp_path_factory):
    """A model file's sweep in this process (the file is read once, here)."""
    m = dm.models.load(pitchfork_file(tmp_path_factory.mktemp("model")))
    return m, pitchfork_sweep(m, n_workers=1)


def test_a_model_file_sweep_gives_the_closed_form_stability(pitchfork_reference):
    _, ds = pitchfork_reference
    # x' = a x - x^3 - y, y' = x - y: the origin is stable for a < 1, and for a > 1 it is
    # a saddle between two stable equilibria x = y = +-sqrt(a - 1)
    assert ds.n_stable.values.tolist() == [1, 1, 2, 2]
    final = ds.final_state.values
    assert np.allclose(final[:2], 0.0, atol=1e-6)
    assert np.allclose(final[2:, 0], np.sqrt([0.5, 1.5]), atol=1e-6)


@pytest.mark.parametrize(
    "backend",
    ["local", pytest.param("dask", marks=pytest.mark.slow)],  # a cluster: ~15 s
)
def test_workers_rebuild_a_model_file_from_its_text_not_from_the_file(
    tmp_path, pitchfork_reference, backend
):
    # the file is gone before the workers start: they get the model's definition with
    # the tasks, and compute exactly what this process computed
    path = pitchfork_file(tmp_path)
    m = dm.models.load(path)
    path.unlink()
    ds = pitchfork_sweep(m, n_workers=2, backend=backend)
    reference = pitchfork_reference[1]
    assert_same_data(ds, reference)
    assert ds.attrs["spec_sha256"] == reference.attrs["spec_sha256"]


def test_a_task_names_a_registered_model_and_carries_the_text_of_others():
    from dyadmodel.sweeps._sweep import ModelText, _model_ref

    assert _model_ref(model()) == MODEL
    typed = dm.Model.from_equations({"x": "-k*x + y", "y": "x - y"}, parameters={"k": 2.0})
    ref = _model_ref(typed)
    assert isinstance(ref, ModelText)
    rebuilt = ref.build()
    assert rebuilt is not typed and rebuilt.rhs_expr == typed.rhs_expr
    assert rebuilt.parameters == typed.parameters and rebuilt.states == typed.states
    # a definition a file cannot hold (a Python labeler) travels as the object
    labelled = dm.Model(
        typed.name, "", typed.states, typed.parameters, typed.rhs_expr, labeler=lambda *a: "one"
    )
    assert _model_ref(labelled) is labelled


def test_editing_the_model_file_between_runs_is_a_different_sweep(tmp_path):
    path = pitchfork_file(tmp_path)
    store = tmp_path / "s.zarr"
    first = pitchfork_sweep(dm.models.load(path), n_workers=1, store=store).load()
    # the same equations with another domain of validity: results may differ
    path.write_text(path.read_text().replace("[states.x]", '[states.x]\nvalidity = [0.0, "inf"]'))
    with pytest.raises(SweepSpecError, match="definition"):
        pitchfork_sweep(dm.models.load(path), n_workers=1, store=store)
    assert_same_data(dm.open_sweep(store).load(), first)
