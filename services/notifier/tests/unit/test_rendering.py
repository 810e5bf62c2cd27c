"""Templates and catalogs: every text is translated in ru/kk/ky, deadlines show in the recipient's
zone, escalations name who is overdue, and links point into the portal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from jinja2.ext import babel_extract

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
    messages = template_messages() | set(MEASURES.values())
    assert len(messages) > 10
    untranslated = sorted(m for m in messages if translations.gettext(m) == m)
    assert untranslated == []


def test_the_dispute_notice_in_each_language_with_the_deadline_in_the_recipients_zone() -> None:
    subjects = set()
    for language, phrase in (("kk", "желтоқсан"), ("ru", "декабря"), ("ky", "декабрь"), ("en", "December")):
        out = renderer.render(
            "dispute_opened",
            language,
            {"student": "Жұмабекова Айгерім", "value": "н/б"},
            link_path="/api/v1/disputes?journal_id=j",
            deadline=DUE,
            timezone="Asia/Almaty",
        )
        subjects.add(out.subject)
        assert f"4 {phrase} 2026, 17:00 (Asia/Almaty, UTC+05:00)" in out.body
        assert "«н/б»" in out.body or '"н/б"' in out.body
        assert "http://portal.example:8000/api/v1/disputes?journal_id=j" in out.body
    assert len(subjects) == 4
    bishkek = renderer.render(
        "dispute_opened", "ky", {"student": "А", "value": "нб"}, deadline=DUE, timezone="Asia/Bishkek"
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
