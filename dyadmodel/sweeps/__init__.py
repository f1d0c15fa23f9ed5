"""Parameter sweeps at scale: named outcomes over grids and samples, on a process pool or
a dask cluster, written to zarr chunk by chunk, resumable, with Sobol' indices.

>>> import dyadmodel as dm
>>> ds = dm.sweep("pursuer-distancer-2d", over={"anxiety_gain_1": [1.0, 3.0]},
...               measure="regime", n_workers=1)
>>> [dm.sweeps.REGIMES[c] for c in ds.regime.values]
['balanced only', 'bistable']
"""

from dyadmodel.continuation._twoparam import REGIMES
from dyadmodel.sweeps._design import SAMPLE_METHODS, Grid, Sample
from dyadmodel.sweeps._measures import MEASURES, Batch, Measure, Output, register_measure
from dyadmodel.sweeps._sensitivity import SobolIndices, sobol_indices
from dyadmodel.sweeps._spec import SweepSpec, SweepSpecFileError, load_sweep_spec
from dyadmodel.sweeps._store import DamagedChunksWarning, SweepSpecError, is_sweep_store
from dyadmodel.sweeps._sweep import (
    BACKENDS,
    DEFAULT_MAX_POINTS,
    SweepError,
    SweepTooLargeError,
    auto_chunk_size,
    open_sweep,
    sweep,
)

__all__ = [
    "BACKENDS",
    "DEFAULT_MAX_POINTS",
    "MEASURES",
    "REGIMES",
    "SAMPLE_METHODS",
    "Batch",
    "DamagedChunksWarning",
    "Grid",
    "Measure",
    "Output",
    "Sample",
    "SobolIndices",
    "SweepError",
    "SweepSpec",
    "SweepSpecError",
    "SweepSpecFileError",
    "SweepTooLargeError",
    "auto_chunk_size",
    "is_sweep_store",
    "load_sweep_spec",
    "open_sweep",
    "register_measure",
    "sobol_indices",
    "sweep",
]
