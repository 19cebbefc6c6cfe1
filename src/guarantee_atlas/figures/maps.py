"""Choropleth builders drawn on the shipped UN-based world topojson."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import theme
from ..countries import country_name
from ..i18n import N_, _, n_
from ..geometry import MAP_RESOLUTION
from ..memo import memoized
from ..registry import Registry
from . import figure_builder


@dataclass(frozen=True)
class GeoFrame:
    """A geo view: its box in degrees and its projection."""

    frame_id: str
    label: str
    lon: tuple[float, float]
    lat: tuple[float, float]
    projection: dict

    def holds(self, point: tuple[float, float]) -> bool:
        return self.lon[0] <= point[0] <= self.lon[1] and self.lat[0] <= point[1] <= self.lat[1]


# Almost every guarantor is in Europe: maps open on it (70° of longitude, Ukraine and the Baltic
# states large enough to click) and keep distant guarantors in insets below.
EUROPE = GeoFrame(
    "europe", N_("Europe"), (-25.0, 45.0), (34.0, 71.5),
    {"type": "conic equal area", "parallels": [43, 62], "rotation": {"lon": 10}},
)
INSETS = (
    GeoFrame("north-america", N_("North America"), (-168.0, -52.0), (14.0, 72.0),
             {"type": "conic equal area", "parallels": [30, 60], "rotation": {"lon": -100}}),
    GeoFrame("east-asia", N_("East Asia"), (70.0, 148.0), (15.0, 55.0), {"type": "natural earth"}),
    GeoFrame("oceania", N_("Oceania"), (110.0, 180.0), (-48.0, -9.0), {"type": "natural earth"}),
)
# What no inset holds (a guarantor in Africa or South America) goes on a small world map.
WORLD = GeoFrame("world", N_("World"), (-180.0, 180.0), (-50.0, 78.0), {"type": "natural earth"})
# The frames a reader can choose (labels marked for the catalogue: ``i18n.translated_values(FRAMES)``).
FRAMES = {"europe": N_("Europe (insets for the rest)"), "world": N_("World")}
OVERVIEW_HEIGHT = 520  # px, the home map with its title and source line
OVERVIEW_INSETS = 140  # px added for the row of insets
INSET_GAP = 0.06  # share of the plot height between the main map and the insets (their labels sit there)


def geo_layout(frame: GeoFrame = WORLD) -> dict:
    """The geo settings every map shares (the local topojson), for one frame."""
    geo = {
        "projection": frame.projection,
        "resolution": MAP_RESOLUTION,
        "showcountries": True,
        "countrycolor": "#FFFFFF",
        "countrywidth": 0.5,
        "showland": True,
        "landcolor": theme.NO_DATA,
        # No sea fill (white, as on the page): plotly's ocean layer is one polygon with every
        # coast as a hole, re-projected on every update (~12 of ~58 ms for the home map).
        "showocean": False,
        "showlakes": False,
        "showframe": False,
        "showcoastlines": False,
        "lataxis": {"range": list(frame.lat)},
        "lonaxis": {"range": list(frame.lon)},
    }
    return geo


def frame_points(frame_id: str) -> dict[str, tuple[float, float]]:
    """Where markers go in a frame: country centroids, moved inside the main frame for a country
    that reaches into it from outside (Russia's marker in European Russia, not in Siberia)."""
    from .. import geometry

    if frame_id == "world":
        return geometry.centroids()
    return geometry.framed_centroids(EUROPE.lon, EUROPE.lat)


def inset_frames(points: list[tuple[float, float]]) -> list[GeoFrame]:
    """The insets that hold the points outside the main frame (Europe), in a fixed order."""
    outside = [p for p in points if not EUROPE.holds(p)]
    chosen = [inset for inset in INSETS if any(inset.holds(p) for p in outside)]
    if any(not any(inset.holds(p) for inset in INSETS) for p in outside):
        chosen.append(WORLD)
    return chosen


def _trace_points(trace: dict, centroids: dict) -> list[tuple[float, float] | None]:
    if trace["type"] == "choropleth":
        return [centroids.get(code) for code in trace.get("locations") or ()]
    return [(x, y) if x is not None and y is not None else None
            for x, y in zip(trace.get("lon") or (), trace.get("lat") or ())]


# Attributes that hold one value per point (in a trace, its marker, the marker's line).
PER_POINT = {"locations", "z", "lon", "lat", "text", "hovertext", "customdata", "opacity", "size", "color", "width"}


def _subset(trace: dict, keep: list[int], n: int) -> dict:
    """A copy of ``trace`` with only the points ``keep`` (every per-point array filtered alike)."""
    def cut(value, key=None):
        if key in PER_POINT and not isinstance(value, (str, dict)) and hasattr(value, "__len__") and len(value) == n:
            return [value[i] for i in keep]
        if isinstance(value, dict):
            return {k: cut(v, k) for k, v in value.items()}
        return value

    return cut(trace)


def _shown_in(point: tuple[float, float] | None, inset: GeoFrame) -> bool:
    """Whether ``inset`` shows ``point``: one outside the map of Europe, inside the inset's box."""
    return point is not None and not EUROPE.holds(point) and inset.holds(point)


def _is_line(trace: dict) -> bool:
    return trace["type"] == "scattergeo" and trace.get("mode") == "lines"


def frame_spec(traces: list[dict], layout: dict, frame_id: str, centroids: dict, inset_share: float) -> dict:
    """The figure (as a dict) of a map's ``traces`` (plain dicts) and ``layout``, on a frame: the world, or
    Europe with insets below for what lies outside it.

    Each inset takes over the traces of the points it holds (no legend entries, no labels), so a
    distant guarantor keeps its fill, marker, hover and click; the map of Europe keeps only what no
    inset shows (see ``_main_part``). ``inset_share``: the share of the plot height the inset row
    takes. An inset draws no borders between the countries it does not colour (a coloured country
    keeps its outline): the world's borders, projected again for each inset, took about 45% of a
    small map's redraw (a one-off measurement in Chromium, 2026-12-07: Plotly.newPlot of the
    side-by-side maps, median 137 ms with them and 75 ms without).

    Builders hand plain dicts (``figures.figure_builder``): a figure made of plotly's trace
    objects, one by one, took ten times longer to build (2026-12-07, the side-by-side map of a
    first-time country: about 290 ms against 30).
    """
    if frame_id == "world":
        return {"data": traces, "layout": {**layout, "geo": geo_layout(WORLD)}}
    points = [_trace_points(trace, centroids) for trace in traces]
    insets = inset_frames([p for trace_points in points for p in trace_points if p is not None])
    main_bottom = inset_share + INSET_GAP if insets else 0.0
    layout = {**layout, "geo": {**geo_layout(EUROPE), "domain": {"x": [0, 1], "y": [main_bottom, 1]}}}
    annotations = list(layout.get("annotations", []))
    copies = []
    for number, inset in enumerate(insets, start=2):
        name = f"geo{number}"
        left, width = (number - 2) / len(insets), 1 / len(insets)
        layout[name] = {
            **geo_layout(inset),
            "domain": {"x": [left + 0.01, left + width - 0.01], "y": [0, inset_share]},
            "showframe": True, "framecolor": "#BBBBBB", "showcountries": False,
        }
        annotations.append({
            # in the gap above the inset, centred on it: never over a country
            "text": _(inset.label), "xref": "paper", "yref": "paper", "x": left + width / 2, "y": inset_share,
            "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 10, "color": theme.MUTED_TEXT},
        })
        for trace, trace_points in zip(traces, points):
            if _is_line(trace):
                continue  # a line to Kyiv has no place in an inset far from it
            keep = [i for i, p in enumerate(trace_points) if _shown_in(p, inset)]
            if keep:
                copy = {**_subset(trace, keep, len(trace_points)), "geo": name, "showlegend": False}
                if copy["type"] == "scattergeo" and "text" in (copy.get("mode") or ""):
                    copy.update(mode="markers", text=None)
                copies.append(copy)
    main = [part for trace, trace_points in zip(traces, points) for part in _main_part(trace, trace_points, insets)]
    return {"data": main + copies, "layout": {**layout, "annotations": annotations}}


def _main_part(trace: dict, points: list, insets: list[GeoFrame]) -> list[dict]:
    """What the map of Europe keeps of ``trace``: the points no inset shows (the rest lie out of its
    sight, but their hover text would travel twice). A trace left with nothing is dropped, or, if
    it holds a legend entry, kept for the legend alone; lines to Kyiv keep both their ends."""
    keep = [i for i, p in enumerate(points) if not any(_shown_in(p, inset) for inset in insets)]
    if len(keep) == len(points) or _is_line(trace):
        return [trace]
    if keep:
        return [_subset(trace, keep, len(points))]
    if trace.get("showlegend") is False:
        return []
    if trace["type"] == "scattergeo":
        legend_only = {k: v for k, v in trace.items() if k not in ("text", "hovertext", "customdata", "hovertemplate")}
        return [{**legend_only, "lon": [None], "lat": [None], "hoverinfo": "skip"}]
    return [trace]  # a choropleth's legend entry needs a location to draw its swatch


def outline_trace(codes: list[str], name: str, line: dict) -> dict:
    """Countries outlined with ``line`` over a transparent fill, in the legend group "chosen" (no entry of its own)."""
    return {
        "type": "choropleth", "locations": list(codes), "locationmode": "ISO-3", "z": [0] * len(codes),
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], "showscale": False,
        "name": name, "legendgroup": "chosen", "showlegend": False, "hoverinfo": "skip", "marker": {"line": line},
    }


