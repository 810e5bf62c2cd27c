"""Contacts and notice preferences (issue 17): who edits, who reads, legal notices stay on, the
Telegram link by one-time code, and recipients resolved for the notifier's service identity."""

from __future__ import annotations

import grpc
import pytest

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal_platform.grpc.client import bearer
from ejournal_platform.grpc.status import field_violations
from services.identity.service_layer import auth
from services.identity.tests.harness import KZ_ANAT, Identity, pid

pytestmark = pytest.mark.integration


def update(person: str, version: int, **fields: object) -> pb.UpdateContactsRequest:
    values: dict[str, object] = {"person_id": pid(person), "expected_version": version, "language": "kk",
                                 "timezone": "Asia/Almaty", "digest_hour": 18}  # fmt: skip
    values.update(fields)
    return pb.UpdateContactsRequest(**values)  # type: ignore[arg-type]


async def refused(identity: Identity, login: str, rpc: str, request: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await identity.call(login, rpc, request)  # type: ignore[arg-type]
    return error.value


def service_token(identity: Identity) -> tuple[tuple[str, str]]:
    token, _ = auth.issue_service_token(identity.deps, "workflow", "workflow-secret-for-tests-only")
    return bearer(token)


async def test_defaults_then_the_person_edits_their_own_contacts_with_audit(identity: Identity) -> None:
    first = await identity.call(
        "kz.teacher1", "GetContacts", pb.GetContactsRequest(person_id=pid("kz.teacher1"))
    )
    c = first.contacts
    assert (c.email, c.language, c.timezone, c.version) == (
        "kz.teacher1@demo.ejournal.example",
        "kk",
        "Asia/Almaty",
        0,
    )
    digest = [pb.NoticePreference(category="dispute", delivery="daily_digest")]
    request = update("kz.teacher1", 0, email="gulnur@example.kz", phone="+7 701 111 22 33",
                     quiet_from_hour=22, quiet_to_hour=7, preferences=digest)  # fmt: skip
    saved = (await identity.call("kz.teacher1", "UpdateContacts", request)).contacts
    assert (saved.email, saved.phone, saved.quiet_from_hour, saved.version) == (
        "gulnur@example.kz",
        "+7 701 111 22 33",
        22,
        1,
    )
    assert [(p.category, p.delivery) for p in saved.preferences] == [("dispute", "daily_digest")]
    stale = await refused(identity, "kz.teacher1", "UpdateContacts", update("kz.teacher1", 0))
    assert stale.code() == grpc.StatusCode.ABORTED
    audited = await identity.scalar(
        "SELECT details::text FROM person_audit WHERE person_id = :p AND action = 'contacts.updated'",
        p=pid("kz.teacher1"),
    )
    assert "gulnur@example.kz" in audited and "daily_digest" in audited


async def test_legal_notices_cannot_be_turned_off_and_bad_fields_are_named(identity: Identity) -> None:
    request = update("kz.teacher1", 0, timezone="Mars/Olympus", digest_hour=25,
                     preferences=[pb.NoticePreference(category="reopen_step", delivery="off")])  # fmt: skip
    error = await refused(identity, "kz.teacher1", "UpdateContacts", request)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    fields = dict(field_violations(error))
    assert set(fields) == {"timezone", "digest_hour", "preferences.reopen_step"}
    assert "cannot be turned off" in fields["preferences.reopen_step"]


async def test_who_reads_and_edits_contacts(identity: Identity) -> None:
    parent = pb.GetContactsRequest(person_id=pid("kz.parent1"))
    # KG-11: the curator of the child's group (kz.teacher2 curates KZ_G1) reads the parent's contacts.
    assert (await identity.call("kz.teacher2", "GetContacts", parent)).contacts.person_id == pid("kz.parent1")
    for stranger in ("kz.teacher3", "kz.student2"):  # another group's curator; another student
        assert (
            await refused(identity, stranger, "GetContacts", parent)
        ).code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await refused(identity, "kz.teacher2", "UpdateContacts", update("kz.parent1", 0))).code() == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    # The administrator edits anyone's; a missing person looks like a refusal to others.
    assert (await identity.call("kz.admin", "UpdateContacts", update("kz.parent1", 0))).contacts.version == 1
    missing = pb.GetContactsRequest(person_id="00000000-0000-0000-0000-000000000000")
    assert (
        await refused(identity, "kz.teacher3", "GetContacts", missing)
    ).code() == grpc.StatusCode.PERMISSION_DENIED


async def test_telegram_is_linked_by_a_one_time_code_and_recipients_resolve(identity: Identity) -> None:
    code = (await identity.call("kz.teacher1", "StartTelegramLink", pb.StartTelegramLinkRequest())).code
    link = pb.LinkTelegramRequest(code=code, chat_id="424242")
    assert (
        await refused(identity, "kz.teacher1", "LinkTelegram", link)
    ).code() == grpc.StatusCode.PERMISSION_DENIED
    linked = await identity.stub.LinkTelegram(link, metadata=service_token(identity))
    assert linked.person_id == pid("kz.teacher1")
    with pytest.raises(grpc.aio.AioRpcError) as reused:
        await identity.stub.LinkTelegram(link, metadata=service_token(identity))
    assert dict(field_violations(reused.value)).keys() == {"code"}
    mine = await identity.call(
        "kz.teacher1", "GetContacts", pb.GetContactsRequest(person_id=pid("kz.teacher1"))
    )
    assert mine.contacts.telegram_linked

    query = pb.ResolveRecipientsRequest(person_ids=[pid("kz.teacher1")], role="department_head",
                                        scope_type="department", scope_id=KZ_ANAT,
                                        parents_of_student_ids=[pid("kz.student1")])  # fmt: skip
    found = (await identity.stub.ResolveRecipients(query, metadata=service_token(identity))).recipients
    by_id = {r.person_id: r for r in found}
    assert set(by_id) == {pid("kz.teacher1"), pid("kz.head.anatomy"), pid("kz.parent1")}
    assert by_id[pid("kz.teacher1")].telegram_chat_id == "424242"
    assert by_id[pid("kz.head.anatomy")].email == "kz.head.anatomy@demo.ejournal.example"
    assert (
        await refused(identity, "kz.admin", "ResolveRecipients", query)
    ).code() == grpc.StatusCode.PERMISSION_DENIED
