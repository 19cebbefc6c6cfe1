"""The app as deployed: three replicas behind HAProxy (deploy/cluster.py), on loopback.

Sessions are driven by bench/st_client.py (the frontend's websocket protocol;
tests/test_st_client_browser.py checks it against Chromium) and, where the
browser's own behaviour is the point (CSP, embeds, reconnect after a replica
dies), by Chromium. A replica is killed for real (SIGKILL).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from conftest import CHARTS_DRAWN_JS, FOOTER, wait_for_app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "bench"))
from cluster import LocalCluster  # noqa: E402
from st_client import Disconnected, Session, http_get  # noqa: E402

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())

# Every CSP violation the page reports, from before its own scripts run.
CSP_WATCH_JS = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(replicas=3) as running:
        yield running


class LoopThread:
    """An asyncio loop in its own thread: the client's sessions live there while Playwright's
    sync API holds the test's thread (its loop cannot share a thread with another)."""

    def __init__(self):
        import threading

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout: float = 120):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def run(coro):
    loop = LoopThread()
    try:
        return loop.run(coro)
    finally:
        loop.close()


def test_sticky_cookie_and_security_headers(cluster):
    with urllib.request.urlopen(cluster.url + "/map?model=ksc") as response:
        headers = response.headers
    assert headers["Set-Cookie"].startswith("ATLAS_REPLICA=r")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors *" in csp
    assert "http:" not in csp and "https:" not in csp  # no outside origin allowed
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "X-Frame-Options" not in headers

    async def spread():
        sessions = [Session(cluster.url) for _ in range(3)]
        for s in sessions:  # each keeps its websocket open: the next goes to a less busy replica
            await s.open("/compare")
        names = [s.cookies["ATLAS_REPLICA"] for s in sessions]
        # The same cookie brings the same replica back: a CSV download works on each.
        for s in sessions:
            assert await s.download("Download data (CSV)")
            await s.close()
        return names

    assert len(set(run(spread()))) >= 2


@pytest.mark.browser
def test_pages_embeds_and_downloads_through_the_balancer_break_no_csp_rule(cluster, browser):
    """Every page, a chart download and an embed in another origin's iframe, with the balancer's CSP."""
    from guarantee_atlas.layout import available_pages

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.add_init_script(CSP_WATCH_JS)
    console: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    violations = {}
    for info in available_pages():
        page.goto(cluster.url + info.url_path + ("?country=POL" if info.page_id == "country" else ""))
        wait_for_app(page)
        violations[info.page_id] = page.evaluate("window.__csp")
    with page.expect_download() as download:
        page.goto(cluster.url + "/timeline?countries=POL")
        wait_for_app(page)
        page.locator('[data-testid="stDownloadButton"] button').first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"row_id")
    violations["download"] = page.evaluate("window.__csp")
    # An embed: the map in an iframe of a page from another origin (a replica's own port).
    other = f"http://localhost:{cluster.state()['replicas']['r1']['port']}/_stcore/health"
    page.goto(other)
    page.set_content(f'<iframe src="{cluster.url}/map?model=ksc&countries=POL&embed=true" width="1200" height="900"></iframe>')
    frame = page.frame_locator("iframe")
    frame.get_by_text(FOOTER).first.wait_for(timeout=60_000)
    embedded = next(f for f in page.frames if "embed=true" in f.url)
    embedded.wait_for_function(CHARTS_DRAWN_JS, timeout=60_000)
    violations["embed"] = embedded.evaluate("window.__csp")
    context.close()
    assert all(not v for v in violations.values()), violations
    assert console == []


