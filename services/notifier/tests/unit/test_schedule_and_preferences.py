"""Delivery choices without I/O: legal notices stay on, quiet hours, the digest hour, retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.notifier.domain.notices import Category, Delivery, Recipient, notice_id
from services.notifier.domain.schedule import due_at, in_quiet_hours, next_attempt

NOON_ALMATY = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 12:00 in Asia/Almaty (UTC+5)


def test_legal_notices_cannot_be_turned_off_but_others_can() -> None:
    everything_off = {c.value: "off" for c in Category}
    person = Recipient("p", preferences=everything_off)
    for category in (Category.DEADLINE, Category.REOPEN_STEP, Category.SANCTION):
        assert person.delivery_for(category) is Delivery.IMMEDIATE
    for category in (Category.DISPUTE, Category.CHECK, Category.ABSENCE):
        assert person.delivery_for(category) is Delivery.OFF
    assert (
        Recipient("p", preferences={"reopen_step": "daily_digest"}).delivery_for(Category.REOPEN_STEP)
        is Delivery.DAILY_DIGEST
    )


def test_quiet_hours_wrap_midnight_and_delay_to_their_end() -> None:
    assert in_quiet_hours(23, 22, 7) and in_quiet_hours(3, 22, 7) and not in_quiet_hours(7, 22, 7)
    assert not in_quiet_hours(3, 0, 0)
    person = Recipient("p", timezone="Asia/Almaty", quiet_from_hour=10, quiet_to_hour=14)
    assert due_at(person, Delivery.IMMEDIATE, NOON_ALMATY) == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    awake = Recipient("p", timezone="Asia/Almaty", quiet_from_hour=22, quiet_to_hour=7)
    assert due_at(awake, Delivery.IMMEDIATE, NOON_ALMATY) == NOON_ALMATY


def test_the_digest_waits_for_the_persons_hour_in_their_zone() -> None:
    bishkek = Recipient("p", timezone="Asia/Bishkek", digest_hour=18)  # UTC+6: 18:00 is 12:00 UTC
    assert due_at(bishkek, Delivery.DAILY_DIGEST, NOON_ALMATY) == datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    late = NOON_ALMATY + timedelta(hours=6)  # 19:00 in Bishkek: tomorrow's 18:00
    assert due_at(bishkek, Delivery.DAILY_DIGEST, late) == datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_retries_back_off_then_dead_letter() -> None:
    delays = (30.0, 120.0)
    assert next_attempt(1, NOON_ALMATY, delays) == NOON_ALMATY + timedelta(seconds=30)
    assert next_attempt(2, NOON_ALMATY, delays) == NOON_ALMATY + timedelta(seconds=120)
    assert next_attempt(3, NOON_ALMATY, delays) is None


def test_a_notice_id_is_the_same_for_the_same_event_and_recipient_only() -> None:
    assert notice_id("e1", "", "p1") == notice_id("e1", "", "p1")
    assert len({notice_id("e1", "", "p1"), notice_id("e2", "", "p1"), notice_id("e1", "", "p2")}) == 3


def test_channels_are_where_the_person_can_be_reached() -> None:
    assert Recipient("p").channels() == []
    both = Recipient("p", email="a@b.example", telegram_chat_id="42")
    assert both.channels() == [("email", "a@b.example"), ("telegram", "42")]
