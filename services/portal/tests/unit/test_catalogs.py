"""Every text the portal shows is translated into ru, kk, ky and en, with the same placeholders, and
the language is chosen as documented (the person's choice, then Accept-Language, then Russian)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from services.portal import i18n

pytestmark = pytest.mark.unit
PORTAL = Path(i18n.__file__).parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def source_messages() -> set[str]:
    with (PORTAL / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(PORTAL, method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_sources_have_messages() -> None:
    assert {"Sign in", "Skip to content", "My journals"} <= source_messages()


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    with i18n.catalog_path(language).open("rb") as source:
        catalog = read_po(source)
    translated = {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(source_messages() - set(translated))
    assert not missing, f"{language}: not translated: {missing}"
    for msgid, text in translated.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(text)), (language, msgid)


def test_the_catalogs_speak_their_language() -> None:
    assert i18n.translations("kk").gettext("Sign in") == "Кіру"
    assert i18n.translations("ky").gettext("Sign in") == "Кирүү"
    assert i18n.translations("ru").gettext("Sign in") == "Войти"
    assert i18n.translations("en").gettext("Sign in") == "Sign in"


@pytest.mark.parametrize(
    ("chosen", "profile", "header", "expected"),
    [
        ("ky", "kk", "en", "ky"),  # the switcher's choice first
        (None, "kk", "en", "kk"),  # then the person's own language
        (None, None, "de-DE,en;q=0.5,ru;q=0.9", "ru"),  # then the browser's, by quality
        (None, None, "kk-KZ", "kk"),
        (None, None, "de, fr", "ru"),  # then Russian
        ("xx", None, None, "ru"),  # an unknown choice is ignored
    ],
)
def test_the_language_is_chosen_in_order(chosen: str | None, profile: str | None, header: str | None,
                                         expected: str) -> None:  # fmt: skip
    assert i18n.choose(chosen, profile, header) == expected
