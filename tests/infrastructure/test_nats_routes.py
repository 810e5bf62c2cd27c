"""The large overlay's NATS servers route to each other over verified TLS (issue 18), on real
nats-servers: three servers run the chart's rendered nats.conf of engines/nats-values.yaml, with a test
CA's certificate where the Secrets are mounted and the route URLs pointed at this machine, and form
their cluster; a fourth whose certificate another CA signed is refused by them (the manifests' side,
which Secret and names, is test_nats_tls.py)."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deploy.local.servers import binary, free_port
from ejournal_platform.testing.certificates import Issued, issue
from tests.infrastructure.test_chart_render import manifests, nats_environment, one

pytestmark = pytest.mark.integration
VALUES = "engines/nats-values.yaml"
SERVERS = 3
# Waits for events (a route forming, a refusal logged), not speed claims: generous on a loaded machine.
PATIENCE = 120.0


class Server:
    def __init__(self, base: Path, index: int, certificates: Issued, route_ports: list[int]) -> None:
        self.name, self.base = f"nats-{index}", base / f"nats-{index}"
        self.client_port, self.monitor_port, self.route_port = free_port(), free_port(), route_ports[index]
        config = one(manifests(VALUES), "ConfigMap", "nats-config")["data"]["nats.conf"]
        config = config.replace('"/data"', f'"{self.base / "data"}"')
        config = config.replace('"/var/run/nats/nats.pid"', f'"{self.base}/pid"')
        for mounted in ('"/etc/nats-certs/nats/', '"/etc/nats-certs/cluster/', '"/etc/nats-ca-cert/'):
            config = config.replace(mounted, f'"{certificates.cert.parent}/')  # the Secrets' files
        config = config.replace('"port": 4222', f'"port": {self.client_port}')
        config = config.replace('"port": 6222', f'"port": {self.route_port}')
        config = config.replace('"http_port": 8222', f'"http_port": {self.monitor_port}')
        for peer, port in enumerate(route_ports):  # the headless Service's pod names, here: localhost
            config = config.replace(f"tls://nats-{peer}.nats-headless:6222", f"tls://localhost:{port}")
        assert "nats-headless" not in config and '"verify": true' in config
        self.base.mkdir(parents=True)
        (self.base / "nats.conf").write_text(config)
        self.log = self.base / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        environment = {**nats_environment(VALUES), "SERVER_NAME": self.name}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [binary("nats-server"), "-c", str(self.base / "nats.conf")],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def routes(self) -> list[dict[str, Any]]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.monitor_port}/routez", timeout=2) as r:
                return list(json.load(r)["routes"] or [])
        except OSError:
            return []

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


def eventually(check: Any, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def test_the_three_servers_route_over_verified_tls_and_a_stranger_is_refused(
    tmp_path: Path, servers: list[Server]
) -> None:
    # One CA for the servers' client port, routes and tlsCA, as cert-manager's ejournal-nats issues them.
    ours = issue(tmp_path / "certs", ["localhost"], ca_name="ejournal NATS CA")
    ports = [free_port() for _ in range(SERVERS)]
    servers += [Server(tmp_path, i, ours, ports) for i in range(SERVERS)]
    for server in servers:
        server.start()
    for server in servers:
        eventually(
            lambda s=server: (
                {r.get("remote_name") for r in s.routes()} >= {o.name for o in servers} - {s.name}
            ),
            f"{server.name} did not route to every other server: {server.log.read_text()[-3000:]}",
        )
    # A server whose certificate another CA signed, dialing every route port. It trusts our CA, so
    # only our servers' verification can stop it: they must refuse its certificate.
    stranger_certificates = issue(tmp_path / "stranger-certs", ["localhost"], ca_name="another CA")
    stranger_certificates.ca.write_bytes(ours.ca.read_bytes())
    stranger = Server(tmp_path, SERVERS, stranger_certificates, [*ports, free_port()])
    servers.append(stranger)
    refused = "TLS route handshake error"  # Go's client sends no certificate our CA did not sign, or a
    assert refused not in servers[0].log.read_text()  # refused one: either way nats-0 refuses it
    stranger.start()
    eventually(
        lambda: refused in servers[0].log.read_text(),
        f"nats-0 did not refuse the stranger: {servers[0].log.read_text()[-3000:]}",
    )
    for server in servers[:SERVERS]:
        assert stranger.name not in {r.get("remote_name") for r in server.routes()}, server.name
        assert {r.get("remote_name") for r in server.routes()} >= {o.name for o in servers[:SERVERS]} - {
            server.name
        }
