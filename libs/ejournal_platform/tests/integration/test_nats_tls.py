"""NATS over TLS (issue 18): with EJOURNAL_<SERVICE>_NATS_CA_FILE a service connects to a nats-server
that serves TLS with a certificate of a private CA, through the same options the runtime uses
(ejournal_platform.nats), and creates its stream there. Without that CA, or trusting another one, the
same server is refused at the handshake; with the CA set, a plain server is never spoken to (the
password would travel in the clear); a server that verifies clients takes one with the client
certificate of EJOURNAL_<SERVICE>_NATS_CERT_FILE / _KEY_FILE only."""

from __future__ import annotations

import asyncio
import json
import ssl
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client
from nats.errors import Error as NatsError

from deploy.local.servers import NatsServer, binary, free_port
from ejournal_platform.events import stream_name
from ejournal_platform.nats import NatsTls, connection_options, ensure_stream
from ejournal_platform.settings import ServiceSettings
from ejournal_platform.testing.certificates import Issued, issue

pytestmark = pytest.mark.integration


class TlsNatsServer(NatsServer):
    """The test stack's nats-server, serving TLS only with `issued`; `verify`: clients need a
    certificate of the same CA."""

    def __init__(self, base: Path, issued: Issued, verify: bool) -> None:
        super().__init__(base / "store", free_port(), free_port(), base / "nats.log")
        self.issued, self.verify = issued, verify

    def spawn(self) -> subprocess.Popen[bytes]:
        """The `tls` block the NATS chart writes (engines/nats-values*.yaml), with this test's files."""
        self.store_dir.mkdir(parents=True, exist_ok=True)
        verify = f'ca_file: "{self.issued.ca}"\n  verify: true' if self.verify else ""
        config = self.store_dir.parent / "nats.conf"
        config.write_text(
            f'tls {{\n  cert_file: "{self.issued.cert}"\n  key_file: "{self.issued.key}"\n'
            f"  handshake_first: true\n  {verify}\n}}\n"
        )
        self.process = subprocess.Popen(
            [binary("nats-server"), "-c", str(config), "-js", "-sd", str(self.store_dir), "-a", "127.0.0.1",
             "-p", str(self.port), "-m", str(self.monitor_port), "-l", str(self.log_file)],
            start_new_session=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        return self.process

    @property
    def url(self) -> str:
        # The certificate's name, as a Deployment's URL names the NATS Service.
        return f"nats://localhost:{self.port}"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Issued]:
    base = tmp_path_factory.mktemp("nats-tls")
    return {
        "server": issue(base / "server", ["localhost"], ca_name="nats CA"),
        "client": issue(base / "client", ["gradebook"], ca_name="nats CA"),  # another CA, same name
        "stranger": issue(base / "stranger", ["localhost"], ca_name="someone else's CA"),
    }


def started(server: NatsServer) -> Iterator[NatsServer]:
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def tls_nats(
    tmp_path_factory: pytest.TempPathFactory, certificates: dict[str, Issued]
) -> Iterator[NatsServer]:
    yield from started(TlsNatsServer(tmp_path_factory.mktemp("tls"), certificates["server"], verify=False))


@pytest.fixture(scope="module")
def mtls_nats(
    tmp_path_factory: pytest.TempPathFactory, certificates: dict[str, Issued]
) -> Iterator[NatsServer]:
    # The server verifies clients against the client certificate's CA (as a cluster's one issuer).
    both = certificates["client"]
    server = TlsNatsServer(tmp_path_factory.mktemp("mtls"), certificates["server"], verify=True)
    server.issued = Issued(both.ca, certificates["server"].cert, certificates["server"].key)
    yield from started(server)


# The runtime's options with one try instead of for ever, so that a refusal surfaces as an error.
ONE_TRY = {"allow_reconnect": False, "max_reconnect_attempts": 1, "reconnect_time_wait": 0.1}


