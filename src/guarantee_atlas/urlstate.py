"""URL state: the one place that reads and writes the query string.

The country filter lives in the URL as ``?countries=POL,DEU`` (ISO3 codes,
names shown in the widget) and the model as ``?model=budapest``. Streamlit's
``bind="query-params"`` would store the *displayed* names and drop bad values
silently, so the sync is done here: parse (pure functions, tested directly),
seed the widget when the URL changes, write the canonical value back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from .i18n import _, format_number, n_

MAX_PARAM_CHARS = 600
MAX_CODES = 60
SHOWN_REJECTS = 5


@dataclass
class Parsed:
    """Accepted values plus short, display-safe descriptions of what was ignored."""

    values: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def safe_fragment(raw: str, limit: int = 16) -> str:
    """A display-safe excerpt of untrusted text: letters, digits, - and _ only."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "", raw)[:limit]
    return cleaned or _("(unreadable value)")


def _parts(raw_values: Iterable[str], result: Parsed) -> Iterator[str]:
    """Comma-separated parts of every repeated value, cut to a sane length (reported)."""
    for raw in raw_values:
        if len(raw) > MAX_PARAM_CHARS:
            result.ignored.append(_("a value of {n} characters").format(n=format_number(len(raw))))
            raw = raw[:MAX_PARAM_CHARS]
        yield from (part.strip() for part in raw.split(",") if part.strip())


def parse_codes(raw_values: Iterable[str], allowed: Iterable[str]) -> Parsed:
    """Parse ``countries`` values (repeated keys and commas), keep allowed ISO3 codes.

    Case is normalised (``pol`` → ``POL``); duplicates are dropped; anything
    else is ignored and reported.
    """
    allowed_set = set(allowed)
    result = Parsed()
    for part in _parts(raw_values, result):
        code = part.upper()
        if code not in allowed_set:
            result.ignored.append(safe_fragment(part))
        elif code not in result.values:
            if len(result.values) >= MAX_CODES:
                result.ignored.append(_("codes beyond the first {n}").format(n=MAX_CODES))
                break
            result.values.append(code)
    return result


def parse_choice(raw_values: Iterable[str], allowed: Iterable[str], default: str | None) -> Parsed:
    """Parse a single-choice parameter such as ``model``; first valid value wins."""
    allowed_list = list(allowed)
    lowered = {a.lower(): a for a in allowed_list}
    result = Parsed()
    for raw in raw_values:
        value = lowered.get(raw.strip().lower()[:MAX_PARAM_CHARS])
        if value is None:
            result.ignored.append(safe_fragment(raw.strip()))
        elif not result.values:
            result.values.append(value)
    if not result.values and default is not None:
        result.values.append(default)
    return result


def parse_choices(raw_values: Iterable[str], allowed: Iterable[str], default: Iterable[str]) -> Parsed:
    """Parse a multi-choice parameter such as ``lanes=budapest,ksc`` (case-insensitive).

    Values come back in the order of ``allowed``; with no valid value, ``default``.
    """
    allowed_list = list(allowed)
    lowered = {a.lower(): a for a in allowed_list}
    chosen: set[str] = set()
    result = Parsed()
    for part in _parts(raw_values, result):
        value = lowered.get(part.lower())
        if value is None:
            result.ignored.append(safe_fragment(part))
        else:
            chosen.add(value)
    result.values = [a for a in allowed_list if a in chosen] or list(default)
    return result


def notice_text(param: str, ignored: list[str]) -> str | None:
    """A short notice for ignored URL values, or None."""
    if not ignored:
        return None
    shown = ", ".join(ignored[:SHOWN_REJECTS])
    if len(ignored) > SHOWN_REJECTS:
        rest = len(ignored) - SHOWN_REJECTS
        shown = n_("{values} and {n} more", "{values} and {n} more", rest).format(values=shown, n=rest)
    return n_(
        "Ignored unknown `{param}` value(s) in the link: {values}.",
        "Ignored unknown `{param}` value(s) in the link: {values}.",
        len(ignored),
    ).format(param=param, values=shown)


def encode(params: Mapping[str, object]) -> dict[str, str]:
    """Canonical query params for links: lists joined by commas, empties dropped."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        if value not in (None, ""):
            out[key] = str(value)
    return out


def view_link(base: str, params: Mapping[str, Iterable[str]]) -> str:
    """``base`` (a page's URL or path) with the query string of ``params``.

    Any query already on ``base`` is replaced; commas stay readable
    (``?countries=POL,DEU``); keys with no value are left out.
    """
    pairs = [(key, value) for key, values in params.items() for value in values if value != ""]
    query = urlencode(pairs, safe=",")
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


# --- Streamlit side ---------------------------------------------------------


def _raw(query_params, key: str) -> list[str]:
    return list(query_params.get_all(key))


def reseed_on_page_switch(st, page_id: str) -> None:
    """On a page switch, seed every synced widget from the URL again.

    A page's widgets are new widgets to Streamlit, which starts them empty,
    while the URL (carried by the page link) still holds the view; forgetting
    what was last written makes ``synced_widget`` read the URL.
    """
    if st.session_state.get("_urlstate_page") != page_id:
        reseed_all(st)
        st.session_state["_urlstate_page"] = page_id


def reseed_all(st, keep: tuple[str, ...] = ()) -> None:
    """Make every synced widget (but ``keep``) take its value from the URL again on this run."""
    kept = {f"_url_{key}" for key in keep}
    for name in [n for n in st.session_state if str(n).startswith("_url_") and n not in kept]:
        del st.session_state[name]


def seed_from_url(st, key: str, parse: Callable[[list[str]], Parsed], multi: bool = False) -> list[str]:
    """Seed widget ``key`` from the URL when the URL differs from what this session last wrote.

    That is a fresh page load, a shared link or a page switch. Returns the
    ignored fragments to report (none when nothing was seeded).
    """
    raw = _raw(st.query_params, key)
    if st.session_state.get(f"_url_{key}") == raw:
        return []
    parsed = parse(raw)
    st.session_state[key] = parsed.values if multi else (parsed.values or [None])[0]
    return parsed.ignored


def write_to_url(st, key: str, value: object, encode_value: Callable[[object], str | None]) -> None:
    """Write a widget's value back to the URL in canonical form (left out when empty or default)."""
    canonical = encode_value(value)
    if canonical:
        st.query_params[key] = canonical
    elif key in st.query_params:
        del st.query_params[key]
    st.session_state[f"_url_{key}"] = [canonical] if canonical else []


def synced_widget(
    st,
    key: str,
    parse: Callable[[list[str]], Parsed],
    render: Callable[[], object],
    encode_value: Callable[[object], str | None],
    multi: bool = False,
) -> tuple[object, list[str]]:
    """Run a widget whose value lives in the URL under ``key``.

    Seeded from the URL when the link is new to this session, written back in
    canonical form after it runs. Returns the widget value and the ignored
    fragments to report.
    """
    ignored = seed_from_url(st, key, parse, multi)
    value = render()
    write_to_url(st, key, value, encode_value)
    return value, ignored
