"""AppTest: the timeline page on the fixture dataset (5 events, 4 agreements)."""

from conftest import ROOT, chart_elements, plotly_figures

from guarantee_atlas.data import load_dataset

PAGE = "pages/4_timeline.py"
FIXTURE_ROWS = 9  # 5 events (one a span) + 4 agreement terms


def _chart(at) -> dict:
    (figure,) = plotly_figures(at)
    return figure


def _table(at):
    """Open the table of entries (drawn only on request); its rows."""
    at.session_state["timeline_table"] = True
    at.run()
    assert not at.exception
    return at.dataframe[0].value


def _point_ids(figure: dict) -> list[str]:
    return [c[0] for trace in figure["data"] for c in trace["customdata"]]


def test_timeline_draws_lanes_table_and_source_line(run_page):
    at = run_page(PAGE)
    assert not at.exception
    figure = _chart(at)
    names = {(t["type"], t["name"]) for t in figure["data"]}
    assert {("scatter", "Budapest 1994"), ("bar", "Budapest 1994"), ("bar", "Israel-style 2023–")} <= names
    assert len(_point_ids(figure)) == FIXTURE_ROWS
    assert "Source: Example Publisher; Example News" in figure["layout"]["annotations"][-1]["text"]
    assert not at.dataframe, "the table is sent only when asked for"
    table = _table(at)
    assert len(table) == FIXTURE_ROWS, "the table holds the chart's rows"
    assert table["Link"].notna().all()
    assert "Click a marker or bar" in " ".join(c.value for c in at.caption)
    assert at.segmented_control[0].value == "all" and at.query_params["period"] == "all"


def test_model_filter_from_url_keeps_only_that_lane(run_page):
    at = run_page(PAGE, query={"lanes": "budapest"})
    assert not at.exception
    assert at.multiselect(key="lanes").value == ["budapest"]
    figure = _chart(at)
    assert {t["name"] for t in figure["data"]} == {"Budapest 1994"}
    assert sorted(_point_ids(figure)) == ["event-budapest-assurances", "event-budapest-signed"]
    assert len(_table(at)) == 2


def test_bad_lane_in_url_is_reported_and_all_lanes_shown(run_page):
    at = run_page(PAGE, query={"lanes": "nato<script>"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "natoscript" in warnings and "<script>" not in warnings
    assert len(_point_ids(_chart(at))) == FIXTURE_ROWS


def test_no_model_chosen_gives_a_clear_message(run_page):
    at = run_page(PAGE)
    at.multiselect(key="lanes").set_value([]).run()
    assert not at.exception
    assert "Choose at least one model" in " ".join(i.value for i in at.info)
    assert not chart_elements(at) and not at.dataframe


def test_period_preset_sets_the_date_axis(run_page):
    at = run_page(PAGE, query={"period": "2014"})
    assert _chart(at)["layout"]["xaxis"]["range"][0].startswith("2014-01-01")
    assert "xaxis2" not in _chart(at)["layout"], "one scale"
    at.segmented_control[0].set_value("2022").run()
    assert _chart(at)["layout"]["xaxis"]["range"][0].startswith("2022-01-01")
    at.segmented_control[0].set_value("terms").run()
    assert at.query_params["period"] == "terms"
    assert _chart(at)["layout"]["xaxis"]["range"][1] > "2034", "the agreements' whole terms"


def test_default_view_opens_up_2022_to_today(run_page):
    at = run_page(PAGE)
    layout = _chart(at)["layout"]
    assert layout["xaxis"]["range"][1].startswith("2022-01-01") and layout["xaxis2"]["range"][0].startswith("2022-01-01")
    assert layout["xaxis2"]["domain"][1] - layout["xaxis2"]["domain"][0] > 0.6, "2022– gets most of the width"
    assert "“Full terms” shows it whole" in " ".join(c.value for c in at.caption)


def test_country_filter_highlights_its_entries(run_page):
    at = run_page(PAGE, query={"countries": "GBR"})
    assert not at.exception
    figure = _chart(at)
    assert "United Kingdom" in figure["layout"]["title"]["text"].replace("<br>", " ")
    bars = next(t for t in figure["data"] if t["type"] == "bar" and t["name"] == "Israel-style 2023–")
    gbr = bars["y"].index("agreement-GBR")
    assert bars["marker"]["line"]["width"][gbr] == 3
    assert min(bars["marker"]["opacity"]) < 1 == bars["marker"]["opacity"][gbr]
    table = _table(at)
    assert table["Chosen country"].sum() == 3  # the UK agreement, its signing event, the memorandum


def test_country_not_on_the_timeline_is_explained(run_page):
    at = run_page(PAGE, query={"countries": "FRA"})
    assert not at.exception
    assert "names France" in " ".join(i.value for i in at.info)
    figure = _chart(at)
    assert all(min(t["marker"]["opacity"]) == 1 for t in figure["data"]), "nothing dimmed"


def test_clicked_entry_shows_full_detail_and_linked_sources(run_page):
    at = run_page(PAGE)
    at.session_state["chart_timeline_timeline"] = {
        "selection": {"points": [{"customdata": ["agreement-GBR"]}], "point_indices": [0], "box": [], "lasso": []}
    }
    at.run()
    assert not at.exception
    detail = " ".join(m.value for m in at.markdown)
    assert "**United Kingdom: security agreement with Ukraine**" in detail
    assert "Signed in Kyiv by Rishi Sunak – Volodymyr Zelensky" in detail
    assert "(https://example.org/news)" in detail


def test_real_data_one_bar_per_agreement_in_signing_order(run_page):
    ds = load_dataset(ROOT / "data")
    (agreements,) = ds.require("agreements")
    at = run_page(PAGE, data_dir=ROOT / "data", query={"countries": "JPN"})
    assert not at.exception and not at.error
    figure = _chart(at)
    keys = [k for k in figure["layout"]["yaxis"]["tickvals"] if k.startswith("agreement-")]
    assert len(keys) == len(agreements), "one row per partner"
    signed = agreements.set_index("iso3")["date_signed"]
    assert [signed[k.removeprefix("agreement-")] for k in keys] == sorted(signed), "sorted by signing date"
    ticks = dict(zip(figure["layout"]["yaxis"]["tickvals"], figure["layout"]["yaxis"]["ticktext"]))
    assert ticks["agreement-JPN"] == "<b>► Japan</b>"
