"""Filter changes to all charts redrawn, against the baseline's selectbox change.

On every page: ``CHANGES`` changes of the sidebar country filter (adding
``COUNTRY``, then removing it, alternately) and, where the page has the model
picker, ``CHANGES`` model changes (cycling). The baseline is the selectbox
page of ``baseline_app.py``. Each change is timed from its input event to the
rerun finished and every chart redrawn (see harness); medians are printed.

    python bench/filter_change.py
"""

from __future__ import annotations

import floors
import harness

CHANGES = 10
COUNTRY = "Poland"
# Each added once per page, in a server that has never drawn a view with it:
# nothing that depends on the country filter is memoized yet (a first-time change).
NEW_COUNTRIES = tuple(floors.FIRST_TIME_CODES)
FLOOR_TARGET = 1.25  # against the floor of the view's own charts (issue 20)
# Pages of baseline_app.py changed with its selectbox: the baseline, then two references.
BASELINE_ROWS = (
    ("select", "baseline (selectbox → one bar chart)"),
    ("select-map", "reference (selectbox → the home page's world map alone)"),
    ("select-map-element", "reference (the same map drawn by the app's chart element)"),
    ("select-timeline-element", "reference (the timeline page's chart alone, the app's chart element)"),
)
FRAME_ROW = "reference (the app's page frame alone: sidebar, title, footer, around an empty page)"


async def _changes(change, failures: list[str]) -> list[harness.Timing]:
    """``CHANGES`` timed changes; failed ones are noted in ``failures`` and left out."""
    timings = [await harness.attempt(change(), failures) for _ in range(CHANGES)]
    return [t for t in timings if t is not None]


async def _first_time_changes(page, failures: list[str]) -> list[harness.Timing]:
    """Add each of ``NEW_COUNTRIES`` (timed), then remove it again (not timed)."""
    timings = []
    for name in NEW_COUNTRIES:
        timings.append(await harness.attempt(harness.toggle_country(page, name), failures))
        await harness.attempt(harness.toggle_country(page, name), [])
    return [t for t in timings if t is not None]


async def measure(browser, app_url: str, baseline_url: str) -> list[dict]:
    """Median ms per (page, filter) and for the baseline selectbox, with ratios."""
    rows = []
    for variant, target in BASELINE_ROWS:  # the baseline first: every ratio is against it
        context, page = await harness.new_page(browser)
        await harness.load(page, f"{baseline_url}/?variant={variant}")
        failures: list[str] = []
        values = await _changes(lambda: harness.next_select_option(page, "baseline_model"), failures)
        rows.append({"target": target, "filter": "selectbox", "values": values, "failures": failures})
        await context.close()
    data, _label = harness.data_dir()
    with harness.page_frame_server(data) as frame:  # what a change costs any page of the app, with nothing in it
        context, page = await harness.new_page(browser)
        await harness.load(page, frame.url)
        failures = []
        values = await _changes(lambda: harness.toggle_country(page, COUNTRY), failures)
        rows.append({"target": FRAME_ROW, "filter": "country", "values": values, "failures": failures})
        await context.close()
    for name, path in harness.views().items():
        context, page = await harness.new_page(browser)
        await harness.load(page, app_url + path)
        failures = []
        values = await _changes(lambda: harness.toggle_country(page, COUNTRY), failures)
        cpu = await harness.cpu_split(page, lambda: harness.toggle_country(page, COUNTRY))
        floor, floor_cpu = await _floor(browser, baseline_url, name, path, "country", data)
        rows.append({"target": name, "filter": "country", "values": values, "failures": failures, "floor": floor,
                     "cpu": cpu, "floor_cpu": floor_cpu})
        failures = []
        values = await _first_time_changes(page, failures)
        first_floor, _cpu = await _floor(browser, baseline_url, name, path, floors.FIRST_TIME, data, profile=False)
        rows.append({"target": name, "filter": floors.FIRST_TIME, "values": values, "failures": failures,
                     "floor": first_floor[0::2]})  # the floor's changes that add a country (as the view's timed ones)
        if await harness.has_model_picker(page):
            failures = []
            values = await _changes(lambda: harness.next_model(page), failures)
            cpu = await harness.cpu_split(page, lambda: harness.next_model(page))
            floor, floor_cpu = await _floor(browser, baseline_url, name, path, "model", data)
            rows.append({"target": name, "filter": "model", "values": values, "failures": failures, "floor": floor,
                         "cpu": cpu, "floor_cpu": floor_cpu})
        await context.close()
    for row in rows:
        row["median_ms"] = harness.median([t.total for t in row["values"]])
        row["run_ms"] = harness.median([t.run for t in row["values"]])
        row["ratio"] = row["median_ms"] / rows[0]["median_ms"]
        if row.get("floor"):
            row["floor_ms"] = harness.median([t.total for t in row["floor"]])
            row["floor_ratio"] = row["median_ms"] / row["floor_ms"]
    return rows


