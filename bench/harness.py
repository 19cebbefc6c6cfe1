"""What every benchmark shares: the server under test, the browser, timing inside the page.

Timings are taken in the page, on the browser's own clock: a load is timed
from navigation start, a filter change from the input event (the click or
key press that changed the value). Both end when the server has reported the
script run finished, the page shows ``data-test-script-state="notRunning"``,
every chart passes the tests' readiness check (``conftest.CHARTS_DRAWN_JS``)
and no chart's DOM has changed for ``QUIET_MS``; the time reported is the
later of the run's end and the last change to a chart.
"""

from __future__ import annotations

import asyncio
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, NamedTuple

import psutil
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHARTS_DRAWN_JS, CHROMIUM, CHROMIUM_ARGS, FIXTURE_DATA, _free_port, is_local, streamlit_command, wait_until_healthy  # noqa: E402

from guarantee_atlas.layout import available_pages  # noqa: E402

# Views beyond each page's default that draw other charts: measured as well.
OTHER_VIEWS = {
    "map: side by side": "/map?view=side",
    "aid: gave and pledged": "/aid?section=given",
    "aid: Israel benchmark": "/aid?section=israel",
}


def views() -> dict[str, str]:
    """Name → path of every view measured: each page as it opens, then ``OTHER_VIEWS``.

    ``BENCH_VIEWS=home,map`` measures only the views named (comma-separated), for a quick look at one change.
    """
    every = {info.page_id: info.url_path for info in available_pages()} | OTHER_VIEWS
    chosen = [name.strip() for name in os.environ.get("BENCH_VIEWS", "").split(",") if name.strip()]
    unknown = [name for name in chosen if name not in every]
    if unknown:
        raise SystemExit(f"BENCH_VIEWS: unknown view(s) {', '.join(unknown)}; known: {', '.join(every)}")
    return {name: path for name, path in every.items() if not chosen or name in chosen}

BASELINE_SCRIPT = ROOT / "bench" / "baseline_app.py"
VIEWPORT = {"width": 1400, "height": 1000}
QUIET_MS = 300
TIMEOUT_MS = 60_000  # generous: in the load run a starved browser is slow, not broken

