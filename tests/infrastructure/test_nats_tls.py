"""The cluster's NATS serves its clients over TLS (issue 18): the NATS chart's configuration takes the
certificate from the Secret ejournal-nats-tls (mounted by the chart, reloaded on renewal) and asks for
TLS first, before any byte of the protocol (so no client can fall back to plain text and send its
password in the clear), and requires every client's certificate (mTLS, `verify: true`); the large
overlay's servers route to each other over verified TLS too. cert-manager makes every certificate from
one private CA (deploy/k8s/certificates): the servers', the routes', and one per service, which its
Deployment mounts and names in EJOURNAL_<SERVICE>_NATS_{CA,CERT,KEY}_FILE. test_nats_users.py runs the
rendered configuration on a real nats-server, with the services' own connection options."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest

from ejournal_platform.services import SERVICES
from tests.infrastructure.k8s import OVERLAYS, Manifest, rendered
from tests.infrastructure.test_chart_render import NATS_VALUES, RELEASES, manifests, one
from tests.infrastructure.test_k8s_manifests import environment, main_container

pytestmark = pytest.mark.unit
SERVER_SECRET = "ejournal-nats-tls"


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


ISSUER = "ejournal-nats"  # deploy/k8s/certificates/issuers.yaml


def certificate_of(found: list[Manifest], secret: str) -> Manifest:
    """The cert-manager Certificate that fills `secret`."""
    (certificate,) = [m for m in found if m["kind"] == "Certificate" and m["spec"]["secretName"] == secret]
    assert certificate["spec"]["issuerRef"] == {
        "group": "cert-manager.io",
        "kind": "ClusterIssuer",
        "name": ISSUER,
    }
    return certificate


def deployment_pod(found: list[Manifest], name: str) -> Manifest:
    (deployment,) = [d for d in found if d["kind"] == "Deployment" and d["metadata"]["name"] == name]
    return deployment


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_shows_its_own_client_certificate_and_trusts_its_ca(overlay: str) -> None:
    """mTLS: each Deployment sets its NATS CA, certificate and key files, all from the Secret of its
    own cert-manager Certificate (a client certificate of the NATS CA), mounted read-only and not
    world-readable."""
    found = rendered(overlay)
    for service in SERVICES:
        container = main_container(found, service)
        env = environment(container, found)
        files = {
            kind: PurePosixPath(env[f"EJOURNAL_{service.upper()}_NATS_{kind}_FILE"]["value"])
            for kind in ("CA", "CERT", "KEY")
        }
        # The keys cert-manager writes: the issuer's certificate, the certificate and its key.
        assert {k: f.name for k, f in files.items()} == {"CA": "ca.crt", "CERT": "tls.crt", "KEY": "tls.key"}
        (folder,) = {str(f.parent) for f in files.values()}
        mount = {m["mountPath"]: m for m in container["volumeMounts"]}[folder]
        assert mount.get("readOnly") is True, service
        deployment = deployment_pod(found, service)
        pod = deployment["spec"]["template"]["spec"]
        volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
        secret = volume["secret"]["secretName"]
        assert secret == f"ejournal-nats-client-{service}", service  # its own, no other service's
        assert volume["secret"]["defaultMode"] & 0o007 == 0, service  # not world-readable
        certificate = certificate_of(found, secret)
        assert certificate["metadata"]["namespace"] == deployment["metadata"]["namespace"], service
        assert certificate["spec"]["usages"] == ["client auth"], service
        assert certificate["spec"]["commonName"] == service


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_nats_requires_a_client_certificate_of_the_ca_that_signs_the_services(overlay: str) -> None:
    config = one(manifests(NATS_VALUES[overlay]), "ConfigMap", "nats-config")["data"]["nats.conf"]
    tls = re.search(r'^  "tls": \{(.*?)^  \}', config, re.S | re.M)
    assert tls, config
    assert '"verify": true' in tls.group(1)
    assert "verify_and_map" not in config  # the certificate admits; the user's password authenticates
    ca_file = re.search(r'"ca_file": "([^"]+)"', tls.group(1))
    assert ca_file, tls.group(1)
    pod = one(manifests(NATS_VALUES[overlay]), "StatefulSet", "nats")["spec"]["template"]["spec"]
    mounts = {m["mountPath"]: m["name"] for m in pod["containers"][0]["volumeMounts"]}
    volume = next(v for v in pod["volumes"] if v["name"] == mounts[str(PurePosixPath(ca_file[1]).parent)])
    # ca.crt of the servers' own Secret: the CA cert-manager's ClusterIssuer signs every client with.
    assert (volume["secret"]["secretName"], PurePosixPath(ca_file[1]).name) == (SERVER_SECRET, "ca.crt")
    found = rendered(overlay)
    server = certificate_of(found, SERVER_SECRET)
    assert server["metadata"]["namespace"] == RELEASES[NATS_VALUES[overlay]][2]
    host = one(found, "ConfigMap", "ejournal-cluster")["data"]["nats_server"].rsplit(":", 1)[0]
    assert host in server["spec"]["dnsNames"]  # the name every service dials
    # The issuer is a CA whose key pair cert-manager made and keeps in its own namespace.
    issuer = one(found, "ClusterIssuer", ISSUER)
    (ca,) = [m for m in found if m["kind"] == "Certificate" and m["spec"].get("isCA")]
    assert (ca["spec"]["secretName"], ca["metadata"]["namespace"]) == (
        issuer["spec"]["ca"]["secretName"],
        "cert-manager",
    )


def matches(pattern: str, host: str) -> bool:
    """A certificate's DNS name against a host, as TLS does: a leading * stands for exactly one label."""
    if pattern.startswith("*."):
        return "." in host and host.split(".", 1)[1] == pattern[2:]
    return pattern == host


