"""The timeline of the models: events as markers, periods as bars, in lanes."""

from __future__ import annotations

import textwrap
from collections import Counter
from functools import lru_cache
from html import escape

import pandas as pd

from .. import i18n, theme
from ..i18n import _
from ..timeline_data import HEADER_PREFIX, chart_row_order
from . import figure_builder, group_by

ROW_HEIGHT = 22
MARGIN_HEIGHT = 150
# The chart's width in a 1400 px window with the sidebar open (measured in Chromium;
# tests/test_timeline_browser.py checks it): markers are kept apart at this width.
DESKTOP_WIDTH = 940
RIGHT_MARGIN = 16
PANEL_GAP = 0.025  # share of the plot width between the two panels of the default view
RECENT_SHARE = 0.7  # the second (2022–) panel's share of the plot width
MARKER_SIZE = 11
HIGHLIGHT_SIZE = 15
MARKER_GAP = 2  # px between two markers' edges
SUBROW = "~"  # a lane's extra marker rows: "lane-israel~1", "lane-israel~2"…
MIN_HEIGHT = 360
LABEL_CHARS = 24
HOVER_WRAP = 44  # characters: a hover label fits a phone screen
DIMMED_OPACITY = 0.28
OUTLINE_WIDTH = 3
LANE_BAND = "#F3F5F8"
def hover_template() -> str:
    """The hover: title, date, summary, sources (plotly's %{…} fields; the words in the language in use)."""
    source = _("Source: {publishers}").format(publishers="%{customdata[4]}")
    return f"<b>%{{customdata[2]}}</b><br>%{{customdata[1]}}<br>%{{customdata[3]}}<br><i>{source}</i><extra></extra>"


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _row_labels(order: list[tuple[str, str, str]], rows: pd.DataFrame) -> dict[str, str]:
    """Short axis label per row; labels that a cut makes identical get their start year."""
    starts: dict[str, pd.Timestamp] = {}
    for y, start in zip(rows["y"], rows["start"]):
        starts.setdefault(y, start)
    short = {y: _short(label) for y, _lane, label in order}
    counts = Counter(short.values())
    for y, _lane, label in order:
        if counts[short[y]] > 1 and y in starts:
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


@lru_cache(maxsize=8192)
def _hover_text(text: str) -> str:
    """Escaped for plotly and wrapped (plotly never wraps a hover label)."""
    return "<br>".join(escape(line) for line in textwrap.wrap(str(text), HOVER_WRAP)) or escape(str(text))


def _customdata(rows: list[dict]) -> list[list[str]]:
    columns = ["row_id", "date_label", "title", "summary", "publishers"]
    return [[_hover_text(row[c]) for c in columns] for row in rows]


def _emphasis(rows: list[dict], dim_others: bool) -> tuple[list[float], list[float]]:
    """Opacity and outline width per row: chosen rows outlined, the others dimmed."""
    opacity = [1.0 if row["highlighted"] or not dim_others else DIMMED_OPACITY for row in rows]
    width = [OUTLINE_WIDTH if row["highlighted"] else 0.5 for row in rows]
    return opacity, width


def _lane_trace(rows: list[dict], dim_others: bool, xaxis: str, marker: dict, **own) -> dict:
    """What a lane's bars and markers share: the axes, the lane's name and colour, emphasis, hover."""
    opacity, width = _emphasis(rows, dim_others)
    return {
        "y": [row["y"] for row in rows],
        "xaxis": xaxis,
        "yaxis": "y",
        "name": rows[0]["lane_label"],
        "marker": {"color": rows[0]["lane_colour"], "opacity": opacity, **marker,
                   "line": {**marker.get("line", {}), "width": width}},
        "customdata": _customdata(rows),
        "hovertemplate": hover_template(),
        **own,
    }


def _span_trace(spans: list[dict], dim_others: bool, xaxis: str) -> dict:
    return _lane_trace(
        spans, dim_others, xaxis, {"line": {"color": theme.TEXT}},
        type="bar", orientation="h", base=[row["start_day"] for row in spans],
        x=[row["duration_ms"] for row in spans], width=0.7,
    )


