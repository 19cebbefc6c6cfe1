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


@pytest.mark.parametrize(("path", "body_text"), [("/compare", "Point by point"), ("/methodology", "How roles and binding levels were coded")])
def test_country_change_on_a_page_that_shows_every_country_resends_the_sidebar_only(page, fixture_server, path, body_text):
    frames = _frames_received(page)
    page.goto(f"{fixture_server.url}{path}")
    wait_for_app(page)
    assert any(body_text.encode() in f for f in frames), "the full run sends the page body"
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("This page shows every country")).to_be_visible()
    seen = len(frames)

    _choose_in_filter(page, "Poland")
    # The link always carries the language, first: it was seeded before the filter.
    expect(page).to_have_url(f"{fixture_server.url}{path}?lang=en&countries=POL", timeout=15_000)
    wait_for_app(page)
    after = b"".join(frames[seen:])
    assert b"Copy link to this view" in after, "the sidebar was drawn again"
    assert body_text.encode() not in after, "the page body was not sent again"
    expect(page.get_by_text(body_text).first).to_be_attached()
    links = sidebar.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links and all("countries=POL" in href for href in links), links
    assert _copied_link(page).endswith(f"{path}?lang=en&countries=POL")


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
