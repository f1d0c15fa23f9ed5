"""Sphinx configuration of the dyadmodel documentation site.

Built by ``scripts/build_docs.sh`` into ``docs/_build/html`` with warnings as errors. The
site must open from the file system with no network: no intersphinx inventories, no CDN
assets. Mathematics is rendered to embedded PNG images by ``sphinx.ext.imgmath`` (LaTeX
and dvipng; no MathJax), the pydata theme ships its fonts and icons, and the gallery's
plotly figures are drawn by one local copy of ``plotly.min.js`` (``_static``), added only
to the pages that hold a figure.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import plotly
import plotly.io as pio
from plotly.io.base_renderers import MimetypeRenderer

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(REPO / "scripts"))  # the figure scripts and their _common module

from bibliography import write_generated  # noqa: E402

import dyadmodel  # noqa: E402

# The paper's rationale and references, rendered for docs/science.md (see _ext/bibliography.py)
write_generated(REPO, DOCS / "_build" / "generated")

project = "dyadmodel"
author = "The dyadmodel developers"
copyright = "The dyadmodel developers, BSD-3-Clause"
release = dyadmodel.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.imgmath",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    "examples",  # gallery sources: sphinx-gallery writes their pages to auto_*
    "tutorials",
    "auto_examples/*.ipynb",
    "auto_tutorials/*.ipynb",
    "auto_examples/*.py",
    "auto_tutorials/*.py",
    "auto_examples/*.zip",
    "auto_tutorials/*.zip",
]
# _templates: the autosummary class page (the class's own members, not those of str or Enum)
templates_path = ["_templates"]
nitpicky = False

# -- no network -------------------------------------------------------------------------
intersphinx_mapping: dict[str, tuple[str, None]] = {}  # no inventories are downloaded
html_math_renderer = "imgmath"
imgmath_image_format = "png"
imgmath_embed = True  # data: URIs in the page; nothing to fetch
imgmath_font_size = 14
imgmath_latex_preamble = r"\usepackage{amsmath}"
# imgmath's page loads anyfontsize, which Debian's small TeX Live lacks: a stand-in in
# _ext/tex (fix-cm) is found first; the trailing separator keeps TeX's own search path.
os.environ["TEXINPUTS"] = str(DOCS / "_ext" / "tex") + os.pathsep + os.environ.get("TEXINPUTS", "")

# -- autosummary / numpydoc -------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- MyST -------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath", "deflist"]
myst_heading_anchors = 3

# -- plotly: figures in the gallery load one local plotly.min.js ------------------------
PLOTLY_JS = "plotly.min.js"
_static_generated = DOCS / "_build" / "static-generated"
_static_generated.mkdir(parents=True, exist_ok=True)
_plotly_src = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
if (
    not (_static_generated / PLOTLY_JS).is_file()
    or (_static_generated / PLOTLY_JS).stat().st_size != _plotly_src.stat().st_size
):
    shutil.copyfile(_plotly_src, _static_generated / PLOTLY_JS)


class LocalPlotlyRenderer(MimetypeRenderer):
    """Render a figure as an HTML div that uses the page's own ``plotly.min.js``."""

    def to_mimebundle(self, fig_dict):
        fig_dict = dict(fig_dict)
        layout = dict(fig_dict.get("layout", {}))
        layout.pop("width", None)  # fill the page's width; keep the figure's height
        layout["autosize"] = True
        fig_dict["layout"] = layout
        html = pio.to_html(
            fig_dict,
            include_plotlyjs=False,
            include_mathjax=False,
            full_html=False,
            default_width="100%",
            config={"displaylogo": False, "responsive": True},
            validate=False,
        )
        return {"text/html": html}


pio.renderers["dyadmodel-docs"] = LocalPlotlyRenderer()
pio.renderers.default = "dyadmodel-docs"

# -- sphinx-gallery ---------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": ["examples", "tutorials"],
    "gallery_dirs": ["auto_examples", "auto_tutorials"],
    "filename_pattern": r"/(plot|tutorial)_",  # executed at build time
    "ignore_pattern": r"__init__\.py|/_",
    "image_scrapers": (),  # plotly figures come through their _repr_html_
    "capture_repr": ("_repr_html_", "__repr__"),
    "only_warn_on_example_error": False,
    "abort_on_example_error": False,
    "download_all_examples": False,
    "plot_gallery": "True",
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "default_thumb_file": str(DOCS / "_static" / "thumbnail.png"),
    "reset_modules": (),
    "show_memory": False,
    "show_signature": False,
    "matplotlib_animations": False,
    "min_reported_time": 1,
    # its timing pages load DataTables and jQuery from CDNs: not written (the site is offline)
    "write_computation_times": False,
}
os.environ.setdefault("DYADMODEL_DOCS_BUILD", "1")

# -- HTML -------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"dyadmodel {release}"
html_static_path = ["_static", str(_static_generated)]
html_css_files = ["dyadmodel.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "icon_links": [],
    "use_edit_page_button": False,
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {"**": ["sidebar-nav-bs"]}
html_show_sourcelink = False
html_copy_source = False


def _add_plotly(app, pagename, templatename, context, doctree):
    """Load plotly.min.js on the pages that hold a plotly figure, and only there."""
    if "plotly-graph-div" in context.get("body", ""):
        app.add_js_file(PLOTLY_JS, priority=200)


def setup(app):
    """Connect the page hook that loads plotly where needed."""
    app.connect("html-page-context", _add_plotly)
