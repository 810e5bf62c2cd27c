"""`python -m deploy.provision`: create each service's database and its two roles (ejournal_platform.
db_roles) on an existing PostgreSQL, as its administrator; idempotent.

Reads EJOURNAL_DATABASE_ADMIN_URL (a role that may create roles and databases), or its parts
EJOURNAL_DATABASE_HOST, EJOURNAL_DATABASE_ADMIN_USER and EJOURNAL_DATABASE_ADMIN_PASSWORD (as
CloudNativePG's superuser Secret gives them), and, per service, EJOURNAL_<SERVICE>_OWNER_PASSWORD and
EJOURNAL_<SERVICE>_APP_PASSWORD. On a cluster it runs as the Job in
deploy/k8s/base/jobs/provision-databases.yaml before the migration Job; the local launcher does the
same itself.

With EJOURNAL_TEMPORAL_DATABASE_PASSWORD set (a self-hosted Temporal on the same PostgreSQL, as
deploy/k8s/engines/temporal-values.yaml runs it) it also makes Temporal's own databases `temporal`
and `temporal_visibility`, owned by the login role `temporal` with that password, with the
`btree_gin` extension its visibility schema needs; Temporal's chart then only sets up its schema.
Unset (Temporal Cloud, or an external Temporal): nothing of Temporal's is made.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import quote

from ejournal_platform.db_roles import provision, provision_engine
from ejournal_platform.services import SERVICES

PARTS = ("ADMIN_USER", "ADMIN_PASSWORD", "HOST")
TEMPORAL_ROLE = "temporal"
TEMPORAL_DATABASES = ("temporal", "temporal_visibility")
TEMPORAL_EXTENSIONS = {"temporal_visibility": ("btree_gin",)}


def admin_url() -> str:
    url = os.environ.get("EJOURNAL_DATABASE_ADMIN_URL", "")
    if not url and all(os.environ.get(f"EJOURNAL_DATABASE_{part}") for part in PARTS):
        user, password, host = (quote(os.environ[f"EJOURNAL_DATABASE_{part}"], safe="") for part in PARTS)
        url = f"postgresql://{user}:{password}@{host}/postgres"
    return url.replace("postgresql+psycopg://", "postgresql://")


def main(argv: list[str]) -> int:
    admin = admin_url()
    names = [f"EJOURNAL_{s.upper()}_{kind}_PASSWORD" for s in SERVICES for kind in ("OWNER", "APP")]
    missing = [name for name in names if not os.environ.get(name)]
    if not admin:
        missing.insert(0, "EJOURNAL_DATABASE_ADMIN_URL")
    if argv or missing:
        print(f"usage: python -m deploy.provision (missing: {', '.join(missing) or '-'})", file=sys.stderr)
        return 2
    for service in SERVICES:
        prefix = f"EJOURNAL_{service.upper()}_"
        provision(
            admin,
            f"ejournal_{service}",
            service,
            os.environ[prefix + "OWNER_PASSWORD"],
            os.environ[prefix + "APP_PASSWORD"],
        )
        print(f"{service}: database and roles ready")
    temporal_password = os.environ.get("EJOURNAL_TEMPORAL_DATABASE_PASSWORD", "")
    if temporal_password:
        provision_engine(admin, TEMPORAL_ROLE, temporal_password, TEMPORAL_DATABASES, TEMPORAL_EXTENSIONS)
        print(f"temporal: databases {', '.join(TEMPORAL_DATABASES)} and role {TEMPORAL_ROLE} ready")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
