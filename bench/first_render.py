"""First render of every page against the one-chart baseline, in headless Chromium.

Each load is a fresh browser context (new session, empty HTTP cache), timed
from navigation start to every chart drawn (see harness). One warm-up round
fills the server's caches (the first run of a page imports and builds what it
caches for the whole process); then ``ROUNDS`` rounds load every target once,
interleaved so that drift on a busy machine hits all targets alike.

    python bench/first_render.py
"""

from __future__ import annotations

import harness

ROUNDS = 5
TARGET_RATIO = 1.0  # issue 20: every page's first render at most the one-bar baseline's

# Where a load's time goes, read off the page once it has drawn (Performance API, on the page's clock, ms
# since navigation start): the HTML; Streamlit's frontend code (the last of its scripts and styles to
# arrive); the script run (the server's first "script finished" message); Streamlit's placeholders (the
# last one added, and the last removed: React shows the elements in their place together, see RESULTS.md,
# and a chart element's code runs only then); plotly.js (its download, and
# ready once parsed and run: a mark of the chart element); the charts (the sum of their draws, and the
# end of the last one); the bytes of script the page loaded; the charts on the page, and how many of them
# wait off screen (drawn when scrolled near, see plot_element.js).
BREAKDOWN_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const frontend = resources.filter(r => /\\/static\\/(js|css)\\//.test(r.name));
  const plotly = resources.find(r => r.name.includes('plotly'));
  const ready = performance.getEntriesByName('atlas:plotly-ready')[0];
  const draws = performance.getEntriesByName('atlas:chart-draw');
  const scripts = resources.filter(r => r.initiatorType === 'script' || r.name.endsWith('.js'));
  return {
    html: nav ? nav.responseEnd : null,
    frontend: frontend.length ? Math.max(...frontend.map(r => r.responseEnd)) : null,
    run: (window.__bench.finished || [])[0] ?? null,
    placeholder_added: window.__bench.placeholderAdded,
    placeholder_removed: window.__bench.placeholderRemoved,
    plotly_from: plotly ? plotly.startTime : null,
    plotly_loaded: plotly ? plotly.responseEnd : null,
    plotly_ready: ready ? ready.startTime : null,
    draw_sum: draws.reduce((total, d) => total + d.duration, 0),
    last_draw: draws.length ? Math.max(...draws.map(d => d.startTime + d.duration)) : null,
    script_kb: scripts.reduce((total, r) => total + (r.encodedBodySize || 0), 0) / 1024,
    charts: document.querySelectorAll('.atlas-chart').length,
    waiting: document.querySelectorAll('.atlas-chart[data-state="waiting"]').length,
  };
}"""


async def measure(browser, app_url: str, baseline_url: str) -> list[dict]:
    """Median first-render ms per page and for the baseline, with the ratio."""
    targets = {"baseline (one bar chart)": f"{baseline_url}/"}
    targets |= {name: app_url + path for name, path in harness.views().items()}
    times: dict[str, list[harness.Timing]] = {name: [] for name in targets}
    parts: dict[str, list[dict]] = {name: [] for name in targets}
    failures: dict[str, list[str]] = {name: [] for name in targets}
    outside: list[str] = []
    for round_no in range(ROUNDS + 1):
        for name, url in targets.items():
            context, page = await harness.new_page(browser, outside)
            timing = await harness.attempt(harness.load(page, url), failures[name])
            if round_no and timing is not None:
                times[name].append(timing)
                parts[name].append(await page.evaluate(BREAKDOWN_JS))
            await context.close()
    baseline = harness.median([t.total for t in next(iter(times.values()))])
    rows = []
    for name, timings in times.items():
        totals = [t.total for t in timings] or [float("nan")]
        rows.append({"target": name, "median_ms": harness.median(totals), "min_ms": min(totals),
                     "max_ms": max(totals), "run_ms": harness.median([t.run for t in timings]),
                     "ratio": harness.median(totals) / baseline, "failures": failures[name],
                     "outside": len(outside), "parts": _median_parts(parts[name])})
    return rows


def _median_parts(loads: list[dict]) -> dict:
    """Each part's median over the loads (None where no load had it)."""
    keys = loads[0].keys() if loads else []
    return {k: (harness.median([l[k] for l in loads if l[k] is not None]) if any(l[k] is not None for l in loads)
                else None) for k in keys}


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f}"


