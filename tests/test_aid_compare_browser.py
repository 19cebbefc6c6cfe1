"""Aid and compare pages in Chromium: charts draw, the model limits the bars, every cell links a source."""

import pytest

from conftest import ARTIFACTS, wait_for_app

# The donors on the y axis of the aid bars (the chart whose title starts "Aid allocated").
AID_BAR_DONORS = """() => {
    const chart = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .find(c => (c.getAttribute('aria-label') || '').startsWith('Aid allocated'));
    if (!chart || !chart.data) return [];  // being drawn anew
    return [...new Set(chart.data.filter(t => t.type === 'bar').flatMap(t => t.y))];
}"""


def _screenshots(page, name: str) -> None:
    """Desktop and phone width (a tall viewport: Streamlit scrolls inside its own container)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1400, 2600), (375, 3000)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(600)  # plotly redraws at the new width
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))


def _every_chart_drew(page) -> int:
    charts = page.locator(".js-plotly-plot").all()
    for chart in charts:
        assert chart.locator(".cartesianlayer path, .plot path").count() > 0, "chart drew"
    return len(charts)


@pytest.mark.browser
def test_aid_charts_draw_and_the_model_limits_the_bars(page, fixture_server, outside_requests):
    page.goto(f"{fixture_server.url}/aid")
    wait_for_app(page)
    assert _every_chart_drew(page) == 1  # what each model promises
    page.get_by_role("radiogroup", name="Show").get_by_role("radio", name="The Israel benchmark").click()
    page.wait_for_function("() => (document.querySelector('.atlas-chart')?.getAttribute('aria-label') || '').startsWith('What Israel-style')")
    wait_for_app(page)
    assert _every_chart_drew(page) == 1 and "section=israel" in page.url

    page.goto(f"{fixture_server.url}/aid?section=given&model=israel")
    wait_for_app(page)
    assert _every_chart_drew(page) == 2  # aid bars, pledges
    assert page.evaluate(AID_BAR_DONORS) == ["United States", "United Kingdom", "Poland"]

    page.get_by_role("radiogroup", name="Model").get_by_role("radio", name="Kyiv Security Compact (2022)").click()
    page.wait_for_function(f"() => ({AID_BAR_DONORS})().length === 2")
    wait_for_app(page)
    assert page.evaluate(AID_BAR_DONORS) == ["United States", "Poland"]
    assert "model=ksc" in page.url
    assert page.locator(".js-plotly-plot .ytick text", has_text="Poland").count() >= 1, "names on the axis"
    _screenshots(page, "aid")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert outside_requests == []


@pytest.mark.browser
def test_every_comparison_cell_links_a_source(page, fixture_server, outside_requests):
    page.goto(f"{fixture_server.url}/compare")
    wait_for_app(page)
    assert _every_chart_drew(page) == 1
    cells = page.locator(".cmp-cell")
    assert cells.count() == 45
    for cell in cells.all():
        assert cell.locator("a[href^='https://']").count() >= 1, "a source link in every cell"
    first = cells.first
    columns = page.evaluate("() => Array.from(document.querySelectorAll('.cmp-row')[0].children).map(c => Math.round(c.getBoundingClientRect().left))")
    assert len(set(columns)) == 3, "the models side by side on a desktop"
    detail = first.locator("details")
    assert not detail.evaluate("d => d.open")
    first.locator("summary").focus()
    page.keyboard.press("Enter")  # opened from the keyboard
    assert detail.evaluate("d => d.open") and detail.locator("p").first.is_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_timeout(300)
    columns = page.evaluate("() => Array.from(document.querySelectorAll('.cmp-row')[0].children).map(c => Math.round(c.getBoundingClientRect().left))")
    assert len(set(columns)) == 1, "one above the other on a phone"
    page.set_viewport_size({"width": 1400, "height": 1000})
    _screenshots(page, "compare")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert outside_requests == []
