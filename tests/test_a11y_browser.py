"""Accessibility in Chromium: axe-core on every page and view at desktop and phone width, chart names and descriptions.

axe-core is pinned in tests/a11y/package-lock.json and installed by ``make install-dev``
(``npm ci --prefix tests/a11y``); the tests inject it into each page. The whole report of
each page lands in test-artifacts/axe-<page>-<width>.json.
"""

from __future__ import annotations

import json

import pytest

from conftest import ARTIFACTS, FOOTER, ROOT, wait_for_app
from guarantee_atlas.layout import available_pages

pytestmark = pytest.mark.browser

AXE_JS = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")
# Moderate in axe-core's grading, but the structure a screen-reader user moves by: fail on them too.
ALWAYS_FAILING = ("heading-order", "page-has-heading-one", "landmark-one-main", "document-title", "html-has-lang")

# Violations inside Streamlit's own frontend that the app cannot fix, each with the reason.
# A violation is excused only when every one of its elements matches (rule id, a piece of the
# element's HTML); anything else fails the test. None is needed today: every serious or
# critical violation axe-core found (captions and their links at 3.0–3.9:1) was the app's to fix
# (theme.CAPTION_TEXT). Add one here, with its reason, only for what the app cannot reach.
EXCEPTIONS: dict[str, list[tuple[str, str]]] = {}

# What a page needs to show all it has: the country page needs a country.
PAGE_QUERY = {"country": "?country=POL&countries=POL"}
VIEWS = [
    ("map-side", "/map?view=side&countries=POL"),
    ("aid-given", "/aid?section=given&countries=POL,DEU"),
    ("aid-israel", "/aid?section=israel"),
    ("compare-pair", "/compare?show=pair"),
]

RUN_AXE_JS = """async () => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, tags: v.tags,
        nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 300),
                                   summary: (n.failureSummary || '').slice(0, 300) })),
    }));
}"""


def axe_violations(page) -> list[dict]:
    """Every violation axe-core finds on the page as it is now."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is not installed at {AXE_JS}: run `make install-dev` (npm ci --prefix tests/a11y).")
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE_JS)


def excused(violation: dict) -> str | None:
    """The documented reason when every element of the violation is a known Streamlit exception."""
    for html_part, reason in EXCEPTIONS.get(violation["id"], []):
        if all(html_part in node["html"] for node in violation["nodes"]):
            return reason
    return None


def failing(violations: list[dict]) -> list[dict]:
    return [
        v for v in violations if (v["impact"] in FAILING or v["id"] in ALWAYS_FAILING) and not excused(v)
    ]


def _check(browser, url: str, name: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 1200})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    violations = axe_violations(page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}-{width}.json").write_text(json.dumps(violations, indent=1), encoding="utf-8")
    context.close()
    problems = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — e.g. {v['nodes'][0]['html'][:160]}"
        for v in failing(violations)
    ]
    assert problems == [], f"{name} at {width} px:\n" + "\n".join(problems)


PAGES = available_pages()


@pytest.mark.parametrize("width", [1400, 375])
@pytest.mark.parametrize("info", PAGES, ids=[p.page_id for p in PAGES])
def test_no_serious_or_critical_violations_on_any_page(browser, app_server, info, width):
    query = PAGE_QUERY.get(info.page_id, "?countries=POL")
    _check(browser, f"{app_server.url}{info.url_path}{query}", info.page_id, width)


@pytest.mark.parametrize("name,path", VIEWS, ids=[v[0] for v in VIEWS])
def test_no_serious_or_critical_violations_in_other_views(browser, app_server, name, path):
    _check(browser, f"{app_server.url}{path}", name, 1400)


def test_each_chart_is_a_named_figure_described_by_its_rows(page, fixture_server):
    page.goto(f"{fixture_server.url}/")
    wait_for_app(page)
    chart = page.locator(".atlas-chart").first
    assert chart.get_attribute("role") == "figure"
    assert chart.get_attribute("aria-label").startswith("How many of the 3 models")
    described_by = chart.get_attribute("aria-describedby")
    description = page.locator(f"#{described_by}")
    assert description.inner_text().startswith("Map of ")
    assert "No country is highlighted" in description.inner_text()
    # The same words under "Describe this chart".
    page.get_by_text("Describe this chart").first.click()
    assert page.get_by_text(description.inner_text()[:40]).count() >= 1
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"] input').fill("Poland")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function(
        "id => document.getElementById(id)?.textContent.includes('Poland (in the chart)')", arg=described_by,
        timeout=30_000,
    )


def test_the_table_view_is_a_table_for_screen_readers(page, fixture_server):
    page.goto(f"{fixture_server.url}/aid?section=given&countries=POL,GBR")
    wait_for_app(page)
    page.get_by_role("radio", name="Table").first.click()
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30_000)
    # The grid draws on a canvas and keeps an ARIA grid (a <table role="grid">) of the rows in view
    # for screen readers, with the whole table's row and column counts.
    table = grid.locator('table[role="grid"]')
    table.wait_for(state="attached", timeout=30_000)
    headers = [h.text_content() for h in table.locator('[role="columnheader"]').all()]
    assert "donor" in headers, headers
    # Columns out of view are counted, not drawn (the sources column among them).
    assert int(table.get_attribute("aria-colcount")) >= len(headers)
    assert table.get_attribute("aria-rowcount") == "7", "a header row and the 6 rows of 2 donors × 3 aid types"
    assert "United Kingdom" in table.locator('[role="gridcell"]').all_text_contents()
    assert failing(axe_violations(page)) == [], "the table view passes the checker too"


def test_every_page_names_its_view_in_the_title_and_its_language(page, fixture_server):
    for info in PAGES:
        page.goto(f"{fixture_server.url}{info.url_path}")
        page.get_by_text(FOOTER).first.wait_for(timeout=60_000)
        assert page.evaluate("() => document.documentElement.lang") == "en"
        assert page.title() == f"{info.label if info.page_id != 'home' else 'Who guarantees Ukraine' + chr(39) + 's security?'} · Guarantee Atlas"


# The focused element, or the box drawn round it (a text field's border), shows an outline, a
# shadow ring or a border in the theme's primary colour (#0072B2).
FOCUS_SHOWN_JS = """() => { let el = document.activeElement;
    for (let depth = 0; el && depth < 5; depth++, el = el.parentElement) {
        const s = getComputedStyle(el);
        if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return true;
        if (s.boxShadow !== 'none') return true;
        if ([s.borderTopColor, s.borderBottomColor].includes('rgb(0, 114, 178)')) return true;
    }
    return false; }"""


def _tab_to(page, predicate: str, what: str, limit: int = 200) -> None:
    """Press Tab until the focused element satisfies ``predicate`` (JS, on ``el``); focus must stay visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!(el && ({predicate})); }}"):
            outline = page.evaluate(FOCUS_SHOWN_JS)
            assert outline, f"{what}: focused without a visible focus indicator"
            return
    raise AssertionError(f"Tab never reached {what}")


