"""The atlas in Ukrainian, in Chromium: every page at desktop and phone width, the language switch, the pseudo-locale.

Screenshots land in test-artifacts/uk-<page>-<width>.png (look at them: Cyrillic runs
longer than English).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ARTIFACTS, StreamlitServer, wait_for_app
from guarantee_atlas.layout import available_pages
from pseudo_locale import english_left, write_pseudo_catalogue

pytestmark = pytest.mark.browser

PAGES = available_pages()
PAGE_QUERY = {"country": "country=POL&countries=POL"}

# Text the page itself cuts off: an element that ends its text in "…" (a metric's label, a select's value)
# or a heading, button or label that hides what overflows it, or a page (or its main column) wider than the window.
# (Charts are checked by test_pages_browser; the off-screen chart description and Streamlit's skip link are hidden on purpose.)
CLIPPED_JS = """() => {
  const clipped = [];
  for (const el of document.querySelectorAll('[data-testid="stApp"] *')) {
    if (el.closest('svg, .atlas-chart, .atlas-chart-description, [data-testid="stSkipToContent"]')) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (!rect.width || style.visibility === 'hidden') continue;
    const cuts = style.textOverflow === 'ellipsis'
      || (['hidden', 'clip'].includes(style.overflowX) && /^(H[1-6]|BUTTON|LABEL)$/.test(el.tagName));
    if (cuts && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim()) clipped.push(el.textContent.trim().slice(0, 60));
  }
  const main = document.querySelector('[data-testid="stMain"]');
  return {clipped, pageWidth: document.documentElement.scrollWidth, window: window.innerWidth,
          mainWidth: main.scrollWidth, mainShown: main.clientWidth};
}"""


def open_page(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 2400})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    return context, page


@pytest.mark.parametrize("width", [1400, 375])
@pytest.mark.parametrize("info", PAGES, ids=[p.page_id for p in PAGES])
def test_every_page_reads_in_ukrainian_without_clipped_text(browser, app_server, info, width):
    query = PAGE_QUERY.get(info.page_id, "countries=POL")
    context, page = open_page(browser, f"{app_server.url}{info.url_path}?lang=uk&{query}", width)
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"uk-{info.page_id}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.lang") == "uk"
        assert page.locator('[data-testid="stException"]').count() == 0
        title = page.locator("h1").first.inner_text()
        assert re.search("[а-яіїєґ]", title, re.I), f"the page's title is in Ukrainian: {title!r}"
        found = page.evaluate(CLIPPED_JS)
        assert found["pageWidth"] <= found["window"] + 1, f"the page is wider than the window at {width} px"
        # The main column scrolls too when its content is wider (a table): the document alone does not show it.
        assert found["mainWidth"] <= found["mainShown"] + 1, f"the page scrolls sideways at {width} px: {found}"
        assert found["clipped"] == [], f"text cut off at {width} px: {found['clipped'][:5]}"
    finally:
        context.close()


def test_the_language_switch_keeps_the_view(browser, app_server):
    """A copied Ukrainian link opens the same view; English and back keep the filters."""
    context, page = open_page(browser, f"{app_server.url}/map?lang=uk&countries=POL&model=ksc", 1400)
    try:
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert page.evaluate("document.documentElement.lang") == "uk"
        share = sidebar.locator('[data-testid="stPopover"] button').first
        share.click()
        link = page.locator('[data-testid="stCode"] code').first.inner_text()
        params = parse_qs(urlsplit(link).query)
        assert params["lang"] == ["uk"] and params["countries"] == ["POL"] and params["model"] == ["ksc"]
        page.keyboard.press("Escape")

        page_two = context.new_page()  # the copied link, opened fresh
        page_two.goto(link)
        wait_for_app(page_two)
        assert page_two.evaluate("document.documentElement.lang") == "uk"
        page_two.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
        page_two.wait_for_function("document.documentElement.lang === 'en'", timeout=30_000)
        wait_for_app(page_two)
        assert page_two.locator("h1").first.inner_text() == "Map of guarantors"
        query = parse_qs(urlsplit(page_two.url).query)
        assert query["lang"] == ["en"] and query["countries"] == ["POL"] and query["model"] == ["ksc"]
        page_two.locator('[data-testid="stSidebar"]').get_by_role("radio", name="Українська").click()
        page_two.wait_for_function("document.documentElement.lang === 'uk'", timeout=30_000)
        wait_for_app(page_two)
        query = parse_qs(urlsplit(page_two.url).query)
        assert query["lang"] == ["uk"] and query["countries"] == ["POL"] and query["model"] == ["ksc"]
        assert page_two.locator("h1").first.inner_text() != "Map of guarantors"
    finally:
        context.close()


@pytest.mark.parametrize("browser_locale,expected", [("uk-UA", "uk"), ("de-DE", "en")])
def test_a_link_without_lang_opens_in_the_browsers_language(browser, app_server, browser_locale, expected):
    """Ukrainian for a browser that asks for it, else English; the link then carries the language."""
    context = browser.new_context(locale=browser_locale, viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/timeline")
        wait_for_app(page)
        assert page.evaluate("document.documentElement.lang") == expected
        page.wait_for_function("lang => location.search.includes('lang=' + lang)", arg=expected, timeout=30_000)
    finally:
        context.close()


# Visible text of the main area, the sidebar and the charts' SVG, one entry per block of text (a paragraph,
# a heading, a label, a button, a cell, one text of a chart), leaving out links (publishers and titles of
# sources, as published), code (ids, file names, commands), the copy-link box and Streamlit's own skip link.
VISIBLE_TEXT_JS = """() => {
  const blocks = '[data-testid="stApp"] :is(p, li, h1, h2, h3, h4, h5, h6, label, button, th, td, summary, '
    + '[data-testid="stMetricValue"], [data-testid="stMetricLabel"], svg text)';
  const texts = [];
  for (const el of document.querySelectorAll(blocks)) {
    if (el.closest('code, script, style, .atlas-chart-description, [data-testid="stSkipToContent"]')) continue;
    if (el.closest('[class*="st-key-atlas_doc_"]')) continue;  // data/README-uk.md: checked line by line by test_data_docs
    if (el.parentElement && el.parentElement.closest('p, li, label, button, th, td, summary, svg text')) continue;
    const rect = el.getBoundingClientRect();
    if (!rect.width && !rect.height) continue;
    const copy = el.cloneNode(true);
    copy.querySelectorAll('a, code').forEach(el => el.remove());  // sources as published; ids and commands
    const text = copy.textContent.trim();
    if (text) texts.push(text);
  }
  return texts;
}"""


@pytest.fixture(scope="module")
def pseudo_server(tmp_path_factory):
    """The app on the real data with a catalogue that marks every translation ⟦like this⟧."""
    folder = write_pseudo_catalogue(tmp_path_factory.mktemp("pseudo-locale"))
    server = StreamlitServer(env={"GUARANTEE_ATLAS_LOCALE_DIR": str(folder)})
    yield server
    server.stop()


@pytest.mark.parametrize("info", PAGES, ids=[p.page_id for p in PAGES])
def test_pseudo_locale_marks_every_interface_text(browser, pseudo_server, info):
    """Unmarked English words in a Ukrainian page can only be text that skipped the catalogue."""
    query = PAGE_QUERY.get(info.page_id, "countries=POL")
    context, page = open_page(browser, f"{pseudo_server.url}{info.url_path}?lang=uk&{query}", 1400)
    try:
        assert page.get_by_text("⟦").count() > 0
        leftovers = sorted({text for text in page.evaluate(VISIBLE_TEXT_JS) if english_left(text)})
        assert leftovers == [], f"English outside the catalogue on {info.page_id}: {leftovers[:10]}"
    finally:
        context.close()
