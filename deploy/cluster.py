"""N app replicas behind HAProxy on this machine, without containers.

    python deploy/cluster.py start [--replicas 3] [--port 8500] [--replica-port 8511]
    python deploy/cluster.py stop
    python deploy/cluster.py status

``start`` runs a supervisor in the background (its own process group) that
starts the replicas (``streamlit run app.py`` on 127.0.0.1, consecutive ports
from ``--replica-port``) and HAProxy (deploy/haproxy.cfg, on ``--port``), and
starts again any replica that exits (a killed replica is back within a few
seconds; HAProxy takes it out after two failed health checks and puts it back
after two good ones). ``start`` returns once HAProxy reports every replica up,
and prints the balancer's address as its last line. ``stop`` ends the
supervisor, which stops what it started; what is left is killed by PID.

Everything is on loopback. State (generated haproxy.cfg, PIDs, logs) lives in
``--state-dir`` (default ``.cluster/`` in the repository; tests use their own).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "haproxy.cfg"
HAPROXY = os.environ.get("HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy")
HOST = "127.0.0.1"
RESTART_DELAY_S = 1.0  # before a replica that exited is started again


def replica_command(port: int) -> list[str]:
    """``streamlit run`` for one replica; .streamlit/config.toml holds the rest."""
    return [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port),
        "--server.address", HOST,
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]


def haproxy_config(port: int, replica_ports: list[int], stats_socket: Path | None = None) -> str:
    servers = "\n".join(
        f"    server r{n} {HOST}:{p} cookie r{n}" for n, p in enumerate(replica_ports, start=1)
    )
    text = TEMPLATE.read_text().replace("bind @BIND@", f"bind {HOST}:{port}").replace("\n@SERVERS@", "\n" + servers)
    if stats_socket is not None:
        # The admin socket tells `start` (and the tests) which replicas HAProxy has up.
        text = text.replace("global\n", f"global\n    stats socket {stats_socket} mode 600 level admin\n", 1)
    return text


def haproxy_states(sock_path: Path) -> dict[str, str]:
    """Replica name → HAProxy's view of it (UP, DOWN, …), from the admin socket."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(2)
        sock.connect(str(sock_path))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    states = {}
    for line in data.decode().splitlines():
        fields = line.split(",")
        if len(fields) > 17 and fields[0] == "replicas" and fields[1] not in ("BACKEND", "FRONTEND"):
            states[fields[1]] = fields[17]
    return states


class Paths:
    def __init__(self, state_dir: Path):
        self.dir = state_dir
        self.state = state_dir / "cluster.json"
        self.config = state_dir / "haproxy.cfg"
        self.stats = state_dir / "haproxy.sock"
        self.log = state_dir / "supervisor.log"

    def replica_log(self, n: int) -> Path:
        return self.dir / f"replica-{n}.log"


def _log(paths: Paths, text: str) -> None:
    with paths.log.open("a") as f:
        f.write(f"{time.strftime('%H:%M:%S')} {text}\n")


def _write_state(paths: Paths, state: dict) -> None:
    tmp = paths.state.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1))
    tmp.replace(paths.state)