# Installed before any page script. Records the input that started a change,
# what the page sends to the server, when a script run finished (the
# ForwardMsg ``script_finished`` field, 6, read off each websocket frame: a fast
# rerun can pass "running" and "notRunning" within one React render, so the
# DOM's script state alone can miss it), and the last DOM change in a chart.
INSTRUMENT_JS = """(() => {
  const b = window.__bench = {armed: false, input: null, sends: [], finished: [], lastPlot: 0,
    placeholderAdded: null, placeholderRemoved: null};
  b.arm = () => { b.armed = true; b.input = null; };
  const onInput = e => { if (b.armed) { b.armed = false; b.input = e.timeStamp; } };
  addEventListener('pointerdown', onInput, true);
  addEventListener('keydown', onInput, true);
  const scriptFinished = buffer => {  // top-level protobuf fields only
    const bytes = new Uint8Array(buffer);
    let i = 0;
    const varint = () => { let value = 0, shift = 0, byte;
      do { byte = bytes[i++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80 && i < bytes.length);
      return value; };
    while (i < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (field === 6 && wire === 0) return varint();
      if (wire === 0) varint(); else if (wire === 2) { const length = varint(); i += length; } else if (wire === 1) i += 8;
      else if (wire === 5) i += 4; else return null;
    }
    return null;
  };
  window.WebSocket = class extends WebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        if (!(e.data instanceof ArrayBuffer)) return;
        const status = scriptFinished(e.data);  // 0 finished, 3 fragment finished (2: stopped for a rerun)
        if (status === 0 || status === 3) b.finished.push(performance.now());
      });
    }
    send(data) { b.sends.push(performance.now()); return super.send(data); }
  };
  // Streamlit shows a placeholder (stSkeleton) for an element while its code loads, and React shows the
  // elements in place of their placeholders together: when the last placeholder was added and removed.
  const placeholder = n => n.nodeType === 1 && (n.getAttribute('data-testid') === 'stSkeleton'
    || !!n.querySelector('[data-testid="stSkeleton"]'));
  new MutationObserver(records => {
    const now = performance.now();
    for (const m of records) {
      const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (el && el.closest && el.closest('.js-plotly-plot')) b.lastPlot = now;
      for (const n of m.addedNodes) if (placeholder(n)) b.placeholderAdded = now;
      for (const n of m.removedNodes) if (placeholder(n)) b.placeholderRemoved = now;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""

# Resolves to {ms} once the load (since navigation) or the change (since the
# armed input) has finished and everything is shown (no element left a placeholder, every chart drawn);
# null while not yet.
READY_JS = (
    """({mode, quiet, settle}) => {
  const chartsDrawn = """
    + CHARTS_DRAWN_JS
    + """;
  const b = window.__bench;
  const start = mode === 'load' ? 0 : b.input;
  if (start === null || start === undefined) return null;
  const finished = b.finished.filter(t => t >= start);
  if (!finished.length) return null;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning' || !chartsDrawn()) return null;
  // Every element shown: none still a placeholder while its code loads.
  if (document.querySelector('[data-testid="stSkeleton"]')) return null;
  const runEnd = finished[finished.length - 1];
  const shown = b.placeholderRemoved !== null && b.placeholderRemoved > start ? b.placeholderRemoved : 0;
  const end = Math.max(runEnd, b.lastPlot > start ? b.lastPlot : 0, shown);
  if (settle && performance.now() - end < quiet) return null;
  return {total: end - start, run: runEnd - start};
}"""
)


def data_dir() -> tuple[Path | None, str]:
    """The data the app is measured on: data/ when it exists, else the fixture set."""
    override = os.environ.get("GUARANTEE_ATLAS_DATA_DIR")
    if override:
        return Path(override), f"{override} (from GUARANTEE_ATLAS_DATA_DIR)"
    if (ROOT / "data" / "sources.csv").exists():
        return None, "the real data in data/"
    return FIXTURE_DATA, "the fixture data in tests/fixtures/data (data/sources.csv does not exist yet)"


class BenchServer:
    """``streamlit run`` on a free loopback port with the tests' flags.

    Unlike the tests' server, its output is kept in memory, and it gets a
    private HOME and TMPDIR (the run-time disk-write check, disk_writes.py,
    must see no file written by the server process).
    """

    def __init__(self, script: Path = ROOT / "app.py", data: Path | None = None):
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        self._private = Path(tempfile.mkdtemp(prefix="guarantee-atlas-bench-"))
        self.home, self.tmp = self._private / "home", self._private / "tmp"
        self.home.mkdir()
        self.tmp.mkdir()
        # A private HOME and TMPDIR, and no bytecode cache: see disk_writes.py.
        env = dict(os.environ, HOME=str(self.home), TMPDIR=str(self.tmp), PYTHONDONTWRITEBYTECODE="1")
        if data is not None:
            env["GUARANTEE_ATLAS_DATA_DIR"] = str(data)
        self.output: list[str] = []
        self.process = subprocess.Popen(
            streamlit_command(script, self.port),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()
        problem = wait_until_healthy(self.process, self.url)
        if problem:
            raise RuntimeError(f"{problem}:\n" + "".join(self.output[-20:]))

    def _drain(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def psutil_process(self) -> psutil.Process:
        return psutil.Process(self.process.pid)

    def rss_mb(self) -> float:
        return self.psutil_process.memory_info().rss / 2**20

    def tracebacks(self) -> list[str]:
        """Lines of the server output that start a Python traceback."""
        return [line for line in self.output if line.startswith("Traceback")]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self._private, ignore_errors=True)

    def __enter__(self) -> "BenchServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# The app's page frame with nothing in it: what every page draws around its content (language switch, country
# filter, page links, copy-link box, title, footer). Served from a folder of its own, next to the app's pages
# and static files (its page links lead to them).
FRAME_SCRIPT = '''"""The app's page frame alone (bench reference, written by bench/harness.py)."""
from guarantee_atlas.i18n import N_
from guarantee_atlas.layout import page

with page("methodology", N_("Methodology and data"), uses_countries=False):
    pass
