"""The chart element: the plotly.js it loads, what it sends, what a click returns."""

from __future__ import annotations

import hashlib
import json
import re
from importlib.metadata import files

import plotly.graph_objects as go

from conftest import ROOT, chart_payloads
from guarantee_atlas import plot_element, theme

MAP = "pages/1_map.py"


def _installed_plotly_js_version() -> str:
    (path,) = [f for f in files("plotly") if str(f).endswith("package_data/plotly.min.js")]
    return re.search(r"plotly\.js v(\d+\.\d+\.\d+)", path.locate().read_text(encoding="utf-8")[:300]).group(1)


def test_served_plotly_js_is_the_recorded_build_of_the_pinned_plotly_js():
    """The bundle is the one `make plotly-bundle` recorded, built from the plotly.js the pinned plotly package
    ships (figures built by plotly.py are drawn by the same plotly.js version): an upgrade must rebuild it."""
    served = ROOT / "static" / plot_element.PLOTLY_JS
    recorded = (ROOT / "static" / f"{plot_element.PLOTLY_JS}.sha256").read_text().split()[0]
    assert hashlib.sha256(served.read_bytes()).hexdigest() == recorded
    lock = json.loads((ROOT / "tools" / "plotly-bundle" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/plotly.js"]["version"] == _installed_plotly_js_version()
    assert plot_element.PLOTLY_URL == theme.STATIC_URL + "plotly-atlas.min.js"


def test_the_bundle_holds_the_traces_the_atlas_draws_and_its_languages():
    code = (ROOT / "static" / plot_element.PLOTLY_JS).read_text(encoding="utf-8")
    for trace in ("scatter", "bar", "choropleth", "scattergeo"):
        assert f'name:"{trace}"' in code, trace
    assert 'name:"uk"' in code and 'name:"scatter3d"' not in code and 'name:"scattermap"' not in code
    assert len(code) < 2_000_000, "the full plotly.js is 4.8 MB; this one ships only what the atlas draws"


def test_payload_carries_the_figure_unchanged_with_config_and_label():
    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"title": {"text": 'Say "<b>" & more'}})
    figure_json = figure.to_json().encode()
    data = plot_element.payload(figure_json, {"displaylogo": False}, 'A "quoted" title', selectable=True)
    sent = json.loads(data)
    assert sent["figure"] == json.loads(figure_json)
    assert sent["config"] == {"displaylogo": False}
    assert sent["label"] == 'A "quoted" title' and sent["selectable"] is True
    assert sent["plotly"] == plot_element.PLOTLY_URL


def test_every_chart_has_a_label_and_only_maps_and_timeline_take_clicks(run_page):
    at = run_page(MAP, query={"view": "side"})
    payloads = chart_payloads(at)
    assert len(payloads) == 3 and all(p["selectable"] for p in payloads)
    for sent in payloads:  # the label is the chart's title, unwrapped: what a screen reader announces
        assert sent["label"].split() == re.sub(r"<[^>]+>", " ", sent["figure"]["layout"]["title"]["text"]).split()
    at = run_page("app.py")
    (home,) = chart_payloads(at)
    assert home["selectable"] is False and home["label"].startswith("How many of the 3 models")


def test_a_click_on_the_map_moves_the_profile_list_to_that_country(run_page):
    at = run_page(MAP, query={"model": "ksc"})
    at.session_state["chart_map_role-map"] = {"selection": {"points": [{"location": "POL"}]}}
    at.run()
    assert not at.exception
    assert at.selectbox(key="map_country").value == "POL"
    assert any(link.proto.label == "Open the profile of Poland" for link in at.get("page_link"))



def test_a_click_seen_before_a_model_change_does_not_pick_again(run_page):
    """The map keeps its last click across model changes (one chart, updated): only a new click picks."""
    at = run_page(MAP, query={"model": "ksc"})
    at.session_state["chart_map_role-map"] = {"selection": {"points": [{"location": "POL"}]}}
    at.run()
    at.selectbox(key="map_country").select(None).run()
    at.segmented_control(key="model").set_value("israel").run()
    assert not at.exception
    assert "Poland" in at.selectbox(key="map_country").options, "Poland could be picked under this model"
    assert at.selectbox(key="map_country").value is None
