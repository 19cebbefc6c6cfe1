"""Role map builders and the data shaping behind them (profiles.country_roles, map_headline)."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import FIXTURE_DATA, fixture_registry
from guarantee_atlas import geometry, profiles, theme, vocab
from guarantee_atlas.data import load_dataset
from guarantee_atlas.figures import maps, role_map


@pytest.fixture(scope="module")
def ds():
    return load_dataset(FIXTURE_DATA)


def roles_for(ds, model_id: str, guarantors: pd.DataFrame | None = None) -> pd.DataFrame:
    table = ds.tables["guarantors"] if guarantors is None else guarantors
    return profiles.country_roles(table, ds.registry, model_id, ds.tables["sources"])


def traces_named(fig, name: str, kind: str) -> list:
    """Traces of the main map and of the insets that take over its distant countries (see test_map_frames.py)."""
    return [t for t in fig.data if t.name == name and t.type == kind]


def marker_codes(trace, centroids: dict) -> list[str]:
    """ISO3 of a marker trace's points, found by where they sit."""
    at = {point: code for code, point in centroids.items()}
    return [at[point] for point in zip(trace.lon, trace.lat) if point in at]


def locations(fig, name: str) -> set[str]:
    return {c for t in traces_named(fig, name, "choropleth") for c in t.locations}


def guarantor_row(**values) -> dict:
    row = {
        "model_id": "ksc", "iso3": "DNK", "country": "Denmark", "role": "core_guarantor", "since": pd.NaT,
        "until": pd.NaT, "basis": "sourced", "commitment": None, "note": None, "source_ids": "fx-news",
    }
    return {**row, **values}


# --- profiles.country_roles ----------------------------------------------------


def test_country_roles_one_row_per_country_with_strongest_role(ds):
    roles = roles_for(ds, "budapest").set_index("iso3")
    assert sorted(roles.index) == ["FRA", "RUS", "UKR", "USA"]
    assert roles.loc["RUS", "role"] == "violator"  # strength 5 beats signatory_assurer (4)
    lines = roles.loc["RUS", "role_lines"].split("\n")
    assert lines[0].startswith("Signatory that broke its assurances · since 27 Feb 2014")
    assert lines[1].startswith("Signatory giving assurances · since 5 Dec 1994")
    assert roles.loc["RUS", "publishers"] == "Example Publisher"
    assert roles.loc["FRA", "role_lines"] == "Separate, weaker assurance · date not verified"


def test_country_roles_marks_inferred_and_keeps_commitment(ds):
    ksc = roles_for(ds, "ksc").set_index("iso3")
    assert bool(ksc.loc["FIN", "inferred"]) and ksc.loc["FIN", "basis"] == "inferred"
    assert "inferred" in ksc.loc["FIN", "role_lines"]
    assert not ksc.loc["POL", "inferred"]
    israel = roles_for(ds, "israel").set_index("iso3")
    assert israel.loc["GBR", "commitment"] == "£2.5bn military aid for 2024"


def test_role_line_says_inferred_for_a_role_whose_label_does_not():
    row = pd.Series(guarantor_row(basis="inferred", since=pd.Timestamp("2022-09-13")))
    assert profiles.role_line(row, fixture_registry()) == "Named core guarantor (inferred) · since 13 Sept 2022"


# --- headline numbers ------------------------------------------------------------


def test_map_headline_budapest(ds):
    t = ds.tables
    h = profiles.map_headline(ds.registry, t["guarantors"], t["provisions"], t["comparison"], t["aid"], "budapest")
    assert (h.n_guarantors, h.n_inferred) == (3, 0)  # USA, RUS, FRA; Ukraine is the recipient
    assert h.nuclear_states == ["USA", "RUS", "FRA"]
    assert h.n_legally_binding == 0
    assert "0 of 19 provisions legally binding (12 political commitments, 7 absent)" in h.binding_note
    assert "Legal form: budapest legal_form value." in h.binding_note
    total = t["aid"]["eur_bn"].sum()
    usa = t["aid"].loc[t["aid"]["iso3"] == "USA", "eur_bn"].sum()
    assert h.aid_share_sourced == pytest.approx(usa / total)  # Russia and France gave nothing in the fixture
    assert h.aid_cutoff == pd.Timestamp("2026-04-30")
    assert {"fx-memo", "fx-kiel"} <= set(h.source_ids)


