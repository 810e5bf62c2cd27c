"""`python -m deploy.migrate SERVICE`: apply SERVICE's migrations as its owner role, whose URL is
EJOURNAL_<SERVICE>_MIGRATION_URL (EJOURNAL_<SERVICE>_DATABASE_URL, the service's own role, cannot run DDL;
see ejournal_platform.db_roles and deploy/provision.py).

On a cluster this runs as a Job before the service's Deployment rolls out; the local launcher applies
the same migrations itself.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ejournal_platform.migrations import upgrade
from ejournal_platform.services import SERVICES

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in SERVICES:
        print(f"usage: python -m deploy.migrate {{{'|'.join(SERVICES)}}}", file=sys.stderr)
        return 2
    service = argv[0]
    variable = f"EJOURNAL_{service.upper()}_MIGRATION_URL"
    url = os.environ.get(variable)
    if not url:
        print(f"{variable} is not set", file=sys.stderr)
        return 2
    upgrade(ROOT / "services" / service / "migrations", url)
    print(f"{service}: migrated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
