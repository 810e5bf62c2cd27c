"""Vendor the operators' CRD schemas for the manifest tests (issue 18).

    .venv/bin/python scripts/crd_schemas.py CRD.yaml... --out deploy/k8s/crd-schemas

Each CustomResourceDefinition (as the operator's release ships it under config/crd/bases) becomes one
JSON Schema per served version, `<group>_<version>_<kind>.json`: its openAPIV3Schema without the
descriptions (most of the bytes), and strict like `kubectl apply --validate=strict`: an object that
lists its properties and does not preserve unknown fields accepts no other property. The tests read
these files; nothing at run time does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml


def strict(schema: Any) -> Any:
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items() if key != "description"}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("crds", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", default="", help="where the CRDs came from, kept in each file")
    arguments = parser.parse_args(argv)
    arguments.out.mkdir(parents=True, exist_ok=True)
    for path in arguments.crds:
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = strict(version["schema"]["openAPIV3Schema"])
            schema["$comment"] = f"{arguments.source} {path.name}".strip()
            target = arguments.out / f"{group}_{version['name']}_{kind}.json"
            target.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"{target}: {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
