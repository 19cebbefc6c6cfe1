"""The timeline of the models: events as markers, periods as bars, in lanes."""

from __future__ import annotations

import textwrap
from html import escape

import pandas as pd
import plotly.graph_objects as go

from .. import theme
from ..timeline_data import HEADER_PREFIX, chart_row_order

ROW_HEIGHT = 22
MARGIN_HEIGHT = 150
MIN_HEIGHT = 360
LABEL_CHARS = 24
HOVER_WRAP = 44  # characters: a hover label fits a phone screen
DIMMED_OPACITY = 0.28
OUTLINE_WIDTH = 3
LANE_BAND = "#F3F5F8"
HOVER = (
    "<b>%{customdata[2]}</b><br>%{customdata[1]}<br>%{customdata[3]}"
    "<br><i>Source: %{customdata[4]}</i><extra></extra>"
)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _row_labels(order: list[tuple[str, str, str]], rows: pd.DataFrame) -> dict[str, str]:
    """Short axis label per row; labels that a cut makes identical get their start year."""
    starts = rows.drop_duplicates("y").set_index("y")["start"]
    short = {y: _short(label) for y, _, label in order}
    counts = pd.Series(list(short.values())).value_counts()
    for y, _, label in order:
        if counts[short[y]] > 1 and y in starts.index:
            short[y] = f"{_short(label, LABEL_CHARS - 7)} ({starts[y].year})"
    return short


def _tick_label(style: tuple[str, str], label: str, is_header: bool, highlighted: bool) -> str:
    """Lane headers carry the lane's glyph in its colour (``style``); rows holding a chosen entry a ►."""
    mark = "► " if highlighted else ""
    if is_header:
        colour, glyph = style
        glyph = f"<span style='color:{colour}'>{glyph}</span>"
        return f"<b>{mark}</b>{glyph} <b>{escape(label)}</b>"
    return f"<b>{mark}{escape(label)}</b>" if highlighted else escape(label)


def _hover_text(text: str) -> str:
    """Escaped for plotly and wrapped (plotly never wraps a hover label)."""
    return "<br>".join(escape(line) for line in textwrap.wrap(str(text), HOVER_WRAP)) or escape(str(text))


def _customdata(rows: pd.DataFrame) -> list[list[str]]:
    columns = ["row_id", "date_label", "title", "summary", "publishers"]
    return [[_hover_text(v) for v in values] for values in rows[columns].itertuples(index=False)]


def _emphasis(rows: pd.DataFrame, dim_others: bool) -> tuple[list[float], list[float]]:
    """Opacity and outline width per row: chosen rows outlined, the others dimmed."""
    opacity = [1.0 if h or not dim_others else DIMMED_OPACITY for h in rows["highlighted"]]
    width = [OUTLINE_WIDTH if h else 0.5 for h in rows["highlighted"]]
    return opacity, width


def _span_trace(spans: pd.DataFrame, dim_others: bool) -> go.Bar:
    opacity, width = _emphasis(spans, dim_others)
    duration_ms = (spans["draw_end"] - spans["start"]).dt.total_seconds() * 1000
    return go.Bar(
        orientation="h",
        base=spans["start"].dt.strftime("%Y-%m-%d").tolist(),
        x=duration_ms.tolist(),
        y=spans["y"].tolist(),
        name=spans["lane_label"].iloc[0],
        marker={
            "color": spans["lane_colour"].iloc[0],
            "opacity": opacity,
            "line": {"color": theme.TEXT, "width": width},
        },
        customdata=_customdata(spans),
        hovertemplate=HOVER,
        width=0.7,
    )


def _event_trace(points: pd.DataFrame, dim_others: bool) -> go.Scatter:
    opacity, width = _emphasis(points, dim_others)
    return go.Scatter(
        mode="markers",
        x=points["start"].dt.strftime("%Y-%m-%d").tolist(),
        y=points["y"].tolist(),
        name=points["lane_label"].iloc[0],
        marker={
            "symbol": points["lane_symbol"].iloc[0],
            "size": [15 if h else 11 for h in points["highlighted"]],
            "color": points["lane_colour"].iloc[0],
            "opacity": opacity,
            "line": {"color": [theme.TEXT if h else "#FFFFFF" for h in points["highlighted"]], "width": width},
        },
        customdata=_customdata(points),
        hovertemplate=HOVER,
        cliponaxis=False,
    )


