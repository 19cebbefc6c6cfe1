"""The JSON a chart sends is its figure's, as plotly validates it, though the theme's dict is not validated again."""

import json

import plotly.io as pio
import pytest

from guarantee_atlas import chart
from conftest import ROOT, chart_payloads

REAL_DATA = ROOT / "data"
# Every kind of figure the pages draw: maps (overview, role map, four small ones), aid bars and matrices,
# the scorecard, the timeline, a country's aid by year; in both languages.
VIEWS = [
    ("app.py", {"countries": "POL"}),
    ("pages/1_map.py", {"model": "israel", "countries": "POL,JPN"}),
    ("pages/1_map.py", {"view": "side", "frame": "world"}),
    *[("pages/2_aid.py", {"section": section}) for section in ("promises", "given", "israel")],
    ("pages/3_compare.py", {"lang": "uk"}),
    ("pages/4_timeline.py", {"period": "all", "countries": "POL"}),
    ("pages/5_country.py", {"country": "POL", "lang": "uk"}),
]


@pytest.mark.parametrize(("path", "query"), VIEWS, ids=[f"{p}-{q}" for p, q in VIEWS])
def test_each_chart_sends_the_validated_figures_json(run_page, monkeypatch, path, query):
    sent: list[tuple] = []
    original = chart.themed_figure_json

    def spy(figure, title, source):
        sent.append((figure, title, source))
        return original(figure, title, source)

    monkeypatch.setattr(chart, "themed_figure_json", spy)
    at = run_page(path, data_dir=REAL_DATA, query=query)
    assert not at.exception
    assert sent and len(sent) == len(chart_payloads(at))
    for figure, title, source in sent:
        served = original(figure, title, source)
        validated = chart.themed_figure(figure, title, source).to_json()
        assert json.loads(served) == json.loads(validated), title
        again = pio.json.to_json_plotly(chart.themed_spec(figure, title, source)).encode()
        assert again == served, "validating the shared dict left it as it was"
