"""AppTest: the map page (one model or three side by side), headline numbers, profile link."""

from __future__ import annotations

from conftest import plotly_figures

MAP = "pages/1_map.py"


def traces(figure: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for trace in figure["data"]:
        out.setdefault(trace.get("name"), []).append(trace)
    return out


def choropleth_codes(figure: dict, name: str) -> set[str]:
    return {c for t in traces(figure).get(name, []) if t["type"] == "choropleth" for c in t["locations"]}


def test_map_defaults_to_budapest_with_headline_numbers(run_page):
    at = run_page(MAP)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Guarantors": "3",
        "With a legally binding commitment": "0 of 3",
        "Nuclear-weapon states among them": "3",
        "Their share of all aid to Ukraine": "51%",  # USA €115.39bn of €227.0bn
    }
    captions = " ".join(c.value for c in at.caption)
    assert "How these are counted." in captions and "0 of 19 provisions legally binding" in captions
    assert "United States, Russia, France" in captions
    (figure,) = plotly_figures(at)
    title = figure["layout"]["title"]["text"].replace("<br>", " ")
    assert title == "Budapest Memorandum (1994): who stands behind Ukraine, by role (facts to February 2014)"
    assert choropleth_codes(figure, "Signatory that broke its assurances") == {"RUS"}
    assert choropleth_codes(figure, "Recipient (Ukraine)") == {"UKR"}


def test_map_model_from_url_shows_inferred_members(run_page):
    at = run_page(MAP, query={"model": "ksc"})
    assert not at.exception
    assert at.metric[0].value == "4"
    assert "1 of them inferred from a named group" in " ".join(c.value for c in at.caption)
    (figure,) = plotly_figures(at)
    assert choropleth_codes(figure, "Member of a named group (inferred)") == {"FIN"}


def test_map_country_filter_dims_the_rest(run_page):
    at = run_page(MAP, query={"model": "ksc", "countries": "POL"})
    (figure,) = plotly_figures(at)
    opacity = {
        code: t["marker"]["opacity"]
        for t in figure["data"]
        if t["type"] == "choropleth" and t.get("legendgroup") != "chosen"
        for code in t["locations"]
    }
    assert opacity["POL"] == 1 and opacity["USA"] < 1
    assert any("Chosen in the country filter" in (t.get("name") or "") for t in figure["data"])


def test_map_side_by_side_draws_three_maps_at_one_size(run_page):
    at = run_page(MAP, query={"view": "side"})
    assert not at.exception
    figures = plotly_figures(at)
    assert [f["layout"]["title"]["text"].replace("<br>", " ") for f in figures] == [
        "Budapest 1994: 3 guarantors (facts to February 2014)",
        "Kyiv Compact 2022: 4 guarantors (facts to January 2024)",
        "Israel-style 2023–: 3 guarantors (facts to July 2024)",
    ]
    # one map size: the figure grows with its title's lines, the plot area does not
    assert len({f["layout"]["height"] - f["layout"]["margin"]["t"] - f["layout"]["margin"]["b"] for f in figures}) == 1
    assert not at.metric  # headline numbers belong to the one-model view
    options = at.selectbox(key="map_country").options
    assert {"Russia", "Finland", "United Kingdom"} <= set(options)  # every country on the three maps


def test_map_unknown_view_falls_back_with_a_notice(run_page):
    at = run_page(MAP, query={"view": "3d<b>"})
    assert not at.exception
    assert len(plotly_figures(at)) == 1
    warnings = " ".join(w.value for w in at.warning)
    assert "view" in warnings and "3db" in warnings and "<b>" not in warnings


def test_map_selectbox_links_to_the_country_profile(run_page):
    at = run_page(MAP, query={"model": "ksc"})
    at.selectbox(key="map_country").select("POL").run()
    links = [link.proto for link in at.get("page_link") if link.proto.label == "Open the profile of Poland"]
    assert len(links) == 1
    assert links[0].page == "country" and links[0].query_string == "lang=en&model=ksc&country=POL"


def test_map_lists_countries_it_cannot_draw(run_page, fixture_data_dir):
    with (fixture_data_dir / "guarantors.csv").open("a", encoding="utf-8") as handle:
        handle.write("israel,XKX,Kosovo,g7_declaration,2023-08-21,,sourced,,,,,fx-news\n")
    at = run_page(MAP, data_dir=fixture_data_dir, query={"model": "israel"})
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "Not drawn on the map" in notes and "Kosovo" in notes
    assert "Kosovo" in at.selectbox(key="map_country").options  # reachable without the map


def test_map_aid_lines_toggle_adds_lines_and_aid_to_the_download(run_page):
    at = run_page(MAP, query={"model": "israel"})
    at.toggle[0].set_value(True).run()
    assert not at.exception
    (figure,) = plotly_figures(at)
    lines = [t for t in figure["data"] if t.get("legendgroup") == "aid-lines"]
    assert len(lines) == 3  # USA, GBR, POL have aid in the fixture


def test_map_names_a_broken_table_instead_of_failing(run_page, fixture_data_dir):
    (fixture_data_dir / "provisions.csv").write_text("model_id,provision\nbudapest,cyber\n", encoding="utf-8")
    at = run_page(MAP, data_dir=fixture_data_dir)
    assert not at.exception
    assert "data/provisions.csv" in " ".join(e.value for e in at.error)


def test_map_profile_choice_resets_when_the_model_no_longer_names_the_country(run_page):
    at = run_page(MAP, query={"model": "ksc"})
    at.selectbox(key="map_country").select("POL").run()
    at.segmented_control(key="model").set_value("budapest").run()
    assert not at.exception
    assert at.selectbox(key="map_country").value is None
    assert not [link for link in at.get("page_link") if "profile of" in link.proto.label]
