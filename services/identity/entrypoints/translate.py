"""Domain values <-> protobuf messages of identity's API."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from ejournal.identity.v1 import identity_service_pb2 as pb
from services.identity.domain.contacts import Contacts
from services.identity.domain.login_requests import LoginRequestStatus
from services.identity.domain.people import AccountStatus, Person, PersonCategory, Placement
from services.identity.domain.roles import RoleAssignment
from services.identity.domain.substitutions import Substitution

STATUS_TO_PB = {
    AccountStatus.ACTIVE: pb.ACCOUNT_STATUS_ACTIVE,
    AccountStatus.SUSPENDED: pb.ACCOUNT_STATUS_SUSPENDED,
    AccountStatus.LEFT: pb.ACCOUNT_STATUS_LEFT,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}
CATEGORY_TO_PB = {
    PersonCategory.STAFF: pb.PERSON_CATEGORY_STAFF,
    PersonCategory.STUDENT: pb.PERSON_CATEGORY_STUDENT,
    PersonCategory.PARENT: pb.PERSON_CATEGORY_PARENT,
}
CATEGORY_FROM_PB = {v: k for k, v in CATEGORY_TO_PB.items()}
LR_STATUS_TO_PB = {
    LoginRequestStatus.SUBMITTED: pb.LOGIN_REQUEST_STATUS_SUBMITTED,
    LoginRequestStatus.ISSUED: pb.LOGIN_REQUEST_STATUS_ISSUED,
    LoginRequestStatus.REJECTED: pb.LOGIN_REQUEST_STATUS_REJECTED,
}
LR_STATUS_FROM_PB = {v: k for k, v in LR_STATUS_TO_PB.items()}


def timestamp(value: Any) -> Timestamp:
    stamp = Timestamp()
    if value is not None:
        stamp.FromDatetime(value)
    return stamp


def placement_from(message: pb.Placement) -> Placement:
    return Placement(
        message.university_id.strip(),
        message.faculty_id.strip(),
        message.department_id.strip(),
        message.group_id.strip(),
    )


def person_to_pb(person: Person) -> pb.Person:
    p = person.placement
    return pb.Person(
        person_id=person.id,
        login=person.login,
        last_name=person.name.last_name,
        first_name=person.name.first_name,
        patronymic=person.name.patronymic,
        language=person.language,
        category=CATEGORY_TO_PB[person.category],
        placement=pb.Placement(
            university_id=p.university_id,
            faculty_id=p.faculty_id,
            department_id=p.department_id,
            group_id=p.group_id,
        ),
        status=STATUS_TO_PB[person.status],
        email=person.email,
        version=person.version,
        has_credentials=person.has_credentials,
        profile_code=person.profile_code,
        personal_number=person.personal_number,
    )


def assignment_to_pb(a: RoleAssignment) -> pb.RoleAssignment:
    return pb.RoleAssignment(
        assignment_id=a.id,
        person_id=a.person_id,
        role=a.role,
        scope_type=a.scope_type,
        scope_id=a.scope_id,
        valid_from=a.valid_from.isoformat(),
        valid_until=a.valid_until.isoformat() if a.valid_until else "",
        revoked=a.revoked,
        granted_by=a.granted_by,
    )


def audit_to_pb(row: Any) -> pb.AuditEntry:
    return pb.AuditEntry(
        at=timestamp(row.at),
        actor_id=row.actor_id,
        action=row.action,
        details_json=json.dumps(row.details, ensure_ascii=False, sort_keys=True),
    )


def attempt_to_pb(row: Any) -> pb.LoginAttempt:
    return pb.LoginAttempt(
        at=timestamp(row.at),
        login=row.login,
        client_address=row.client_address,
        user_agent=row.user_agent,
        outcome=row.outcome,
    )


def login_request_to_pb(row: Any) -> pb.LoginRequestForm:
    return pb.LoginRequestForm(
        login_request_id=str(row.id),
        department_id=row.department_id,
        faculty_id=row.faculty_id,
        university_id=row.university_id,
        last_name=row.last_name,
        first_name=row.first_name,
        patronymic=row.patronymic,
        language=row.language,
        position=row.position,
        email=row.email,
        outgoing_number=row.outgoing_number,
        requested_by=row.requested_by,
        requested_at=timestamp(row.requested_at),
        status=LR_STATUS_TO_PB[LoginRequestStatus(row.status)],
        decided_by=row.decided_by or "",
        decision_reason=row.decision_reason or "",
        person_id=str(row.person_id) if row.person_id else "",
        login=row.login or "",
        profile_code=row.profile_code,
    )


def substitution_to_pb(s: Substitution, names: Mapping[str, str] | None = None) -> pb.Substitution:
    names = names or {}
    return pb.Substitution(
        absent_teacher_name=names.get(s.absent_teacher_id, ""),
        substitute_name=names.get(s.substitute_id, ""),
        substitution_id=s.id,
        absent_teacher_id=s.absent_teacher_id,
        substitute_id=s.substitute_id,
        department_id=s.department_id,
        journal_ids=list(s.journal_ids),
        course_unit_ids=list(s.course_unit_ids),
        starts_on=s.starts_on.isoformat(),
        ends_on=s.ends_on.isoformat(),
        decision=pb.DecisionReference(
            protocol_number=s.decision.protocol_number,
            protocol_date=s.decision.protocol_date.isoformat() if s.decision.protocol_date else "",
        ),
        appointed_by=s.appointed_by,
        ended_on=s.ended_on.isoformat() if s.ended_on else "",
        end_reason=s.end_reason,
        reason=s.reason,
    )


def contacts_to_pb(c: Contacts) -> pb.Contacts:
    return pb.Contacts(
        person_id=c.person_id, email=c.email, phone=c.phone, telegram_linked=bool(c.telegram_chat_id),
        language=c.language, timezone=c.timezone, quiet_from_hour=c.quiet_from_hour,
        quiet_to_hour=c.quiet_to_hour, digest_hour=c.digest_hour, version=c.version,
        preferences=[pb.NoticePreference(category=k, delivery=v) for k, v in c.preferences.items()],
    )  # fmt: skip


def contacts_from(r: pb.UpdateContactsRequest) -> Contacts:
    return Contacts(
        person_id=r.person_id, email=r.email, phone=r.phone, language=r.language, timezone=r.timezone,
        quiet_from_hour=r.quiet_from_hour, quiet_to_hour=r.quiet_to_hour, digest_hour=r.digest_hour,
        preferences={p.category: p.delivery for p in r.preferences},
    )  # fmt: skip


def recipient_to_pb(c: Contacts, full_name: str, university_id: str = "") -> pb.Recipient:
    return pb.Recipient(
        person_id=c.person_id, full_name=full_name, email=c.email, telegram_chat_id=c.telegram_chat_id,
        language=c.language, timezone=c.timezone, quiet_from_hour=c.quiet_from_hour,
        quiet_to_hour=c.quiet_to_hour, digest_hour=c.digest_hour,
        preferences=[pb.NoticePreference(category=k, delivery=v) for k, v in c.preferences.items()],
        university_id=university_id,
    )  # fmt: skip
