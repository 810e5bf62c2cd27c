"""identity's pure rules: names kept exactly, logins, password policy, lockout ladder, role scopes,
substitution and login-request forms, profiles."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from ejournal_platform.authz import Role
from ejournal_platform.errors import FailedPrecondition, ValidationFailed
from ejournal_regulation import CredentialIssuer, get_profile
from services.identity.domain.login_requests import LoginRequestStatus, check_decidable
from services.identity.domain.passwords import LockoutPolicy, PasswordPolicy
from services.identity.domain.people import (
    AccountStatus,
    PersonCategory,
    Placement,
    check_status_change,
    validate_name,
    validate_new_person,
)
from services.identity.domain.profiles import KNOWN_PROFILES, PROFILES, identity_profile
from services.identity.domain.roles import validate_assignment
from services.identity.domain.substitutions import Substitution, end_day, validate_substitution

pytestmark = pytest.mark.unit
TODAY = date(2026, 11, 23)


def violations(error: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return {field for field, _ in error.value.violations}


def test_kazakh_and_kyrgyz_letters_are_kept_exactly() -> None:
    name, problems = validate_name("  Құдайбергенова ", "Әсем-Гүл", "Һашимқызы")
    assert problems == [] and name.full == "Құдайбергенова Әсем-Гүл Һашимқызы"
    kyrgyz, problems = validate_name("Үсөнбаева", "Нурзат", "Төлөнбековна")
    assert problems == [] and kyrgyz.last_name == "Үсөнбаева"
    _, problems = validate_name("R2D2", "", "")
    assert {f for f, _ in problems} == {"last_name", "first_name"}


def test_new_person_validation_reports_every_field() -> None:
    with pytest.raises(ValidationFailed) as error:
        validate_new_person(
            login="A", last_name="", first_name="Ok", patronymic="", language="fr", category=None,
            placement=Placement(), profile_code="x", known_profiles=KNOWN_PROFILES, email="nope",
            personal_number="12a",
        )  # fmt: skip
    assert violations(error) == {
        "login", "last_name", "language", "category", "placement.university_id", "profile_code", "email",
        "personal_number",
    }  # fmt: skip
    person = validate_new_person(
        login=" Kz.Teacher ", last_name="Ли", first_name="Ольга", patronymic="", language="ru",
        category=PersonCategory.STAFF, placement=Placement("u"), profile_code="kz-medical",
        known_profiles=KNOWN_PROFILES,
    )  # fmt: skip
    assert person.login == "kz.teacher"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1A!", "at least 10"),
        ("alllowercaseletters", "mix at least 3"),
        ("Password12", "common"),
        ("1q2w3e4r5T", "common"),
        ("Qazaqstan2026", None),
        ("kz.teacher-Pass1", "login"),
        ("Омаров-2026-x", "name"),
        ("Correct-Horse-7", None),
    ],
)
def test_password_policy(password: str, problem: str | None) -> None:
    found = PasswordPolicy().problem(password, login="kz.teacher", names=("Омаров", "Ерлан"))
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_lockout_delay_doubles_after_the_free_failures_and_is_capped() -> None:
    policy = LockoutPolicy(free_failures=3, base_delay=timedelta(seconds=30), max_delay=timedelta(minutes=30))
    delays = [policy.delay_after(n).total_seconds() for n in range(1, 10)]
    assert delays == [0, 0, 30, 60, 120, 240, 480, 960, 1800]
    assert policy.delay_after(60) == timedelta(minutes=30)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert policy.locked_until(2, at) is None and policy.locked_until(3, at) == at + timedelta(seconds=30)


def test_role_scopes_and_unknown_roles() -> None:
    assert validate_assignment("dean", "faculty", "f1", "", "", TODAY).role is Role.DEAN
    for args, field in (
        (("rector", "university", "u", "", ""), "role"),
        (("service", "university", "*", "", ""), "role"),  # no person holds the service role
        (("dean", "department", "d", "", ""), "scope_type"),
        (("teacher", "department", "*", "", ""), "scope_id"),
        (("teacher", "department", "d", "2026-09-01", "2026-08-01"), "valid_until"),
    ):
        with pytest.raises(ValidationFailed) as error:
            validate_assignment(*args, today=TODAY)
        assert field in violations(error), args


def test_status_changes() -> None:
    check_status_change(AccountStatus.ACTIVE, AccountStatus.SUSPENDED, "leave")
    with pytest.raises(FailedPrecondition):
        check_status_change(AccountStatus.ACTIVE, AccountStatus.ACTIVE, "")
    with pytest.raises(ValidationFailed):
        check_status_change(AccountStatus.ACTIVE, AccountStatus.LEFT, " ")


def substitution_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "absent_teacher_id": "t1", "substitute_id": "t2", "department_id": "d1", "journal_ids": ["j1", "j1"],
        "course_unit_ids": [], "starts_on": "2026-11-24", "ends_on": "2026-11-30", "protocol_number": "7",
        "protocol_date": "2026-11-20", "reason": "sick leave",
    }  # fmt: skip
    fields.update(overrides)
    return fields


@pytest.mark.rule("KZ-07")
def test_kz_substitution_needs_the_department_meeting_decision_and_kg_does_not() -> None:
    request = validate_substitution(**substitution_fields(), profile=PROFILES["kz-medical"])  # type: ignore[arg-type]
    assert request.journal_ids == ("j1",) and request.decision.protocol_number == "7"
    no_decision = substitution_fields(protocol_number="", protocol_date="")
    with pytest.raises(ValidationFailed) as error:
        validate_substitution(**no_decision, profile=PROFILES["kz-medical"])  # type: ignore[arg-type]
    assert violations(error) == {"decision.protocol_number", "decision.protocol_date"}
    kg = validate_substitution(**no_decision, profile=PROFILES["kg-jasu"])  # type: ignore[arg-type]
    assert kg.decision.protocol_number == ""


def test_ending_a_substitution_takes_effect_today() -> None:
    s = Substitution("s", "t1", "t2", "d", ("j",), (), date(2026, 11, 20), date(2026, 11, 30), None, "", "h")  # type: ignore[arg-type]
    last = end_day(s, date(2026, 11, 25))
    assert last == date(2026, 11, 24)
    ended = Substitution(**{**s.__dict__, "ended_on": last})
    assert ended.in_force_on(date(2026, 11, 24)) and not ended.in_force_on(date(2026, 11, 25))
    early = end_day(s, date(2026, 11, 1))
    assert not Substitution(**{**s.__dict__, "ended_on": early}).in_force_on(date(2026, 11, 20))
    with pytest.raises(FailedPrecondition):
        end_day(ended, date(2026, 11, 26))


@pytest.mark.rule("KG-03")
def test_profiles_say_who_issues_credentials() -> None:
    kg, kz = PROFILES["kg-jasu"], PROFILES["kz-medical"]
    assert {p.role for p in kg.credential_issuers[PersonCategory.STUDENT]} == {
        Role.DEAN, Role.DEAN_CURATION, Role.DEAN_STAFF
    }  # fmt: skip
    assert {p.role for p in kg.credential_issuers[PersonCategory.STAFF]} == {Role.ADMINISTRATOR}
    assert not kg.users_change_own_password and kz.users_change_own_password
    assert kz.new_teachers_need_login_request and not kg.new_teachers_need_login_request


@pytest.mark.rule("KG-03", "KZ-15")
def test_credential_rules_are_read_from_the_profile_not_kept_by_identity() -> None:
    kg = get_profile("kg-jasu")
    # The same profile with the students' logins moved to the administrator and self-service allowed.
    student = CredentialIssuer("student", "administrator")
    issuers = tuple(student if i.role == "student" else i for i in kg.credentials.issuers)
    changed = replace(kg, credentials=replace(kg.credentials, issuers=issuers, self_service_change=True))
    rules = identity_profile(changed)
    assert {p.role for p in rules.credential_issuers[PersonCategory.STUDENT]} == {Role.ADMINISTRATOR}
    assert rules.users_change_own_password


def test_a_decided_login_request_cannot_be_decided_again() -> None:
    check_decidable(LoginRequestStatus.SUBMITTED, True, "")
    with pytest.raises(FailedPrecondition):
        check_decidable(LoginRequestStatus.ISSUED, True, "")
    with pytest.raises(ValidationFailed):
        check_decidable(LoginRequestStatus.SUBMITTED, False, "")