@memoized()
def guarantor_counts(guarantors: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Per country: how many of the models name it as a guarantor, and how.

    Recipient rows (Ukraine) are not guarantor roles and are left out.
    Returns columns iso3, country, n_models, detail (model: role; ...).
    """
    is_guarantor = guarantors["role"].map(registry.is_guarantor)
    rows = guarantors[is_guarantor]
    records = []
    for iso3, group in rows.groupby("iso3", sort=True):
        parts = []
        for model_id in registry.ids:
            roles = group.loc[group["model_id"] == model_id, "role"]
            if len(roles):
                labels = ", ".join(registry.role(r).label.lower() for r in roles)  # role labels are data
                parts.append(f"{registry.chart_label(model_id)}: {labels}")
        records.append(
            {
                "iso3": iso3,
                "country": country_name(iso3),
                "n_models": int(group["model_id"].nunique()),
                "detail": "; ".join(parts),
            }
        )
    return pd.DataFrame.from_records(records, columns=["iso3", "country", "n_models", "detail"])


@figure_builder
def build_overview_map(
    counts: pd.DataFrame, n_models: int, highlight: list[str] | None = None, frame: str = "europe"
) -> dict:
    """Countries coloured by how many of the ``n_models`` models name them as guarantors.

    One legend entry per count, in words; Ukraine marked as the recipient.
    ``highlight`` (ISO3 codes) outlines the chosen countries. ``frame``: "europe"
    (with insets for distant guarantors) or "world".
    """
    traces = []
    colours = theme.count_colours(n_models)
    for n in range(1, n_models + 1):
        subset = counts[counts["n_models"] == n]
        if subset.empty:
            continue
        colour = colours[n]
        traces.append({
            "type": "choropleth",
            "locations": list(subset["iso3"]),
            "locationmode": "ISO-3",
            "z": [n] * len(subset),
            "zmin": 0,
            "zmax": n_models,
            "colorscale": [[0, colour], [1, colour]],
            "showscale": False,
            "name": n_("Named in {n} of {total} model", "Named in {n} of {total} models", n_models).format(
                n=n, total=n_models
            ),
            "showlegend": True,
            "customdata": subset[["country", "detail"]].to_numpy().tolist(),
            "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            "marker": {"line": {"color": "#FFFFFF", "width": 0.5}},
        })
    traces.append({
        "type": "choropleth",
        "locations": ["UKR"],
        "locationmode": "ISO-3",
        "z": [0],
        "colorscale": [[0, theme.ROLE_COLOURS["recipient"]], [1, theme.ROLE_COLOURS["recipient"]]],
        "showscale": False,
        "name": _("Ukraine (recipient)"),
        "showlegend": True,
        "hovertemplate": "<b>{ukraine}</b><br>{recipient}<extra></extra>".format(
            ukraine=country_name("UKR"), recipient=_("Recipient of every model's commitments")
        ),
        "marker": {"line": {"color": theme.TEXT, "width": 1.2}},
    })
    if highlight:
        outline = {"color": theme.OKABE_ITO["vermillion"], "width": 2.5}
        traces.append(outline_trace(highlight, _("Chosen in the filter"), outline))
        # A choropleth's legend swatch shows its fill, which is transparent here: the
        # legend entry is an empty square in the outline's colour instead.
        traces.append({
            "type": "scattergeo", "lon": [None], "lat": [None], "mode": "markers", "name": _("Chosen in the filter"),
            "legendgroup": "chosen", "hoverinfo": "skip",
            "marker": {"symbol": "square-open", "size": 13, "color": outline["color"], "line": outline},
        })
    framed = frame != "world"
    layout = {
        "height": OVERVIEW_HEIGHT + (OVERVIEW_INSETS if framed else 0),
        "legend": {"x": 0.01, "y": 1 if framed else 0.02, "xanchor": "left", "yanchor": "top" if framed else "bottom"},
    }
    share = OVERVIEW_INSETS / (OVERVIEW_HEIGHT + OVERVIEW_INSETS - 150)  # of the plot area (title, source line)
    return frame_spec(traces, layout, frame, frame_points(frame), share)
