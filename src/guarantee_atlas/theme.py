"""Colours, fonts and plotly config: the one theme module.

Categorical colours are Okabe–Ito (safe for the common colour-vision
deficiencies); amounts use cividis. Meaning is never carried by colour alone:
every figure also labels its categories in words (legend, hover, text) and
uses marker symbols where categories sit side by side.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from . import i18n

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
NO_DATA = "#E6E6E6"
LAND = "#F2F2F2"
DIMMED = "#D9D9D9"
TEXT = "#1A1A1A"
MUTED_TEXT = "#555555"
# Streamlit draws captions in the text colour at 60 % opacity: 3.8:1 on the sidebar and
# 3.9:1 on white, and their links 3.0:1, under WCAG's 4.5:1 (axe-core, tests/test_a11y_browser.py).
# Captions keep their grey, solid: 6.4:1 on the sidebar (#F8F8F7), 6.9:1 on white; links 7:1.
CAPTION_TEXT = "#5C5B59"
# Links (the page links among them) showed focus as a 15 % grey background alone: every link and
# button gets a ring in the primary colour when focused from the keyboard (4.7:1 on white).
FOCUS_RING = "#0072B2"
# A chart's title is an h2, h3 or h4 by where it sits (headings in order), set in one size whatever its level.
# Metric labels and values wrap instead of ending in "…" (Streamlit cuts them to one line; Ukrainian
# runs longer: "5,86 млрд €" against "€5.86B").
# The chosen option of a switch in the sidebar (the language): the primary blue on its tint over the
# sidebar's grey is 4.3:1; this darker blue is 5.6:1.
SELECTED_ON_TINT = "#005F94"
# The point-by-point comparison's cells (comparison.dimension_blocks): bordered as Streamlit's own
# bordered containers, side by side, one above the other where Streamlit stacks columns (640 px).
CELL_BORDER = "rgba(49, 51, 63, 0.2)"
# (Several lines: Streamlit takes a one-line string with "[" for a file name.)
PAGE_CSS = f"""[data-testid="stCaptionContainer"] {{
  opacity: 1;
  color: {CAPTION_TEXT};
}}
.st-key-page_style {{
  display: none;
}}
@media (prefers-reduced-motion: reduce) {{
  *, *::before, *::after {{
    animation: none !important;
    transition: none !important;
    scroll-behavior: auto !important;
  }}
}}
[data-testid="stApp"] a:focus-visible, [data-testid="stApp"] button:focus-visible,
[data-testid="stApp"] summary:focus-visible {{
  outline: 2px solid {FOCUS_RING} !important;
  outline-offset: 2px;
}}
[class*="st-key-chart_"][class*="_title"] :is(h2, h3, h4) {{
  font-size: 1.4rem;
  line-height: 1.3;
}}
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {{
  white-space: normal;
  overflow: visible;
  text-overflow: clip;
}}
[data-testid="stSidebar"] button[data-selected="true"] p {{
  color: {SELECTED_ON_TINT};
}}
[data-testid="stMarkdownContainer"] :is(th, td), [data-testid="stMarkdownContainer"] :is(th, td) code {{
  overflow-wrap: anywhere;
  white-space: normal;
}}
.cmp-row {{
  display: grid;
  grid-auto-flow: column;
  grid-auto-columns: minmax(0, 1fr);
  gap: 1rem;
  margin-bottom: 1rem;
}}
@media (max-width: 640px) {{
  .cmp-row {{
    grid-auto-flow: row;
  }}
}}
.cmp-cell {{
  border: 1px solid {CELL_BORDER};
  border-radius: 0.5rem;
  padding: 0.75rem 1rem;
}}
.cmp-cell p:last-child, .cmp-cell details p {{
  margin-bottom: 0;
}}
.visually-hidden {{
  position: absolute !important;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}}
