"""Sweep designs and chunking: chunks tile the design exactly once, grids reassemble,
samples are stratified, bounded and reproducible, and bad designs are refused by name."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadmodel.sweeps import SAMPLE_METHODS, Grid, Sample, auto_chunk_size
from dyadmodel.sweeps._sweep import _chunks, chunk_shape

shapes = st.lists(st.integers(1, 7), min_size=1, max_size=3).map(tuple)


# -- chunks --------------------------------------------------------------------------------
@given(shapes, st.integers(1, 400))
def test_chunks_tile_the_grid_exactly_once(shape, target):
    block = chunk_shape(shape, target)
    assert len(block) == len(shape)
    assert all(1 <= b <= s for b, s in zip(block, shape))
    assert math.prod(block) <= target
    regions = _chunks(shape, block)
    hits = np.zeros(shape, dtype=int)
    for region in regions:
        size = math.prod(s.stop - s.start for s in region)
        assert 1 <= size <= target
        assert all(0 <= s.start < s.stop <= n for s, n in zip(region, shape))
        hits[region] += 1
    assert (hits == 1).all()  # every flat index once
    # the regions are the zarr chunks: block-aligned
    assert all(s.start % b == 0 for region in regions for s, b in zip(region, block))
    assert len(regions) == math.prod(math.ceil(s / b) for s, b in zip(shape, block))


@given(shapes, st.integers(1, 400))
def test_chunk_shape_takes_whole_trailing_dimensions_first(shape, target):
    block = chunk_shape(shape, target)
    # a dimension is cut only if every later dimension is taken whole
    for d in range(len(shape)):
        if block[d] > 1 or d == len(shape) - 1:
            assert block[d + 1 :] == shape[d + 1 :]
        if block[d] < shape[d]:
            assert block[:d] == (1,) * d
    if target >= math.prod(shape):
        assert block == shape  # one chunk


@given(shapes, st.integers(1, 400), st.floats(-5, 5))
def test_grid_blocks_reassemble_the_full_meshgrid(shape, target, offset):
    names = ["a", "b", "c"][: len(shape)]
    values = {
        k: offset + 0.5 * np.arange(n) - 0.25 * j for j, (k, n) in enumerate(zip(names, shape))
    }
    grid = Grid(values)
    assert grid.shape == shape and grid.size == math.prod(shape)
    assert grid.names == tuple(names) == grid.dims
    mesh = np.meshgrid(*values.values(), indexing="ij")
    got = {k: np.full(shape, np.nan) for k in names}
    for region in _chunks(shape, chunk_shape(shape, target)):
        block = grid.block(region)
        sub = tuple(s.stop - s.start for s in region)
        for k in names:
            assert block[k].shape == (math.prod(sub),)
            got[k][region] = block[k].reshape(sub)
    for k, full in zip(names, mesh):
        assert np.array_equal(got[k], full)


@given(st.integers(1, 10**7))
def test_auto_chunk_size_depends_on_the_number_of_points_alone(n):
    c = auto_chunk_size(n)
    assert isinstance(c, int)
    assert 1 <= c <= 512
    assert c <= n
    assert c == auto_chunk_size(n)  # no state, no workers, no machine
    assert c >= min(n, 8)
    if n >= 32 * 512:
        assert c == 512


def test_auto_chunk_size_is_the_same_for_grids_of_equal_size():
    # 60 points as 60, 6 x 10 or 3 x 4 x 5: the same target (the block shape differs)
    sizes = {
        auto_chunk_size(Grid(v).size)
        for v in (
            {"a": range(60)},
            {"a": range(6), "b": range(10)},
            {"a": range(3), "b": range(4), "c": range(5)},
        )
    }
    assert sizes == {auto_chunk_size(60)}


# -- samples -------------------------------------------------------------------------------
boxes = st.lists(st.tuples(st.floats(-10, 10), st.floats(0.01, 10)), min_size=1, max_size=4).map(
    lambda bs: {f"p{j}": (lo, lo + w) for j, (lo, w) in enumerate(bs)}
)
seeds = st.integers(0, 2**32 - 1)


def _points(s: Sample) -> np.ndarray:
    block = s.block((slice(0, s.size),))
    return np.column_stack([block[k] for k in s.names])


@given(boxes, st.integers(1, 40), seeds)
def test_latin_hypercube_has_one_point_per_stratum_per_axis(bounds, n, seed):
    s = Sample("latin-hypercube", bounds, n=n, seed=seed)
    X = _points(s)
    assert X.shape == (n, len(bounds)) == (s.size, len(s.names))
    for j, (lo, hi) in enumerate(bounds.values()):
        strata = np.clip(np.floor((X[:, j] - lo) / (hi - lo) * n), 0, n - 1).astype(int)
        assert sorted(strata.tolist()) == list(range(n))


@given(st.sampled_from(SAMPLE_METHODS), boxes, st.sampled_from([1, 2, 4, 8, 16]), seeds)
def test_samples_lie_in_the_box_and_depend_on_the_seed_alone(method, bounds, n, seed):
    s = Sample(method, bounds, n=n, seed=seed)
    X = _points(s)
    assert X.shape == (s.size, len(bounds))
    lo = np.array([b[0] for b in bounds.values()])
    hi = np.array([b[1] for b in bounds.values()])
    assert (X >= lo).all() and (X <= hi).all()
    again = _points(Sample(method, dict(bounds), n=n, seed=seed))
    assert np.array_equal(X, again)
    other = _points(Sample(method, dict(bounds), n=n, seed=seed + 1))
    assert not np.array_equal(X, other)
    # coordinates of the result Dataset: the same points
    coords = s.coords()
    assert np.array_equal(coords["sample"][1], np.arange(s.size))
    for j, k in enumerate(s.names):
        assert np.array_equal(coords[k][1], X[:, j])


@given(boxes, st.sampled_from([1, 2, 4, 8]), seeds)
def test_saltelli_size(bounds, n, seed):
    d = len(bounds)
    full = Sample("saltelli", bounds, n=n, seed=seed)
    first = Sample("saltelli", bounds, n=n, seed=seed, second_order=False)
    # second-order points only exist with two or more parameters
    assert full.size == (n * (2 * d + 2) if d > 1 else n * (d + 2))
    assert first.size == n * (d + 2)
    assert _points(full).shape == (full.size, d)
    assert _points(first).shape == (first.size, d)


def test_saltelli_size_with_three_parameters():
    b = {"a": (0, 1), "b": (1, 2), "c": (2, 3)}
    assert Sample("saltelli", b, n=8, seed=0).size == 8 * 8
    assert Sample("saltelli", b, n=8, seed=0, second_order=False).size == 8 * 5


def test_sample_blocks_are_runs_of_the_sample():
    s = Sample("sobol", {"a": (0, 1), "b": (-1, 1)}, n=16, seed=3)
    X = _points(s)
    parts = [s.block((slice(i, min(i + 5, 16)),)) for i in range(0, 16, 5)]
    assert np.array_equal(np.concatenate([p["a"] for p in parts]), X[:, 0])
    assert np.array_equal(np.concatenate([p["b"] for p in parts]), X[:, 1])
    assert s.dims == ("sample",) and s.shape == (16,)


# -- bad designs ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "shown"),
    [
        (lambda: Grid({}), "{}"),
        (lambda: Grid({"a": [1.0, float("nan")]}), "nan"),
        (lambda: Grid({"a": [1.0, float("inf")]}), "inf"),
        (lambda: Grid({"a": [1.0, 2.0, 1.0]}), "[1.0, 2.0, 1.0]"),
        (lambda: Grid({"a": []}), "'a'"),
        (lambda: Grid({"a": ["x"]}), "'x'"),
        (lambda: Grid({"a": [True, 2.0]}), "True"),
        (lambda: Grid([1.0, 2.0]), "[1.0, 2.0]"),
        (lambda: Grid({"": [1.0]}), "''"),
        (lambda: Sample("latin-hypercube", {}, n=4, seed=0), "{}"),
        (lambda: Sample("latin-hypercube", {"a": (2.0, 1.0)}, n=4, seed=0), "(2, 1)"),
        (lambda: Sample("latin-hypercube", {"a": (1.5, 1.5)}, n=4, seed=0), "(1.5, 1.5)"),
        (lambda: Sample("latin-hypercube", {"a": (0.0, float("nan"))}, n=4, seed=0), "nan"),
        (lambda: Sample("latin-hypercube", {"a": (0.0, 1.0, 2.0)}, n=4, seed=0), "(0.0, 1.0, 2.0)"),
        (lambda: Sample("latin-hypercube", {"a": "ab"}, n=4, seed=0), "'ab'"),
        (lambda: Sample("sobol", {"a": (0.0, 1.0)}, n=6, seed=0), "n = 6"),
        (lambda: Sample("saltelli", {"a": (0.0, 1.0)}, n=12, seed=0), "n = 12"),
        (lambda: Sample("halton", {"a": (0.0, 1.0)}, n=4, seed=0), "'halton'"),
        (lambda: Sample("latin-hypercube", {"a": (0.0, 1.0)}, n=True, seed=0), "True"),
        (lambda: Sample("latin-hypercube", {"a": (0.0, 1.0)}, n=0, seed=0), "n = 0"),
        (lambda: Sample("latin-hypercube", {"a": (0.0, 1.0)}, n=2.0, seed=0), "n = 2.0"),
        (lambda: Sample("latin-hypercube", {"a": (0.0, 1.0)}, n=4, seed=-1), "seed = -1"),
        (lambda: Sample("saltelli", {"a": (0, 1)}, n=4, seed=0, second_order=1), "= 1"),
    ],
)
def test_bad_designs_are_refused_naming_the_value(make, shown):
    with pytest.raises(ValueError) as err:
        make()
    assert shown in str(err.value)


def test_sobol_power_of_two_message_suggests_neighbours():
    with pytest.raises(ValueError, match=r"n = 4 or 8"):
        Sample("sobol", {"a": (0.0, 1.0)}, n=6, seed=0)
