"""Bytes each page render sends over the websocket, per chart, and the static files it fetches.

Every websocket frame the browser receives is a Streamlit ``ForwardMsg``;
frames are decoded and sorted into plotly figures (the figure JSON, and the
envelope ``plot_element`` sends it in: plotly config and label), data frames (Arrow) and everything else. Measured on a fresh
load of each page and on one country change after it (Streamlit then sends
unchanged large elements as references to what the browser already holds).

    python bench/payload.py
"""

from __future__ import annotations

import json

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

import harness
from guarantee_atlas import plot_element

FIGURE_BUDGET = 100 * 1024
DATAFRAME_ELEMENTS = {"dataframe", "table"}


def classify(frames: list[bytes]) -> dict:
    """Totals and per-chart figure bytes of a list of ForwardMsg frames."""
    out = {"total": 0, "figures": [], "dataframes": 0, "references": 0}
    for frame in frames:
        out["total"] += len(frame)
        msg = ForwardMsg.FromString(frame)
        if msg.WhichOneof("type") == "ref_hash":
            out["references"] += 1
            continue
        element = msg.delta.new_element if msg.WhichOneof("type") == "delta" else None
        kind = element.WhichOneof("type") if element is not None else None
        if kind == "bidi_component" and element.bidi_component.component_name == plot_element.COMPONENT_NAME:
            # plot_element's payload: the figure JSON inside a small envelope (config, label).
            chart = element.bidi_component
            sent = json.loads(chart.bytes)
            envelope = len(plot_element.payload(b"", sent["config"], sent["label"], sent["selectable"]))
            out["figures"].append({
                "title": sent["label"][:70] or chart.id[-40:],
                "spec": len(chart.bytes) - envelope,
                "config": envelope,
            })
        elif kind in DATAFRAME_ELEMENTS:
            out["dataframes"] += len(frame)
    return out


STATIC_ENTRIES_JS = """() => performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/app/static/'))
    .map(e => ({file: e.name.split('/app/static/')[1], transferred: e.transferSize, size: e.decodedBodySize}))"""


def _record(page) -> list[bytes]:
    """Start recording the websocket frames ``page`` receives."""
    frames: list[bytes] = []

    def on_websocket(ws):
        ws.on("framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes) else payload.encode()))

    page.on("websocket", on_websocket)
    return frames


async def measure(browser, app_url: str) -> list[dict]:
    """Per page: bytes of the first render and of one country change."""
    rows = []
    reloaded = False
    for name, path in harness.views().items():
        context, page = await harness.new_page(browser)
        frames = _record(page)
        await harness.load(page, app_url + path)
        first = classify(frames)
        statics = [dict(e, load="first") for e in await page.evaluate(STATIC_ENTRIES_JS)]
        frames.clear()
        await harness.toggle_country(page, "Poland")
        change = classify(frames)
        if statics and not reloaded:  # the same browser context again: is the geometry fetched again?
            reloaded = True
            await page.reload(wait_until="commit")
            await harness.wait_ready(page, "load")
            statics += [dict(e, load="reload") for e in await page.evaluate(STATIC_ENTRIES_JS)]
        await context.close()
        rows.append({"page": name, "first": first, "change": change, "statics": statics})
    return rows


def _kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def report(rows: list[dict]) -> str:
    pages = []
    charts = []
    for r in rows:
        first, change = r["first"], r["change"]
        fig_total = sum(f["spec"] + f["config"] for f in first["figures"])
        pages.append([
            r["page"], _kb(first["total"]), len(first["figures"]), _kb(fig_total), _kb(first["dataframes"]),
            "yes" if fig_total <= FIGURE_BUDGET else "**no**", _kb(change["total"]), change["references"],
        ])
        charts += [[r["page"], f["title"], _kb(f["spec"]), _kb(f["config"])] for f in first["figures"]]
    static_rows = [
        [r["page"], s["file"], s["load"], _kb(s["size"]), _kb(s["transferred"])]
        for r in rows for s in r["statics"]
    ]
    return (
        "### Bytes over the websocket per page render (KB)\n\n"
        + harness.table(
            ["page", "first render total", "charts", "figure JSON", "data frames", "figure JSON ≤ 100 KB",
             "one country change total", "elements sent as references"],
            pages,
        )
        + "\n\nPer chart (first render):\n\n"
        + harness.table(["page", "chart title", "figure JSON KB", "plotly config and label KB"], charts)
        + "\n\nFiles fetched from the app's static route, geometry and plotly.js (each page loaded fresh; the first page "
        "that fetches it is then reloaded in the same browser context; 0 KB transferred = served from "
        "the browser cache):\n\n"
        + harness.table(["page", "file", "load", "size KB", "transferred KB"], static_rows)
    )


async def measure_and_report(browser, app_url: str, baseline_url: str) -> str:
    return report(await measure(browser, app_url))


if __name__ == "__main__":
    harness.run_standalone(measure_and_report, servers=("app",))
