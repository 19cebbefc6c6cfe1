"""A load run: 20 concurrent browser sessions for 60 s on loopback, like users.

Sessions are driven from ``WORKERS`` worker processes, each with its own
headless Chromium and ``SESSIONS // WORKERS`` concurrent tabs (asyncio; every
tab is its own Streamlit session; tabs of a worker share one HTTP cache).
Sessions open ``STAGGER_S`` apart, so that 20 cold loads of 8 MB of
JavaScript do not all land at once. Every session opens a random page, then,
until its 60 s are up, waits 2–5 s ("reading") and toggles a country in the
filter, changes the model (where the page has the picker) or follows a
sidebar link to another page. Each action is timed from its input event to
the server's "run finished" message (the rerun time) and to every chart
drawn (no quiet period).

Errors, counted apart: app errors (exception boxes and error alerts on the
page, uncaught page errors, Python tracebacks in the server output) and
failed actions (the driver timed out or could not find an element).
The server is a fresh process; its writes to disk are checked meanwhile
(disk_writes.py). On a 2-core machine the browsers compete with the server
for the CPU: the rerun times then measure the machine, not the app alone.

    python bench/load_run.py
"""

from __future__ import annotations

import asyncio
import random
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import psutil

import disk_writes
import harness

SESSIONS = 20
WORKERS = 4
SECONDS = 60
COUNTRIES = ("Poland", "Germany", "United Kingdom")
STAGGER_S = 1.0  # between the first loads of consecutive sessions (all workers)
THINK_S = (2.0, 5.0)  # a user's pause between actions
LOAD_TIMEOUT_MS = 120_000
ACTION_TIMEOUT_MS = 60_000
STARVED_SEND_TIMEOUT_MS = 15_000


async def _act(page, action: str, rng: random.Random) -> harness.Timing:
    if action == "model" and not await harness.has_model_picker(page):
        action = "country"
    if action == "country":
        return await harness.toggle_country(page, rng.choice(COUNTRIES), settle=False)
    if action == "model":
        return await harness.next_model(page, settle=False)
    return await harness.switch_page(page, rng, settle=False)


