"""The cluster description, rendered as an operator applies it (`kubectl kustomize` of each overlay),
stays in step with the code: every Deployment sets every variable its service's settings need (derived
from the settings class, not listed here), secrets come from Secrets, migrations run once per release,
pods run unprivileged, only the gateway is reachable from outside and each service reaches only what
it calls, and the manifests pass kubernetes-validate for the target Kubernetes version."""

from __future__ import annotations

import copy
import importlib
import json
import re
import shutil
import subprocess
import sys
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic_settings import BaseSettings

from deploy.temporal_namespace import TemporalNamespaceSettings
from ejournal_platform.services import SERVICES
from ejournal_platform.settings import deployment_variables
from services.gateway.settings import GatewaySettings
from tests.infrastructure.k8s import K8S, OVERLAYS, Manifest, pod_specs, rendered, rendered_text

pytestmark = pytest.mark.unit
KUBERNETES_VERSION = "1.33.0"
# Custom resources of the operators (CloudNativePG and its Barman Cloud plugin, cert-manager):
# kubernetes-validate has no schema for them; they are validated against the operators' own CRD
# schemas, vendored in deploy/k8s/crd-schemas (strict: no unknown field).
CUSTOM_KINDS = {"Cluster", "ObjectStore", "ScheduledBackup", "Certificate", "ClusterIssuer"}
CRD_SCHEMAS = K8S / "crd-schemas"
SECRET_WORDS = ("SECRET", "PASSWORD", "TOKEN", "API_KEY")
overlays = pytest.mark.parametrize("overlay", OVERLAYS)


def settings_class(name: str) -> type[BaseSettings]:
    if name == "gateway":
        return GatewaySettings
    module = importlib.import_module(f"services.{name}.settings")
    return getattr(module, f"{name.capitalize()}Settings")  # type: ignore[no-any-return]


def listening(variable: str) -> bool:
    """An address the process listens on itself (an exporter's), not one of a service it calls."""
    return variable.endswith("_METRICS_ADDRESS")


def by_kind(manifests: list[Manifest], kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in manifests if m["kind"] == kind}


def environment(container: Manifest, manifests: list[Manifest]) -> dict[str, Manifest]:
    """Every variable the container gets: env entries, and the keys of the ConfigMaps in envFrom."""
    config_maps = by_kind(manifests, "ConfigMap")
    found: dict[str, Manifest] = {}
    for source in container.get("envFrom", []):
        name = source["configMapRef"]["name"]
        found |= {key: {"name": key, "value": value} for key, value in config_maps[name]["data"].items()}
    for entry in container.get("env", []):
        found[entry["name"]] = entry
    return found


def main_container(manifests: list[Manifest], name: str) -> Manifest:
    deployment = by_kind(manifests, "Deployment")[name]
    return deployment["spec"]["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


@overlays
def test_every_service_and_the_gateway_run_as_a_deployment_behind_a_service(overlay: str) -> None:
    manifests = rendered(overlay)
    deployments, services = by_kind(manifests, "Deployment"), by_kind(manifests, "Service")
    assert {*SERVICES, "gateway"} <= set(deployments) and {*SERVICES, "gateway"} <= set(services)
    for name in SERVICES:
        container = main_container(manifests, name)
        assert container["command"] == ["python", "-m", f"services.{name}"]
        # gRPC spreads over pods: a headless Service resolves to every ready pod (round_robin in
        # ejournal_platform.grpc.client) instead of one ClusterIP pinning a connection to one pod.
        assert services[name]["spec"]["clusterIP"] == "None"
        # No pod runs code on a schema the migration Job has not made yet.
        init = deployments[name]["spec"]["template"]["spec"]["initContainers"][0]
        assert init["command"] == ["python", "-m", "deploy.migrate", "--wait", name]
        assert f"EJOURNAL_{name.upper()}_DATABASE_URL" in environment(init, manifests)
        # Readiness follows the service's health; liveness only whether the process answers, so a
        # database outage never turns into a restart loop.
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "health"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "health"}
        health_port = environment(container, manifests)[f"EJOURNAL_{name.upper()}_HEALTH_PORT"]["value"]
        assert {"name": "health", "containerPort": int(health_port)} in container["ports"]
    gateway = main_container(manifests, "gateway")
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/readyz"


