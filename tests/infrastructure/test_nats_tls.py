"""The cluster's NATS serves its clients over TLS (issue 18): the NATS chart's configuration takes the
certificate from the Secret ejournal-nats-tls (mounted by the chart, reloaded on renewal) and asks for
TLS first, before any byte of the protocol (so no client can fall back to plain text and send its
password in the clear); every service's Deployment trusts the CA from the Secret ejournal-nats-ca
through EJOURNAL_<SERVICE>_NATS_CA_FILE. test_nats_users.py runs that rendered configuration on a real
nats-server, with the services' own connection options."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest

from ejournal_platform.services import SERVICES
from tests.infrastructure.k8s import OVERLAYS, rendered
from tests.infrastructure.test_chart_render import NATS_VALUES, manifests, one
from tests.infrastructure.test_k8s_manifests import environment, main_container

pytestmark = pytest.mark.unit
SERVER_SECRET, CA_SECRET = "ejournal-nats-tls", "ejournal-nats-ca"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_nats_serves_clients_tls_first_with_the_certificate_of_the_secret(overlay: str) -> None:
    found = manifests(NATS_VALUES[overlay])
    config = one(found, "ConfigMap", "nats-config")["data"]["nats.conf"]
    # The top-level block (the client port's); routes and leafnodes have their own inside theirs.
    tls = re.search(r'^  "tls": \{(.*?)^  \}', config, re.S | re.M)
    assert tls, config
    block = tls.group(1)
    assert '"handshake_first": true' in block
    assert "allow_non_tls" not in config and "no_tls" not in config
    files = dict(re.findall(r'"(cert_file|key_file)": "([^"]+)"', block))
    assert set(files) == {"cert_file", "key_file"}
    pod = one(found, "StatefulSet", "nats")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    for container in pod["containers"]:  # the server, and the reloader that watches the files
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        for path in files.values():
            volume = volumes[mounts[str(PurePosixPath(path).parent)]]
            assert volume["secret"]["secretName"] == SERVER_SECRET, (container["name"], path)
    # A renewed certificate is reloaded without a restart: the chart's reloader watches both files.
    reloader = next(c for c in pod["containers"] if c["name"] == "reloader")
    watched = [
        arg for flag, arg in zip(reloader["args"], reloader["args"][1:], strict=False) if flag == "-config"
    ]
    assert set(files.values()) <= set(watched), reloader["args"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_trusts_the_ca_of_the_nats_certificate(overlay: str) -> None:
    found = rendered(overlay)
    for service in SERVICES:
        container = main_container(found, service)
        variable = f"EJOURNAL_{service.upper()}_NATS_CA_FILE"
        ca_file = PurePosixPath(environment(container, found)[variable]["value"])
        mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
        mount = mounts[str(ca_file.parent)]
        assert mount.get("readOnly") is True, service
        pod = next(d for d in found if d["kind"] == "Deployment" and d["metadata"]["name"] == service)[
            "spec"
        ]["template"]["spec"]
        volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
        assert volume["secret"]["secretName"] == CA_SECRET, service
        assert ca_file.name == "ca.crt"  # the key cert-manager writes the issuer's certificate under
        assert volume["secret"]["defaultMode"] & 0o007 == 0, service  # not world-readable
