"""Regulation profiles (kz-medical, kg-jasu): what differs between universities, as data.

Any service may import this module (it is pure apart from reading the YAML file it is given):

    from services.curriculum.domain.profiles import get_profile
    profile = get_profile("kz-medical")
    profile.scale.parse("н/б")                      # Mark(text="н/б", meaning="absent", value=0)
    profile.formula("final_grade").evaluate({"admission_rating": 80, "exam": 70})
    profile.closing.closing_deadline(event_date)    # KZ-05; None when closing is event-driven (KG-06)
    profile.sanctions.teacher.measure_for(3)        # "warning" (KZ-14)

Files live in `profiles/<code>.yaml` at the repository root; `load_profile` validates everything and
raises ProfileError listing every problem with its path.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from services.curriculum.domain.profile_model import (
    CONTROL_EVENT_KINDS,
    LESSON_TYPES,
    CheckInWindow,
    ClosingRule,
    CredentialIssuer,
    CredentialPolicy,
    Formula,
    FormulaComponent,
    RegulationProfile,
    ReopenPolicy,
    Rounding,
    SanctionLadder,
    Sanctions,
    SanctionStep,
)
from services.curriculum.domain.profile_parts import parse_profile_parts
from services.curriculum.domain.profile_reader import ProfileError, Reader

__all__ = [
    "CONTROL_EVENT_KINDS",
    "LESSON_TYPES",
    "PROFILES_DIR",
    "CheckInWindow",
    "ClosingRule",
    "CredentialIssuer",
    "CredentialPolicy",
    "Formula",
    "FormulaComponent",
    "ProfileError",
    "RegulationProfile",
    "ReopenPolicy",
    "Rounding",
    "SanctionLadder",
    "SanctionStep",
    "Sanctions",
    "get_profile",
    "load_profile",
    "load_profiles",
    "parse_profile",
]

PROFILES_DIR = Path(__file__).resolve().parents[3] / "profiles"


def parse_profile(data: object, source: str = "<data>") -> RegulationProfile:
    """Validate untyped data (a parsed YAML document) into a profile, or raise ProfileError."""
    reader = Reader()
    parts = parse_profile_parts(reader, data)
    if reader.problems or parts is None:
        raise ProfileError(source, reader.problems or [("<root>", "unreadable")])
    return RegulationProfile(**parts)


def load_profile(path: Path) -> RegulationProfile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError(str(path), [("<file>", f"cannot be read: {error.strerror}")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ProfileError(str(path), [("<file>", f"is not valid YAML: {error}")]) from None
    profile = parse_profile(data, str(path))
    if profile.code != path.stem:
        raise ProfileError(
            str(path), [("code", f"{profile.code!r} does not match the file name {path.stem!r}")]
        )
    return profile


def load_profiles(directory: Path = PROFILES_DIR) -> dict[str, RegulationProfile]:
    profiles = [load_profile(p) for p in sorted(directory.glob("*.yaml"))]
    return {p.code: p for p in profiles}


@cache
def get_profile(code: str) -> RegulationProfile:
    """A shipped profile by code (cached); KeyError names the known codes."""
    known = load_profiles()
    if code not in known:
        raise KeyError(f"unknown regulation profile {code!r}; known: {', '.join(sorted(known))}")
    return known[code]
