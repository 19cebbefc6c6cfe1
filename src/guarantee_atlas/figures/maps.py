"""Choropleth builders drawn on the shipped UN-based world topojson."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import theme
from ..countries import country_name
from ..geometry import MAP_RESOLUTION
from ..memo import memoized
from ..registry import Registry


def geo_layout(scope_lonaxis: tuple[float, float] | None = None) -> dict:
    """The geo settings every map shares (local topojson at 1:50m)."""
    geo = {
        "projection": {"type": "natural earth"},
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
        "lataxis": {"range": [-50, 78]},
    }
    if scope_lonaxis:
        geo["lonaxis"] = {"range": list(scope_lonaxis)}
    return geo


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
                labels = ", ".join(registry.role(r).label.lower() for r in roles)
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


def build_overview_map(counts: pd.DataFrame, n_models: int, highlight: list[str] | None = None) -> go.Figure:
    """Countries coloured by how many of the ``n_models`` models name them as guarantors.

    One legend entry per count, in words; Ukraine marked as the recipient.
    ``highlight`` (ISO3 codes) outlines the chosen countries.
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
                name=f"Named in {n} of {n_models} models",
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
            name="Ukraine (recipient)",
            showlegend=True,
            hovertemplate="<b>Ukraine</b><br>Recipient of every model's commitments<extra></extra>",
            marker={"line": {"color": theme.TEXT, "width": 1.2}},
        )
    )
    if highlight:
        outline = {"color": theme.OKABE_ITO["vermillion"], "width": 2.5}
        fig.add_trace(outline_trace(highlight, "Chosen in the filter", outline))
        # A choropleth's legend swatch shows its fill, which is transparent here: the
        # legend entry is an empty square in the outline's colour instead.
        fig.add_trace(
            go.Scattergeo(
                lon=[None], lat=[None], mode="markers", name="Chosen in the filter", legendgroup="chosen",
                hoverinfo="skip", marker={"symbol": "square-open", "size": 13, "color": outline["color"], "line": outline},
            )
        )
    fig.update_layout(
        geo=geo_layout(),
        height=520,
        legend={"x": 0.01, "y": 0.02, "xanchor": "left", "yanchor": "bottom"},
    )
    return fig