def _lane_bands(order: list[tuple[str, str, str]]) -> list[dict]:
    """Light bands behind every other lane, so the lanes read as groups."""
    shapes, start = [], 0
    lanes = [lane for _, lane, _ in order]
    for number, lane in enumerate(dict.fromkeys(lanes)):
        size = lanes.count(lane)
        if number % 2 == 0:
            shapes.append(
                {
                    "type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                    "y0": start - 0.5, "y1": start + size - 0.5,
                    "fillcolor": LANE_BAND, "line": {"width": 0}, "layer": "below",
                }
            )
        start += size
    return shapes


def _today_marker(today: pd.Timestamp) -> tuple[dict, dict]:
    line = {
        "type": "line", "xref": "x", "yref": "paper", "x0": today, "x1": today, "y0": 0, "y1": 1,
        "line": {"color": theme.MUTED_TEXT, "width": 1, "dash": "dot"},
    }
    label = {
        "x": today, "xref": "x", "y": 1, "yref": "paper", "text": "Today", "showarrow": False,
        "xanchor": "right", "yanchor": "top", "xshift": -3, "font": {"size": 11, "color": theme.MUTED_TEXT},
    }
    return line, label


def build_timeline(
    rows: pd.DataFrame,
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    today: pd.Timestamp | None = None,
) -> go.Figure:
    """Events and periods of each model on one date axis, one lane per model.

    ``rows`` come from ``timeline_data.timeline_rows``. Point events are
    markers (shape and colour per lane) on the lane's first row; spans are bars
    on rows of their own. When some rows are ``highlighted`` (the country
    filter), they get a bold outline and a ► label and the others are dimmed.
    """
    order = chart_row_order(rows)
    dim_others = bool(rows["highlighted"].any())
    highlighted_rows = set(rows.loc[rows["highlighted"], "y"])
    fig = go.Figure()
    for lane in dict.fromkeys(lane for _, lane, _ in order):
        in_lane = rows[rows["lane"] == lane]
        points = in_lane[in_lane["kind"] != "span"]
        spans = in_lane[in_lane["kind"] == "span"]
        if not points.empty:
            fig.add_trace(_event_trace(points, dim_others))
        if not spans.empty:
            fig.add_trace(_span_trace(spans, dim_others))
    keys = [y for y, _, _ in order]
    labels = _row_labels(order, rows)
    lane_style = dict(zip(rows["lane"], zip(rows["lane_colour"], rows["lane_glyph"])))
    ticks = [
        _tick_label(lane_style[lane], labels[y], y.startswith(HEADER_PREFIX), y in highlighted_rows)
        for y, lane, _ in order
    ]
    shapes = _lane_bands(order)
    annotations = []
    if today is not None:
        line, label = _today_marker(pd.Timestamp(today))
        shapes.append(line)
        annotations.append(label)
    fig.update_layout(
        height=max(MIN_HEIGHT, ROW_HEIGHT * len(keys) + MARGIN_HEIGHT),
        margin={"l": theme.label_margin(ticks, 11)},
        barmode="overlay",
        showlegend=False,
        hovermode="closest",
        shapes=shapes,
        annotations=annotations,
        xaxis={
            "type": "date",
            "range": [pd.Timestamp(x).isoformat() for x in x_range] if x_range else None,
            "showgrid": True,
            "gridcolor": "#E3E3E3",
            "zeroline": False,
            "ticks": "outside",
        },
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": keys,
            "tickmode": "array",
            "tickvals": keys,
            "ticktext": ticks,
            "range": [len(keys) - 0.5, -0.5],
            "fixedrange": True,
            "showgrid": False,
            "tickfont": {"size": 11},
        },
        dragmode="zoom",
    )
    return fig