def test_map_headline_counts_binding_only_when_a_provision_is_binding(ds):
    t = ds.tables
    provisions = t["provisions"].copy()
    provisions.loc[(provisions["model_id"] == "ksc") & (provisions["provision"] == "sanctions"), "level"] = "legally_binding"
    h = profiles.map_headline(ds.registry, t["guarantors"], provisions, t["comparison"], t["aid"], "ksc")
    assert (h.n_guarantors, h.n_inferred) == (4, 1)
    assert h.n_legally_binding == 3  # USA, POL, JPN; inferred Finland never counts
    assert "1 of 19 provisions legally binding" in h.binding_note


def test_map_headline_aid_share_with_and_without_inferred(ds):
    t = ds.tables
    aid = pd.concat([t["aid"], t["aid"].iloc[[0]].assign(iso3="FIN", donor="Finland", eur_bn=10.0)], ignore_index=True)
    h = profiles.map_headline(ds.registry, t["guarantors"], t["provisions"], t["comparison"], aid, "ksc")
    total = aid["eur_bn"].sum()
    sourced = aid.loc[aid["iso3"].isin(["USA", "POL"]), "eur_bn"].sum()
    assert h.aid_share_sourced == pytest.approx(sourced / total)
    assert h.aid_share_all == pytest.approx((sourced + 10.0) / total)


def test_nuclear_weapon_states_are_the_npt_five():
    assert set(vocab.NUCLEAR_WEAPON_STATES) == {"USA", "RUS", "GBR", "FRA", "CHN"}


# --- the role map ----------------------------------------------------------------


def test_role_map_strongest_role_wins_fill_and_hover_lists_all(ds):
    fig = role_map.build_role_map(roles_for(ds, "budapest"))
    assert locations(fig, "Signatory that broke its assurances") == {"RUS"}
    assert locations(fig, "Signatory giving assurances") == {"USA"}
    (violator,) = traces_named(fig, "Signatory that broke its assurances", "choropleth")
    assert violator.colorscale[0][1] == theme.ROLE_COLOURS["violator"]
    hover = violator.hovertext[0]
    assert "<b>Russia</b>" in hover and "broke its assurances" in hover and "Signatory giving assurances" in hover
    assert "Source: Example Publisher" in hover


def test_role_map_marks_russia_and_ukraine_in_words_and_symbols(ds):
    fig = role_map.build_role_map(roles_for(ds, "budapest"))
    (russia,) = traces_named(fig, "Signatory that broke its assurances", "scattergeo")
    assert russia.text == ("Russia: broke its assurances",) and russia.marker.symbol == "x"
    (ukraine,) = traces_named(fig, "Recipient (Ukraine)", "scattergeo")
    assert ukraine.text == ("Ukraine",) and ukraine.marker.symbol == "hexagon"
    assert locations(fig, "Recipient (Ukraine)") == {"UKR"}


def test_role_map_inferred_is_lighter_open_and_named(ds):
    guarantors = pd.concat(
        [ds.tables["guarantors"], pd.DataFrame([guarantor_row(basis="inferred")])], ignore_index=True
    )
    fig = role_map.build_role_map(roles_for(ds, "ksc", guarantors))
    (inferred_fill,) = traces_named(fig, "Named core guarantor (inferred)", "choropleth")
    assert list(inferred_fill.locations) == ["DNK"]
    sourced_colour = theme.ROLE_COLOURS["core_guarantor"]
    assert role_map._luminance(inferred_fill.colorscale[0][1]) > role_map._luminance(sourced_colour)
    (inferred_marker,) = traces_named(fig, "Named core guarantor (inferred)", "scattergeo")
    assert inferred_marker.marker.symbol == "circle-open"
    assert "Named core guarantor (inferred)" in inferred_marker.hovertext[0]  # Denmark is small: its marker hovers
    (finland,) = traces_named(fig, "Member of a named group (inferred)", "scattergeo")
    assert finland.marker.symbol == "circle-open"
    (finland_fill,) = traces_named(fig, "Member of a named group (inferred)", "choropleth")
    assert "inferred" in finland_fill.hovertext[0]


