"""Downloads and sharing in a real browser: images, CSV, offline HTML, the data ZIP, copied links."""

import io
import struct
import xml.etree.ElementTree as ET
import zipfile

import pytest
from PIL import Image
from playwright.sync_api import expect

from guarantee_atlas import chart, schema
from guarantee_atlas.data import DEFAULT_DATA_DIR, load_dataset
from guarantee_atlas.downloads import chart_csv
from conftest import ARTIFACTS, FIXTURE_DATA, block_requests, wait_for_app

pytestmark = pytest.mark.browser
SVG = "{http://www.w3.org/2000/svg}"
# A standalone file has no Streamlit elements: wait for the base map and the countries.
STANDALONE_MAP_DRAWN_JS = """() => Array.from(document.querySelectorAll('.geolayer .layer.land path'))
    .some(p => (p.getAttribute('d') || '').length > 100) && document.querySelectorAll('.choroplethlocation').length > 0"""
CHART_DATA_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(c =>
    c.data.map(t => [t.name, Array.from(t.locations || t.x || []), Array.from(t.z || t.y || [])]))"""


def _open_chart_page(page, url: str) -> None:
    """Open a page and wait until its charts have drawn (at least one chart)."""
    page.goto(url)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_for_app(page)


def _copied_link(page) -> str:
    """Open the sidebar's "Copy link to this view" popover; the link it shows (then close it)."""
    page.locator('[data-testid="stSidebar"] [data-testid="stPopover"] button').click()
    box = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]')
    expect(box).to_be_visible()
    link = box.inner_text().strip()
    page.keyboard.press("Escape")
    expect(box).to_have_count(0)
    return link


def _download(page, trigger):
    with page.expect_download() as info:
        trigger()
    return info.value


def _modebar_image(page):
    page.locator(".js-plotly-plot").first.hover()
    return _download(page, lambda: page.locator('.modebar-btn[data-title^="Download plot"]').first.click())


