"""Role maps: who stands behind Ukraine under each model, and how firmly.

Countries are filled by their strongest role and carry a marker at their
centroid whose symbol also tells the role (open symbol: inferred), so the
map reads without colour. Input is a ``profiles.country_roles`` frame.
"""

from __future__ import annotations

import html
import math
from typing import Iterable

import pandas as pd
import plotly.graph_objects as go

from .. import geometry, theme, vocab
from ..countries import country_name
from .maps import geo_layout

KYIV = (30.523, 50.450)  # lon, lat: where the overlay lines end
INFERRED_MIX = 0.5  # share of white mixed into a role's colour for inferred rows
LIGHT_ENOUGH = 0.55  # relative luminance above which a colour is already a light tone
DIM_OPACITY = 0.25  # countries outside the filter choice
LINE_COLOUR = "rgba(60, 60, 60, 0.55)"
SINGLE_HEIGHT = 600
SMALL_HEIGHT = 470
SHORT_LABELS = {"recipient": "Ukraine", "violator": "Russia: broke its assurances"}


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def fill_colour(role: str, inferred: bool) -> str:
    """The role's colour; a lighter tone of it for an inferred row (unless already light)."""
    colour = theme.ROLE_COLOURS[role]
    if not inferred or _luminance(colour) >= LIGHT_ENOUGH:
        return colour
    mixed = (round(v + (255 - v) * INFERRED_MIX) for v in _rgb(colour))
    return "#" + "".join(f"{v:02X}" for v in mixed)


def marker_symbol(role: str, inferred: bool) -> str:
    """The role's symbol; its open variant for an inferred row."""
    symbol = theme.ROLE_SYMBOLS[role]
    return f"{symbol}-open" if inferred and symbol != "x" else symbol


def legend_label(role: str, inferred: bool) -> str:
    """The role in words, saying 'inferred' where it is."""
    label = vocab.ROLES[role].label
    return f"{label} (inferred)" if inferred and "inferred" not in label.lower() else label


def hover_text(row: pd.Series) -> str:
    """Country, every role with dates, the commitment, the publishers (escaped)."""
    lines = [f"<b>{html.escape(row['country'])}</b>"]
    lines += [html.escape(line) for line in row["role_lines"].split("\n")]
    if isinstance(row["commitment"], str):
        lines.append("Commitment: " + html.escape(row["commitment"]))
    if row["publishers"]:
        lines.append("Source: " + html.escape(_shorten(row["publishers"], 90)))
    return "<br>".join(lines)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(";", 1)[0] + "; …"


def _groups(roles: pd.DataFrame) -> list[tuple[tuple[str, bool], pd.DataFrame]]:
    """(role, inferred) groups, strongest role first, sourced before inferred."""
    order = list(vocab.ROLES)
    keys = sorted(
        {(r, bool(i)) for r, i in zip(roles["role"], roles["inferred"])},
        key=lambda k: (-vocab.ROLES[k[0]].strength, order.index(k[0]), k[1]),
    )
    return [(key, roles[(roles["role"] == key[0]) & (roles["inferred"] == key[1])]) for key in keys]


def undrawn_countries(codes: Iterable[str], drawable: Iterable[str]) -> list[str]:
    """Names of the countries the shipped geometry cannot draw (e.g. Kosovo, the EU)."""
    shown = set(drawable)
    return sorted({country_name(c) for c in codes if c not in shown})


def aid_line_rows(roles: pd.DataFrame, totals: pd.DataFrame, centroids: dict) -> pd.DataFrame:
    """Guarantors with aid on record and a place on the map: iso3, country, eur_bn, lon, lat."""
    is_guarantor = roles["role"].map(lambda r: vocab.ROLES[r].guarantor)
    merged = roles[is_guarantor][["iso3", "country"]].merge(totals[["iso3", "eur_bn"]], on="iso3")
    merged = merged[(merged["eur_bn"] > 0) & merged["iso3"].isin(centroids)]
    merged["lon"] = merged["iso3"].map(lambda c: centroids[c][0])
    merged["lat"] = merged["iso3"].map(lambda c: centroids[c][1])
    return merged.sort_values("eur_bn", ascending=False, ignore_index=True)


def line_width(eur_bn: float, largest: float) -> float:
    """Line width 1–10 px, by area-like square root of the amount."""
    return round(1 + 9 * math.sqrt(eur_bn / largest), 2) if largest else 1.0


