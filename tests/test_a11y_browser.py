"""Accessibility in Chromium: axe-core on every page and view at desktop and phone width, chart names and descriptions.

axe-core is pinned in tests/a11y/package-lock.json and installed by ``make install-dev``
(``npm ci --prefix tests/a11y``); the tests inject it into each page. The whole report of
each page lands in test-artifacts/axe-<page>-<width>.json.
"""

from __future__ import annotations

import json

import pytest

from conftest import ARTIFACTS, ROOT, wait_for_app
from guarantee_atlas.layout import available_pages

pytestmark = pytest.mark.browser

AXE_JS = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")

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
    return [v for v in violations if v["impact"] in FAILING and not excused(v)]


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
