"""Models from Python references (``module:factory``, ``file.py:factory``) and from
installed plugins (entry-point group ``dyadmodel.models``), tested with a fake
distribution (a ``*.dist-info`` folder) on sys.path: no pip install."""

import sys
import textwrap
import warnings

import pytest

import dyadmodel as dm
from dyadmodel.errors import InvalidTypeError, NotFoundError
from dyadmodel.model import ModelDefinitionError
from dyadmodel.models import _sources

FACTORY_MODULE = textwrap.dedent(
    """
    import dyadmodel as dm

    CALLS = []

    def decay():
        CALLS.append(1)
        return dm.Model.from_equations({"x": "-k*x"}, {"k": 0.5}, name="decay-plugin")

    def broken():
        raise RuntimeError("no coffee")

    def not_a_model():
        return 42

    NUMBER = 3
    """
)


@pytest.fixture
def plugin_path(tmp_path, monkeypatch):
    """A folder on sys.path holding a factory module and a fake installed distribution
    whose entry points register a working, a broken and a colliding plugin."""
    (tmp_path / "fake_dyad_plugin.py").write_text(FACTORY_MODULE)
    info = tmp_path / "fake_dyad_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-dyad-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[dyadmodel.models]\n"
        "decay-plugin = fake_dyad_plugin:decay\n"
        "missing-plugin = fake_dyad_plugin_gone:factory\n"
        "strogatz-linear = fake_dyad_plugin:decay\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    _sources.refresh_plugins()
    yield tmp_path
    monkeypatch.undo()
    sys.modules.pop("fake_dyad_plugin", None)
    _sources.refresh_plugins()


def test_plugins_appear_after_the_built_in_names_and_load_on_demand(plugin_path):
    names = dm.models.names()
    builtin = names[: names.index("decay-plugin")]
    assert "pursuer-distancer-2d" in builtin and names.count("strogatz-linear") == 1
    assert names[len(builtin) :] == ("decay-plugin", "missing-plugin")
    model = dm.models.get("decay-plugin")
    assert model.name == "decay-plugin" and model.rhs([2.0]).tolist() == [-1.0]
    assert dm.models.load("decay-plugin") is model
    # a plugin cannot replace a built-in model
    assert dm.models.get("strogatz-linear").name == "strogatz-linear"


def test_a_broken_plugin_warns_and_is_not_found(plugin_path):
    with pytest.warns(_sources.PluginWarning, match="missing-plugin.*could not be loaded"):
        with pytest.raises(dm.models.ModelNotFoundError):
            dm.models.get("missing-plugin")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "missing-plugin" in dm.models.names()  # listing imports nothing


def test_no_plugins_without_the_fake_distribution():
    _sources.refresh_plugins()
    assert "decay-plugin" not in dm.models.names()


def test_module_and_file_references_run_the_named_factory(plugin_path):
    by_module = dm.models.load("fake_dyad_plugin:decay")
    by_file = dm.models.load("fake_dyad_plugin.py:decay", base_dir=plugin_path)
    absolute = dm.models.load(f"{plugin_path / 'fake_dyad_plugin.py'}:decay")
    for m in (by_module, by_file, absolute):
        assert m.name == "decay-plugin" and m.rhs([4.0]).tolist() == [-2.0]


@pytest.mark.parametrize(
    ("source", "error", "message"),
    [
        ("fake_dyad_plugin:decayy", NotFoundError, "did you mean 'decay'"),
        ("fake_dyad_plugin:broken", ModelDefinitionError, "RuntimeError: no coffee"),
        ("fake_dyad_plugin:not_a_model", InvalidTypeError, "returned a int"),
        ("fake_dyad_plugin:NUMBER", InvalidTypeError, "is a int"),
        ("no_such_module_xyz:factory", NotFoundError, "no module named"),
        ("nowhere/model.py:factory", NotFoundError, "no Python file"),
        ("pursuer-distancer-2", dm.models.ModelNotFoundError, "did you mean"),
        ("model.json", dm.models.ModelNotFoundError, ".toml"),
    ],
)
def test_bad_references_raise_clean_errors(plugin_path, source, error, message):
    with pytest.raises(error, match=None) as info:
        dm.models.load(source)
    assert message in str(info.value)


def test_load_refuses_other_types_and_passes_models_through():
    with pytest.raises(InvalidTypeError, match="expected a model name"):
        dm.models.load(["pursuer-distancer-2d"])
    model = dm.models.get("strogatz-linear")
    assert dm.models.load(model) is model
    assert dm.models.load("strogatz-linear") is model


def test_file_reference_with_an_error_at_import_is_reported(tmp_path):
    (tmp_path / "bad_model.py").write_text("raise ImportError('missing dependency')\n")
    with pytest.raises(ModelDefinitionError, match="ImportError: missing dependency"):
        dm.models.load("bad_model.py:factory", base_dir=tmp_path)
