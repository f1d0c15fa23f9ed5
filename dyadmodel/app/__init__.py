"""The interactive phase-plane explorer (``dyadmodel explore``), a Dash app.

The page shows the phase portrait of a model with sliders and typed boxes for every
parameter (and, for the pursuer-distancer models, the partners' ECR-R attachment
scores, mapped by `dyadmodel.attachment.couple_params`); a click on the plane launches a
forward trajectory from that point; toggles show the vector field, the nullclines, the
separatrices and the basins; a table lists the equilibria (kind, couple label,
eigenvalues, certified) and says whether the list is complete; a bifurcation diagram
for a chosen parameter marks the current value; a stress pulse (start, duration, size)
gives the time series of the response from the balanced state.

The equations panel (`dyadmodel.app._editor`) shows the model as text -- equations,
parameters with bounds, plotting ranges -- and lets the user edit it or start from a
blank 2-state system; a valid text replaces the model of the page, a bad one gets its
message beside the field. ``dyadmodel explore --model my_model.toml`` opens a model file.

The address holds the view (``?model=...&<parameter>=<value>...``, only values that
differ from the defaults, and the typed model's texts), so a view can be shared; the
export button writes it as offline HTML, PNG (when a Chrome/Chromium is installed) and a
provenance JSON.

Notes
-----
For a model with more than two states the user picks the two displayed states; the
others are held at their values at the 'balanced' equilibrium (else the first stable
equilibrium, else the first one, else the middle of their domain). The flow and the
nullclines are drawn in that planar slice; equilibria, separatrices and trajectories
are projections of the full system.

`export_explorer` (``dyadmodel export-explorer``) writes a serverless explorer: one
self-contained HTML file in which the field, nullclines, equilibria (Newton, not
certified), trajectories and stress pulses are computed by JavaScript printed from the
model (`dyadmodel.app._js`), with plotly.js inlined; it works offline from the file
system.

Dash and plotly are imported only here and in `dyadmodel.plot`.
"""

from dyadmodel.app._app import create_app
from dyadmodel.app._cli import cli_explore, main
from dyadmodel.app._export import export_explorer

__all__ = ["cli_explore", "create_app", "export_explorer", "main"]
