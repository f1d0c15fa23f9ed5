"""Fitting models to couples' time series, one dyad at a time.

`fit` dispatches to an estimation method (a registry: `register_method`, `methods`)
and returns a `FitResult`: one row per dyad with the estimates, standard errors, fit
statistics and a status (``"ok"`` or why not).

The field's standard estimators, as rties 5.0.0 computes them:

- ``fit("coupled-oscillator", data)`` (method ``"glla"``): derivatives by generalized
  local linear approximation, then one no-intercept regression of the second derivative
  on own and partner level and first derivative, with partner-specific coefficients;
  ``(tau, embed)`` chosen per dyad by adjusted R² (Boker & Nesselroade 2002; Boker et
  al. 2010; Butler & Barnard 2019). See `dyadmodel.fit._glla` for the steps.
  ``coupled=False`` fits the uncoupled oscillator.
- ``fit("inertia-coordination", data, lag=1)`` (method ``"ols"``): each person's
  detrended value on a per-partner intercept, own lagged value and partner's lagged
  value (Reed et al. 2013).

Beyond them: ``method="ml"`` for any model (trajectory matching, or with
``process_noise=True`` the extended Kalman filter's likelihood of the model as an SDE),
``n_workers=`` to fit dyads on worker processes or dask, and `profiles` to group
couples by their estimates (Gaussian mixtures) and test covariates against the groups.

The regressions are computed as R's ``lm`` does (`least_squares`): collinear columns
are aliased (NaN, the rest estimated without them) with R's tolerance 1e-7, and the
dyad's status says so.

>>> import numpy as np, pandas as pd, dyadmodel as dm
>>> t = np.arange(60.0)
>>> x, y = np.cos(0.5 * t), 2 * np.cos(0.3 * t + 1)    # eta_x = -0.25, eta_y = -0.09
>>> table = pd.DataFrame({"dyad": 1, "person": np.repeat([1, 2], 60),
...     "time": np.tile(t, 2), "value": np.concatenate([x, y])})
>>> data = dm.data.read_dyadic(table, dyad="dyad", person="person", time="time",
...                            value="value")
>>> result = dm.fit("coupled-oscillator", data, detrend=False)
>>> row = result.table.loc[1]
>>> row.status, float(round(row.adj_r2, 12)), int(row.tau), int(row.embed)
('ok', 1.0, 2, 3)

On noise-free data the estimate is GLLA's discretisation of the second derivative: a
three-point stencil of spacing ``h = tau delta`` gives ``eta = 2 (cos(omega h) - 1)/h²``
instead of ``-omega²``:

>>> h = 2.0
>>> bool(abs(row.eta_x - 2 * (np.cos(0.5 * h) - 1) / h**2) < 1e-12)
True
"""

import sys
import types

from dyadmodel.fit._api import STATISTICAL_MODELS, FitMethod, fit, methods, register_method
from dyadmodel.fit._couple import couples_in_state_space
from dyadmodel.fit._estimators import (
    COUPLED_OSCILLATOR_PARAMETERS,
    INERTIA_COORDINATION_PARAMETERS,
    GLLAOptions,
    InertiaCoordinationOptions,
)
from dyadmodel.fit._glla import detrend, glla_derivatives, glla_embed, glla_weights
from dyadmodel.fit._kalman import kalman_loglik
from dyadmodel.fit._lm import LinearFit, least_squares
from dyadmodel.fit._ml import (
    PROFILE_THRESHOLD,
    MLOptions,
    Profile,
    likelihood_ratio_test,
    profile_likelihood,
)
from dyadmodel.fit._profiles import CoupleProfiles, profiles
from dyadmodel.fit._result import STATUS_OK, DyadFit, FitResult

__all__ = [
    "COUPLED_OSCILLATOR_PARAMETERS",
    "INERTIA_COORDINATION_PARAMETERS",
    "PROFILE_THRESHOLD",
    "STATISTICAL_MODELS",
    "STATUS_OK",
    "CoupleProfiles",
    "DyadFit",
    "FitMethod",
    "FitResult",
    "GLLAOptions",
    "InertiaCoordinationOptions",
    "LinearFit",
    "MLOptions",
    "Profile",
    "couples_in_state_space",
    "detrend",
    "fit",
    "glla_derivatives",
    "glla_embed",
    "glla_weights",
    "kalman_loglik",
    "least_squares",
    "likelihood_ratio_test",
    "methods",
    "profile_likelihood",
    "profiles",
    "register_method",
]


class _CallableModule(types.ModuleType):
    """``dyadmodel.fit`` is both this subpackage and the function: ``dm.fit(model, data)``
    calls `fit`, ``dm.fit.GLLAOptions`` reaches the rest."""

    def __call__(self, *args, **kwargs):
        return fit(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
