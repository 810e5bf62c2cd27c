"""Identity's part of the regulation profiles: who issues credentials, and the rules that differ.

The curriculum engineer owns the full profile files (profiles/); identity reads its part by profile
code from this table. Adding a profile is adding a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ejournal_platform.authz import DEANS_OFFICE, REGISTRAR, Permit, Role, permits
from ejournal_platform.errors import InvalidArgument
from services.identity.domain.people import PersonCategory


@dataclass(frozen=True)
class IdentityProfile:
    code: str
    # KG-03 / KZ-15: who may issue or reset credentials, per category of the person receiving them.
    credential_issuers: Mapping[PersonCategory, tuple[Permit, ...]]
    # KG-03: in kg-jasu "users may not change their own access data on their own".
    users_change_own_password: bool
    # KZ-15: new teachers get a login on a department head's login request (form KZ-17).
    new_teachers_need_login_request: bool
    # KZ-07: the substitution rests on a department meeting decision (protocol number and date).
    substitution_needs_decision_reference: bool


ADMIN = (Permit(Role.ADMINISTRATOR),)

PROFILES: Mapping[str, IdentityProfile] = {
    # Asfendiyarov KazNMU SOP: the IT department (administrator) issues logins to staff on the
    # department head's request; the registrar office loads the contingent (students).
    "kz-medical": IdentityProfile(
        code="kz-medical",
        credential_issuers={
            PersonCategory.STAFF: ADMIN,
            PersonCategory.STUDENT: (*ADMIN, *permits(REGISTRAR)),
            PersonCategory.PARENT: (*ADMIN, *permits(REGISTRAR)),
        },
        users_change_own_password=True,
        new_teachers_need_login_request=True,
        substitution_needs_decision_reference=True,
    ),
    # Jalal-Abad SU regulation 3.3: teachers and leadership from the administrator, students from the
    # dean's office; parents look through the student's cabinet (their own login, issued alike).
    "kg-jasu": IdentityProfile(
        code="kg-jasu",
        credential_issuers={
            PersonCategory.STAFF: ADMIN,
            PersonCategory.STUDENT: permits(DEANS_OFFICE),
            PersonCategory.PARENT: permits(DEANS_OFFICE),
        },
        users_change_own_password=False,
        new_teachers_need_login_request=False,
        substitution_needs_decision_reference=False,
    ),
}
KNOWN_PROFILES = frozenset(PROFILES)


def profile(code: str) -> IdentityProfile:
    try:
        return PROFILES[code]
    except KeyError:
        raise InvalidArgument("profile_code", f"unknown profile {code!r}") from None
