"""Maps open on Europe, where almost every guarantor is, and keep the distant ones in insets."""

import pytest

from guarantee_atlas import geometry, profiles
from guarantee_atlas.data import DEFAULT_DATA_DIR, load_dataset
from guarantee_atlas.figures import maps, role_map

DS = load_dataset(DEFAULT_DATA_DIR)


def geos(fig) -> dict[str, dict]:
    layout = fig.layout.to_plotly_json()
    return {name: value for name, value in layout.items() if name.startswith("geo")}


def drawn_where(fig) -> dict[str, set[str]]:
    """For each geo subplot, the countries its choropleths fill."""
    where: dict[str, set[str]] = {}
    for trace in fig.data:
        if trace.type == "choropleth":
            where.setdefault(trace.geo or "geo", set()).update(trace.locations)
    return where


@pytest.mark.parametrize("model", DS.registry.ids)
def test_role_map_frames_europe_and_keeps_every_guarantor_on_screen(model):
    roles = profiles.country_roles(DS.tables["guarantors"], DS.registry, model, DS.tables["sources"])
    fig = role_map.build_role_map(roles)
    layout = geos(fig)
    west, east = layout["geo"]["lonaxis"]["range"]
    assert east - west <= 100, "the map that holds Ukraine spans at most about 100° of longitude"
    points = maps.frame_points("europe")
    assert maps.EUROPE.holds(points["UKR"])
    where = drawn_where(fig)
    drawable = geometry.drawable_codes()
    for code in set(roles["iso3"]) & drawable:
        main = maps.EUROPE.holds(points[code])
        insets = [name for name, codes in where.items() if name != "geo" and code in codes]
        assert main or insets, f"{code} is on no map of the {model} figure"
        for name in insets:  # the inset that repeats it shows the place it is
            box = layout[name]
            assert box["lonaxis"]["range"][0] <= points[code][0] <= box["lonaxis"]["range"][1]
    # distant guarantors in insets, with their legend entries only on the main map
    assert len(layout) >= 2
    assert all(t.showlegend is False for t in fig.data if t.geo not in (None, "geo"))


def test_the_world_view_is_one_choice_away():
    roles = profiles.country_roles(DS.tables["guarantors"], DS.registry, "israel", DS.tables["sources"])
    fig = role_map.build_role_map(roles, frame="world")
    assert list(geos(fig)) == ["geo"]
    west, east = fig.layout.geo.lonaxis.range
    assert east - west == 360


def test_russia_is_marked_in_europe_not_in_siberia():
    point = maps.frame_points("europe")["RUS"]
    assert maps.EUROPE.holds(point) and geometry.country_at(*point) == "RUS"
    assert maps.frame_points("world")["RUS"] == geometry.centroids()["RUS"]


def test_overview_map_frames_europe_with_insets():
    counts = maps.guarantor_counts(DS.tables["guarantors"], DS.registry)
    fig = maps.build_overview_map(counts, len(DS.registry))
    layout = geos(fig)
    assert layout["geo"]["lonaxis"]["range"][1] - layout["geo"]["lonaxis"]["range"][0] <= 100
    inset_codes = set().union(*(codes for name, codes in drawn_where(fig).items() if name != "geo"))
    assert {"USA", "CAN", "JPN", "AUS"} <= inset_codes


def test_insets_draw_no_borders_between_uncoloured_countries_and_coloured_ones_keep_their_outline():
    counts = maps.guarantor_counts(DS.tables["guarantors"], DS.registry)
    fig = maps.build_overview_map(counts, len(DS.registry))
    layout = geos(fig)
    assert layout["geo"]["showcountries"] is True
    insets = [name for name in layout if name != "geo"]
    assert insets and all(layout[name]["showcountries"] is False for name in insets)
    fills = [t for t in fig.data if t.type == "choropleth" and t.geo not in (None, "geo")]
    assert fills and all(t.marker.line.width and t.marker.line.color for t in fills)


def test_inset_copies_keep_every_per_point_value_in_step():
    roles = profiles.country_roles(DS.tables["guarantors"], DS.registry, "coalition", DS.tables["sources"])
    fig = role_map.build_role_map(roles, highlight=["USA", "POL"])
    for trace in fig.data:
        if trace.type == "scattergeo" and trace.geo not in (None, "geo"):
            n = len(trace.lon)
            assert len(trace.lat) == n and (trace.hovertext is None or len(trace.hovertext) == n)
            assert not (trace.mode or "").count("text"), "no labels in insets"


@pytest.mark.parametrize("build", ["role", "overview"])
def test_a_distant_country_is_drawn_in_its_inset_only_so_its_hover_travels_once(build):
    if build == "role":
        roles = profiles.country_roles(DS.tables["guarantors"], DS.registry, "coalition", DS.tables["sources"])
        fig, world = (role_map.build_role_map(roles, frame=frame) for frame in ("europe", "world"))
    else:
        counts = maps.guarantor_counts(DS.tables["guarantors"], DS.registry)
        fig, world = (maps.build_overview_map(counts, len(DS.registry), frame=frame) for frame in ("europe", "world"))
    where = drawn_where(fig)
    distant = {"USA", "CAN", "JPN", "AUS"}
    assert distant <= set().union(*(codes for name, codes in where.items() if name != "geo"))
    assert not distant & where["geo"], "the main map keeps no copy of what an inset shows"
    main_markers = [p for t in fig.data if t.type == "scattergeo" and t.geo in (None, "geo") and t.mode != "lines"
                    for p in zip(t.lon, t.lat) if p[0] is not None]
    assert all(maps.EUROPE.holds(p) for p in main_markers)
    assert (maps.frame_points("europe")["UKR"] in main_markers) == (build == "role")
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == [t.name for t in world.data if t.showlegend is not False]  # the US-only role keeps its entry
