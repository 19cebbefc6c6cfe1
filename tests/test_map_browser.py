"""Map and country profile in Chromium: click a country, deep links, side by side, hover.

Clicking a choropleth country: plotly binds each country's SVG path to a
datum whose ``loc`` is the ISO3 code. ``COUNTRY_POINTS_JS`` finds that path,
samples its bounding box for points inside the fill
(``SVGGeometryElement.isPointInFill``), converts them to page coordinates
with ``getScreenCTM`` and orders them by distance from the role markers
(so the click lands on the fill, not on a marker). ``point_on_country``
then moves the mouse there until plotly's own hover names the country
(its hit test can differ from the SVG's near the antimeridian) and the
test clicks at that point, as a person would. This holds at any size or
projection, unlike fixed pixel positions, and for a country drawn in an inset.
"""

import pytest

from conftest import ARTIFACTS, wait_for_app

COUNTRY_POINTS_JS = """(code) => {
  // A country can be drawn twice (on the map of Europe, clipped, and in an inset):
  // take the first of its paths that shows on screen, at points inside its map's frame.
  const paths = Array.from(document.querySelectorAll('.geolayer path.choroplethlocation'))
    .filter(p => p.__data__ && p.__data__.loc === code);
  for (const path of paths) {
    path.scrollIntoView({block: "center"});  // the page coordinates below are those of the visible page
    const box = path.getBBox(), ctm = path.getScreenCTM();
    const markers = Array.from(document.querySelectorAll('.scattergeo path.point'))
      .map(m => m.getBoundingClientRect()).map(r => [r.x + r.width / 2, r.y + r.height / 2]);
    const points = [];
    for (let i = 1; i < 16; i++) for (let j = 1; j < 16; j++) {
      const local = new DOMPoint(box.x + box.width * i / 16, box.y + box.height * j / 16);
      if (!path.isPointInFill(local)) continue;
      const p = local.matrixTransform(ctm);
      const frame = path.closest("g.geo").getBoundingClientRect();  // its map's frame clips what lies outside
      if (p.x < frame.left || p.x > frame.right || p.y < frame.top || p.y > frame.bottom) continue;
      const clearance = Math.min(Infinity, ...markers.map(([x, y]) => Math.hypot(p.x - x, p.y - y)));
      if (clearance > 6) points.push({x: p.x, y: p.y, clearance});
    }
    if (points.length) return points.sort((a, b) => b.clearance - a.clearance);
  }
  return [];
}"""


def point_on_country(page, code: str, name: str) -> dict:
    """A point inside the country's fill where plotly's hover names it (the mouse is left there)."""
    hover = page.locator(".hoverlayer .hovertext")
    for point in page.evaluate(COUNTRY_POINTS_JS, code)[:12]:
        page.mouse.move(point["x"], point["y"])
        page.wait_for_timeout(150)
        if hover.count() and hover.first.text_content().startswith(name):
            return point
    raise AssertionError(f"no point on the map hovers as {name}")


MAP_DRAWN = ".geolayer path.choroplethlocation"


def open_page(page, url: str, ready: str = MAP_DRAWN) -> None:
    """Open a URL and wait for ``ready`` (the first app state can read 'notRunning' before the script starts)."""
    page.goto(url)
    page.wait_for_selector(ready, state="attached")
    wait_for_app(page)


