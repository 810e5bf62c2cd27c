"""`python -m services.subscribers.natssetup DIR`: make the export NATS's keys once (issue 20).

Writes DIR/export-nats.conf (include it in the export nats-server's configuration: it trusts the new
operator and preloads the export and system accounts) and DIR/subscribers.env (the subscribers
service's EXPORT_ACCOUNT and EXPORT_SIGNING_SEED: a Secret in a cluster), and DIR/operator.seed and
DIR/account.seed (keep them offline: they re-sign the accounts, e.g. to add a signing key).
"""

from __future__ import annotations

import sys
from pathlib import Path

from services.subscribers.domain.natsauth import export_setup


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m services.subscribers.natssetup DIR")
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    setup = export_setup()
    files = {
        "export-nats.conf": setup.server_config,
        "subscribers.env": (
            f"EJOURNAL_SUBSCRIBERS_EXPORT_ACCOUNT={setup.account}\n"
            f"EJOURNAL_SUBSCRIBERS_EXPORT_SIGNING_SEED={setup.signing_seed}\n"
        ),
        "operator.seed": setup.operator_seed + "\n",
        "account.seed": setup.account_seed + "\n",
    }
    for name, content in files.items():
        path = out / name
        path.write_text(content)
        path.chmod(0o600)
    print(f"wrote {', '.join(files)} to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
