"""Timeline in Chromium: it draws, a range preset moves the axis, Japan's bar is highlighted."""

import csv
import shutil

import pytest

from conftest import ARTIFACTS, FIXTURE_DATA, StreamlitServer, wait_for_app
from guarantee_atlas.figures.timeline import DESKTOP_WIDTH

JAPAN_AGREEMENT = {
    "iso3": "JPN", "partner": "Japan", "date_signed": "2024-06-13", "place": "Apulia", "place_uk": "Апулія",
    "signatories": "Fumio Kishida – Volodymyr Zelensky", "signatories_uk": "Фуміо Кішіда – Володимир Зеленський",
    "duration_years": "10", "pledge_amount": "4.5", "pledge_currency": "USD", "pledge_period": "2024",
    "pledge_period_uk": "2024 р.", "pledge_text": "$4.5bn of support in 2024", "pledge_text_uk": "4,5 млрд дол. США у 2024 р.",
    "consult_24h": "template", "in_official_list": "true", "source_ids": "fx-news",
}
FIGURE = "() => document.querySelector('.js-plotly-plot')"
# Pairs of drawn markers, in one trace (one lane and panel), whose boxes overlap.
OVERLAPPING_MARKERS_JS = f"""() => Array.from(({FIGURE})().querySelectorAll('.scatterlayer .trace')).flatMap(trace => {{
    const boxes = Array.from(trace.querySelectorAll('path.point')).map(p => p.getBoundingClientRect())
        .filter(b => b.width > 0);
    return boxes.flatMap((a, i) => boxes.slice(i + 1)
        .filter(b => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        .map(b => [a.left, a.top, b.left, b.top]));
}})"""


@pytest.fixture(scope="module")
def timeline_server(tmp_path_factory):
    """The app on the fixture data plus Japan's agreement (the fixture has none)."""
    data_dir = tmp_path_factory.mktemp("timeline") / "data"
    shutil.copytree(FIXTURE_DATA, data_dir)
    path = data_dir / "agreements.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([JAPAN_AGREEMENT.get(column, "") for column in header])
    server = StreamlitServer(data_dir=data_dir)
    yield server
    server.stop()


def _x_range(page) -> list[str]:
    return page.evaluate(f"() => ({FIGURE})()._fullLayout.xaxis.range")


def _screenshot(page, name: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(500)  # plotly redraws at the new width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"timeline-{name}-{width}.png"))


@pytest.mark.browser
def test_chart_draws_and_range_preset_changes_axis(page, timeline_server, outside_requests):
    page.goto(f"{timeline_server.url}/timeline")
    page.wait_for_selector(".js-plotly-plot .barlayer path")
    wait_for_app(page)
    assert page.locator(".js-plotly-plot .barlayer path").count() >= 5, "bars drawn"
    assert page.locator(".js-plotly-plot .scatterlayer path.point").count() >= 4, "event markers drawn"
    assert _x_range(page)[0].startswith("1990")
    # The default view: 1991–2021 compressed, 2022– wide; markers kept apart at the width they were packed for.
    layout = page.evaluate(f"() => {{ const l = ({FIGURE})()._fullLayout; return [l.width, l.xaxis2.range[0]]; }}")
    assert abs(layout[0] - DESKTOP_WIDTH) <= 20, "figures.timeline.DESKTOP_WIDTH is the chart's width at 1400 px"
    assert layout[1].startswith("2022-01-01")
    assert page.evaluate(OVERLAPPING_MARKERS_JS) == []
    _screenshot(page, "all", 1400, 2600)
    _screenshot(page, "all", 375, 2600)
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.get_by_role("radiogroup", name="Years shown").get_by_role("radio", name="2014–", exact=True).click()
    # The chart is drawn anew for the new range: wait for the new one (there is none for a moment).
    page.wait_for_function(f"() => String(({FIGURE})()?._fullLayout?.xaxis?.range?.[0]).startsWith('2014')")
    wait_for_app(page)
    assert "period=2014" in page.url
    _screenshot(page, "2014", 1400, 2600)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert outside_requests == []


@pytest.mark.browser
def test_japan_in_country_filter_highlights_japans_bar_and_click_shows_detail(
    page, timeline_server, outside_requests
):
    page.goto(f"{timeline_server.url}/timeline?countries=JPN")
    page.wait_for_selector(".js-plotly-plot .barlayer path")
    wait_for_app(page)
    bar = page.evaluate(
        f"""() => {{
            const trace = ({FIGURE})().data.find(t => t.type === 'bar' && t.y.includes('agreement-JPN'));
            const i = trace.y.indexOf('agreement-JPN'), j = trace.y.indexOf('agreement-POL');
            return {{width: trace.marker.line.width[i], opacity: trace.marker.opacity[i], other: trace.marker.opacity[j]}};
        }}"""
    )
    assert bar["width"] == 3 and bar["opacity"] == 1 and bar["other"] < 0.5
    assert page.locator(".js-plotly-plot .ytick text", has_text="► Japan").count() == 1, "label, not colour alone"
    _screenshot(page, "japan", 1400, 2600)

    # Click Japan's bar (in the default view's wide panel, before today): its full detail and sources appear below.
    x, y = page.evaluate(
        f"""() => {{
            const gd = ({FIGURE})();
            const trace = gd._fullData.find(t => t.type === 'bar' && t.y.includes('agreement-JPN'));
            const xa = gd._fullLayout[trace.xaxis.replace('x', 'xaxis')], ya = gd._fullLayout.yaxis;
            const box = gd.querySelector('.main-svg').getBoundingClientRect();
            return [box.x + xa._offset + xa.d2p('2025-06-13'), box.y + ya._offset + ya.d2p('agreement-JPN')];
        }}"""
    )
    page.mouse.click(x, y)
    detail = page.locator('[data-testid="stMarkdownContainer"]', has_text="Signed in Apulia")
    detail.first.wait_for(timeout=20_000)
    assert detail.get_by_role("link", name="Example News: Fixture news, with a comma").count() == 1

    # The table of entries opens on request, with Japan's rows ticked.
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.get_by_text("Every entry in the chart, as a sortable table").click()
    page.locator('[data-testid="stDataFrame"]').wait_for(timeout=20_000)
    wait_for_app(page)

    _screenshot(page, "japan", 375, 3000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert outside_requests == []
