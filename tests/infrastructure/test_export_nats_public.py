"""The export NATS exposed to outside systems (issue 20 on the cluster, issue 18's "only the gateway is
reachable from outside" widened by exactly one listener): components/export-nats-public gives the
export nats-server a TLS-only WebSocket listener with the certificate from a Secret, a LoadBalancer
Service to it and a NetworkPolicy rule admitting outside addresses to that port only; the overlays
that include it tell integrators the public address. The rendered configuration is then run on a real
nats-server here: outside clients get in over TLS with a user JWT only, a plain connection to the public
port is refused, and the subscribers service's internal connection is unchanged."""

from __future__ import annotations

import base64
import datetime
import re
import socket
import ssl
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
from aiohttp import WSServerHandshakeError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from nats.errors import Error as NatsError
from nats.errors import NoServersError

from deploy.local.servers import binary, free_port
from services.subscribers.domain import natsauth
from services.subscribers.service_layer.export import ExportConfig, connect_service
from tests.infrastructure.k8s import OVERLAYS, Manifest, rendered

PUBLIC = {"overlays/small": False, "overlays/large": True}
PUBLIC_PORT = 8443
SECRET = "ejournal-export-nats-tls"


def named(manifests: list[Manifest], kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == kind}


def reachable_from_outside(manifests: list[Manifest]) -> set[tuple[str, int]]:
    """(policy, port) of every ingress rule that admits addresses outside the cluster: an ipBlock
    peer, or a rule with no `from` at all (every source)."""
    found = set()
    for name, policy in named(manifests, "NetworkPolicy").items():
        for rule in policy["spec"].get("ingress") or []:
            peers = rule.get("from")
            if peers is None or any("ipBlock" in peer for peer in peers):
                found |= {(name, port["port"]) for port in rule.get("ports", [{"port": 0}])}
    return found


@pytest.mark.unit
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_from_outside_only_the_gateway_and_the_public_export_listener_are_reachable(overlay: str) -> None:
    manifests = rendered(overlay)
    exposed = {
        name
        for name, service in named(manifests, "Service").items()
        if service["spec"].get("type", "ClusterIP") in ("LoadBalancer", "NodePort")
        or service["spec"].get("externalIPs")
    }
    ingresses = {
        rule["http"]["paths"][0]["backend"]["service"]["name"]
        for i in named(manifests, "Ingress").values()
        for rule in i["spec"]["rules"]
    }
    assert ingresses == {"gateway"}
    if PUBLIC[overlay]:
        assert exposed == {"export-nats-public"}
        assert reachable_from_outside(manifests) == {("export-nats", PUBLIC_PORT)}
    else:
        assert exposed == set() and reachable_from_outside(manifests) == set()


@pytest.mark.unit
def test_the_public_listener_speaks_only_tls_with_the_certificate_of_the_secret() -> None:
    manifests = rendered("overlays/large")
    public = named(manifests, "ConfigMap")["export-nats"]["data"]["public.conf"]
    listener = re.search(r"websocket \{(.*)\}", public, re.S)
    assert listener, public
    assert f"port: {PUBLIC_PORT}" in listener.group(1) and "no_tls" not in listener.group(1)
    files = dict(re.findall(r"(cert_file|key_file): (\S+)", listener.group(1)))
    pod = named(manifests, "Deployment")["export-nats"]["spec"]["template"]["spec"]
    nats_container = next(c for c in pod["containers"] if c["name"] == "nats")
    mounts = {m["mountPath"]: m["name"] for m in nats_container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    for path in files.values():
        directory = str(Path(path).parent)
        assert volumes[mounts[directory]]["secret"]["secretName"] == SECRET, path
    # A renewed certificate is reloaded: the reloader watches both files and signals the server.
    reloader = next(c for c in pod["containers"] if c["name"] == "reloader")
    watched = [
        arg for flag, arg in zip(reloader["args"], reloader["args"][1:], strict=False) if flag == "-config"
    ]
    assert set(files.values()) <= set(watched) and pod["shareProcessNamespace"] is True
    # The public Service leads to that port and nowhere else.
    service = named(manifests, "Service")["export-nats-public"]["spec"]
    assert service["selector"] == {"app.kubernetes.io/name": "export-nats"}
    ports = {p["name"]: p["containerPort"] for p in nats_container["ports"]}
    assert [ports[p["targetPort"]] for p in service["ports"]] == [PUBLIC_PORT]
    # Integrators are told that address, over TLS.
    settings = named(manifests, "ConfigMap")["subscribers-settings"]["data"]
    assert settings["EJOURNAL_SUBSCRIBERS_EXPORT_PUBLIC_URL"].startswith("wss://")
    assert settings["EJOURNAL_SUBSCRIBERS_EXPORT_NATS_URL"] == "nats://export-nats:4222"


@pytest.mark.unit
def test_an_internal_export_nats_has_no_public_listener() -> None:
    manifests = rendered("overlays/small")
    assert "websocket" not in named(manifests, "ConfigMap")["export-nats"]["data"]["public.conf"]
    assert (
        "EJOURNAL_SUBSCRIBERS_EXPORT_PUBLIC_URL"
        not in named(manifests, "ConfigMap")["subscribers-settings"]["data"]
    )


# The rendered configuration on a real nats-server.

PUBLIC_NAME = "events.ejournal.example.edu"


def certificate(directory: Path) -> Path:
    """A CA and the server's certificate for the public name (and localhost, where the test connects),
    written as the Secret's tls.crt / tls.key; returns the CA's file."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    later = now + datetime.timedelta(days=1)
    names = x509.SubjectAlternativeName([x509.DNSName(PUBLIC_NAME), x509.DNSName("localhost")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(later)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, PUBLIC_NAME)])
    server = (
        x509.CertificateBuilder().subject_name(server_name).issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(later).add_extension(names, critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    directory.mkdir()
    (directory / "tls.crt").write_bytes(server.public_bytes(serialization.Encoding.PEM))
    (directory / "tls.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (directory / "ca.crt").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return directory / "ca.crt"


class RenderedExportNats:
    def __init__(self, base: Path) -> None:
        self.setup = natsauth.export_setup()
        self.client_port, self.monitor_port, self.public_port = free_port(), free_port(), free_port()
        self.ca = certificate(base / "tls")
        config_map = named(rendered("overlays/large"), "ConfigMap")["export-nats"]["data"]
        # The pod's paths and ports, moved into the test's directory and onto free ports.
        moves = {
            "/etc/nats/tls/": f"{base}/tls/", "/var/run/nats/": f"{base}/", "/data": f"{base}/data",
            "port: 4222": f"port: {self.client_port}", "http_port: 8222": f"http_port: {self.monitor_port}",
            f"port: {PUBLIC_PORT}": f"port: {self.public_port}",
            "max_file_store: 20GB": "max_file_store: 1GB",
        }  # fmt: skip
        for name, text in config_map.items():
            for old, new in moves.items():
                text = text.replace(old, new)
            (base / name).write_text(text)
        (base / "trust").mkdir()
        (base / "trust" / "export-nats.conf").write_text(self.setup.server_config)
        self.config = base / "nats.conf"

    def start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([binary("nats-server"), "-c", str(self.config)], stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.public_port)) == 0:
                    return process
            time.sleep(0.1)
        process.kill()
        raise RuntimeError(f"nats-server did not listen on {self.public_port} (exit {process.poll()})")

    def user(self) -> dict[str, Any]:
        """An outside system's credentials, as the subscribers service signs them."""
        seed = natsauth.new_seed(natsauth.USER)
        permissions = natsauth.UserPermissions(publish=["$JS.API.INFO"], subscribe=["_INBOX.>"])
        jwt = natsauth.user_jwt(
            self.setup.signing_seed, self.setup.account, natsauth.public_key(seed), "integrator", permissions
        )
        pair = natsauth.keypair(seed)
        return {
            "user_jwt_cb": lambda: jwt.encode(),
            "signature_cb": lambda nonce: base64.b64encode(pair.sign(nonce.encode())),
        }


@pytest.fixture(scope="module")
def export_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RenderedExportNats]:
    server = RenderedExportNats(tmp_path_factory.mktemp("export-nats"))
    process = server.start()
    yield server
    process.terminate()
    process.wait(timeout=30)


