"""The cluster description as an operator applies it: `kubectl kustomize` of each overlay, rendered
offline (Debian's kubectl is on the machine image; see /work/shared/RECIPES.md)."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("overlays/small", "overlays/large")

Manifest = dict[str, Any]


@functools.cache
def rendered_text(overlay: str) -> str:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed to render the manifests (Debian package kubernetes-client)"
    return subprocess.run(
        [kubectl, "kustomize", str(K8S / overlay)], capture_output=True, text=True, check=True
    ).stdout


def rendered(overlay: str) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(rendered_text(overlay)) if doc]


def pod_specs(manifests: list[Manifest]) -> list[tuple[Manifest, Manifest]]:
    """(workload, pod spec) of every Deployment and Job."""
    return [(m, m["spec"]["template"]["spec"]) for m in manifests if m["kind"] in ("Deployment", "Job")]


def image_commands(manifests: list[Manifest]) -> set[tuple[str, ...]]:
    """Every command a container of the ejournal image runs."""
    return {
        tuple(container["command"])
        for _, spec in pod_specs(manifests)
        for container in [*spec.get("initContainers", []), *spec["containers"]]
        if "ejournal" in container["image"] and "command" in container
    }
