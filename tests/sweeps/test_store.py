"""Sweep stores cannot lose anything: only a store the package created is ever deleted,
damaged chunks are found by their checksums and recomputed, a store is never left
half-made, and sweeps beyond their budget are refused before anything is allocated."""

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

import dyadmodel as dm
from dyadmodel.errors import BudgetExceededError, StoreError
from dyadmodel.sweeps import (
    DamagedChunksWarning,
    Grid,
    Sample,
    SweepSpecError,
    SweepTooLargeError,
    _store,
    is_sweep_store,
)

MODEL = "pursuer-distancer-2d"
KW = {"over": {"anxiety_gain_1": [1.0, 2.0, 3.0]}, "measure": "n_stable", "chunk_size": 1}
N_STABLE = [1, 2, 2]


def sweep(store, **kw):
    return dm.sweep(MODEL, store=store, n_workers=1, progress=False, **{**KW, **kw})


def markers(store: Path) -> dict[int, int]:
    done = store / ".dyadmodel" / "done"
    return {int(p.name): p.stat().st_mtime_ns for p in done.iterdir() if p.name.isdigit()}


def tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}


# -- only a store the package created is deleted --------------------------------------------
@pytest.mark.parametrize("overwrite", [False, True])
def test_a_users_folder_is_never_deleted_or_changed(tmp_path, overwrite):
    folder = tmp_path / "victim"
    (folder / "chapters").mkdir(parents=True)
    (folder / "thesis.tex").write_text("keep me")
    (folder / "chapters" / "one.tex").write_text("and me")
    before = tree(folder)
    with pytest.raises(SweepSpecError) as err:
        sweep(folder, overwrite=overwrite)
    msg = str(err.value)
    assert str(folder) in msg and "not a dyadmodel sweep store" in msg
    assert "overwrite" not in msg  # never suggested for a path that is not a store
    assert tree(folder) == before
    assert not is_sweep_store(folder)


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_file_or_a_link_is_never_replaced(tmp_path, overwrite):
    target = tmp_path / "data.csv"
    target.write_text("1,2,3")
    link = tmp_path / "link.zarr"
    link.symlink_to(sweep(tmp_path / "real.zarr") and tmp_path / "real.zarr")
    for path, what in [(target, "is a file"), (link, "is a symbolic link")]:
        with pytest.raises(SweepSpecError, match=what) as err:
            sweep(path, overwrite=overwrite, over={"anxiety_gain_1": [1.5]})
        assert "overwrite" not in str(err.value)
    assert target.read_text() == "1,2,3"
    assert link.is_symlink() and dm.open_sweep(tmp_path / "real.zarr").attrs["complete"] == 1


def test_overwrite_replaces_only_a_store_the_package_created(tmp_path):
    store = tmp_path / "s.zarr"
    sweep(store)
    marker = json.loads((store / ".dyadmodel" / "store.json").read_text())
    assert marker["created_by"] == "dyadmodel sweep store"
    assert {"n_stable", "anxiety_gain_1", ".zgroup"} <= set(marker["entries"])
    assert is_sweep_store(store)
    # a user's file inside the store: the store is refused as a whole, the file kept
    (store / "notes.txt").write_text("mine")
    with pytest.raises(SweepSpecError, match=r"files the package did not create \(notes.txt\)"):
        sweep(store, overwrite=True, over={"anxiety_gain_1": [3.0]})
    assert (store / "notes.txt").read_text() == "mine"
    (store / "notes.txt").unlink()
    ds = sweep(store, overwrite=True, over={"anxiety_gain_1": [3.0]})
    assert ds.n_stable.values.tolist() == [2] and ds.attrs["complete"] == 1
    # the same holds for the command line
    assert not any(p.name.startswith(".s.zarr.creating") for p in tmp_path.iterdir())