def test_the_large_overlays_nats_servers_route_to_each_other_over_verified_tls() -> None:
    found = manifests(NATS_VALUES["overlays/large"])
    config = one(found, "ConfigMap", "nats-config")["data"]["nats.conf"]
    cluster = re.search(r'^  "cluster": \{(.*?)^  \}', config, re.S | re.M)
    assert cluster, config
    block = cluster.group(1)
    tls = re.search(r'"tls": \{(.*?)\}', block, re.S)
    assert tls and '"verify": true' in tls.group(1), block
    routes = re.findall(r'"(\w+)://([\w.-]+):6222"', block)
    assert len(routes) == 3 and {scheme for scheme, _ in routes} == {"tls"}, routes
    files = dict(re.findall(r'"(cert_file|key_file)": "([^"]+)"', tls.group(1)))
    pod = one(found, "StatefulSet", "nats")["spec"]["template"]["spec"]
    mounts = {m["mountPath"]: m["name"] for m in pod["containers"][0]["volumeMounts"]}
    (folder,) = {str(PurePosixPath(path).parent) for path in files.values()}
    secret = next(v for v in pod["volumes"] if v["name"] == mounts[folder])["secret"]["secretName"]
    routes_certificate = certificate_of(rendered("overlays/large"), secret)
    assert set(routes_certificate["spec"]["usages"]) == {"server auth", "client auth"}  # dials and answers
    for _, host in routes:
        assert any(matches(name, host) for name in routes_certificate["spec"]["dnsNames"]), host
    small = one(manifests(NATS_VALUES["overlays/small"]), "ConfigMap", "nats-config")["data"]["nats.conf"]
    assert '"cluster"' not in small  # one server: no routes


def test_a_wildcard_name_stands_for_one_label_only() -> None:
    assert matches("*.nats-headless", "nats-0.nats-headless")
    assert not matches("*.nats-headless", "a.nats-0.nats-headless")
    assert not matches("*.nats-headless.nats.svc", "nats-0.nats-headless")