def test_oversized_and_malformed_websocket_messages_are_rejected(cluster):
    pids = cluster.replica_pids()
    limit = CONFIG["server"]["maxMessageSize"] * 10**6

    async def go():
        codes = {}
        for name, frame in [("oversized", b"\x0a" * (limit + 1024)),
                            ("malformed", bytes(random.Random(2).randrange(256) for _ in range(2048))),
                            ("text", "not a protobuf")]:
            session = Session(cluster.url)
            await session.open("/compare")
            codes[name] = await session.send_raw(frame)
            await session.close()
            other = Session(cluster.url, cookies={"ATLAS_REPLICA": session.cookies["ATLAS_REPLICA"]})
            assert (await other.open("/map?model=ksc")).status == 0  # the same replica still serves
            await other.close()
        return codes

    codes = run(go())
    assert codes["malformed"] == 1002  # protocol error
    assert codes["oversized"] in (1009, 1006, -1)  # too big: uvicorn drops it while it is still arriving
    assert codes["text"] is not None  # closed
    assert cluster.replica_pids() == pids  # no replica died or restarted


def test_a_reader_rerunning_50_times_a_second_does_not_starve_the_others(cluster):
    async def go():
        flooder = Session(cluster.url)
        await flooder.open("/timeline?countries=POL")
        replica = flooder.cookies["ATLAS_REPLICA"]
        other = Session(cluster.url, cookies={"ATLAS_REPLICA": replica})
        await other.open("/map?model=ksc")
        flood = asyncio.create_task(flooder.flood(50, 1.0))
        times, health = [], []
        for n in range(5):
            result = await other.set_widget("countries", ["Poland"] if n % 2 == 0 else [])
            times.append(result.seconds)
            started = time.monotonic()
            status, _, _ = await http_get(cluster.url + "/_stcore/health", {"ATLAS_REPLICA": replica})
            health.append((status, time.monotonic() - started))
        after = await flood
        await flooder.close()
        await other.close()
        return times, health, after

    times, health, after = run(go())
    # Generous bounds (other work may share the two cores): unflooded, these take 20–400 ms.
    assert max(times) < 10, times
    assert all(status == 200 and seconds < 5 for status, seconds in health), health
    assert after.status == 0


def test_a_download_survives_other_readers_runs(cluster):
    """The file made for a click is still there when the browser fetches it, whatever ran meanwhile.

    Streamlit deletes unreferenced media files after two script runs (of any
    session) have ended, and leaves a clicked download's file unreferenced: under
    load the browser's GET came too late (HTTP 404). See download_grace.py.
    """
    async def go():
        reader = Session(cluster.url)
        await reader.open("/timeline?countries=POL")
        others = Session(cluster.url, cookies={"ATLAS_REPLICA": reader.cookies["ATLAS_REPLICA"]})
        await others.open("/compare")
        url = await reader.download_url("Download data (CSV)")
        for n in range(3):  # other readers' runs end meanwhile
            await others.set_widget("countries", ["Poland"] if n % 2 == 0 else [])
        status, _, body = await http_get(cluster.url + url, reader.cookies)
        await reader.close()
        await others.close()
        return status, body

    status, body = run(go())
    assert status == 200 and body.startswith(b"row_id")


LINKS = ["/map?model=ksc&countries=POL", "/timeline?period=2014&countries=DEU", "/aid?section=given",
         "/", "/compare?countries=POL", "/country?country=POL"]


