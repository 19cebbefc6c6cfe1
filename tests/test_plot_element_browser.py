"""The chart element in Chromium: updated in place, resized with its column, fullscreen."""

import pytest

from conftest import ARTIFACTS, wait_for_app
from test_map_browser import point_on_country

pytestmark = pytest.mark.browser

# The outline trace that marks the countries chosen in the filter, per chart.
CHOSEN_JS = """() => Array.from(document.querySelectorAll('.atlas-chart')).map(c =>
    c.data.filter(t => t.type === 'choropleth').flatMap(t => Array.from(t.locations || [])))"""


def _choose_in_filter(page, name: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"] input').fill(name)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def test_a_filter_change_updates_the_same_plot_without_drawing_it_anew(page, fixture_server, outside_requests):
    page.goto(f"{fixture_server.url}/")
    wait_for_app(page)
    # Mark the drawn plot: a chart drawn anew (st.plotly_chart's remount and Plotly.newPlot) would lose it.
    page.evaluate("() => { document.querySelector('.atlas-chart').__testMark = 'first'; }")
    before = page.get_attribute(".atlas-chart", "aria-label")
    _choose_in_filter(page, "Poland")
    page.wait_for_function(
        """() => { const c = document.querySelector('.atlas-chart');
            return c.dataset.state === 'drawn' && c.data.some(t => Array.from(t.locations || []).includes('POL')
                && t.hoverinfo === 'skip'); }""",
        timeout=30_000,
    )
    wait_for_app(page)
    mark = page.evaluate("() => document.querySelector('.atlas-chart').__testMark")
    assert mark == "first", "the same plot, updated in place (Streamlit's element replaced it)"
    # the title is the page's (above the chart, and the element's label); the map on screen has none of its own
    assert page.get_attribute(".atlas-chart", "aria-label") == before
    assert before.startswith("How many of the 3 models")
    assert page.evaluate("() => document.querySelector('.atlas-chart').layout.title.text") == ""
    assert outside_requests == []


def test_chart_follows_its_column_and_opens_fullscreen(page, fixture_server):
    page.goto(f"{fixture_server.url}/aid")
    wait_for_app(page)
    chart = page.locator(".atlas-chart").first
    wide = chart.evaluate("c => c._fullLayout.width")
    page.set_viewport_size({"width": 700, "height": 1000})
    page.wait_for_function("w => document.querySelector('.atlas-chart')._fullLayout.width < w", arg=wide)
    assert chart.evaluate("c => Math.abs(c._fullLayout.width - c.clientWidth) <= 1"), "plot as wide as its column"
    height = chart.evaluate("c => c._fullLayout.height")
    chart.hover()
    page.locator('.atlas-chart .modebar-btn[data-title="Fullscreen"]').first.click()
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('atlas-chart')")
    page.wait_for_function("""() => document.fullscreenElement._fullLayout.height === window.innerHeight
        && document.fullscreenElement._fullLayout.width === window.innerWidth""")
    buttons = page.evaluate("() => Array.from(document.querySelectorAll('.atlas-chart .modebar-btn')).map(b => b.dataset.title)")
    assert "Fullscreen" in buttons and "Download plot as a PNG" in buttons
    assert not any("Share" in title for title in buttons), "no upload to Plotly's cloud"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chart-fullscreen-700.png"))
    page.evaluate("() => document.exitFullscreen()")
    page.wait_for_function("() => !document.fullscreenElement")
    page.wait_for_function("h => document.querySelector('.atlas-chart')._fullLayout.height === h", arg=height)
    page.wait_for_function("() => document.querySelector('.atlas-chart')._fullLayout.width <= 700")


def test_when_plotly_js_cannot_load_each_chart_says_so_and_the_page_still_works(browser, fixture_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/app/static/plotly-atlas.min.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{fixture_server.url}/aid")
    page.wait_for_selector('.atlas-chart[data-state="error"]', timeout=60_000)
    message = page.locator(".atlas-chart").first.inner_text()
    assert "This chart could not be drawn" in message and "plotly-atlas.min.js" in message
    # The chart gives up as soon as the script fails; the buttons under it come with the rest of the run.
    page.get_by_role("button", name="Download data (CSV)").first.wait_for(state="visible", timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()


def test_a_click_on_a_chart_that_takes_no_clicks_sends_nothing(page, fixture_server):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(f"{fixture_server.url}/")
    wait_for_app(page)
    usa = point_on_country(page, "USA", "United States")
    before = len(sent)
    page.mouse.click(usa["x"], usa["y"])
    page.wait_for_timeout(1500)
    assert len(sent) == before, "the home map takes no clicks: no rerun"


def test_a_notice_above_a_chart_does_not_hide_it_during_the_change(page, app_server):
    """Austria is in no timeline entry: its notice appears above the chart, which stays on screen.

    Without a fixed slot for the notice, Streamlit hid the chart (width 0) for ~200 ms while the
    elements after it moved down (seen on the real data; the fixture's page is too quick).
    """
    page.goto(f"{app_server.url}/timeline")
    wait_for_app(page)
    page.evaluate(
        """() => { window.__widths = [];
        new ResizeObserver(es => es.forEach(e => window.__widths.push(e.contentRect.width)))
            .observe(document.querySelector('.atlas-chart')); }"""
    )
    _choose_in_filter(page, "Austria")
    page.get_by_text("No entry shown here names Austria").wait_for(timeout=15_000)
    wait_for_app(page)
    widths = page.evaluate("() => window.__widths")
    assert widths and 0 not in widths, f"the chart was hidden during the change: widths {widths}"


def test_the_world_geometry_is_fetched_once_for_every_map_on_the_page(page, fixture_server):
    # Four maps side by side, each with inset panels: left to itself, plotly.js fetches the file for every
    # panel that starts drawing before it has arrived; the chart element fetches it once for all of them.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if "world_110m.json" in request.url else None)
    page.goto(f"{fixture_server.url}/map?view=side")
    wait_for_app(page)
    assert page.locator(".atlas-chart").count() >= 3
    assert len(requests) == 1, requests
    panels = page.evaluate("() => [...document.querySelectorAll('.atlas-chart')].map(c => c.querySelectorAll('.geo').length)")
    assert all(n >= 1 for n in panels) and sum(panels) > len(panels), panels  # insets drawn too


STATES_JS = "() => Array.from(document.querySelectorAll('.atlas-chart')).map(c => c.dataset.state)"


@pytest.mark.parametrize("width, height, drawn_first", [(1400, 1000, 2), (375, 800, 1)])
def test_maps_away_from_the_screen_are_drawn_when_they_scroll_near(page, app_server, outside_requests, width, height, drawn_first):
    """Side by side (four models): the maps a reader sees first are drawn, the others when scrolled to."""
    from conftest import CHARTS_DRAWN_JS, FOOTER

    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_server.url}/map?view=side")
    page.get_by_text(FOOTER).first.wait_for()
    page.wait_for_function(CHARTS_DRAWN_JS)  # the first screen: no beforeprint sent
    page.wait_for_timeout(500)
    states = page.evaluate(STATES_JS)
    assert len(states) == 4 and states[:drawn_first] == ["drawn"] * drawn_first
    assert states[-1] == "waiting" and page.locator(".atlas-chart").last.locator(".geolayer").count() == 0
    chosen = width > 640  # (on a phone the sidebar with the filter is closed)
    if chosen:
        _choose_in_filter(page, "Poland")  # an update for a waiting map waits with it
        page.wait_for_function("() => document.querySelector('.atlas-chart').data.some(t => t.legendgroup === 'chosen')")
        page.wait_for_function(CHARTS_DRAWN_JS)
        assert page.evaluate(STATES_JS)[-1] == "waiting"
    page.locator(".atlas-chart").last.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('.atlas-chart')[3].dataset.state === 'drawn'")
    assert page.locator(".atlas-chart").last.locator(".geolayer path.choroplethlocation").count() > 5
    outlined = page.locator(".atlas-chart").last.evaluate(
        "c => c.data.filter(t => t.type === 'choropleth' && t.legendgroup === 'chosen').flatMap(t => Array.from(t.locations))"
    )
    assert ("POL" in outlined) == chosen, "drawn with the filter's latest choice"
    assert outside_requests == []
