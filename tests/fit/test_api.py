"""dm.fit on worker processes: the same results as the serial run, one bad dyad never
stops the others, a user-defined model travels as its model file."""

import numpy as np
import pandas as pd
import pytest

import dyadmodel as dm
from dyadmodel.errors import InvalidInputError, InvalidTypeError

#: Not registered: workers rebuild it from its model file's text.
DECAY = dm.Model.from_equations(
    {"x": "-a*x + c*y", "y": "-b*y"},
    {"a": {"default": 0.4, "bounds": (0, 5)}, "b": {"default": 0.7, "bounds": (0, 5)}, "c": 0.2},
    name="decay-test",
)


def decay_couples(n_dyads, seed):
    rng = np.random.default_rng(seed)
    times = np.linspace(0, 8, 25)
    parts = []
    for d in range(n_dyads):
        a, b = rng.uniform(0.2, 0.8, 2)
        x0, y0 = rng.uniform(1, 2, 2)
        y = y0 * np.exp(-b * times)
        # x' = -a x + 0.2 y, closed form
        x = (x0 - 0.2 * y0 / (a - b)) * np.exp(-a * times) + 0.2 * y0 / (a - b) * np.exp(-b * times)
        for k, v in enumerate((x, y)):
            v = v + 0.02 * rng.normal(size=times.size)
            if d == 1:
                v[3:] = np.nan  # too short to fit: its own status, the others go on
            parts.append(pd.DataFrame({"dyad": d, "person": k + 1, "time": times, "value": v}))
    return dm.data.read_dyadic(
        pd.concat(parts), dyad="dyad", person="person", time="time", value="value"
    )


def assert_same(a, b):
    pd.testing.assert_frame_equal(
        a.table.drop(columns=[c for c in a.table.columns if c in ("seconds",)]),
        b.table.drop(columns=[c for c in b.table.columns if c in ("seconds",)]),
    )


@pytest.mark.slow
def test_two_workers_give_the_serial_results_for_a_user_model():
    data = decay_couples(4, seed=2)
    opts = dict(method="ml", free=("a", "b"), n_starts=2, max_seconds=30)
    serial = dm.fit(DECAY, data, **opts)
    parallel = dm.fit(DECAY, data, n_workers=2, **opts)
    assert_same(serial, parallel)
    status = serial.table.status
    assert (status.drop(1) == "ok").all()
    assert status.loc[1] != "ok"  # the bad dyad has its reason; the others were fitted


def test_two_workers_give_the_serial_results_for_glla():
    data = example_data()
    assert_same(dm.fit("coupled-oscillator", data), dm.fit("coupled-oscillator", data, n_workers=2))


@pytest.mark.slow
def test_dask_backend_gives_the_serial_results():
    from distributed import Client, LocalCluster

    data = decay_couples(3, seed=4)
    opts = dict(method="ml", free=("a", "b"), n_starts=1)
    serial = dm.fit(DECAY, data, **opts)
    assert_same(serial, dm.fit(DECAY, data, n_workers=2, backend="dask", **opts))
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        assert_same(serial, dm.fit(DECAY, data, backend="dask", scheduler=client, **opts))
        assert client.status == "running"  # a cluster the caller passed stays up


def example_data():
    csv = dm.__file__.rsplit("/", 2)[0] + "/examples/couples_daily.csv"
    return dm.data.read_dyadic(
        csv, dyad="couple", person="person", time="day", value="closeness", distinguish="female"
    )


def test_progress_bar_counts_dyads(capfd):
    dm.fit("coupled-oscillator", example_data(), progress=True)
    err = capfd.readouterr().err
    assert "fit coupled-oscillator" in err
    assert "12/12" in err
    dm.fit("coupled-oscillator", example_data(), progress=False)
    assert capfd.readouterr().err == ""


def test_parallel_options_are_checked():
    data = decay_couples(2, seed=1)
    with pytest.raises(InvalidInputError, match="n_workers must be in"):
        dm.fit("coupled-oscillator", data, n_workers=0)
    with pytest.raises(InvalidTypeError, match="n_workers must be a positive integer"):
        dm.fit("coupled-oscillator", data, n_workers=2.0)
    with pytest.raises(InvalidInputError, match="backend = 'ray'"):
        dm.fit("coupled-oscillator", data, backend="ray")
    with pytest.raises(InvalidInputError, match="backend = array"):
        dm.fit("coupled-oscillator", data, backend=np.zeros(3))
    with pytest.raises(InvalidInputError, match="scheduler is for backend='dask'"):
        dm.fit("coupled-oscillator", data, scheduler="tcp://127.0.0.1:1")
