"""Whether a database already holds the demo data of the current demo sources, so that a warm start
of the local stack skips confirming it.

The seeds are idempotent, but confirming the curriculum demo (~3,000 rows, each through its use case)
costs seconds on every start. After a seed succeeds the launcher records a fingerprint of what it
loaded: the service, the database's identity (its oid: a dropped and re-created database gets a new
one), the academic year (group ids follow it) and the seed's sources (`deploy/demo/*.py`, the id
formulas, the service's seed `deploy/demo/seed/<service>.py` and its parts `<service>_*.py`). A start
whose fingerprint matches skips that seed; any change to the demo reloads it. Delete
`$EJOURNAL_HOME/demo-stamps.json` to force it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from deploy.demo.model import year_start

SOURCES = (
    "deploy/demo/*.py",
    "services/curriculum/adapters/ids.py",  # the id formulas the demo's ids come from
    "deploy/demo/seed/{service}.py",
    "deploy/demo/seed/{service}_*.py",
)


def fingerprint(root: Path, service: str, database_oid: int, today: date) -> str:
    digest = hashlib.sha256(f"{service}|{database_oid}|{year_start(today)}".encode())
    for pattern in SOURCES:
        for path in sorted(root.glob(pattern.format(service=service))):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class DemoStamps:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            found = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def is_current(self, service: str, stamp: str) -> bool:
        return self._read().get(service) == stamp

    def record(self, service: str, stamp: str) -> None:
        stamps = self._read() | {service: stamp}
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(stamps, indent=1))
        partial.replace(self.path)
