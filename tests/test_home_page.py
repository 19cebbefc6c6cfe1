"""AppTest: the home page draws its cards and overview map from the data."""

from conftest import plotly_figures


def test_home_runs_and_shows_a_card_per_model(run_page):
    at = run_page("app.py")
    assert not at.exception
    assert [h.value for h in at.subheader][:3] == ["Budapest 1994", "Kyiv Compact 2022", "Israel-style 2023–"]
    metrics = [m.value for m in at.metric]
    # Fixture: Budapest names USA, RUS, FRA; the Compact four (one inferred).
    assert metrics[:2] == ["3", "4"]
    assert "1 of them inferred from a named group" in [c.value for c in at.caption]


def test_home_overview_map_counts_models(run_page):
    at = run_page("app.py")
    (figure,) = plotly_figures(at)
    traces = {t["name"]: t for t in figure["data"]}
    assert "USA" in traces["Named in 3 of 3 models"]["locations"]
    assert "POL" in traces["Named in 2 of 3 models"]["locations"]
    assert traces["Ukraine (recipient)"]["locations"] == ["UKR"]
    assert "Source:" in figure["layout"]["annotations"][-1]["text"]


def test_home_country_filter_from_url_outlines_country(run_page):
    at = run_page("app.py", query={"countries": "POL,xx<script>"})
    assert not at.exception
    assert at.sidebar.multiselect[0].value == ["POL"]
    (figure,) = plotly_figures(at)
    outline = next(t for t in figure["data"] if t["name"] == "Chosen in the filter" and t["type"] == "choropleth")
    assert outline["locations"] == ["POL"]
    warnings = " ".join(w.value for w in at.warning)
    assert "xxscript" in warnings and "<script>" not in warnings
