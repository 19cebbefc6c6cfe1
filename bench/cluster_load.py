"""Load and faults through HAProxy: 1 replica against 3, a replica killed, floods, abandoned sessions.

    python bench/cluster_load.py                    # 100 sessions × 120 s per cluster, then the faults
    python bench/cluster_load.py --sessions 10 --seconds 15 --quick   # a short run while developing

Every step runs a fresh ``deploy/cluster.py`` cluster on loopback ports (HAProxy
in front, sticky cookie) and drives readers with ``st_client.Session``, a
client that speaks the frontend's websocket protocol (see st_client.py; a test
compares it with Chromium). Traffic stays on 127.0.0.1; every loop is bounded
in count and time and stops by itself.

1. **Load, 1 replica, then 3**: ``--sessions`` readers, started over
   ``STAGGER_S``, each for ``--seconds``: opens a deep link, then until its time
   is up waits 2–5 s and changes the country filter, the model or the period
   (where the page has them), follows a sidebar link or downloads a CSV. Each
   rerun is timed from the message sent to the server's ``script_finished``.
   Errors: any failed action (no answer in 60 s, an HTTP error, an exception
   on the page, a dropped websocket, a failed download) and server tracebacks.
2. **Kill**: 3 replicas under ``--kill-sessions`` readers; one replica is
   SIGKILLed mid-run. Readers on the others must see no error; readers on the
   killed one reconnect through the balancer (as the frontend does), must show
   the same view as a fresh reader of the same link, and download a CSV. The
   supervisor restarts the replica; new readers must land on it again.
3. **Flood**: a reader sends 50 reruns in one second; 5 readers on the same
   replica rerun meanwhile: their rerun times against before.
4. **Abandoned sessions**: ``--abandon`` readers open a link and leave; replica
   RSS before, at the peak, and after the disconnected-session TTL
   (``server.disconnectedSessionTTL``).
5. **Bad frames**: an oversized and a malformed websocket message, and a text
   frame: the websocket is closed, the replica stays up and serves others.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import threading
import time
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "bench"))
from cluster import LocalCluster  # noqa: E402
from st_client import Disconnected, ProtocolError, Session  # noqa: E402

LINKS = [
    "/", "/?countries=POL", "/map?model=ksc", "/map?view=side&countries=DEU", "/aid", "/aid?section=given&countries=POL",
    "/compare", "/timeline?period=2014", "/timeline?countries=GBR,POL", "/country?country=POL", "/methodology",
]
COUNTRIES = ["Poland", "Germany", "United Kingdom", "France"]
ACTIONS = {"country": 3, "model": 2, "period": 2, "page": 2, "download": 1}
THINK_S = (2.0, 5.0)
STAGGER_S = 20.0
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def ms(values: list[float], q: float) -> str:
    return f"{pct(values, q) * 1000:.0f}"


class RssWatch:
    """RSS of every replica, sampled each second in a thread (by replica name; restarts included)."""

    def __init__(self, cluster: LocalCluster):
        self.cluster = cluster
        self.samples: dict[str, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.cluster.replica_pids().items():
                try:
                    self.samples.setdefault(name, []).append(psutil.Process(pid).memory_info().rss / 2**20)
                except (psutil.Error, OSError):
                    pass
            self._stop.wait(1)

    def stop(self) -> dict[str, list[float]]:
        self._stop.set()
        self._thread.join()
        return self.samples


def rss_now(cluster: LocalCluster) -> dict[str, float]:
    return {name: psutil.Process(pid).memory_info().rss / 2**20 for name, pid in cluster.replica_pids().items()}


async def act(session: Session, rng: random.Random, stats: dict) -> str:
    """One reader action on the current page; returns its name."""
    choice = rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
    if choice == "model" and not session.options("model"):
        choice = "period"
    if choice == "period" and not session.options("period"):
        choice = "country"
    if choice == "download" and not any(label == "Download data (CSV)" for label, _ in session.download_buttons()):
        choice = "page"
    if choice == "country":
        now = session.value("countries")
        name = rng.choice(COUNTRIES)
        result = await session.set_widget("countries", [c for c in now if c != name] if name in now else now + [name])
    elif choice in ("model", "period"):
        current = session.value(choice)
        result = await session.set_widget(choice, [rng.choice([o for o in session.options(choice) if o not in current])])
    elif choice == "page":
        labels = [label for label, _, _ in session.page_links() if label != "Report a correction"]
        result = await session.follow_link(rng.choice(labels))
    else:
        started = time.monotonic()
        body = await session.download()
        stats["downloads"].append(time.monotonic() - started)
        stats["download_bytes"] += len(body)
        return choice
    stats["reruns"].append(result.seconds)
    stats["by_action"].setdefault(choice, []).append(result.seconds)
    return choice


async def reader(url: str, seconds: float, delay: float, rng: random.Random, stats: dict,
                 on_drop=None) -> None:
    await asyncio.sleep(delay)
    session = Session(url)
    try:
        started = time.monotonic()
        first = await session.open(rng.choice(LINKS))
        stats["opens"].append(time.monotonic() - started)
        stats["reruns"].append(first.seconds)
        stats["replica"] = session.cookies.get("ATLAS_REPLICA")
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await asyncio.sleep(rng.uniform(*THINK_S))
            try:
                await act(session, rng, stats)
                stats["actions"] += 1
            except Disconnected as exc:
                if on_drop is None:
                    raise
                await on_drop(session, stats, exc)
        stats["completed"] = True
    except (ProtocolError, Disconnected, OSError, asyncio.TimeoutError, ValueError) as exc:
        stats["errors"].append(f"{type(exc).__name__}: {str(exc)[:160]}")
    finally:
        await session.close()


def new_stats() -> dict:
    return {"opens": [], "reruns": [], "by_action": {}, "downloads": [], "download_bytes": 0, "actions": 0,
            "errors": [], "completed": False, "replica": None, "dropped": False}


async def load(url: str, sessions: int, seconds: float, seed: int, on_drop=None, during=None) -> list[dict]:
    stats = [new_stats() for _ in range(sessions)]
    stagger = min(STAGGER_S, seconds / 4)
    tasks = [reader(url, seconds, stagger * i / sessions, random.Random(seed * 1000 + i), stats[i], on_drop)
             for i in range(sessions)]
    if during is not None:
        tasks.append(during(stats))
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + stagger + 180)
    return stats


def tracebacks(cluster: LocalCluster) -> int:
    return len(re.findall(r"^Traceback", cluster.logs(), flags=re.M))


async def warm_up(cluster: LocalCluster) -> None:
    """Open every link once on every replica (first runs import modules and fill memos)."""
    for replica in cluster.state()["replicas"].values():
        for link in LINKS:
            session = Session(f"http://127.0.0.1:{replica['port']}")
            await session.open(link)
            await session.close()


def step_load(replicas: int, sessions: int, seconds: float) -> dict:
    with LocalCluster(replicas=replicas) as cluster:
        asyncio.run(warm_up(cluster))
        watch = RssWatch(cluster)
        me = psutil.Process()
        me.cpu_percent()
        started = time.monotonic()
        stats = asyncio.run(load(cluster.url, sessions, seconds, seed=replicas))
        wall = time.monotonic() - started
        client_cpu = me.cpu_percent()
        rss = watch.stop()
        return {"replicas": replicas, "sessions": sessions, "seconds": seconds, "stats": stats, "wall": wall,
                "rss": rss, "tracebacks": tracebacks(cluster), "client_cpu": client_cpu}


def load_rows(results: list[dict]) -> str:
    rows = ["| replicas | sessions completed | reruns | reruns/s | errors | rerun p50 ms | p95 ms | p99 ms | "
            "downloads | first open p50 ms | RSS per replica, MB (start → peak → end) |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        stats = r["stats"]
        reruns = [x for s in stats for x in s["reruns"]]
        errors = sum(len(s["errors"]) for s in stats) + r["tracebacks"]
        rss = "; ".join(f"{name} {v[0]:.0f} → {max(v):.0f} → {v[-1]:.0f}" for name, v in sorted(r["rss"].items()))
        rows.append(
            f"| {r['replicas']} | {sum(s['completed'] for s in stats)} of {len(stats)} | {len(reruns)} | "
            f"{len(reruns) / r['wall']:.1f} | {errors} | {ms(reruns, 50)} | {ms(reruns, 95)} | {ms(reruns, 99)} | "
            f"{sum(len(s['downloads']) for s in stats)} | {ms([x for s in stats for x in s['opens']], 50)} | {rss} |")
    return "\n".join(rows)


def action_rows(results: list[dict]) -> str:
    kinds = sorted({k for r in results for s in r["stats"] for k in s["by_action"]})
    rows = ["| replicas | " + " | ".join(f"{k} p50 / p95 ms" for k in kinds) + " | CSV download p50 / p95 ms |",
            "|---|" + "---|" * (len(kinds) + 1)]
    for r in results:
        cells = []
        for k in kinds:
            values = [x for s in r["stats"] for x in s["by_action"].get(k, [])]
            cells.append(f"{ms(values, 50)} / {ms(values, 95)} ({len(values)})")
        downloads = [x for s in r["stats"] for x in s["downloads"]]
        cells.append(f"{ms(downloads, 50)} / {ms(downloads, 95)} ({len(downloads)})")
        rows.append(f"| {r['replicas']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def error_list(results: list[dict]) -> str:
    errors = [e for r in results for s in r["stats"] for e in s["errors"]]
    shown = "".join(f"\n  - {e}" for e in errors[:8])
    return shown + (f"\n  - … and {len(errors) - 8} more" if len(errors) > 8 else "")


# --- faults ------------------------------------------------------------------


async def same_view_as_fresh(url: str, session: Session) -> bool:
    """Does ``session`` show what a new reader of its link sees (charts, elements)?"""
    fresh = Session(url)
    try:
        await fresh.open(session.path + ("?" + session.query_string if session.query_string else ""))
        return fresh.summary() == session.summary() and fresh.charts() == session.charts()
    finally:
        await fresh.close()


def step_kill(sessions: int, seconds: float, kill_at: float) -> dict:
    out: dict = {"victim": "r2"}
    with LocalCluster(replicas=3) as cluster:
        asyncio.run(warm_up(cluster))

        async def on_drop(session: Session, stats: dict, exc: Exception) -> None:
            stats["dropped"] = True
            link_before = (session.path, session.query_string)
            started = time.monotonic()
            await session.reconnect()
            stats["reconnect_s"] = time.monotonic() - started
            stats["replica_after"] = session.cookies.get("ATLAS_REPLICA")
            stats["same_link"] = (session.path, session.query_string) == link_before
            stats["same_view"] = await same_view_as_fresh(cluster.url, session)
            # The page's first download (the chart's CSV; the data ZIP on the Methodology page).
            buttons = session.download_buttons()
            if buttons:
                body = await session.download(buttons[0][0])
                stats["download_after"] = len(body) > 0
            else:
                stats["no_download_on_page"] = True

        async def killer(stats: list[dict]) -> None:
            await asyncio.sleep(kill_at)
            out["on_victim"] = sum(s["replica"] == "r2" for s in stats)
            out["pid"] = cluster.kill("r2")
            out["killed_at"] = time.monotonic()
            out["back_s"] = await asyncio.to_thread(cluster.wait_up, "r2", out["pid"])
            # New readers land on the restarted replica again (least connections).
            landed = []
            for _ in range(6):
                fresh = Session(cluster.url)
                await fresh.open("/compare")
                landed.append(fresh.cookies.get("ATLAS_REPLICA"))
                await fresh.close()
            out["new_on_victim"] = landed.count("r2")
            out["new_total"] = len(landed)

        out["stats"] = asyncio.run(load(cluster.url, sessions, seconds, seed=7, on_drop=on_drop, during=killer))
        out["tracebacks"] = tracebacks(cluster)
        out["restarts"] = cluster.state()["replicas"]["r2"]["restarts"]
    return out


def kill_report(r: dict) -> str:
    stats = r["stats"]
    others = [s for s in stats if s["replica"] != r["victim"]]
    victims = [s for s in stats if s["replica"] == r["victim"]]
    dropped = [s for s in victims if s["dropped"]]
    reconnects = [s["reconnect_s"] for s in dropped if "reconnect_s" in s]
    return (
        f"| readers on the other replicas | errors | {len(others)} | {sum(len(s['errors']) for s in others)} |\n"
        f"| readers on the killed replica (r2, SIGKILL at {r.get('killed_at') and 'mid-run'}) | errors | "
        f"{len(victims)} | {sum(len(s['errors']) for s in victims)} |\n"
        f"| … whose websocket dropped and reconnected through the balancer | reconnect p50 / max s | {len(dropped)} | "
        f"{statistics.median(reconnects) if reconnects else float('nan'):.1f} / {max(reconnects, default=float('nan')):.1f} |\n"
        f"| … same link (path and query) after the reconnect | | {sum(s.get('same_link', False) for s in dropped)} of {len(dropped)} | |\n"
        f"| … same view as a fresh reader of that link (elements, chart figures) | | "
        f"{sum(s.get('same_view', False) for s in dropped)} of {len(dropped)} | |\n"
        f"| … download right after the reconnect (the page's first: CSV, or the data ZIP) | OK | "
        f"{sum(s.get('download_after', False) for s in dropped)} of {sum('download_after' in s for s in dropped)} "
        f"(pages with no download: {sum(s.get('no_download_on_page', False) for s in dropped)}) | |\n"
        f"| … on which replica afterwards | | {', '.join(sorted({str(s.get('replica_after')) for s in dropped}))} | |\n"
        f"| killed replica restarted by the supervisor and UP in HAProxy | s after the kill | {r['restarts']} restart | {r['back_s']:.1f} |\n"
        f"| new readers landing on it afterwards | | {r['new_on_victim']} of {r['new_total']} | |\n"
        f"| server tracebacks | | {r['tracebacks']} | |"
    )


def step_flood() -> dict:
    out = {}
    with LocalCluster(replicas=3) as cluster:
        asyncio.run(warm_up(cluster))

        async def run() -> None:
            flooder = Session(cluster.url)
            await flooder.open("/timeline?countries=POL")
            replica = flooder.cookies["ATLAS_REPLICA"]
            others = []
            for i in range(5):  # on the same replica: its sticky cookie
                other = Session(cluster.url, cookies={"ATLAS_REPLICA": replica})
                await other.open("/map?model=ksc")
                others.append(other)
            assert all(o.cookies["ATLAS_REPLICA"] == replica for o in others)

            async def toggles(rounds: int) -> list[float]:
                times = []
                for n in range(rounds):
                    for o in others:
                        now = o.value("countries")
                        result = await o.set_widget("countries", ["Germany"] if not now else [])
                        times.append(result.seconds)
                    await asyncio.sleep(0.2)
                return times

            out["before"] = await toggles(4)
            health: list[float] = []

            async def probe() -> None:
                from st_client import http_get
                for _ in range(10):
                    started = time.monotonic()
                    status, _, _ = await http_get(cluster.url + "/_stcore/health", {"ATLAS_REPLICA": replica})
                    health.append(time.monotonic() - started if status == 200 else float("inf"))
                    await asyncio.sleep(0.2)

            flood_task = asyncio.create_task(flooder.flood(50, 1.0))
            during, _ = await asyncio.gather(toggles(4), probe())
            flood_result = await flood_task
            out["during"] = during
            out["health"] = health
            out["flood_settle_s"] = flood_result.seconds
            out["after"] = await toggles(2)
            for s in [flooder, *others]:
                await s.close()

        asyncio.run(run())
        out["tracebacks"] = tracebacks(cluster)
    return out


def step_abandon(count: int, concurrency: int, rounds: int = 2) -> dict:
    """``rounds`` × ``count`` readers open a link and leave; RSS after each round's TTL.

    A second round tells retained memory (a level the process keeps: caches,
    the allocator's arenas) from a leak (growth with every round).
    """
    ttl = CONFIG["server"]["disconnectedSessionTTL"]
    out: dict = {"count": count, "ttl": ttl, "rounds": []}
    with LocalCluster(replicas=3) as cluster:
        asyncio.run(warm_up(cluster))
        time.sleep(3)
        out["before"] = rss_now(cluster)
        errors: list[str] = []

        async def run(seed: int) -> None:
            queue = list(range(count))

            async def worker(n: int) -> None:
                rng = random.Random(seed * 100 + n)
                while queue:
                    queue.pop()
                    session = Session(cluster.url)
                    try:
                        await session.open(rng.choice(LINKS))
                    except (ProtocolError, Disconnected, OSError, asyncio.TimeoutError) as exc:
                        errors.append(str(exc)[:100])
                    finally:
                        await session.close()  # the reader closes the tab

            await asyncio.gather(*(worker(n) for n in range(concurrency)))

        async def nudge() -> None:
            # Past the TTL, one more reader per replica makes Streamlit drop the expired sessions.
            for replica in cluster.state()["replicas"].values():
                session = Session(f"http://127.0.0.1:{replica['port']}")
                await session.open("/compare")
                await session.close()

        for round_no in range(rounds):
            watch = RssWatch(cluster)
            started = time.monotonic()
            asyncio.run(run(round_no))
            result = {"open_s": time.monotonic() - started, "right_after": rss_now(cluster)}
            time.sleep(ttl + 5)
            asyncio.run(nudge())
            time.sleep(10)
            result["after"] = rss_now(cluster)
            result["peak"] = {name: max(v) for name, v in watch.stop().items()}
            out["rounds"].append(result)
        out["errors"] = errors
        out["tracebacks"] = tracebacks(cluster)
    return out


def step_bad_frames() -> dict:
    out = {}
    with LocalCluster(replicas=1) as cluster:
        async def run() -> None:
            limit = CONFIG["server"]["maxMessageSize"] * 10**6
            for name, frame in [("oversized", b"\x0a" * (limit + 1024)),
                                ("just over the widget-state limit", b"\x0a" * (CONFIG["server"]["maxWidgetStateSize"] * 10**6 + 16)),
                                ("malformed", bytes(random.Random(1).randrange(256) for _ in range(4096))),
                                ("text", "hello")]:
                session = Session(cluster.url)
                await session.open("/compare")
                code = await session.send_raw(frame)
                await session.close()
                other = Session(cluster.url)
                result = await other.open("/map?model=ksc")
                await other.close()
                out[name] = (code, result.status == 0)

        asyncio.run(run())
        out["tracebacks"] = tracebacks(cluster)
        out["pid_same"] = len(cluster.state()["replicas"]) == 1 and cluster.state()["replicas"]["r1"]["restarts"] == 0
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--kill-sessions", type=int, default=30)
    parser.add_argument("--kill-seconds", type=float, default=45)
    parser.add_argument("--abandon", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="skip the abandoned-sessions step")
    parser.add_argument("--only", choices=["load", "kill", "flood", "abandon", "bad"], action="append")
    args = parser.parse_args()
    only = set(args.only or ["load", "kill", "flood", "abandon", "bad"])
    if args.quick:
        only.discard("abandon")
    cpus = psutil.cpu_count()
    print(f"## Cluster: HAProxy and replicas on loopback ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC)\n")
    print(f"{cpus} cores, load average {psutil.getloadavg()[0]:.2f} at the start; app on the real data in data/; "
          "readers driven by bench/st_client.py (the frontend's websocket protocol) in one process.\n", flush=True)
    if "load" in only:
        results = []
        for replicas in (1, 3):
            started = time.monotonic()
            results.append(step_load(replicas, args.sessions, args.seconds))
            print(f"_load with {replicas} replica(s): {time.monotonic() - started:.0f} s, load generator "
                  f"{results[-1]['client_cpu']:.0f}% of one core_\n", flush=True)
        print(f"### Load: {args.sessions} readers for {args.seconds:.0f} s through HAProxy\n")
        print(load_rows(results) + "\n")
        print(action_rows(results) + "\n")
        r1, r3 = ([x for s in r["stats"] for x in s["reruns"]] for r in results)
        t1, t3 = (len([x for s in r["stats"] for x in s["reruns"]]) / r["wall"] for r in results)
        print(f"Scaling, 3 replicas against 1: throughput {t3 / t1:.2f}× (reruns/s), rerun p50 "
              f"{pct(r1, 50) / pct(r3, 50):.2f}× and p95 {pct(r1, 95) / pct(r3, 95):.2f}× faster.")
        print(f"Errors:{error_list(results) or ' none'}\n", flush=True)
    if "kill" in only:
        r = step_kill(args.kill_sessions, args.kill_seconds, kill_at=args.kill_seconds / 3)
        print(f"### Kill: {args.kill_sessions} readers for {args.kill_seconds:.0f} s on 3 replicas, r2 SIGKILLed "
              f"at {args.kill_seconds / 3:.0f} s ({r['on_victim']} readers on it)\n")
        print("| who | what | count | figure |\n|---|---|---|---|\n" + kill_report(r) + "\n")
        errors = [e for s in r["stats"] for e in s["errors"]]
        print(f"Errors: {', '.join(errors[:8]) if errors else 'none'}\n", flush=True)
    if "flood" in only:
        r = step_flood()
        print("### Flood: one reader sends 50 reruns in 1 s; 5 readers on the same replica change the country\n")
        print("| the 5 others' reruns | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
        for label in ("before", "during", "after"):
            print(f"| {label} | {len(r[label])} | {ms(r[label], 50)} | {ms(r[label], 95)} | {ms(r[label], 100)} |")
        print(f"\nHealth check through the balancer during the flood: max {max(r['health']) * 1000:.0f} ms "
              f"({len(r['health'])} probes); the flooder's next normal rerun after its 50 took {r['flood_settle_s'] * 1000:.0f} ms; server tracebacks {r['tracebacks']}.\n", flush=True)
    if "abandon" in only:
        r = step_abandon(args.abandon, concurrency=20)
        print(f"### Abandoned sessions: twice, {r['count']} readers open a link and leave "
              f"({', '.join(str(round(x['open_s'])) + ' s' for x in r['rounds'])}); disconnectedSessionTTL {r['ttl']} s\n")
        head = " | ".join(f"round {n + 1}: peak | right after | after the TTL" for n in range(len(r["rounds"])))
        print(f"| replica | RSS before MB | {head} |\n|---|---|" + "---|---|---|" * len(r["rounds"]))
        for name in sorted(r["before"]):
            cells = " | ".join(f"{x['peak'].get(name, float('nan')):.0f} | {x['right_after'][name]:.0f} | {x['after'][name]:.0f}"
                               for x in r["rounds"])
            print(f"| {name} | {r['before'][name]:.0f} | {cells} |")
        print(f"\nErrors: {len(r['errors'])}; server tracebacks {r['tracebacks']}.\n", flush=True)
    if "bad" in only:
        r = step_bad_frames()
        print("### Bad websocket frames (1 replica behind HAProxy)\n")
        print("| frame | close code (-1: closed before the frame was fully sent, no close frame) | replica still serves a new reader |\n|---|---|---|")
        for name in ("oversized", "just over the widget-state limit", "malformed", "text"):
            code, ok = r[name]
            print(f"| {name} | {code} | {'yes' if ok else 'NO'} |")
        print(f"\nReplica never restarted: {'yes' if r['pid_same'] else 'NO'}; tracebacks in its log: {r['tracebacks']}.\n")


if __name__ == "__main__":
    main()
