"""The load client (bench/st_client.py) against Chromium: the same actions, the same messages, the same view.

The cluster load run and the cluster tests drive readers with st_client
instead of browsers. Here a real Chromium session and a client session do the
same things on the same server: open a link, pick a period, add a country,
download the chart's CSV, follow a sidebar link, pick a model. Chromium's
websocket frames are recorded: the ``rerun_script`` messages both send must
agree (query string, page, every widget's id and value), the view the
browser's received messages build must equal the client's after each action
(every element, every chart's figure), and the downloaded CSV must be the same.
"""

from __future__ import annotations

import asyncio
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import wait_for_app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from st_client import Session, view_from_frames  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

LINK = "/timeline?countries=POL"


def reruns(messages: list[BackMsg]) -> list[tuple]:
    """What matters in each rerun request, in order."""
    out = []
    for msg in messages:
        if msg.WhichOneof("type") != "rerun_script":
            continue
        state = msg.rerun_script
        widgets = sorted((w.id, w.WhichOneof("value"), tuple(w.string_array_value.data)) for w in state.widget_states.widgets)
        out.append((state.query_string, state.page_name, state.page_script_hash, state.fragment_id, widgets))
    return out


@pytest.mark.browser
def test_client_sends_what_chromium_sends_and_sees_what_it_sees(app_server, page):
    sent: list[bytes] = []
    received: list[bytes] = []
    finished = {"n": 0}

    def on_websocket(ws):
        ws.on("framesent", lambda payload: sent.append(payload))

        def on_received(payload):
            received.append(payload)
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "script_finished":
                finished["n"] += 1

        ws.on("framereceived", on_received)

    page.on("websocket", on_websocket)
    marks: list[int] = []  # frames received when each action had finished

    def settle(before: int) -> None:
        deadline = time.monotonic() + 60
        while finished["n"] <= before and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        wait_for_app(page)
        marks.append(len(received))

    n = finished["n"]
    page.goto(app_server.url + LINK)
    settle(n)
    n = finished["n"]
    page.locator(".st-key-period button", has_text="2014–").click()
    settle(n)
    n = finished["n"]
    box = page.locator('[data-testid="stSidebar"] .st-key-countries')
    box.locator("input").fill("Germany")
    page.get_by_role("option", name="Germany", exact=True).first.wait_for()
    page.keyboard.press("Enter")
    settle(n)
    with page.expect_download() as download:
        page.locator('[data-testid="stDownloadButton"] button').first.click()
    browser_csv = Path(download.value.path()).read_bytes()
    n = finished["n"]
    page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]', has_text="Map of guarantors").click()
    settle(n)
    n = finished["n"]
    page.locator(".st-key-model button", has_text="Kyiv Security Compact (2022)").click()
    settle(n)
    browser_url = page.url

    async def client():
        session = Session(app_server.url)
        views = []
        await session.open(LINK)
        views.append(session.summary())
        await session.set_widget("period", ["2014–"])
        views.append(session.summary())
        await session.set_widget("countries", session.value("countries") + ["Germany"])
        views.append(session.summary())
        csv = await session.download("Download data (CSV)")
        await session.follow_link("Map of guarantors")
        views.append(session.summary())
        await session.set_widget("model", ["Kyiv Security Compact (2022)"])
        views.append(session.summary())
        await session.close()
        return session, views, csv

    # In a thread of its own: Playwright's sync API holds this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        session, client_views, client_csv = pool.submit(asyncio.run, client()).result(120)

    # The same requests: every rerun with the same link, page and widget values.
    browser_sent = []
    for payload in sent:
        msg = BackMsg()
        msg.ParseFromString(payload)
        browser_sent.append(msg)
    for mine, theirs in zip(reruns(session.sent), reruns(browser_sent)):
        assert mine[:4] == theirs[:4]
        assert mine[4] == theirs[4], set(mine[4]) ^ set(theirs[4])
    assert len(reruns(session.sent)) == len(reruns(browser_sent))
    assert [m.WhichOneof("type") for m in session.sent] == [m.WhichOneof("type") for m in browser_sent]
    # The same view after every action (elements and chart figures), the same file, the same link.
    for mark, client_view in zip(marks, client_views, strict=True):
        browser_view = view_from_frames(received[:mark], app_server.url).summary()
        assert browser_view == client_view
    assert view_from_frames(received, app_server.url).charts() == session.charts()
    assert len(session.charts()) >= 1
    assert browser_csv == client_csv
    assert browser_url.endswith(f"{session.path}?{session.query_string}")
