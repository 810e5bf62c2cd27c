"""Templates and catalogs: every text is translated in ru/kk/ky, deadlines show in the recipient's
zone, escalations name who is overdue, and links point into the portal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from jinja2.ext import babel_extract

from services.notifier.domain import wording
from services.notifier.domain.wording import JournalNames, Phrase, Phrases, journal_list, journal_title
from services.notifier.service_layer.event_notices import MEASURES
from services.notifier.service_layer.render import TEMPLATES, Renderer, load_translations

DUE = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
renderer = Renderer("http://portal.example:8000/")


def template_messages() -> set[str]:
    found = set()
    for path in TEMPLATES.glob("*.txt"):
        with path.open("rb") as source:
            for _, _, message, _ in babel_extract(
                source, ("gettext", "_"), [], {"extensions": "jinja2.ext.i18n"}
            ):
                if isinstance(message, str):
                    found.add(message)
    return found


@pytest.mark.parametrize("language", ["ru", "kk", "ky"])
def test_every_template_text_is_translated(language: str) -> None:
    translations = load_translations(language)
    messages = template_messages() | set(MEASURES.values()) | set(wording.every_key())
    assert len(messages) > 10
    untranslated = sorted(m for m in messages if translations.gettext(m) == m)
    assert untranslated == []


def test_the_dispute_notice_in_each_language_with_the_deadline_in_the_recipients_zone() -> None:
    subjects = set()
    for language, phrase in (("kk", "желтоқсан"), ("ru", "декабря"), ("ky", "декабрь"), ("en", "December")):
        out = renderer.render(
            "dispute_opened",
            language,
            {"student": "Жұмабекова Айгерім", "value": "н/б", "journal": "«Химия» (ХТ-22)"},
            link_path="/api/v1/disputes?journal_id=j",
            deadline=DUE,
            timezone="Asia/Almaty",
        )
        subjects.add(out.subject)
        assert f"4 {phrase} 2026, 17:00 (Asia/Almaty, UTC+05:00)" in out.body
        assert "«н/б»" in out.body or '"н/б"' in out.body
        assert "http://portal.example:8000/api/v1/disputes?journal_id=j" in out.body
        assert "«Химия» (ХТ-22)" in out.body  # the journal, named
    assert len(subjects) == 4
    bishkek = renderer.render(
        "dispute_opened",
        "ky",
        {"student": "А", "value": "нб", "journal": "j"},
        deadline=DUE,
        timezone="Asia/Bishkek",
    )
    assert "18:00 (Asia/Bishkek, UTC+06:00)" in bishkek.body


def test_an_escalation_names_who_is_overdue() -> None:
    out = renderer.render(
        "notification",
        "ru",
        {"what": "reopen case overdue (escalated)", "why": "case c"},
        deadline=DUE,
        timezone="Asia/Almaty",
        overdue="Оспанов Ғалым Қайратұлы",
    )
    assert out.subject == "Просрочено рассмотрение заявления на переоткрытие (эскалация)"
    assert "Просрочили: Оспанов Ғалым Қайратұлы" in out.body and "Срок: 4 декабря 2026" in out.body


def test_an_unknown_text_falls_back_to_english_rather_than_failing() -> None:
    out = renderer.render("notification", "kk", {"what": "something new", "why": "x"})
    assert out.subject == "something new"


def test_templates_exist_for_every_notice_kind() -> None:
    names = {Path(p).stem for p in TEMPLATES.glob("*.txt")}
    assert {
        "dispute_opened",
        "notification",
        "closing_reminder",
        "section_closed",
        "sanction_confirmed",
        "absence_streak",
        "digest",
    } <= names


def test_a_workflow_text_is_translated_outside_a_template_too() -> None:
    assert renderer.gettext("kk", "visa requested (dean)") == "Деканның визасы қажет"
    assert renderer.gettext("xx", "visa requested (dean)") == "visa requested (dean)"


def test_a_journal_is_named_by_discipline_group_and_lesson_type_in_the_readers_language() -> None:
    journal = JournalNames("5f0c-…", "ПД-12 Пропедевтика внутренних болезней", "ЖМ-21-01", "lecture")
    title = journal_title(journal)
    assert renderer.said(title, "kk") == "«ПД-12 Пропедевтика внутренних болезней» (ЖМ-21-01, дәріс)"
    assert renderer.said(title, "ru") == "«ПД-12 Пропедевтика внутренних болезней» (ЖМ-21-01, лекция)"
    assert renderer.said(title, "en") == "“ПД-12 Пропедевтика внутренних болезней” (ЖМ-21-01, lecture)"
    laboratory = JournalNames("j2", "Химия", "", "laboratory")
    assert renderer.said(journal_list([journal, laboratory]), "ky").endswith(", «Химия» (лабораториялык)")
    # Nothing known of a journal (opened before the notifier kept names): its id, as before.
    assert renderer.said(journal_title(JournalNames("5f0c")), "kk") == "5f0c"


def test_a_list_of_findings_is_said_item_by_item_in_the_readers_language() -> None:
    findings = Phrases((
        Phrase("{empty} of {lessons} lessons without marks", {"empty": "1", "lessons": "4"}),
        Phrase("no attendance recorded"),
    ))  # fmt: skip
    out = renderer.render(
        "notification",
        "kk",
        {
            "what": "weekly journal check: findings",
            "why": "week of {week_on}, journal {journal}: {findings}",
            "week_on": "2026-11-16",
            "journal": journal_title(JournalNames("j", "Химия", "ХТ-22", "seminar")),
            "findings": findings,
        },
    )
    assert (
        "16 қараша 2026 басталған апта, «Химия» (ХТ-22, семинар) журналы: "
        "бағасыз сабақтар: 4 ішінен 1; қатысу белгіленбеген" in out.body
    )
    assert "lessons" not in out.body and "attendance" not in out.body


def test_a_control_event_is_named_by_its_kind_and_date_in_the_readers_language() -> None:
    title = wording.control_event_title("ce-1", "midterm", "2026-12-05")
    assert renderer.said(title, "ru") == "«рубежный контроль, 5 декабря 2026»"
    assert renderer.said(title, "kk").startswith("«аралық бақылау, 5 ")
    assert renderer.said(title, "en") == "“midterm control, 5 December 2026”"
    out = renderer.render(
        "notification",
        "ky",
        {"what": "{cells} cells unfilled in journal {journal}; fill them so the statement can be formed",
         "why": "the statement of control event {control_event} is due {deadline_at} (KZ-15)",
         "cells": "3", "journal": "j", "control_event": title, "deadline_at": "2026-12-07T18:59:00+00:00"},
    )  # fmt: skip
    assert "«аралык текшерүү, 5 " in out.body and "ce-1" not in out.body
    # Neither kind nor date came with the notice (an event raised before the workflow sent them): the id.
    assert wording.control_event_title("ce-1", "", "") == "ce-1"