def _event_trace(points: list[dict], dim_others: bool, xaxis: str) -> dict:
    marker = {
        "symbol": points[0]["lane_symbol"],
        "size": [HIGHLIGHT_SIZE if row["highlighted"] else MARKER_SIZE for row in points],
        "line": {"color": [theme.TEXT if row["highlighted"] else "#FFFFFF" for row in points]},
    }
    return _lane_trace(
        points, dim_others, xaxis, marker,
        type="scatter", mode="markers", x=[row["start_day"] for row in points], cliponaxis=False,
    )


# What the traces read of each row, as plain records: pandas, a frame per lane read column by column,
# took most of a build (one-off, 2026-12-08: a new country's timeline 47 ms then, about 13 ms on records).
TRACE_COLUMNS = [
    "y", "lane", "lane_label", "lane_colour", "lane_symbol", "highlighted", "start", "draw_end",
    "row_id", "date_label", "title", "summary", "publishers",
]


def _trace_records(rows: pd.DataFrame, panel: pd.Series) -> list[dict]:
    """The rows as records, with the panel each is drawn in (-1: a span), its day and a span's length."""
    frame = rows[TRACE_COLUMNS].assign(
        panel=panel,
        start_day=rows["start"].dt.strftime("%Y-%m-%d"),
        duration_ms=(rows["draw_end"] - rows["start"]).dt.total_seconds() * 1000,
    )
    columns = {name: frame[name].tolist() for name in frame.columns}  # quicker than to_dict("records")
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


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


def _today_marker(today: pd.Timestamp, xref: str = "x") -> tuple[dict, dict]:
    line = {
        "type": "line", "xref": xref, "yref": "paper", "x0": today, "x1": today, "y0": 0, "y1": 1,
        "line": {"color": theme.MUTED_TEXT, "width": 1, "dash": "dot"},
    }
    label = {
        "x": today, "xref": xref, "y": 1, "yref": "paper", "text": _("Today"), "showarrow": False,
        "xanchor": "right", "yanchor": "top", "xshift": -3, "font": {"size": 11, "color": theme.MUTED_TEXT},
    }
    return line, label


Range = tuple[pd.Timestamp, pd.Timestamp]


def _panels(x_range) -> list[Range | None]:
    """One date range per panel: ``x_range`` is one (start, end) pair, a tuple of them, or None."""
    if not x_range:
        return [None]
    if isinstance(x_range[0], (tuple, list)):
        return [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in x_range]
    return [(pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1]))]


def _domains(n_panels: int) -> list[tuple[float, float]]:
    """Each panel's share of the plot width: the last (the recent years) gets ``RECENT_SHARE``."""
    if n_panels == 1:
        return [(0.0, 1.0)]
    split = 1 - RECENT_SHARE
    return [(0.0, split - PANEL_GAP / 2), (split + PANEL_GAP / 2, 1.0)]


def _panel_of(starts: pd.Series, panels: list[Range | None]) -> pd.Series:
    """The panel each date is drawn in (the first whose range holds it; else the nearest end)."""
    if len(panels) == 1:
        return pd.Series(0, index=starts.index)
    edges = [end for _, end in panels[:-1]]
    return starts.map(lambda day: sum(day >= edge for edge in edges))


def _pixel_x(starts: pd.Series, panel: pd.Series, panels: list[Range | None], plot_width: float) -> pd.Series:
    """Where each date lands, in px from the plot's left edge, at ``plot_width``."""
    domains = _domains(len(panels))
    out = []
    for day, number in zip(starts, panel):
        span = panels[number]
        if span is None:
            out.append(0.0)
            continue
        share = (day - span[0]) / (span[1] - span[0])
        left, right = domains[number]
        out.append(plot_width * (left + share * (right - left)))
    return pd.Series(out, index=starts.index)


