"""Every chart has a Table view beside it: exactly the chart's rows, with their sources."""

import io

import pandas as pd

from conftest import FIXTURE_DATA, chart_payloads
from guarantee_atlas import downloads
from guarantee_atlas.data import load_dataset
from guarantee_atlas.figures.maps import guarantor_counts

PAGES = [("app.py", {}), ("pages/1_map.py", {}), ("pages/1_map.py", {"view": "side"}), ("pages/2_aid.py", {}),
         ("pages/2_aid.py", {"section": "given"}), ("pages/2_aid.py", {"section": "israel"}),
         ("pages/3_compare.py", {}), ("pages/4_timeline.py", {})]


def _views(at) -> list:
    return [c for c in at.segmented_control if str(c.key).startswith("chart_") and str(c.key).endswith("_view")]


def test_every_chart_offers_chart_or_table_and_opens_on_the_chart(run_page):
    for path, query in PAGES:
        at = run_page(path, query=query, fresh_data=path == "app.py")
        views = _views(at)
        assert len(views) == len(chart_payloads(at)) > 0, f"{path} {query}"
        assert all(v.value == "chart" for v in views)
        assert all(v.label.startswith("Chart or table: ") for v in views), "each switch is named after its chart"


def test_the_table_holds_exactly_the_chart_rows_with_their_sources(run_page):
    at = run_page("app.py", query={"countries": "POL"})
    buttons = at.get("download_button")  # the chart's CSV button stays, whatever the view
    n_charts = len(chart_payloads(at))
    _views(at)[0].set_value("table").run()
    assert len(chart_payloads(at)) == n_charts - 1, "the table replaces the chart"
    assert len(at.get("download_button")) == len(buttons)
    table = at.dataframe[0].value
    ds = load_dataset(FIXTURE_DATA).in_language("en")  # the view a page shows: no *_uk twins
    guarantors = ds.tables["guarantors"]
    shown = guarantors[guarantors["iso3"].isin(guarantor_counts(guarantors, ds.registry)["iso3"])]
    expected = downloads.with_sources(shown, ds).drop(columns="data_version")
    assert list(table.columns) == list(expected.columns)
    assert table["source_ids"].tolist() == expected["source_ids"].tolist()
    assert table["iso3"].tolist() == expected["iso3"].tolist()
    # The CSV offered under it: the same rows (and the data version).
    csv = pd.read_csv(io.BytesIO(downloads.chart_csv(shown, ds)))
    assert csv["iso3"].tolist() == table["iso3"].tolist()
    assert "sources" in table.columns and table["sources"].str.contains("<http").all()
    # Back to the chart.
    _views(at)[0].set_value("chart").run()
    assert len(chart_payloads(at)) == n_charts and len(at.dataframe) == 0


def test_a_table_follows_the_filter_like_its_chart(run_page):
    at = run_page("pages/2_aid.py", query={"section": "given", "countries": "POL"})
    _views(at)[0].set_value("table").run()
    assert set(at.dataframe[0].value["iso3"]) == {"POL"}
    at.multiselect(key="countries").set_value(["POL", "GBR"]).run()
    assert set(at.dataframe[0].value["iso3"]) == {"POL", "GBR"}
    assert isinstance(at.dataframe[0].value, pd.DataFrame)
