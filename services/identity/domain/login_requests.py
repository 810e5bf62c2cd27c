"""Login requests (KZ-15, form KZ-17): a department head asks the IT department (administrator) or
the registrar to issue a login and password and a teacher's journal to a new teacher."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ejournal_platform.errors import FailedPrecondition, ValidationFailed
from services.identity.domain.people import EMAIL_PATTERN, LANGUAGES, PersonName, validate_name


class LoginRequestStatus(StrEnum):
    SUBMITTED = "submitted"
    ISSUED = "issued"
    REJECTED = "rejected"


@dataclass(frozen=True)
class LoginRequestForm:
    department_id: str
    faculty_id: str
    university_id: str
    name: PersonName
    language: str
    position: str
    email: str
    outgoing_number: str
    profile_code: str


def validate_form(
    *,
    department_id: str,
    faculty_id: str,
    university_id: str,
    last_name: str,
    first_name: str,
    patronymic: str,
    language: str,
    position: str,
    email: str,
    outgoing_number: str,
    profile_code: str,
    known_profiles: frozenset[str],
) -> LoginRequestForm:
    """The form's fields: position, full name, e-mail, the department (and its head, the caller)."""
    name, problems = validate_name(last_name, first_name, patronymic)
    for field, value in (
        ("department_id", department_id),
        ("university_id", university_id),
        ("position", position),
        ("email", email),
    ):
        if not value.strip():
            problems.append((field, "is required on the login request form (KZ-17)"))
    if email.strip() and not EMAIL_PATTERN.match(email.strip()):
        problems.append(("email", "is not an e-mail address"))
    if language not in LANGUAGES:
        problems.append(("language", f"must be one of {', '.join(LANGUAGES)}"))
    if profile_code not in known_profiles:
        problems.append(("profile_code", f"unknown profile; known: {', '.join(sorted(known_profiles))}"))
    if problems:
        raise ValidationFailed("the login request is incomplete", problems)
    return LoginRequestForm(
        department_id.strip(),
        faculty_id.strip(),
        university_id.strip(),
        name,
        language,
        position.strip(),
        email.strip(),
        outgoing_number.strip(),
        profile_code,
    )


def check_decidable(status: LoginRequestStatus, approve: bool, reason: str) -> None:
    if status is not LoginRequestStatus.SUBMITTED:
        raise FailedPrecondition(f"the login request is already {status.value}", field="login_request_id")
    if not approve and not reason.strip():
        raise ValidationFailed("a reason is required", [("reason", "is required to reject a request")])