def pack_markers(points: pd.DataFrame, panels: list[Range | None], plot_width: float) -> pd.Series:
    """A marker row (0: the lane's header row) per point, so no two markers of a lane overlap.

    At ``plot_width`` px, each point goes to the first of its lane's rows whose
    last marker is clear of it (the two radii and ``MARKER_GAP`` apart); dates
    outside every panel stay on the header row.
    """
    panel = _panel_of(points["start"], panels)
    # Plain lists: a Series read and written point by point took most of a timeline's build (2026-12-08).
    x = list(_pixel_x(points["start"], panel, panels, plot_width))
    diameter = [HIGHLIGHT_SIZE + OUTLINE_WIDTH if h else MARKER_SIZE + 1 for h in points["highlighted"]]
    visible = [span is None or span[0] <= day <= span[1] for day, span in zip(points["start"], (panels[p] for p in panel))]
    lanes = list(points["lane"])
    row = [0] * len(points)
    for positions in group_by(range(len(points)), lambda position: lanes[position]).values():
        last: list[tuple[float, float]] = []  # per marker row: x and diameter of its rightmost marker
        for position in sorted(positions, key=lambda p: x[p]):  # stable: equal dates keep their order
            if not visible[position]:
                continue
            here, size = x[position], diameter[position]
            free = next(
                (k for k, (at, other) in enumerate(last) if here - at >= (size + other) / 2 + MARKER_GAP), None
            )
            if free is None:
                free = len(last)
                last.append((here, size))
            last[free] = (here, size)
            row[position] = free
    return pd.Series(row, index=points.index, dtype="int64")


def _with_marker_rows(order: list[tuple[str, str, str]], extra: dict[str, int]) -> list[tuple[str, str, str]]:
    """The chart rows with each lane's extra marker rows right under its header row."""
    out = []
    for key, lane, label in order:
        out.append((key, lane, label))
        if key.startswith(HEADER_PREFIX):
            out += [(f"{key}{SUBROW}{k}", lane, "") for k in range(1, extra.get(lane, 0) + 1)]
    return out


def _panel_labels(panels: list[Range], domains: list[tuple[float, float]]) -> list[dict]:
    """Above each panel of a split view: its years, and how much wider a year is drawn on the right."""
    (a0, a1), (b0, b1) = panels
    years = lambda span: (span[1] - span[0]).days / 365.25  # noqa: E731
    widen = ((domains[1][1] - domains[1][0]) / years((b0, b1))) / ((domains[0][1] - domains[0][0]) / years((a0, a1)))
    # Two short lines each, the left one ending where its panel ends: they fit a 375 px phone.
    first = a0.year + 1 if a0.month > 6 else a0.year
    labels = [
        ("<b>{}</b><br>{}".format(f"{first}–{a1.year - 1}", _("compressed")), domains[0][1], "right"),
        (
            "<b>{}</b><br>{}".format(
                _("{year}–today").format(year=b0.year),
                _("a year {times}× wider").format(times=i18n.format_number(widen)),
            ),
            domains[1][0],
            "left",
        ),
    ]
    return [
        {
            "text": text, "xref": "paper", "x": x, "xanchor": anchor, "yref": "paper", "y": 1, "yanchor": "bottom",
            "yshift": 3, "showarrow": False, "align": anchor, "font": {"size": 11, "color": theme.MUTED_TEXT},
        }
        for text, x, anchor in labels
    ]


def _x_axis(span: Range | None, domain: tuple[float, float], anchor_recent: bool, split: bool = False) -> dict:
    axis = {
        "type": "date",
        "range": [span[0].isoformat(), span[1].isoformat()] if span else None,
        "domain": list(domain),
        "anchor": "y",
        "showgrid": True,
        "gridcolor": "#E3E3E3",
        "zeroline": False,
        "ticks": "outside",
    }
    if anchor_recent:  # the wide panel of a split view: a tick a year
        axis.update(dtick="M12", tickformat="%Y")
    elif split:  # the compressed panel: the two breaches' years, clear of the wide panel's first tick
        axis.update(tickmode="array", tickvals=["1994-01-01", "2014-01-01"], tickformat="%Y")
    elif span is not None and i18n.current() != i18n.DEFAULT:
        # plotly.js writes month names in English (no locale of its own is loaded): years only, as many
        # as fit, in other languages.
        years = (span[1] - span[0]).days / 365.25
        axis.update(dtick="M12" if years <= 12 else "M24" if years <= 24 else "M60", tickformat="%Y")
    return axis