@pytest.mark.browser
def test_a_killed_replica_loses_no_reader(cluster, browser):
    """SIGKILL one replica under load: others see nothing; its readers come back elsewhere, same view."""
    victim = "r2"

    async def open_readers() -> list[Session]:
        readers = []
        for n in range(9):
            session = Session(cluster.url)
            await session.open(LINKS[n % len(LINKS)])
            readers.append(session)
        return readers

    loop = LoopThread()
    readers = loop.run(open_readers())
    on_victim = [s for s in readers if s.cookies["ATLAS_REPLICA"] == victim]
    assert on_victim and len(on_victim) < len(readers)

    # A real browser on the victim too (its cookie set as the balancer would have).
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    host = cluster.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "ATLAS_REPLICA", "value": victim, "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(cluster.url + "/timeline?period=2014&countries=POL")
    wait_for_app(page)
    url_before = page.url
    chart_before = page.locator(".atlas-chart").count()
    assert {c["value"] for c in context.cookies() if c["name"] == "ATLAS_REPLICA"} == {victim}

    old_pid = cluster.kill(victim)
    killed_at = time.monotonic()

    async def after_kill() -> dict:
        out = {"errors": [], "reconnected": 0, "same_view": 0, "downloads": 0}
        for session in readers:
            before = (session.path, session.query_string)
            try:
                try:
                    await session.set_widget("countries", ["Germany"] if session.value("countries") != ["Germany"] else [])
                except Disconnected:
                    assert session in on_victim, "a reader on a living replica lost its websocket"
                    await session.reconnect()
                    out["reconnected"] += 1
                    assert (session.path, session.query_string) == before
                    # (back on a living process: another replica, or the victim already restarted)
                    fresh = Session(cluster.url)
                    await fresh.open(session.path + "?" + session.query_string)
                    out["same_view"] += fresh.summary() == session.summary() and fresh.charts() == session.charts()
                    await fresh.close()
                    await session.set_widget("countries", ["Germany"] if session.value("countries") != ["Germany"] else [])
                if any(label == "Download data (CSV)" for label, _ in session.download_buttons()):
                    assert await session.download()
                    out["downloads"] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                out["errors"].append(f"{session.path}: {type(exc).__name__}: {exc}")
        return out

    out = loop.run(after_kill())
    assert out["errors"] == []
    assert out["reconnected"] == len(on_victim)
    assert out["same_view"] == len(on_victim)

    # The browser reconnects through the balancer by itself; the app's reconnect
    # watcher reruns the page in the new session (src/guarantee_atlas/reconnect.py).
    page.wait_for_function("() => (window.__atlasReconnect?.reruns || 0) >= 1", timeout=45_000)
    wait_for_app(page)
    assert page.url == url_before
    assert page.locator(".atlas-chart").count() == chart_before
    assert page.locator('[data-testid="stException"]').count() == 0
    with page.expect_download() as download:
        page.locator('[data-testid="stDownloadButton"] button').first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"row_id")
    context.close()

    # The supervisor starts the replica again; HAProxy puts it back; new readers reach it.
    cluster.wait_up(victim, old_pid, timeout=60)
    back_after = time.monotonic() - killed_at

    async def new_readers() -> list[str]:
        names = []
        for _ in range(4):
            session = Session(cluster.url)
            await session.open("/compare")
            names.append(session.cookies["ATLAS_REPLICA"])
            readers.append(session)
        for session in readers:
            await session.close()
        return names

    names = loop.run(new_readers())
    loop.close()
    assert victim in names, names
    assert back_after < 60
    # wait_up waited for HAProxy's view of it to be UP again. (Whether HAProxy marked it DOWN in
    # between depends on how fast the supervisor restarts it: that part has its own test below.)
    assert "Traceback" not in cluster.logs()


def _wait_for_state(cluster, name: str, prefix: str, timeout: float) -> list[str]:
    states, started = [], time.monotonic()
    while time.monotonic() - started < timeout and not (states and states[-1].startswith(prefix)):
        states.append(cluster.haproxy_view().get(name, ""))
        time.sleep(0.2)
    return states


def test_a_replica_that_stops_answering_is_taken_out_and_put_back(cluster):
    """A frozen replica (SIGSTOP: its port still open, no answer) fails its health checks and HAProxy
    takes it out; once it answers again (SIGCONT) HAProxy puts it back."""
    name = "r1"
    pid = cluster.replica_pids()[name]
    os.kill(pid, signal.SIGSTOP)
    try:
        down = _wait_for_state(cluster, name, "DOWN", timeout=45)
        assert down[-1].startswith("DOWN"), f"{name} never taken out: {down[-5:]}"
        others = [state for other, state in cluster.haproxy_view().items() if other != name]
        assert others and all(state.startswith("UP") for state in others), others
    finally:
        os.kill(pid, signal.SIGCONT)
    up = _wait_for_state(cluster, name, "UP", timeout=30)
    assert up[-1] == "UP", f"{name} never put back: {up[-5:]}"


def test_download_grace_is_installed_on_this_streamlit():
    """download_grace wraps two MediaFileManager methods: if Streamlit renames them, fail here."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    from guarantee_atlas import download_grace

    assert download_grace.install()
    assert MediaFileManager._atlas_grace
