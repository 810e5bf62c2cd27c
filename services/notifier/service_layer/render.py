"""Notices rendered from Jinja2 templates with Babel catalogs, in the recipient's language.

A template's first line is the subject, `---` separates it from the body. Texts are in `{% trans %}`
blocks whose English is the catalog's msgid; `locale/<lang>/LC_MESSAGES/notices.po` translate them
(ru, kk, ky; English needs no catalog). A text missing from a catalog falls back to English rather
than failing: a notice late or untranslated is better than none. Deadlines are shown in the
recipient's time zone, in their language's date format.
"""

from __future__ import annotations

import io
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from services.notifier.domain.wording import Phrase, Phrases

HERE = Path(__file__).resolve().parents[1]
TEMPLATES, LOCALE = HERE / "templates", HERE / "locale"
LANGUAGES = ("ru", "kk", "ky", "en")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def load_translations(language: str) -> NullTranslations:
    """The language's catalog, compiled in memory from its .po (no build step, nothing generated)."""
    po = LOCALE / language / "LC_MESSAGES" / "notices.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def fill(text: str, values: Mapping[str, Any]) -> str:
    """`{name}` placeholders filled from values; one without a value, or a text that is not a format
    string at all (prose from an older event), stays as written."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        return text.format_map({name: values.get(name, f"{{{name}}}") for name in fields})
    except (ValueError, IndexError, KeyError, AttributeError):
        return text


def _sayer(translations: NullTranslations) -> Callable[[Context, str], str]:
    @pass_context
    def say(context: Context, key: str) -> str:
        """A catalog key in this language, its placeholders filled from the template's values."""
        return fill(translations.gettext(key), context.get_all())

    return say


def _environment(translations: NullTranslations) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain-text mail and Telegram messages, not HTML
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["say"] = _sayer(translations)
    return env


def format_deadline(deadline: datetime, timezone: str, language: str) -> str:
    """The instant in the recipient's zone and language, with the zone named (e.g. Asia/Almaty)."""
    try:
        zone = ZoneInfo(timezone)
    except Exception:
        zone, timezone = ZoneInfo("UTC"), "UTC"
    local = deadline.astimezone(zone)
    shown = format_datetime(local, "d MMMM y, HH:mm", locale=language)
    return f"{shown} ({timezone}, UTC{local.strftime('%z')[:3]}:{local.strftime('%z')[3:]})"


def local_values(params: Mapping[str, Any], timezone: str, language: str) -> dict[str, Any]:
    """Values named `*_at` (RFC 3339 instants) and `*_on` (ISO dates) in the recipient's zone and
    language; anything else, or a value that does not parse, as it is."""
    shown = dict(params)
    for name, value in params.items():
        if not isinstance(value, str) or not value:
            continue
        try:
            if name.endswith("_at"):
                shown[name] = format_deadline(datetime.fromisoformat(value), timezone, language)
            elif name.endswith("_on"):
                shown[name] = format_date(date.fromisoformat(value), "d MMMM y", locale=language)
        except ValueError:
            pass
    return shown


class Renderer:
    def __init__(self, portal_url: str) -> None:
        self.portal_url = portal_url.rstrip("/")
        self._translations = {language: load_translations(language) for language in LANGUAGES}
        self._envs = {language: _environment(t) for language, t in self._translations.items()}

    def link(self, path: str) -> str:
        return f"{self.portal_url}{path}" if path else self.portal_url

    def gettext(self, language: str, message: str) -> str:
        return self._translations.get(language, self._translations["en"]).gettext(message)

    def said(self, value: Any, language: str, timezone: str = "UTC") -> Any:
        """A value in the language: a phrase's key translated and filled with its values (said
        too, instants and dates on the reader's clock), a list's items joined; anything else (plain
        text, a digest's items) as it is."""
        if isinstance(value, Phrase):
            values = {name: self.said(v, language, timezone) for name, v in value.values.items()}
            return fill(self.gettext(language, value.key), local_values(values, timezone, language))
        if isinstance(value, Phrases):
            return value.separator.join(self.said(item, language, timezone) for item in value.items)
        return value

    def render(
        self,
        template: str,
        language: str,
        params: Mapping[str, Any],
        *,
        link_path: str = "",
        deadline: datetime | None = None,
        timezone: str = "UTC",
        overdue: str = "",
    ) -> Rendered:
        env = self._envs.get(language, self._envs["en"])
        language = language if language in LANGUAGES else "en"
        shown = format_deadline(deadline, timezone, language) if deadline else ""
        values = {name: self.said(value, language, timezone) for name, value in params.items()}
        text = env.get_template(f"{template}.txt").render(
            **local_values(values, timezone, language),
            link=self.link(link_path),
            deadline=shown,
            overdue=overdue,
        )
        subject, _, body = text.partition("\n---\n")
        return Rendered(subject.strip(), tidy(body))


def tidy(text: str) -> str:
    """Template tags leave blank lines behind: keep at most one between paragraphs."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept = [line for i, line in enumerate(lines) if line or (i > 0 and lines[i - 1])]
    return "\n".join(kept) + "\n"
