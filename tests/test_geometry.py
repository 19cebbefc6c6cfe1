"""The shipped world geometry: Crimea in Ukraine, the small guarantor states drawable."""

import json

import pytest

from guarantee_atlas import geometry


@pytest.mark.parametrize("resolution", [50, 110])
@pytest.mark.parametrize(("city", "lon", "lat"), [("Simferopol", 34.10, 44.95), ("Sevastopol", 33.52, 44.60), ("Dzhankoi", 34.40, 45.71)])
def test_crimea_is_inside_ukraine(resolution, city, lon, lat):
    assert geometry.country_at(lon, lat, resolution) == "UKR", city


def test_neighbours_are_where_they_should_be():
    assert geometry.country_at(37.62, 55.75) == "RUS"  # Moscow
    assert geometry.country_at(21.01, 52.23) == "POL"  # Warsaw
    assert geometry.country_at(30.0, 43.0) is None  # Black Sea


def test_every_guarantor_but_kosovo_is_drawable_at_the_map_resolution():
    from guarantee_atlas.data import load_dataset

    guarantors = load_dataset().tables["guarantors"]
    missing = set(guarantors["iso3"]) - geometry.drawable_codes() - {"EUU"}
    assert missing == {"XKX"}  # Kosovo: absent from the UN geometry; the map page says so
    assert {"MLT", "SGP"} <= geometry.drawable_codes(50) - geometry.drawable_codes(110)


def test_centroids_fall_inside_their_country():
    points = geometry.centroids()
    for code in ("UKR", "USA", "NOR", "FRA", "JPN"):
        assert geometry.country_at(*points[code]) == code


def test_topojson_files_are_plotly_world_files_with_iso3_ids():
    for resolution in (50, 110):
        topo = json.loads(geometry.topojson_path(resolution).read_text())
        assert topo["type"] == "Topology"
        ids = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
        assert {"UKR", "RUS", "USA"} <= ids