def supervise(args: argparse.Namespace) -> None:
    """Run replicas and HAProxy; restart replicas that exit; stop all on SIGTERM/SIGINT."""
    paths = Paths(Path(args.state_dir))
    ports = [args.replica_port + i for i in range(args.replicas)]
    paths.config.write_text(haproxy_config(args.port, ports, paths.stats))
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def start_replica(n: int) -> subprocess.Popen:
        log = paths.replica_log(n).open("a")
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        return subprocess.Popen(replica_command(ports[n - 1]), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    replicas = {n: start_replica(n) for n in range(1, args.replicas + 1)}
    restarts = {n: 0 for n in replicas}
    hap_log = (paths.dir / "haproxy.log").open("a")
    haproxy = subprocess.Popen([HAPROXY, "-f", str(paths.config), "-db"], stdout=hap_log, stderr=subprocess.STDOUT)
    _log(paths, f"started haproxy {haproxy.pid} on {HOST}:{args.port}; replicas "
         + ", ".join(f"r{n} {p.pid} on {ports[n - 1]}" for n, p in replicas.items()))

    def save() -> None:
        _write_state(paths, {
            "supervisor": os.getpid(), "url": f"http://{HOST}:{args.port}", "haproxy": haproxy.pid,
            "replicas": {f"r{n}": {"pid": p.pid, "port": ports[n - 1], "restarts": restarts[n]}
                         for n, p in replicas.items()},
        })

    save()
    exited_at: dict[int, float] = {}
    while not stopping:
        time.sleep(0.2)
        if haproxy.poll() is not None:
            _log(paths, f"haproxy exited with {haproxy.returncode}: stopping the cluster")
            break
        for n, proc in replicas.items():
            if proc.poll() is None:
                continue
            first_seen = exited_at.setdefault(n, time.monotonic())
            if time.monotonic() - first_seen < RESTART_DELAY_S:
                continue
            del exited_at[n]
            _log(paths, f"r{n} (pid {proc.pid}) exited with {proc.returncode}: starting it again")
            replicas[n] = start_replica(n)
            restarts[n] += 1
            save()
    for proc in [haproxy, *replicas.values()]:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + 10
    for proc in [haproxy, *replicas.values()]:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    _log(paths, "stopped")
    paths.state.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def read_state(state_dir: Path) -> dict | None:
    path = Paths(state_dir).state
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text())
    except json.JSONDecodeError:
        return None
    return state if _alive(state["supervisor"]) else None


def wait_healthy(state_dir: Path, replicas: int, timeout: float = 120) -> dict:
    """Wait until HAProxy has every replica UP and answers /_stcore/health itself."""
    paths = Paths(state_dir)
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        state = read_state(state_dir)
        if state is None and paths.state.exists() is False and time.monotonic() > deadline - timeout + 5:
            raise RuntimeError(f"the cluster stopped while starting; see {paths.log}")
        if state is not None and paths.stats.exists():
            try:
                last = haproxy_states(paths.stats)
                # HAProxy counts a server UP before its first check: ask each replica too.
                if (len(last) == replicas and all(s == "UP" for s in last.values())
                        and all(_healthy(r["port"]) for r in state["replicas"].values())):
                    with urllib.request.urlopen(state["url"] + "/_stcore/health", timeout=5) as response:
                        if response.status == 200:
                            return state
            except OSError:
                pass
        time.sleep(0.3)
    raise RuntimeError(f"the cluster did not become healthy in {timeout:.0f} s (HAProxy: {last}); see {paths.dir}")


def start(args: argparse.Namespace) -> int:
    state_dir = Path(args.state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    existing = read_state(state_dir)
    if existing:
        print(f"A cluster is already running (supervisor {existing['supervisor']}): "
              f"`make cluster-stop` first.", file=sys.stderr)
        return 1
    if not Path(HAPROXY).exists():
        print(f"haproxy not found at {HAPROXY}: `make haproxy` installs Debian's package.", file=sys.stderr)
        return 1
    for port in [args.port] + [args.replica_port + i for i in range(args.replicas)]:
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                print(f"Port {port} is in use: choose others (PORT=, REPLICA_PORT=).", file=sys.stderr)
                return 1
    for old in state_dir.glob("*.log"):
        old.unlink()
    command = [sys.executable, __file__, "supervise", "--replicas", str(args.replicas), "--port", str(args.port),
               "--replica-port", str(args.replica_port), "--state-dir", str(state_dir)]
    subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=(state_dir / "supervisor.err").open("w"))
    print(f"Starting {args.replicas} replicas (ports {args.replica_port}–{args.replica_port + args.replicas - 1}) "
          f"behind HAProxy; logs in {state_dir}/", flush=True)
    try:
        state = wait_healthy(state_dir, args.replicas, args.timeout)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        stop(args)
        return 1
    print(state["url"])
    return 0