.cmp-cell summary {{
  cursor: pointer;
  color: {CAPTION_TEXT};
}}
"""
BACKGROUND = "#FFFFFF"
FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"

# Models' colours and shapes are in registry.STYLES; the timeline's context lane is grey.
CONTEXT_COLOUR = "#7F7F7F"

ROLE_COLOURS = {
    "signatory_assurer": OKABE_ITO["blue"],
    "violator": OKABE_ITO["vermillion"],
    "separate_assurance": OKABE_ITO["sky_blue"],
    "core_guarantor": OKABE_ITO["blue"],
    "black_sea_partner": OKABE_ITO["green"],
    "named_group_member": "#A6D8F5",  # a lighter sky blue: inferred, never sourced
    "sanctions_group": OKABE_ITO["purple"],
    "prime_guarantor": "#003B63",
    "core_partner": OKABE_ITO["blue"],
    "bilateral_agreement": OKABE_ITO["green"],
    "g7_declaration": OKABE_ITO["sky_blue"],
    "recipient": OKABE_ITO["yellow"],
}

# Marker symbols at country centroids, so a role is told by shape as well as
# colour; an inferred role uses the open variant of its symbol.
ROLE_SYMBOLS = {
    "signatory_assurer": "circle",
    "violator": "x",
    "separate_assurance": "diamond",
    "core_guarantor": "circle",
    "black_sea_partner": "triangle-up",
    "named_group_member": "circle",
    "sanctions_group": "cross",
    "prime_guarantor": "star",
    "core_partner": "circle",
    "bilateral_agreement": "square",
    "g7_declaration": "diamond",
    "recipient": "hexagon",
}

# A role with no entry above (a new model's, a test fixture's) is drawn by its
# strength, the same steps the existing roles follow.
STRENGTH_STYLES = {
    5: ("#003B63", "star"),
    4: (OKABE_ITO["blue"], "circle"),
    3: (OKABE_ITO["green"], "square"),
    2: (OKABE_ITO["sky_blue"], "diamond"),
    1: (OKABE_ITO["purple"], "cross"),
    0: (OKABE_ITO["yellow"], "hexagon"),
}


def role_colour(role_id: str, strength: int) -> str:
    return ROLE_COLOURS.get(role_id) or STRENGTH_STYLES[max(0, min(5, strength))][0]


def role_symbol(role_id: str, strength: int) -> str:
    return ROLE_SYMBOLS.get(role_id) or STRENGTH_STYLES[max(0, min(5, strength))][1]


AID_TYPE_COLOURS = {
    "military": OKABE_ITO["blue"],
    "financial": OKABE_ITO["orange"],
    "humanitarian": OKABE_ITO["green"],
}
AID_TYPE_PATTERNS = {"military": "", "financial": "/", "humanitarian": "."}


def aid_type_marker(aid_type: str) -> dict:
    """A bar's marker for an aid type: its colour and its pattern (so the type reads without colour)."""
    return {
        "color": AID_TYPE_COLOURS[aid_type],
        "line": {"color": BACKGROUND, "width": 0.5},
        "pattern": {"shape": AID_TYPE_PATTERNS[aid_type], "fillmode": "overlay",
                    "fgcolor": BACKGROUND, "size": 7, "solidity": 0.35},
    }

LEVEL_COLOURS = {
    "legally_binding": OKABE_ITO["blue"],
    "political_commitment": OKABE_ITO["sky_blue"],
    "proposed": OKABE_ITO["orange"],
    "absent": "#BBBBBB",
}
LEVEL_SYMBOLS = {
    "legally_binding": "square",
    "political_commitment": "circle",
    "proposed": "diamond-open",
    "absent": "x-thin-open",
}

# Counts of models naming a country: one-hue blue steps, light to dark
# (kept apart from Ukraine's yellow); as many steps as there are models.
COUNT_SCALE = ["#C6DBEF", "#08306B"]


def count_colours(n_models: int) -> list[str]:
    """Colours for 1..n_models (index 0 is no model), light to dark blue."""
    if n_models <= 1:
        return [NO_DATA, COUNT_SCALE[-1]]
    steps = sample_colorscale(COUNT_SCALE, [i / (n_models - 1) for i in range(n_models)], colortype="rgb")
    return [NO_DATA, *steps]


SEQUENTIAL = "cividis"

EXPORT_WIDTH = 1200
EXPORT_HEIGHT = 675
STATIC_URL = "app/static/"
BASE_FONT_SIZE = 14


def base_layout(height: int = 480) -> dict:
    """Layout shared by every figure: solid background, readable fonts."""
    return {
        "font": {"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": TEXT},
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        # Numbers on axes with the language's decimal mark and thousands separator (12,345.6 / 12 345,6).
        "separators": i18n.plotly_separators(),
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 70, "b": 70},
        # Hover labels dark on white, whatever the colour of the mark (plotly would take the mark's colour:
        # white text on sky blue or yellow falls below 4.5:1).
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13, "color": TEXT}, "bgcolor": BACKGROUND,
                       "bordercolor": MUTED_TEXT},
        "legend": {"bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 12}},
    }


TITLE_WRAP = 90  # the in-image title is for exports (1200 px wide); on screen the page sets the title
TITLE_LINE = 22  # px per line of the in-image title
SOURCE_WRAP = 56  # at 11 px, 56 characters fit a full-width chart on a 375 px phone (tests/test_pages_browser.py)


def wrap_lines(text: str, width: int) -> str:
    """Wrap text for plotly (which never wraps) with <br> line breaks."""
    return "<br>".join(textwrap.wrap(text, width=width)) or text