def trusting(ca: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca))


# No reconnecting: a refused first connection ends in NoServersError after two tries, each one's
# cause handed to error_cb (max_reconnect_attempts 0 would mean "for ever" to nats-py).
ONE_TRY: dict[str, Any] = {
    "allow_reconnect": False, "max_reconnect_attempts": 1, "reconnect_time_wait": 0.1, "connect_timeout": 5,
}  # fmt: skip


def refusals() -> tuple[list[Exception], Callable[[Exception], Awaitable[None]]]:
    """nats-py's error_cb (it must be a coroutine function) and the errors each try was refused with."""
    errors: list[Exception] = []

    async def record(error: Exception) -> None:
        errors.append(error)

    return errors, record


@pytest.mark.integration
async def test_an_outside_system_connects_over_tls_with_its_user_jwt(export_nats: RenderedExportNats) -> None:
    client = await nats.connect(
        f"wss://localhost:{export_nats.public_port}",
        tls=trusting(export_nats.ca),
        **export_nats.user(),
        **ONE_TRY,
    )
    try:
        account = await client.jetstream().account_info()  # answered by the EXPORT account's JetStream
        assert account.limits is not None and client.connected_url is not None
        assert client.connected_url.scheme == "wss"
    finally:
        await client.close()


@pytest.mark.integration
async def test_the_public_port_refuses_a_plain_connection(export_nats: RenderedExportNats) -> None:
    """The same client and credentials that get in over TLS are refused without it: the server answers
    a plain WebSocket upgrade as an HTTPS server answers plain HTTP (400)."""
    url = f"localhost:{export_nats.public_port}"
    secure = await nats.connect(f"wss://{url}", tls=trusting(export_nats.ca), **export_nats.user(), **ONE_TRY)
    await secure.close()
    errors, record = refusals()
    with pytest.raises(NoServersError):
        await nats.connect(f"ws://{url}", error_cb=record, **export_nats.user(), **ONE_TRY)
    assert errors and all(isinstance(e, WSServerHandshakeError) and e.status == 400 for e in errors), errors


@pytest.mark.integration
async def test_the_public_port_refuses_a_client_without_a_user_jwt(export_nats: RenderedExportNats) -> None:
    """TLS is not the authentication: the listener still takes only the operator's user JWTs."""
    with pytest.raises(NatsError, match="Authorization Violation"):
        await nats.connect(
            f"wss://localhost:{export_nats.public_port}", tls=trusting(export_nats.ca), **ONE_TRY
        )


@pytest.mark.integration
async def test_the_subscribers_service_still_connects_inside_on_the_plain_client_port(
    export_nats: RenderedExportNats,
) -> None:
    config = ExportConfig(
        url=f"nats://127.0.0.1:{export_nats.client_port}",
        account=export_nats.setup.account,
        signing_seed=export_nats.setup.signing_seed,
    )
    client = await connect_service(config, name="subscribers")
    try:
        assert client.connected_url is not None and client.connected_url.scheme == "nats"
        await client.flush()
    finally:
        await client.close()
