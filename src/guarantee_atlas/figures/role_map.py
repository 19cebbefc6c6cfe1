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

from .. import geometry, i18n, theme
from ..countries import country_name, sorted_by_name
from ..i18n import N_, _
from ..memo import memoized
from . import figure_builder, group_by
from .maps import EUROPE, frame_points, frame_spec, outline_trace

KYIV = (30.523, 50.450)  # lon, lat: where the overlay lines end
INFERRED_MIX = 0.5  # share of white mixed into a role's colour for inferred rows
OPEN_MARKER_MIX = 0.3  # share of black mixed into an open (inferred) marker, to stand out on light fills
LIGHT_ENOUGH = 0.55  # relative luminance above which a colour is already a light tone
DIM_OPACITY = 0.25  # countries outside the filter choice
LINE_COLOUR = "rgba(60, 60, 60, 0.55)"
MAP_HEIGHT = {False: 500, True: 260}  # px for the map itself: one model / small multiple
INSET_HEIGHT = {False: 120, True: 80}  # px for the row of insets under a map of Europe
LEGEND_ROW = 29  # px per legend entry, as drawn (one column, so phones and desktops agree)
TITLE_AND_SOURCE = 110  # px the theme adds above (title) and below (source line)
# A country at least this large, on the main map of Europe, is hovered and clicked on its fill: its
# marker lies inside the fill and carries no hover of its own, so the figure holds its hover text
# once. On a phone a small multiple shows Europe at about 15 km a pixel, where 100,000 km² is a
# patch of about 20 × 20 px. Smaller countries, and those in an inset or on the world frame (drawn
# smaller), keep a marker that hovers.
FILL_HOVER_KM2 = 100_000
# Written on the map (the violator's words translated where drawn).
MAP_LABELS = {"recipient": "{country}", "violator": N_("{country}: broke its assurances")}


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _mix(colour: str, target: int, share: float) -> str:
    """``colour`` moved ``share`` of the way to white (255) or black (0)."""
    mixed = (round(v + (target - v) * share) for v in _rgb(colour))
    return "#" + "".join(f"{v:02X}" for v in mixed)


def fill_colour(role: str, strength: int, inferred: bool) -> str:
    """The role's colour; a lighter tone of it for an inferred row (unless already light)."""
    colour = theme.role_colour(role, strength)
    if not inferred or _luminance(colour) >= LIGHT_ENOUGH:
        return colour
    return _mix(colour, 255, INFERRED_MIX)


def marker_colour(role: str, strength: int, inferred: bool) -> str:
    """The role's colour; a darker tone for an open (inferred) marker, which is only an outline."""
    colour = theme.role_colour(role, strength)
    return _mix(colour, 0, OPEN_MARKER_MIX) if inferred else colour


def marker_symbol(role: str, strength: int, inferred: bool) -> str:
    """The role's symbol; its open variant for an inferred row."""
    symbol = theme.role_symbol(role, strength)
    return f"{symbol}-open" if inferred and symbol != "x" else symbol


def legend_label(label: str, inferred: bool) -> str:
    """The role in words, saying 'inferred' where it is."""
    says_it = "inferred" in label.lower() or _("inferred") in label.lower()
    return _("{role} (inferred)").format(role=label) if inferred and not says_it else label


def hover_text(row: pd.Series) -> str:
    """Country, every role with dates, the commitment, the publishers (escaped)."""
    lines = [f"<b>{html.escape(row['country'])}</b>"]
    lines += [html.escape(line) for line in row["role_lines"].split("\n")]
    if isinstance(row["commitment"], str):
        lines.append(_("Commitment: {commitment}").format(commitment=html.escape(row["commitment"])))
    if row["publishers"]:
        lines.append(_("Source: {publishers}").format(publishers=html.escape(_shorten(row["publishers"], 90))))
    return "<br>".join(lines)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(";", 1)[0] + "; …"


@memoized()
def _hovers(roles: pd.DataFrame) -> dict[str, str]:
    """Each country's hover text (``hover_text``), once per roles frame and language."""
    return dict(zip(roles["iso3"], roles.apply(hover_text, axis=1)))