@figure_builder
def build_timeline(
    rows: pd.DataFrame,
    x_range=None,
    today: pd.Timestamp | None = None,
    width: int = DESKTOP_WIDTH,
) -> dict:
    """Events and periods of each model on a date axis, one lane per model.

    ``rows`` come from ``timeline_data.timeline_rows``. ``x_range`` is a
    (start, end) pair or, for a split view, one pair per panel
    (``timeline_data.period_ranges``): the panels share the lanes, the last
    one (the recent years) gets most of the width. Point events are markers
    (shape and colour per lane) on the lane's header row; where they would
    overlap at ``width`` px they move to extra rows under it. Spans are bars
    on rows of their own. When some rows are ``highlighted`` (the country
    filter), they get a bold outline and a ► label and the others are dimmed.
    """
    panels = _panels(x_range)
    domains = _domains(len(panels))
    order = chart_row_order(rows)
    dim_others = bool(rows["highlighted"].any())
    labels0 = _row_labels(order, rows)
    lane_style = dict(zip(rows["lane"], zip(rows["lane_colour"], rows["lane_glyph"])))
    ticks0 = [_tick_label(lane_style[lane], labels0[y], y.startswith(HEADER_PREFIX), False) for y, lane, _ in order]
    margin_left = theme.label_margin(ticks0, 11)
    plot_width = max(width - margin_left - RIGHT_MARGIN, 100)

    is_point = (rows["kind"] != "span") & rows["y"].str.startswith(HEADER_PREFIX)
    # Without a range plotly fits the data: pack for the data's extent.
    extent = [(rows["start"].min(), max(rows["start"].max(), rows["draw_end"].max()))]
    marker_row = pack_markers(rows[is_point], panels if panels != [None] else extent, plot_width)
    subrow_y = rows.loc[is_point, "y"] + marker_row.map(lambda k: f"{SUBROW}{k}" if k else "")
    rows = rows.assign(y=subrow_y.reindex(rows.index).fillna(rows["y"]))
    extra = marker_row.groupby(rows.loc[is_point, "lane"]).max().to_dict() if is_point.any() else {}
    order = _with_marker_rows(order, extra)

    highlighted_rows = set(rows.loc[rows["highlighted"], "y"].str.split(SUBROW).str[0])
    traces = []
    axis_names = ["x"] + [f"x{n}" for n in range(2, len(panels) + 1)]
    # Each lane's points by the panel they are drawn in, and its spans (panel -1): one pass over the rows.
    panel = _panel_of(rows["start"], panels).where(rows["kind"] != "span", -1)
    parts = group_by(_trace_records(rows, panel), lambda record: (record["lane"], record["panel"]))
    for lane in dict.fromkeys(lane for _, lane, _ in order):
        spans = parts.get((lane, -1))
        for number, (span, axis) in enumerate(zip(panels, axis_names)):
            shown_spans = spans
            if spans is not None and len(panels) > 1 and span is not None:
                shown_spans = [row for row in spans if row["start"] <= span[1] and row["draw_end"] >= span[0]]
            if (lane, number) in parts:
                traces.append(_event_trace(parts[(lane, number)], dim_others, axis))
            if shown_spans:
                traces.append(_span_trace(shown_spans, dim_others, axis))
    keys = [y for y, _, _ in order]
    labels = {**labels0, **{y: "" for y in keys if y not in labels0}}
    ticks = [
        _tick_label(lane_style[lane], labels[y], y.startswith(HEADER_PREFIX) and SUBROW not in y,
                    y in highlighted_rows)
        for y, lane, _ in order
    ]
    shapes = _lane_bands(order)
    annotations = _panel_labels(panels, domains) if len(panels) > 1 and None not in panels else []
    if today is not None:
        line, label = _today_marker(pd.Timestamp(today), axis_names[-1])
        shapes.append(line)
        annotations.append(label)
    layout = dict(
        height=max(MIN_HEIGHT, ROW_HEIGHT * len(keys) + MARGIN_HEIGHT),
        margin={"l": margin_left, "r": RIGHT_MARGIN, **({"t": 36} if len(panels) > 1 else {})},
        barmode="overlay",
        showlegend=False,
        hovermode="closest",
        shapes=shapes,
        annotations=annotations,
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
    for number, (span, domain, axis) in enumerate(zip(panels, domains, axis_names)):
        recent = len(panels) > 1 and number == len(panels) - 1
        layout[axis.replace("x", "xaxis")] = _x_axis(span, domain, recent, len(panels) > 1)
    return {"data": traces, "layout": layout}  # plain dicts (see figures.figure_builder)
