"""The sidebar in Chromium: on pages that do not use the country filter, a change of it reruns the sidebar only."""

import re

import pytest
from playwright.sync_api import expect

from conftest import wait_for_app
from test_downloads_browser import _copied_link
from test_plot_element_browser import _choose_in_filter

pytestmark = pytest.mark.browser


def _frames_received(page) -> list[bytes]:
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())),
    )
    return frames


def _change(page, url: str, change, param: str) -> tuple[bytes, bytes]:
    """Open ``url`` and make ``change``: what the full run sent, and what was sent once the link held ``param``."""
    frames = _frames_received(page)
    page.goto(url)
    wait_for_app(page)
    seen = len(frames)
    change()
    expect(page).to_have_url(re.compile(rf"[?&]{param}(&|$)"), timeout=15_000)
    wait_for_app(page)
    return b"".join(frames[:seen]), b"".join(frames[seen:])


def _sidebar_links(page) -> list[str]:
    return page.locator('[data-testid="stSidebar"] a').evaluate_all("els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize(
    ("path", "body_text"),
    [
        ("/compare", "Point by point"),
        ("/methodology", "How roles and binding levels were coded"),
        ("/aid", "In numbers"),  # the promises and the Israel benchmark show every country
        ("/aid?section=israel", "Under its 2016 memorandum"),
    ],
)
def test_country_change_on_a_page_that_shows_every_country_resends_the_sidebar_only(page, fixture_server, path, body_text):
    full, after = _change(page, f"{fixture_server.url}{path}", lambda: _choose_in_filter(page, "Poland"), "countries=POL")
    assert body_text.encode() in full, "the full run sends the page body"
    assert b"Copy link to this view" in after, "the sidebar was drawn again"
    assert body_text.encode() not in after, "the page body was not sent again"
    expect(page.get_by_text(body_text).first).to_be_attached()
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("This page shows every country")).to_be_visible()
    links = _sidebar_links(page)
    assert links and all("countries=POL" in href for href in links), links
    copied = _copied_link(page)
    assert "countries=POL" in copied
    if "?" not in path:  # the link carries the language first: it was seeded before the filter
        assert copied.endswith(f"{path}?lang=en&countries=POL"), copied


def test_a_sidebar_only_change_in_ukrainian_keeps_the_sidebar_in_ukrainian(page, fixture_server):
    """A fragment's rerun starts outside the page's language block: the sidebar it redraws stays in the session's
    language (names, captions, page links)."""
    full, after = _change(
        page, f"{fixture_server.url}/compare?lang=uk", lambda: _choose_in_filter(page, "Польща"), "countries=POL"
    )
    assert "Карта гарантів".encode() in after, "the page links were drawn again, in Ukrainian"
    assert b"Map of guarantors" not in after
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Ця сторінка показує всі країни")).to_be_visible()
    expect(sidebar.locator('[data-testid="stMultiSelect"]')).to_contain_text("Польща")
    expect(sidebar.get_by_role("link", name="Карта гарантів")).to_be_visible()


def test_a_page_widget_after_a_sidebar_only_change_keeps_both_in_the_link(page, fixture_server):
    page.goto(f"{fixture_server.url}/compare")
    wait_for_app(page)
    _choose_in_filter(page, "Poland")
    expect(page).to_have_url(f"{fixture_server.url}/compare?lang=en&countries=POL", timeout=15_000)
    wait_for_app(page)
    page.get_by_text("Two models: only their differences").click()
    expect(page.get_by_role("figure", name=re.compile("^Where Budapest 1994 and Israel-style"))).to_be_visible(timeout=15_000)
    wait_for_app(page)
    link = _copied_link(page)
    assert "countries=POL" in link and "show=pair" in link, link
    # The filter still offers the same choice after the page's full rerun.
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')).to_contain_text("Poland")


# Pages whose charts follow the country filter: a change of it reruns their filter-dependent part and the
# sidebar's filter (``PageContext.filtered``), not the page. (path, words of the page's intro, which the part
# does not draw, and the links the change must update besides the sidebar's.)
FILTERED_VIEWS = [
    ("/", "Each card says what a model is", "See the map"),
    ("/map?model=budapest", "Countries are coloured by their strongest role", None),
    ("/map?view=side", "Countries are coloured by their strongest role", None),
    ("/timeline", "From nuclear disarmament", None),
    ("/aid?section=given", "Each part has its own link", None),
    ("/country?country=POL", "its bilateral security agreement", "See on the map"),
]


@pytest.mark.parametrize(("path", "intro", "link_text"), FILTERED_VIEWS)
def test_country_change_on_a_filtered_page_reruns_what_follows_the_filter_only(page, fixture_server, path, intro, link_text):
    charts = []
    def choose():
        charts.append(page.locator(".atlas-chart").count())
        _choose_in_filter(page, "Germany")

    full, after = _change(page, f"{fixture_server.url}{path}", choose, "countries=DEU")
    assert intro.encode() in full, "the full run sends the intro"
    assert b"Copy link to this view" in after, "the sidebar's filter part was drawn again"
    assert intro.encode() not in after, "the rest of the page was not sent again"
    expect(page.get_by_text(intro).first).to_be_attached()
    assert page.locator(".atlas-chart").count() == charts[0], "every chart is still on the page"
    links = _sidebar_links(page)
    assert links and all("countries=DEU" in href for href in links), links
    if link_text:  # links outside the part, in slots it fills: they carry the new choice too
        hrefs = page.locator('[data-testid="stMain"] a', has_text=link_text).evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        assert hrefs and all("countries=DEU" in href for href in hrefs), hrefs
    assert "countries=DEU" in _copied_link(page)


# A view's own widgets (outside the country filter's part) rerun the view, not the page: (path, the widget's
# key, the option clicked, what the link then holds, words of the page's intro, words the view draws again).
VIEW_CHANGES = [
    ("/map?model=budapest&countries=POL", "model", "Kyiv Security Compact", "model=ksc",
     "Countries are coloured by their strongest role", "How these are counted"),
    ("/timeline?countries=POL", "period", "2014–", "period=2014", "From nuclear disarmament", "Download data (CSV)"),
]


@pytest.mark.parametrize(("path", "key", "option", "param", "intro", "redrawn"), VIEW_CHANGES)
def test_a_view_widget_reruns_the_view_not_the_page(page, fixture_server, path, key, option, param, intro, redrawn):
    click = lambda: page.locator(f".st-key-{key} button", has_text=option).first.click()  # noqa: E731
    _full, after = _change(page, f"{fixture_server.url}{path}", click, param)
    assert intro.encode() not in after, "the page's intro was not sent again"
    assert redrawn.encode() in after, "the view was drawn again"
    links = _sidebar_links(page)
    assert links and all("countries=POL" in href for href in links), links
    assert param in _copied_link(page)
