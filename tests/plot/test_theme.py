"""The shared theme (dyadmodel/plot/theme.py)."""

import dyadmodel as dm
from dyadmodel.plot import theme


def test_palette_is_okabe_ito():
    assert set(theme.OKABE_ITO.values()) == {
        "#000000",
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    }
    used = {
        st["color"]
        for k, st in theme.STYLE.items()
        if "color" in st and k not in ("field", "stress")
    }
    assert used <= set(theme.OKABE_ITO.values())


def test_every_model_state_gets_an_html_axis_title():
    for name in dm.models.names():
        for s in dm.models.get(name).states:
            title = theme.axis_title(s)
            assert "$" not in title and "\\" not in title
            assert theme.state_label(s).lower() in title.lower()
            assert "(" in title  # the unit
