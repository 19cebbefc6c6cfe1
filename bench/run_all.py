"""Every benchmark in one go (``make bench``); prints markdown for bench/RESULTS.md.

Order: first render, filter changes and payload share one app server and one
baseline server; memory and the load run start fresh server processes of
their own. About 8–10 minutes on 2 cores.

    python bench/run_all.py
"""

from __future__ import annotations

import asyncio
import time

import filter_change
import first_render
import harness
import load_run
import memory
import payload


def _section(text: str, name: str, started: float) -> None:
    print(f"{text}\n\n_{name}: {time.monotonic() - started:.0f} s_\n", flush=True)


async def _browser_benchmarks(data, app_url: str, baseline_url: str) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await harness.launch(playwright)
        started = time.monotonic()
        _section(first_render.report(await first_render.measure(browser, app_url, baseline_url)), "first render", started)
        started = time.monotonic()
        _section(filter_change.report(await filter_change.measure(browser, app_url, baseline_url)), "filter change",
                 started)
        started = time.monotonic()
        _section(payload.report(await payload.measure(browser, app_url)), "payload", started)
        started = time.monotonic()
        _section(memory.report(await memory.measure(browser, data)), "memory", started)
        await browser.close()


def main() -> None:
    started = time.monotonic()
    data, label = harness.data_dir()
    print(f"## Benchmarks\n\n{harness.machine()}\n\nApp on {label}.\n", flush=True)
    with harness.BenchServer(data=data) as app, harness.BenchServer(harness.BASELINE_SCRIPT) as baseline:
        asyncio.run(_browser_benchmarks(data, app.url, baseline.url))
        tracebacks = app.tracebacks()
    print(f"Server tracebacks during the browser benchmarks: {len(tracebacks)}.\n", flush=True)
    part = time.monotonic()
    print(harness.machine())
    _section(load_run.report(load_run.measure(data)), "load run", part)
    print(f"_All benchmarks: {time.monotonic() - started:.0f} s._")


if __name__ == "__main__":
    main()
