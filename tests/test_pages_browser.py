"""Every page, opened by its URL in a fresh browser: set-up, charts, offline."""

import pytest

from guarantee_atlas.layout import available_pages
from conftest import ARTIFACTS, FOOTER, block_requests, is_local, wait_for_app

PAGES = available_pages()

# Titles and source lines (plotly never wraps them; the theme does) that end past their chart's right edge.
TEXT_OVERFLOW_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(chart => {
    const right = chart.querySelector('.main-svg').getBoundingClientRect().right;
    return Array.from(chart.querySelectorAll('.infolayer .gtitle, .infolayer .annotation-text'))
        .filter(text => text.getBoundingClientRect().right > right + 1)
        .map(text => text.textContent.slice(0, 60));
})"""


@pytest.mark.browser
@pytest.mark.parametrize("info", PAGES, ids=[p.page_id for p in PAGES])
@pytest.mark.parametrize("width", [1400, 375])
def test_page_deep_link_has_shared_setup_and_draws_offline(browser, app_server, info, width):
    context = browser.new_context(viewport={"width": width, "height": 2600})
    outside = block_requests(context, is_local)
    page = context.new_page()
    page.goto(f"{app_server.url}{info.url_path}?countries=POL")
    wait_for_app(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{info.page_id}-{width}.png"))

    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    if width >= 1000:  # on a phone the sidebar starts collapsed
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.get_by_text("Countries").count() >= 1
        assert sidebar.get_by_text("Poland").count() >= 1, "the URL's country reached the filter"
    assert page.get_by_text(FOOTER).count() == 1, "footer present"
    for chart in page.locator(".js-plotly-plot").all():
        assert chart.locator("path").count() > 0, "every plotly chart drew"
    overflowing = page.evaluate(TEXT_OVERFLOW_JS)
    assert overflowing == [], "title or source line runs past a chart's edge"
    assert outside == [], f"requests left localhost: {outside[:3]}"
    context.close()