def test_modebar_png_and_svg_carry_title_and_sources_on_white(page, fixture_server, outside_requests):
    _open_chart_page(page, f"{fixture_server.url}/?countries=POL")
    png = _modebar_image(page)
    assert png.suggested_filename == "guarantee-atlas_home_overview-map_pol_2024-07-08.png"  # named by how far its facts reach
    data = open(png.path(), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (2400, 1350), "slide size at scale 2"
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    assert image.getpixel((5, 5)) == (255, 255, 255, 255), "solid white background"

    page.get_by_role("radio", name="SVG", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot')?._context?.toImageButtonOptions?.format === 'svg'"
    )
    wait_for_app(page)
    svg = _modebar_image(page)
    assert svg.suggested_filename.endswith("_2024-07-08.svg")
    root = ET.parse(svg.path()).getroot()
    assert (root.get("width"), root.get("height")) == ("1200", "675")
    text = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "How many of the 3 models name each" in text
    assert "Source: Example Publisher" in text and "Guarantee Atlas data v0.0.0-fixture" in text
    background = next(r for r in root.iter(f"{SVG}rect") if "rgb(255, 255, 255)" in (r.get("style") or ""))
    assert background.get("width") == "1200"
    assert outside_requests == []


def test_csv_download_is_the_chart_rows_of_the_linked_view(
    page, fixture_server, run_page, monkeypatch, outside_requests
):
    specs = []
    original = chart.show_chart

    def recording_show_chart(fig, spec, ds, **kwargs):
        specs.append(spec)
        return original(fig, spec, ds, **kwargs)

    monkeypatch.setattr(chart, "show_chart", recording_show_chart)
    run_page("pages/1_map.py", query={"model": "ksc", "countries": "POL"})
    expected = chart_csv(specs[0].data, load_dataset(FIXTURE_DATA))

    _open_chart_page(page, f"{fixture_server.url}/map?model=ksc&countries=POL")
    csv = _download(page, lambda: page.get_by_role("button", name="Download data (CSV)").first.click())
    assert csv.suggested_filename.startswith("guarantee-atlas_map_role-map_ksc_pol_")
    assert open(csv.path(), "rb").read() == expected
    assert b"\nbudapest," not in expected and b"\nksc," in expected
    page.wait_for_timeout(500)
    assert page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state") == "notRunning"
    assert "model=ksc" in page.url and "countries=POL" in page.url, "the download did not reset the view"
    assert outside_requests == []


def test_html_download_draws_offline_map_included(browser, page, fixture_server, tmp_path):
    _open_chart_page(page, f"{fixture_server.url}/?countries=POL")
    html = _download(page, lambda: page.get_by_role("button", name="Download interactive chart (HTML)").click())
    assert html.suggested_filename.endswith(".html")
    path = tmp_path / html.suggested_filename
    html.save_as(path)

    offline = browser.new_context()
    blocked = block_requests(offline, lambda url: url.startswith(("file:", "data:", "blob:")))
    viewer = offline.new_page()
    viewer.goto(path.as_uri())
    viewer.wait_for_function(STANDALONE_MAP_DRAWN_JS, timeout=20_000)  # the base map and the countries drew
    assert viewer.get_by_text("How many of the 3 models name each", exact=False).count() > 0
    assert viewer.get_by_role("link", name="Fixture memorandum text").count() == 1
    viewer.screenshot(path=str(ARTIFACTS / "download-html-offline.png"))
    assert blocked == []
    offline.close()


def test_all_data_zip_on_methodology_page(browser, app_server):
    context = browser.new_context(viewport={"width": 1400, "height": 2600}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{app_server.url}/methodology")
    wait_for_app(page)
    page.screenshot(path=str(ARTIFACTS / "methodology-1400.png"))
    archive = _download(page, lambda: page.get_by_role("button", name="Download all data (ZIP)").click())
    with zipfile.ZipFile(archive.path()) as zipped:
        names = {n.split("/", 1)[1] for n in zipped.namelist()}
        readme = zipped.read(next(n for n in zipped.namelist() if n.endswith("/README.md"))).decode()
    tables = {f"{name}.csv" for name in schema.REQUIRED_TABLES}
    assert tables <= names
    assert {p.name for p in DEFAULT_DATA_DIR.glob("*.csv")} <= names
    assert {"README.md", "CITATION.cff", "LICENCES.md", "VERSION", "CHANGELOG.md"} <= names
    assert all(f"## {table}" in readme for table in tables), "the README describes every table"
    context.close()


def test_copied_link_reproduces_the_view_and_embeds(browser, fixture_server):
    first = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = first.new_page()
    _open_chart_page(page, f"{fixture_server.url}/map")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"] input').fill("Poland")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # close the options list
    expect(sidebar.locator('[data-testid="stMultiSelect"]')).to_contain_text("Poland")
    wait_for_app(page)
    assert "countries=POL" in _copied_link(page)
    page.get_by_role("radio", name="Kyiv Security Compact (2022)").click()
    page.wait_for_function(  # the redrawn map is the Compact's
        "() => (document.querySelector('.atlas-chart')?.getAttribute('aria-label') || '').includes('Kyiv Security Compact')"
    )
    wait_for_app(page)
    link = _copied_link(page)
    assert link.startswith(f"{fixture_server.url}/map?") and "countries=POL" in link and "model=ksc" in link
    shown = page.evaluate(CHART_DATA_JS)
    first.close()

    fresh = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = fresh.new_page()
    _open_chart_page(page, link)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.locator('[data-testid="stMultiSelect"]').get_by_text("Poland").count() == 1
    assert page.evaluate(CHART_DATA_JS) == shown
    assert _copied_link(page) == link

    _open_chart_page(page, f"{link}&embed=true")
    assert page.locator('[data-testid="stSidebar"]').count() == 0, "embed mode: no sidebar"
    assert page.evaluate(CHART_DATA_JS) == shown, "embed mode: same view from the link"
    page.screenshot(path=str(ARTIFACTS / "embed-map-1400.png"))
    fresh.close()
