"""The workflow says its notices as catalog keys with values; the notifier says them in each person's
language. Both sides' code runs here: every key the workflow can send has a ru, kk and ky translation
with the same placeholders, and a KZ-15 statement deadline built at run time reaches a Kazakh reader in
Kazakh, its numbers and instants filled in their zone, and the weekly check's findings (KG-08) are
said item by item in the reader's language rather than as English inside a translated sentence."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime

import pytest

from ejournal.workflow.v1 import events_pb2 as wf
from services.notifier.service_layer.event_notices import specs_for
from services.notifier.service_layer.render import Renderer, load_translations
from services.workflow.adapters.event_messages import notification_event
from services.workflow.domain import notice_texts
from services.workflow.domain.fill_checks import WeekFill, weekly_figures
from services.workflow.domain.notices import Notice
from services.workflow.domain.statement_deadline import (
    EventNames,
    JournalDue,
    JournalOutcome,
    alert_notices,
    late_notices,
)

pytestmark = pytest.mark.unit

DUE = datetime(2026, 12, 5, 18, 59, tzinfo=UTC)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", ["ru", "kk", "ky"])
def test_every_workflow_text_is_translated_with_the_same_placeholders(language: str) -> None:
    translations = load_translations(language)
    keys = notice_texts.every_key()
    assert len(keys) > 25
    worded = [k for k in keys if any(c.isalpha() for c in re.sub(r"\{\w+\}", "", k))]  # not "{detail}"
    untranslated = [k for k in worded if translations.gettext(k) == k]
    assert untranslated == []
    mismatched = [k for k in keys if placeholders(translations.gettext(k)) != placeholders(k)]
    assert mismatched == []


def test_a_statement_deadline_built_at_run_time_arrives_in_the_readers_language() -> None:
    journal = JournalDue(JournalOutcome("ЖМ-21-01 ішкі аурулар", 100), ("t1",))
    teacher_notice = late_notices("ce-1", DUE, "dep-1", journal)[0]
    event = notification_event(teacher_notice, "statement")
    # Subscribers that read prose still get English.
    assert event.what == (
        "statement not formed by the deadline: 100 cells unfilled in journal ЖМ-21-01 ішкі аурулар"
    )
    (spec,) = specs_for(wf.NotificationRequested.DESCRIPTOR.full_name, event.SerializeToString())
    renderer = Renderer("http://portal.example")
    kazakh = renderer.render(spec.template, "kk", {**spec.params}, timezone="Asia/Almaty")
    assert kazakh.subject == (
        "Ведомость мерзімінде жасалмады: ЖМ-21-01 ішкі аурулар журналында толтырылмаған ұяшықтар: 100"
    )
    # The deadline inside the text is on the reader's clock and in their language.
    assert "5 желтоқсан 2026, 23:59 (Asia/Almaty, UTC+05:00) дейін жасалуы тиіс (KZ-15)" in kazakh.body
    kyrgyz = renderer.render(spec.template, "ky", {**spec.params}, timezone="Asia/Bishkek")
    assert kyrgyz.subject.startswith("Ведомость мөөнөтүндө түзүлгөн жок") and "00:59" in kyrgyz.body
    english = renderer.render(spec.template, "en", {**spec.params}, timezone="UTC")
    assert english.subject == event.what


def test_a_control_event_is_named_by_its_kind_and_date_not_its_id() -> None:
    journal = JournalDue(JournalOutcome("j1", 4), ("t1",))
    names = EventNames("midterm", "2026-12-05")
    (reminder,) = alert_notices("remind", "ce-7f3a", DUE, "dep-1", [journal], names)
    late = late_notices("ce-7f3a", DUE, "dep-1", journal, names)[0]
    renderer = Renderer("http://portal.example")
    for notice in (reminder, late):
        event = notification_event(notice, "statement")
        (spec,) = specs_for(wf.NotificationRequested.DESCRIPTOR.full_name, event.SerializeToString())
        russian = renderer.render(spec.template, "ru", {**spec.params}, timezone="Asia/Almaty")
        assert "«рубежный контроль, 5 декабря 2026»" in russian.body and "ce-7f3a" not in russian.body


@pytest.mark.rule("KG-08")
def test_the_weekly_checks_findings_arrive_in_the_readers_language() -> None:
    figures = weekly_figures(WeekFill("2026-11-16", 4, 3, 120, 75, 0, 0, 0))
    notice = Notice(
        notice_texts.WEEKLY_FINDINGS,
        notice_texts.WEEK_OF_JOURNAL,
        recipient_id="t1",
        values={"week_on": "2026-11-16", "journal": "j-1",
                "findings": "; ".join(figures.findings_in_english)},
        findings=tuple((f.key, dict(f.values)) for f in figures.findings),
    )  # fmt: skip
    event = notification_event(notice, "weekly_check")
    assert event.why == (
        "week of 2026-11-16, journal j-1: "
        "1 of 4 lessons without marks; 45 of 120 cells empty; no attendance recorded"
    )
    (spec,) = specs_for(wf.NotificationRequested.DESCRIPTOR.full_name, event.SerializeToString())
    renderer = Renderer("http://portal.example")
    said = {
        "ru": "занятий без отметок: 1 из 4; пустых ячеек: 45 из 120; посещаемость не отмечена",
        "kk": "бағасыз сабақтар: 4 ішінен 1; бос ұяшықтар: 120 ішінен 45; қатысу белгіленбеген",
        "ky": "баасыз сабактар: 4 ичинен 1; бош уячалар: 120 ичинен 45; катышуу белгиленген эмес",
        "en": "1 of 4 lessons without marks; 45 of 120 cells empty; no attendance recorded",
    }
    for language, findings in said.items():
        body = renderer.render(spec.template, language, {**spec.params}).body
        assert findings in body, (language, body)