@memoized()
def _groups(roles: pd.DataFrame) -> list[tuple[tuple[str, bool], pd.DataFrame]]:
    """(role, inferred) groups, strongest role first, sourced before inferred (once per roles frame)."""
    strength = dict(zip(roles["role"], roles["strength"]))
    keys = sorted(
        {(r, bool(i)) for r, i in zip(roles["role"], roles["inferred"])},
        key=lambda k: (-strength[k[0]], k[0], k[1]),
    )
    return [(key, roles[(roles["role"] == key[0]) & (roles["inferred"] == key[1])]) for key in keys]


def undrawn_countries(codes: Iterable[str], drawable: Iterable[str]) -> list[str]:
    """Names of the countries the shipped geometry cannot draw (e.g. Kosovo, the EU)."""
    shown = set(drawable)
    return [country_name(c) for c in sorted_by_name({c for c in codes if c not in shown})]


@memoized()
def aid_line_rows(roles: pd.DataFrame, totals: pd.DataFrame, centroids: dict) -> pd.DataFrame:
    """Guarantors with aid on record and a place on the map: iso3, country, eur_bn, source_ids, lon, lat."""
    merged = roles[roles["guarantor"].astype(bool)][["iso3", "country"]].merge(totals[["iso3", "eur_bn", "source_ids"]], on="iso3")
    merged = merged[(merged["eur_bn"] > 0) & merged["iso3"].isin(centroids)]
    merged["lon"] = merged["iso3"].map(lambda c: centroids[c][0])
    merged["lat"] = merged["iso3"].map(lambda c: centroids[c][1])
    return merged.sort_values("eur_bn", ascending=False, ignore_index=True)


def line_width(eur_bn: float, largest: float) -> float:
    """Line width 1–10 px, by area-like square root of the amount."""
    return round(1 + 9 * math.sqrt(eur_bn / largest), 2) if largest else 1.0


def _aid_lines(rows: pd.DataFrame, cutoff_text: str) -> list[dict]:
    largest = float(rows["eur_bn"].max()) if len(rows) else 0.0
    traces = []
    for i, row in rows.iterrows():
        amount = i18n.format_bn(row["eur_bn"], "EUR", 2)
        allocated = (
            _("{amount} allocated to {date} (Kiel Ukraine Support Tracker)").format(amount=amount, date=cutoff_text)
            if cutoff_text
            else _("{amount} allocated (Kiel Ukraine Support Tracker)").format(amount=amount)
        )
        to_kyiv = _("{country} → Kyiv").format(country=html.escape(row["country"]))
        hover = f"<b>{to_kyiv}</b><br>{html.escape(allocated)}"
        traces.append({
            "type": "scattergeo",
            "lon": [row["lon"], KYIV[0]],
            "lat": [row["lat"], KYIV[1]],
            "mode": "lines",
            "line": {"width": line_width(row["eur_bn"], largest), "color": LINE_COLOUR},
            "name": _("Aid to Ukraine: line width by € allocated (Kiel)"),
            "legendgroup": "aid-lines",
            "showlegend": i == 0,
            "hovertext": [hover, hover],
            "hovertemplate": "%{hovertext}<extra></extra>",
        })
    return traces


def _cutoff_text(cutoff) -> str:
    """The aid's cut-off day as the hover writes it ("30 Apr 2026" / "30 квіт. 2026 р.")."""
    if cutoff is None or (not isinstance(cutoff, str) and pd.isna(cutoff)):
        return ""
    return cutoff if isinstance(cutoff, str) else i18n.format_date(pd.Timestamp(cutoff), "medium")


def hovered_on_fill(centroids: dict, frame: str) -> frozenset[str]:
    """Countries whose marker needs no hover: large, and on the main map of Europe (``FILL_HOVER_KM2``)."""
    if frame == "world":
        return frozenset()
    areas = geometry.areas_km2()
    return frozenset(
        code for code, point in centroids.items() if areas.get(code, 0) >= FILL_HOVER_KM2 and EUROPE.holds(point)
    )