def label_margin(labels, font_size: int = 12) -> int:
    """A left margin (px) that holds these axis labels (``<br>`` lines, tags ignored).

    Plotly measures labels only in the browser (``automargin``), at the cost
    of drawing the chart twice (measured: 39 → 27 ms for the aid matrix, 78 →
    35 ms for the pledge panels); charts with long labels set this margin
    instead, and the source line, shifted by it, starts at the figure's edge.
    """
    lines = [re.sub(r"<[^>]+>", "", line) for label in labels for line in str(label).split("<br>")]
    return round(max((len(line) for line in lines), default=0) * font_size * 0.6) + 16


def apply_theme(fig: go.Figure, title: str, source_line: str) -> go.Figure:
    """Put the title and the source line inside the figure (they travel with exports); see ``themed_spec``."""
    return go.Figure(themed_spec(fig.to_plotly_json(), title, source_line))


def themed_spec(spec: dict, title: str, source_line: str) -> dict:
    """``apply_theme`` on a figure's dict (``fig.to_plotly_json()``): a new dict, not validated again.

    The in-image title is wrapped for the exported size; on screen the page
    shows the title in its own type above the chart, and the chart element
    draws the figure without it (``layout.meta["screen"]``: the top margin
    and height without the title). The margins and the height grow with the
    lines, so the plot area keeps the size its builder gave it (small
    multiples with titles of different lengths keep one scale).

    Works on the dict: ``fig.update_layout``, property by property, took twice
    as long (29 against 14 ms for a small multiple), and validating the themed
    figure again took 29 of a role map's 38 ms. The chart wrapper serializes
    this dict for the browser; exports validate it (``apply_theme``).
    """
    own = spec["layout"]
    wrapped_title = wrap_lines(title, TITLE_WRAP)
    wrapped_source = wrap_lines(source_line, SOURCE_WRAP)
    title_lines = wrapped_title.count("<br>") + 1
    source_lines = wrapped_source.count("<br>") + 1
    extra_lines = TITLE_LINE * (title_lines - 1) + 16 * (source_lines - 1)
    layout = base_layout(height=(own.get("height") or 480) + extra_lines)
    own_margin = {k: v for k, v in own.get("margin", {}).items() if v is not None}
    margin = {
        **layout["margin"],
        **own_margin,
        "t": own_margin.get("t", 0) + 34 + TITLE_LINE * title_lines,
        "b": max(own_margin.get("b", 0), 50) + 16 * source_lines,
    }
    title_height = 24 + TITLE_LINE * title_lines  # what the screen leaves out: the title and its padding
    source = {
        "name": "source_line", "text": wrapped_source, "showarrow": False, "xref": "paper", "yref": "paper",
        "x": 0, "y": 0,
        "xshift": -(margin["l"] - 4),  # from the plot area's left edge to the figure's
        "yshift": -(margin["b"] - 6),
        "xanchor": "left", "yanchor": "bottom", "align": "left", "font": {"size": 11, "color": MUTED_TEXT},
    }
    themed = _merged(own, {
        **layout,
        "margin": margin,
        "legend": {**layout["legend"], **own.get("legend", {})},
        "meta": {"screen": {"margin_t": margin["t"] - title_height, "height": layout["height"] - title_height}},
        "title": {"text": wrapped_title, "x": 0.01, "xanchor": "left", "y": 1, "yanchor": "top",
                  "yref": "container", "pad": {"t": 12}, "font": {"size": 16}},
    })
    themed["annotations"] = [a for a in own.get("annotations", []) if a.get("name") != "source_line"] + [source]
    return {"data": spec["data"], "layout": themed}


def _merged(base: dict, changes: dict) -> dict:
    """``base`` with ``changes`` laid over it, nested dicts merged (as ``update_layout`` does)."""
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def slug(text: str) -> str:
    """A filename-safe slug."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "chart"


def export_filename(page: str, chart: str, model: str | None, countries: list[str], as_of: date | None) -> str:
    """Descriptive download name: page, chart, model, countries, date."""
    parts = ["guarantee-atlas", page, chart]
    if model:
        parts.append(model)
    if countries:
        parts.append("-".join(countries[:6]) + ("-etc" if len(countries) > 6 else ""))
    if as_of:
        parts.append(as_of.isoformat())
    return "_".join(slug(part) for part in parts)


def plotly_config(filename: str) -> dict:
    """Plotly config for every chart: local topojson, PNG at slide size, no logo."""
    return {
        "topojsonURL": STATIC_URL,
        # plotly.js's own words (toolbar titles) and date formats in the language in use (its Ukrainian
        # locale is in the atlas's plotly.js bundle; English is plotly.js's default).
        "locale": i18n.current(),
        "displaylogo": False,
        "responsive": True,
        # plotly.js 4 offers to upload the chart to Plotly's cloud: never (offline, and the data stay here).
        "showSendToCloud": False,
        # The chart element adds its own image button, which exports the figure with its title.
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendChartToCloud", "toImage"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
            "scale": 2,
        },
    }
