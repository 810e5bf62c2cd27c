"""Demo accounts for the local stack, both profiles: `await seed_demo(database_url)`.

Every person of the demo university (`deploy/demo/university.py`, which curriculum's demo seed reads
too) gets an account: person id `person_id(login)`, the documented demo password, and roles whose
scope ids are curriculum's ids of that university, faculty, department or group (students: their own
id; parents: their child's), so the tokens identity issues match the resources other services keep.

Idempotent (a login that exists is left alone, missing roles are added) and quick: one transaction,
the demo password hashed once.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from deploy.demo import university as demo
from ejournal_platform.db import UnitOfWork, make_engine
from ejournal_platform.outbox import OutboxWriter
from services.identity.adapters import tables
from services.identity.adapters.passwords import PasswordHashing
from services.identity.domain.people import PersonCategory, Placement
from services.identity.service_layer.bootstrap import Account, EnsureAccounts, ensure_accounts
from services.identity.service_layer.deps import Deps, utc_now
from services.identity.service_layer.keys import KeyRing

DEMO_PASSWORD = demo.DEMO_PASSWORD
person_id = demo.person_id


def demo_address(login: str) -> str:
    """Demo people get demo addresses: the local stack's mail server keeps what is sent to them."""
    return f"{login}@demo.ejournal.example"


def demo_accounts(today: date) -> tuple[Account, ...]:
    """Every demo person's account, children before their parents; group scopes are the groups of
    the academic year current on `today`."""
    accounts = []
    for person in demo.people():
        name = person.name
        accounts.append(
            Account(
                person_id=person.id,
                login=person.login,
                last_name=name.last,
                first_name=name.first,
                patronymic=name.patronymic,
                language=person.language,
                category=PersonCategory(person.category),
                placement=Placement(*demo.placement(person, today)),
                profile_code=demo.profile_of(person),
                password=DEMO_PASSWORD,
                roles=demo.roles(person, today),
                from_login_request=person.requested,
                email=demo_address(person.login),
            )
        )
    return tuple(sorted(accounts, key=lambda account: account.category is PersonCategory.PARENT))


async def seed_accounts(deps: Deps, today: date | None = None) -> int:
    """Ensure every demo account; return how many were created."""
    return await ensure_accounts(deps, EnsureAccounts(accounts=demo_accounts(today or deps.clock().date())))


async def seed_demo(database_url: str) -> int:
    """Create the demo accounts in identity's (migrated) database; safe to call on every start."""
    engine = make_engine(database_url, pool_size=2)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    outbox = OutboxWriter(tables.outbox)
    try:

        def unit_of_work() -> UnitOfWork:
            return UnitOfWork(sessions, outbox)

        keys = KeyRing(unit_of_work, publish_retired_for=timedelta(minutes=10), clock=utc_now)
        deps = Deps(unit_of_work=unit_of_work, hashing=PasswordHashing(), keys=keys)
        return await seed_accounts(deps)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    print(f"created {asyncio.run(seed_demo(sys.argv[1]))} demo accounts")
