"""Does the server write to disk at run time? Checked on the server process itself.

The repo is shared with other work in progress, so a before/after listing of
the working tree could not tell the server's writes from anyone else's.
Instead, for the one server process:

- its kernel I/O counter ``write_bytes`` (bytes it caused to be written to
  storage: every file, anywhere, including the repo, /tmp and HOME);
- the files it holds open for writing, sampled through the run;
- a listing of the private HOME and TMPDIR it was started with (where
  Streamlit or a library would put caches or temporary files).

The server runs with ``PYTHONDONTWRITEBYTECODE=1`` (as in the Dockerfile):
Python's own bytecode cache is the interpreter's, not the app's, and other
work in progress edits modules under ``src/`` while benchmarks run.
"""

from __future__ import annotations

import os
from pathlib import Path

import psutil

WRITE_MODES = {"w", "a", "r+", "a+", "w+"}


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    files = {}
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            files[path] = (stat.st_size, stat.st_mtime_ns)
    return files


class DiskWatch:
    """Watch one server process (see harness.BenchServer) for disk writes."""

    def __init__(self, server):
        self.server = server
        self.process: psutil.Process = server.psutil_process
        self.start_bytes = self.process.io_counters().write_bytes
        self.private_before = {**_listing(server.home), **_listing(server.tmp)}
        self.open_for_writing: set[str] = set()

    def sample(self) -> None:
        """Note every regular file the server holds open for writing now."""
        try:
            for f in self.process.open_files():
                if f.mode in WRITE_MODES:
                    self.open_for_writing.add(f.path)
        except psutil.Error:
            pass

    def result(self) -> dict:
        private_after = {**_listing(self.server.home), **_listing(self.server.tmp)}
        changed = sorted(p for p, sig in private_after.items() if self.private_before.get(p) != sig)
        return {
            "write_bytes": self.process.io_counters().write_bytes - self.start_bytes,
            "open_for_writing": sorted(self.open_for_writing),
            "private_files_changed": changed,
        }


def report(r: dict) -> str:
    clean = not (r["write_bytes"] or r["open_for_writing"] or r["private_files_changed"])
    lines = [
        "### Disk writes by the server during the load run",
        "",
        f"- bytes the server process caused to be written to storage (kernel `write_bytes`): {r['write_bytes']:,}",
        f"- files it held open for writing (sampled every second): {', '.join(r['open_for_writing']) or 'none'}",
        f"- files created or changed in its private HOME and TMPDIR: {', '.join(r['private_files_changed']) or 'none'}",
        "",
        "Verdict: " + ("the app wrote nothing to disk." if clean else "**the server wrote to disk (see above).**"),
    ]
    return "\n".join(lines)