def _charts(parts: dict) -> str:
    """'2 of 4' (two wait off screen), '1', or '–' for a page without charts."""
    charts, waiting = parts.get("charts") or 0, parts.get("waiting") or 0
    if not charts:
        return "–"
    return f"{charts - waiting:.0f} of {charts:.0f}" if waiting else f"{charts:.0f}"


def breakdown(rows: list[dict]) -> str:
    body = []
    for r in rows:
        p = r["parts"]
        body.append([r["target"], _ms(p.get("html")), _ms(p.get("frontend")), _ms(p.get("run")),
                     _ms(p.get("placeholder_added")), _ms(p.get("placeholder_removed")),
                     f"{_ms(p.get('plotly_from'))}–{_ms(p.get('plotly_loaded'))}", _ms(p.get("plotly_ready")),
                     _ms(p.get("draw_sum")), _ms(p.get("last_draw")), _ms(r["median_ms"]), _ms(p.get("script_kb")),
                     _charts(p)])
    return (
        "#### Where the time goes (medians, ms since navigation start)\n\n"
        + harness.table(["page", "HTML", "Streamlit frontend code in", "script run finished",
                         "last placeholder added", "elements shown (last placeholder removed)", "plotly.js download",
                         "plotly.js ready", "chart drawing (sum)", "last chart drawn", "all drawn",
                         "script KB (compressed)", "charts drawn"], body)
        + "\n\nThe baseline draws with Streamlit's own plotly (inside its frontend code), so it has no separate "
        "plotly.js row; the app loads the atlas's plotly.js bundle (`static/plotly-atlas.min.js`) once the "
        "first chart element asks for it. While an element's code loads, Streamlit shows a placeholder; React "
        "puts the elements in place of their placeholders together (\"elements shown\"), well after the last "
        "placeholder appeared and its code arrived, and only then does a chart element's code run and ask for "
        "plotly.js."
    )


def report(rows: list[dict]) -> str:
    body = [
        [r["target"], f"{r['median_ms']:.0f}", f"{r['min_ms']:.0f}–{r['max_ms']:.0f}", f"{r['run_ms']:.0f}",
         f"{r['ratio']:.2f}×",
         "" if r["target"].startswith("baseline") else ("yes" if r["ratio"] <= TARGET_RATIO else "**no**"),
         len(r["failures"])]
        for r in rows
    ]
    failures = [f"- {r['target']}: {f}" for r in rows for f in r["failures"]]
    return (
        f"### First render (median of {ROUNDS} fresh loads, after one warm-up round)\n\n"
        + harness.table(["page", "median ms", "range ms", "run finished at (median ms)", "× baseline",
                         f"≤ {TARGET_RATIO}×", "failed"], body)
        + f"\n\nTimes from navigation start to every chart on the first screen ({harness.VIEWPORT['width']}×"
        f"{harness.VIEWPORT['height']} px) drawn: a chart further down waits until it is scrolled near (\"charts "
        "drawn\" below says how many of a page's charts that leaves for later); \"run finished at\": when the server's "
        "message that the script run had finished arrived (the rest is the browser drawing)."
        + f"\n\nRequests to hosts other than localhost during these loads: {rows[0]['outside']}."
        + ("\n\nFailed loads:\n" + "\n".join(failures) if failures else "")
        + "\n\n" + breakdown(rows)
    )


async def measure_and_report(browser, app_url: str, baseline_url: str) -> str:
    return report(await measure(browser, app_url, baseline_url))


if __name__ == "__main__":
    harness.run_standalone(measure_and_report)
