"""Each ejournal service connects to NATS as its own user (issue 18: credentials for NATS): the NATS
chart's values make one user per service and one for the monthly backup tool, each password from the
Secret ejournal-nats-users; each Deployment composes its NATS URL from its own user and the same key of
that Secret. The rendered configuration then runs on a real nats-server: a service's URL gets in, no
credentials or another user's password do not."""

from __future__ import annotations

import asyncio
import re
import ssl
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.client import Client
from nats.errors import Error as NatsError

from deploy.local.servers import free_port
from ejournal_platform.nats import NatsTls, connection_options
from ejournal_platform.services import SERVICES
from ejournal_platform.testing.certificates import issue
from tests.infrastructure.k8s import OVERLAYS, rendered
from tests.infrastructure.test_chart_render import NATS_VALUES, manifests, nats_environment, one
from tests.infrastructure.test_k8s_manifests import environment, main_container

USERS = {*SERVICES, "replay", "backup"}
SECRET = "ejournal-nats-users"


def nats_users(values_file: str) -> dict[str, str]:
    """user → the environment variable its password is read from, in the chart's nats.conf."""
    config = one(manifests(values_file), "ConfigMap", "nats-config")["data"]["nats.conf"]
    # Each user's object: its password first, then its permissions (if any), then its name.
    found = re.findall(r'"password": \$(\w+),.*?"user": "([\w-]+)"', config, re.S)
    return {user: variable for variable, user in found}


@pytest.mark.unit
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_is_a_nats_user_whose_password_comes_from_the_secret(overlay: str) -> None:
    values_file = NATS_VALUES[overlay]
    users = nats_users(values_file)
    assert set(users) == USERS
    pod = one(manifests(values_file), "StatefulSet", "nats")["spec"]["template"]["spec"]
    env = {e["name"]: e for e in pod["containers"][0]["env"]}
    for user, variable in users.items():
        assert env[variable]["valueFrom"]["secretKeyRef"] == {"name": SECRET, "key": user}, user


@pytest.mark.unit
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_connects_as_its_own_user(overlay: str) -> None:
    found = rendered(overlay)
    for service in SERVICES:
        env = environment(main_container(found, service), found)
        url = env[f"EJOURNAL_{service.upper()}_NATS_URL"]["value"]
        user, password_variable = re.fullmatch(r"nats://([\w-]+):\$\((\w+)\)@\$\(\w+\)", url).groups()  # type: ignore[union-attr]
        assert user == service
        assert env[password_variable]["valueFrom"]["secretKeyRef"] == {"name": SECRET, "key": service}


class RenderedNats:
    """The small overlay's nats.conf on a real nats-server, with a test CA's certificate in place of the
    Secret ejournal-nats-tls (the server's name: localhost, where the test connects)."""

    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.certificates = issue(base / "certs", ["localhost"], ca_name="nats CA")
        # The services' TLS: the CA, and a client certificate it signed (the server verifies one: mTLS).
        # The test certificate serves both ends, as the chart's Secret and a service's would.
        self.tls = NatsTls(self.certificates.ca, self.certificates.cert, self.certificates.key)
        self.environment = nats_environment("engines/nats-values-small.yaml")
        config = one(manifests("engines/nats-values-small.yaml"), "ConfigMap", "nats-config")["data"][
            "nats.conf"
        ]
        config = config.replace('"/data"', f'"{base / "data"}"').replace(
            '"/var/run/nats/nats.pid"', f'"{base}/pid"'
        )
        for mounted in ('"/etc/nats-certs/nats/', '"/etc/nats-ca-cert/'):  # the Secret's, tlsCA's
            config = config.replace(mounted, f'"{base}/certs/')
        config = config.replace('"port": 4222', f'"port": {self.port}').replace(
            '"http_port": 8222', '"http_port": -1'
        )
        self.config = base / "nats.conf"
        self.config.write_text(config)

    def url(self, service: str, password: str | None = None) -> str:
        """The URL a Deployment composes, with the password its Secret would give."""
        password = password or self.environment[nats_users("engines/nats-values-small.yaml")[service]]
        return f"nats://{service}:{password}@localhost:{self.port}"


ONE_TRY = {
    "allow_reconnect": False,
    "max_reconnect_attempts": 1,
    "reconnect_time_wait": 0.1,
    "connect_timeout": 5,
}


def one_try(url: str, tls: NatsTls) -> dict[str, Any]:
    """The services' own connection options (ejournal_platform.nats: TLS first, trusting the CA), once."""
    return {**connection_options(url, "nats-users-test", tls), **ONE_TRY}


async def connect_when_up(url: str, tls: NatsTls) -> Client:
    """The server may still be starting: retry a refused connection, never an authentication error."""
    for _ in range(100):
        try:
            return await nats.connect(**one_try(url, tls))
        except NatsError as error:
            if "Authorization" in str(error):
                raise
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"no NATS at {url}")


@pytest.mark.integration
async def test_a_service_gets_in_with_its_own_password_and_uses_jetstream(
    rendered_nats: RenderedNats,
) -> None:
    client = await connect_when_up(rendered_nats.url("gradebook"), rendered_nats.tls)
    try:
        await client.jetstream().account_info()
    finally:
        await client.close()


@pytest.mark.integration
async def test_no_credentials_or_another_users_password_are_refused(rendered_nats: RenderedNats) -> None:
    await (await connect_when_up(rendered_nats.url("gradebook"), rendered_nats.tls)).close()  # it is up
    others = rendered_nats.environment[nats_users("engines/nats-values-small.yaml")["identity"]]
    for url in (f"nats://localhost:{rendered_nats.port}", rendered_nats.url("gradebook", password=others)):
        with pytest.raises(NatsError, match="Authorization Violation"):
            await nats.connect(**one_try(url, rendered_nats.tls))


@pytest.mark.integration
async def test_a_client_without_a_certificate_is_refused_even_with_its_password(
    rendered_nats: RenderedNats,
) -> None:
    """mTLS (`verify: true`): trusting the server's CA and knowing the password is not enough."""
    await (await connect_when_up(rendered_nats.url("gradebook"), rendered_nats.tls)).close()  # it is up
    only_the_ca = NatsTls(rendered_nats.certificates.ca)
    with pytest.raises((NatsError, ssl.SSLError, OSError)):
        await nats.connect(**one_try(rendered_nats.url("gradebook"), only_the_ca))
