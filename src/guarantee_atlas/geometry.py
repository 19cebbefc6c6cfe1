"""World geometry shipped in ``static/``: the same files plotly.js draws.

``static/world_50m.json`` and ``static/world_110m.json`` are plotly.js's
UN-based topojson (ids are ISO3; Crimea is inside Ukraine). The browser
fetches them from the app's own static route; this module reads them with
geopandas for checks (which codes can be drawn, point-in-country) and for
centroids (overlay lines).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import Point

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
# plotly geo.resolution. 1:110m draws every guarantor (Luxembourg, Cyprus, Iceland…) and
# is six times lighter than 1:50m (285 KB vs 1.7 MB to fetch, parse and paint); it lacks
# Malta and Singapore, which hold no role in any model. Kosovo is absent from both files.
MAP_RESOLUTION = 110


def topojson_path(resolution: int = MAP_RESOLUTION) -> Path:
    """Path of the shipped world topojson at 50 or 110 (1:50m / 1:110m)."""
    return STATIC_DIR / f"world_{resolution}m.json"


@lru_cache(maxsize=2)
def world(resolution: int = MAP_RESOLUTION) -> gpd.GeoDataFrame:
    """Country shapes indexed by ISO3 (EPSG:4326); a code may have several rows.

    Shapes are not unioned or repaired: the source rings are what the browser
    draws, and repairing antimeridian shapes would distort them.
    """
    frame = gpd.read_file(topojson_path(resolution), layer="countries", engine="pyogrio")
    frame = frame.set_crs(4326, allow_override=True)
    frame = frame[frame["id"].notna()].rename(columns={"id": "iso3"})
    return frame.set_index("iso3")[["geometry"]]


def drawable_codes(resolution: int = MAP_RESOLUTION) -> frozenset[str]:
    """ISO3 codes that have a shape in the shipped geometry."""
    return frozenset(world(resolution).index)


def country_at(lon: float, lat: float, resolution: int = MAP_RESOLUTION) -> str | None:
    """ISO3 of the country containing a point, or None (sea, or not drawn)."""
    frame = world(resolution)
    hits = frame[frame.geometry.contains(Point(lon, lat))]
    return str(hits.index[0]) if len(hits) else None


@lru_cache(maxsize=1)
def centroids(resolution: int = MAP_RESOLUTION) -> dict[str, tuple[float, float]]:
    """A representative (lon, lat) inside each country's largest part."""
    frame = world(resolution)
    points = {}
    for iso3, shapes in frame.geometry.groupby(level=0):
        parts = [part for geom in shapes for part in getattr(geom, "geoms", [geom])]
        largest = max(parts, key=lambda g: g.area)
        point = largest.representative_point()
        points[str(iso3)] = (round(point.x, 3), round(point.y, 3))
    return points


@lru_cache(maxsize=1)
def areas_km2(resolution: int = MAP_RESOLUTION) -> dict[str, float]:
    """Each country's area in km² as drawn (all its parts, on an equal-area projection, EPSG:6933)."""
    areas = world(resolution).to_crs(6933).area.groupby(level=0).sum() / 1e6
    return {str(iso3): float(area) for iso3, area in areas.items()}


@lru_cache(maxsize=4)
def framed_centroids(
    lon: tuple[float, float], lat: tuple[float, float], resolution: int = MAP_RESOLUTION
) -> dict[str, tuple[float, float]]:
    """``centroids``, except that a country reaching into the frame with its centroid outside it
    (Russia, Kazakhstan in a frame of Europe) gets a point inside the frame, where its marker
    and label can be seen."""
    points = dict(centroids(resolution))
    for iso3, shapes in world(resolution).geometry.groupby(level=0):
        x, y = points[str(iso3)]
        if lon[0] <= x <= lon[1] and lat[0] <= y <= lat[1]:
            continue
        # clip_by_rect, not intersection: it takes the rings as they are
        parts = [_unwrapped(part) for shape in shapes for part in getattr(shape, "geoms", [shape])]
        clipped = [shapely.clip_by_rect(part, lon[0], lat[0], lon[1], lat[1]) for part in parts]
        inside = [part for geom in clipped for part in getattr(geom, "geoms", [geom]) if part.area > 0]
        if inside:
            point = max(inside, key=lambda g: g.area).representative_point()
            points[str(iso3)] = (round(point.x, 3), round(point.y, 3))
    return points


def _unwrapped(part):
    """A polygon that crosses the antimeridian (wider than 180°) with its western longitudes moved
    east by 360°, so that it is one piece again (for clipping and label points only, never drawn)."""
    west, _, east, _ = part.bounds
    if east - west <= 180:
        return part
    return shapely.transform(part, lambda xy: xy + [[360.0, 0.0]] * (xy[:, 0:1] < 0))
