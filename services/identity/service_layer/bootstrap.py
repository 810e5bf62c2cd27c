"""Creating people without a caller: the first administrator of an installation and demo accounts.

Idempotent: a person whose login exists is left as it is (their roles are topped up), so the local
launcher can call it on every start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ejournal_platform.db import UnitOfWork
from ejournal_platform.errors import AlreadyExists
from ejournal_platform.logging import get_logger
from services.identity.adapters import people_repo, roles_repo
from services.identity.adapters.locks import lock_first_administrator
from services.identity.domain.people import NewPerson, PersonCategory, Placement, validate_new_person
from services.identity.domain.profiles import KNOWN_PROFILES
from services.identity.domain.roles import validate_assignment
from services.identity.service_layer.deps import Deps
from services.identity.service_layer.people import register
from services.identity.service_layer.roles import grant

SYSTEM = "system:bootstrap"
log = get_logger(__name__)


@dataclass(frozen=True, kw_only=True)
class Account:
    """The command of `ensure_account` and `create_first_administrator`: one person's account."""

    person_id: str
    login: str
    last_name: str
    first_name: str
    patronymic: str
    language: str
    category: PersonCategory
    placement: Placement
    profile_code: str
    password: str
    roles: tuple[tuple[str, str, str], ...] = ()  # (role, scope_type, scope_id)
    from_login_request: bool = False
    email: str = ""


@dataclass(frozen=True, kw_only=True)
class EnsureAccounts:
    accounts: tuple[Account, ...]


async def ensure_account(deps: Deps, cmd: Account) -> bool:
    """Create the account if its login is free; grant missing roles. True if it was created."""
    return await ensure_accounts(deps, EnsureAccounts(accounts=(cmd,))) == 1


async def ensure_accounts(deps: Deps, cmd: EnsureAccounts) -> int:
    """`ensure_account` for many, in one transaction; returns how many were created.

    Accounts that share a password share its hash: hashing is deliberately slow (argon2id at the
    production parameters, ~50-90 ms), and the demo's ~170 accounts all have the one documented demo
    password, so hashing it once keeps the launcher's start short. (Equal hashes reveal equal
    passwords, which is no secret for a documented demo password; real people get their own.)
    """
    checked = [(account, validated(account)) for account in cmd.accounts]
    today = deps.clock().date()
    hashes: dict[str, str] = {}
    created = 0
    async with deps.unit_of_work() as uow:
        # Two queries tell which accounts are complete already (the usual case on a restart).
        ids = await people_repo.ids_by_login(uow.session, [new.login for _, new in checked])
        held = await roles_repo.roles_held(uow.session, list(ids.values()), today)
        for account, new in checked:
            person = ids.get(new.login)
            if person is not None and all((person, *role) in held for role in account.roles):
                _check_id(new.login, person, account.person_id)
                continue
            created += await _ensure(uow, deps, account, new, hashes, today)
        await uow.commit()
    return created


def validated(account: Account) -> NewPerson:
    return validate_new_person(
        login=account.login,
        last_name=account.last_name,
        first_name=account.first_name,
        patronymic=account.patronymic,
        language=account.language,
        category=account.category,
        placement=account.placement,
        profile_code=account.profile_code,
        known_profiles=KNOWN_PROFILES,
        email=account.email,
    )


def _check_id(login: str, found: str, expected: str) -> None:
    if found != expected:
        # The login was made with another id (e.g. by an older demo seed): its roles are still topped
        # up, but other services know the person by the expected id, so say so rather than hide it.
        log.warning("account has an unexpected id", login=login, id=found, expected=expected)


async def _ensure(
    uow: UnitOfWork, deps: Deps, account: Account, new: NewPerson, hashes: dict[str, str], today: date
) -> bool:
    existing = await people_repo.find_by_login(uow.session, new.login)
    if existing is None:
        _, event = await register(
            uow.session,
            new,
            SYSTEM,
            None,
            from_login_request=account.from_login_request,
            person_id=account.person_id,
        )
        uow.add_event(event)
        if account.password not in hashes:
            hashes[account.password] = await deps.hashing.hash(account.password)
        await people_repo.set_fields(
            uow.session,
            account.person_id,
            {"password_hash": hashes[account.password], "password_set_at": deps.clock()},
        )
    elif str(existing.id) != account.person_id:
        # The login was made with another id (e.g. by an older demo seed); its roles still get topped
        # up, but other services know the person by the expected id: say so rather than hide it.
        log.warning(
            "account has an unexpected id", login=new.login, id=str(existing.id), expected=account.person_id
        )
    person = await people_repo.get_person(uow.session, str(existing.id) if existing else account.person_id)
    for role, scope_type, scope_id in account.roles:
        assignment = validate_assignment(role, scope_type, scope_id, "", "", today)
        if await roles_repo.has_role_in(
            uow.session, person.id, assignment.role, assignment.scope_type, assignment.scope_id, today
        ):
            continue
        try:
            _, event = await grant(uow.session, person, assignment, SYSTEM)
        except AlreadyExists:
            continue
        uow.add_event(event)
    return existing is None


async def create_first_administrator(deps: Deps, cmd: Account) -> None:
    """The first administrator of a new installation; refused once any administrator exists.

    A transaction-scoped advisory lock makes two simultaneous runs one after the other, so the second
    sees the first's administrator and is refused."""
    new = validated(cmd)
    async with deps.unit_of_work() as uow:
        await lock_first_administrator(uow.session)
        if await roles_repo.any_administrator(uow.session):
            raise AlreadyExists("this installation already has an administrator; they create the others")
        await _ensure(uow, deps, cmd, new, {}, deps.clock().date())
        await uow.commit()
