"""Creating people without a caller: the first administrator of an installation and demo accounts.

Idempotent: a person whose login exists is left as it is (their roles are topped up), so the local
launcher can call it on every start.
"""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_platform.errors import AlreadyExists
from services.identity.adapters import people_repo, roles_repo
from services.identity.domain.people import PersonCategory, Placement, validate_new_person
from services.identity.domain.profiles import KNOWN_PROFILES
from services.identity.domain.roles import validate_assignment
from services.identity.service_layer.deps import Deps
from services.identity.service_layer.people import register
from services.identity.service_layer.roles import grant

SYSTEM = "system:bootstrap"


@dataclass(frozen=True)
class Account:
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


async def ensure_account(deps: Deps, account: Account) -> bool:
    """Create the account if its login is free; grant missing roles. True if it was created."""
    new = validate_new_person(
        login=account.login,
        last_name=account.last_name,
        first_name=account.first_name,
        patronymic=account.patronymic,
        language=account.language,
        category=account.category,
        placement=account.placement,
        profile_code=account.profile_code,
        known_profiles=KNOWN_PROFILES,
    )
    today = deps.clock().date()
    async with deps.unit_of_work() as uow:
        existing = await people_repo.find_by_login(uow.session, new.login)
        created = existing is None
        if created:
            _, event = await register(
                uow.session,
                new,
                SYSTEM,
                None,
                from_login_request=account.from_login_request,
                person_id=account.person_id,
            )
            uow.add_event(event)
            password_hash = await deps.hashing.hash(account.password)
            await people_repo.set_fields(
                uow.session,
                account.person_id,
                {"password_hash": password_hash, "password_set_at": deps.clock()},
            )
        person = await people_repo.get_person(
            uow.session, str(existing.id) if existing else account.person_id
        )
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
        await uow.commit()
    return created
