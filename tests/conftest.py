"""Shared fixtures: the fixture dataset, a live Streamlit server, Debian Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FOOTER = re.compile(r"^⟦?Guarantee Atlas · ")  # the footer's first words in every language (⟦: the pseudo-locale)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def fixture_registry():
    """The model registry of the fixture dataset (three models, their roles)."""
    from guarantee_atlas.data import load_dataset

    return load_dataset(FIXTURE_DATA).registry


EXTRA_MODEL_ROWS = ROOT / "tests" / "fixtures" / "extra_model"


def with_extra_model(target: Path) -> Path:
    """The fixture dataset plus a fictitious, test-only model (rows in fixtures/extra_model) in ``target``."""
    shutil.copytree(FIXTURE_DATA, target)
    for extra in EXTRA_MODEL_ROWS.glob("*.csv"):
        header, *rows = extra.read_text(encoding="utf-8").splitlines(keepends=True)
        table = target / extra.name
        assert table.read_text(encoding="utf-8").splitlines(keepends=True)[0] == header, f"{extra.name}: header"
        with table.open("a", encoding="utf-8") as handle:
            handle.writelines(rows)
    return target


@pytest.fixture(scope="session")
def extra_model_data(tmp_path_factory) -> Path:
    """A data folder with one model more than the fixture: nothing in the code knows it."""
    return with_extra_model(tmp_path_factory.mktemp("extra-model") / "data")


@pytest.fixture
def fixture_data_dir(tmp_path: Path) -> Path:
    """A writable copy of the small fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def streamlit_command(script: Path, port: int) -> list[str]:
    """`streamlit run` on localhost only, headless, no file watcher, no usage statistics."""
    return [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]


def wait_until_healthy(process: subprocess.Popen, url: str, timeout: float = 60) -> str | None:
    """Poll ``url``/_stcore/health; None once it answers, else why it never did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return "streamlit exited early"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return None
        except OSError:
            time.sleep(0.3)
    return "streamlit did not become healthy"


class StreamlitServer:
    """`streamlit run app.py` on a free localhost port, stopped by PID."""

    def __init__(self, data_dir: Path | None = None, script: Path = ROOT / "app.py", env: dict | None = None):
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        env = {**os.environ, **(env or {})}
        if data_dir is not None:
            env["GUARANTEE_ATLAS_DATA_DIR"] = str(data_dir)
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"server-{self.port}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            streamlit_command(script, self.port),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        problem = wait_until_healthy(self.process, self.url)
        if problem:
            raise RuntimeError(f"{problem}; see {self.log_path}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def app_server():
    """The app on the real data in data/, for the whole session."""
    server = StreamlitServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use Debian's chromium (test tools' own browser downloads fail offline)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "accept_downloads": True}


def block_requests(context, allowed) -> list[str]:
    """Abort and record every request of ``context`` whose URL ``allowed`` rejects."""
    seen: list[str] = []

    def guard(route):
        if allowed(route.request.url):
            route.continue_()
        else:
            seen.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return seen


def is_local(url: str) -> bool:
    """A request that stays on this machine (localhost, inline data)."""
    return url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in LOCAL_HOSTS


@pytest.fixture
def outside_requests(context):
    """Every request to a host other than localhost, recorded and blocked."""
    return block_requests(context, is_local)


# True when every chart on the page has drawn its latest figure (plot_element.js
# marks it, after plotly's draw resolved: maps once their geometry arrived; a
# component whose code has not yet made its chart counts as not drawn; the
# st-key-chart_ class comes from chart.show_chart's keys) and
# shows it (maps: their land shapes); lazily loaded elements show a skeleton
# until their code has arrived. Shared with bench/, which times pages against
# the same readiness check (its baseline page uses Streamlit's own plotly
# element, stPlotlyChart). An empty .geolayer appears in cartesian charts once
# they are redrawn: only a populated one marks a map. A chart away from the screen "waits"
# (plot_element.js draws it when it scrolls near): the first screen is drawn without it.
CHARTS_DRAWN_JS = """() => document.querySelectorAll('[data-testid="stSkeleton"]').length === 0
    && Array.from(document.querySelectorAll('[class*="st-key-chart_"] [data-testid="stBidiComponentRegular"]'))
        .every(box => ['drawn', 'waiting'].includes(box.querySelector('.atlas-chart')?.dataset.state))
    && document.querySelectorAll('[data-testid="stPlotlyChart"]').length
    === document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot').length
    && Array.from(document.querySelectorAll('.js-plotly-plot')).every(c =>
    c.querySelector('.geolayer > *')
        ? Array.from(c.querySelectorAll('.geolayer .layer.land path')).every(p => (p.getAttribute('d') || '').length > 100)
          && c.querySelectorAll('.geolayer .layer.land path').length > 0
        : c.querySelectorAll('.cartesianlayer path, .plot path').length > 0)"""


# Every chart drawn, those off screen included: a "beforeprint" event has plot_element.js draw them all
# (sent on each poll, so that charts whose code arrives later are drawn too).
EVERY_CHART_DRAWN_JS = (
    """() => { window.dispatchEvent(new Event('beforeprint'));
    return !document.querySelector('.atlas-chart[data-state="waiting"]') && ("""
    + CHARTS_DRAWN_JS
    + """)(); }"""
)


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the script has finished and every plotly chart has drawn, those off screen included."""
    # The footer is drawn last by every page: once it is there the script has run
    # (before the first run the app already reads "notRunning").
    page.get_by_text(FOOTER).first.wait_for(timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(EVERY_CHART_DRAWN_JS, timeout=timeout)
    page.wait_for_timeout(300)


@pytest.fixture(scope="session")
def fixture_server():
    """The app on the small fixture dataset (tests that need known values)."""
    server = StreamlitServer(data_dir=FIXTURE_DATA)
    yield server
    server.stop()


@pytest.fixture
def run_page(monkeypatch):
    """Run a page with AppTest on a data folder (default: the fixture dataset).

    Usage: ``at = run_page("pages/1_map.py", query={"countries": "POL"})``.
    The dataset cache is cleared so each call reads its own data folder
    (``fresh_data=False`` keeps what the previous call loaded from the same folder).
    """
    from streamlit.testing.v1 import AppTest

    from guarantee_atlas import layout

    def run(path: str, data_dir: Path = FIXTURE_DATA, query: dict | None = None, timeout: float = 60,
            fresh_data: bool = True):
        monkeypatch.setenv("GUARANTEE_ATLAS_DATA_DIR", str(data_dir))
        if fresh_data:
            layout.dataset.clear()
        # A page runs under the entry script, as in the app (its page links resolve from there).
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        if path != "app.py":
            at.switch_page(path)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        return at

    yield run
    layout.dataset.clear()


def chart_elements(at) -> list:
    """Every chart (``plot_element``) an AppTest run drew, in page order."""
    from guarantee_atlas.plot_element import COMPONENT_NAME

    return [el for el in at.get("bidi_component") if el.proto.component_name == COMPONENT_NAME]


def chart_payloads(at) -> list[dict]:
    """What each chart sends to the browser: ``figure``, ``config``, ``label``, ``selectable``."""
    import json

    return [json.loads(el.proto.bytes) for el in chart_elements(at)]


def plotly_figures(at) -> list[dict]:
    """The figure JSON of every plotly chart an AppTest run drew."""
    return [payload["figure"] for payload in chart_payloads(at)]