@overlays
def test_every_deployment_sets_every_variable_its_settings_need(overlay: str) -> None:
    manifests = rendered(overlay)
    for name in [*SERVICES, "gateway"]:
        env = environment(main_container(manifests, name), manifests)
        missing = deployment_variables(settings_class(name)) - set(env)
        assert not missing, f"{overlay}: the {name} Deployment does not set {sorted(missing)}"
        for variable, entry in env.items():
            # Secrets come from Secrets; a URL with a password composes it from one ($(VAR)).
            if any(word in variable for word in SECRET_WORDS):
                assert "secretKeyRef" in entry.get("valueFrom", {}), f"{name}: {variable} is not a Secret"
            for reference in re.findall(r"\$\((\w+)\)", str(entry.get("value", ""))):
                names = [e["name"] for e in main_container(manifests, name).get("env", [])]
                assert reference in names[: names.index(variable)], f"{name}: {variable} uses {reference}"
            if variable.endswith("_DATABASE_URL"):
                assert "$(" in entry["value"] and "PASSWORD)" in entry["value"]
        # A cross-service address names a Service of this cluster, never a loopback default; an
        # exporter's own listening address (the Temporal SDK's, no token) is loopback only.
        for variable, entry in env.items():
            if variable.endswith("_ADDRESS") and "value" in entry:
                host, _port = entry["value"].rsplit(":", 1)
                if listening(variable):
                    assert host == "127.0.0.1", f"{name}: {variable}={entry['value']} is not loopback"
                else:
                    assert host in by_kind(manifests, "Service"), f"{name}: {variable}={entry['value']}"


@overlays
def test_one_job_per_release_migrates_provisions_and_registers_the_temporal_namespace(overlay: str) -> None:
    manifests = rendered(overlay)
    jobs = by_kind(manifests, "Job")
    migrate = jobs["migrate"]["spec"]["template"]["spec"]["containers"][0]
    assert migrate["command"] == ["python", "-m", "deploy.migrate"]  # every service, under a lock
    assert {f"EJOURNAL_{s.upper()}_MIGRATION_URL" for s in SERVICES} <= set(environment(migrate, manifests))
    provision = jobs["provision-databases"]["spec"]["template"]["spec"]["containers"][0]
    assert provision["command"] == ["python", "-m", "deploy.provision"]
    wanted = {f"EJOURNAL_{s.upper()}_{kind}_PASSWORD" for s in SERVICES for kind in ("OWNER", "APP")}
    assert wanted | {"EJOURNAL_DATABASE_ADMIN_PASSWORD"} <= set(environment(provision, manifests))
    temporal = jobs["temporal-namespace"]["spec"]["template"]["spec"]["containers"][0]
    assert temporal["command"] == ["python", "-m", "deploy.temporal_namespace"]
    assert deployment_variables(TemporalNamespaceSettings) <= set(environment(temporal, manifests))
    # Nothing migrates from a pod any more: the only migrating command is the Job's.
    for _, spec in pod_specs(manifests):
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            command = container.get("command", [])  # a sidecar may have args only
            if command[:3] == ["python", "-m", "deploy.migrate"] and container is not migrate:
                assert "--wait" in command


@overlays
def test_every_container_runs_unprivileged_read_only_with_requests_and_limits(overlay: str) -> None:
    for workload, spec in pod_specs(rendered(overlay)):
        name = workload["metadata"]["name"]
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec.get("automountServiceAccountToken") is False, name
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert "memory" in container["resources"]["limits"], name
            assert any(m["mountPath"] == "/tmp" for m in container["volumeMounts"]), name


def allowed_peers(rules: list[Manifest], direction: str) -> set[tuple[str, int]]:
    peers = set()
    for rule in rules:
        for peer in rule.get(direction, []):
            name = peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")
            for port in rule.get("ports", []):
                if name:
                    peers.add((name, port["port"]))
    return peers