def _aid_lines(rows: pd.DataFrame, cutoff_text: str) -> list[go.Scattergeo]:
    largest = float(rows["eur_bn"].max()) if len(rows) else 0.0
    traces = []
    for i, row in rows.iterrows():
        hover = (
            f"<b>{html.escape(row['country'])} → Kyiv</b><br>"
            f"€{row['eur_bn']:,.2f}bn allocated{cutoff_text} (Kiel Ukraine Support Tracker)"
        )
        traces.append(
            go.Scattergeo(
                lon=[row["lon"], KYIV[0]],
                lat=[row["lat"], KYIV[1]],
                mode="lines",
                line={"width": line_width(row["eur_bn"], largest), "color": LINE_COLOUR},
                name="Aid to Ukraine: line width by € allocated (Kiel)",
                legendgroup="aid-lines",
                showlegend=i == 0,
                hovertext=[hover, hover],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return traces


def build_role_map(
    roles: pd.DataFrame,
    highlight: Iterable[str] = (),
    aid_lines: pd.DataFrame | None = None,
    aid_cutoff: str = "",
    small: bool = False,
    centroids: dict[str, tuple[float, float]] | None = None,
) -> go.Figure:
    """Choropleth of one model's countries by strongest role, with role markers.

    ``roles``: a ``profiles.country_roles`` frame. ``highlight``: ISO3 codes
    chosen in the filter; other countries are dimmed and the chosen ones
    outlined. ``aid_lines``: rows from ``aid_line_rows`` to draw lines to
    Kyiv. ``small``: the compact version for the side-by-side view.
    """
    centroids = geometry.centroids() if centroids is None else centroids
    chosen = set(highlight)

    def opacity(codes: pd.Series) -> list[float]:
        return [1.0 if not chosen or c in chosen else DIM_OPACITY for c in codes]

    fig = go.Figure()
    if aid_lines is not None and len(aid_lines):
        cutoff_text = f" to {aid_cutoff}" if aid_cutoff else ""
        fig.add_traces(_aid_lines(aid_lines, cutoff_text))
    markers = []
    for (role, inferred), group in _groups(roles):
        key = f"{role}-{'inferred' if inferred else 'sourced'}"
        colour = fill_colour(role, inferred)
        hovers = group.apply(hover_text, axis=1).tolist()
        is_recipient = role == "recipient"
        fig.add_trace(
            go.Choropleth(
                locations=group["iso3"],
                locationmode="ISO-3",
                z=[0] * len(group),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                name=legend_label(role, inferred),
                legendgroup=key,
                showlegend=False,
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "opacity": opacity(group["iso3"]),
                    "line": {"color": theme.TEXT if is_recipient else "#FFFFFF", "width": 1.2 if is_recipient else 0.5},
                },
            )
        )
        placed = group[group["iso3"].isin(centroids)]
        labelled = role in SHORT_LABELS and not small
        markers.append(
            go.Scattergeo(
                lon=[centroids[c][0] for c in placed["iso3"]],
                lat=[centroids[c][1] for c in placed["iso3"]],
                mode="markers+text" if labelled else "markers",
                text=[SHORT_LABELS[role]] * len(placed) if labelled else None,
                textposition="bottom center",
                textfont={"size": 12, "color": theme.TEXT},
                name=legend_label(role, inferred),
                legendgroup=key,
                customdata=placed[["iso3"]].to_numpy(),
                hovertext=[h for h, c in zip(hovers, group["iso3"]) if c in centroids],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "symbol": marker_symbol(role, inferred),
                    "size": 8 if small else 10,
                    "color": theme.ROLE_COLOURS[role],
                    "opacity": opacity(placed["iso3"]),
                    "line": {"color": theme.TEXT, "width": 1 if not inferred else 2},
                },
            )
        )
    drawable_chosen = [c for c in sorted(chosen) if c in centroids]
    if drawable_chosen:
        fig.add_trace(
            go.Choropleth(
                locations=drawable_chosen,
                locationmode="ISO-3",
                z=[0] * len(drawable_chosen),
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                name="Chosen in the country filter (others dimmed)",
                showlegend=True,
                hoverinfo="skip",
                marker={"line": {"color": theme.TEXT, "width": 2.5}},
            )
        )
    fig.add_traces(markers)
    fig.update_layout(
        geo=geo_layout(),
        height=SMALL_HEIGHT if small else SINGLE_HEIGHT,
        legend={
            "orientation": "h", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
            "font": {"size": 11 if small else 12}, "itemsizing": "constant",
        },
        clickmode="event+select",
    )
    return fig


def clicked_country(points: list[dict]) -> str | None:
    """ISO3 of the clicked country: a choropleth's location or a marker's customdata."""
    for point in points:
        if point.get("location"):
            return str(point["location"])
        custom = point.get("customdata")
        if isinstance(custom, list) and custom:
            return str(custom[0])
    return None
