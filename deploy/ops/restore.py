"""`python -m deploy.ops.restore FOLDER --database SERVICE=URL ... --nats-url URL`:
restore a backup into new databases (each URL names a database that does not exist yet; it is created
on that server) and into a NATS server whose streams do not exist yet. Every file is checked against
the manifest's SHA-256 first; nothing is restored from a damaged backup."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from deploy.ops.archive import restore_backup
from ejournal_platform.nats import NatsTls, connect


async def restore(
    folder: Path, databases: dict[str, str], nats_url: str, tls: NatsTls | None = None
) -> dict[str, int]:
    client = await connect(nats_url, "reporting-restore", tls or NatsTls())
    try:
        return await restore_backup(folder, databases, client)
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="restore an ejournal backup")
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--database", action="append", default=[], metavar="SERVICE=URL", help="one per service"
    )
    parser.add_argument("--nats-url", required=True)
    parser.add_argument("--nats-ca-file", type=Path, help="the CA of a NATS that serves TLS (a cluster's)")
    # A NATS that verifies clients (the cluster's: mTLS) asks for a certificate its CA signed.
    parser.add_argument("--nats-cert-file", type=Path, help="a client certificate, for mTLS")
    parser.add_argument("--nats-key-file", type=Path, help="its private key")
    args = parser.parse_args(argv)
    databases = {}
    for item in args.database:
        service, sep, url = item.partition("=")
        if not sep or not url:
            parser.error(f"--database {item!r}: expected SERVICE=URL")
        databases[service] = url
    tls = NatsTls(args.nats_ca_file, args.nats_cert_file, args.nats_key_file)
    restored = asyncio.run(restore(args.folder, databases, args.nats_url, tls))
    print(json.dumps({"streams": restored, "databases": sorted(databases)}, indent=2))


if __name__ == "__main__":
    main()
