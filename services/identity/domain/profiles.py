"""Identity's reading of the regulation profiles: who issues credentials, and the rules that differ.

The rules are the profile's `credentials:` section (libs/ejournal_regulation/profiles/*.yaml); this
module only says how identity understands the offices and roles named there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ejournal_platform.authz import DEANS_OFFICE, REGISTRAR, Permit, Role, permits
from ejournal_platform.errors import InvalidArgument
from ejournal_regulation import RegulationProfile, load_profiles
from services.identity.domain.people import PersonCategory

ADMIN = (Permit(Role.ADMINISTRATOR),)

# The offices a profile names as issuers or requesters, as identity's roles.
OFFICES: Mapping[str, tuple[Permit, ...]] = {
    "administrator": ADMIN,
    "it_department": ADMIN,  # KZ: the IT department is the system's administrator
    "dean_office": permits(DEANS_OFFICE),
    # KZ-15: the registrar inspector loads the contingent, so the office issues students' logins itself.
    "registrar_inspector": permits(REGISTRAR),
}
# The roles a profile issues credentials for, as the category of the person who receives them.
CATEGORIES: Mapping[str, PersonCategory] = {
    "teacher": PersonCategory.STAFF,
    "staff": PersonCategory.STAFF,
    "leadership": PersonCategory.STAFF,
    "student": PersonCategory.STUDENT,
    "parent": PersonCategory.PARENT,
}
# KZ-15 / KZ-17: a department head does not issue; their request is the login request form.
LOGIN_REQUEST_FROM = "department_head"


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


def identity_profile(regulation: RegulationProfile) -> IdentityProfile:
    policy = regulation.credentials
    issuers: dict[PersonCategory, tuple[Permit, ...]] = {}
    for issuer in policy.issuers:
        offices = [issuer.issued_by, issuer.requested_by or ""]
        granted = [p for office in offices for p in OFFICES.get(office, ())]
        category = CATEGORIES[issuer.role]
        issuers[category] = tuple(dict.fromkeys((*issuers.get(category, ()), *granted)))
    teacher = policy.issuer_of("teacher")
    return IdentityProfile(
        code=regulation.code,
        credential_issuers=issuers,
        users_change_own_password=policy.self_service_change,
        new_teachers_need_login_request=teacher is not None and teacher.requested_by == LOGIN_REQUEST_FROM,
        # KZ-07 is Kazakhstan's regulation; KG-07 asks for no decision reference.
        substitution_needs_decision_reference=regulation.country == "KZ",
    )


PROFILES: Mapping[str, IdentityProfile] = {
    code: identity_profile(regulation) for code, regulation in load_profiles().items()
}
KNOWN_PROFILES = frozenset(PROFILES)


def profile(code: str) -> IdentityProfile:
    try:
        return PROFILES[code]
    except KeyError:
        raise InvalidArgument("profile_code", f"unknown profile {code!r}") from None
