"""The page element that draws a plotly figure and keeps it across reruns.

``st.plotly_chart`` gives a chart a new identity whenever its figure changes,
so the browser throws the plot away and draws it again from scratch on every
filter change (``Plotly.newPlot``; a world map alone took 242 ms here, see
bench/RESULTS.md). This element (a Streamlit custom component, v2: no iframe)
keeps one plot per chart key and updates it with ``Plotly.react``. It loads
plotly.js from the app's own static route (``static/plotly-atlas.min.js``, built by
``make plotly-bundle`` from the plotly.js the pinned plotly package ships, with only
the traces the atlas draws), so nothing comes from a CDN.

Besides drawing, it gives what ``st.plotly_chart`` gave this app: a click on a
point reruns the script with the clicked points, a fullscreen button, and the
chart resizes with its column.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

from . import theme
from .i18n import _

COMPONENT_NAME = "guarantee_atlas_chart"
PLOTLY_JS = "plotly-atlas.min.js"  # only the traces the atlas draws, and the Ukrainian locale (static/README.md)
PLOTLY_URL = theme.STATIC_URL + PLOTLY_JS
JS = (Path(__file__).with_name("plot_element.js")).read_text(encoding="utf-8")
# The description is read by screen readers (aria-describedby) and kept off screen.
CSS = """.atlas-chart:fullscreen { background: #ffffff; }
.atlas-chart-description { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }"""


@cache
def _component():
    """Registered on first use, inside a script run (Streamlit's runtime holds the registry)."""
    return st.components.v2.component(COMPONENT_NAME, js=JS, css=CSS, isolate_styles=False)


def texts() -> dict[str, str]:
    """The words the element itself shows, in the language in use (``{error}``, ``{format}``, ``{url}`` filled in
    the browser)."""
    return {
        "error": _(
            "This chart could not be drawn: {error}. Reload the page; the data stay downloadable below."
        ),
        "fullscreen": _("Fullscreen"),
        "image": _("Download plot as a {format}"),
        "library": _("the chart library ({url}) did not load"),
    }


def payload(
    figure_json: bytes, config: dict, label: str, selectable: bool, description: str = "",
    words: dict[str, str] | None = None,
) -> bytes:
    """What the browser receives: the figure's JSON, as built, inside a small envelope."""
    head = json.dumps(
        {
            "plotly": PLOTLY_URL, "label": label, "description": description, "selectable": selectable,
            "texts": words or texts(), "config": config,
        }
    )
    return head[:-1].encode() + b', "figure": ' + figure_json + b"}"


def draw(
    figure_json: bytes, config: dict, *, key: str, label: str, selectable: bool = False, description: str = ""
) -> list[dict]:
    """Draw the figure; the points of the last click on it when ``selectable``, else [].

    The chart is a ``role="figure"`` named by ``label`` (its title) and described
    by ``description`` (an off-screen element it points at with ``aria-describedby``).

    The element's own words (the message shown when the chart cannot be drawn, its buttons' titles)
    come with it, in the language in use (``texts``).

    A point is ``{"curve_number", "point_index", "location", "customdata"}``.
    """
    result = _component()(
        key=key,
        data=payload(figure_json, config, label, selectable, description, texts()),
        on_selection_change=lambda: None,
    )
    selection = result.get("selection") if selectable else None
    return list(selection.get("points") or []) if isinstance(selection, dict) else []