async def _floor(
    browser, baseline_url: str, view: str, path: str, filter_name: str, data, profile: bool = True
) -> tuple[list[harness.Timing], dict[str, float]]:
    """The view's own charts alone, switched between the same states by a selectbox (floors.py): its changes
    (one through every state and back to the first), and where a change's time goes in the browser."""
    name = floors.capture(view, path, filter_name, data)
    context, page = await harness.new_page(browser)
    await harness.load(page, f"{baseline_url}/?variant=floor&floor={name}")
    change = lambda: harness.next_select_option(page, "baseline_model")  # noqa: E731
    values = await _changes(change, [])
    cpu = await harness.cpu_split(page, change) if profile else {}
    await context.close()
    return values, cpu


def report(rows: list[dict]) -> str:
    body = []
    for r in rows:
        floor = r.get("floor_ms")
        body.append([
            r["target"], r["filter"], f"{r['median_ms']:.0f}",
            f"{min(t.total for t in r['values']):.0f}–{max(t.total for t in r['values']):.0f}" if r["values"] else "–",
            f"{r['run_ms']:.0f}",
            f"{floor:.0f}" if floor else "",
            f"{r['floor_ratio']:.2f}×" if floor else "",
            ("yes" if r["floor_ratio"] <= FLOOR_TARGET else "**no**") if floor else "",
            f"{r['ratio']:.2f}×",
            len(r["failures"]),
        ])
    failures = [f"- {r['target']} {r['filter']}: {f}" for r in rows for f in r["failures"]]
    return (
        f"### Filter change to all charts redrawn (median of {CHANGES})\n\n"
        + harness.table(["page", "filter", "median ms", "range ms", "run finished after (median ms)",
                         "floor ms (its charts alone)", "× floor", f"≤ {FLOOR_TARGET}× floor", "× baseline",
                         "failed"], body)
        + f"\n\nCountry changes alternate between adding {COUNTRY} and removing it; model changes cycle "
        "through the models. From the third change on, the server serves them from its memo "
        "(`guarantee_atlas.memo`: every derived table and themed figure, once per process). "
        f"\"First time\": adding a country no view in this server had drawn before ({', '.join(NEW_COUNTRIES)}; "
        f"median of {len(NEW_COUNTRIES)}), so everything that depends on the filter is computed; its floor "
        "switches the same charts from no country to each of those countries in turn (the median of those "
        "changes), as they differ from Poland's. "
        "\"Floor\": the same view's charts, as the app built them in the same states (captured with AppTest by "
        "`bench/floors.py`), alone on a page of the baseline server and updated by the app's chart element when "
        "a selectbox switches the state (median of the same number of changes, in the same run): what the view's "
        "charts cost with nothing else on the page. The baseline rows: a one-bar chart and references. "
        "The page-frame reference: a page of the app with nothing in it but what every page has (language "
        "switch, country filter, page links, copy-link box, title, footer), on which a country change reruns "
        "the sidebar's filter alone, as on the pages that show every country. "
        "\"Run finished after\": from the input to the server's message that the rerun had finished "
        "(the server's share); the rest is the browser redrawing."
        + ("\n\nFailed changes:\n" + "\n".join(failures) if failures else "")
    )


def cpu_report(rows: list[dict]) -> str:
    """Where a change's time goes in the browser: each part's ms per change, the view's and its floor's."""
    body = []
    for r in rows:
        if "cpu" not in r:
            continue
        app, floor = r["cpu"], r["floor_cpu"]
        body.append([r["target"], r["filter"]]
                    + [f"{app[part]:.0f} / {floor[part]:.0f}" for part in harness.CPU_PARTS]
                    + [f"{sum(app.values()):.0f} / {sum(floor.values()):.0f}"])
    return (
        f"### Where a change's time goes in the browser (ms of main-thread work per change: the view / its floor)\n\n"
        + harness.table(["page", "filter", *harness.CPU_PARTS, "all"], body)
        + f"\n\nChromium's sampling profiler, each time from the input to the change drawn, over "
        f"{harness.PROFILE_CHANGES} more changes of each kind made after the timed ones (profiling slows what it "
        "watches), for the view and for its floor; each sample's own time, "
        "by where its code came from: the atlas's plotly.js bundle, Streamlit's frontend code (React and its "
        "elements), the browser's own work outside any script (style, layout, paint) and garbage collection; "
        "\"other\": the rest, the chart element's code among it. Idle time is left out."
    )


async def measure_and_report(browser, app_url: str, baseline_url: str) -> str:
    rows = await measure(browser, app_url, baseline_url)
    return report(rows) + "\n\n" + cpu_report(rows)


if __name__ == "__main__":
    harness.run_standalone(measure_and_report)