def test_role_map_markers_sit_at_centroids_and_carry_iso3(ds):
    centroids = geometry.centroids()
    fig = role_map.build_role_map(roles_for(ds, "ksc"), centroids=centroids, frame="world")
    (core,) = traces_named(fig, "Named core guarantor", "scattergeo")
    codes = [row[0] for row in core.customdata]
    assert codes == ["POL", "USA"]
    assert list(zip(core.lon, core.lat)) == [centroids["POL"], centroids["USA"]]
    assert geometry.country_at(*centroids["POL"]) == "POL"


def test_large_countries_in_europe_hover_on_their_fill_small_and_distant_ones_on_their_marker_too(ds):
    """A country's hover text is in the figure once, unless its fill is too small to find with the mouse."""
    assert role_map.FILL_HOVER_KM2 <= geometry.areas_km2()["POL"] and geometry.areas_km2()["DNK"] < role_map.FILL_HOVER_KM2
    guarantors = pd.concat([ds.tables["guarantors"], pd.DataFrame([guarantor_row(role="core_guarantor")])], ignore_index=True)
    centroids = maps.frame_points("europe")
    fig = role_map.build_role_map(roles_for(ds, "ksc", guarantors))
    markers = traces_named(fig, "Named core guarantor", "scattergeo")
    hovering = {code for t in markers if t.hovertext for code in marker_codes(t, centroids)}
    silent = {code for t in markers if t.hoverinfo == "skip" for code in marker_codes(t, centroids)}
    assert hovering == {"DNK", "USA"} and silent == {"POL"}  # Denmark is small, the USA in an inset
    assert all([row[0] for row in t.customdata] == marker_codes(t, centroids) for t in markers if t.hovertext)
    fills = {code: t for t in traces_named(fig, "Named core guarantor", "choropleth") for code in t.locations}
    assert "<b>Poland</b>" in fills["POL"].hovertext[list(fills["POL"].locations).index("POL")]
    world = role_map.build_role_map(roles_for(ds, "ksc", guarantors), frame="world")  # drawn smaller: every marker hovers
    assert all(t.hovertext for t in traces_named(world, "Named core guarantor", "scattergeo"))


def test_role_map_filter_dims_other_countries_and_outlines_chosen(ds):
    roles = roles_for(ds, "ksc")
    plain = role_map.build_role_map(roles)
    assert all(t.marker.opacity in (None, 1.0) for t in plain.data if t.type == "choropleth")
    fig = role_map.build_role_map(roles, highlight=["POL"])
    opacity = {c: t.marker.opacity for t in fig.data if t.type == "choropleth" and t.legendgroup != "chosen" for c in t.locations}
    assert opacity["POL"] == 1.0 and opacity["USA"] == opacity["FIN"] == role_map.DIM_OPACITY
    markers = traces_named(fig, "Named core guarantor", "scattergeo")
    by_code = {code: t.marker.opacity for t in markers for code in marker_codes(t, maps.frame_points("europe"))}
    assert by_code == {"POL": 1.0, "USA": role_map.DIM_OPACITY}
    (legend_entry,) = [t for t in markers if t.showlegend is not False]
    assert legend_entry.lon == (None,) and legend_entry.marker.opacity is None  # full colour in the legend
    assert all(t.showlegend is False for t in markers if t is not legend_entry)
    outline = [t for t in fig.data if t.legendgroup == "chosen"]
    assert {t.type for t in outline} == {"choropleth", "scattergeo"}
    assert all("Chosen in the country filter" in t.name for t in outline)


