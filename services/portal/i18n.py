"""The portal's languages: gettext catalogs (Babel) for ru, kk, ky and en, compiled when first used.

Messages are written in English in the templates and code (the msgid); each language's catalog is
`locale/<lang>/LC_MESSAGES/portal.po`. The .po files are the source: they are compiled in memory at
first use, so no build step stands between a translator's edit and the page.
The language is the person's choice (the `ej_lang` cookie, set by the switcher, or their profile's
language), then the browser's Accept-Language, then Russian.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from ejournal_platform.languages import from_accept_language

LANGUAGES = {"ru": "Русский", "kk": "Қазақша", "ky": "Кыргызча", "en": "English"}
DEFAULT = "ru"
LANGUAGE_COOKIE = "ej_lang"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "portal"


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> Translations:
    with catalog_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def choose(chosen: str | None, profile_language: str | None, accept_language: str | None) -> str:
    for candidate in (chosen, profile_language):
        if candidate in LANGUAGES:
            return str(candidate)
    return from_accept_language(accept_language) or DEFAULT
