"""nats-box, the operator's shell beside the cluster's NATS, connects TLS first by itself (issue 18): the
server asks for TLS before any byte of the protocol (`handshake_first`), so a NATS CLI that waits for
the server's INFO first is never answered, and until now the operator had to type `--tlsfirst`. The
chart writes nats-box's context (the NATS CLI's JSON settings, selected as `default`) from our values;
it now says `tls_first` (the CLI's context field behind `--tlsfirst`), beside its client certificate
and the servers' CA, each a file of a mounted Secret.

No NATS CLI binary is available offline here (natscli is Go source only, and there is no Go toolchain),
so the real-server half reads the rendered context the way the CLI does (url, ca, cert, key,
tls_first → a TLS-first connection) with nats-py, against the cluster's rendered nats.conf on a real
nats-server: the context as rendered gets in; the same context without `tls_first` does not."""

from __future__ import annotations

import asyncio
import json
import ssl
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import nats
import pytest
from nats.errors import Error as NatsError

from ejournal_platform.nats import NatsTls
from tests.infrastructure.test_chart_render import manifests, one
from tests.infrastructure.test_nats_users import ONE_TRY, RenderedNats, connect_when_up, nats_users

VALUES = "engines/nats-values.yaml"  # nats-box runs with the large overlay only (the small disables it)
BOX_CERTIFICATE = "ejournal-nats-box-tls"  # overlays/large/nats-routes-certificate.yaml
SERVER_SECRET = "ejournal-nats-tls"  # the servers' Secret, whose ca.crt the chart's tlsCA names


def box_context() -> dict[str, Any]:
    """The context nats-box's CLI uses when given none: context.txt names `default` (the chart's
    defaultContextName), read from the Secret the chart mounts as its context directory."""
    secret = one(manifests(VALUES), "Secret", "nats-box-contexts")
    return json.loads(secret["stringData"]["default.json"])  # type: ignore[no-any-return]


def mounted_secret(path: str) -> str:
    """The Secret whose file `path` is in the nats-box container."""
    pod = one(manifests(VALUES), "Deployment", "nats-box")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    return str(volumes[mounts[str(PurePosixPath(path).parent)]]["secret"]["secretName"])


@pytest.mark.unit
def test_nats_box_context_is_tls_first_with_its_certificate_and_the_servers_ca() -> None:
    context = box_context()
    assert context["tls_first"] is True
    assert urlsplit(context["url"]).hostname == "nats"  # the chart's Service, a name on the server's cert
    assert mounted_secret(context["cert"]) == mounted_secret(context["key"]) == BOX_CERTIFICATE
    assert mounted_secret(context["ca"]) == SERVER_SECRET
    pod = one(manifests(VALUES), "Deployment", "nats-box")["spec"]["template"]["spec"]
    assert any("context.txt" in part and "default" in part for part in pod["containers"][0]["command"])


def as_the_cli_reads_it(context: dict[str, Any], nats_server: RenderedNats, user: str) -> dict[str, Any]:
    """nats-py options from a CLI context: its url (its host put where the test server listens), the
    user's password as the operator types it, its files (the test CA's in place of the Secrets'), and
    `tls_first` as the CLI's --tlsfirst."""
    password = nats_server.environment[nats_users("engines/nats-values-small.yaml")[user]]
    certificates = nats_server.certificates
    assert context["ca"] and context["cert"] and context["key"]  # each file in place of its Secret's
    tls = NatsTls(certificates.ca, certificates.cert, certificates.key).context()
    assert urlsplit(context["url"]).scheme == "nats"
    return {
        "servers": f"nats://{user}:{password}@localhost:{nats_server.port}",
        "tls": tls,
        "tls_handshake_first": bool(context.get("tls_first", False)),
        "name": "nats-box-test",
        **ONE_TRY,
        "connect_timeout": 3,
    }


@pytest.mark.integration
async def test_the_rendered_context_gets_into_a_tls_first_server_by_itself(
    rendered_nats: RenderedNats,
) -> None:
    await (await connect_when_up(rendered_nats.url("gradebook"), rendered_nats.tls)).close()  # it is up
    client = await nats.connect(**as_the_cli_reads_it(box_context(), rendered_nats, "backup"))
    try:
        await client.jetstream().account_info()
    finally:
        await client.close()


@pytest.mark.integration
async def test_without_tls_first_the_same_context_is_not_answered(rendered_nats: RenderedNats) -> None:
    """What the operator met before: the server waits for a TLS hello, the client for an INFO."""
    await (await connect_when_up(rendered_nats.url("gradebook"), rendered_nats.tls)).close()  # it is up
    plain = {key: value for key, value in box_context().items() if key != "tls_first"}
    with pytest.raises((NatsError, ssl.SSLError, OSError, asyncio.TimeoutError)):
        client = await nats.connect(**as_the_cli_reads_it(plain, rendered_nats, "backup"))
        await client.close()