@overlays
def test_only_the_gateway_is_reachable_from_outside_and_each_service_reaches_only_what_it_calls(
    overlay: str,
) -> None:
    manifests = rendered(overlay)
    policies = by_kind(manifests, "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and deny["ingress"] == [] and deny["egress"] == []
    ingress_namespaces = {
        policy_name
        for policy_name, policy in policies.items()
        for rule in policy["spec"].get("ingress", [])
        for peer in rule.get("from", [])
        if peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
        == "ingress-nginx"
    }
    assert ingress_namespaces == {"gateway"}
    ingress = by_kind(manifests, "Ingress")["ejournal"]
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "gateway"

    # Who calls whom, from the addresses each Deployment is given (its settings' *_ADDRESS, and a
    # nats:// URL naming a Service of this cluster: the export NATS).
    services = by_kind(manifests, "Service")
    calls: dict[str, set[tuple[str, int]]] = {}
    for name in [*SERVICES, "gateway"]:
        env = environment(main_container(manifests, name), manifests)
        calls[name] = {
            (entry["value"].rsplit(":", 1)[0], int(entry["value"].rsplit(":", 1)[1]))
            for variable, entry in env.items()
            if variable.endswith("_ADDRESS") and entry.get("value") and not listening(variable)
        }
        for entry in env.values():
            found = re.fullmatch(r"nats://([\w-]+):(\d+)", str(entry.get("value", "")))
            if found and found.group(1) in services:
                calls[name].add((found.group(1), int(found.group(2))))
    for name in [*SERVICES, "gateway"]:
        spec = policies[name]["spec"]
        assert spec["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": name}
        assert allowed_peers(spec["egress"], "to") == calls[name], name
        callers = {caller for caller, callees in calls.items() if any(c == name for c, _ in callees)}
        if name != "gateway":
            assert {peer for peer, _ in allowed_peers(spec["ingress"], "from")} == callers, name


@overlays
def test_the_ingress_has_tls_and_a_body_limit_that_fits_an_import(overlay: str) -> None:
    ingress = by_kind(rendered(overlay), "Ingress")["ejournal"]
    assert ingress["spec"]["tls"][0]["secretName"]
    limit = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert limit.endswith("m") and int(limit[:-1]) > 50  # an import may be up to 50 MiB


def test_the_small_overlay_runs_one_of_everything_and_the_large_one_is_highly_available() -> None:
    small, large = rendered("overlays/small"), rendered("overlays/large")
    assert {d["spec"]["replicas"] for d in by_kind(small, "Deployment").values()} == {1}
    assert not by_kind(small, "HorizontalPodAutoscaler")
    assert by_kind(small, "Cluster")["ejournal-db"]["spec"]["instances"] == 1
    assert by_kind(small, "ConfigMap")["ejournal-cluster"]["data"]["stream_replicas"] == "1"

    deployments = by_kind(large, "Deployment")
    autoscaled = by_kind(large, "HorizontalPodAutoscaler")
    assert "notifier" not in autoscaled  # one Telegram poller per bot
    assert deployments["notifier"]["spec"]["replicas"] == 1
    for name in {*SERVICES, "gateway"} - {"notifier"}:
        assert deployments[name]["spec"]["replicas"] >= 3, name
        assert autoscaled[name]["spec"]["minReplicas"] >= 3, name
        assert by_kind(large, "PodDisruptionBudget")[name]["spec"]["maxUnavailable"] == 1
    database = by_kind(large, "Cluster")["ejournal-db"]["spec"]
    assert database["instances"] == 3 and database["minSyncReplicas"] == 1
    assert database["plugins"][0]["isWALArchiver"] is True  # WAL to object storage: point-in-time recovery
    assert by_kind(large, "ScheduledBackup")
    # Every stream is kept in as many copies as the NATS chart runs servers.
    nats = yaml.safe_load((K8S / "engines" / "nats-values.yaml").read_text())["config"]
    assert nats["cluster"]["enabled"] and nats["jetstream"]["enabled"]
    replicas = by_kind(large, "ConfigMap")["ejournal-cluster"]["data"]["stream_replicas"]
    assert int(replicas) == nats["cluster"]["replicas"] == 3


@overlays
def test_the_rendered_manifests_pass_kubernetes_validate(overlay: str, tmp_path: Any) -> None:
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(rendered_text(overlay))
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "-k", KUBERNETES_VERSION, "--strict", str(manifest)],
        capture_output=True,
        text=True,
    )
    problems = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if line.strip()]
    problems = [line for line in problems if not line.startswith("INFO")]
    unknown = [line for line in problems if "Couldn't find schema for kind" not in line]
    assert not unknown and result.returncode == 0, "\n".join(unknown)
    skipped = {re.search(r"kind (\w+)", line).group(1) for line in problems}  # type: ignore[union-attr]
    assert skipped == CUSTOM_KINDS


