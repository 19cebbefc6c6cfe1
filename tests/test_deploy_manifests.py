"""The container files in deploy/ agree with the Dockerfile, the app and HAProxy's config.

Compose and Kubernetes cannot run on the development machine (no container
engine, no cluster): these tests parse them and compare ports, paths, probes
and cookie names with the app's. HAProxy's own checker validates the config
that compose's command writes, and the one `make cluster` writes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
HEALTH_PATH = "/_stcore/health"
HAPROXY = os.environ.get("HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy")
sys.path.insert(0, str(DEPLOY))
import cluster  # noqa: E402


def dockerfile() -> dict:
    text = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*?\])", text, flags=re.S | re.M).group(1)
    return {
        "expose": int(re.search(r"^EXPOSE (\d+)", text, flags=re.M).group(1)),
        "healthcheck": re.search(r"^HEALTHCHECK .*?\n(?:.*\\\n)*.*", text, flags=re.M).group(0),
        "cmd": " ".join(cmd.split()),
    }


def k8s() -> dict[str, dict]:
    return {doc["kind"]: doc for doc in yaml.safe_load_all((DEPLOY / "k8s" / "atlas.yaml").read_text())}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def streamlit_config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_dockerfile_serves_the_health_path_on_its_port():
    d = dockerfile()
    assert d["expose"] == 8501
    assert f"127.0.0.1:{d['expose']}{HEALTH_PATH}" in d["healthcheck"]
    assert f"--server.port={d['expose']}" in d["cmd"]


def test_kubernetes_ports_and_probes_match_the_dockerfile():
    docs = k8s()
    port = dockerfile()["expose"]
    container = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    named = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert named == {"http": port}
    for probe in ("readinessProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == HEALTH_PATH
        assert named.get(get["port"], get["port"]) == port
    # Liveness is more patient than readiness: a busy pod leaves the Service before it is restarted.
    ready, live = container["readinessProbe"], container["livenessProbe"]
    assert live["periodSeconds"] * live["failureThreshold"] > ready["periodSeconds"] * ready["failureThreshold"]
    labels = docs["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert docs["Deployment"]["spec"]["selector"]["matchLabels"] == labels
    assert docs["Deployment"]["spec"]["replicas"] >= 2


def test_kubernetes_service_and_ingress_route_to_the_app_with_sticky_cookies():
    docs = k8s()
    service, ingress = docs["Service"], docs["Ingress"]
    labels = docs["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"] == labels
    service_port = service["spec"]["ports"][0]
    assert service_port["targetPort"] in ("http", dockerfile()["expose"])
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"].get("name") == service_port["name"] or backend["port"].get("number") == service_port["port"]
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == "ATLAS_REPLICA"
    ping = streamlit_config()["server"]["websocketPingInterval"]
    for key in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[f"nginx.ingress.kubernetes.io/{key}"]) > ping


def test_compose_runs_replicas_of_the_image_behind_haproxy():
    spec = compose()
    services = spec["services"]
    replicas = [name for name, s in services.items() if s.get("image") == "guarantee-atlas"]
    assert len(replicas) >= 2
    port = str(dockerfile()["expose"])
    for name in replicas:
        assert services[name]["build"] == ".."  # the repository's Dockerfile
        assert services[name]["expose"] == [port]
    command = services["haproxy"]["command"][0]
    for n, name in enumerate(replicas, start=1):
        assert f"server r{n} {name}:{port} cookie r{n}" in command
    assert services["haproxy"]["volumes"][0].startswith("./haproxy.cfg:")


def _compose_haproxy_config() -> str:
    """The config compose's HAProxy command writes, by running its sed on deploy/haproxy.cfg."""
    command = compose()["services"]["haproxy"]["command"][0]
    sed = command.split(" > ")[0].replace("/usr/local/etc/haproxy/haproxy.cfg.in", shlex.quote(str(DEPLOY / "haproxy.cfg")))
    return subprocess.run(["sh", "-c", sed], capture_output=True, text=True, check=True).stdout


def test_haproxy_config_checks_health_and_sets_the_security_headers():
    text = (DEPLOY / "haproxy.cfg").read_text()
    assert f"http-check send meth GET uri {HEALTH_PATH}" in text
    assert "cookie ATLAS_REPLICA insert" in text
    assert re.search(r"timeout tunnel\s+1h", text)
    for header in ("Content-Security-Policy", "X-Content-Type-Options nosniff", "Referrer-Policy"):
        assert f"http-response set-header {header}" in text
    assert "X-Frame-Options" not in text.replace("(so no X-Frame-Options either)", "")  # embeds stay possible


@pytest.mark.parametrize("which", ["compose", "make cluster"])
def test_haproxy_accepts_the_generated_configs(tmp_path, which):
    if not Path(HAPROXY).exists():
        pytest.fail(f"haproxy not found at {HAPROXY}: run `make test`, which installs it.")
    text = _compose_haproxy_config() if which == "compose" else cluster.haproxy_config(8500, [8511, 8512, 8513])
    assert "@" not in re.sub(r"#.*", "", text)  # every placeholder filled
    path = tmp_path / "haproxy.cfg"
    path.write_text(text)
    result = subprocess.run([HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(re.findall(r"^\s+server r\d ", text, flags=re.M)) == 3
