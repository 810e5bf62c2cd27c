"""People and their personal accounts: one account per person, one person per account (KZ-11).

Names are kept exactly as entered (only surrounding spaces are trimmed): Kazakh and Kyrgyz letters
such as ә ғ қ ң ө ұ ү һ і are data, never transliterated or normalized.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from ejournal_platform.authz import ResourceScope
from ejournal_platform.errors import FailedPrecondition, ValidationFailed

LANGUAGES = ("ru", "kk", "ky", "en")
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Apostrophes and hyphens occur in real names (O'Brien, Абай-Құнанбайұлы); dots in initials.
NAME_PUNCTUATION = frozenset(" -'’.")
NAME_MAX = 100


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    LEFT = "left"


class PersonCategory(StrEnum):
    STAFF = "staff"
    STUDENT = "student"
    PARENT = "parent"


@dataclass(frozen=True)
class Placement:
    """A person's home units (curriculum's ids), as far as they apply."""

    university_id: str = ""
    faculty_id: str = ""
    department_id: str = ""
    group_id: str = ""


@dataclass(frozen=True)
class PersonName:
    last_name: str
    first_name: str
    patronymic: str = ""

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)


@dataclass
class Person:
    id: str
    login: str
    name: PersonName
    language: str
    category: PersonCategory
    placement: Placement
    profile_code: str
    status: AccountStatus = AccountStatus.ACTIVE
    email: str = ""
    personal_number: str = ""
    version: int = 1
    has_credentials: bool = False
    from_login_request: bool = False

    @property
    def scope(self) -> ResourceScope:
        """Where the person sits, for authorizing what others may do to them."""
        p = self.placement
        return ResourceScope(
            university_id=p.university_id or None,
            faculty_id=p.faculty_id or None,
            department_id=p.department_id or None,
            group_id=p.group_id or None,
            student_id=self.id if self.category is PersonCategory.STUDENT else None,
            owner_id=self.id,
        )


def name_problem(value: str, *, required: bool) -> str | None:
    if not value:
        return "is required" if required else None
    if len(value) > NAME_MAX:
        return f"is longer than {NAME_MAX} characters"
    for char in value:
        if char in NAME_PUNCTUATION:
            continue
        if not unicodedata.category(char).startswith(("L", "M")):
            return f"contains {char!r}, which is not a letter"
    return None


def validate_name(
    last_name: str, first_name: str, patronymic: str
) -> tuple[PersonName, list[tuple[str, str]]]:
    name = PersonName(last_name.strip(), first_name.strip(), patronymic.strip())
    problems = []
    for field_name, value, required in (
        ("last_name", name.last_name, True),
        ("first_name", name.first_name, True),
        ("patronymic", name.patronymic, False),
    ):
        problem = name_problem(value, required=required)
        if problem:
            problems.append((field_name, problem))
    return name, problems


def login_problem(login: str) -> str | None:
    if not LOGIN_PATTERN.match(login):
        return (
            "must be 3-64 characters: lower-case Latin letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return None


def normalize_login(login: str) -> str:
    return login.strip().lower()


@dataclass(frozen=True)
class NewPerson:
    login: str
    name: PersonName
    language: str
    category: PersonCategory
    placement: Placement
    profile_code: str
    email: str
    personal_number: str


def validate_new_person(
    *,
    login: str,
    last_name: str,
    first_name: str,
    patronymic: str,
    language: str,
    category: PersonCategory | None,
    placement: Placement,
    profile_code: str,
    known_profiles: frozenset[str],
    email: str = "",
    personal_number: str = "",
) -> NewPerson:
    """Check every field at once; raise ValidationFailed naming each bad one."""
    name, problems = validate_name(last_name, first_name, patronymic)
    login = normalize_login(login)
    if problem := login_problem(login):
        problems.append(("login", problem))
    if language not in LANGUAGES:
        problems.append(("language", f"must be one of {', '.join(LANGUAGES)}"))
    if category is None:
        problems.append(("category", "is required: staff, student or parent"))
    if not placement.university_id:
        problems.append(("placement.university_id", "is required"))
    if category is PersonCategory.STUDENT and not placement.faculty_id:
        problems.append(("placement.faculty_id", "is required for a student"))
    if profile_code not in known_profiles:
        problems.append(("profile_code", f"unknown profile; known: {', '.join(sorted(known_profiles))}"))
    email = email.strip()
    if email and not EMAIL_PATTERN.match(email):
        problems.append(("email", "is not an e-mail address"))
    personal_number = personal_number.strip()
    if personal_number and not personal_number.isdigit():
        problems.append(("personal_number", "must contain digits only"))
    if problems:
        raise ValidationFailed("the person cannot be registered", problems)
    assert category is not None
    return NewPerson(login, name, language, category, placement, profile_code, email, personal_number)


ALLOWED_STATUS_CHANGES = {
    AccountStatus.ACTIVE: {AccountStatus.SUSPENDED, AccountStatus.LEFT},
    AccountStatus.SUSPENDED: {AccountStatus.ACTIVE, AccountStatus.LEFT},
    AccountStatus.LEFT: {AccountStatus.ACTIVE},  # a returning employee or student keeps their account
}


def check_status_change(current: AccountStatus, new: AccountStatus, reason: str) -> None:
    if new == current:
        raise FailedPrecondition(f"the account is already {current.value}", field="status")
    if new not in ALLOWED_STATUS_CHANGES[current]:
        raise FailedPrecondition(f"an account cannot go from {current.value} to {new.value}", field="status")
    if new is not AccountStatus.ACTIVE and not reason.strip():
        raise ValidationFailed("a reason is required", [("reason", "is required to suspend an account")])