'''


@contextmanager
def page_frame_server(data: Path | None) -> Iterator[BenchServer]:
    """A server for ``FRAME_SCRIPT``: the app's page frame around an empty page that does not use the filter."""
    folder = Path(tempfile.mkdtemp(prefix="guarantee-atlas-frame-"))
    try:
        (folder / "app.py").write_text(FRAME_SCRIPT, encoding="utf-8")
        (folder / "pages").symlink_to(ROOT / "pages")
        (folder / "static").symlink_to(ROOT / "static")
        with BenchServer(folder / "app.py", data=data) as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def launch(playwright):
    """Debian's chromium with the tests' flags."""
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


async def new_context(browser):
    """A fresh browser context (empty cache) whose pages carry the timing script.

    Every page (tab) opened in it is its own Streamlit session.
    """
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(INSTRUMENT_JS)
    return context


async def new_page(browser, outside: list[str] | None = None):
    """A page in a fresh context: a new session with an empty cache.

    Requests to hosts other than localhost are recorded in ``outside`` (observed,
    not intercepted, so that timings are not slowed by routing).
    """
    context = await new_context(browser)
    page = await context.new_page()
    if outside is not None:
        page.on("request", lambda request: None if is_local(request.url) else outside.append(request.url))
    return context, page


class Timing(NamedTuple):
    """Milliseconds from navigation start or input: to everything drawn, and to the run's end."""

    total: float
    run: float


async def wait_ready(page, mode: str, settle: bool = True, timeout: float = TIMEOUT_MS) -> Timing:
    """Timing from navigation start (``load``) or the armed input (``change``) to drawn."""
    handle = await page.wait_for_function(
        READY_JS, arg={"mode": mode, "quiet": QUIET_MS, "settle": settle}, polling=50, timeout=timeout
    )
    return Timing(**await handle.json_value())


async def load(page, url: str, settle: bool = True) -> Timing:
    """Open ``url``; its first-render timing."""
    await page.goto(url, wait_until="commit")
    return await wait_ready(page, "load", settle=settle)


async def arm(page) -> None:
    """Mark the next input event as the start of a change."""
    await page.evaluate("window.__bench.arm()")


# --- user actions -----------------------------------------------------------
#
# Each action prepares (opens a list, types a filter), arms the timer, and does
# the one input that changes the value. An input the widget ignores (a click
# while a list is still opening) sends nothing to the server, and a list that
# does not open shows no option: both are retried.

COUNTRIES = ".st-key-countries"
MODEL = ".st-key-model"
SENT_JS = "() => window.__bench.input !== null && window.__bench.sends.some(t => t >= window.__bench.input)"
SEND_TIMEOUT_MS = 3_000
PREPARE_TIMEOUT_MS = 10_000
TRIES = 3


# Pages whose changes ``cpu_split`` is profiling: page → its DevTools session and the profiles gathered.
_PROFILING: dict = {}


async def _change(page, prepare, act, settle: bool) -> Timing:
    """Run ``prepare()``, then the timed input ``act()``; timing from the input.

    While ``cpu_split`` profiles the page, the profiler runs from the input to the change drawn (not
    during ``prepare``, which opens lists and types names).
    """
    profiling = _PROFILING.get(page)
    for _ in range(TRIES):
        try:
            await prepare()
        except PlaywrightTimeoutError:  # the list did not open or show the option: start over
            await page.keyboard.press("Escape")
            continue
        await arm(page)
        if profiling:
            await profiling["cdp"].send("Profiler.start")
        try:
            await act()
            try:
                await page.wait_for_function(SENT_JS, polling=50, timeout=SEND_TIMEOUT_MS)
            except PlaywrightTimeoutError:
                await page.keyboard.press("Escape")
                continue
            timing = await wait_ready(page, "change", settle=settle and not profiling)
        finally:
            if profiling:
                profile = (await profiling["cdp"].send("Profiler.stop"))["profile"]
        if profiling:
            profiling["profiles"].append(profile)
        return timing
    raise PlaywrightTimeoutError(f"no change after {TRIES} tries")


async def _nothing() -> None:
    return None


async def has_model_picker(page) -> bool:
    return await page.locator(MODEL).count() > 0


async def toggle_country(page, name: str, settle: bool = True) -> Timing:
    """Add ``name`` to the sidebar country filter, or remove it when chosen; its timing."""
    box = page.locator(COUNTRIES)
    remove = box.locator(f'button[aria-label="Remove {name}"]')
    field = box.locator("input")
    if await remove.count():
        return await _change(page, _nothing, remove.click, settle)

    async def type_name():
        await field.click()
        await field.fill(name)
        await page.get_by_role("option", name=name, exact=True).first.wait_for(timeout=PREPARE_TIMEOUT_MS)

    async def enter():
        await field.press("Enter")
        await field.press("Escape")

    return await _change(page, type_name, enter, settle)


async def next_model(page, settle: bool = True) -> Timing:
    """Click the model picker's next option (cycling); its timing."""
    buttons = page.locator(f"{MODEL} button")
    await buttons.first.wait_for()
    checked = await buttons.evaluate_all("els => els.map(e => e.getAttribute('aria-checked') === 'true')")
    following = buttons.nth((checked.index(True) + 1) % len(checked) if True in checked else 0)
    return await _change(page, _nothing, following.click, settle)


async def switch_page(page, rng: random.Random, settle: bool = True) -> Timing:
    """Follow a sidebar link to another page, chosen with ``rng``; its timing."""
    from urllib.parse import urlparse

    here = urlparse(page.url).path.strip("/")
    links = page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]')
    hrefs = await links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    others = [i for i, href in enumerate(hrefs) if href.split("?")[0].strip("/") != here]
    return await _change(page, _nothing, links.nth(rng.choice(others)).click, settle)


async def next_select_option(page, key: str) -> Timing:
    """Click the next option of the selectbox with widget key ``key``; its timing."""
    field = page.locator(f".st-key-{key} input")
    following: list[str] = []

    async def open_list():
        current = await field.input_value()
        await field.click()
        options = page.get_by_role("option")
        await options.first.wait_for(timeout=PREPARE_TIMEOUT_MS)
        names = [name.strip() for name in await options.all_inner_texts()]
        following[:] = [names[(names.index(current) + 1) % len(names)] if current in names else names[0]]

    async def choose():
        await page.get_by_role("option", name=following[0], exact=True).click()

    return await _change(page, open_list, choose, settle=True)


# Where a change's time goes in the browser: Chromium's sampling profiler (through the DevTools protocol),
# from the input to the change drawn, over a few extra changes made after the timed ones (profiling never
# slows a timed change). The samples' own time by where their code came from, per change.
PROFILE_CHANGES = 4
PROFILE_INTERVAL_US = 250
CPU_PARTS = ("plotly.js", "Streamlit frontend", "browser (style, layout, paint)", "garbage collection", "other")


def _cpu_part(url: str, function: str) -> str | None:
    """The part a profile sample's code belongs to; None for idle time."""
    if function == "(idle)":
        return None
    if function == "(garbage collector)":
        return "garbage collection"
    if "plotly" in url:
        return "plotly.js"
    if "/static/js/" in url:
        return "Streamlit frontend"
    if not url:  # "(program)" and the browser's built-in functions
        return "browser (style, layout, paint)"
    return "other"


async def cpu_split(page, change, n: int = PROFILE_CHANGES) -> dict[str, float]:
    """Mean ms of main-thread work per change, by ``CPU_PARTS``, over ``n`` untimed ``change()`` calls,
    each profiled from its input to drawn."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Profiler.enable")
    await cdp.send("Profiler.setSamplingInterval", {"interval": PROFILE_INTERVAL_US})
    _PROFILING[page] = {"cdp": cdp, "profiles": []}
    try:
        for _ in range(n):
            await attempt(change(), [])
        profiles = _PROFILING[page]["profiles"]
    finally:
        del _PROFILING[page]
        await cdp.detach()
    totals = dict.fromkeys(CPU_PARTS, 0.0)
    for profile in profiles:
        frames = {node["id"]: node["callFrame"] for node in profile["nodes"]}
        # timeDeltas[i] is the time before sample i: a sample's own time is the next delta.
        for sample, delta in zip(profile["samples"], profile["timeDeltas"][1:] + [0]):
            part = _cpu_part(frames[sample]["url"], frames[sample]["functionName"])
            if part:
                totals[part] += delta / 1000
    return {part: ms / max(len(profiles), 1) for part, ms in totals.items()}


async def page_problems(page) -> list[str]:
    """What a user would see as broken: exception boxes and error alerts."""
    problems = []
    for testid, what in (("stException", "exception box"), ("stAlertContentError", "error alert")):
        n = await page.locator(f'[data-testid="{testid}"]').count()
        if n:
            problems.append(f"{n} {what}(es) on {page.url}")
    return problems


async def attempt(action, failures: list[str], label: str = "") -> Timing | None:
    """Await ``action`` (a timed user action); on failure note why in ``failures`` and return None."""
    try:
        return await action
    except Exception as exc:  # a timeout or a vanished element: count it, keep measuring
        failures.append(f"{label}{type(exc).__name__}: {' '.join(str(exc).split())[:240]}")
        return None


# --- figures ------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def table(header: list[str], rows: list[list[object]]) -> str:
    """A markdown table (numbers already formatted by the caller)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """Date, CPU, cores, memory and versions: the heading of every result."""
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {cpu}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM · Python {platform.python_version()}, "
        f"streamlit {version('streamlit')}, plotly {version('plotly')}, "
        f"playwright {version('playwright')}, {chromium} · "
        f"load average {os.getloadavg()[0]:.1f} when this part started"
    )


def run_standalone(measure_and_report, servers: tuple[str, ...] = ("app", "baseline")) -> None:
    """Run one benchmark on its own: its servers, a browser, printed figures.

    ``measure_and_report(browser, app_url, baseline_url)`` is a coroutine
    returning the markdown to print; a URL is None when its server is not in
    ``servers`` (benchmarks that start a fresh server of their own).
    """
    from contextlib import ExitStack

    from playwright.async_api import async_playwright

    data, label = data_dir()
    print(machine())
    print(f"App on {label}.\n")

    async def go(app_url: str | None, baseline_url: str | None) -> None:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            print(await measure_and_report(browser, app_url, baseline_url))
            await browser.close()

    with ExitStack() as stack:
        app = stack.enter_context(BenchServer(data=data)) if "app" in servers else None
        base = stack.enter_context(BenchServer(BASELINE_SCRIPT)) if "baseline" in servers else None
        asyncio.run(go(app and app.url, base and base.url))
