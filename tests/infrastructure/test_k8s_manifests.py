"""The cluster description stays in step with the code: every service has a Deployment running its
module, a migration init container, probes, and the variables its settings read."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ejournal_platform.services import SERVICES

pytestmark = pytest.mark.unit
K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"


def documents() -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for name in yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]:
        found += [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]
    return found


def test_every_service_and_the_gateway_have_a_deployment_and_a_service() -> None:
    by_kind: dict[str, set[str]] = {}
    for doc in documents():
        by_kind.setdefault(str(doc["kind"]), set()).add(doc["metadata"]["name"])  # type: ignore[index]
    assert {*SERVICES, "gateway"} <= by_kind["Deployment"]
    assert {*SERVICES, "gateway"} <= by_kind["Service"]


def test_each_deployment_runs_its_module_migrates_first_and_is_probed() -> None:
    for doc in documents():
        if doc["kind"] != "Deployment" or doc["metadata"]["name"] == "gateway":  # type: ignore[index]
            continue
        name = doc["metadata"]["name"]  # type: ignore[index]
        spec = doc["spec"]["template"]["spec"]  # type: ignore[index]
        container = spec["containers"][0]
        assert container["command"] == ["python", "-m", f"services.{name}"]
        assert spec["initContainers"][0]["command"] == ["python", "-m", "deploy.migrate", name]
        # Migrations run as the owner role, the service as its own role: two different secrets.
        migrate_env = spec["initContainers"][0]["env"][0]
        assert migrate_env["name"] == f"EJOURNAL_{name.upper()}_MIGRATION_URL"
        assert migrate_env["valueFrom"]["secretKeyRef"]["name"] == "ejournal-database-owners"
        # Readiness follows the service's health (down: out of the balancer); liveness only asks
        # whether the process answers, so a database outage never turns into a restart loop.
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "health"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "health"}
        assert {"name": "health", "containerPort": 8081} in container["ports"]
        variables = {env["name"] for env in container["env"]}
        prefix = f"EJOURNAL_{name.upper()}_"
        assert {f"{prefix}DATABASE_URL", f"{prefix}NATS_URL", f"{prefix}GRPC_PORT"} <= variables
        assert {"name": f"{prefix}HEALTH_PORT", "value": "8081"} in container["env"]


def test_a_job_provisions_every_database_with_its_roles_before_migrations() -> None:
    jobs = [d for d in documents() if d["kind"] == "Job" and d["metadata"]["name"] == "provision-databases"]  # type: ignore[index]
    assert len(jobs) == 1
    container = jobs[0]["spec"]["template"]["spec"]["containers"][0]  # type: ignore[index]
    assert container["command"] == ["python", "-m", "deploy.provision"]
    assert container["env"][0]["name"] == "EJOURNAL_DATABASE_ADMIN_URL"
