"""Temporal with a client certificate (components/temporal-mtls; issue 18: "Temporal Cloud by address
and TLS"): an overlay that adds the component gives the workflow service and the temporal-namespace Job
the certificate and key from the Secret ejournal-temporal-tls at the paths their settings name, and
those settings turn the mounted files into the SDK's client TLS configuration."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from temporalio.service import TLSConfig

from deploy.temporal_namespace import TemporalNamespaceSettings
from services.workflow.adapters.temporal import temporal_tls
from tests.infrastructure.k8s import K8S, Manifest
from tests.infrastructure.test_k8s_manifests import KUBERNETES_VERSION, environment

pytestmark = pytest.mark.unit
SECRET = "ejournal-temporal-tls"


def overlay_with_component(tmp_path: Path) -> str:
    """A university's own overlay over overlays/small with the component (kustomize wants relative
    paths, so in a copy of deploy/k8s)."""
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    overlay = copy / "overlays" / "university"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": ["../small"],
                "components": ["../../components/temporal-mtls"],
            }
        )
    )
    return subprocess.run(
        ["kubectl", "kustomize", str(overlay)], capture_output=True, text=True, check=True
    ).stdout


def test_the_workflow_and_the_namespace_job_read_the_certificate_from_the_secret(tmp_path: Path) -> None:
    text = overlay_with_component(tmp_path)
    manifests: list[Manifest] = [d for d in yaml.safe_load_all(text) if d]
    found = {d["metadata"]["name"]: d for d in manifests if d["kind"] in ("Deployment", "Job")}
    for name in ("workflow", "temporal-namespace"):
        pod = found[name]["spec"]["template"]["spec"]
        container = next(c for c in pod["containers"] if c["name"] == name)
        env = environment(container, manifests)
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        volumes = {v["name"]: v for v in pod["volumes"]}
        for variable in (
            "EJOURNAL_WORKFLOW_TEMPORAL_TLS_CERT_FILE",
            "EJOURNAL_WORKFLOW_TEMPORAL_TLS_KEY_FILE",
        ):
            path = Path(env[variable]["value"])
            assert volumes[mounts[str(path.parent)]]["secret"]["secretName"] == SECRET, (name, variable)
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "-k", KUBERNETES_VERSION, "--strict", str(manifest)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr  # the operators' kinds are only skipped


def test_the_settings_turn_the_mounted_files_into_a_client_tls_config(tmp_path: Path) -> None:
    (tmp_path / "tls.crt").write_bytes(b"-----BEGIN CERTIFICATE-----\n")
    (tmp_path / "tls.key").write_bytes(b"-----BEGIN PRIVATE KEY-----\n")
    values: dict[str, Any] = {
        "temporal_address": "ejournal.abcde.tmprl.cloud:7233",
        "temporal_tls": True,
        "temporal_tls_cert_file": tmp_path / "tls.crt",
        "temporal_tls_key_file": tmp_path / "tls.key",
    }
    tls = temporal_tls(TemporalNamespaceSettings.model_validate(values))
    assert isinstance(tls, TLSConfig)
    assert tls.client_cert == b"-----BEGIN CERTIFICATE-----\n" and tls.client_private_key is not None
    assert tls.server_root_ca_cert is None  # the system's CAs, as for Temporal Cloud