def test_role_map_hover_escapes_data_text(ds):
    guarantors = pd.concat(
        [ds.tables["guarantors"], pd.DataFrame([guarantor_row(commitment="<script>alert(1)</script>")])],
        ignore_index=True,
    )
    fig = role_map.build_role_map(roles_for(ds, "ksc", guarantors))
    hovers = " ".join(h for t in fig.data if t.hovertext for h in t.hovertext)
    assert "<script>" not in hovers and "&lt;script&gt;" in hovers


def test_undrawn_countries_lists_kosovo_and_the_eu():
    drawable = geometry.drawable_codes()
    assert "XKX" not in drawable and "POL" in drawable
    assert role_map.undrawn_countries(["POL", "XKX", "EUU", "XKX"], drawable) == ["EU institutions", "Kosovo"]


def test_aid_lines_run_to_kyiv_with_width_by_amount(ds):
    roles = roles_for(ds, "israel")
    totals = profiles.aid_totals(ds.tables["aid"])
    rows = role_map.aid_line_rows(roles, totals, geometry.centroids())
    assert list(rows["iso3"]) == ["USA", "GBR", "POL"]  # by amount; EU and Ukraine have no line
    fig = role_map.build_role_map(roles, aid_lines=rows, aid_cutoff="30 Apr 2026")
    lines = [t for t in fig.data if t.legendgroup == "aid-lines"]
    assert len(lines) == 3 and sum(bool(t.showlegend) for t in lines) == 1
    assert all((t.lon[1], t.lat[1]) == role_map.KYIV for t in lines)
    assert lines[0].line.width == 10 and lines[2].line.width < lines[1].line.width < 10
    assert "€115.39B allocated to 30 Apr 2026" in lines[0].hovertext[0]


def test_line_width_by_square_root():
    assert role_map.line_width(100, 100) == 10
    assert role_map.line_width(25, 100) == 5.5
    assert role_map.line_width(5, 0) == 1.0


def count_legend_entries(fig) -> int:
    """Legend entries a figure shows (traces with showlegend not False)."""
    return sum(1 for t in fig.data if t.showlegend is not False)


@pytest.mark.parametrize("model", fixture_registry().ids)
@pytest.mark.parametrize("highlight", [[], ["POL"], ["POL", "XKX"], ["XKX"]], ids=str)
@pytest.mark.parametrize("small", [False, True])
def test_legend_entries_counts_what_the_map_draws(ds, model, highlight, small):
    roles = roles_for(ds, model)
    lines = None if small else role_map.aid_line_rows(roles, profiles.aid_totals(ds.tables["aid"]), geometry.centroids())
    fig = role_map.build_role_map(roles, highlight, aid_lines=lines, small=small)
    assert role_map.legend_entries(roles, highlight, lines) == count_legend_entries(fig)


def test_small_multiples_share_size_and_scale(ds):
    roles = {m: roles_for(ds, m) for m in ds.registry.ids}
    rows = role_map.small_multiples_legend_rows(roles, highlight=["POL"])
    figures = {m: role_map.build_role_map(r, ["POL"], small=True, legend_rows=rows) for m, r in roles.items()}
    assert rows == max(count_legend_entries(role_map.build_role_map(r, ["POL"], small=True)) for r in roles.values())
    sizes = {(f.layout.height, f.layout.margin.b) for f in figures.values()}
    assert len(sizes) == 1  # same room for the legend, so the same map size
    geos = {f.layout.geo.to_plotly_json().__repr__() for f in figures.values()}
    assert len(geos) == 1
    assert all(not any(t.mode == "markers+text" for t in f.data if t.type == "scattergeo") for f in figures.values())


def test_legend_room_grows_with_entries(ds):
    small = role_map.build_role_map(roles_for(ds, "israel"))
    large = role_map.build_role_map(roles_for(ds, "israel"), legend_rows=8)
    assert large.layout.margin.b - small.layout.margin.b == role_map.LEGEND_ROW * (8 - count_legend_entries(small))


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([{"location": "POL", "curve_number": 0}], "POL"),
        ([{"customdata": ["FIN"], "lat": 64.5, "lon": 26.3}], "FIN"),
        ([], None),
        ([{"lat": 1.0}], None),
    ],
)
def test_clicked_country(points, expected):
    assert role_map.clicked_country(points) == expected