def stop(args: argparse.Namespace) -> int:
    state_dir = Path(args.state_dir)
    path = Paths(state_dir).state
    if not path.exists():
        print("No cluster is running.")
        return 0
    state = json.loads(path.read_text())
    pids = [state["supervisor"], state["haproxy"]] + [r["pid"] for r in state["replicas"].values()]
    if _alive(state["supervisor"]):
        os.kill(state["supervisor"], signal.SIGTERM)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    for pid in pids:  # whatever the supervisor could not stop
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)
    print("Cluster stopped.")
    return 0


def status(args: argparse.Namespace) -> int:
    state = read_state(Path(args.state_dir))
    if state is None:
        print("No cluster is running.")
        return 1
    print(json.dumps(state | {"haproxy_view": haproxy_states(Paths(Path(args.state_dir)).stats)}, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status", "supervise"])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--port", type=int, default=8500, help="the balancer's port")
    parser.add_argument("--replica-port", type=int, default=8511, help="the first replica's port")
    parser.add_argument("--state-dir", default=str(ROOT / ".cluster"))
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args(argv)
    if args.command == "supervise":
        supervise(args)
        return 0
    return {"start": start, "stop": stop, "status": status}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())


def _free_range(count: int) -> int:
    """The first of ``count`` consecutive free loopback ports (in 20000–59999)."""
    import random

    for _ in range(200):
        base = random.randrange(20000, 60000 - count)
        ok = True
        for port in range(base, base + count):
            with socket.socket() as sock:
                try:
                    sock.bind((HOST, port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free port range")


class LocalCluster:
    """``cluster.py start`` in a private state folder, for benchmarks and tests; stopped on exit.

        with LocalCluster(replicas=3) as cluster:
            cluster.url, cluster.replica_pids(), cluster.kill("r2")
    """

    def __init__(self, replicas: int = 3, state_dir: Path | None = None, env: dict | None = None):
        import tempfile

        self.replicas = replicas
        # A private folder is removed on stop (ATLAS_KEEP_CLUSTER_LOGS=1 keeps it, to read the logs).
        self._own_dir = state_dir is None and not os.environ.get("ATLAS_KEEP_CLUSTER_LOGS")
        self.state_dir = state_dir or Path(tempfile.mkdtemp(prefix="atlas-cluster-"))
        base = _free_range(replicas + 1)
        self.port, self.replica_port = base, base + 1
        args = ["start", "--replicas", str(replicas), "--port", str(self.port),
                "--replica-port", str(self.replica_port), "--state-dir", str(self.state_dir)]
        result = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True,
                                env=dict(os.environ, **(env or {})), timeout=180)
        if result.returncode != 0:
            logs = "".join(p.read_text(errors="replace")[-2000:] for p in sorted(self.state_dir.glob("*.log")))
            self._remove()
            raise RuntimeError(f"cluster did not start: {result.stdout}{result.stderr}\n{logs}")
        self.url = result.stdout.strip().splitlines()[-1]
        self.paths = Paths(self.state_dir)

    def state(self) -> dict:
        return json.loads(self.paths.state.read_text())

    def replica_pids(self) -> dict[str, int]:
        return {name: r["pid"] for name, r in self.state()["replicas"].items()}

    def haproxy_view(self) -> dict[str, str]:
        return haproxy_states(self.paths.stats)

    def kill(self, name: str) -> int:
        """SIGKILL replica ``name`` (r1, r2, …); returns its PID."""
        pid = self.replica_pids()[name]
        os.kill(pid, signal.SIGKILL)
        return pid

    def wait_up(self, name: str, old_pid: int | None = None, timeout: float = 60) -> float:
        """Wait until ``name`` runs again (a new PID) and HAProxy has it UP; seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                pid = self.replica_pids()[name]
                if pid != old_pid and self.haproxy_view().get(name) == "UP" and _healthy(
                        self.state()["replicas"][name]["port"]):
                    return time.monotonic() - started
            except (OSError, KeyError, json.JSONDecodeError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not come back in {timeout:.0f} s")

    def haproxy_log(self) -> str:
        path = self.state_dir / "haproxy.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.state_dir.glob("*.log")))

    def stop(self) -> None:
        stop(argparse.Namespace(state_dir=str(self.state_dir)))
        self._remove()

    def _remove(self) -> None:
        if self._own_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> "LocalCluster":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