def _chosen_outline(codes: list[str], centroids: dict, small: bool) -> list[dict]:
    """Countries chosen in the filter: a dark outline and a ring around their marker."""
    if not codes:
        return []
    name = _("Chosen in the country filter (others dimmed)")
    return [
        outline_trace(codes, name, {"color": theme.TEXT, "width": 2.5}),
        {
            "type": "scattergeo",
            "lon": [centroids[c][0] for c in codes],
            "lat": [centroids[c][1] for c in codes],
            "mode": "markers",
            "name": name,
            "legendgroup": "chosen",
            "hoverinfo": "skip",
            "marker": {"symbol": "circle-open", "size": 16 if small else 20, "color": theme.TEXT, "line": {"width": 2}},
        },
    ]


def _role_traces(
    role: str, inferred: bool, group: pd.DataFrame, chosen: set[str], centroids: dict, small: bool,
    on_fill: frozenset[str], hovers: dict[str, str],
) -> tuple[list[dict], list[dict]]:
    """The fills of one (role, basis) group and its markers at the centroids.

    With a filter choice, chosen and dimmed countries get a trace each (plotly.js
    applies one opacity per choropleth trace, and a legend icon takes the mean
    of a marker trace's opacities), plus a legend-only trace at full colour.
    Markers of the countries in ``on_fill`` skip hover (their fill answers it); ``hovers``: ``_hovers(roles)``.
    """
    key = f"{role}-{'inferred' if inferred else 'sourced'}"
    strength = int(group["strength"].iloc[0])
    name = legend_label(group["role_label"].iloc[0], inferred)
    colour = fill_colour(role, strength, inferred)
    line = {"color": theme.TEXT, "width": 1.2} if role == "recipient" else {"color": "#FFFFFF", "width": 0.5}
    rows = list(zip(group["iso3"], group["country"]))  # plain lists: a pandas groupby per group cost more

    def dimmed(code: str) -> bool:
        return bool(chosen) and code not in chosen

    fills = [
        {
            "type": "choropleth",
            "locations": [c for c, _name in part],
            "locationmode": "ISO-3",
            "z": [0] * len(part),
            "colorscale": [[0, colour], [1, colour]],
            "showscale": False,
            "name": name,
            "legendgroup": key,
            "showlegend": False,
            "hovertext": [hovers[c] for c, _name in part],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"opacity": DIM_OPACITY if is_dimmed else 1.0, "line": line},
        }
        for is_dimmed, part in sorted(group_by(rows, lambda row: dimmed(row[0])).items())
    ]
    placed = [row for row in rows if row[0] in centroids]
    labelled = role in MAP_LABELS and not small
    style = {
        "symbol": marker_symbol(role, strength, inferred),
        "size": 8 if small else 10,
        "color": marker_colour(role, strength, inferred),
        "line": {"color": theme.TEXT, "width": 2 if inferred else 1},
    }

    def markers(part: list[tuple[str, str]], is_dimmed: bool, hovers_here: bool, first: bool) -> dict:
        trace = {
            "type": "scattergeo",
            "lon": [centroids[c][0] for c, _name in part],
            "lat": [centroids[c][1] for c, _name in part],
            "mode": "markers+text" if labelled else "markers",
            "textposition": "bottom center",
            "textfont": {"size": 12, "color": theme.TEXT},
            "name": name,
            "legendgroup": key,
            "showlegend": first and not chosen,
            "marker": {**style, "opacity": DIM_OPACITY if is_dimmed else 1.0},
        }
        if labelled:
            trace["text"] = [_(MAP_LABELS[role]).format(country=name) for _code, name in part]
        if hovers_here:
            trace["customdata"] = [[c] for c, _name in part]
            trace["hovertext"] = [hovers[c] for c, _name in part]
            trace["hovertemplate"] = "%{hovertext}<extra></extra>"
        else:
            trace["hoverinfo"] = "skip"
        return trace

    points = [
        markers(part, is_dimmed, hovers_here, i == 0)
        for i, ((is_dimmed, hovers_here), part) in enumerate(
            sorted(group_by(placed, lambda row: (dimmed(row[0]), row[0] not in on_fill)).items())
        )
    ]
    if chosen:  # the legend keeps full colour while the countries it names are dimmed
        points.append({
            "type": "scattergeo", "lon": [None], "lat": [None], "mode": "markers", "name": name,
            "legendgroup": key, "marker": style, "hoverinfo": "skip",
        })
    return fills, points