async def connect_once(url: str, tls: NatsTls | None, errors: list[Exception]) -> Client:
    async def record(error: Exception) -> None:
        errors.append(error)

    options: dict[str, Any] = {**connection_options(url, "tls-test", tls), **ONE_TRY, "error_cb": record}
    return await nats.connect(**options)


def connection_list(monitor_port: int) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{monitor_port}/connz") as answer:
        return json.load(answer)["connections"]  # type: ignore[no-any-return]


def settings_with(**variables: str) -> NatsTls:
    """What the runtime builds from a service's environment."""
    s = ServiceSettings.model_validate(
        {"database_url": "postgresql+psycopg://x@h/d", "nats_url": "nats://h", "identity_address": "h:1",
         **variables}
    )  # fmt: skip
    return NatsTls(s.nats_ca_file, s.nats_cert_file, s.nats_key_file)


async def test_a_service_trusting_the_ca_connects_over_tls_and_creates_its_stream(
    tls_nats: NatsServer, certificates: dict[str, Issued]
) -> None:
    tls = settings_with(nats_ca_file=str(certificates["server"].ca))
    client = await connect_once(tls_nats.url, tls, [])
    try:
        js = client.jetstream()
        await ensure_stream(js, "tlscheck")
        ack = await js.publish("ejournal.tlscheck.Probe", b"over tls")
        assert ack.stream == stream_name("tlscheck") and ack.seq == 1
        # The server's own account of the connection: TLS, with the client's name.
        connections = await asyncio.to_thread(connection_list, tls_nats.monitor_port)
        assert [(c["name"], c["tls_version"][:2]) for c in connections] == [("tls-test", "1.")], connections
    finally:
        await client.close()


async def test_without_the_ca_setting_the_client_speaks_plain_and_is_refused(tls_nats: NatsServer) -> None:
    errors: list[Exception] = []
    # The server waits for a TLS handshake the plain client never starts: nats-py reports either its
    # own error or, when the INFO it waits for never comes, the bare asyncio timeout (seen on CI).
    with pytest.raises((NatsError, TimeoutError)) as refused:
        await connect_once(tls_nats.url, settings_with(), errors)
    seen = [*errors, refused.value]
    assert not any(isinstance(e, ssl.SSLError) for e in seen), seen


async def test_trusting_another_ca_the_handshake_fails(
    tls_nats: NatsServer, certificates: dict[str, Issued]
) -> None:
    errors: list[Exception] = []
    with pytest.raises((NatsError, ssl.SSLError, OSError)):
        await connect_once(tls_nats.url, NatsTls(certificates["stranger"].ca), errors)
    assert errors and all(isinstance(e, ssl.SSLCertVerificationError) for e in errors), errors


async def test_with_the_ca_set_a_plain_server_is_never_spoken_to(
    nats_server: NatsServer, certificates: dict[str, Issued]
) -> None:
    plain = await connect_once(nats_server.url, None, [])  # the server is there, and plain
    await plain.close()
    errors: list[Exception] = []
    with pytest.raises((NatsError, ssl.SSLError, OSError)):
        await connect_once(nats_server.url, NatsTls(certificates["server"].ca), errors)
    assert errors and all(isinstance(e, (ssl.SSLError, NatsError, OSError)) for e in errors), errors


async def test_a_server_verifying_clients_takes_only_one_with_the_client_certificate(
    mtls_nats: NatsServer, certificates: dict[str, Issued]
) -> None:
    server_ca, client = certificates["server"].ca, certificates["client"]
    with pytest.raises((NatsError, ssl.SSLError, OSError)):
        await connect_once(mtls_nats.url, NatsTls(server_ca), [])
    tls = settings_with(
        nats_ca_file=str(server_ca), nats_cert_file=str(client.cert), nats_key_file=str(client.key)
    )
    admitted = await connect_once(mtls_nats.url, tls, [])
    try:
        await admitted.jetstream().account_info()
    finally:
        await admitted.close()
