"""The languages users read (ru, kk, ky, en) and the choice of one from an HTTP Accept-Language header.

Shared by the gateway (problem texts) and the portal (pages), so both answer a person in the same language.
"""

from __future__ import annotations

LANGUAGES = ("ru", "kk", "ky", "en")


def from_accept_language(header: str | None) -> str | None:
    """The best of our languages in an Accept-Language header (q-values honoured), or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None
