"""A Streamlit session without a browser: the frontend's side of the websocket protocol.

Browsers are too heavy for a 100-session load on two cores, so the cluster load
run (cluster_load.py) and the cluster tests drive sessions with this client.
It does what Streamlit's frontend does on the wire, taken from a recording of
Chromium's frames on the same actions (tests/test_st_client_browser.py checks
that both send the same messages and get the same view back):

- a page is opened with an HTTP GET of its link (the balancer sets its sticky
  cookie there, Streamlit its XSRF cookie), a GET of ``/_stcore/health`` and
  ``/_stcore/host-config``, then a websocket to ``/_stcore/stream`` with the
  subprotocols ``streamlit, <xsrf token>[, <session id>]`` and the cookies;
- every run is asked for with a ``BackMsg.rerun_script`` (``ClientState``):
  the query string, ``page_name`` on the first run, then ``page_script_hash``,
  the state of every widget drawn by the last run (multiselect and segmented
  control values are their option labels, as the frontend sends them), the
  fragment id when the widget is inside a fragment, ``cached_message_hashes``
  and the ``context_info`` (URL without query, time zone, locale, embed flag);
- the server's ``ForwardMsg``s build the view: elements by delta path, stale
  ones dropped when a run finishes (a fragment run drops only its own),
  ``ref_hash`` messages resolved from the cache of cacheable messages, the query
  string from ``page_info_changed``, the page from ``navigation``;
- a widget whose element says ``set_value`` takes the server's value; one not
  seen before takes its default, as the frontend does when it mounts it;
- a page link click reruns with the link's page hash and query string, and no
  widget states (the new page's widgets start from the link);
- a download button with a deferred file sends a ``backend_operation_request``
  and downloads the URL it gets back over HTTP, through the same balancer
  and with the same cookies;
- when the websocket drops, the client does what the frontend does: it polls
  ``/_stcore/health`` (through the balancer, which sends it to a living
  replica and sets a new sticky cookie) and reconnects with its old session
  id; then the app's reconnect watcher (src/guarantee_atlas/reconnect.py)
  sends a rerun with its trigger, the query string and the widget states: the
  view is rebuilt from the link (Streamlit's frontend alone would not rerun).

Loopback only: ``Session`` refuses any host but 127.0.0.1, localhost and ::1.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WIDGET_TYPES = ("multiselect", "button_group", "selectbox", "checkbox")


def _option_text(option) -> str:
    """A button-group option as the frontend sends it back: its icon, a space and its words
    (Streamlit split ':material/bar_chart: Chart' into the two for display)."""
    return f"{option.content_icon} {option.content}" if option.content_icon else option.content
MAX_FRAME = 64 * 2**20


class ProtocolError(Exception):
    """The server answered something the frontend would show as an error."""


class Disconnected(Exception):
    """The websocket closed while a run or a request was under way."""


@dataclass
class RunResult:
    status: int  # ScriptFinishedStatus: 0 finished, 3 fragment finished
    seconds: float
    messages: int
    bytes: int


@dataclass
class _Stored:
    element: object  # Element or Block proto
    kind: str
    run: int
    fragment: str


async def http_get(url: str, cookies: dict[str, str], timeout: float = 60) -> tuple[int, dict[str, list[str]], bytes]:
    """GET ``url`` (loopback only) with ``cookies``; cookies set by the answer go into ``cookies``."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise ValueError(f"loopback only, not {parts.hostname}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query

    async def go():
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        try:
            head = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close", "Accept: */*",
                    "User-Agent: guarantee-atlas-bench"]
            if cookies:
                head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        header_blob, _, body = raw.partition(b"\r\n\r\n")
        lines = header_blob.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, list[str]] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        if "chunked" in ",".join(headers.get("transfer-encoding", [])):
            body = _dechunk(body)
        for value in headers.get("set-cookie", []):
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                cookies[name] = morsel.value
        return status, headers, body

    return await asyncio.wait_for(go(), timeout)


def _dechunk(body: bytes) -> bytes:
    out, i = bytearray(), 0
    while True:
        end = body.index(b"\r\n", i)
        size = int(body[i:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2:end + 2 + size]
        i = end + 2 + size + 2


@dataclass
class Session:
    """One reader's session through ``base`` (the balancer or a replica)."""

    base: str
    timeout: float = 60
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        parts = urlsplit(self.base)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"loopback only, not {parts.hostname}")
        self.base = self.base.rstrip("/")
        self.ws = None
        self.session_id: str | None = None
        self.query_string = ""
        self.path = "/"
        self.page_script_hash = ""
        self.pages: dict[str, str] = {}  # url path ("map") → page script hash
        self.view: dict[tuple, _Stored] = {}
        self.widgets: dict[str, object] = {}  # widget id → WidgetState
        self.widget_fragment: dict[str, str] = {}
        self.cache: dict[str, ForwardMsg] = {}
        self.run_no = 0
        self.reconnects = 0
        self.sent: list[BackMsg] = []  # every BackMsg, for the comparison with Chromium
        self.exceptions: list[str] = []
        self._finished: asyncio.Queue = asyncio.Queue()
        self._responses: dict[str, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None
        self._closed = asyncio.Event()

    # --- connection --------------------------------------------------------

    async def open(self, link: str) -> RunResult:
        """Open ``link`` (``/map?countries=POL``) as a new reader: HTTP, websocket, first run."""
        parts = urlsplit(link)
        self.path = parts.path or "/"
        self.query_string = parts.query
        status, _, _ = await http_get(self.base + link, self.cookies, self.timeout)
        if status != 200:
            raise ProtocolError(f"GET {link}: HTTP {status}")
        await self._connect()
        return await self._rerun(page_name=self.path.strip("/"), first=True)

    async def _connect(self) -> None:
        for path in ("/_stcore/health", "/_stcore/host-config"):
            status, _, _ = await http_get(self.base + path, self.cookies, self.timeout)
            if status != 200:
                raise ProtocolError(f"GET {path}: HTTP {status}")
        protocols = ["streamlit", self.cookies.get("_streamlit_xsrf", "")]
        if self.session_id:
            protocols.append(self.session_id)
        ws_url = "ws" + self.base[4:] + "/_stcore/stream"
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await asyncio.wait_for(
            websockets.connect(ws_url, subprotocols=[p for p in protocols if p], additional_headers=headers,
                               max_size=MAX_FRAME, open_timeout=self.timeout, ping_interval=None),
            self.timeout)
        self._closed.clear()
        self._reader = asyncio.create_task(self._read(self.ws))

    async def reconnect(self, deadline_s: float = 60) -> RunResult:
        """What the frontend does after the websocket dropped: wait for health, reconnect, rerun."""
        end = time.monotonic() + deadline_s
        while True:
            try:
                status, _, _ = await http_get(self.base + "/_stcore/health", self.cookies, 5)
                if status == 200:
                    break
            except (OSError, asyncio.TimeoutError):
                pass
            if time.monotonic() > end:
                raise Disconnected("the server did not come back")
            await asyncio.sleep(0.5)
        self.reconnects += 1
        await self._connect()
        # The app's reconnect watcher (reconnect.py) fires its trigger: one rerun with it.
        watcher = next((s.element.bidi_component for s in self.view.values() if s.kind == "bidi_component"
                        and s.element.bidi_component.component_name == "guarantee_atlas_reconnect"), None)
        extra = []
        if watcher is not None:
            from streamlit.proto.WidgetStates_pb2 import WidgetState

            extra.append(WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{watcher.id}__events",
                                     json_trigger_value='[{"event":"reconnected","value":true}]'))
        return await self._rerun(extra=extra)

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()

    async def _read(self, ws) -> None:
        try:
            async for frame in ws:
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                self._handle(msg, len(frame))
        except websockets.ConnectionClosed:
            pass
        finally:
            self._closed.set()
            self._finished.put_nowait(None)
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(Disconnected("websocket closed"))
                    future.exception()  # marked as seen: its waiter, if any, gets it too

    # --- incoming ------------------------------------------------------------

    def _handle(self, msg: ForwardMsg, size: int) -> None:
        kind = msg.WhichOneof("type")
        self._run_bytes += size
        self._run_messages += 1
        if kind == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                raise ProtocolError(f"ref_hash {msg.ref_hash} not in the cache")
            resolved = ForwardMsg()
            resolved.CopyFrom(cached)
            resolved.metadata.CopyFrom(msg.metadata)
            msg, kind = resolved, resolved.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = msg
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.page_script_hash = msg.new_session.page_script_hash
            self.run_no += 1
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash
            for page in msg.navigation.app_pages:
                self.pages[page.url_pathname] = page.page_script_hash
                if page.page_script_hash == self.page_script_hash:
                    self.path = "/" + page.url_pathname
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            status = msg.script_finished
            if status in (0, 3):
                self._drop_stale(fragment=list(msg.metadata.run.fragment_ids) if status == 3 else None)
            self._finished.put_nowait(status)
        elif kind == "backend_operation_response":
            future = self._responses.pop(msg.backend_operation_response.request_id, None)
            if future and not future.done():
                future.set_result(msg.backend_operation_response)

    def _delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        which = delta.WhichOneof("type")
        if which == "new_element":
            element = delta.new_element
            kind = element.WhichOneof("type")
            self.view[path] = _Stored(element, kind, self.run_no, delta.fragment_id)
            if kind == "exception":
                self.exceptions.append(element.exception.message[:200])
            if kind in WIDGET_TYPES:
                self._widget(getattr(element, kind), kind, delta.fragment_id)
        elif which == "add_block":
            self.view[path] = _Stored(delta.add_block, "block", self.run_no, delta.fragment_id)

    def _widget(self, proto, kind: str, fragment: str) -> None:
        """The widget's state as the frontend holds it: the server's value, else its own, else the default."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        if not proto.set_value and proto.id in self.widgets:
            return
        state = WidgetState(id=proto.id)
        if kind == "checkbox":
            state.bool_value = proto.value if proto.set_value else proto.default
        elif kind == "selectbox":
            if proto.set_value and proto.HasField("raw_value"):
                state.string_value = proto.raw_value
            elif not proto.set_value and proto.HasField("default"):
                state.string_value = proto.options[proto.default]
            # no choice: the state holds the id alone, as the frontend sends it
        else:
            if proto.set_value:
                values = list(proto.raw_values)
            else:
                options = [_option_text(o) for o in proto.options] if kind == "button_group" else list(proto.options)
                values = [options[i] for i in proto.default]
            state.string_array_value.SetInParent()  # an empty choice is still a value
            state.string_array_value.data.extend(values)
        self.widgets[proto.id] = state
        self.widget_fragment[proto.id] = fragment

    def _drop_stale(self, fragment: list[str] | None) -> None:
        if fragment:
            stale = [p for p, s in self.view.items() if s.fragment in fragment and s.run != self.run_no]
        else:
            stale = [p for p, s in self.view.items() if s.run != self.run_no]
        for path in stale:
            del self.view[path]
        # Keep the state of widgets the last run drew (the frontend's active widgets).
        shown = {getattr(s.element, s.kind).id for s in self.view.values() if s.kind in WIDGET_TYPES}
        for widget_id in [w for w in self.widgets if w not in shown]:
            del self.widgets[widget_id]

    # --- outgoing ------------------------------------------------------------

    def _context(self, msg) -> None:
        info = msg.context_info
        info.timezone = "UTC"
        info.timezone_offset = 0
        info.locale = "en-US"
        info.url = self.base + self.path
        info.is_embedded = False
        info.color_scheme = "light"

    async def _send(self, msg: BackMsg) -> None:
        self.sent.append(msg)
        try:
            await self.ws.send(msg.SerializeToString())
        except websockets.ConnectionClosed as exc:
            raise Disconnected(str(exc)) from exc

    async def _rerun(self, *, page_name: str | None = None, first: bool = False, page_hash: str | None = None,
                     query: str | None = None, fragment: str = "", extra: list | None = None) -> RunResult:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string if query is None else query
        if first:
            state.page_name = page_name or ""
        else:
            state.page_script_hash = page_hash or self.page_script_hash
            state.widget_states.widgets.extend(self.widgets.values())
            state.widget_states.widgets.extend(extra or [])
            state.cached_message_hashes.extend(self.cache)
        if fragment:
            state.fragment_id = fragment
        self._context(state)
        while not self._finished.empty():
            self._finished.get_nowait()
        self._run_bytes = self._run_messages = 0
        started = time.monotonic()
        await self._send(msg)
        while True:
            try:
                status = await asyncio.wait_for(self._finished.get(), self.timeout)
            except asyncio.TimeoutError as exc:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s") from exc
            if status is None:
                raise Disconnected("websocket closed during a run")
            if status in (0, 3):
                break
            if status == 1:  # FINISHED_WITH_COMPILE_ERROR
                raise ProtocolError("the script failed to compile")
        if self.exceptions:
            raise ProtocolError("exception on the page: " + self.exceptions[-1])
        return RunResult(status, time.monotonic() - started, self._run_messages, self._run_bytes)

    async def flood(self, count: int, seconds: float) -> RunResult:
        """A frantic reader: ``count`` rerun requests in ``seconds`` without waiting, then one normal rerun.

        Streamlit stops a run when the next request arrives. The result is the
        normal rerun after the flood: the page is itself again.
        """
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        state.widget_states.widgets.extend(self.widgets.values())
        self._context(state)
        for _ in range(count):
            await self._send(msg)
            await asyncio.sleep(seconds / count)
        return await self._rerun()

    async def send_raw(self, data: bytes | str) -> int | None:
        """Send one frame as it is; the close code if the server closes the websocket within 10 s."""
        try:
            await self.ws.send(data)
        except websockets.ConnectionClosed as exc:  # closed while the frame was still being written
            return exc.rcvd.code if exc.rcvd else -1
        try:
            await asyncio.wait_for(self._closed.wait(), 10)
        except asyncio.TimeoutError:
            return None
        return self.ws.close_code

    # --- reader actions ------------------------------------------------------

    def widget_id(self, key: str) -> str | None:
        return next((w for w in self.widgets if w.endswith(f"-{key}")), None)

    def options(self, key: str) -> list[str]:
        for stored in self.view.values():
            if stored.kind in WIDGET_TYPES and getattr(stored.element, stored.kind).id.endswith(f"-{key}"):
                proto = getattr(stored.element, stored.kind)
                if stored.kind == "checkbox":
                    return []
                return [_option_text(o) for o in proto.options] if stored.kind == "button_group" else list(proto.options)
        return []

    def value(self, key: str) -> list[str]:
        widget_id = self.widget_id(key)
        if not widget_id:
            return []
        state = self.widgets[widget_id]
        if state.WhichOneof("value") == "string_value":
            return [state.string_value]
        return list(state.string_array_value.data)

    async def set_widget(self, key: str, values: list[str]) -> RunResult:
        """Change a widget (by its key) to ``values`` (option labels) and rerun, as a click does."""
        widget_id = self.widget_id(key)
        if widget_id is None:
            raise ProtocolError(f"no widget {key!r} on {self.path}")
        state = self.widgets[widget_id]
        if state.WhichOneof("value") == "string_value" or (state.WhichOneof("value") is None and len(values) == 1):
            state.string_value = values[0]
        else:
            del state.string_array_value.data[:]
            state.string_array_value.data.extend(values)
        return await self._rerun(fragment=self.widget_fragment.get(widget_id, ""))

    def page_links(self) -> list[tuple[str, str, str]]:
        """(label, page script hash, query string) of every page link on the page."""
        return [(s.element.page_link.label, s.element.page_link.page_script_hash, s.element.page_link.query_string)
                for s in self.view.values() if s.kind == "page_link"]

    async def follow_link(self, label: str) -> RunResult:
        link = next((link for link in self.page_links() if link[0] == label), None)
        if link is None:
            raise ProtocolError(f"no page link {label!r}")
        # The frontend sends no widget states with a page switch: the new page starts its own.
        kept, self.widgets = self.widgets, {}
        try:
            return await self._rerun(page_hash=link[1], query=link[2])
        except BaseException:
            self.widgets = kept
            raise

    def download_buttons(self) -> list[tuple[str, str]]:
        return [(s.element.download_button.label, s.element.download_button.deferred_file_id)
                for _, s in sorted(self.view.items()) if s.kind == "download_button"]

    async def download(self, label: str = "Download data (CSV)") -> bytes:
        """Click the first download button with ``label``: ask for the file, then GET it."""
        url = await self.download_url(label)
        status, _, body = await http_get(self.base + url, self.cookies, self.timeout)
        if status != 200 or not body:
            raise ProtocolError(f"download {url}: HTTP {status}, {len(body)} bytes")
        return body

    async def download_url(self, label: str = "Download data (CSV)") -> str:
        """Ask the server for the file behind the first download button with ``label``; its URL."""
        file_id = next((fid for lab, fid in self.download_buttons() if lab == label), None)
        if not file_id:
            raise ProtocolError(f"no download button {label!r} on {self.path}")
        msg = BackMsg()
        request = msg.backend_operation_request
        request.request_id = str(uuid.uuid4())
        request.session_id = self.session_id or ""
        request.deferred_file.file_id = file_id
        future = asyncio.get_running_loop().create_future()
        self._responses[request.request_id] = future
        await self._send(msg)
        try:
            response = await asyncio.wait_for(future, self.timeout)
        except asyncio.TimeoutError as exc:
            raise ProtocolError("no answer to the download request") from exc
        if response.error_msg:
            raise ProtocolError(f"download refused: {response.error_msg}")
        return response.deferred_file.url

    # --- what the reader sees --------------------------------------------------

    def summary(self) -> list[tuple]:
        """The view as (delta path, kind, digest) in page order, to compare with a browser's."""
        out = []
        for path, stored in sorted(self.view.items()):
            out.append((path, stored.kind, element_digest(stored.element, stored.kind)))
        return out

    def charts(self) -> list[bytes]:
        """The payload of every chart element (figure JSON, plotly config, label), in page order."""
        return [s.element.bidi_component.bytes for _, s in sorted(self.view.items()) if s.kind == "bidi_component"
                and s.element.bidi_component.component_name == "guarantee_atlas_chart"]


def element_digest(element, kind: str) -> str:
    """A digest of what an element shows, without the ids that change from run to run."""
    if kind == "download_button":
        copy = type(element)()
        copy.CopyFrom(element)
        copy.download_button.deferred_file_id = ""
        element = copy
    return hashlib.sha1(element.SerializeToString(deterministic=True)).hexdigest()[:12]


def view_from_frames(frames: list[bytes], base: str = "http://127.0.0.1") -> Session:
    """Replay a browser's received websocket frames into a Session, to read the browser's view."""
    session = Session(base)
    session._run_bytes = session._run_messages = 0
    for frame in frames:
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        session._handle(msg, len(frame))
    return session