def test_the_command_line_refuses_a_folder_in_one_line_without_suggesting_overwrite(
    tmp_path, capsys
):
    from dyadmodel.sweeps._spec import cli_sweep

    folder = tmp_path / "victim"
    folder.mkdir()
    (folder / "thesis.tex").write_text("keep me")
    spec = tmp_path / "s.toml"
    spec.write_text(
        '[model]\nname = "pursuer-distancer-2d"\n[over]\ntype = "grid"\n[over.values]\n'
        'anxiety_gain_1 = [1.0]\n[measures]\nn_stable = {}\n[output]\npath = "victim"\n'
    )
    assert cli_sweep([str(spec), "--overwrite", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a dyadmodel sweep store" in err
    assert "--overwrite" not in err
    assert (folder / "thesis.tex").read_text() == "keep me"


# -- a store is complete or absent --------------------------------------------------------------
def test_a_sweep_killed_while_creating_its_store_restarts_with_the_same_call(tmp_path, monkeypatch):
    store = tmp_path / "s.zarr"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:  # interrupted after the arrays, before the spec
        m.setattr(
            _store, "_atomic_write", lambda path, data: killed() if "spec" in path.name else None
        )
        with pytest.raises(KeyboardInterrupt):
            sweep(store)
    assert not store.exists()
    assert list(tmp_path.iterdir()) == []
    # a process killed outright leaves its hidden build beside the store: the next run
    # removes it (it carries the marker) and creates the store
    build = tmp_path / ".s.zarr.creating-abc123"
    (build / ".dyadmodel").mkdir(parents=True)
    (build / ".dyadmodel" / "store.json").write_text(
        json.dumps({"created_by": "dyadmodel sweep store", "entries": [".zgroup"]})
    )
    (build / ".zgroup").write_text("{}")
    ds = sweep(store)
    assert ds.n_stable.values.tolist() == N_STABLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.zarr"]
    # a store of ours without its spec (never finished) is made again by the same call
    (store / ".dyadmodel" / "spec.json").unlink()
    for p in (store / ".dyadmodel" / "done").iterdir():
        p.unlink()
    assert sweep(store).attrs["complete"] == 1


# -- checksums ----------------------------------------------------------------------------------
DAMAGE = {
    "missing": lambda f: f.unlink(),
    "empty": lambda f: f.write_bytes(b""),
    "corrupt": lambda f: f.write_bytes(b"\x00garbage" + f.read_bytes()[8:]),
    "changed": lambda f: f.write_bytes(bytes(reversed(f.read_bytes()))),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_chunk_is_reported_and_recomputed(tmp_path, damage):
    store = tmp_path / "s.zarr"
    sweep(store)
    record = json.loads((store / ".dyadmodel" / "done" / "1").read_text())
    assert "n_stable/1" in record["sha256"] and len(record["sha256"]["n_stable/1"]) == 64
    DAMAGE[damage](store / "n_stable" / "1")
    before = markers(store)

    with pytest.warns(
        DamagedChunksWarning, match=r"chunk 1: n_stable/1 (is missing|is empty|does)"
    ):
        ds = dm.open_sweep(store)
    assert ds.attrs["chunks_damaged"] == [1]
    assert ds.attrs["complete"] == 0 and ds.attrs["chunks_done"] == 2
    assert ds.n_stable.values.tolist() == [N_STABLE[0], -1, N_STABLE[2]]  # "not computed"

    with pytest.warns(DamagedChunksWarning, match="computing them again"):
        again = sweep(store)
    assert again.n_stable.values.tolist() == N_STABLE
    assert again.attrs["complete"] == 1 and again.attrs["chunks_damaged"] == []
    after = markers(store)
    assert {k: after[k] for k in (0, 2)} == {k: before[k] for k in (0, 2)}  # not recomputed
    assert after[1] != before[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert dm.open_sweep(store).attrs["chunks_damaged"] == []


def test_an_unfinished_chunk_with_a_partial_file_reads_as_not_computed(tmp_path):
    store = tmp_path / "s.zarr"
    sweep(store)
    (store / ".dyadmodel" / "done" / "2").unlink()  # killed while writing chunk 2
    (store / ".dyadmodel" / "complete").unlink()
    (store / "n_stable" / "2").write_bytes(b"\x02\x01half a bl")
    ds = dm.open_sweep(store)
    assert ds.n_stable.values.tolist() == [*N_STABLE[:2], -1]
    assert ds.attrs["chunks_done"] == 2 and ds.attrs["chunks_damaged"] == []


def test_unreadable_metadata_is_one_store_error(tmp_path):
    store = tmp_path / "s.zarr"
    sweep(store)
    (store / ".zmetadata").write_text("{not json")
    with pytest.raises(StoreError, match="metadata cannot be read"):
        dm.open_sweep(store)


# -- budgets ------------------------------------------------------------------------------------
def test_a_sweep_beyond_max_points_is_refused_before_anything_is_allocated(tmp_path):
    store = tmp_path / "s.zarr"
    huge = Sample("latin-hypercube", {"anxiety_gain_1": (1.0, 3.0)}, n=10**12, seed=0)
    with pytest.raises(SweepTooLargeError) as err:
        sweep(store, over=huge)
    assert isinstance(err.value, ValueError) and isinstance(err.value, BudgetExceededError)
    msg = str(err.value)
    assert "1,000,000,000,000 points" in msg and "max_points = 1,000,000" in msg
    assert huge._cache is None  # the sample was never generated
    axis = np.linspace(1.0, 3.0, 1001)
    with pytest.raises(SweepTooLargeError, match="1,002,001 points"):
        sweep(store, over=Grid({"anxiety_gain_1": axis, "avoidance_gain_2": axis}))
    with pytest.raises(SweepTooLargeError, match="max_points = 2"):
        sweep(store, max_points=2)
    assert not store.exists()
    assert sweep(store, max_points=3).n_stable.values.tolist() == N_STABLE


def test_a_sweep_that_would_not_fit_in_memory_is_refused(tmp_path):
    big = Sample("latin-hypercube", {"anxiety_gain_1": (1.0, 3.0)}, n=10**13, seed=0)
    with pytest.raises(SweepTooLargeError, match=r"GiB in memory .* more than half"):
        sweep(tmp_path / "s.zarr", over=big, max_points=10**14)
    assert not (tmp_path / "s.zarr").exists()


def test_lock_file_and_store_are_the_only_things_written_beside(tmp_path):
    sweep(tmp_path / "s.zarr")
    assert sorted(os.listdir(tmp_path)) == ["s.zarr"]