@figure_builder
def build_role_map(
    roles: pd.DataFrame,
    highlight: Iterable[str] = (),
    aid_lines: pd.DataFrame | None = None,
    aid_cutoff: str | pd.Timestamp | None = "",
    small: bool = False,
    legend_rows: int | None = None,
    centroids: dict[str, tuple[float, float]] | None = None,
    frame: str = "europe",
) -> dict:
    """Choropleth of one model's countries by strongest role, with role markers.

    ``roles``: a ``profiles.country_roles`` frame. ``highlight``: ISO3 codes
    chosen in the filter; other countries are dimmed and the chosen ones
    outlined. ``aid_lines``: rows from ``aid_line_rows`` to draw lines to
    Kyiv, to ``aid_cutoff`` (a day, written in the language in use, or text).
    ``small``: the compact version for the side-by-side view;
    ``legend_rows`` reserves room for that many legend entries, so that
    small multiples with different legends keep the same map size. ``frame``:
    "europe" (distant countries in insets below, see ``maps.frame_spec``) or "world".
    """
    centroids = frame_points(frame) if centroids is None else centroids
    chosen = set(highlight)
    traces = _aid_lines(aid_lines, _cutoff_text(aid_cutoff)) if aid_lines is not None and len(aid_lines) else []
    on_fill = hovered_on_fill(centroids, frame)
    hovers = _hovers(roles)
    markers = []
    for (role, inferred), group in _groups(roles):
        fills, points = _role_traces(role, inferred, group, chosen, centroids, small, on_fill, hovers)
        traces += fills
        markers += points
    traces += _chosen_outline([c for c in sorted(chosen) if c in centroids], centroids, small)
    traces += markers
    legend_height = LEGEND_ROW * max(legend_rows or 0, legend_entries(roles, chosen, aid_lines, centroids)) + 12
    insets = INSET_HEIGHT[small] if frame != "world" else 0
    layout = {
        "height": MAP_HEIGHT[small] + insets + legend_height + TITLE_AND_SOURCE,
        "margin": {"b": legend_height},
        "legend": {
            "orientation": "v", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
            "font": {"size": 11 if small else 12}, "itemsizing": "constant",
        },
        "clickmode": "event+select",
    }
    return frame_spec(traces, layout, frame, centroids, insets / (MAP_HEIGHT[small] + insets))


def legend_entries(
    roles: pd.DataFrame,
    highlight: Iterable[str] = (),
    aid_lines: pd.DataFrame | None = None,
    centroids: dict[str, tuple[float, float]] | None = None,
) -> int:
    """Entries in the legend of ``build_role_map``, without drawing it.

    The aid lines' entry; one per (role, basis) group (with a filter choice
    always, else when a country of the group has a marker); the chosen outline.
    """
    centroids = geometry.centroids() if centroids is None else centroids
    chosen = set(highlight)
    groups = sum(1 for _, group in _groups(roles) if chosen or group["iso3"].isin(centroids).any())
    lines = 1 if aid_lines is not None and len(aid_lines) else 0
    return lines + groups + (1 if any(c in centroids for c in chosen) else 0)


@memoized()
def small_multiples_legend_rows(roles_by_model: dict[str, pd.DataFrame], highlight: Iterable[str] = ()) -> int:
    """Legend rows to reserve in each small map so that all have the same size and scale (the longest legend)."""
    highlight = list(highlight)
    return max((legend_entries(roles, highlight) for roles in roles_by_model.values()), default=0)


def clicked_country(points: list[dict]) -> str | None:
    """ISO3 of the clicked country: a choropleth's location or a marker's customdata."""
    for point in points:
        if point.get("location"):
            return str(point["location"])
        custom = point.get("customdata")
        if isinstance(custom, list) and custom:
            return str(custom[0])
    return None
