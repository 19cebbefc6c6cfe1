"""Server memory (RSS) with 1 and with 20 concurrent sessions.

A fresh server process is started; one warm-up session opens every page so
that what the process caches once (data, geometry, imports) is in memory
before sessions are counted. Then one session stays open on the home page
(1 session), and 19 more open, each on a page in turn, and stay open
(20 sessions; tabs of one browser context, each tab its own session). The
difference divided by 19 is the cost of a session.

    python bench/memory.py
"""

from __future__ import annotations

import asyncio

import harness

SESSIONS = 20
TARGET_MB_PER_SESSION = 2.0
BATCH = 5


async def _rss(server: harness.BenchServer, seconds: float = 3) -> float:
    """The highest RSS (MB) seen over a few seconds, once the server has settled."""
    readings = []
    for _ in range(int(seconds / 0.5)):
        await asyncio.sleep(0.5)
        readings.append(server.rss_mb())
    return max(readings)


async def measure(browser, data) -> dict:
    pages = harness.available_pages()
    with harness.BenchServer(data=data) as server:
        idle = await _rss(server)
        context, page = await harness.new_page(browser)
        for info in pages:
            await harness.load(page, server.url + info.url_path, settle=False)
        await context.close()
        warm = await _rss(server)

        context = await harness.new_context(browser)  # every tab is its own session
        tabs = [await context.new_page()]
        await harness.load(tabs[0], server.url + "/")
        one = await _rss(server)
        for start in range(1, SESSIONS, BATCH):
            batch = [await context.new_page() for _ in range(start, min(start + BATCH, SESSIONS))]
            await asyncio.gather(*(
                harness.load(tab, server.url + pages[(start + i) % len(pages)].url_path, settle=False)
                for i, tab in enumerate(batch)
            ))
            tabs += batch
        twenty = await _rss(server)
        await context.close()
        errors = server.tracebacks()
    return {"idle": idle, "warm": warm, "one": one, "twenty": twenty,
            "per_session": (twenty - one) / (SESSIONS - 1), "tracebacks": len(errors)}


def report(r: dict) -> str:
    ok = "yes" if r["per_session"] <= TARGET_MB_PER_SESSION else "**no**"
    return (
        "### Server memory (RSS, MB)\n\n"
        + harness.table(
            ["server idle", "after a warm-up session opened every page", "1 session open", f"{SESSIONS} sessions open",
             "per extra session", f"≤ {TARGET_MB_PER_SESSION:.0f} MB"],
            [[f"{r['idle']:.0f}", f"{r['warm']:.0f}", f"{r['one']:.0f}", f"{r['twenty']:.0f}",
              f"{r['per_session']:.2f}", ok]],
        )
        + f"\n\nServer tracebacks during the run: {r['tracebacks']}."
    )


async def measure_and_report(browser, app_url: str, baseline_url: str) -> str:
    """Uses a server of its own (a fresh process), not the shared one."""
    return report(await measure(browser, harness.data_dir()[0]))


if __name__ == "__main__":
    harness.run_standalone(measure_and_report, servers=())
