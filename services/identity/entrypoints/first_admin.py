"""`python -m services.identity.entrypoints.first_admin --university ID --login LOGIN --last-name ...`:
the operator's command that creates the first administrator of a new installation (who then creates
everyone else through the portal). Refuses to run once any administrator exists.

The password comes from EJOURNAL_FIRST_ADMIN_PASSWORD, never from the command line (which other users
of the machine can read in the process list); the database from EJOURNAL_IDENTITY_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker

from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.errors import DomainError
from ejournal_platform.outbox import OutboxWriter
from ejournal_platform.settings import load_settings
from services.identity.adapters import tables
from services.identity.adapters.passwords import Argon2Parameters, PasswordHashing
from services.identity.domain.people import PersonCategory, Placement
from services.identity.service_layer.bootstrap import Account, create_first_administrator
from services.identity.service_layer.deps import Deps, TokenPolicy, utc_now
from services.identity.service_layer.keys import KeyRing, retired_key_window
from services.identity.settings import IdentitySettings

PASSWORD_VARIABLE = "EJOURNAL_FIRST_ADMIN_PASSWORD"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="first_admin", description=__doc__.split("\n\n")[0])
    parser.add_argument("--university", required=True, help="curriculum's id of the university")
    parser.add_argument("--login", required=True)
    parser.add_argument("--last-name", required=True)
    parser.add_argument("--first-name", required=True)
    parser.add_argument("--patronymic", default="")
    parser.add_argument("--profile", required=True, help="regulation profile, e.g. kz-medical or kg-jasu")
    parser.add_argument("--language", default="ru", choices=("ru", "kk", "ky", "en"))
    return parser.parse_args(argv)


async def create(arguments: argparse.Namespace, password: str, settings: IdentitySettings) -> None:
    engine = make_engine(settings.database_url, pool_size=1)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        policy = TokenPolicy()
        deps = Deps(
            unit_of_work=lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)),
            hashing=PasswordHashing(
                Argon2Parameters(
                    settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
                )
            ),
            keys=KeyRing(
                lambda: UnitOfWork(sessions, OutboxWriter(tables.outbox)),
                publish_retired_for=retired_key_window(policy.access_ttl),
                clock=utc_now,
            ),
            tokens=policy,
        )
        await create_first_administrator(
            deps,
            Account(
                person_id=str(uuid.uuid4()),
                login=arguments.login,
                last_name=arguments.last_name,
                first_name=arguments.first_name,
                patronymic=arguments.patronymic,
                language=arguments.language,
                category=PersonCategory.STAFF,
                placement=Placement(university_id=arguments.university),
                profile_code=arguments.profile,
                password=password,
                roles=(("administrator", "university", arguments.university),),
            ),
        )
    finally:
        await engine.dispose()


def main(argv: list[str]) -> int:
    arguments = parse(argv)
    password = os.environ.get(PASSWORD_VARIABLE, "")
    if not password:
        print(f"set {PASSWORD_VARIABLE} to the administrator's first password", file=sys.stderr)
        return 2
    try:
        asyncio.run(create(arguments, password, load_settings(IdentitySettings)))
    except DomainError as refused:
        print(f"refused: {refused.message}", file=sys.stderr)
        return 1
    print(f"administrator {arguments.login} created")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
