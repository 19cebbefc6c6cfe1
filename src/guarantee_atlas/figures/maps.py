"""Choropleth builders drawn on the shipped UN-based world topojson."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .. import theme
from ..countries import country_name
from ..i18n import N_, _, n_
from ..geometry import MAP_RESOLUTION
from ..memo import memoized
from ..registry import Registry


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


def _trace_points(trace, centroids: dict) -> list[tuple[float, float] | None]:
    if trace.type == "choropleth":
        return [centroids.get(code) for code in (() if trace.locations is None else trace.locations)]
    lon = () if trace.lon is None else trace.lon
    lat = () if trace.lat is None else trace.lat
    return [(x, y) if x is not None and y is not None else None for x, y in zip(lon, lat)]


# Attributes that hold one value per point (in a trace, its marker, the marker's line).
PER_POINT = {"locations", "z", "lon", "lat", "text", "hovertext", "customdata", "opacity", "size", "color", "width"}


def _subset(trace, keep: list[int], n: int):
    """A copy of ``trace`` with only the points ``keep`` (every per-point array filtered alike)."""
    def cut(value, key=None):
        if key in PER_POINT and not isinstance(value, (str, dict)) and hasattr(value, "__len__") and len(value) == n:
            return [value[i] for i in keep]
        if isinstance(value, dict):
            return {k: cut(v, k) for k, v in value.items()}
        return value

    return type(trace)(cut(trace.to_plotly_json()))


def frame_figure(fig: go.Figure, frame_id: str, centroids: dict, inset_share: float) -> go.Figure:
    """Put ``fig``'s map on a frame: the world, or Europe with insets below for what lies outside it.

    Each inset takes over the traces of the points it holds (no legend entries, no labels), so a
    distant guarantor keeps its fill, marker, hover and click. ``inset_share``: the share of the
    plot height the inset row takes. An inset draws no borders between the countries it does not
    colour (a coloured country keeps its outline): the world's borders, projected again for each
    inset, took about 45% of a small map's redraw (a one-off measurement in Chromium, 2026-12-07:
    Plotly.newPlot of the side-by-side maps, median 137 ms with them and 75 ms without).
    """
    if frame_id == "world":
        fig.update_layout(geo=geo_layout(WORLD))
        return fig
    traces = list(fig.data)
    points = [p for trace in traces for p in _trace_points(trace, centroids) if p is not None]
    insets = inset_frames(points)
    main_bottom = inset_share + INSET_GAP if insets else 0.0
    layout = {"geo": {**geo_layout(EUROPE), "domain": {"x": [0, 1], "y": [main_bottom, 1]}}}
    annotations = []
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
        for trace in traces:
            if trace.type == "scattergeo" and trace.mode == "lines":
                continue  # a line to Kyiv has no place in an inset far from it
            trace_points = _trace_points(trace, centroids)
            keep = [i for i, p in enumerate(trace_points) if p is not None and inset.holds(p) and not EUROPE.holds(p)]
            if keep:
                copy = _subset(trace, keep, len(trace_points))
                copy.update(geo=name, showlegend=False)
                if copy.type == "scattergeo" and copy.mode and "text" in copy.mode:
                    copy.update(mode="markers", text=None)
                fig.add_trace(copy)
    fig.update_layout(**layout, annotations=list(fig.layout.annotations) + annotations)
    return _without_inset_points(fig, len(traces), insets, centroids)


def _without_inset_points(fig: go.Figure, n_main: int, insets: list[GeoFrame], centroids: dict) -> go.Figure:
    """``fig`` with the main map's traces cut to the points no inset shows (the rest lie out of its
    sight, but their hover text would travel twice). A trace left with nothing is dropped, or, if
    it holds a legend entry, kept for the legend alone; lines to Kyiv keep both their ends."""
    main = []
    for trace in fig.data[:n_main]:
        points = _trace_points(trace, centroids)
        keep = [
            i for i, p in enumerate(points)
            if p is None or EUROPE.holds(p) or not any(inset.holds(p) for inset in insets)
        ]
        if len(keep) == len(points) or (trace.type == "scattergeo" and trace.mode == "lines"):
            main.append(trace)
        elif keep:
            main.append(_subset(trace, keep, len(points)))
        elif trace.showlegend is not False and trace.type == "scattergeo":
            main.append(_subset(trace, [], len(points)).update(
                lon=[None], lat=[None], text=None, hovertext=None, customdata=None, hoverinfo="skip"
            ))
        elif trace.showlegend is not False:
            main.append(trace)  # a choropleth's legend entry needs a location to draw its swatch
    if len(main) == n_main and all(a is b for a, b in zip(main, fig.data)):
        return fig
    return go.Figure(data=main + list(fig.data[n_main:]), layout=fig.layout)


def outline_trace(codes: list[str], name: str, line: dict) -> go.Choropleth:
    """Countries outlined with ``line`` over a transparent fill, in the legend group "chosen" (no entry of its own)."""
    return go.Choropleth(
        locations=codes,
        locationmode="ISO-3",
        z=[0] * len(codes),
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False,
        name=name,
        legendgroup="chosen",
        showlegend=False,
        hoverinfo="skip",
        marker={"line": line},
    )


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


def build_overview_map(
    counts: pd.DataFrame, n_models: int, highlight: list[str] | None = None, frame: str = "europe"
) -> go.Figure:
    """Countries coloured by how many of the ``n_models`` models name them as guarantors.

    One legend entry per count, in words; Ukraine marked as the recipient.
    ``highlight`` (ISO3 codes) outlines the chosen countries. ``frame``: "europe"
    (with insets for distant guarantors) or "world".
    """
    fig = go.Figure()
    colours = theme.count_colours(n_models)
    for n in range(1, n_models + 1):
        subset = counts[counts["n_models"] == n]
        if subset.empty:
            continue
        colour = colours[n]
        fig.add_trace(
            go.Choropleth(
                locations=subset["iso3"],
                locationmode="ISO-3",
                z=[n] * len(subset),
                zmin=0,
                zmax=n_models,
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                name=n_("Named in {n} of {total} model", "Named in {n} of {total} models", n_models).format(
                    n=n, total=n_models
                ),
                showlegend=True,
                customdata=subset[["country", "detail"]].to_numpy(),
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                marker={"line": {"color": "#FFFFFF", "width": 0.5}},
            )
        )
    fig.add_trace(
        go.Choropleth(
            locations=["UKR"],
            locationmode="ISO-3",
            z=[0],
            colorscale=[[0, theme.ROLE_COLOURS["recipient"]], [1, theme.ROLE_COLOURS["recipient"]]],
            showscale=False,
            name=_("Ukraine (recipient)"),
            showlegend=True,
            hovertemplate="<b>{ukraine}</b><br>{recipient}<extra></extra>".format(
                ukraine=country_name("UKR"), recipient=_("Recipient of every model's commitments")
            ),
            marker={"line": {"color": theme.TEXT, "width": 1.2}},
        )
    )
    if highlight:
        outline = {"color": theme.OKABE_ITO["vermillion"], "width": 2.5}
        fig.add_trace(outline_trace(highlight, _("Chosen in the filter"), outline))
        # A choropleth's legend swatch shows its fill, which is transparent here: the
        # legend entry is an empty square in the outline's colour instead.
        fig.add_trace(
            go.Scattergeo(
                lon=[None], lat=[None], mode="markers", name=_("Chosen in the filter"), legendgroup="chosen",
                hoverinfo="skip", marker={"symbol": "square-open", "size": 13, "color": outline["color"], "line": outline},
            )
        )
    framed = frame != "world"
    fig.update_layout(
        height=OVERVIEW_HEIGHT + (OVERVIEW_INSETS if framed else 0),
        legend={"x": 0.01, "y": 1 if framed else 0.02, "xanchor": "left", "yanchor": "top" if framed else "bottom"},
    )
    share = OVERVIEW_INSETS / (OVERVIEW_HEIGHT + OVERVIEW_INSETS - 150)  # of the plot area (title, source line)
    return frame_figure(fig, frame, frame_points(frame), share)
