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
TARGET_RATIO = 1.5


async def measure(browser, app_url: str, baseline_url: str) -> list[dict]:
    """Median first-render ms per page and for the baseline, with the ratio."""
    targets = {"baseline (one bar chart)": f"{baseline_url}/"}
    targets |= {name: app_url + path for name, path in harness.views().items()}
    times: dict[str, list[harness.Timing]] = {name: [] for name in targets}
    failures: dict[str, list[str]] = {name: [] for name in targets}
    outside: list[str] = []
    for round_no in range(ROUNDS + 1):
        for name, url in targets.items():
            context, page = await harness.new_page(browser, outside)
            timing = await harness.attempt(harness.load(page, url), failures[name])
            await context.close()
            if round_no and timing is not None:
                times[name].append(timing)
    baseline = harness.median([t.total for t in next(iter(times.values()))])
    rows = []
    for name, timings in times.items():
        totals = [t.total for t in timings] or [float("nan")]
        rows.append({"target": name, "median_ms": harness.median(totals), "min_ms": min(totals),
                     "max_ms": max(totals), "run_ms": harness.median([t.run for t in timings]),
                     "ratio": harness.median(totals) / baseline, "failures": failures[name],
                     "outside": len(outside)})
    return rows


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
        + "\n\nTimes from navigation start to every chart drawn; \"run finished at\": when the server's "
        "message that the script run had finished arrived (the rest is the browser drawing)."
        + f"\n\nRequests to hosts other than localhost during these loads: {rows[0]['outside']}."
        + ("\n\nFailed loads:\n" + "\n".join(failures) if failures else "")
    )


async def measure_and_report(browser, app_url: str, baseline_url: str) -> str:
    return report(await measure(browser, app_url, baseline_url))


if __name__ == "__main__":
    harness.run_standalone(measure_and_report)