def custom_resource_errors(resource: Manifest) -> list[str]:
    """What the operator's CRD schema refuses in the resource (a missing schema is an error too)."""
    group, version = resource["apiVersion"].split("/")
    path = CRD_SCHEMAS / f"{group}_{version}_{resource['kind']}.json"
    if not path.exists():
        return [f"no CRD schema {path.name}"]
    validator = jsonschema.Draft4Validator(json.loads(path.read_text(encoding="utf-8")))
    name = f"{resource['kind']} {resource['metadata']['name']}"
    errors = validator.iter_errors(resource)
    return [f"{name}: {'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


@overlays
def test_the_operators_custom_resources_pass_their_crd_schemas(overlay: str) -> None:
    custom = [m for m in rendered(overlay) if m["kind"] in CUSTOM_KINDS]
    assert {m["kind"] for m in custom} == CUSTOM_KINDS
    assert [error for resource in custom for error in custom_resource_errors(resource)] == []


def test_the_crd_schemas_refuse_a_misspelt_field_and_a_wrong_type() -> None:
    cluster = copy.deepcopy(by_kind(rendered("overlays/small"), "Cluster")["ejournal-db"])
    cluster["spec"]["instance"] = 3  # "instances" misspelt: the operator would never see it
    cluster["spec"]["storage"]["size"] = ["50Gi"]
    errors = custom_resource_errors(cluster)
    assert any("'instance' was unexpected" in e for e in errors), errors
    assert any(e.startswith("Cluster ejournal-db: spec.storage.size:") for e in errors), errors


@overlays
def test_the_export_nats_runs_jwt_only_and_only_the_subscribers_service_reaches_it(overlay: str) -> None:
    """Issue 20's export NATS: a nats-server in operator mode whose trust (operator and account JWTs)
    comes from a Secret made by services.subscribers.natssetup, with no user, password or token of its
    own; the subscribers service is given its address and the EXPORT account's keys from a Secret."""
    manifests = rendered(overlay)
    config = by_kind(manifests, "ConfigMap")["export-nats"]["data"]["nats.conf"]
    assert "include ./trust/export-nats.conf" in config and "jetstream" in config
    assert not re.search(r"\b(authorization|users|password|token|no_auth_user)\b", config)
    pod = by_kind(manifests, "Deployment")["export-nats"]["spec"]["template"]["spec"]
    mounts = {m["name"]: m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert mounts["trust"] == "/etc/nats/trust" and volumes["trust"]["secret"]["secretName"]
    claims = by_kind(manifests, "PersistentVolumeClaim")
    assert volumes["data"]["persistentVolumeClaim"]["claimName"] in claims
    assert "export-nats" in by_kind(manifests, "Service")

    env = environment(main_container(manifests, "subscribers"), manifests)
    assert env["EJOURNAL_SUBSCRIBERS_EXPORT_NATS_URL"]["value"] == "nats://export-nats:4222"
    for key in ("EJOURNAL_SUBSCRIBERS_EXPORT_ACCOUNT", "EJOURNAL_SUBSCRIBERS_EXPORT_SIGNING_SEED"):
        assert env[key]["valueFrom"]["secretKeyRef"]["name"] == "ejournal-export-nats", key

    policy = by_kind(manifests, "NetworkPolicy")["export-nats"]["spec"]
    assert allowed_peers(policy["ingress"], "from") == {("subscribers", 4222)}
    assert policy["egress"] == []


def namespace_selectors(manifests: list[Manifest]) -> set[str]:
    return {
        peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
        for policy in by_kind(manifests, "NetworkPolicy").values()
        for direction, side in (("ingress", "from"), ("egress", "to"))
        for rule in policy["spec"].get(direction) or []
        for peer in rule.get(side, [])
        if "namespaceSelector" in peer and peer["namespaceSelector"].get("matchLabels")
    }


def test_the_namespaces_of_the_engines_and_neighbours_are_one_setting(tmp_path: Any) -> None:
    """NetworkPolicies and the engines' addresses name the namespaces of ingress-nginx, Prometheus,
    NATS, Temporal and CloudNativePG from base/namespaces.yaml only: rendered with other names there,
    no default name is left anywhere."""
    defaults = yaml.safe_load((K8S / "base" / "namespaces.yaml").read_text())["data"]
    assert namespace_selectors(rendered("overlays/large")) == set(defaults.values())
    copy_of = tmp_path / "k8s"
    shutil.copytree(K8S, copy_of)
    changed = {key: f"ns-{key}" for key in defaults}
    settings = yaml.safe_load((copy_of / "base" / "namespaces.yaml").read_text())
    settings["data"] = changed
    (copy_of / "base" / "namespaces.yaml").write_text(yaml.safe_dump(settings))
    for overlay in OVERLAYS:
        text = subprocess.run(
            ["kubectl", "kustomize", str(copy_of / overlay)], capture_output=True, text=True, check=True
        ).stdout
        manifests = [doc for doc in yaml.safe_load_all(text) if doc]
        assert namespace_selectors(manifests) == set(changed.values()), overlay
        cluster = by_kind(manifests, "ConfigMap")["ejournal-cluster"]["data"]
        assert cluster["nats_server"] == "nats.ns-nats.svc:4222"
        assert cluster["temporal_address"] == "temporal-frontend.ns-temporal.svc:7233"
        assert "ejournal-namespaces" not in by_kind(manifests, "ConfigMap")  # a setting, not applied