async def _user(context, url: str, paths: list[str], rng: random.Random, delay: float) -> dict:
    """One simulated user in its own tab (its own session): timings, app errors, failed actions.

    A failed action (the driver timed out or missed an element) is counted and
    the user carries on, as a person would after a slow click.
    """
    result = {"load_ms": None, "reruns": [], "app_errors": [], "failed": [], "completed": False}
    await asyncio.sleep(delay)
    page = await context.new_page()
    page.on("pageerror", lambda exc: result["app_errors"].append(f"page error: {str(exc)[:200]}"))
    try:
        await page.goto(url + rng.choice(paths), wait_until="commit")
        result["load_ms"] = (await harness.wait_ready(page, "load", settle=False, timeout=LOAD_TIMEOUT_MS)).total
        end = time.monotonic() + SECONDS
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(*THINK_S))
            action = rng.choices(["country", "model", "page"], weights=[3, 2, 1])[0]
            timing = await harness.attempt(_act(page, action, rng), result["failed"], f"{action} on {page.url}: ")
            if timing is not None:
                result["reruns"].append((action, timing.total, timing.run))
            result["app_errors"] += await harness.page_problems(page)
        result["completed"] = True
    except Exception as exc:  # the first load failed: the session never started
        result["failed"].append(f"first load: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await page.close()
    return result


async def _drive(url: str, paths: list[str], sessions: int, worker_no: int) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await harness.launch(playwright)
        context = await harness.new_context(browser)
        context.set_default_timeout(ACTION_TIMEOUT_MS)  # a starved browser is slow to find elements
        results = await asyncio.gather(*(
            _user(context, url, paths, random.Random(worker_no * 1000 + i), STAGGER_S * (i * WORKERS + worker_no))
            for i in range(sessions)
        ))
        await browser.close()
    return list(results)


def worker(url: str, paths: list[str], sessions: int, worker_no: int) -> list[dict]:
    """Entry point of a worker process: ``sessions`` concurrent users in one Chromium."""
    # In this process only: a starved browser may take seconds between a key
    # press and the message it sends; do not take that for an ignored input.
    harness.SEND_TIMEOUT_MS = STARVED_SEND_TIMEOUT_MS
    return asyncio.run(_drive(url, paths, sessions, worker_no))


def measure(data) -> dict:
    paths = [info.url_path for info in harness.available_pages()]
    with harness.BenchServer(data=data) as server:
        watch = disk_writes.DiskWatch(server)
        proc = server.psutil_process
        proc.cpu_percent()
        psutil.cpu_percent()
        rss = [server.rss_mb()]
        started = time.monotonic()
        with ProcessPoolExecutor(WORKERS, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(worker, server.url, paths, SESSIONS // WORKERS, n) for n in range(WORKERS)]
            while not all(f.done() for f in futures):
                time.sleep(1)
                watch.sample()
                rss.append(server.rss_mb())
            server_cpu, machine_cpu = proc.cpu_percent(), psutil.cpu_percent()
            users = [user for f in futures for user in f.result()]
        wall = time.monotonic() - started
        tracebacks = server.tracebacks()
        disk = watch.result()
    return {"users": users, "wall": wall, "rss": rss, "server_cpu": server_cpu, "machine_cpu": machine_cpu,
            "tracebacks": tracebacks, "disk": disk}


def report(r: dict) -> str:
    reruns = [(kind, total, run) for u in r["users"] for kind, total, run in u["reruns"]]
    app_errors = [e for u in r["users"] for e in u["app_errors"]] + [f"server: {t.strip()}" for t in r["tracebacks"]]
    failed = [f for u in r["users"] for f in u["failed"]]
    loads = [u["load_ms"] for u in r["users"] if u["load_ms"] is not None]

    def row(label: str, selected: list[tuple]) -> list:
        totals, runs = [x[1] for x in selected], [x[2] for x in selected]
        return [label, len(selected), f"{harness.median(runs):.0f}", f"{harness.percentile(runs, 95):.0f}",
                f"{harness.median(totals):.0f}", f"{harness.percentile(totals, 95):.0f}"]

    rows = [row("all actions", reruns)]
    rows += [row(kind, [x for x in reruns if x[0] == kind]) for kind in sorted({x[0] for x in reruns})]
    rows += [["first load of each session", len(loads), "", "", f"{harness.median(loads):.0f}",
              f"{harness.percentile(loads, 95):.0f}"]]
    completed = sum(u["completed"] for u in r["users"])

    def listing(items: list[str]) -> str:
        shown = "".join(f"\n  - {item}" for item in items[:8])
        return shown + (f"\n  - … and {len(items) - 8} more" if len(items) > 8 else "")

    return (
        f"### Load run: {SESSIONS} concurrent sessions for {SECONDS} s ({WORKERS} worker processes, "
        f"{SESSIONS // WORKERS} Chromium tabs each)\n\n"
        + harness.table(["", "count", "rerun p50 ms", "rerun p95 ms", "to drawn p50 ms", "to drawn p95 ms"], rows)
        + "\n\nRerun: from the input to the server's message that the run finished; to drawn: until every "
        "chart had drawn too."
        + f"\n\nSessions completed: {completed} of {len(r['users'])} · actions completed: {len(reruns)} · "
        f"errors: {len(app_errors) + len(failed)}\n"
        + f"\n- app errors (exception boxes, error alerts, page errors, server tracebacks): {len(app_errors)}"
        + listing(app_errors)
        + f"\n- failed actions (the driver timed out or missed an element; the user carried on): {len(failed)}"
        + listing(failed)
        + f"\n\nWall time {r['wall']:.0f} s · server CPU {r['server_cpu']:.0f}% of one core on average · "
        f"whole machine {r['machine_cpu']:.0f}% busy · server RSS {r['rss'][0]:.0f} MB at start, "
        f"{max(r['rss']):.0f} MB at peak, {r['rss'][-1]:.0f} MB at the end.\n\n"
        "On two cores the browsers compete with the server: the server got a fraction of the CPU while "
        f"{WORKERS} Chromium processes drew {SESSIONS} pages, so these rerun times are upper bounds for the "
        "app and mostly measure the machine.\n\n"
        + disk_writes.report(r["disk"])
    )


if __name__ == "__main__":
    data, label = harness.data_dir()
    print(harness.machine())
    print(f"App on {label}.\n")
    print(report(measure(data)))
