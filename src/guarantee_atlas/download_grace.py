"""Keep a generated download on the server long enough for the browser to fetch it.

A download button with ``data=<callable>`` (every chart's CSV and HTML, the data
ZIP) makes its file only when clicked: the browser asks over the websocket,
Streamlit runs the callable, stores the bytes and answers with a ``/media/…``
URL, which the browser then GETs. Streamlit 1.67 stores that file unreferenced
by any session (``MediaFileManager.execute_deferred``: "We leave actual_file_id
unmapped"), and every script run of any session ends with
``remove_orphaned_files()``, which marks unreferenced files on one pass and
deletes them on the next. With one reader nothing runs in between; with many
readers on a replica, two other runs often end between the answer and the GET,
and the download fails with HTTP 404 (bench/RESULTS.md, cluster load: 61 of 161
CSV downloads under 100 readers on one replica).

``install()`` wraps the two methods so that a file made for a click is never
taken for an orphan during its first ``GRACE_S`` seconds; after that it is
removed as before. It is installed when the package is imported (by every page,
before any download button exists) and checks that Streamlit still has the
methods it wraps; ``tests/test_cluster.py`` reproduces the race.
"""

from __future__ import annotations

import threading
import time

GRACE_S = 120.0
_lock = threading.Lock()
_made: dict[str, float] = {}  # file id → when a click made it


def _file_id(url: str) -> str:
    """``/media/<id>.csv`` → ``<id>`` (MemoryMediaFileStorage.get_url)."""
    return url.rsplit("/", 1)[-1].split(".", 1)[0]


def install() -> bool:
    """Wrap Streamlit's media file manager (once); False if its methods are not there."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    if getattr(MediaFileManager, "_atlas_grace", False):
        return True
    execute, inactive = (getattr(MediaFileManager, name, None) for name in ("execute_deferred", "_get_inactive_file_ids"))
    if execute is None or inactive is None:
        return False

    def execute_deferred(self, file_id: str) -> str:
        url = execute(self, file_id)
        with _lock:
            _made[_file_id(url)] = time.monotonic()
        return url

    def get_inactive_file_ids(self) -> set[str]:
        ids = inactive(self)
        now = time.monotonic()
        with _lock:
            for made_id, made_at in list(_made.items()):
                if now - made_at > GRACE_S:
                    del _made[made_id]
                else:
                    ids.discard(made_id)
        return ids

    MediaFileManager.execute_deferred = execute_deferred
    MediaFileManager._get_inactive_file_ids = get_inactive_file_ids
    MediaFileManager._atlas_grace = True
    return True