def test_keyboard_only_choose_a_country_switch_a_chart_to_its_table_download_and_open_the_profile(page, fixture_server):
    page.goto(f"{fixture_server.url}/map?model=ksc")
    wait_for_app(page)
    page.locator("body").focus()
    # The country filter in the sidebar: type, Enter picks, Escape closes the list.
    _tab_to(page, "el.tagName === 'INPUT' && el.closest('[data-testid=stSidebar] [data-testid=stMultiSelect]')",
            "the country filter")
    page.keyboard.type("Poland")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('countries=POL')", timeout=30_000)
    wait_for_app(page)
    # The map's Chart | Table switch: one tab stop (the choice made), arrows move along it, Space picks.
    _tab_to(page, "el.getAttribute('role') === 'radio' && el.closest('[class*=\"st-key-chart_map_role-map_view\"]')",
            "the chart's Chart | Table switch")
    page.keyboard.press("ArrowRight")
    assert "Table" in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Space")
    table = page.locator('[data-testid="stDataFrame"] table[role="grid"]')
    table.wait_for(state="attached", timeout=30_000)
    assert page.locator(".atlas-chart").count() == 0, "the table took the chart's place"
    # Download the CSV with Enter.
    _tab_to(page, "el.tagName === 'BUTTON' && el.closest('[class*=\"st-key-chart_map_role-map_csv\"]')",
            "Download data (CSV)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    # The country list under the map (the keyboard's way to the click on a country), then its link.
    _tab_to(page, "el.tagName === 'INPUT' && el.closest('[class*=\"st-key-map_country\"]')", "the country list")
    page.keyboard.type("Poland")
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Open the profile of Poland")
    link.wait_for(timeout=30_000)
    _tab_to(page, "el.tagName === 'A' && el.textContent.includes('Open the profile of Poland')", "the profile link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/country?**", timeout=30_000)
    page.get_by_role("heading", name="Poland", exact=True).wait_for(timeout=30_000)


# 200 % zoom of a 1400 px window: 700 CSS px at two device pixels each.
@pytest.mark.parametrize("info", PAGES, ids=[p.page_id for p in PAGES])
def test_every_page_works_at_200_percent_zoom(browser, app_server, info):
    context = browser.new_context(viewport={"width": 700, "height": 1000}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{app_server.url}{info.url_path}{PAGE_QUERY.get(info.page_id, '')}")
    wait_for_app(page)
    overflow = page.evaluate("""() => { const main = document.querySelector('[data-testid="stMain"]');
        return [main.scrollWidth, main.clientWidth]; }""")
    assert overflow[0] <= overflow[1] + 1, f"the page scrolls sideways at 200 %: {overflow}"
    for chart in page.locator(".js-plotly-plot").all():
        assert chart.locator("path").count() > 0, "every chart drew"
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()


def test_reduced_motion_stops_every_animation(browser, app_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, reduced_motion="reduce")
    page = context.new_page()
    for path in ("/", "/map?view=side", "/timeline"):
        page.goto(f"{app_server.url}{path}")
        wait_for_app(page)
        running = page.evaluate("() => document.getAnimations().filter(a => a.playState === 'running').length")
        assert running == 0, f"{path}: {running} animations run although the reader asked for reduced motion"
        moving = page.evaluate("""() => Array.from(document.querySelectorAll('*'))
            .filter(e => getComputedStyle(e).transitionDuration.split(',').some(d => parseFloat(d) > 0)).length""")
        assert moving == 0, f"{path}: {moving} elements still transition"
    context.close()
