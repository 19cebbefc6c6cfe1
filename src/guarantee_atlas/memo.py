"""A process-wide memo for the pure core: each derived table and chart is computed once per process.

Streamlit reruns a page's script on every filter change. The tables behind a
view and its figures depend only on the data and a few filter values, so
``@memoized()`` keeps recent results for every session to share, keyed on
the language in use, the *content* of data frames (hashed once per frame
object) and the value of plain arguments. A result is shared: callers must treat it as read-only (the
chart wrapper themes its own figures; pages never modify a derived table).

Streamlit's ``st.cache_data`` and ``st.cache_resource`` hash every frame
argument on every call (1–2 ms per table here, many calls per rerun) and
``st.cache_data`` also pickles each result; this memo hashes a frame object
once, so a hit costs microseconds.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from datetime import date
from typing import Any, Callable, Hashable, TypeVar

import numpy as np
import pandas as pd

from . import i18n

F = TypeVar("F", bound=Callable[..., Any])

_PLAIN = (str, int, float, bool, bytes, date, type(None), np.generic)  # date: Timestamp too


class _Same:
    """Key part for an object compared by identity; holding it keeps its id from being reused."""

    __slots__ = ("value",)

    def __init__(self, value: object):
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


_frame_digests: dict[int, tuple[weakref.ref, str]] = {}
_digest_lock = threading.Lock()


def frame_digest(frame: pd.DataFrame | pd.Series) -> str:
    """A hash of a frame's values, index, columns and dtypes; computed once per frame object.

    So a frame handed to a memoized function must not be modified in place
    afterwards: the core makes new frames instead (``tests/test_memo.py`` runs
    every page with and without the memo and compares what they show).
    """
    key = id(frame)
    with _digest_lock:
        known = _frame_digests.get(key)
        if known is not None and known[0]() is frame:
            return known[1]
    digest = hashlib.blake2b(digest_size=16)
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    names = list(frame.columns) if isinstance(frame, pd.DataFrame) else [frame.name]
    dtypes = list(frame.dtypes) if isinstance(frame, pd.DataFrame) else [frame.dtype]
    digest.update(repr((type(frame).__name__, names, [str(d) for d in dtypes], len(frame))).encode())
    value = digest.hexdigest()

    def forget(_ref, key=key):
        with _digest_lock:
            _frame_digests.pop(key, None)

    with _digest_lock:
        _frame_digests[key] = (weakref.ref(frame, forget), value)
    return value


def fingerprint(value: Any) -> Hashable:
    """A hashable stand-in for an argument: frames by content, containers and frozen dataclasses by their items.

    Functions, figures, the dataset and other objects are compared by identity.
    """
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return ("frame", frame_digest(value))
    if isinstance(value, (np.ndarray, pd.Index, pd.api.extensions.ExtensionArray)):
        return (type(value).__name__, str(value.dtype), tuple(fingerprint(v) for v in value.tolist()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(fingerprint(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(fingerprint(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, fingerprint(v)) for k, v in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and value.__dataclass_params__.frozen:
        return (type(value), tuple(fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value)))
    return _Same(value)


_memos: list[Callable[[], None]] = []


def memoized(maxsize: int = 32) -> Callable[[F], F]:
    """Keep the last ``maxsize`` results of a pure function for the whole process (thread-safe)."""

    def decorate(function: F) -> F:
        results: OrderedDict[Hashable, Any] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            # The language is part of every key: a result holds text in the language it was made in.
            key = (i18n.current(), fingerprint(args), fingerprint(dict(sorted(kwargs.items()))))
            with lock:
                if key in results:
                    results.move_to_end(key)
                    return results[key]
            value = function(*args, **kwargs)
            with lock:
                results[key] = value
                while len(results) > maxsize:
                    results.popitem(last=False)
            return value

        def cache_clear() -> None:
            with lock:
                results.clear()

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        wrapper.cache_size = lambda: len(results)  # type: ignore[attr-defined]
        _memos.append(cache_clear)
        return wrapper  # type: ignore[return-value]

    return decorate


def clear_all() -> None:
    """Forget every memoized result (tests that swap the data folder)."""
    for clear in _memos:
        clear()
