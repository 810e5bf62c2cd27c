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
    folder: Path, databases: dict[str, str], nats_url: str, nats_ca_file: Path | None = None
) -> dict[str, int]:
    client = await connect(nats_url, "reporting-restore", NatsTls(nats_ca_file))
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
    args = parser.parse_args(argv)
    databases = {}
    for item in args.database:
        service, sep, url = item.partition("=")
        if not sep or not url:
            parser.error(f"--database {item!r}: expected SERVICE=URL")
        databases[service] = url
    restored = asyncio.run(restore(args.folder, databases, args.nats_url, args.nats_ca_file))
    print(json.dumps({"streams": restored, "databases": sorted(databases)}, indent=2))


if __name__ == "__main__":
    main()
