"""Signatures are Standard Webhooks' (checked against the standardwebhooks package), and routing finds
an event's university through the structure and honours the granted types."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from ejournal.gradebook.v1 import events_pb2 as gb
from ejournal_platform.contract import event_types
from services.subscribers.domain.routing import anchor_ids, check_grants, check_url, granted, university_of
from services.subscribers.domain.signing import new_secret, secret_key, signed_headers

pytestmark = pytest.mark.unit


def test_our_signature_verifies_with_the_standard_webhooks_package_and_a_tampered_body_does_not() -> None:
    secret = new_secret()
    now = datetime.now(UTC)
    body = '{"journalId":"j-1","value":"н/б"}'.encode()
    headers = signed_headers(secret_key(secret), "evt-1", int(now.timestamp()), body)
    Webhook(secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"j-1", b"j-2"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


@pytest.mark.parametrize(
    "secret", ["", "whsec_", "whsec_not base64!", "whsec_" + "QUFB" * 2, "sk_" + "QUFB" * 10]
)
def test_a_secret_that_is_not_a_standard_webhooks_secret_is_refused(secret: str) -> None:
    with pytest.raises(ValueError):
        secret_key(secret)


def test_the_university_is_found_by_walking_up_from_the_ids_an_event_carries() -> None:
    anchors = {
        "j": ("journal", "g"),
        "g": ("group", "s"),
        "s": ("specialty", "f"),
        "f": ("faculty", "u"),
        "u": ("university", None),
    }
    mark = gb.MarkRecorded(journal_id="j", student_id="person")
    assert anchor_ids(mark) == ["j"]
    assert university_of(anchor_ids(mark), anchors) == "u"
    assert university_of(["unknown", "f"], anchors) == "u"
    assert university_of(["person"], anchors) is None
    loop = {"a": ("group", "b"), "b": ("group", "a")}
    assert university_of(["a"], loop) is None


def test_grants_and_urls() -> None:
    assert granted("ejournal.gradebook.v1.MarkRecorded", ["ejournal.gradebook.>"])
    assert granted("ejournal.gradebook.v1.MarkRecorded", ["ejournal.gradebook.v1.>"])
    assert not granted("ejournal.gradebook.v1.MarkRecorded", ["ejournal.gradebook.v1.MarkRecordedX"])
    assert not granted("ejournal.workflow.v1.JournalChecked", ["ejournal.gradebook.>"])
    assert check_grants(["ejournal.gradebook.v1.MarkRecorded", "ejournal.workflow.>"], event_types) == []
    assert check_grants(["ejournal.identity.v1.PersonCreated", "ejournal.>", "x"], event_types) == [
        "ejournal.identity.v1.PersonCreated",
        "ejournal.>",
        "x",
    ]
    assert check_url("https://sis.example/hooks", False) is None
    assert check_url("http://127.0.0.1:9000/", True) is None
    assert check_url("http://127.0.0.1:9000/", False) is not None
    assert check_url("http://sis.example/", True) is not None
    assert check_url("ftp://sis.example/", True) is not None