def screenshot(page, name: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(600)  # plotly redraws at the new width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{name}-{width}.png"))


def no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.browser
def test_hover_says_inferred_and_clicking_poland_opens_its_profile(page, fixture_server, outside_requests):
    open_page(page, f"{fixture_server.url}/map?model=ksc")
    point_on_country(page, "FIN", "Finland")
    assert "Member of a named group (inferred)" in page.locator(".hoverlayer .hovertext").first.text_content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-hover-finland-1400.png"))  # no resize: it would drop the hover

    poland = point_on_country(page, "POL", "Poland")
    page.mouse.click(poland["x"], poland["y"])
    link = page.get_by_role("link", name="Open the profile of Poland")
    link.wait_for()
    screenshot(page, "clicked-poland", 1400, 2400)
    link.click()
    page.wait_for_url("**/country?**")
    page.get_by_role("heading", name="Poland", exact=True).wait_for()
    wait_for_app(page)
    assert "country=POL" in page.url and "model=ksc" in page.url
    assert page.get_by_text("Warsaw").count() == 1
    no_errors(page)
    assert outside_requests == []


@pytest.mark.browser
def test_country_deep_link_opens_the_profile(page, fixture_server, outside_requests):
    open_page(page, f"{fixture_server.url}/country?country=POL", ready="text=Warsaw")
    assert page.get_by_role("heading", name="Poland", exact=True).count() == 1
    assert page.get_by_text("Named core guarantor · since 13 Sept 2022").count() == 1
    assert page.get_by_text("Rank 1 of 3 donors with a GDP share").count() == 1
    screenshot(page, "country-POL", 1400, 2600)
    screenshot(page, "country-POL", 375, 3600)
    no_errors(page)
    assert outside_requests == []


@pytest.mark.browser
def test_side_by_side_view_draws_three_maps(page, fixture_server, outside_requests):
    open_page(page, f"{fixture_server.url}/map?view=side")
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == 3
    for chart in charts.all():
        assert chart.locator(".geolayer path.choroplethlocation").count() >= 2
    sizes = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(c => c._fullLayout.geo._subplot.projection.scale())"
    )
    assert max(sizes) - min(sizes) < 0.01 * max(sizes), f"same scale: {sizes}"
    russia = point_on_country(page, "RUS", "Russia")  # the first map with Russia: Budapest
    page.mouse.click(russia["x"], russia["y"])
    page.get_by_role("link", name="Open the profile of Russia").wait_for()
    screenshot(page, "side", 1400, 1600)
    screenshot(page, "side", 375, 3400)
    no_errors(page)
    assert outside_requests == []


@pytest.mark.browser
def test_real_data_map_notes_what_it_cannot_draw(page, app_server, outside_requests):
    open_page(page, f"{app_server.url}/map?model=israel")
    assert page.get_by_text("Not drawn on the map").count() == 1
    assert page.locator(".geolayer path.choroplethlocation").count() > 20
    screenshot(page, "real-israel", 1400, 2400)
    screenshot(page, "real-israel", 375, 3000)
    no_errors(page)
    assert outside_requests == []


@pytest.mark.browser
def test_a_distant_guarantor_in_an_inset_hovers_and_clicks_like_any_other(page, fixture_server, outside_requests):
    open_page(page, f"{fixture_server.url}/map?model=ksc")
    usa = point_on_country(page, "USA", "United States")  # drawn in the North America inset, not on Europe
    assert "Named core guarantor" in page.locator(".hoverlayer .hovertext").first.text_content()
    page.mouse.click(usa["x"], usa["y"])
    page.get_by_role("link", name="Open the profile of United States").wait_for()
    screenshot(page, "inset-usa", 1400, 2400)
    no_errors(page)
    assert outside_requests == []


MARKER_AT_JS = """([lon, lat]) => {
  const marker = Array.from(document.querySelectorAll('.scattergeo path.point'))
    .find(m => m.__data__ && m.__data__.lonlat && m.__data__.lonlat[0] === lon && m.__data__.lonlat[1] === lat);
  if (!marker) return null;
  marker.scrollIntoView({block: "center"});
  const r = marker.getBoundingClientRect();
  return {x: r.x + r.width / 2, y: r.y + r.height / 2};
}"""


@pytest.mark.browser
def test_the_marker_of_a_large_country_hovers_and_clicks_through_to_its_fill(page, fixture_server, outside_requests):
    """Poland's marker carries no hover text of its own (role_map.FILL_HOVER_KM2): the fill under it answers."""
    from guarantee_atlas.figures import maps

    open_page(page, f"{fixture_server.url}/map?model=ksc")
    marker = page.evaluate(MARKER_AT_JS, list(maps.frame_points("europe")["POL"]))
    assert marker, "Poland's marker is drawn"
    page.mouse.move(marker["x"], marker["y"])
    hover = page.locator(".hoverlayer .hovertext")
    hover.first.wait_for()
    assert hover.first.text_content().startswith("Poland") and "Named core guarantor" in hover.first.text_content()
    page.mouse.click(marker["x"], marker["y"])
    page.get_by_role("link", name="Open the profile of Poland").wait_for()
    no_errors(page)
    assert outside_requests == []
